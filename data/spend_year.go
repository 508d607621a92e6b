package data

import (
	"context"
	"regulars/rules"
	"strings"
)

// YearSpend is what each of the customers ids paid over the year up to d
// (the 365 or 366 days after the same date a year before, d included):
// as everywhere else, the amount less any reward taken off, refunds
// subtracting and voided lines left out. Customers who paid nothing in
// that year are missing from the map.
func (s *Store) YearSpend(ctx context.Context, d rules.Day, ids []rules.ID) (map[rules.ID]rules.Cents, error) {
	out := make(map[rules.ID]rules.Cents, len(ids))
	from, to := d.AddYears(-1).String(), d.String()
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, 0, len(part)+2)
		for _, id := range part {
			args = append(args, id)
		}
		args = append(args, from, to)
		rows, err := s.reader().QueryContext(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents) FROM purchases
			WHERE customer_id IN (?`+strings.Repeat(",?", len(part)-1)+`) AND voided = 0 AND day > ? AND day <= ?
			GROUP BY customer_id`, args...)
		if err != nil {
			return nil, s.explain(err)
		}
		for rows.Next() {
			var id rules.ID
			var c rules.Cents
			if err := rows.Scan(&id, &c); err != nil {
				rows.Close()
				return nil, s.explain(err)
			}
			out[id] = c
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, s.explain(err)
		}
	}
	return out, nil
}
