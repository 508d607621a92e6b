package data

import (
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"sort"
	"strings"
	"sync"
)

// The summary row (schema 16): one per customer, what their facts add up to
// as they stand. The write methods note each customer whose dated facts
// they change (touch); Store.tx works those rows out again from the facts
// in the same transaction before it commits, so a row never disagrees with
// the facts of its commit. No trigger is involved, and a failure fails the
// write.

// summarySchema is the first schema with customer_summary.
const summarySchema = 16

// CustomerSummary is a customer's summary row.
type CustomerSummary struct {
	CustomerID     rules.ID
	Balance        int64
	RewardReadyOn  rules.Day // the day a reward became ready, when one is ready now
	LastSaleID     rules.ID
	LastSaleDay    rules.Day
	LastSaleCents  rules.Cents
	LastContactDay rules.Day
	LastFactDay    rules.Day
}

// summaryCols are customer_summary's columns, in CustomerSummary's order.
const summaryCols = "customer_id, balance, reward_ready_on, last_sale_id, last_sale_day, last_sale_cents, last_contact_day, last_fact_day"

// summaryFromFacts is the query that works the summary rows out from the
// facts, in summaryCols' order, for the customers matching where (a
// condition on customer_id starting with AND, or ""). Its first parameter
// is the points a reward needs (0 or less: rewards are off). It is plain
// SQL with window functions: PostgreSQL runs it as it is.
func summaryFromFacts(where string) string {
	return `WITH run AS (
		SELECT customer_id, day, points, kind,
			SUM(points) OVER (PARTITION BY customer_id ORDER BY day, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS bal
		FROM ledger WHERE 1 = 1` + where + `),
	points AS (
		SELECT customer_id, SUM(points) AS balance,
			MAX(CASE WHEN bal >= ?1 AND bal - points < ?1 THEN day END) AS crossed,
			MAX(CASE WHEN kind = 'redeem' AND points < 0 THEN day END) AS redeemed
		FROM run GROUP BY customer_id),
	sale AS (
		SELECT customer_id, id, day, amount_cents,
			ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY day DESC, id DESC) AS n
		FROM purchases WHERE voided = 0 AND amount_cents > 0 AND refund_of IS NULL AND customer_id IS NOT NULL` + where + `),
	contact AS (
		SELECT customer_id, MAX(day) AS day FROM contacts WHERE 1 = 1` + where + ` GROUP BY customer_id),
	fact AS (
		SELECT customer_id, MAX(day) AS day FROM (
			SELECT customer_id, day FROM purchases WHERE voided = 0 AND customer_id IS NOT NULL` + where + `
			UNION ALL SELECT customer_id, day FROM contacts WHERE 1 = 1` + where + `
			UNION ALL SELECT customer_id, day FROM ledger WHERE 1 = 1` + where + `
			UNION ALL SELECT customer_id, made_on FROM promises WHERE 1 = 1` + where + `
			UNION ALL SELECT customer_id, kept_on FROM promises WHERE kept_on IS NOT NULL` + where + `
			UNION ALL SELECT customer_id, received_on FROM complaints WHERE 1 = 1` + where + `
			UNION ALL SELECT customer_id, resolved_on FROM complaints WHERE resolved_on IS NOT NULL` + where + `
		) f GROUP BY customer_id)
	SELECT c.id AS customer_id, COALESCE(p.balance, 0) AS balance,
		CASE WHEN ?1 > 0 AND p.balance >= ?1 AND p.crossed IS NOT NULL AND (p.redeemed IS NULL OR p.redeemed <= p.crossed)
			THEN p.crossed END AS reward_ready_on,
		s.id AS last_sale_id, s.day AS last_sale_day, s.amount_cents AS last_sale_cents,
		k.day AS last_contact_day, f.day AS last_fact_day
	FROM customers c
	LEFT JOIN points p ON p.customer_id = c.id
	LEFT JOIN sale s ON s.customer_id = c.id AND s.n = 1
	LEFT JOIN contact k ON k.customer_id = c.id
	LEFT JOIN fact f ON f.customer_id = c.id
	WHERE 1 = 1` + strings.ReplaceAll(where, "customer_id", "c.id")
}

// touched holds, for each write transaction Store.tx runs, the customers
// whose dated facts it changed.
var touched sync.Map // *sql.Tx -> *touchSet

type touchSet struct {
	mu  sync.Mutex
	ids map[rules.ID]bool
}

// touch notes that tx changed the dated facts of the customers ids (zero
// ids, walk-ins, are left out): their summary rows are computed again
// before tx commits.
func touch(tx *sql.Tx, ids ...rules.ID) {
	v, ok := touched.Load(tx)
	if !ok {
		return // a bulk write works every row out afterwards
	}
	t := v.(*touchSet)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		if id > 0 {
			t.ids[id] = true
		}
	}
}

// startTouching and stopTouching bracket a write transaction of Store.tx.
func startTouching(tx *sql.Tx) { touched.Store(tx, &touchSet{ids: map[rules.ID]bool{}}) }

func stopTouching(tx *sql.Tx) []rules.ID {
	v, ok := touched.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	t := v.(*touchSet)
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]rules.ID, 0, len(t.ids))
	for id := range t.ids {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// rewardPointsOn reads, through q, the points a reward needs under the
// stored scheme.
func rewardPointsOn(ctx context.Context, q querier) (int64, error) {
	var v sql.NullString
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'loyalty'").Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		return 0, err
	}
	l, err := rules.LoyaltyFrom(v.String)
	return l.RewardPoints, err
}

// updateSummaries brings the summary rows up to date inside tx before it
// commits: the rows of the customers ids, or every row when the scheme's
// reward points changed since the rows were computed.
func (s *Store) updateSummaries(ctx context.Context, tx *sql.Tx, ids []rules.ID) error {
	if !s.keepSummary.Load() {
		return nil
	}
	need, err := rewardPointsOn(ctx, tx)
	if err != nil {
		return nil // a damaged scheme is reported by what reads it; the rows stay as they were
	}
	var had int64
	if err := tx.QueryRowContext(ctx, "SELECT reward_points FROM customer_summary_scheme").Scan(&had); err != nil {
		return err
	}
	if had != need || len(ids) > 5000 {
		return rebuildSummaries(ctx, tx, need)
	}
	return inBatches(ids, func(part []rules.ID) error {
		in := " AND customer_id IN (" + idListSQL(part) + ")"
		if _, err := tx.ExecContext(ctx, "DELETE FROM customer_summary WHERE 1 = 1"+in); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO customer_summary("+summaryCols+") "+summaryFromFacts(in), need); err != nil {
			return fmt.Errorf("the customers' summary could not be computed: %w", err)
		}
		return nil
	})
}

// rebuildSummaries works every summary row out again from the facts.
func rebuildSummaries(ctx context.Context, tx *sql.Tx, need int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM customer_summary"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO customer_summary("+summaryCols+") "+summaryFromFacts(""), need); err != nil {
		return fmt.Errorf("the customers' summary could not be computed: %w", err)
	}
	_, err := tx.ExecContext(ctx, "UPDATE customer_summary_scheme SET reward_points = ?", need)
	return err
}

// idListSQL writes ids as a list of SQL integers: they are numbers the store
// made, so no text reaches the SQL.
func idListSQL(ids []rules.ID) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", id)
	}
	return b.String()
}

// summaryFindings compares every summary row with what the facts make of
// it, in one query: a row missing, left over, or different is a finding.
func summaryFindings(ctx context.Context, q querier) ([]finding, error) {
	return summaryFindingsOn(ctx, q, onSQLite)
}

// summaryFindingsOn is summaryFindings on the engine d.
func summaryFindingsOn(ctx context.Context, q querier, d dialect) ([]finding, error) {
	var n int
	if err := q.QueryRowContext(ctx, d.tableCount("customer_summary")).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	need, err := rewardPointsOn(ctx, q)
	if err != nil {
		return nil, nil // the file check reports a damaged scheme
	}
	var had int64
	if err := q.QueryRowContext(ctx, "SELECT reward_points FROM customer_summary_scheme").Scan(&had); err != nil {
		return nil, err
	}
	if had != need {
		return []finding{{3, 0, 0, fmt.Sprintf("the customers' summary rows were computed for rewards of %d points, not %d; the next change in the shop works them out again", had, need)}}, nil
	}
	rows, err := q.QueryContext(ctx, `WITH want AS (`+summaryFromFacts("")+`)
		SELECT COALESCE(w.customer_id, h.customer_id), w.customer_id IS NULL, h.customer_id IS NULL
		FROM want w FULL JOIN customer_summary h ON h.customer_id = w.customer_id
		WHERE w.customer_id IS NULL OR h.customer_id IS NULL
			OR h.balance <> w.balance
			OR h.reward_ready_on IS DISTINCT FROM w.reward_ready_on OR h.last_sale_id IS DISTINCT FROM w.last_sale_id
			OR h.last_sale_day IS DISTINCT FROM w.last_sale_day OR h.last_sale_cents IS DISTINCT FROM w.last_sale_cents
			OR h.last_contact_day IS DISTINCT FROM w.last_contact_day OR h.last_fact_day IS DISTINCT FROM w.last_fact_day
		ORDER BY 1`, need)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []finding
	for rows.Next() {
		var id rules.ID
		var gone, missing bool
		if err := rows.Scan(&id, &gone, &missing); err != nil {
			return nil, err
		}
		what := fmt.Sprintf("customer %d: the summary row (balance, reward, latest sale and contact) does not match the facts; any change to the customer works it out again", id)
		switch {
		case gone:
			what = fmt.Sprintf("customer %d has a summary row but is not in the shop", id)
		case missing:
			what = fmt.Sprintf("customer %d has no summary row; any change to the customer makes it", id)
		}
		out = append(out, finding{3, id, 0, what})
	}
	return out, rows.Err()
}

// summaries reads the summary rows of every customer, through q, in
// increasing customer order; size is how many there may be.
func summaries(ctx context.Context, q querier, size int) ([]CustomerSummary, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+summaryCols+" FROM customer_summary ORDER BY customer_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]CustomerSummary, 0, size)
	var reward, saleDay, contact, last sql.RawBytes
	for rows.Next() {
		var c CustomerSummary
		var sale, cents sql.NullInt64
		if err := rows.Scan(&c.CustomerID, &c.Balance, &reward, &sale, &saleDay, &cents, &contact, &last); err != nil {
			return nil, err
		}
		c.RewardReadyOn, c.LastSaleID, c.LastSaleDay, c.LastSaleCents = dayFromBytes(reward), sale.Int64, dayFromBytes(saleDay), rules.Cents(cents.Int64)
		c.LastContactDay, c.LastFactDay = dayFromBytes(contact), dayFromBytes(last)
		out = append(out, c)
	}
	return out, rows.Err()
}

// startSummary turns the summary rows on once the schema has them, and
// works them all out when they were made under another scheme or never.
func (s *Store) startSummary(ctx context.Context) error {
	s.keepSummary.Store(true)
	need, err := rewardPointsOn(ctx, s.w)
	if err != nil {
		return nil // a damaged scheme is reported by what reads it
	}
	var had int64
	if err := s.w.QueryRowContext(ctx, "SELECT reward_points FROM customer_summary_scheme").Scan(&had); err != nil {
		return s.explain(err)
	}
	if had == need {
		return nil
	}
	return s.tx(ctx, func(*sql.Tx) error { return nil })
}

// rebuildSummariesOf works every summary row out again inside tx under the
// stored scheme, after a bulk write that noted no customer.
func (s *Store) rebuildSummariesOf(ctx context.Context, tx *sql.Tx) error {
	if !s.keepSummary.Load() {
		return nil
	}
	need, err := rewardPointsOn(ctx, tx)
	if err != nil {
		return nil // a damaged scheme is reported by what reads it
	}
	return rebuildSummaries(ctx, tx, need)
}
