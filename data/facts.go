package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"strings"
	"time"
)

// The facts the reminder rules read: occasions, promises, complaints and
// contacts. Each is stored as told; the rules compute what follows.

// customerMustExist gives a clear error instead of a foreign key failure.
func customerMustExist(ctx context.Context, tx *sql.Tx, id rules.ID) error {
	if id <= 0 {
		return fmt.Errorf("no customer given")
	}
	return customerExists(ctx, tx, id)
}

func occasionArgs(o rules.Occasion) []any {
	var year any
	if o.Date.Year != 0 {
		year = o.Date.Year
	}
	return []any{strings.TrimSpace(o.Label), year, int(o.Date.Month), o.Date.Day, boolInt(o.Yearly), o.LeadDays}
}

// AddOccasion stores a customer's occasion. Callers pass LeadDays 7 unless
// the owner chose otherwise; 0 means "on the day".
func (s *Store) AddOccasion(ctx context.Context, o rules.Occasion) (rules.ID, error) {
	if err := o.Validate(); err != nil {
		return 0, err
	}
	return s.addFact(ctx, o.CustomerID, false, `INSERT INTO occasions(customer_id, label, year, month, day, yearly, lead_days)
		VALUES (?,?,?,?,?,?,?)`, append([]any{o.CustomerID}, occasionArgs(o)...)...)
}

// addFact writes one fact of a customer in a transaction of its own and
// returns its id (see insertFact).
func (s *Store) addFact(ctx context.Context, customer rules.ID, touched bool, query string, args ...any) (rules.ID, error) {
	var id rules.ID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertFact(ctx, tx, customer, touched, query, args...)
		return err
	})
	return id, err
}

// insertFact runs query, the insert of one fact of customer, once the
// customer is known to exist, and returns the new row's id. touched says
// the fact changes what the customer's summary row holds.
func insertFact(ctx context.Context, tx *sql.Tx, customer rules.ID, touched bool, query string, args ...any) (rules.ID, error) {
	if err := customerMustExist(ctx, tx, customer); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if touched {
		touch(tx, customer)
	}
	return res.LastInsertId()
}

const occasionCols = "id, customer_id, label, year, month, day, yearly, lead_days"

func scanOccasion(r rowScanner) (rules.Occasion, error) {
	var o rules.Occasion
	var year sql.NullInt64
	var month, day, yearly int
	if err := r.Scan(&o.ID, &o.CustomerID, &o.Label, &year, &month, &day, &yearly, &o.LeadDays); err != nil {
		return o, err
	}
	o.Date = rules.YearlyDate{Year: int(year.Int64), Month: time.Month(month), Day: day}
	o.Yearly = yearly != 0
	return o, nil
}

// Occasions lists a customer's occasions in calendar order.
func (s *Store) Occasions(ctx context.Context, customerID rules.ID) ([]rules.Occasion, error) {
	return queryFacts(ctx, s, scanOccasion,
		"SELECT "+occasionCols+" FROM occasions WHERE customer_id = ? ORDER BY month, day, id", customerID)
}

// queryFacts runs a query on the readers and scans every row with scan.
func queryFacts[T any](ctx context.Context, s *Store, scan func(rowScanner) (T, error), q string, args ...any) ([]T, error) {
	return queryFactsOn(ctx, s, s.reader(), scan, q, args...)
}

// AddPromise records something owed to a customer. MadeOn defaults to today.
func (s *Store) AddPromise(ctx context.Context, p rules.Promise) (rules.ID, error) {
	p.What = strings.TrimSpace(p.What)
	switch {
	case p.What == "":
		return 0, fmt.Errorf("say what was promised")
	case p.Due.IsZero():
		return 0, fmt.Errorf("the promise %q needs a due date", p.What)
	}
	if p.MadeOn.IsZero() {
		p.MadeOn = s.Today()
	}
	return s.addFact(ctx, p.CustomerID, true, `INSERT INTO promises(customer_id, what, due, staff, made_on, kept_on) VALUES (?,?,?,?,?,?)`,
		p.CustomerID, p.What, p.Due.String(), strings.TrimSpace(p.Staff), p.MadeOn.String(), nullDay(p.KeptOn))
}

// KeepPromise marks a promise kept today. Keeping it again changes nothing.
func (s *Store) KeepPromise(ctx context.Context, id rules.ID, staff string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := keepPromise(ctx, tx, id, s.Today(), s.Now(), staff)
		return err
	})
}

// keepPromise sets kept_on unless already set and reports whether it did.
func keepPromise(ctx context.Context, tx *sql.Tx, id rules.ID, today rules.Day, now time.Time, staff string) (bool, error) {
	var what string
	var kept sql.NullString
	var customer rules.ID
	err := tx.QueryRowContext(ctx, "SELECT what, kept_on, customer_id FROM promises WHERE id = ?", id).Scan(&what, &kept, &customer)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("there is no promise %d", id)
	}
	if err != nil || kept.Valid {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE promises SET kept_on = ? WHERE id = ?", today.String(), id); err != nil {
		return false, err
	}
	touch(tx, customer)
	return true, audit(ctx, tx, now, staff, "keep promise", fmt.Sprintf("promise %d", id), what, today.String())
}

const promiseCols = "id, customer_id, what, due, staff, made_on, kept_on"

func scanPromise(r rowScanner) (rules.Promise, error) {
	var p rules.Promise
	var due, made, kept sql.NullString
	if err := r.Scan(&p.ID, &p.CustomerID, &p.What, &due, &p.Staff, &made, &kept); err != nil {
		return p, err
	}
	p.Due, p.MadeOn, p.KeptOn = scanDay(due), scanDay(made), scanDay(kept)
	return p, nil
}

// Promises lists a customer's promises by due date.
func (s *Store) Promises(ctx context.Context, customerID rules.ID) ([]rules.Promise, error) {
	return queryFacts(ctx, s, scanPromise,
		"SELECT "+promiseCols+" FROM promises WHERE customer_id = ? ORDER BY due, id", customerID)
}

// AddComplaint records what went wrong. ReceivedAt defaults to now (or to
// Received at the current time of day when only the day is given).
func (s *Store) AddComplaint(ctx context.Context, c rules.Complaint) (rules.ID, error) {
	c.What = strings.TrimSpace(c.What)
	if c.What == "" {
		return 0, fmt.Errorf("say what the complaint is about")
	}
	switch c.Severity {
	case "":
		c.Severity = rules.SeverityMedium
	case rules.SeverityLow, rules.SeverityMedium, rules.SeverityHigh:
	default:
		return 0, fmt.Errorf("severity %q is not low, medium or high", c.Severity)
	}
	if c.ReceivedAt.IsZero() {
		now := s.Now()
		c.ReceivedAt = now
		if !c.Received.IsZero() {
			y, m, d := c.Received.Date()
			c.ReceivedAt = time.Date(y, m, d, now.Hour(), now.Minute(), now.Second(), 0, now.Location())
		}
	}
	c.Received = rules.DayOf(c.ReceivedAt)
	if !c.ResolvedOn.IsZero() && c.ResolvedOn < c.Received {
		return 0, fmt.Errorf("a complaint cannot be resolved before it was received")
	}
	return s.addFact(ctx, c.CustomerID, true, `INSERT INTO complaints(customer_id, what, received_at, received_on, severity, staff, resolved_on, resolution)
		VALUES (?,?,?,?,?,?,?,?)`, c.CustomerID, c.What, fmtInstant(c.ReceivedAt), c.Received.String(), string(c.Severity),
		strings.TrimSpace(c.Staff), nullDay(c.ResolvedOn), strings.TrimSpace(c.Resolution))
}

// ResolveComplaint closes a complaint today with what was done about it.
func (s *Store) ResolveComplaint(ctx context.Context, id rules.ID, resolution, staff string) error {
	resolution = strings.TrimSpace(resolution)
	if resolution == "" {
		return fmt.Errorf("say how the complaint was resolved")
	}
	today := s.Today()
	return s.tx(ctx, func(tx *sql.Tx) error {
		var what string
		var received string
		var resolved sql.NullString
		var customer rules.ID
		err := tx.QueryRowContext(ctx, "SELECT what, received_on, resolved_on, customer_id FROM complaints WHERE id = ?", id).Scan(&what, &received, &resolved, &customer)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("there is no complaint %d", id)
		}
		if err != nil {
			return err
		}
		if resolved.Valid {
			return fmt.Errorf("complaint %d was already resolved on %s", id, resolved.String)
		}
		if r, err := rules.ParseDay(received); err == nil && today < r {
			return fmt.Errorf("complaint %d was received on %s, after %s", id, r, today)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE complaints SET resolved_on = ?, resolved_at = ?, resolution = ? WHERE id = ?",
			today.String(), fmtInstant(s.Now()), resolution, id); err != nil {
			return err
		}
		touch(tx, customer)
		return audit(ctx, tx, s.Now(), staff, "resolve complaint", fmt.Sprintf("complaint %d", id), what, resolution)
	})
}

const complaintCols = "id, customer_id, what, received_at, received_on, severity, staff, resolved_on, resolution"

func scanComplaint(r rowScanner) (rules.Complaint, error) {
	var c rules.Complaint
	var at, sev string
	var received, resolved sql.NullString
	if err := r.Scan(&c.ID, &c.CustomerID, &c.What, &at, &received, &sev, &c.Staff, &resolved, &c.Resolution); err != nil {
		return c, err
	}
	c.ReceivedAt = parseInstant(at)
	c.Received, c.ResolvedOn = scanDay(received), scanDay(resolved)
	c.Severity = rules.Severity(sev)
	return c, nil
}

// Complaints lists a customer's complaints, newest first.
func (s *Store) Complaints(ctx context.Context, customerID rules.ID) ([]rules.Complaint, error) {
	return queryFacts(ctx, s, scanComplaint,
		"SELECT "+complaintCols+" FROM complaints WHERE customer_id = ? ORDER BY received_at DESC, id DESC", customerID)
}

// LogContact records a touch with a customer; At defaults to now.
func (s *Store) LogContact(ctx context.Context, c rules.Contact) (rules.ID, error) {
	var id rules.ID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertContact(ctx, tx, c)
		return err
	})
	return id, err
}

func (s *Store) insertContact(ctx context.Context, tx *sql.Tx, c rules.Contact) (rules.ID, error) {
	if !c.Channel.ValidContact() {
		if c.Channel == "" {
			return 0, fmt.Errorf("say how the customer was contacted: phone, email, sms, post, in_person or card")
		}
		return 0, fmt.Errorf("contact channel %q is not phone, email, sms, post, in_person or card", c.Channel)
	}
	if c.At.IsZero() {
		c.At = s.Now()
	}
	c.Day = rules.DayOf(c.At)
	return insertFact(ctx, tx, c.CustomerID, true, `INSERT INTO contacts(customer_id, at, day, channel, staff, outcome, note, reminder_key, till)
		VALUES (?,?,?,?,?,?,?,?,?)`, c.CustomerID, fmtInstant(c.At), c.Day.String(), string(c.Channel),
		strings.TrimSpace(c.Staff), strings.TrimSpace(c.Outcome), strings.TrimSpace(c.Note), c.ReminderKey, tillOr(c.Till))
}

const contactCols = "id, customer_id, at, day, channel, staff, outcome, note, reminder_key, till"

func scanContact(r rowScanner) (rules.Contact, error) {
	var c rules.Contact
	var at, ch string
	var day sql.NullString
	if err := r.Scan(&c.ID, &c.CustomerID, &at, &day, &ch, &c.Staff, &c.Outcome, &c.Note, &c.ReminderKey, &c.Till); err != nil {
		return c, err
	}
	c.At = parseInstant(at)
	c.Day = scanDay(day)
	c.Channel = rules.Channel(ch)
	return c, nil
}

// Contacts lists a customer's contacts, newest first.
func (s *Store) Contacts(ctx context.Context, customerID rules.ID) ([]rules.Contact, error) {
	return queryFacts(ctx, s, scanContact,
		"SELECT "+contactCols+" FROM contacts WHERE customer_id = ? ORDER BY at DESC, id DESC", customerID)
}
