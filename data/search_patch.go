package data

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// The first search after a change reads only the customers changed, when
// it knows which: this store's write transactions note them (the customers
// reminder_dirty lists when they commit, a superset of those whose name,
// email or phone changed) with the generations before and after. Notes
// that lead without a gap from the index's generation to the file's
// account for every change in between; any other writer (the command line,
// a statement outside a transaction, a bulk write that drops the triggers)
// leaves a gap, and the search reads everyone again.

// maxPatch is the most customers a search patches in: beyond it reading
// them one by one costs more than reading everyone, and added, which every
// search reads, grows too long. Patches add up until added would pass it;
// then everyone is read again.
const maxPatch = 1024

// searchNotes holds the notes of committed writes not yet patched in.
type searchNotes struct {
	// watching is set once an index was read: before, nothing is noted,
	// and writes cost no more than they did.
	watching atomic.Bool
	// bulk counts bulk writes (bulkWrite), which drop the triggers that
	// fill reminder_dirty: a write during which it moves is not noted.
	bulk atomic.Int64

	mu   sync.Mutex
	list []searchNote // in the order of commit
	size int          // the customers the list holds
}

// searchNote says that the write which moved the generation from from to
// to changed no customers' searchable columns but ids'.
type searchNote struct {
	from, to int64
	ids      []ID
	bulk     int64 // notes.bulk when the write began
}

// beginSearchNote starts the note of the write transaction tx; nil when no
// index waits for it.
func (s *Store) beginSearchNote(ctx context.Context, tx *sql.Tx) *searchNote {
	n := &s.search.notes
	if !n.watching.Load() {
		return nil
	}
	note := &searchNote{bulk: n.bulk.Load()}
	if err := tx.QueryRowContext(ctx, "SELECT generation FROM customer_search").Scan(&note.from); err != nil {
		return nil
	}
	return note
}

// endSearchNote finishes the note before tx commits, and before the
// derived rows empty reminder_dirty; nil when the write cannot say what it
// changed, or changed nothing searched.
func (s *Store) endSearchNote(ctx context.Context, tx *sql.Tx, note *searchNote) *searchNote {
	if note == nil || s.search.notes.bulk.Load() != note.bulk {
		return nil
	}
	if err := tx.QueryRowContext(ctx, "SELECT generation FROM customer_search").Scan(&note.to); err != nil || note.to == note.from {
		return nil
	}
	ids, err := idList(ctx, tx, "SELECT customer_id FROM reminder_dirty LIMIT ?", maxPatch+1)
	if err != nil || len(ids) > maxPatch {
		return nil
	}
	note.ids = ids
	return note
}

// add keeps the note of a committed write. Without a search the notes
// would grow for ever: past maxPatch customers they are dropped, and the
// next search reads everyone.
func (n *searchNotes) add(note *searchNote) {
	if note == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.list, n.size = append(n.list, *note), n.size+len(note.ids)
	if n.size > maxPatch {
		n.list, n.size = nil, 0
	}
}

// dropUpTo forgets the notes of writes the index has seen: those that
// ended at gen or before.
func (n *searchNotes) dropUpTo(gen int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dropLocked(gen)
}

func (n *searchNotes) dropLocked(gen int64) {
	n.list = slices.DeleteFunc(n.list, func(note searchNote) bool {
		if note.to <= gen {
			n.size -= len(note.ids)
			return true
		}
		return false
	})
}

// take gives the customers that the writes from generation from to
// generation to changed, each once, when notes account for every one of
// those writes.
func (n *searchNotes) take(from, to int64) ([]ID, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dropLocked(from)
	var ids []ID
	at := from
	for _, note := range n.list {
		if at == to {
			break
		}
		if note.from != at {
			return nil, false // a write nobody noted
		}
		ids, at = append(ids, note.ids...), note.to
	}
	if at != to {
		return nil, false
	}
	slices.Sort(ids)
	return slices.Compact(ids), true
}

// patchSearch brings the index from its generation to gen by reading only
// the customers changed, when the notes say which; ix.mu is held. It says
// false when it did nothing: then everyone must be read again.
func (s *Store) patchSearch(ctx context.Context, gen int64) (bool, error) {
	ix := &s.search
	if !ix.loaded || !ix.plain || gen < ix.generation {
		return false, nil
	}
	ids, ok := ix.notes.take(ix.generation, gen)
	if !ok || len(ix.added)+len(ids) > maxPatch {
		return false, nil
	}
	fresh, ok, err := s.readChangedEntries(ctx, ids)
	if err != nil || !ok {
		return false, err
	}
	for _, id := range ids {
		e, there := fresh[id]
		if k := slices.IndexFunc(ix.added, func(a searchEntry) bool { return a.id == id }); k >= 0 {
			if there && ix.added[k] == e {
				continue
			}
			ix.added = slices.Delete(ix.added, k, k+1)
		} else if i := ix.entryOf(id); i >= 0 && !ix.isDead(i) {
			if there && ix.entries[i] == e {
				continue // changed in another way (a purchase, a note)
			}
			if ix.dead == nil {
				ix.dead = make([]uint64, (len(ix.entries)+63)/64)
			}
			ix.dead[i/64] |= 1 << (i % 64)
		}
		if there {
			k, _ := slices.BinarySearchFunc(ix.added, &e, func(a searchEntry, b *searchEntry) int { return byNameID(&a, b) })
			ix.added = slices.Insert(ix.added, k, e)
		}
	}
	ix.generation = gen
	ix.notes.dropUpTo(gen)
	return true, nil
}

// entryOf is the position of customer id's entry, or -1.
func (ix *customerIndex) entryOf(id ID) int {
	k, found := slices.BinarySearchFunc(ix.byID, id, func(i int32, id ID) int {
		return cmp.Compare(ix.entries[i].id, id)
	})
	if !found {
		return -1
	}
	return int(ix.byID[k])
}

// readChangedEntries reads the entries of the customers ids that are still
// there, lowered as readSearchEntries lowers them. ok is false when a name
// would break plain: a blob, or capitals.
func (s *Store) readChangedEntries(ctx context.Context, ids []ID) (map[ID]searchEntry, bool, error) {
	out := make(map[ID]searchEntry, len(ids))
	if len(ids) == 0 {
		return out, true, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name_fold, email_norm, phone_digits FROM customers WHERE id IN (?"+strings.Repeat(",?", len(ids)-1)+")", args...)
	if err != nil {
		return nil, false, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e searchEntry
		var name any
		if err := rows.Scan(&e.id, &name, &e.email, &e.phone); err != nil {
			return nil, false, s.explain(err)
		}
		v, isText := name.(string)
		if !isText {
			return nil, false, nil
		}
		var b strings.Builder
		b.Grow(len(v) + len(e.email))
		if writeASCIILower(&b, v) {
			return nil, false, nil
		}
		writeASCIILower(&b, e.email)
		lowered := b.String()
		e.name, e.email = lowered[:len(v)], lowered[len(v):]
		out[e.id] = e
	}
	if err := rows.Err(); err != nil {
		return nil, false, s.explain(err)
	}
	return out, true, nil
}
