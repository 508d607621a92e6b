package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
	"sort"
	"strings"
	"sync"
)

// customerIndex keeps the searchable columns of every customer in memory,
// in the order results are listed (name, then id): SQLite cannot find a
// fragment of a name through an index, and scanning the table costs 15–25
// ms at 50,000 customers, where a scan of these entries costs a few. The
// names that start with the text typed are one run of the sorted entries,
// found by binary search; the others are found by reading the entries in
// order until enough match.
//
// The entries are read again when another program committed to the file
// (PRAGMA data_version of the writer connection, which only the commits of
// other connections move) or when this store wrote many customers at once.
// The customers this store's own writes change are read again one by one
// and put in their places (customersChanged).
type customerIndex struct {
	mu      sync.Mutex
	loaded  bool
	version int64 // data_version (versionSource) when the entries were read
	source  bool  // the version was the writer's (not conn's)
	entries []searchEntry
	// sorted says the lowered names are in byte order. name_fold is written
	// in lower case, so they are, unless capitals were written into it some
	// other way: then the name-prefix matches may not be one run and every
	// entry is scanned.
	sorted bool
	// plain says no name_fold held capitals or was a blob: only then do
	// the lowered names sort as SQLite sorts name_fold, and changed
	// customers can be put in their places.
	plain   bool
	changed []rules.ID // customers this store changed since: read again at the next search
	all     bool       // this store wrote customers in bulk: read everyone again
	conn    *sql.Conn  // where a store without a writer reads data_version
	reloads int        // how many times everyone was read (tests count them)
}

// maxPatch is the most customers a search reads again one by one; past it,
// it reads everyone.
const maxPatch = 64

// customersChanged notes, after its commit, that this store's write
// changed the customers ids: the next search reads them again.
func (s *Store) customersChanged(ids ...rules.ID) {
	ix := &s.search
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.loaded {
		return
	}
	ix.changed = append(ix.changed, ids...)
	if len(ix.changed) > maxPatch {
		ix.all, ix.changed = true, nil
	}
}

// customersRewritten notes that this store wrote customers in bulk: the
// next search reads everyone again.
func (s *Store) customersRewritten() {
	ix := &s.search
	ix.mu.Lock()
	ix.all, ix.changed = true, nil
	ix.mu.Unlock()
}

// searchVersion reads PRAGMA data_version where only other programs'
// commits move it: on the writer connection, or, for a store that only
// reads, on a connection of its own. fromWriter says which.
func (s *Store) searchVersion(ctx context.Context) (v int64, fromWriter bool, err error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	if w != nil {
		v, err = s.dataVersion(ctx, w)
		return v, true, err
	}
	ix := &s.search
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.conn == nil {
		if ix.conn, err = s.reader().Conn(ctx); err != nil {
			return 0, false, s.explain(err)
		}
	}
	err = ix.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, false, s.explain(err)
}

// searchEntry is one customer's searchable columns, with ASCII letters in
// lower case as SQLite's LIKE compares them.
type searchEntry struct {
	id                 rules.ID
	name, email, phone string
	blob               bool // name_fold was a blob, which SQLite sorts after every text
	capitals           bool // name_fold held capitals, lowered here
}

// byNameID orders entries as results are listed: by name, then id. Both
// compare bytes, shorter first on a tie, as the BINARY collation.
func byNameID(a, b *searchEntry) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// writeASCIILower writes s with A-Z lowered, and no other letter: LIKE
// folds no other. It says whether it lowered any.
func writeASCIILower(b *strings.Builder, s string) bool {
	from := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b.WriteString(s[from:i])
			b.WriteByte(c + 'a' - 'A')
			from = i + 1
		}
	}
	b.WriteString(s[from:])
	return from > 0
}

// searchIDs finds the customers whose name, email or phone digits hold t
// (lower case, not empty): those whose name starts with t first, each group
// by name and id, at most limit. It gives what this statement gives:
//
//	SELECT id FROM customers WHERE name_fold LIKE '%t%' OR email_norm LIKE '%t%'
//	    OR phone_digits LIKE '%digits%'   -- with two digits or more typed
//	ORDER BY name_fold LIKE 't%' DESC, name_fold, id LIMIT limit
func (s *Store) searchIDs(ctx context.Context, t string, limit int) ([]rules.ID, error) {
	version, fromWriter, err := s.searchVersion(ctx)
	if err != nil {
		return nil, err
	}
	ix := &s.search
	ix.mu.Lock()
	defer ix.mu.Unlock()
	switch {
	case !ix.loaded || ix.all || ix.version != version || ix.source != fromWriter:
		err = s.reloadSearch(ctx, version, fromWriter)
	case len(ix.changed) > 0:
		var patched bool
		if patched, err = s.patchSearch(ctx); err == nil && !patched {
			err = s.reloadSearch(ctx, version, fromWriter)
		}
	}
	if err != nil {
		return nil, err
	}
	return ix.find(t, limit), nil
}

// reloadSearch reads every customer's entry again; ix.mu is held.
func (s *Store) reloadSearch(ctx context.Context, version int64, fromWriter bool) error {
	ix := &s.search
	entries, err := s.readSearchEntries(ctx, "", nil, len(ix.entries))
	if err != nil {
		return err
	}
	ix.entries, ix.version, ix.source, ix.loaded = entries, version, fromWriter, true
	ix.changed, ix.all = nil, false
	ix.reloads++
	ix.sorted, ix.plain = true, true
	for i := range entries {
		ix.plain = ix.plain && !entries[i].blob && !entries[i].capitals
	}
	for i := 1; i < len(entries); i++ {
		if entries[i-1].name > entries[i].name {
			ix.sorted = false
			break
		}
	}
	return nil
}

// patchSearch reads the customers changed again and puts their entries in
// their places; ix.mu is held. It says false, changing nothing, when an
// entry would not keep the order (a name_fold with capitals, or a blob).
func (s *Store) patchSearch(ctx context.Context) (bool, error) {
	ix := &s.search
	if !ix.plain {
		return false, nil
	}
	ids := slices.Compact(slices.Sorted(slices.Values(ix.changed)))
	fresh, err := s.readSearchEntries(ctx, " WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", idArgs(ids), len(ids))
	if err != nil {
		return false, err
	}
	for i := range fresh {
		if e := &fresh[i]; e.blob || e.capitals {
			return false, nil
		}
	}
	ix.entries = slices.DeleteFunc(ix.entries, func(e searchEntry) bool { _, found := slices.BinarySearch(ids, e.id); return found })
	for _, e := range fresh {
		at, _ := slices.BinarySearchFunc(ix.entries, &e, func(a searchEntry, b *searchEntry) int { return byNameID(&a, b) })
		ix.entries = slices.Insert(ix.entries, at, e)
	}
	ix.changed = nil
	return true, nil
}

// readSearchEntries reads the searchable columns of the customers where
// picks (every one when ""), in the order of ORDER BY name_fold, id. The
// table is read in its own order and sorted here: going through the index
// on name_fold instead reads each row's page on its own, twice as long in
// a large shop.
func (s *Store) readSearchEntries(ctx context.Context, where string, args []any, capacity int) ([]searchEntry, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name_fold, email_norm, phone_digits FROM customers"+where+" ORDER BY id", args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	// SQLite puts blobs after every text, whatever their bytes. The column
	// is text, and the only other value it can hold is a blob.
	read, blobs := make([]searchEntry, 0, capacity), []searchEntry(nil)
	for rows.Next() {
		var e searchEntry
		var name any
		if err := rows.Scan(&e.id, &name, &e.email, &e.phone); err != nil {
			return nil, s.explain(err)
		}
		switch v := name.(type) {
		case string:
			e.name = v
			read = append(read, e)
		case []byte:
			e.name, e.blob = string(v), true
			blobs = append(blobs, e)
		default:
			return nil, fmt.Errorf("customer %d has a name_fold of %T, which a search cannot sort", e.id, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	slices.SortFunc(read, func(a, b searchEntry) int { return byNameID(&a, &b) })
	slices.SortFunc(blobs, func(a, b searchEntry) int { return byNameID(&a, &b) })
	entries := append(read, blobs...)
	// The strings are copied, lowered, into one block in the entries'
	// order: a search reads them in that order, and they came in the
	// table's.
	size := 0
	for i := range entries {
		size += len(entries[i].name) + len(entries[i].email) + len(entries[i].phone)
	}
	var b strings.Builder
	b.Grow(size)
	for i := range entries {
		e := &entries[i]
		e.capitals = writeASCIILower(&b, e.name)
		writeASCIILower(&b, e.email)
		b.WriteString(e.phone)
	}
	block, at := b.String(), 0
	take := func(n int) string {
		at += n
		return block[at-n : at]
	}
	for i := range entries {
		e := &entries[i]
		e.name, e.email, e.phone = take(len(e.name)), take(len(e.email)), take(len(e.phone))
	}
	return entries, nil
}

// find is searchIDs on the entries in memory.
func (ix *customerIndex) find(t string, limit int) []rules.ID {
	digits := rules.PhoneDigits(t)
	if len(digits) < 2 {
		digits = "" // too few digits typed: phones are not searched
	}
	if !ix.sorted {
		return ix.scanAll(t, digits, limit)
	}
	// The names starting with t: those from the first name not below t up
	// to the first one above t that does not start with it.
	entries := ix.entries
	lo := sort.Search(len(entries), func(i int) bool { return entries[i].name >= t })
	hi := lo + sort.Search(len(entries)-lo, func(i int) bool {
		n := entries[lo+i].name
		return n > t && !strings.HasPrefix(n, t)
	})
	out := make([]rules.ID, 0, min(limit, max(hi-lo, 16)))
	for i := lo; i < hi && len(out) < limit; i++ {
		out = append(out, entries[i].id)
	}
	// The other matches, in order, skipping the run already taken.
	for _, run := range [2][2]int{{0, lo}, {hi, len(entries)}} {
		for i := run[0]; i < run[1] && len(out) < limit; i++ {
			if e := &entries[i]; e.holds(t, digits) {
				out = append(out, e.id)
			}
		}
	}
	return out
}

// holds says whether the entry's name or email holds t, or its phone digits.
func (e *searchEntry) holds(t, digits string) bool {
	return strings.Contains(e.name, t) || strings.Contains(e.email, t) || (digits != "" && strings.Contains(e.phone, digits))
}

// scanAll reads every entry: for entries out of name order.
func (ix *customerIndex) scanAll(t, digits string, limit int) []rules.ID {
	var first, rest []rules.ID
	for i := range ix.entries {
		e := &ix.entries[i]
		if strings.HasPrefix(e.name, t) {
			first = append(first, e.id)
			if len(first) == limit {
				break // nothing can come before these
			}
			continue
		}
		if len(rest) < limit && e.holds(t, digits) {
			rest = append(rest, e.id)
		}
	}
	return append(first, rest[:min(len(rest), limit-len(first))]...)
}
