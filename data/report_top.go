package data

import (
	"cmp"
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"strings"
)

// topCustomers lists the n customers who spent most up to today.
func (s *Store) topCustomers(ctx context.Context, n int) ([]rules.TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	sp, err := s.spendAsOf(ctx, s.Today())
	if err != nil {
		return nil, err
	}
	type spender struct {
		id     rules.ID
		spent  rules.Cents
		visits int
	}
	var all []spender
	sp.each(func(id rules.ID, spent rules.Cents, visits int) { all = append(all, spender{id, spent, visits}) })
	slices.SortFunc(all, func(a, b spender) int { return cmp.Or(cmp.Compare(b.spent, a.spent), cmpID(a.id, b.id)) })
	var out []rules.TopCustomer
	for _, t := range all[:min(n, len(all))] {
		out = append(out, rules.TopCustomer{Customer: rules.Customer{ID: t.id}, Spent: t.spent, Visits: t.visits})
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
	byID := map[rules.ID]rules.Customer{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := idArgs(ids[start:min(start+batch, len(ids))])
		in := " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		cs, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE id"+in, part...)
		if err != nil {
			return err
		}
		for _, c := range cs {
			byID[c.ID] = c
		}
		err = s.eachRow(ctx, "SELECT customer_id, channel, given_on, source FROM consents WHERE customer_id"+in+" ORDER BY customer_id, channel", part,
			func(r *sql.Rows) error {
				var id rules.ID
				var k rules.Consent
				var given sql.NullString
				if err := r.Scan(&id, &k.Channel, &given, &k.Source); err != nil {
					return err
				}
				k.GivenOn = scanDay(given)
				c := byID[id]
				c.Consents = append(c.Consents, k)
				byID[id] = c
				return nil
			})
		if err != nil {
			return err
		}
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
