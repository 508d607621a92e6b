package data

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"regulars/rules"
	"strconv"
	"strings"
)

// ExportKinds are the tables ExportCSV writes.
var ExportKinds = []string{"customers", "purchases", "ledger", "contacts", "reminders", "complaints"}

// ExportCSV writes one table as CSV with a header row, one row per record in
// id order. The columns are those the importer reads, so an exported
// customers or purchases file imports again unchanged. Events dated after
// today (the simulated date, when set) are left out.
func (s *Store) ExportCSV(ctx context.Context, what string, w io.Writer) error {
	cw := csv.NewWriter(w)
	var err error
	switch strings.ToLower(strings.TrimSpace(what)) {
	case "customers":
		err = s.exportCustomers(ctx, cw)
	case "purchases":
		err = s.exportPurchases(ctx, cw)
	case "ledger":
		err = s.exportLedger(ctx, cw)
	case "contacts":
		err = s.exportContacts(ctx, cw)
	case "reminders":
		err = s.exportReminders(ctx, cw)
	case "complaints":
		err = s.exportComplaints(ctx, cw)
	default:
		return fmt.Errorf("cannot export %q: choose one of %s", what, strings.Join(ExportKinds, ", "))
	}
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("cannot write the export: %w", err)
	}
	return nil
}

func (s *Store) exportCustomers(ctx context.Context, cw *csv.Writer) error {
	customers, err := s.Customers(ctx)
	if err != nil {
		return err
	}
	balances := map[rules.ID]int64{}
	err = s.eachRow(ctx, "SELECT customer_id, sum(points) FROM ledger WHERE day <= ? GROUP BY customer_id",
		[]any{s.Today().String()}, func(r *sql.Rows) error {
			var id rules.ID
			var v int64
			if err := r.Scan(&id, &v); err != nil {
				return err
			}
			balances[id] = v
			return nil
		})
	if err != nil {
		return err
	}
	if err := cw.Write([]string{"id", "name", "phone", "email", "birthday", "customer_since", "notes", "tags", "do_not_contact", "points"}); err != nil {
		return err
	}
	for _, c := range customers {
		err := cw.Write([]string{itoa(c.ID), rules.CSVText(c.Name), rules.CSVPhone(c.Phone), rules.CSVText(c.Email), c.Birthday.String(), c.CustomerSince.String(),
			rules.CSVText(c.Notes), rules.CSVText(strings.Join(c.Tags, ";")), strconv.FormatBool(c.DoNotContact), itoa(balances[c.ID])})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) exportPurchases(ctx context.Context, cw *csv.Writer) error {
	if err := cw.Write([]string{"id", "customer", "date", "amount", "description", "reference", "refund_of"}); err != nil {
		return err
	}
	return s.eachRow(ctx, `SELECT id, customer_id, day, amount_cents, description, coalesce(reference, ''), refund_of
		FROM purchases WHERE voided = 0 AND day <= ? ORDER BY id`, []any{s.Today().String()}, func(r *sql.Rows) error {
		var id rules.ID
		var customer, refundOf sql.NullInt64
		var day, desc, ref string
		var amount rules.Cents
		if err := r.Scan(&id, &customer, &day, &amount, &desc, &ref, &refundOf); err != nil {
			return err
		}
		return cw.Write([]string{itoa(id), nullIDText(customer), day, amount.String(), rules.CSVText(desc), rules.CSVText(ref), nullIDText(refundOf)})
	})
}

func (s *Store) exportLedger(ctx context.Context, cw *csv.Writer) error {
	if err := cw.Write([]string{"id", "customer", "date", "kind", "points", "purchase", "staff", "reason"}); err != nil {
		return err
	}
	return s.eachRow(ctx, `SELECT id, customer_id, day, kind, points, purchase_id, staff, reason
		FROM ledger WHERE day <= ? ORDER BY id`, []any{s.Today().String()}, func(r *sql.Rows) error {
		var id, customer, points int64
		var purchase sql.NullInt64
		var day, kind, staff, reason string
		if err := r.Scan(&id, &customer, &day, &kind, &points, &purchase, &staff, &reason); err != nil {
			return err
		}
		return cw.Write([]string{itoa(id), itoa(customer), day, kind, itoa(points), nullIDText(purchase), rules.CSVText(staff), rules.CSVText(reason)})
	})
}

func (s *Store) exportContacts(ctx context.Context, cw *csv.Writer) error {
	if err := cw.Write([]string{"id", "customer", "date", "channel", "staff", "outcome", "note"}); err != nil {
		return err
	}
	return s.eachRow(ctx, `SELECT id, customer_id, day, channel, staff, outcome, note
		FROM contacts WHERE day <= ? ORDER BY id`, []any{s.Today().String()}, func(r *sql.Rows) error {
		var id, customer int64
		var day, channel, staff, outcome, note string
		if err := r.Scan(&id, &customer, &day, &channel, &staff, &outcome, &note); err != nil {
			return err
		}
		return cw.Write([]string{itoa(id), itoa(customer), day, rules.CSVText(channel), rules.CSVText(staff), rules.CSVText(outcome), rules.CSVText(note)})
	})
}

func (s *Store) exportComplaints(ctx context.Context, cw *csv.Writer) error {
	// received_at and resolved_at (to the second; resolved_at is empty
	// where only the day is known) come last so reports can be checked
	// in hours.
	if err := cw.Write([]string{"id", "customer", "received", "severity", "status", "resolved", "what", "resolution", "staff",
		"received_at", "resolved_at"}); err != nil {
		return err
	}
	today := s.Today()
	return s.eachRow(ctx, `SELECT id, customer_id, received_on, severity, resolved_on, what, resolution, staff,
		received_at, coalesce(resolved_at, '')
		FROM complaints WHERE received_on <= ? ORDER BY id`, []any{today.String()}, func(r *sql.Rows) error {
		var id, customer int64
		var received, severity, what, resolution, staff, receivedAt, resolvedAt string
		var resolvedOn sql.NullString
		if err := r.Scan(&id, &customer, &received, &severity, &resolvedOn, &what, &resolution, &staff, &receivedAt, &resolvedAt); err != nil {
			return err
		}
		status, resolved := "open", scanDay(resolvedOn)
		if !resolved.IsZero() && resolved <= today {
			status = "resolved"
		} else {
			// Resolved after the day being looked at: still open then.
			resolved, resolution, resolvedAt = 0, "", ""
		}
		return cw.Write([]string{itoa(id), itoa(customer), received, rules.CSVText(severity), status, resolved.String(), rules.CSVText(what), rules.CSVText(resolution), rules.CSVText(staff),
			receivedAt, resolvedAt})
	})
}

// eachRow runs a query on the readers and hands each row to fn.
func (s *Store) eachRow(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	return s.scanEach(ctx, q, args, func(r *sql.Rows, _ *sql.RawBytes) error { return fn(r) })
}

func nullIDText(n sql.NullInt64) string {
	if !n.Valid {
		return ""
	}
	return itoa(n.Int64)
}
