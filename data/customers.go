package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"strconv"
	"strings"
	"time"
)

// ErrAmbiguous means a phone, email or id matched more than one customer.
var ErrAmbiguous = errors.New("matches more than one customer")

// AmbiguousError lists the customers a value matched.
type AmbiguousError struct {
	Value      string
	Candidates []rules.Customer
}

func (e *AmbiguousError) Error() string {
	var names []string
	for _, c := range e.Candidates {
		names = append(names, fmt.Sprintf("%d %s", c.ID, c.Name))
	}
	return fmt.Sprintf("%q matches more than one customer: %s", e.Value, strings.Join(names, ", "))
}

func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

const customerCols = `id, name, phone, email, birthday_year, birthday_month, birthday_day, address, notes,
	tags, preferred_channel, do_not_contact, customer_since, added_on, forgotten`

type rowScanner interface{ Scan(...any) error }

func scanCustomer(r rowScanner) (rules.Customer, error) {
	var c rules.Customer
	var by, bm, bd sql.NullInt64
	var tags, pref string
	var dnc, forgotten int
	var since, added sql.NullString
	err := r.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &by, &bm, &bd, &c.Address, &c.Notes,
		&tags, &pref, &dnc, &since, &added, &forgotten)
	if err != nil {
		return c, err
	}
	if bm.Valid && bd.Valid {
		c.Birthday = rules.YearlyDate{Year: int(by.Int64), Month: time.Month(bm.Int64), Day: int(bd.Int64)}
	}
	c.Tags = rules.SplitTags(tags)
	c.PreferredChannel = rules.Channel(pref)
	c.DoNotContact = dnc != 0
	c.CustomerSince = scanDay(since)
	c.AddedOn = scanDay(added)
	c.Forgotten = forgotten != 0
	return c, nil
}

func customerArgs(c rules.Customer) []any {
	var by, bm, bd any
	if !c.Birthday.IsZero() {
		bm, bd = int(c.Birthday.Month), c.Birthday.Day
		if c.Birthday.Year != 0 {
			by = c.Birthday.Year
		}
	}
	return []any{
		strings.TrimSpace(c.Name), strings.ToLower(strings.TrimSpace(c.Name)),
		strings.TrimSpace(c.Phone), rules.PhoneDigits(c.Phone),
		strings.TrimSpace(c.Email), rules.NormEmail(c.Email),
		by, bm, bd, c.Address, c.Notes, strings.Join(c.Tags, ";"), string(c.PreferredChannel),
		boolInt(c.DoNotContact), nullDay(c.CustomerSince),
	}
}

// AddCustomer stores a new customer and returns its id. The day it was added
// is today; duplicates are the caller's to look for (see Duplicates).
func (s *Store) AddCustomer(ctx context.Context, c rules.Customer) (rules.ID, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	var id rules.ID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertCustomer(ctx, tx, c, s.Today())
		return err
	})
	if err == nil {
		s.customersChanged(id)
	}
	return id, err
}

func insertCustomer(ctx context.Context, tx *sql.Tx, c rules.Customer, today rules.Day) (rules.ID, error) {
	added := c.AddedOn
	if added.IsZero() {
		added = today
	}
	args := append(customerArgs(c), added.String())
	res, err := tx.ExecContext(ctx, `INSERT INTO customers(name, name_fold, phone, phone_digits, email, email_norm,
		birthday_year, birthday_month, birthday_day, address, notes, tags, preferred_channel,
		do_not_contact, customer_since, added_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	touch(tx, id)
	for _, k := range c.Consents {
		if err := upsertConsent(ctx, tx, id, k, today); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func upsertConsent(ctx context.Context, tx *sql.Tx, id rules.ID, k rules.Consent, today rules.Day) error {
	given := k.GivenOn
	if given.IsZero() {
		given = today
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO consents(customer_id, channel, given_on, source) VALUES (?,?,?,?)
		ON CONFLICT(customer_id, channel) DO UPDATE SET given_on = excluded.given_on, source = excluded.source`,
		id, string(k.Channel), given.String(), k.Source)
	return err
}

// UpdateCustomer saves a customer's details and consents.
func (s *Store) UpdateCustomer(ctx context.Context, c rules.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		args := append(customerArgs(c), c.ID)
		res, err := tx.ExecContext(ctx, `UPDATE customers SET name=?, name_fold=?, phone=?, phone_digits=?, email=?, email_norm=?,
			birthday_year=?, birthday_month=?, birthday_day=?, address=?, notes=?, tags=?, preferred_channel=?,
			do_not_contact=?, customer_since=? WHERE id=?`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("there is no customer %d", c.ID)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM consents WHERE customer_id = ?", c.ID); err != nil {
			return err
		}
		for _, k := range c.Consents {
			if err := upsertConsent(ctx, tx, c.ID, k, s.Today()); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.customersChanged(c.ID)
	}
	return err
}

// Customer loads one customer with its consents.
func (s *Store) Customer(ctx context.Context, id rules.ID) (rules.Customer, error) {
	c, err := customerOn(ctx, s.reader(), id)
	return c, s.explain(err)
}

func (s *Store) queryCustomers(ctx context.Context, q string, args ...any) ([]rules.Customer, error) {
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []rules.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Customers lists every customer in id order.
func (s *Store) Customers(ctx context.Context) ([]rules.Customer, error) {
	return s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers ORDER BY id")
}

// CountCustomers returns how many customers there are.
func (s *Store) CountCustomers(ctx context.Context) (int, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&n)
	return n, s.explain(err)
}

// MatchCustomer finds the one customer a phone, email or id names: phone
// digits first, then email (case-insensitive), then id. A value matching
// more than one customer gives an *AmbiguousError listing them.
func (s *Store) MatchCustomer(ctx context.Context, value string) (rules.Customer, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return rules.Customer{}, fmt.Errorf("no customer given")
	}
	// one finds the customers a column names: none, one, or too many.
	one := func(where, arg string) (rules.Customer, bool, error) {
		cs, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE "+where+" ORDER BY id", arg)
		switch {
		case err != nil:
			return rules.Customer{}, false, err
		case len(cs) > 1:
			return rules.Customer{}, false, &AmbiguousError{Value: v, Candidates: cs}
		case len(cs) == 1:
			return cs[0], true, nil
		}
		return rules.Customer{}, false, nil
	}
	if d := rules.PhoneDigits(v); d != "" && rules.CheckPhone(v) == nil {
		if c, ok, err := one("phone_digits = ? AND phone_digits <> ''", d); ok || err != nil {
			return c, err
		}
	}
	if strings.Contains(v, "@") {
		if c, ok, err := one("email_norm = ? AND email_norm <> ''", rules.NormEmail(v)); ok || err != nil {
			return c, err
		}
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
		c, err := s.Customer(ctx, id)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return rules.Customer{}, err
		}
	}
	return rules.Customer{}, notFound("no customer has the phone, email or id %q", v)
}

// Duplicates returns the other customers that share c's phone digits or email.
func (s *Store) Duplicates(ctx context.Context, c rules.Customer) ([]rules.Customer, error) {
	d, e := rules.PhoneDigits(c.Phone), rules.NormEmail(c.Email)
	if d == "" && e == "" {
		return nil, nil
	}
	return s.queryCustomers(ctx, "SELECT "+customerCols+` FROM customers
		WHERE id <> ? AND ((phone_digits = ? AND phone_digits <> '') OR (email_norm = ? AND email_norm <> '')) ORDER BY id`,
		c.ID, d, e)
}

// SearchCustomers finds customers whose name, phone or email contains the
// text typed, best matches (prefixes) first, at most limit of them.
func (s *Store) SearchCustomers(ctx context.Context, text string, limit int) ([]rules.Customer, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	if limit <= 0 {
		limit = 50
	}
	if t == "" {
		return s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers ORDER BY name_fold, id LIMIT ?", limit)
	}
	ids, err := s.searchIDs(ctx, t, limit)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return s.customersInOrder(ctx, ids)
}

// customersInOrder reads the customers ids, in that order, leaving out
// any gone (merged or erased) since the ids were read.
func (s *Store) customersInOrder(ctx context.Context, ids []rules.ID) ([]rules.Customer, error) {
	out := make([]rules.Customer, 0, len(ids))
	err := inBatches(ids, func(part []rules.ID) error {
		found, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE id IN ("+marks(len(part))+")", idArgs(part)...)
		byID := make(map[rules.ID]rules.Customer, len(found))
		for _, c := range found {
			byID[c.ID] = c
		}
		for _, id := range part {
			if c, ok := byID[id]; ok {
				out = append(out, c)
			}
		}
		return err
	})
	return out, err
}

// MergeCustomers moves everything of drop onto keep (purchases, contacts,
// occasions, promises, complaints, ledger rows, reminder states), fills
// keep's empty fields from drop, and removes drop.
func (s *Store) MergeCustomers(ctx context.Context, keep, drop rules.ID, staff string) error {
	if keep == drop {
		return fmt.Errorf("cannot merge a customer with itself")
	}
	k, err := s.Customer(ctx, keep)
	if err != nil {
		return err
	}
	d, err := s.Customer(ctx, drop)
	if err != nil {
		return err
	}
	merged := rules.MergeCustomers(k, d)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"purchases", "contacts", "occasions", "promises", "complaints", "ledger"} {
			if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET customer_id = ? WHERE customer_id = ?", keep, drop); err != nil {
				return err
			}
		}
		// Reminder states keep their key (it names the old customer), so
		// they move with it and stay attached to the same facts.
		if _, err := tx.ExecContext(ctx, "UPDATE reminder_states SET customer_id = ? WHERE customer_id = ?", keep, drop); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO consents(customer_id, channel, given_on, source)
			SELECT ?, channel, given_on, source FROM consents WHERE customer_id = ?`, keep, drop); err != nil {
			return err
		}
		args := append(customerArgs(merged), keep)
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET name=?, name_fold=?, phone=?, phone_digits=?, email=?, email_norm=?,
			birthday_year=?, birthday_month=?, birthday_day=?, address=?, notes=?, tags=?, preferred_channel=?,
			do_not_contact=?, customer_since=? WHERE id=?`, args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM customers WHERE id = ?", drop); err != nil {
			return err
		}
		touch(tx, keep, drop)
		return audit(ctx, tx, s.Now(), staff, "merge customers", fmt.Sprintf("%d into %d", drop, keep), d.Name, merged.Name)
	})
	if err == nil {
		s.customersChanged(keep, drop)
	}
	return err
}

// audit writes one row of the audit log.
func audit(ctx context.Context, tx *sql.Tx, at time.Time, staff, action, subject, before, after string) error {
	if staff == "" {
		staff = rules.OwnerName
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO audit(at, staff, action, subject, before, after, till) VALUES (?,?,?,?,?,?,?)",
		fmtInstant(at), staff, action, subject, before, after, TillName())
	return err
}
