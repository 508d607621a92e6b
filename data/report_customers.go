package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"strings"
)

// Whole-shop reads for the Loyalty screen and the reports (see
// table_rows.go): the customers, every balance, every customer's spend.

// balancesAsOf sums every customer's ledger rows up to day, for the
// customers with ledger rows.
func (s *Store) balancesAsOf(ctx context.Context, day rules.Day) (map[rules.ID]int64, error) {
	out := map[rules.ID]int64{}
	sum := func(r *sql.Rows, _ *sql.RawBytes) error {
		var id, p int64
		if err := r.Scan(&id, &p); err != nil {
			return err
		}
		out[id] += p
		return nil
	}
	if s.covered(ctx, "ledger", "customer_id", "day", "points") {
		err := s.scanEach(ctx, `SELECT customer_id, SUM(points) FROM ledger WHERE day <= ? GROUP BY customer_id`, []any{day.String()}, sum)
		return out, err
	}
	err := s.eachTableRow(ctx, tableQuery{table: "ledger", cols: "customer_id, points", where: "day <= ?", args: []any{day.String()}}, sum)
	return out, err
}

// customerIDs lists every customer's id.
func (s *Store) customerIDs(ctx context.Context) ([]rules.ID, error) {
	ids, err := idList(ctx, s.reader(), "SELECT id FROM customers")
	return ids, s.explain(err)
}

// spending is what each customer paid, less discounts, and how many sales
// they made: by id in slices for the customers' ids, which are small, and
// in maps for any other.
type spending struct {
	spent  []rules.Cents
	visits []int32
	has    []bool
	other  map[rules.ID]*rules.TopCustomer
}

func (sp *spending) add(id rules.ID, spent rules.Cents, visits int) {
	if id > 0 && id < rules.ID(len(sp.has)) {
		sp.spent[id] += spent
		sp.visits[id] += int32(visits)
		sp.has[id] = true
		return
	}
	t := sp.other[id]
	if t == nil {
		t = &rules.TopCustomer{Customer: rules.Customer{ID: id}}
		sp.other[id] = t
	}
	t.Spent += spent
	t.Visits += visits
}

// each calls fn for every customer with a purchase line, in no order.
func (sp *spending) each(fn func(id rules.ID, spent rules.Cents, visits int)) {
	for id, has := range sp.has {
		if has {
			fn(rules.ID(id), sp.spent[id], int(sp.visits[id]))
		}
	}
	for id, t := range sp.other {
		fn(id, t.Spent, t.Visits)
	}
}

// spendAsOf is what each customer paid up to day, less discounts, and how
// many sales they made; voided lines do not count.
func (s *Store) spendAsOf(ctx context.Context, day rules.Day) (*spending, error) {
	var top sql.NullInt64
	if err := s.reader().QueryRowContext(ctx, "SELECT max(id) FROM customers").Scan(&top); err != nil {
		return nil, s.explain(err)
	}
	size := max(top.Int64+1, 0)
	if size > 1<<24 {
		size = 0 // ids this large are not numbered densely
	}
	sp := &spending{spent: make([]rules.Cents, size), visits: make([]int32, size), has: make([]bool, size), other: map[rules.ID]*rules.TopCustomer{}}
	if s.covered(ctx, "purchases", "customer_id", "day", "voided", "amount_cents", "discount_cents") {
		err := s.scanEach(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents), COUNT(CASE WHEN amount_cents > 0 THEN 1 END)
			FROM purchases WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ? GROUP BY customer_id`, []any{day.String()},
			func(r *sql.Rows, _ *sql.RawBytes) error {
				var id, spent, visits int64
				if err := r.Scan(&id, &spent, &visits); err != nil {
					return err
				}
				sp.add(id, rules.Cents(spent), int(visits))
				return nil
			})
		return sp, err
	}
	err := s.eachTableRow(ctx, tableQuery{table: "purchases", cols: "customer_id, amount_cents, discount_cents",
		where: "customer_id IS NOT NULL AND voided = 0 AND day <= ?", args: []any{day.String()}},
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var id, amount, discount int64
			if err := r.Scan(&id, &amount, &discount); err != nil {
				return err
			}
			sp.add(id, rules.Cents(amount-discount), boolInt(amount > 0))
			return nil
		})
	return sp, err
}

// Sums by customer. SQLite adds a GROUP BY up along an index that gives
// the groups in order, or else sorts every row first; without an index
// that also holds the summed columns it follows the customer index and
// looks every row up, slower than either. So the sums are taken in SQL
// only where such an index is there; elsewhere Go adds the rows up.

// covered reports whether table has a full index led by lead that holds
// every column of cols.
func (s *Store) covered(ctx context.Context, table, lead string, cols ...string) bool {
	idx, err := s.reader().QueryContext(ctx, "SELECT name FROM pragma_index_list(?) WHERE partial = 0", table)
	if err != nil {
		return false
	}
	var names []string
	for idx.Next() {
		var n string
		if idx.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	idx.Close()
	for _, n := range names {
		var have []string
		rows, err := s.reader().QueryContext(ctx, "SELECT ifnull(name, '') FROM pragma_index_info(?) ORDER BY seqno", n)
		if err != nil {
			return false
		}
		for rows.Next() {
			var c string
			if rows.Scan(&c) == nil {
				have = append(have, c)
			}
		}
		rows.Close()
		if len(have) > 0 && have[0] == lead && !slices.ContainsFunc(cols, func(c string) bool { return !slices.Contains(have, c) }) {
			return true
		}
	}
	return false
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
