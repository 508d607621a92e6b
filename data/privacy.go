package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"regulars/rules"
	"strconv"
	"strings"
)

// CustomerRecord gathers everything kept about one customer.
func (s *Store) CustomerRecord(ctx context.Context, id rules.ID) (rules.CustomerExport, error) {
	var r rules.CustomerRecord
	var err error
	if r.Customer, err = s.Customer(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	shop, err := s.ShopName(ctx)
	if err != nil {
		return rules.CustomerExport{}, err
	}
	at := s.Now()
	if r.Points, err = s.Balance(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Purchases, err = s.Purchases(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Ledger, err = s.Ledger(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Contacts, err = s.Contacts(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Occasions, err = s.Occasions(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Promises, err = s.Promises(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Complaints, err = s.Complaints(ctx, id); err != nil {
		return rules.CustomerExport{}, err
	}
	if r.Reminders, err = s.CustomerReminders(ctx, id, s.Today()); err != nil {
		return rules.CustomerExport{}, err
	}
	return r.Export(shop, at), nil
}

// ExportCustomer writes everything about one customer to w as a zip file:
// customer-N.json with every record and customer-N-purchases.csv with the
// purchases, for a customer who asks what the shop knows about them. The
// export is audited.
func (s *Store) ExportCustomer(ctx context.Context, id rules.ID, staff string, w io.Writer) error {
	x, err := s.CustomerRecord(ctx, id)
	if err != nil {
		return err
	}
	base := "customer-" + strconv.FormatInt(id, 10)
	if err := x.WriteZip(w, base, s.Now()); err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.Now(), staff, "export customer", fmt.Sprintf("customer %d", id), "", base+".zip")
	})
	if errors.Is(err, ErrReadOnly) {
		return nil // a damaged shop may still hand a customer their data
	}
	return err
}

// ForgottenName is what a forgotten customer is called.
func ForgottenName(id rules.ID) string { return fmt.Sprintf("Forgotten customer %d", id) }

// ForgetCustomer erases a customer's personal details: name (it becomes
// "Forgotten customer N"), phone, email, address, notes, birthday, tags,
// preferred channel and consents; their occasions go, and the notes and
// outcomes of contacts, the wording of promises and complaints and the
// reasons given on reminders are blanked. Purchases and the loyalty ledger
// stay as they are, so sales totals and every balance are unchanged. A
// forgotten customer is never reminded again. The act is audited without
// the erased details.
func (s *Store) ForgetCustomer(ctx context.Context, id rules.ID, staff string) error {
	if _, err := s.Customer(ctx, id); err != nil {
		return err
	}
	name := ForgottenName(id)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		steps := []struct {
			q    string
			args []any
		}{
			{`UPDATE customers SET name = ?, name_fold = ?, phone = '', phone_digits = '', email = '', email_norm = '',
				birthday_year = NULL, birthday_month = NULL, birthday_day = NULL, address = '', notes = '', tags = '',
				preferred_channel = '', do_not_contact = 1, forgotten = 1 WHERE id = ?`, []any{name, strings.ToLower(name), id}},
			{"DELETE FROM consents WHERE customer_id = ?", []any{id}},
			{"DELETE FROM occasions WHERE customer_id = ?", []any{id}},
			{"UPDATE contacts SET note = '', outcome = '' WHERE customer_id = ?", []any{id}},
			{"UPDATE promises SET what = '(forgotten)' WHERE customer_id = ?", []any{id}},
			{"UPDATE complaints SET what = '(forgotten)', resolution = '' WHERE customer_id = ?", []any{id}},
			{"UPDATE reminder_states SET reason = '' WHERE customer_id = ?", []any{id}},
		}
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return audit(ctx, tx, s.Now(), staff, "forget customer", fmt.Sprintf("customer %d", id), "", name)
	})
	if err == nil {
		s.customersChanged(id)
	}
	return err
}
