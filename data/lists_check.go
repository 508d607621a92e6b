package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// checkLists compares the kept Today and Upcoming lists, row by row and
// count by count, with the lists worked out afresh for their day. Lists
// that are not in use (another day, other settings, customers waiting to be
// worked out) are not compared: they are worked out again before they are
// read.
func (s *Store) checkLists(ctx context.Context) ([]finding, error) {
	if !s.keepLists.Load() || s.skipDerived {
		return nil, nil
	}
	// One read transaction: the kept rows and the facts of one commit.
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer tx.Rollback()
	var day Day
	var usable bool
	err = tx.QueryRowContext(ctx, `SELECT list_day, fingerprint <> '' AND NOT EXISTS (SELECT 1 FROM reminder_dirty)
		AND list_settings IS ? || `+listSettingsSQL+` FROM reminder_cache`, listsVersion).Scan(&day, &usable)
	if err != nil {
		return nil, s.explain(err)
	}
	if !usable || day == 0 {
		return nil, nil
	}
	var found []finding
	for _, l := range []struct {
		list int
		name string
		days int
	}{{listToday, "Today", 0}, {listUpcoming, "Upcoming", upcomingDays}} {
		want, err := s.cutPage(ctx, l.list, day, l.days, false, 0, 1<<40)
		if err != nil {
			return nil, err
		}
		wantRows := derivedRows{}
		for i := range want.Rows {
			wantRows.add(want.Rows[i].CustomerID, string(packListRow(&want.Rows[i])))
		}
		haveRows := derivedRows{}
		rows, err := tx.QueryContext(ctx, "SELECT customer_id, data FROM reminder_lists WHERE list = ?", l.list)
		if err != nil {
			return nil, s.explain(err)
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var id ID
			var b []byte
			if err := r.Scan(&id, &b); err != nil {
				return err
			}
			haveRows.add(id, string(b))
			return nil
		})
		if err != nil {
			return nil, s.explain(err)
		}
		for id := range union(wantRows, haveRows) {
			w, h := wantRows[id], haveRows[id]
			slices.Sort(w)
			slices.Sort(h)
			if !slices.Equal(w, h) {
				found = append(found, finding{3, id, 0, fmt.Sprintf("customer %d: the %s list kept for %s does not match the facts (%d rows kept, %d expected); any change to the customer works it out again",
					id, l.name, day, len(h), len(w))})
			}
		}
		wantCounts := listCounts{l.list, map[listCount]int{}}
		for i := range want.Rows {
			wantCounts.add(&want.Rows[i], 1)
		}
		haveCounts := listCounts{l.list, map[listCount]int{}}
		rows, err = tx.QueryContext(ctx, "SELECT grp, kind, n FROM reminder_list_counts WHERE list = ? AND n <> 0", l.list)
		if err != nil {
			return nil, s.explain(err)
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var c listCount
			var n int
			if err := r.Scan(&c.class, &c.kind, &n); err != nil {
				return err
			}
			haveCounts.n[c] += n
			return nil
		})
		if err != nil {
			return nil, s.explain(err)
		}
		for c, n := range wantCounts.n {
			if n == 0 {
				delete(wantCounts.n, c)
			}
		}
		if fmt.Sprint(wantCounts.n) != fmt.Sprint(haveCounts.n) {
			found = append(found, finding{3, 0, 0, fmt.Sprintf("the counts of the %s list kept for %s do not match its reminders; the next day or change of settings works them out again", l.name, day)})
		}
	}
	return found, nil
}
