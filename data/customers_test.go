package data

import (
	"context"
	"errors"
	"regulars/rules"
	"testing"
)

func TestMatchCustomerOrder(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	ann, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "+44 (0)7700 900-123", Email: "Ann@Example.com"})
	bob, _ := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "07700 900456", Email: "bob@example.com"})
	twin1, _ := s.AddCustomer(ctx, rules.Customer{Name: "Cara One", Phone: "0161 496 0000"})
	twin2, _ := s.AddCustomer(ctx, rules.Customer{Name: "Cara Two", Phone: "0161-496-0000"})
	cases := []struct {
		value string
		want  rules.ID
		err   error
	}{
		{"44 0 7700 900 123", ann, nil},
		{"+4407700900123", ann, nil},
		{"ann@EXAMPLE.com", ann, nil},
		{"07700.900.456", bob, nil},
		{"1", ann, nil}, // the id when no phone has those digits
		{"2", bob, nil},
		{"01614960000", 0, ErrAmbiguous},
		{"nobody@example.com", 0, ErrNotFound},
		{"999", 0, ErrNotFound},
	}
	for _, c := range cases {
		got, err := s.MatchCustomer(ctx, c.value)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%q: err = %v, want %v", c.value, err, c.err)
			}
			continue
		}
		if err != nil || got.ID != c.want {
			t.Errorf("%q: got %d, %v; want %d", c.value, got.ID, err, c.want)
		}
	}
	_, err := s.MatchCustomer(ctx, "0161 496 0000")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 || amb.Candidates[0].ID != twin1 || amb.Candidates[1].ID != twin2 {
		t.Errorf("ambiguous match should list both candidates: %v", err)
	}
}

func TestAddCustomerValidates(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	bad := []rules.Customer{
		{Name: "  "},
		{Name: "Ann", Phone: "call me"},
		{Name: "Ann", Phone: "12"},
		{Name: "Ann", Email: "ann@"},
		{Name: "Ann", Birthday: rules.YearlyDate{Year: 2023, Month: 2, Day: 29}},
		{Name: "Ann", PreferredChannel: "pigeon"},
	}
	for _, c := range bad {
		if _, err := s.AddCustomer(ctx, c); err == nil {
			t.Errorf("accepted %+v", c)
		}
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != 0 {
		t.Errorf("%d customers written by refused adds", n)
	}
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Zoë Ñúñez", Birthday: rules.YearlyDate{Month: 2, Day: 29}, Tags: []string{"vip", "trade"},
		Consents: []rules.Consent{{Channel: rules.ChannelEmail, Source: "signed form"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Zoë Ñúñez" || c.Birthday.String() != "--02-29" || len(c.Tags) != 2 || c.AddedOn.String() != "2026-06-01" {
		t.Errorf("stored customer differs: %+v", c)
	}
	if len(c.Consents) != 1 || c.Consents[0].GivenOn.String() != "2026-06-01" || !c.HasConsent(rules.ChannelEmail) || c.HasConsent(rules.ChannelSMS) {
		t.Errorf("consent wrong: %+v", c.Consents)
	}
	c.DoNotContact = true
	if c.HasConsent(rules.ChannelEmail) || c.HasConsent(rules.ChannelPhone) {
		t.Error("do not contact must override consent")
	}
}

func TestSearchCustomers(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	s.AddCustomer(ctx, rules.Customer{Name: "Martha Jones", Phone: "07700 900111", Email: "mj@example.com"})
	s.AddCustomer(ctx, rules.Customer{Name: "Tom Martin", Phone: "07700 900222"})
	s.AddCustomer(ctx, rules.Customer{Name: "Ann 50% off", Email: "deals@example.com"})
	cases := []struct {
		q    string
		want []string
	}{
		{"mart", []string{"Martha Jones", "Tom Martin"}}, // prefix first
		{"900 222", []string{"Tom Martin"}},
		{"0111", []string{"Martha Jones"}},
		{"MJ@", []string{"Martha Jones"}},
		{"50%", []string{"Ann 50% off"}},
		{"%", []string{"Ann 50% off"}},
		{"zzz", nil},
	}
	for _, c := range cases {
		got, err := s.SearchCustomers(ctx, c.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range got {
			names = append(names, g.Name)
		}
		if len(names) != len(c.want) {
			t.Errorf("%q: got %v, want %v", c.q, names, c.want)
			continue
		}
		for i := range names {
			if names[i] != c.want[i] {
				t.Errorf("%q: got %v, want %v", c.q, names, c.want)
			}
		}
	}
}

func TestMergeMovesHistory(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	keep, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Tags: []string{"vip"}})
	drop, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Email: "ann@example.com", Birthday: rules.YearlyDate{Month: 3, Day: 4}, Tags: []string{"trade"}})
	s.w.Exec("INSERT INTO purchases(customer_id, at, day, amount_cents) VALUES (?, '2026-05-01 10:00:00', '2026-05-01', 1000)", drop)
	s.w.Exec("INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff) VALUES (?, '2026-05-01 10:00:00', '2026-05-01', 'earn', 10, 1, 'Owner')", drop)
	s.w.Exec("INSERT INTO contacts(customer_id, at, day, channel) VALUES (?, '2026-05-02 10:00:00', '2026-05-02', 'phone')", drop)
	if err := s.MergeCustomers(ctx, keep, drop, "Owner"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Customer(ctx, drop); !errors.Is(err, ErrNotFound) {
		t.Error("merged customer still exists")
	}
	c, _ := s.Customer(ctx, keep)
	if c.Email != "ann@example.com" || c.Phone != "07700 900123" || c.Birthday.Month != 3 || len(c.Tags) != 2 {
		t.Errorf("fields not merged: %+v", c)
	}
	for _, table := range []string{"purchases", "ledger", "contacts"} {
		var n int
		s.w.QueryRow("SELECT count(*) FROM "+table+" WHERE customer_id = ?", keep).Scan(&n)
		if n != 1 {
			t.Errorf("%s rows on the kept customer = %d, want 1", table, n)
		}
	}
	var audits int
	s.w.QueryRow("SELECT count(*) FROM audit WHERE action = 'merge customers'").Scan(&audits)
	if audits != 1 {
		t.Errorf("merge not audited")
	}
	if err := s.MergeCustomers(ctx, keep, keep, "Owner"); err == nil {
		t.Error("merging a customer with itself was accepted")
	}
}

func TestDuplicates(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	a, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann", Phone: "07700 900123"})
	b, _ := s.AddCustomer(ctx, rules.Customer{Name: "Bea", Email: "Bea@Example.com"})
	d, err := s.Duplicates(ctx, rules.Customer{Name: "x", Phone: "07700-900-123", Email: "bea@example.COM"})
	if err != nil || len(d) != 2 || d[0].ID != a || d[1].ID != b {
		t.Errorf("duplicates = %+v, %v", d, err)
	}
	if d, err := s.Duplicates(ctx, rules.Customer{Name: "x"}); err != nil || len(d) != 0 {
		t.Errorf("no phone or email should find no duplicates, got %d (%v)", len(d), err)
	}
}
