package data

import (
	"cmp"
	"context"
	"slices"
)

// topCustomers lists the n customers who spent most up to today.
func (s *Store) topCustomers(ctx context.Context, n int) ([]TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	spent, visits, err := s.spendAsOf(ctx, s.Today())
	if err != nil {
		return nil, err
	}
	all := make([]TopCustomer, 0, len(visits))
	for id, v := range visits {
		all = append(all, TopCustomer{Customer: Customer{ID: id}, Spent: spent[id], Visits: v})
	}
	slices.SortFunc(all, func(a, b TopCustomer) int {
		return cmp.Or(cmp.Compare(b.Spent, a.Spent), cmpID(a.Customer.ID, b.Customer.ID))
	})
	out := all[:min(n, len(all)):min(n, len(all))]
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
