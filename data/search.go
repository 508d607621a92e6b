package data

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// customerIndex keeps the searchable columns of every customer in memory,
// in the order results are listed (name, then id), so that a keystroke reads
// a few megabytes of strings instead of every row of the customers table,
// which SQLite cannot search for a fragment through an index. It follows
// customer_search's generation: triggers move it on every change to a name,
// email or phone, whoever makes it.
//
// A keystroke must not read every entry either, or it grows with the shop:
// the customers whose name starts with the text are one run of the sorted
// entries, found by binary search, and the others are found through grams
// (three bytes in a row) of the text, each listing the entries that hold it.
//
// Nor must the first keystroke after a change read every customer again:
// when this store's own writes say which customers they changed (notes),
// only those are read, their old entries marked dead and their new ones
// kept in added, a short sorted list read beside the others (patch, in
// search_patch.go). When it cannot be sure what changed (another program
// wrote, or too much changed), everyone is read again.
type customerIndex struct {
	mu         sync.Mutex
	loaded     bool
	generation int64
	entries    []searchEntry
	// sorted says the lowered names are in byte order. name_fold is written
	// in lower case, so they are, unless capitals were written into it some
	// other way: then the name-prefix matches may not be one run and every
	// entry is scanned.
	sorted bool
	// grams is made at the first search that needs it after a reload, not
	// at the reload: texts shorter than a gram, and those whose name
	// prefixes fill the list, do without it. It lists entries only, never
	// added.
	grams *gramIndex

	// plain says every name_fold is text without capitals, so the lowered
	// names sort as SQLite sorts name_fold: only then are changes patched
	// in. byID lists the entries' positions in order of id (when plain).
	plain bool
	byID  []int32
	// dead marks, one bit each, the entries whose customer has changed or
	// gone since they were read; nil when none has.
	dead []uint64
	// added holds the new entries of the customers changed since the
	// entries were read, in name and id order.
	added []searchEntry

	notes   searchNotes // what this store's writes changed, for the next patch
	reloads int         // how many times everyone was read (tests count them)
}

// searchEntry is one customer's searchable columns, with ASCII letters in
// lower case as SQLite's LIKE compares them.
type searchEntry struct {
	id                 ID
	name, email, phone string
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
func (s *Store) searchIDs(ctx context.Context, t string, limit int) ([]ID, error) {
	var gen int64
	if err := s.reader().QueryRowContext(ctx, "SELECT generation FROM customer_search").Scan(&gen); err != nil {
		return nil, s.explain(err)
	}
	ix := &s.search
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.loaded || ix.generation != gen {
		patched, err := s.patchSearch(ctx, gen)
		if err != nil {
			return nil, err
		}
		if !patched {
			if err := s.reloadSearch(ctx, gen); err != nil {
				return nil, err
			}
		}
	}
	return ix.find(t, limit), nil
}

// reloadSearch reads every customer's entry again; ix.mu is held.
func (s *Store) reloadSearch(ctx context.Context, gen int64) error {
	ix := &s.search
	// Writes from now on say what they change: a write that began before
	// leaves a gap in the notes, and the next change is read in full.
	// They learn it from reminder_dirty, so its triggers on customers must
	// be there.
	var triggers int
	err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'
		AND name IN ('customers_dirty_insert', 'customers_dirty_update', 'customers_dirty_delete')`).Scan(&triggers)
	if err != nil {
		return s.explain(err)
	}
	ix.notes.watching.Store(triggers == 3)
	entries, byID, err := s.readSearchEntries(ctx, len(ix.entries))
	if err != nil {
		return err
	}
	ix.entries, ix.generation, ix.loaded, ix.grams = entries, gen, true, nil
	ix.reloads++
	ix.plain, ix.byID, ix.dead, ix.added = byID != nil, byID, nil, nil
	ix.sorted = true
	for i := 1; i < len(entries); i++ {
		if entries[i-1].name > entries[i].name {
			ix.sorted = false
			break
		}
	}
	ix.notes.dropUpTo(gen)
	return nil
}

// readSearchEntries reads every customer's searchable columns in the order
// of ORDER BY name_fold, id. The table is read in its own order and sorted
// here: going through the index on name_fold instead reads each row's page
// on its own, twice as long in a large shop. Read after the generation: the
// entries are at least that new. byID is nil unless every name_fold is text
// without capitals.
func (s *Store) readSearchEntries(ctx context.Context, capacity int) (entries []searchEntry, byID []int32, err error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name_fold, email_norm, phone_digits FROM customers ORDER BY id")
	if err != nil {
		return nil, nil, s.explain(err)
	}
	defer rows.Close()
	// SQLite puts blobs after every text, whatever their bytes. The column
	// is text, and the only other value it can hold is a blob.
	read, blobs := make([]searchEntry, 0, capacity), []searchEntry(nil)
	for rows.Next() {
		var e searchEntry
		var name any
		if err := rows.Scan(&e.id, &name, &e.email, &e.phone); err != nil {
			return nil, nil, s.explain(err)
		}
		switch v := name.(type) {
		case string:
			e.name = v
			read = append(read, e)
		case []byte:
			e.name = string(v)
			blobs = append(blobs, e)
		default:
			return nil, nil, fmt.Errorf("customer %d has a name_fold of %T, which a search cannot sort", e.id, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, s.explain(err)
	}
	// The texts are sorted through their positions, which are also their
	// places in id order: byID falls out of the sort.
	order := make([]int32, len(read))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return byNameID(&read[a], &read[b]) })
	slices.SortFunc(blobs, func(a, b searchEntry) int { return byNameID(&a, &b) })
	entries, byID = make([]searchEntry, len(read), len(read)+len(blobs)), make([]int32, len(read))
	for at, i := range order {
		entries[at], byID[i] = read[i], int32(at)
	}
	entries = append(entries, blobs...)
	// The strings are copied, lowered, into one block in the entries'
	// order: a search reads them in that order, and they came in the
	// table's.
	size := 0
	for i := range entries {
		size += len(entries[i].name) + len(entries[i].email) + len(entries[i].phone)
	}
	var b strings.Builder
	b.Grow(size)
	capitals := false
	for i := range entries {
		e := &entries[i]
		if writeASCIILower(&b, e.name) {
			capitals = true
		}
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
	if capitals || len(blobs) > 0 {
		byID = nil
	}
	return entries, byID, nil
}

// find is searchIDs on the entries in memory.
func (ix *customerIndex) find(t string, limit int) []ID {
	digits := PhoneDigits(t)
	if len(digits) < 2 {
		digits = "" // too few digits typed: phones are not searched
	}
	if !ix.sorted {
		return ix.scanAll(t, digits, limit)
	}
	at, first := ix.findEntries(t, digits, limit)
	if len(ix.added) > 0 {
		return ix.withAdded(at, first, t, digits, limit)
	}
	out := make([]ID, len(at))
	for k, i := range at {
		out[k] = ix.entries[i].id
	}
	return out
}

// isDead says whether entry i's customer has changed or gone since it was read.
func (ix *customerIndex) isDead(i int) bool {
	return ix.dead != nil && ix.dead[i/64]&(1<<(i%64)) != 0
}

// findEntries is find on the entries: the positions of the matches, in
// order, at most limit, of which the first are the names starting with t.
func (ix *customerIndex) findEntries(t, digits string, limit int) (out []int32, first int) {
	// The names starting with t: those from the first name not below t up
	// to the first one above t that does not start with it.
	entries := ix.entries
	lo := sort.Search(len(entries), func(i int) bool { return entries[i].name >= t })
	hi := lo + sort.Search(len(entries)-lo, func(i int) bool {
		n := entries[lo+i].name
		return n > t && !strings.HasPrefix(n, t)
	})
	out = make([]int32, 0, min(limit, max(hi-lo, 16)))
	for i := lo; i < hi && len(out) < limit; i++ {
		if !ix.isDead(i) {
			out = append(out, int32(i))
		}
	}
	first = len(out)
	if len(out) == limit {
		return out, first
	}
	// The other matches, in order, skipping the run already taken.
	holds := func(i int) bool {
		e := &entries[i]
		return (strings.Contains(e.name, t) || strings.Contains(e.email, t) ||
			(digits != "" && strings.Contains(e.phone, digits))) && !ix.isDead(i)
	}
	if len(t) < gramLen || (digits != "" && len(digits) < gramLen) {
		// No gram to look up: read the entries until enough are found.
		for _, run := range [2][2]int{{0, lo}, {hi, len(entries)}} {
			for i := run[0]; i < run[1]; i++ {
				if holds(i) {
					if out = append(out, int32(i)); len(out) == limit {
						return out, first
					}
				}
			}
		}
		return out, first
	}
	if ix.grams == nil {
		ix.grams = newGramIndex(entries)
	}
	// Every match holds each gram of t in its name or email, or each gram
	// of the digits in its phone: walking the entries in the lists of all
	// of t's grams or all of the digits', in order, meets every match, and
	// holds throws out those that only hold the grams.
	text := ix.grams.text.walk(t, textBucket)
	phone := gramWalk{}
	if digits != "" {
		phone = ix.grams.phone.walk(digits, phoneBucket)
	}
	a, aok := text.next()
	b, bok := phone.next()
	for aok || bok {
		i := a
		switch {
		case !aok || (bok && b < a):
			i = b
			b, bok = phone.next()
		case !bok || a < b:
			a, aok = text.next()
		default:
			a, aok = text.next()
			b, bok = phone.next()
		}
		if (i < lo || i >= hi) && holds(i) {
			if out = append(out, int32(i)); len(out) == limit {
				break
			}
		}
	}
	return out, first
}

// withAdded merges the matches among the entries (at, the first of them
// starting with t) with those among added, into the first limit ids.
func (ix *customerIndex) withAdded(at []int32, first int, t, digits string, limit int) []ID {
	// The added matches, as the entries': those starting with t, then the
	// others, each at most limit.
	var starts, others []int32
	for i := range ix.added {
		e := &ix.added[i]
		switch {
		case strings.HasPrefix(e.name, t):
			if len(starts) < limit {
				starts = append(starts, int32(i))
			}
		case len(others) < limit && (strings.Contains(e.name, t) || strings.Contains(e.email, t) ||
			(digits != "" && strings.Contains(e.phone, digits))):
			others = append(others, int32(i))
		}
	}
	out := make([]ID, 0, min(limit, len(at)+len(starts)+len(others)))
	merge := func(a, b []int32) {
		for len(out) < limit && (len(a) > 0 || len(b) > 0) {
			if len(b) == 0 || (len(a) > 0 && byNameID(&ix.entries[a[0]], &ix.added[b[0]]) < 0) {
				out, a = append(out, ix.entries[a[0]].id), a[1:]
			} else {
				out, b = append(out, ix.added[b[0]].id), b[1:]
			}
		}
	}
	merge(at[:first], starts)
	merge(at[first:], others)
	return out
}

// scanAll reads every entry: for entries out of name order, which are never
// patched (added is empty, none is dead).
func (ix *customerIndex) scanAll(t, digits string, limit int) []ID {
	var first, rest []ID
	for i := range ix.entries {
		e := &ix.entries[i]
		if strings.HasPrefix(e.name, t) {
			first = append(first, e.id)
			if len(first) == limit {
				break // nothing can come before these
			}
			continue
		}
		if len(rest) < limit && (strings.Contains(e.name, t) || strings.Contains(e.email, t) ||
			(digits != "" && strings.Contains(e.phone, digits))) {
			rest = append(rest, e.id)
		}
	}
	return append(first, rest[:min(len(rest), limit-len(first))]...)
}

// gramLen is the length of the grams looked up: with three bytes most grams
// are held by a small share of the customers, and the lists stay small.
const gramLen = 3

// gramIndex lists, for each gram, the entries holding it: text for names
// and emails together, phone for phone digits.
type gramIndex struct {
	text, phone postings
}

// textBits: grams of names and emails are hashed into 2^textBits lists.
// Grams sharing a list only add entries for holds to throw out.
const textBits = 16

func textBucket(s string) int {
	g := uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
	return int(g * 0x9E3779B1 >> (32 - textBits))
}

// phoneBucket numbers three digits 0–999, or -1 when s holds another byte.
// Digits typed are only ever digits, so such grams are never looked up.
func phoneBucket(s string) int {
	a, b, c := s[0]-'0', s[1]-'0', s[2]-'0'
	if a > 9 || b > 9 || c > 9 {
		return -1
	}
	return int(a)*100 + int(b)*10 + int(c)
}

func newGramIndex(entries []searchEntry) *gramIndex {
	g := &gramIndex{}
	text, phone := newPostingsBuilder(1<<textBits), newPostingsBuilder(1000)
	// The grams are read twice, once to size the lists and once to fill
	// them, rather than held in between.
	for range 2 {
		for i := range entries {
			e := &entries[i]
			text.entry, phone.entry = uint32(i+1), uint32(i+1)
			for _, s := range [2]string{e.name, e.email} {
				for k := 0; k+gramLen <= len(s); k++ {
					text.put(textBucket(s[k : k+gramLen]))
				}
			}
			for k := 0; k+gramLen <= len(e.phone); k++ {
				if b := phoneBucket(e.phone[k : k+gramLen]); b >= 0 {
					phone.put(b)
				}
			}
		}
		g.text, g.phone = text.next(), phone.next()
	}
	return g
}

// postings holds the lists of a gram index in one block of bytes: list b
// is data[start[b]:start[b+1]], the entry numbers holding its grams in
// increasing order, each as a varint of its distance from the one before
// (the first from -1). Most distances take one byte, where a number would
// take four.
type postings struct {
	start []uint32
	data  []byte
}

// postingsBuilder makes postings in two rounds over the same grams: the
// first adds up the size of each list, the second writes them.
type postingsBuilder struct {
	entry uint32 // 1 + the entry whose grams are put
	lists []listBuilder
	start []uint32
	data  []byte
}

// listBuilder is one list being made. Its two numbers sit side by side: the
// lists are met in no order, and one read from memory then finds both.
type listBuilder struct {
	last uint32 // 1 + the last entry put in the list
	end  uint32 // the list's size, then where its next byte goes
}

func newPostingsBuilder(buckets int) *postingsBuilder {
	return &postingsBuilder{lists: make([]listBuilder, buckets)}
}

func (pb *postingsBuilder) put(b int) {
	l := &pb.lists[b]
	if l.last == pb.entry {
		return // the entry holds the gram twice
	}
	d := pb.entry - l.last
	l.last = pb.entry
	switch {
	case pb.data == nil:
		l.end += uint32(uvarintLen(d))
	case d < 0x80:
		pb.data[l.end] = byte(d)
		l.end++
	default:
		l.end += uint32(binary.PutUvarint(pb.data[l.end:], uint64(d)))
	}
}

// next ends a round: after the first it makes room for the lists, after
// the second it gives them.
func (pb *postingsBuilder) next() postings {
	if pb.data == nil {
		pb.start = make([]uint32, len(pb.lists)+1)
		for b := range pb.lists {
			l := &pb.lists[b]
			pb.start[b+1] = pb.start[b] + l.end
			l.last, l.end = 0, pb.start[b]
		}
		pb.data = make([]byte, pb.start[len(pb.lists)])
		return postings{}
	}
	return postings{start: pb.start, data: pb.data}
}

func uvarintLen(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// walk gives the entries in the shortest list of s's grams that its other
// lists hold too, leaving out those too long to be worth reading: a list
// read costs a byte or two an entry, where a candidate costs a comparison
// of three strings.
func (p *postings) walk(s string, bucket func(string) int) gramWalk {
	var buckets []int
	for k := 0; k+gramLen <= len(s); k++ {
		b := bucket(s[k : k+gramLen])
		if b < 0 {
			return gramWalk{} // held by no entry
		}
		buckets = append(buckets, b)
	}
	if len(buckets) == 0 {
		return gramWalk{}
	}
	slices.Sort(buckets)
	buckets = slices.Compact(buckets) // a gram typed twice has one list
	size := func(b int) uint32 { return p.start[b+1] - p.start[b] }
	slices.SortFunc(buckets, func(a, b int) int { return cmp.Compare(size(a), size(b)) })
	list := func(b int) postingIter { return postingIter{data: p.data[p.start[b]:p.start[b+1]]} }
	w := gramWalk{lead: list(buckets[0])}
	for _, b := range buckets[1:] {
		if size(b) > 8*size(buckets[0]) {
			break
		}
		w.also = append(w.also, list(b))
	}
	return w
}

// gramWalk walks the lead list, giving the entries that every list in also
// holds, in order.
type gramWalk struct {
	lead postingIter
	also []postingIter
}

func (w *gramWalk) next() (int, bool) {
next:
	for {
		i, ok := w.lead.next()
		if !ok {
			return 0, false
		}
		for k := range w.also {
			if !w.also[k].seek(i) {
				continue next
			}
		}
		return i, true
	}
}

// size is the memory the lists take, in bytes.
func (p *postings) size() int { return 4*len(p.start) + len(p.data) }

// postingIter walks one list.
type postingIter struct {
	data []byte
	at   uint32 // 1 + the entry last given
}

func (it *postingIter) next() (int, bool) {
	if len(it.data) == 0 {
		return 0, false
	}
	if c := it.data[0]; c < 0x80 {
		it.data = it.data[1:]
		it.at += uint32(c)
	} else {
		d, n := binary.Uvarint(it.data)
		it.data = it.data[n:]
		it.at += uint32(d)
	}
	return int(it.at - 1), true
}

// seek moves on to entry i, or past it, and says whether the list holds i.
func (it *postingIter) seek(i int) bool {
	for int(it.at)-1 < i {
		if _, ok := it.next(); !ok {
			return false
		}
	}
	return int(it.at)-1 == i
}
