package data

import (
	"context"
	"fmt"
	"sort"
)

// Problem is one thing `check` found wrong, as a sentence naming the row or
// customer.
type Problem struct {
	What string
}

// finding orders problems: the file first, then purchases, then the
// ledger by customer and row.
type finding struct {
	part int
	cust ID
	row  ID
	what string
}

// Check verifies the database file (integrity and foreign keys) and every
// ledger invariant of the product: the running balance never goes below
// zero, earn rows match their purchases, refund reversals match their
// refunds, redeem rows belong to sales and match their discount,
// adjustments carry a reason, expiry never takes more than was earned, and
// every row names a staff member. Dates are not limited to today: the
// whole file is checked.
func (s *Store) Check(ctx context.Context) ([]Problem, error) {
	return s.check(ctx, true)
}

// check runs the file check (the full integrity_check and the foreign keys,
// or at start-up the cheaper quick_check alone) and the ledger invariants.
func (s *Store) check(ctx context.Context, full bool) ([]Problem, error) {
	var found []finding
	add := func(part int, cust, row ID, format string, args ...any) {
		found = append(found, finding{part, cust, row, fmt.Sprintf(format, args...)})
	}
	db := s.reader()

	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	msgs, err := pragmaLines(ctx, db, pragma)
	if err != nil {
		return nil, s.explain(err)
	}
	for _, m := range msgs {
		if m != "ok" {
			add(0, 0, 0, "the database file is damaged: %s", oneLine(m))
		}
	}
	schema, err := s.schemaFindings(ctx, db)
	if err != nil {
		return nil, s.explain(err)
	}
	for _, p := range schema {
		add(0, 0, 0, "%s", p)
	}
	if !full && len(found) > 0 {
		// The rows of a damaged file cannot be trusted; say so alone.
		return []Problem{{What: found[0].what}}, nil
	}
	if full {
		fk, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return nil, s.explain(err)
		}
		for fk.Next() {
			var table, parent string
			var rowid, fkid any
			if err := fk.Scan(&table, &rowid, &parent, &fkid); err != nil {
				fk.Close()
				return nil, err
			}
			add(0, 0, 0, "%s row %v refers to a %s row that does not exist", table, rowid, parent)
		}
		fk.Close()
		if err := fk.Err(); err != nil {
			return nil, s.explain(err)
		}
	}

	l, err := s.Loyalty(ctx)
	if err == nil {
		err = l.Validate()
	}
	if err != nil {
		add(0, 0, 0, "the loyalty scheme is not usable (%v); points were checked against the default scheme", err)
		l = DefaultLoyalty()
	}
	history, err := s.loyaltyHistory(ctx)
	if err != nil {
		add(0, 0, 0, "%v", err)
	}

	ledger, err := s.checkLedger(ctx, db, l, history)
	if err != nil {
		return nil, err
	}
	found = append(found, ledger...)

	if full {
		// The kept reminder rows are derived: not worth holding the start up.
		derived, err := s.checkDerived(ctx)
		if err != nil {
			return nil, err
		}
		found = append(found, derived...)
		lists, err := s.checkLists(ctx)
		if err != nil {
			return nil, err
		}
		found = append(found, lists...)
	}

	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.part != b.part {
			return a.part < b.part
		}
		if a.cust != b.cust {
			return a.cust < b.cust
		}
		if a.row != b.row {
			return a.row < b.row
		}
		return a.what < b.what
	})
	out := make([]Problem, 0, len(found))
	for _, f := range found {
		out = append(out, Problem{What: f.what})
	}
	return out, nil
}

func customerPhrase(customerID ID) string {
	if customerID == 0 {
		return "a walk-in"
	}
	return fmt.Sprintf("customer %d", customerID)
}

func pragmaLines(ctx context.Context, q querier, pragma string) ([]string, error) {
	rows, err := q.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
