package data

import (
	"context"
	"fmt"
	"math"
	"regulars/rules"
	"strconv"
	"strings"
)

// CustomerSort is an order the customer list can be read in.
type CustomerSort string

const (
	SortByName      CustomerSort = "name"       // by name, then id
	SortByLastVisit CustomerSort = "last_visit" // latest sale first; never seen last
	SortBySpend     CustomerSort = "spend"      // most spent first
	SortByPoints    CustomerSort = "points"     // highest balance first
)

// CustomerSorts are the orders the list offers, in the order it offers them.
var CustomerSorts = []CustomerSort{SortByName, SortByLastVisit, SortBySpend, SortByPoints}

// CustomerRow is one line of the customer list: who, and their figures as
// of today.
type CustomerRow struct {
	ID           rules.ID
	Name         string
	Phone        string
	Email        string
	DoNotContact bool
	LastVisit    rules.Day   // the latest sale not voided; zero when none
	Spent        rules.Cents // paid, less refunds, voided sales left out
	Points       int64       // the balance
}

// CustomerListQuery is which customers the list shows and in what order:
// those whose name, phone or email holds Search (all when empty), in Sort's
// order. With a search, the name order puts the names that start with the
// text first, as SearchCustomers does.
type CustomerListQuery struct {
	Search string
	Sort   CustomerSort
}

// CustomerList is the list's rows from offset on, at most limit of them,
// and how many rows the whole list has. The figures are as of today.
//
// By name, a page is read along the index on name_fold (OFFSET steps
// through the index, not the table). The other orders need every
// customer's figure before the first row is known: one pass over the
// covering index purchases_customer (last visit, spend) or ledger_points
// (points), grouped by customer in index order, then a sort of those
// figures; at 50,000 customers and 580,000 sales about 60–70 ms of CPU.
// With a search, only the customers found are read, each through the
// index.
func (s *Store) CustomerList(ctx context.Context, q CustomerListQuery, offset, limit int) ([]CustomerRow, int, error) {
	if limit <= 0 {
		limit = 100
	}
	offset = max(offset, 0)
	today := s.Today().String()
	text := strings.ToLower(strings.TrimSpace(q.Search))
	var ids []rules.ID
	var total int
	switch {
	case text != "":
		found, err := s.searchIDs(ctx, text, math.MaxInt)
		if err != nil {
			return nil, 0, err
		}
		total = len(found)
		if offset >= total {
			return nil, total, nil
		}
		if q.Sort == SortByName || q.Sort == "" {
			ids = found[offset:min(total, offset+limit)]
			break
		}
		ids, err = s.sortedIDs(ctx, q.Sort, today, found, offset, limit)
		if err != nil {
			return nil, 0, err
		}
	default:
		var err error
		if total, err = s.CountCustomers(ctx); err != nil {
			return nil, 0, err
		}
		if offset >= total {
			return nil, total, nil
		}
		if ids, err = s.sortedIDs(ctx, q.Sort, today, nil, offset, limit); err != nil {
			return nil, 0, err
		}
	}
	rows, err := s.customerRows(ctx, ids, today)
	return rows, total, err
}

// nameOrderSQL is a page of ids by name: ?1 is the limit, ?2 the offset.
const nameOrderSQL = `SELECT id FROM customers ORDER BY name_fold, id LIMIT ?1 OFFSET ?2`

// listFigure is how the figure of a sort is read: an aggregate of the rows
// of a table that picks (with ?1, today).
type listFigure struct{ table, picks, aggregate string }

var listFigures = map[CustomerSort]listFigure{
	SortByLastVisit: {"purchases", "day <= ?1 AND voided = 0 AND amount_cents > 0", "max(day)"},
	SortBySpend:     {"purchases", "day <= ?1 AND voided = 0", "sum(amount_cents - discount_cents)"},
	SortByPoints:    {"ledger", "day <= ?1", "sum(points)"},
}

// The statements of a figure's order. Those who have the figure come
// first, highest first (by id on a tie), read by one pass grouped by
// customer over a covering index (purchases_customer, ledger_points) and
// a sort; then those who have none, by name. ?2 is the limit, ?3 the
// offset; among, ?4 is a JSON list of the ids to order.
func (f listFigure) holdersSQL() string {
	return `SELECT customer_id FROM ` + f.table + ` WHERE customer_id IS NOT NULL AND ` + f.picks + `
		GROUP BY customer_id ORDER BY ` + f.aggregate + ` DESC, customer_id LIMIT ?2 OFFSET ?3`
}

func (f listFigure) holdersCountSQL() string {
	return `SELECT count(DISTINCT customer_id) FROM ` + f.table + ` WHERE customer_id IS NOT NULL AND ` + f.picks
}

func (f listFigure) othersSQL() string {
	return `SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM ` + f.table + ` x WHERE x.customer_id = c.id AND ` + f.picks + `)
		ORDER BY c.name_fold, c.id LIMIT ?2 OFFSET ?3`
}

func (f listFigure) amongSQL() string {
	return `WITH m AS MATERIALIZED (SELECT c.id, c.name_fold AS name,
			(SELECT ` + f.aggregate + ` FROM ` + f.table + ` x WHERE x.customer_id = c.id AND ` + f.picks + `) AS v
			FROM customers c WHERE c.id IN (SELECT value FROM json_each(?4)))
		SELECT id FROM m ORDER BY v IS NULL, v DESC, CASE WHEN v IS NULL THEN name END, id LIMIT ?2 OFFSET ?3`
}

// sortedIDs is one page of ids in sort's order: of every customer, or of
// those in among (when not nil).
func (s *Store) sortedIDs(ctx context.Context, sort CustomerSort, today string, among []rules.ID, offset, limit int) ([]rules.ID, error) {
	if sort == "" || sort == SortByName {
		return s.listIDs(ctx, nameOrderSQL, limit, offset)
	}
	f, ok := listFigures[sort]
	if !ok {
		return nil, fmt.Errorf("the customer list cannot be sorted by %q", sort)
	}
	if among != nil {
		return s.listIDs(ctx, f.amongSQL(), today, limit, offset, jsonIDs(among))
	}
	ids, err := s.listIDs(ctx, f.holdersSQL(), today, limit, offset)
	if err != nil || len(ids) == limit {
		return ids, err
	}
	// The page runs past those with the figure: the rest are those without.
	holders := offset + len(ids)
	if len(ids) == 0 {
		if err := s.reader().QueryRowContext(ctx, f.holdersCountSQL(), today).Scan(&holders); err != nil {
			return nil, s.explain(err)
		}
	}
	more, err := s.listIDs(ctx, f.othersSQL(), today, limit-len(ids), max(offset-holders, 0))
	return append(ids, more...), err
}

// listIDs runs one of the list's statements.
func (s *Store) listIDs(ctx context.Context, q string, args ...any) ([]rules.ID, error) {
	ids, err := idList(ctx, s.reader(), q, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	return ids, nil
}

// jsonIDs is ids as a JSON list, for json_each.
func jsonIDs(ids []rules.ID) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// customerRowsFactsSQL reads the rows of a page, each figure through its
// customer's index entries.
const customerRowsFactsSQL = `SELECT c.id, c.name, c.phone, c.email, c.do_not_contact,
	(SELECT max(p.day) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0 AND p.amount_cents > 0),
	(SELECT coalesce(sum(p.amount_cents - p.discount_cents), 0) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0),
	(SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.customer_id = c.id AND l.day <= ?1)
	FROM customers c WHERE c.id IN (SELECT value FROM json_each(?2))`

// customerRowsSQL reads the rows of a page, each figure through its
// customer's index entries; the last visit and the points come from the
// summary row when no fact of the customer is dated after the day asked.
const customerRowsSQL = `SELECT c.id, c.name, c.phone, c.email, c.do_not_contact,
	CASE WHEN m.customer_id IS NOT NULL AND (m.last_fact_day IS NULL OR m.last_fact_day <= ?1) THEN m.last_sale_day
		ELSE (SELECT max(p.day) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0 AND p.amount_cents > 0) END,
	(SELECT coalesce(sum(p.amount_cents - p.discount_cents), 0) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0),
	CASE WHEN m.customer_id IS NOT NULL AND (m.last_fact_day IS NULL OR m.last_fact_day <= ?1) THEN m.balance
		ELSE (SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.customer_id = c.id AND l.day <= ?1) END
	FROM customers c LEFT JOIN customer_summary m ON m.customer_id = c.id
	WHERE c.id IN (SELECT value FROM json_each(?2))`

// customerRows reads the rows of ids, in the order of ids; a customer gone
// since the ids were read is left out.
func (s *Store) customerRows(ctx context.Context, ids []rules.ID, today string) ([]CustomerRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	query := customerRowsSQL
	if !s.keepSummary.Load() {
		query = customerRowsFactsSQL // a file from before the summary rows, read as it is
	}
	rows, err := s.reader().QueryContext(ctx, query, today, jsonIDs(ids))
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	byID := make(map[rules.ID]CustomerRow, len(ids))
	for rows.Next() {
		var r CustomerRow
		var dnc int
		var last *string
		if err := rows.Scan(&r.ID, &r.Name, &r.Phone, &r.Email, &dnc, &last, &r.Spent, &r.Points); err != nil {
			return nil, s.explain(err)
		}
		r.DoNotContact = dnc != 0
		if last != nil {
			r.LastVisit = dayOf(*last)
		}
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	out := make([]CustomerRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
