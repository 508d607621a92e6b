package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// checkSegments compares the Segments screen's kept rows and counts with
// rows worked out afresh from the facts. Rows not in use (not worked out
// yet, or customers waiting to be worked out) are not compared: they are
// worked out again before they are read.
func (s *Store) checkSegments(ctx context.Context) ([]finding, error) {
	if !s.keepDerived.Load() || s.skipDerived {
		return nil, nil
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer tx.Rollback()
	var ok bool
	if err := tx.QueryRowContext(ctx, "SELECT ok AND NOT EXISTS (SELECT 1 FROM segment_dirty) FROM segment_state").Scan(&ok); err != nil || !ok {
		return nil, nil // a schema without them, or rows not in use
	}
	want, err := segFacts(ctx, tx, false)
	if err != nil {
		return nil, s.explain(err)
	}
	have, err := keptSegRows(ctx, tx, false)
	if err != nil {
		return []finding{{3, 0, 0, fmt.Sprintf("the kept rows of the Segments screen cannot be read (%v); any change to a customer works them out again", err)}}, nil
	}
	var found []finding
	for id := range segUnion(want, have) {
		w, h := want[id], have[id]
		if w == nil || h == nil || !w.same(h) {
			found = append(found, finding{3, id, 0, fmt.Sprintf("customer %d: the row the Segments screen keeps does not match the facts", id)})
		}
	}
	// The tag rows go with the kept rows: those of customers found above
	// are reported there already.
	wantTags, haveTags := map[ID][]string{}, map[ID][]string{}
	for id, r := range want {
		for i, t := range r.tagList {
			wantTags[id] = append(wantTags[id], t+"\x00"+r.spellings[i])
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT customer_id, tag, spelling FROM segment_tags")
	if err != nil {
		return nil, s.explain(err)
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var t, spelt string
		if err := r.Scan(&id, &t, &spelt); err != nil {
			return err
		}
		haveTags[id] = append(haveTags[id], t+"\x00"+spelt)
		return nil
	})
	if err != nil {
		return nil, s.explain(err)
	}
	for id := range segUnion(wantTags, haveTags) {
		w, h := wantTags[id], haveTags[id]
		slices.Sort(w)
		slices.Sort(h)
		if !slices.Equal(w, h) {
			found = append(found, finding{3, id, 1, fmt.Sprintf("customer %d: the tags the Segments screen keeps do not match the facts", id)})
		}
	}
	wantCounts := segCounts(want)
	haveCounts := map[segKey]segTally{}
	rows, err = tx.QueryContext(ctx, "SELECT dim, num, txt, dnc, n, email, sms, post FROM segment_counts WHERE n <> 0 OR email <> 0 OR sms <> 0 OR post <> 0")
	if err != nil {
		return nil, s.explain(err)
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var k segKey
		var t segTally
		if err := r.Scan(&k.dim, &k.num, &k.txt, &k.dnc, &t.n, &t.email, &t.sms, &t.post); err != nil {
			return err
		}
		haveCounts[k] = t
		return nil
	})
	if err != nil {
		return nil, s.explain(err)
	}
	bad := 0
	for k := range segUnion(wantCounts, haveCounts) {
		if wantCounts[k] != haveCounts[k] {
			bad++
		}
	}
	if bad > 0 {
		found = append(found, finding{3, 0, 0, fmt.Sprintf("%d counts the Segments screen keeps do not match its rows", bad)})
	}
	return found, nil
}

// segUnion is the keys of a and b.
func segUnion[K comparable, V any](a, b map[K]V) map[K]bool {
	out := make(map[K]bool, len(a))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
