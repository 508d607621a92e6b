package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strings"
)

// Balances for the Loyalty screen and the reports: every customer's from
// the ledger or the summary rows, or a few customers' from the ledger.

// balancesAsOf sums every customer's ledger rows up to day, for the
// customers with ledger rows.
func (s *Store) balancesAsOf(ctx context.Context, day rules.Day) (map[rules.ID]int64, error) {
	out := map[rules.ID]int64{}
	err := s.eachRow(ctx, `SELECT customer_id, SUM(points) FROM ledger WHERE day <= ? GROUP BY customer_id`, []any{day.String()},
		func(r *sql.Rows) error {
			var id, p int64
			if err := r.Scan(&id, &p); err != nil {
				return err
			}
			out[id] = p
			return nil
		})
	return out, err
}

// customerIDs lists every customer's id.
func (s *Store) customerIDs(ctx context.Context) ([]rules.ID, error) {
	ids, err := idList(ctx, s.reader(), "SELECT id FROM customers")
	return ids, s.explain(err)
}

// summaryBalances gives, from the summary rows, the points up to day of the
// customers with no fact dated after it: their balance as the facts stand
// is their balance up to day. The others are for the caller to add up; nil
// means the file has no summary rows.
func (s *Store) summaryBalances(ctx context.Context, day rules.Day) (map[rules.ID]int64, error) {
	if !s.keepSummary.Load() {
		return nil, nil
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT customer_id, balance FROM customer_summary
		WHERE last_fact_day IS NULL OR last_fact_day <= ?`, day.String())
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	out := map[rules.ID]int64{}
	for rows.Next() {
		var id rules.ID
		var b int64
		if err := rows.Scan(&id, &b); err != nil {
			return nil, s.explain(err)
		}
		out[id] = b
	}
	return out, s.explain(rows.Err())
}

// balancesOf sums the ledger rows up to day of the customers in ids, along
// the customer index; customers without rows are left out.
func (s *Store) balancesOf(ctx context.Context, ids []rules.ID, day rules.Day) (map[rules.ID]int64, error) {
	out := map[rules.ID]int64{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		err := s.eachRow(ctx, `SELECT customer_id, SUM(points) FROM ledger WHERE day <= ? AND customer_id IN (?`+
			strings.Repeat(",?", len(part)-1)+`) GROUP BY customer_id`, append([]any{day.String()}, idArgs(part)...),
			func(r *sql.Rows) error {
				var id rules.ID
				var b int64
				if err := r.Scan(&id, &b); err != nil {
					return err
				}
				out[id] = b
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// balancesFor is the points up to day of the customers in ids that have
// ledger rows: from the summary rows where they hold them (kept is
// summaryBalances' answer), from the ledger for the rest, or, when the
// summary rows leave out too many, from the whole ledger. A customer whose
// summary balance is zero may have no ledger rows; the caller must not
// tell them apart.
func (s *Store) balancesFor(ctx context.Context, ids []rules.ID, kept map[rules.ID]int64, day rules.Day) (map[rules.ID]int64, error) {
	var missing []rules.ID
	if kept != nil {
		for _, id := range ids {
			if _, ok := kept[id]; !ok {
				missing = append(missing, id)
			}
		}
	}
	if kept == nil || len(missing) > len(ids)/8+64 {
		return s.balancesAsOf(ctx, day)
	}
	rest, err := s.balancesOf(ctx, missing, day)
	if err != nil {
		return nil, err
	}
	for id, b := range rest {
		kept[id] = b
	}
	return kept, nil
}
