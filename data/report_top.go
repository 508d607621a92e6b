package data

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
)

// Sums by customer. SQLite adds up a GROUP BY along an index that gives the
// groups in order, or else sorts every row first. Without an index that
// also holds the summed columns it picks the customer index and looks every
// row up in the table, which is slower than either; so the sums below read
// the table in storage order unless such an index is there.
const (
	// purchases(customer_id, day, voided, amount_cents, discount_cents)
	spendIndex = "purchases_customer_spend"
	// ledger(customer_id, day, points)
	pointsIndex = "ledger_customer_points"
)

// hasIndex reports whether the database has the index called name.
func (s *Store) hasIndex(ctx context.Context, name string) bool {
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?", name).Scan(&n)
	return err == nil && n > 0
}

// topCustomers lists the n customers who spent most up to today.
func (s *Store) topCustomers(ctx context.Context, n int) ([]TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	from := "purchases NOT INDEXED"
	if s.hasIndex(ctx, spendIndex) {
		from = "purchases"
	}
	var out []TopCustomer
	err := s.eachRow(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents) AS spent,
		COUNT(CASE WHEN amount_cents > 0 THEN 1 END)
		FROM `+from+` WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ?
		GROUP BY customer_id ORDER BY spent DESC, customer_id LIMIT ?`, []any{s.Today().String(), n},
		func(r *sql.Rows) error {
			var t TopCustomer
			if err := r.Scan(&t.Customer.ID, &t.Spent, &t.Visits); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, s.fillTop(ctx, out, nil)
}

// fillTop reads each top customer's details and, unless balance gives
// them, their points up to today.
func (s *Store) fillTop(ctx context.Context, out []TopCustomer, balance func(ID) int64) error {
	for i := range out {
		c, err := s.Customer(ctx, out[i].Customer.ID)
		if err != nil {
			return err
		}
		out[i].Customer = c
		if balance != nil {
			out[i].Balance = balance(c.ID)
		} else if out[i].Balance, err = s.Balance(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// topFrom is topCustomers from facts read as of today.
func (s *Store) topFrom(ctx context.Context, rf *reportFacts, n int) ([]TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	var slots []int32
	for sl, has := range rf.hasLine {
		if has {
			slots = append(slots, int32(sl))
		}
	}
	slices.SortFunc(slots, func(a, b int32) int {
		return cmp.Or(cmp.Compare(rf.spent[b], rf.spent[a]), cmpID(rf.slots.ids[a], rf.slots.ids[b]))
	})
	var out []TopCustomer
	for _, sl := range slots[:min(n, len(slots))] {
		out = append(out, TopCustomer{Customer: Customer{ID: rf.slots.ids[sl]}, Spent: rf.spent[sl], Visits: int(rf.visits[sl])})
	}
	return out, s.fillTop(ctx, out, func(id ID) int64 {
		sl, _ := rf.slots.get(id)
		return rf.balance[sl]
	})
}
