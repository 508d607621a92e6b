package data

import (
	"context"
	"fmt"
	"math"
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
	ID           ID
	Name         string
	Phone        string
	Email        string
	DoNotContact bool
	LastVisit    Day   // the latest sale not voided; zero when none
	Spent        Cents // paid, less refunds, voided sales left out
	Points       int64 // the balance
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
// covering index purchases_customer (last visit, spend) or over ledger_points
// (points), grouped by customer in index order, then a sort of the
// customers; about 30–60 ms at 50,000 customers.
func (s *Store) CustomerList(ctx context.Context, q CustomerListQuery, offset, limit int) ([]CustomerRow, int, error) {
	if limit <= 0 {
		limit = 100
	}
	offset = max(offset, 0)
	today := s.Today().String()
	text := strings.ToLower(strings.TrimSpace(q.Search))
	var ids []ID
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

// The statements of the list, by order: each gives the ids of one page.
// ?1 is today, ?2 the limit, ?3 the offset. The figure sorted on is read
// by one grouped pass over a covering index; customers without one come
// last, by name.
var customerOrderSQL = map[CustomerSort]string{
	SortByName: `SELECT id FROM customers ORDER BY name_fold, id LIMIT ?2 OFFSET ?3`,
	SortByLastVisit: `SELECT c.id FROM customers c LEFT JOIN (
			SELECT customer_id, max(day) AS v FROM purchases
			WHERE customer_id IS NOT NULL AND day <= ?1 AND voided = 0 AND amount_cents > 0 GROUP BY customer_id
		) f ON f.customer_id = c.id %s
		ORDER BY f.v IS NULL, f.v DESC, c.name_fold, c.id LIMIT ?2 OFFSET ?3`,
	SortBySpend: `SELECT c.id FROM customers c LEFT JOIN (
			SELECT customer_id, sum(amount_cents - discount_cents) AS v FROM purchases
			WHERE customer_id IS NOT NULL AND day <= ?1 AND voided = 0 GROUP BY customer_id
		) f ON f.customer_id = c.id %s
		ORDER BY coalesce(f.v, 0) DESC, c.name_fold, c.id LIMIT ?2 OFFSET ?3`,
	SortByPoints: `SELECT c.id FROM customers c LEFT JOIN (
			SELECT customer_id, sum(points) AS v FROM ledger WHERE day <= ?1 GROUP BY customer_id
		) f ON f.customer_id = c.id %s
		ORDER BY coalesce(f.v, 0) DESC, c.name_fold, c.id LIMIT ?2 OFFSET ?3`,
}

// orderSQL is the statement of sort, for every customer or (among) only
// those in a list of ids passed as JSON in ?4.
func orderSQL(sort CustomerSort, among bool) (string, error) {
	q, ok := customerOrderSQL[sort]
	if !ok {
		return "", fmt.Errorf("the customer list cannot be sorted by %q", sort)
	}
	if sort == SortByName {
		return q, nil
	}
	where := ""
	if among {
		where = "WHERE c.id IN (SELECT value FROM json_each(?4))"
	}
	return fmt.Sprintf(q, where), nil
}

// sortedIDs is one page of ids in sort's order: of every customer, or of
// those in among.
func (s *Store) sortedIDs(ctx context.Context, sort CustomerSort, today string, among []ID, offset, limit int) ([]ID, error) {
	if sort == "" {
		sort = SortByName
	}
	q, err := orderSQL(sort, among != nil)
	if err != nil {
		return nil, err
	}
	args := []any{today, limit, offset}
	if among != nil {
		var b strings.Builder
		b.WriteByte('[')
		for i, id := range among {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, id)
		}
		b.WriteByte(']')
		args = append(args, b.String())
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	out := make([]ID, 0, limit)
	for rows.Next() {
		var id ID
		if err := rows.Scan(&id); err != nil {
			return nil, s.explain(err)
		}
		out = append(out, id)
	}
	return out, s.explain(rows.Err())
}

// customerRowsSQL reads the rows of a page, each figure through its
// customer's index entries.
const customerRowsSQL = `SELECT c.id, c.name, c.phone, c.email, c.do_not_contact,
	(SELECT max(p.day) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0 AND p.amount_cents > 0),
	(SELECT coalesce(sum(p.amount_cents - p.discount_cents), 0) FROM purchases p WHERE p.customer_id = c.id AND p.day <= ?1 AND p.voided = 0),
	(SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.customer_id = c.id AND l.day <= ?1)
	FROM customers c WHERE c.id IN (SELECT value FROM json_each(?2))`

// customerRows reads the rows of ids, in the order of ids; a customer gone
// since the ids were read is left out.
func (s *Store) customerRows(ctx context.Context, ids []ID, today string) ([]CustomerRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	b.WriteByte(']')
	rows, err := s.reader().QueryContext(ctx, customerRowsSQL, today, b.String())
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	byID := make(map[ID]CustomerRow, len(ids))
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
