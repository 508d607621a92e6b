package data

import (
	"cmp"
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
)

// topCustomers lists the n customers who spent most up to today.
func (s *Store) topCustomers(ctx context.Context, n int) ([]rules.TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []rules.TopCustomer
	err := s.eachRow(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents) AS spent, COUNT(CASE WHEN amount_cents > 0 THEN 1 END)
		FROM purchases WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ?
		GROUP BY customer_id ORDER BY spent DESC, customer_id LIMIT ?`, []any{s.Today().String(), n},
		func(r *sql.Rows) error {
			var id, spent, visits int64
			if err := r.Scan(&id, &spent, &visits); err != nil {
				return err
			}
			out = append(out, rules.TopCustomer{Customer: rules.Customer{ID: id}, Spent: rules.Cents(spent), Visits: int(visits)})
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, s.fillTop(ctx, out, nil)
}

// fillTop reads each top customer's details as Customer does and, unless
// balance gives them, their points up to today, a few statements for all.
func (s *Store) fillTop(ctx context.Context, out []rules.TopCustomer, balance func(rules.ID) int64) error {
	ids := make([]rules.ID, len(out))
	for i := range out {
		ids[i] = out[i].Customer.ID
	}
	byID, err := customersByID(ctx, s.reader(), ids)
	if err != nil {
		return s.explain(err)
	}
	if balance == nil {
		sums, err := s.balancesOf(ctx, ids, s.Today())
		if err != nil {
			return err
		}
		balance = func(id rules.ID) int64 { return sums[id] }
	}
	for i := range out {
		c, ok := byID[out[i].Customer.ID]
		if !ok {
			// Not there a moment ago: ask again, which says so.
			var err error
			if c, err = s.Customer(ctx, out[i].Customer.ID); err != nil {
				return err
			}
		}
		out[i].Customer, out[i].Balance = c, balance(c.ID)
	}
	return nil
}

// topFrom is topCustomers from facts read as of today.
func (s *Store) topFrom(ctx context.Context, rf *reportFacts, n int) ([]rules.TopCustomer, error) {
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
	var out []rules.TopCustomer
	for _, sl := range slots[:min(n, len(slots))] {
		out = append(out, rules.TopCustomer{Customer: rules.Customer{ID: rf.slots.ids[sl]}, Spent: rf.spent[sl], Visits: int(rf.visits[sl])})
	}
	return out, s.fillTop(ctx, out, func(id rules.ID) int64 {
		sl, _ := rf.slots.get(id)
		return rf.balance[sl]
	})
}
