package rules

import (
	"archive/zip"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// A customer's record, handed to them when they ask what the shop keeps.

// CustomerRecord is everything the shop keeps about one customer, as the
// store reads it.
type CustomerRecord struct {
	Customer   Customer // with its consents
	Points     int64
	Purchases  []Purchase
	Ledger     []LedgerRow
	Contacts   []Contact
	Occasions  []Occasion
	Promises   []Promise
	Complaints []Complaint
	Reminders  []Reminder
}

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
	ID               ID                `json:"id"`
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
	ID          ID     `json:"id"`
	At          string `json:"at"`
	Amount      string `json:"amount"`
	Discount    string `json:"discount"`
	Description string `json:"description"`
	Staff       string `json:"staff"`
	Reference   string `json:"reference"`
	RefundOf    ID     `json:"refund_of,omitempty"`
	Voided      bool   `json:"voided"`
}

type exportedPoints struct {
	Day      string `json:"day"`
	Kind     string `json:"kind"`
	Points   int64  `json:"points"`
	Purchase ID     `json:"purchase,omitempty"`
	Staff    string `json:"staff"`
	Reason   string `json:"reason"`
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

// Export is the record in the shape it is handed to the customer, from
// shop, made at the instant at; purchases are listed by id.
func (r CustomerRecord) Export(shop string, at time.Time) CustomerExport {
	const instant = "2006-01-02 15:04:05"
	c := r.Customer
	x := CustomerExport{ExportedAt: at.Format(instant), Shop: shop, Points: r.Points}
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
	ps := slices.Clone(r.Purchases)
	slices.SortFunc(ps, func(a, b Purchase) int { return cmp.Compare(a.ID, b.ID) })
	x.Purchases = []exportedSale{}
	for _, p := range ps {
		x.Purchases = append(x.Purchases, exportedSale{p.ID, p.At.Format(instant), p.Amount.String(), p.Discount.String(),
			p.Description, p.Staff, p.Reference, p.RefundOf, p.Voided})
	}
	x.Ledger = []exportedPoints{}
	for _, l := range r.Ledger {
		x.Ledger = append(x.Ledger, exportedPoints{l.Day.String(), string(l.Kind), l.Points, l.PurchaseID, l.Staff, l.Reason})
	}
	x.Contacts = []exportedContact{}
	for _, k := range r.Contacts {
		x.Contacts = append(x.Contacts, exportedContact{k.At.Format(instant), string(k.Channel), k.Staff, k.Outcome, k.Note})
	}
	x.Occasions = []exportedOccas{}
	for _, o := range r.Occasions {
		x.Occasions = append(x.Occasions, exportedOccas{o.Label, o.Date.String(), o.Yearly})
	}
	x.Promises = []exportedPromise{}
	for _, p := range r.Promises {
		x.Promises = append(x.Promises, exportedPromise{p.What, dayText(p.Due), p.Staff, dayText(p.MadeOn), dayText(p.KeptOn)})
	}
	x.Complaints = []exportedComp{}
	for _, k := range r.Complaints {
		x.Complaints = append(x.Complaints, exportedComp{k.What, dayText(k.Received), string(k.Severity), k.Staff, dayText(k.ResolvedOn), k.Resolution})
	}
	x.Reminders = []exportedRem{}
	for _, rm := range r.Reminders {
		x.Reminders = append(x.Reminders, exportedRem{string(rm.Kind), dayText(rm.Due), string(rm.State)})
	}
	return x
}

// WriteZip writes the export as a zip file: base.json with every record
// and base-purchases.csv with the purchases, both dated stamp.
func (x CustomerExport) WriteZip(w io.Writer, base string, stamp time.Time) error {
	z := zip.NewWriter(w)
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
	return nil
}

func writePurchasesCSV(w io.Writer, ps []exportedSale) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "at", "amount", "discount", "description", "staff", "reference", "refund_of", "voided"})
	for _, p := range ps {
		ref := ""
		if p.RefundOf != 0 {
			ref = strconv.FormatInt(p.RefundOf, 10)
		}
		cw.Write([]string{strconv.FormatInt(p.ID, 10), p.At, p.Amount, p.Discount, CSVText(p.Description), CSVText(p.Staff), CSVText(p.Reference), ref, strconv.FormatBool(p.Voided)})
	}
	cw.Flush()
	return cw.Error()
}

func dayText(d Day) string {
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
