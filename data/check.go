package data

import (
	"context"
	"fmt"
	"regulars/rules"
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
	cust rules.ID
	row  rules.ID
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

// check runs the file check (integrity_check over every page, the schema
// and the foreign keys: fileFindings) and the ledger invariants, streaming
// (checkLedger), and the summary rows. full reports every finding
// (regulars check); without it a damaged file's first problem is reported
// alone, as the window's start-up check does.
func (s *Store) check(ctx context.Context, full bool) ([]Problem, error) {
	var found []finding
	db := s.reader()
	if s.dialect == onPostgres {
		return s.checkOnPostgres(ctx)
	}

	file, damaged, err := s.fileFindings(ctx, db)
	if err != nil {
		return nil, err
	}
	found = append(found, file...)
	if !full && len(found) > 0 {
		// The rows of a damaged file cannot be trusted; say so alone.
		return []Problem{{What: found[0].what}}, nil
	}
	if damaged {
		// Nor are they worth reading to the end, which the damage may stop:
		// the file's problems are the ones to act on (restore a backup).
		return problemsOf(found), nil
	}

	ledger, err := s.ledgerFindings(ctx, db)
	if err != nil {
		return nil, err
	}
	found = append(found, ledger...)

	summary, err := summaryFindings(ctx, db)
	if err != nil {
		return nil, s.explain(err)
	}
	found = append(found, summary...)

	return problemsOf(found), nil
}

// problemsOf puts findings in order: the file first, then purchases, then
// the ledger, each by customer and row.
func problemsOf(found []finding) []Problem {
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
	return out
}

func customerPhrase(customerID rules.ID) string {
	if customerID == 0 {
		return "a walk-in"
	}
	return fmt.Sprintf("customer %d", customerID)
}
