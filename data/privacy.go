package data

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regulars/rules"
	"sort"
	"strconv"
	"strings"
)

// CustomerExport is everything the shop keeps about one customer, in the
// shape it is handed to them: plain names, dates as YYYY-MM-DD, money as
// 12.34.
type CustomerExport struct {
	ExportedAt string            `json:"exported_at"`
	Shop       string            `json:"shop"`
	Customer   exportedCustomer  `json:"customer"`
	Points     int64             `json:"points_balance"`
	Purchases  []exportedSale    `json:"purchases"`
	Ledger     []exportedPoints  `json:"loyalty_ledger"`
	Contacts   []exportedContact `json:"contacts"`
	Occasions  []exportedOccas   `json:"occasions"`
	Promises   []exportedPromise `json:"promises"`
	Complaints []exportedComp    `json:"complaints"`
	Reminders  []exportedRem     `json:"reminders"`
}

type exportedCustomer struct {
	ID               rules.ID          `json:"id"`
	Name             string            `json:"name"`
	Phone            string            `json:"phone"`
	Email            string            `json:"email"`
	Birthday         string            `json:"birthday"`
	Address          string            `json:"address"`
	Notes            string            `json:"notes"`
	Tags             []string          `json:"tags"`
	PreferredChannel string            `json:"preferred_channel"`
	DoNotContact     bool              `json:"do_not_contact"`
	CustomerSince    string            `json:"customer_since"`
	AddedOn          string            `json:"added_on"`
	Consents         []exportedConsent `json:"consents"`
	Forgotten        bool              `json:"forgotten"`
}

type exportedConsent struct {
	Channel string `json:"channel"`
	GivenOn string `json:"given_on"`
	Source  string `json:"source"`
}

type exportedSale struct {
	ID          rules.ID `json:"id"`
	At          string   `json:"at"`
	Amount      string   `json:"amount"`
	Discount    string   `json:"discount"`
	Description string   `json:"description"`
	Staff       string   `json:"staff"`
	Reference   string   `json:"reference"`
	RefundOf    rules.ID `json:"refund_of,omitempty"`
	Voided      bool     `json:"voided"`
}

type exportedPoints struct {
	Day      string   `json:"day"`
	Kind     string   `json:"kind"`
	Points   int64    `json:"points"`
	Purchase rules.ID `json:"purchase,omitempty"`
	Staff    string   `json:"staff"`
	Reason   string   `json:"reason"`
}

type exportedContact struct {
	At      string `json:"at"`
	Channel string `json:"channel"`
	Staff   string `json:"staff"`
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

type exportedOccas struct {
	Label  string `json:"label"`
	Date   string `json:"date"`
	Yearly bool   `json:"yearly"`
}

type exportedPromise struct {
	What   string `json:"what"`
	Due    string `json:"due"`
	Staff  string `json:"staff"`
	MadeOn string `json:"made_on"`
	KeptOn string `json:"kept_on"`
}

type exportedComp struct {
	What       string `json:"what"`
	Received   string `json:"received"`
	Severity   string `json:"severity"`
	Staff      string `json:"staff"`
	ResolvedOn string `json:"resolved_on"`
	Resolution string `json:"resolution"`
}

type exportedRem struct {
	Kind  string `json:"kind"`
	Due   string `json:"due"`
	State string `json:"state"`
}

// CustomerRecord gathers everything kept about one customer.
func (s *Store) CustomerRecord(ctx context.Context, id rules.ID) (CustomerExport, error) {
	var x CustomerExport
	c, err := s.Customer(ctx, id)
	if err != nil {
		return x, err
	}
	x.ExportedAt = fmtInstant(s.Now())
	if x.Shop, err = s.ShopName(ctx); err != nil {
		return x, err
	}
	bd := ""
	if !c.Birthday.IsZero() {
		bd = c.Birthday.String()
	}
	x.Customer = exportedCustomer{ID: c.ID, Name: c.Name, Phone: c.Phone, Email: c.Email, Birthday: bd,
		Address: c.Address, Notes: c.Notes, Tags: nonNil(c.Tags), PreferredChannel: string(c.PreferredChannel),
		DoNotContact: c.DoNotContact, CustomerSince: dayText(c.CustomerSince), AddedOn: dayText(c.AddedOn),
		Consents: []exportedConsent{}, Forgotten: c.Forgotten}
	for _, k := range c.Consents {
		x.Customer.Consents = append(x.Customer.Consents, exportedConsent{string(k.Channel), dayText(k.GivenOn), k.Source})
	}
	if x.Points, err = s.Balance(ctx, id); err != nil {
		return x, err
	}
	ps, err := s.Purchases(ctx, id)
	if err != nil {
		return x, err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	x.Purchases = []exportedSale{}
	for _, p := range ps {
		x.Purchases = append(x.Purchases, exportedSale{p.ID, fmtInstant(p.At), p.Amount.String(), p.Discount.String(),
			p.Description, p.Staff, p.Reference, p.RefundOf, p.Voided})
	}
	ls, err := s.Ledger(ctx, id)
	if err != nil {
		return x, err
	}
	x.Ledger = []exportedPoints{}
	for _, l := range ls {
		x.Ledger = append(x.Ledger, exportedPoints{l.Day.String(), string(l.Kind), l.Points, l.PurchaseID, l.Staff, l.Reason})
	}
	cs, err := s.Contacts(ctx, id)
	if err != nil {
		return x, err
	}
	x.Contacts = []exportedContact{}
	for _, k := range cs {
		x.Contacts = append(x.Contacts, exportedContact{fmtInstant(k.At), string(k.Channel), k.Staff, k.Outcome, k.Note})
	}
	ocs, err := s.Occasions(ctx, id)
	if err != nil {
		return x, err
	}
	x.Occasions = []exportedOccas{}
	for _, o := range ocs {
		x.Occasions = append(x.Occasions, exportedOccas{o.Label, o.Date.String(), o.Yearly})
	}
	prs, err := s.Promises(ctx, id)
	if err != nil {
		return x, err
	}
	x.Promises = []exportedPromise{}
	for _, p := range prs {
		x.Promises = append(x.Promises, exportedPromise{p.What, dayText(p.Due), p.Staff, dayText(p.MadeOn), dayText(p.KeptOn)})
	}
	cps, err := s.Complaints(ctx, id)
	if err != nil {
		return x, err
	}
	x.Complaints = []exportedComp{}
	for _, k := range cps {
		x.Complaints = append(x.Complaints, exportedComp{k.What, dayText(k.Received), string(k.Severity), k.Staff, dayText(k.ResolvedOn), k.Resolution})
	}
	rs, err := s.CustomerReminders(ctx, id, s.Today())
	if err != nil {
		return x, err
	}
	x.Reminders = []exportedRem{}
	for _, r := range rs {
		x.Reminders = append(x.Reminders, exportedRem{string(r.Kind), dayText(r.Due), string(r.State)})
	}
	return x, nil
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
	z := zip.NewWriter(w)
	base := "customer-" + strconv.FormatInt(id, 10)
	stamp := s.Now()
	f, err := z.CreateHeader(&zip.FileHeader{Name: base + ".json", Method: zip.Deflate, Modified: stamp})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	f, err = z.CreateHeader(&zip.FileHeader{Name: base + "-purchases.csv", Method: zip.Deflate, Modified: stamp})
	if err != nil {
		return err
	}
	if err := writePurchasesCSV(f, x.Purchases); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("cannot write the export: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.Now(), staff, "export customer", fmt.Sprintf("customer %d", id), "", base+".zip")
	})
	if errors.Is(err, ErrReadOnly) {
		return nil // a damaged shop may still hand a customer their data
	}
	return err
}

func writePurchasesCSV(w io.Writer, ps []exportedSale) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "at", "amount", "discount", "description", "staff", "reference", "refund_of", "voided"})
	for _, p := range ps {
		ref := ""
		if p.RefundOf != 0 {
			ref = strconv.FormatInt(p.RefundOf, 10)
		}
		cw.Write([]string{strconv.FormatInt(p.ID, 10), p.At, p.Amount, p.Discount, rules.CSVText(p.Description), rules.CSVText(p.Staff), rules.CSVText(p.Reference), ref, strconv.FormatBool(p.Voided)})
	}
	cw.Flush()
	return cw.Error()
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

func dayText(d rules.Day) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
