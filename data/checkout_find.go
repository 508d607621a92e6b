package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strconv"
	"strings"
)

// TillMatch is a customer found at the till, with what tells them apart in a
// pick list.
type TillMatch struct {
	rules.Customer
	LastVisit rules.Day // the day of their latest sale; zero when none
	Exact     bool      // the text typed is their phone, email or customer number
}

// TillSearch is what the till found for one text typed into its find field.
// Text says which text: a search that comes back after more was typed is
// for an older one and must not be acted on.
type TillSearch struct {
	Text    string
	Matches []TillMatch // the exact matches first, then the others; each customer once
}

// Exact is how many matches are exact; they come first.
func (r TillSearch) Exact() int {
	n := 0
	for n < len(r.Matches) && r.Matches[n].Exact {
		n++
	}
	return n
}

// Pick is the customer Enter takes without asking: the one exact match, or,
// when nothing matches exactly, the only match. Several exact matches (a
// family sharing a phone) or several others are chosen from a list.
func (r TillSearch) Pick() (TillMatch, bool) {
	switch n := r.Exact(); {
	case n == 1:
		return r.Matches[0], true
	case n == 0 && len(r.Matches) == 1:
		return r.Matches[0], true
	}
	return TillMatch{}, false
}

// FindAtTill searches for what was typed at the till on day d: the customers
// it names exactly (ExactCustomers) first, then those whose name, email or
// phone holds it (SearchCustomers), at most limit in all unless more match
// exactly. Each comes with their last visit up to d.
func (s *Store) FindAtTill(ctx context.Context, text string, d rules.Day, limit int) (TillSearch, error) {
	r := TillSearch{Text: text}
	t := strings.TrimSpace(text)
	if t == "" {
		return r, nil
	}
	exact, err := s.ExactCustomers(ctx, t)
	if err != nil {
		return r, err
	}
	found, err := s.SearchCustomers(ctx, t, limit)
	if err != nil {
		return r, err
	}
	seen := make(map[rules.ID]bool, len(exact)+len(found))
	for _, c := range exact {
		seen[c.ID] = true
		r.Matches = append(r.Matches, TillMatch{Customer: c, Exact: true})
	}
	for _, c := range found {
		if !seen[c.ID] && len(r.Matches) < limit {
			seen[c.ID] = true
			r.Matches = append(r.Matches, TillMatch{Customer: c})
		}
	}
	if len(r.Matches) == 0 {
		return r, nil
	}
	last, err := s.lastVisits(ctx, r.Matches, d)
	for i := range r.Matches {
		r.Matches[i].LastVisit = last[r.Matches[i].ID]
	}
	return r, err
}

// ExactCustomers are the customers a value names exactly, in the order the
// command line's --customer takes (PRODUCT.md): phone digits, then email
// (case-insensitive), then customer number. The first of these that names
// anyone decides, so a phone a family shares gives each of them. A customer
// number counts only as the number itself ("12", not "012"): a phone being
// typed ("07700") never names customer 7700.
func (s *Store) ExactCustomers(ctx context.Context, value string) ([]rules.Customer, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, nil
	}
	where := "SELECT " + customerCols + " FROM customers WHERE "
	if d := rules.PhoneDigits(v); d != "" && rules.CheckPhone(v) == nil {
		cs, err := s.queryCustomers(ctx, where+"phone_digits = ? AND phone_digits <> '' ORDER BY id", d)
		if err != nil || len(cs) > 0 {
			return cs, err
		}
	}
	if strings.Contains(v, "@") {
		cs, err := s.queryCustomers(ctx, where+"email_norm = ? AND email_norm <> '' ORDER BY id", rules.NormEmail(v))
		if err != nil || len(cs) > 0 {
			return cs, err
		}
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && strconv.FormatInt(id, 10) == v {
		return s.queryCustomers(ctx, where+"id = ?", id)
	}
	return nil, nil
}

// lastVisits is the day of each customer's latest sale up to d: voided
// sales and refunds are not visits.
func (s *Store) lastVisits(ctx context.Context, ms []TillMatch, d rules.Day) (map[rules.ID]rules.Day, error) {
	args := make([]any, 0, len(ms)+1)
	args = append(args, d.String())
	for _, m := range ms {
		args = append(args, m.ID)
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT customer_id, MAX(day) FROM purchases
		WHERE day <= ? AND voided = 0 AND refund_of IS NULL AND customer_id IN (?`+strings.Repeat(",?", len(ms)-1)+`)
		GROUP BY customer_id`, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	out := make(map[rules.ID]rules.Day, len(ms))
	for rows.Next() {
		var id rules.ID
		var day sql.NullString
		if err := rows.Scan(&id, &day); err != nil {
			return nil, err
		}
		out[id] = scanDay(day)
	}
	return out, s.explain(rows.Err())
}
