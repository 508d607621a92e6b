package data

import (
	"context"
	"database/sql"
	"regulars/rules"
)

// YearSpend is what each of the customers ids paid over the year up to d
// (the 365 or 366 days after the same date a year before, d included):
// as everywhere else, the amount less any reward taken off, refunds
// subtracting and voided lines left out. Customers who paid nothing in
// that year are missing from the map.
func (s *Store) YearSpend(ctx context.Context, d rules.Day, ids []rules.ID) (map[rules.ID]rules.Cents, error) {
	out := make(map[rules.ID]rules.Cents, len(ids))
	from, to := d.AddYears(-1).String(), d.String()
	return out, inBatches(ids, func(part []rules.ID) error {
		return s.eachRow(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents) FROM purchases
			WHERE customer_id IN (`+marks(len(part))+`) AND voided = 0 AND day > ? AND day <= ?
			GROUP BY customer_id`, append(idArgs(part), from, to), func(r *sql.Rows) error {
			var id rules.ID
			var c rules.Cents
			err := r.Scan(&id, &c)
			out[id] = c
			return err
		})
	})
}
