package data

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"regulars/rules"
	"strings"
	"testing"
)

// richCustomer is a customer with something in every table.
func richCustomer(t *testing.T, s *Store) rules.ID {
	t.Helper()
	ctx := context.Background()
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Zoë Ñúñez", Phone: "07700 900001", Email: "zoe@example.com",
		Birthday: rules.YearlyDate{Year: 1985, Month: 2, Day: 28}, Address: "1 High St", Notes: "likes scarves",
		Tags: []string{"vip"}, PreferredChannel: rules.ChannelEmail,
		Consents: []rules.Consent{{Channel: rules.ChannelEmail, Source: "signed form"}}, CustomerSince: lyDay(2020, 5, 1)})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sale := lySale(t, s, id, 12000, 0)
	lySale(t, s, id, 3000, 0)
	_, err = s.Refund(ctx, sale.Purchase.ID, 2000, "Sam", "wrong size")
	must(err)
	_, err = s.AdjustPoints(ctx, id, 15, "goodwill", "Sam")
	must(err)
	_, err = s.AddOccasion(ctx, rules.Occasion{CustomerID: id, Label: "Wedding anniversary", Date: rules.YearlyDate{Month: 9, Day: 12}, Yearly: true, LeadDays: 7})
	must(err)
	_, err = s.AddPromise(ctx, rules.Promise{CustomerID: id, What: "order the red scarf", Due: lyDay(2024, 3, 5), Staff: "Sam"})
	must(err)
	_, err = s.AddComplaint(ctx, rules.Complaint{CustomerID: id, What: "zip broke on the coat", Severity: rules.SeverityHigh, Staff: "Sam"})
	must(err)
	_, err = s.LogContact(ctx, rules.Contact{CustomerID: id, Channel: rules.ChannelPhone, Staff: "Sam", Outcome: "spoke", Note: "her mother is ill"})
	must(err)
	return id
}

func TestExportCustomerHoldsEverything(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	id := richCustomer(t, s)
	lyCustomer(t, s, "Someone Else")
	var buf bytes.Buffer
	if err := s.ExportCustomer(ctx, id, "Sam", &buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		files[f.Name] = string(b)
	}
	if len(files) != 2 || files["customer-1.json"] == "" || files["customer-1-purchases.csv"] == "" {
		t.Fatalf("zip holds %v", z.File)
	}
	var x rules.CustomerExport
	if err := json.Unmarshal([]byte(files["customer-1.json"]), &x); err != nil {
		t.Fatal(err)
	}
	c := x.Customer
	if c.Name != "Zoë Ñúñez" || c.Phone != "07700 900001" || c.Email != "zoe@example.com" || c.Birthday != "1985-02-28" ||
		c.Address != "1 High St" || c.Notes != "likes scarves" || len(c.Tags) != 1 || c.CustomerSince != "2020-05-01" {
		t.Errorf("customer %+v", c)
	}
	if len(c.Consents) != 1 || c.Consents[0].Channel != "email" || c.Consents[0].Source != "signed form" || c.Consents[0].GivenOn != "2024-03-01" {
		t.Errorf("consents %+v", c.Consents)
	}
	bal := lyBalance(t, s, id)
	if x.Points != bal || len(x.Purchases) != 3 || len(x.Ledger) != 4 || len(x.Contacts) != 1 || len(x.Occasions) != 1 ||
		len(x.Promises) != 1 || len(x.Complaints) != 1 || len(x.Reminders) == 0 {
		t.Errorf("export counts: points %d (want %d), %d purchases, %d ledger, %d contacts, %d occasions, %d promises, %d complaints, %d reminders",
			x.Points, bal, len(x.Purchases), len(x.Ledger), len(x.Contacts), len(x.Occasions), len(x.Promises), len(x.Complaints), len(x.Reminders))
	}
	if strings.Contains(files["customer-1.json"], "Someone Else") {
		t.Error("another customer's data is in the export")
	}
	rows, err := csv.NewReader(strings.NewReader(files["customer-1-purchases.csv"])).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("purchases CSV: %v %v", rows, err)
	}
	if rows[0][0] != "id" || rows[1][2] != "120.00" || rows[3][2] != "-20.00" || rows[3][7] != "1" {
		t.Errorf("purchases CSV rows %v", rows)
	}
	if err := s.ExportCustomer(ctx, 99, "Sam", io.Discard); err == nil {
		t.Error("export of a missing customer succeeded")
	}
}

func TestForgetCustomerKeepsTotalsAndLedger(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	id := richCustomer(t, s)
	other := lyCustomer(t, s, "Someone Else")
	lySale(t, s, other, 5000, 0)
	balance := lyBalance(t, s, id)
	before := noErr(s.Purchases(ctx, id))(t)
	ledgerBefore := noErr(s.Ledger(ctx, id))(t)
	if len(before) == 0 || len(ledgerBefore) == 0 {
		t.Fatalf("the customer to forget has %d purchases and %d ledger rows", len(before), len(ledgerBefore))
	}
	var sumBefore int64
	if err := s.reader().QueryRow("SELECT sum(points) FROM ledger").Scan(&sumBefore); err != nil {
		t.Fatal(err)
	}
	otherBefore := noErr(s.Customer(ctx, other))(t)

	if err := s.ForgetCustomer(ctx, id, "Owner"); err != nil {
		t.Fatal(err)
	}
	c, err := s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Forgotten customer 1" || c.Phone != "" || c.Email != "" || !c.Birthday.IsZero() || c.Address != "" ||
		c.Notes != "" || len(c.Tags) != 0 || len(c.Consents) != 0 || c.PreferredChannel != "" || !c.Forgotten || !c.DoNotContact {
		t.Errorf("forgotten customer still holds %+v", c)
	}
	if got := lyBalance(t, s, id); got != balance {
		t.Errorf("balance %d, was %d", got, balance)
	}
	after := noErr(s.Purchases(ctx, id))(t)
	if len(after) != len(before) {
		t.Fatalf("%d purchases, were %d", len(after), len(before))
	}
	for i := range after {
		if after[i].Amount != before[i].Amount || after[i].Discount != before[i].Discount {
			t.Errorf("purchase %d changed", after[i].ID)
		}
	}
	if ledgerAfter := noErr(s.Ledger(ctx, id))(t); len(ledgerAfter) != len(ledgerBefore) {
		t.Error("the ledger changed")
	}
	var sumAfter int64
	if err := s.reader().QueryRow("SELECT sum(points) FROM ledger").Scan(&sumAfter); err != nil {
		t.Fatal(err)
	}
	if sumAfter != sumBefore {
		t.Errorf("ledger sum %d, was %d", sumAfter, sumBefore)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("check after forgetting: %v %v", problems, err)
	}
	// Nothing personal is left anywhere the app shows or exports.
	var buf bytes.Buffer
	if err := s.ExportCustomer(ctx, id, "Owner", &buf); err != nil {
		t.Fatal(err)
	}
	z := noErr(zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len())))(t)
	if len(z.File) == 0 {
		t.Fatal("the export holds no file")
	}
	js := noErr(io.ReadAll(noErr(z.File[0].Open())(t)))(t)
	if !strings.Contains(string(js), "Forgotten customer 1") {
		t.Fatalf("the export does not hold the forgotten customer: %s", js)
	}
	for _, secret := range []string{"Zoë", "07700", "zoe@", "High St", "scarves", "1985", "Wedding", "mother", "zip broke", "red scarf", "signed form"} {
		if strings.Contains(string(js), secret) {
			t.Errorf("%q is still in the forgotten customer's record", secret)
		}
	}
	if found := noErr(s.SearchCustomers(ctx, "07700 900001", 10))(t); len(found) != 0 {
		t.Error("the old phone still finds the customer")
	}
	if rs := noErr(s.TodayList(ctx, lyDay(2024, 3, 10)))(t); len(rs) != 0 {
		for _, r := range rs {
			if r.CustomerID == id {
				t.Errorf("a forgotten customer is reminded: %+v", r)
			}
		}
	}
	if o := noErr(s.Customer(ctx, other))(t); o.Name != otherBefore.Name {
		t.Error("another customer was touched")
	}
	if err := s.ForgetCustomer(ctx, 99, "Owner"); err == nil {
		t.Error("forgetting a missing customer succeeded")
	}
}

// noErr hands back v once err is checked: noErr(s.Ledger(ctx, id))(t).
// An error read as "nothing" would pass every check that expects nothing.
func noErr[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
