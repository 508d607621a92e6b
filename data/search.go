package data

import (
	"context"
	"strings"
	"sync"
)

// customerIndex keeps the searchable columns of every customer in memory,
// in the order results are listed (name, then id), so that a keystroke scans
// a few megabytes of strings instead of every row of the customers table,
// which SQLite cannot search for a fragment through an index. It is read
// again whenever customer_search's generation has moved: triggers move it on
// every change to a name, email or phone, whoever makes it.
type customerIndex struct {
	mu         sync.Mutex
	loaded     bool
	generation int64
	entries    []searchEntry
}

// searchEntry is one customer's searchable columns, with ASCII letters in
// lower case as SQLite's LIKE compares them.
type searchEntry struct {
	id                 ID
	name, email, phone string
}

// asciiLower lowers A-Z only: LIKE folds no other letters.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
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
		// Read after the generation: the entries are at least that new.
		rows, err := s.reader().QueryContext(ctx, "SELECT id, name_fold, email_norm, phone_digits FROM customers ORDER BY name_fold, id")
		if err != nil {
			return nil, s.explain(err)
		}
		entries := make([]searchEntry, 0, len(ix.entries))
		for rows.Next() {
			var e searchEntry
			if err := rows.Scan(&e.id, &e.name, &e.email, &e.phone); err != nil {
				rows.Close()
				return nil, s.explain(err)
			}
			e.name, e.email = asciiLower(e.name), asciiLower(e.email)
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.explain(err)
		}
		ix.entries, ix.generation, ix.loaded = entries, gen, true
	}
	digits := PhoneDigits(t)
	if len(digits) < 2 {
		digits = "" // too few digits typed: phones are not searched
	}
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
	return append(first, rest[:min(len(rest), limit-len(first))]...), nil
}
