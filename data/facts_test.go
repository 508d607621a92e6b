package data

import (
	"context"
	"database/sql"
	"errors"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

// rmStore opens a fresh database whose today is the day given, with a clock
// fixed at 10:30 that day.
func rmStore(t *testing.T, today string) *Store {
	t.Helper()
	d := rmDay(today)
	y, m, dd := d.Date()
	clock := func() time.Time { return time.Date(y, m, dd, 10, 30, 0, 0, time.Local) }
	return openTestShop(t, Options{Today: d, Clock: clock})
}

func rmAddCustomer(t *testing.T, s *Store, c rules.Customer) rules.ID {
	t.Helper()
	id, err := s.AddCustomer(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestOccasions(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee"})
	wed, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: ann, Label: "Wedding anniversary", Date: rules.YearlyDate{Year: 2010, Month: 9, Day: 4}, Yearly: true, LeadDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: ann, Label: "Moved house", Date: rules.YearlyDate{Year: 2026, Month: 7, Day: 1}, LeadDays: 0})
	if err != nil {
		t.Fatal(err)
	}
	leap, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: ann, Label: "Dog's birthday", Date: rules.YearlyDate{Month: 2, Day: 29}, Yearly: true, LeadDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Occasions(ctx, ann)
	if err != nil || len(got) != 3 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got[0].ID != leap || got[1].ID != moved || got[2].ID != wed {
		t.Errorf("occasions should come in calendar order: %+v", got)
	}
	if got[1].Yearly || got[1].LeadDays != 0 || got[1].Date != (rules.YearlyDate{Year: 2026, Month: 7, Day: 1}) || got[1].Label != "Moved house" {
		t.Errorf("one-off occasion read back wrong: %+v", got[1])
	}
	if got[0].Date.Year != 0 || !got[0].Yearly {
		t.Errorf("year-less occasion read back wrong: %+v", got[0])
	}

	upd := got[2]
	upd.LeadDays, upd.Label = 14, "Wedding"
	if err := s.UpdateOccasion(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOccasion(ctx, moved); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Occasions(ctx, ann)
	if len(got) != 2 || got[1].LeadDays != 14 || got[1].Label != "Wedding" {
		t.Errorf("after update and delete: %+v", got)
	}
	if err := s.DeleteOccasion(ctx, moved); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if err := s.UpdateOccasion(ctx, rules.Occasion{ID: 999, Label: "x", Date: rules.YearlyDate{Month: 1, Day: 1}, Yearly: true}); !errors.Is(err, ErrNotFound) {
		t.Errorf("updating a missing occasion: %v", err)
	}

	bad := []rules.Occasion{
		{CustomerID: ann, Label: " ", Date: rules.YearlyDate{Month: 1, Day: 1}, Yearly: true},
		{CustomerID: ann, Label: "x", Yearly: true},
		{CustomerID: ann, Label: "x", Date: rules.YearlyDate{Month: 1, Day: 1}},                // one-off needs a year
		{CustomerID: ann, Label: "x", Date: rules.YearlyDate{Year: 2026, Month: 2, Day: 29}},   // not a leap year
		{CustomerID: ann, Label: "x", Date: rules.YearlyDate{Month: 4, Day: 31}, Yearly: true}, // no 31 April
		{CustomerID: ann, Label: "x", Date: rules.YearlyDate{Month: 1, Day: 1}, Yearly: true, LeadDays: 61},
		{CustomerID: ann, Label: "x", Date: rules.YearlyDate{Month: 1, Day: 1}, Yearly: true, LeadDays: -1},
	}
	for _, o := range bad {
		if _, err := s.AddOccasion(ctx, o); err == nil {
			t.Errorf("%+v should be refused", o)
		}
	}
	if _, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: 999, Label: "x", Date: rules.YearlyDate{Month: 1, Day: 1}, Yearly: true}); !errors.Is(err, ErrNotFound) {
		t.Errorf("occasion of a missing customer: %v", err)
	}
}

func TestPromises(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee"})
	id, err := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: " order floor mats ", Due: rmDay("2026-06-10"), Staff: "Bea"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Promises(ctx, ann)
	if err != nil || len(got) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	if p := got[0]; p.ID != id || p.What != "order floor mats" || p.MadeOn != rmDay("2026-06-01") || !p.KeptOn.IsZero() || p.Staff != "Bea" {
		t.Errorf("promise read back wrong: %+v", p)
	}
	s.SetToday(rmDay("2026-06-08"))
	if err := s.KeepPromise(ctx, id, "Cy"); err != nil {
		t.Fatal(err)
	}
	s.SetToday(rmDay("2026-06-09"))
	if err := s.KeepPromise(ctx, id, "Cy"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Promises(ctx, ann)
	if got[0].KeptOn != rmDay("2026-06-08") {
		t.Errorf("kept on %s, want the first keeping 2026-06-08", got[0].KeptOn)
	}
	if err := s.KeepPromise(ctx, 999, "Cy"); !errors.Is(err, ErrNotFound) {
		t.Errorf("keeping a missing promise: %v", err)
	}
	if _, err := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "", Due: rmDay("2026-06-10")}); err == nil {
		t.Error("a promise without what was promised should be refused")
	}
	if _, err := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "x"}); err == nil {
		t.Error("a promise without a due day should be refused")
	}
}

func TestComplaints(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee"})
	first, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "zip broke", Staff: "Bea"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "late delivery", Received: rmDay("2026-05-20"), Severity: rules.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Complaints(ctx, ann)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if got[0].ID != first || got[0].Received != rmDay("2026-06-01") || got[0].Severity != rules.SeverityMedium || got[0].ReceivedAt.Hour() != 10 {
		t.Errorf("newest complaint read back wrong: %+v", got[0])
	}
	if got[1].ID != second || got[1].Received != rmDay("2026-05-20") || got[1].Severity != rules.SeverityHigh {
		t.Errorf("dated complaint read back wrong: %+v", got[1])
	}
	if err := s.ResolveComplaint(ctx, first, "  ", "Bea"); err == nil {
		t.Error("a resolution is required")
	}
	s.SetToday(rmDay("2026-06-03"))
	if err := s.ResolveComplaint(ctx, first, "new zip fitted", "Bea"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveComplaint(ctx, first, "again", "Bea"); err == nil || !strings.Contains(err.Error(), "already resolved") {
		t.Errorf("resolving twice: %v", err)
	}
	got, _ = s.Complaints(ctx, ann)
	if got[0].ResolvedOn != rmDay("2026-06-03") || got[0].Resolution != "new zip fitted" || got[0].OpenOn(rmDay("2026-06-03")) || !got[0].OpenOn(rmDay("2026-06-02")) {
		t.Errorf("resolved complaint read back wrong: %+v", got[0])
	}
	if _, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "x", Severity: "dire"}); err == nil {
		t.Error("an unknown severity should be refused")
	}
	if _, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann}); err == nil {
		t.Error("a complaint needs to say what it is about")
	}
}

func TestContacts(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee"})
	if _, err := s.LogContact(ctx, rules.Contact{CustomerID: ann, Channel: rules.ChannelPhone, Staff: "Bea", Outcome: "left a message"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 2, 9, 0, 0, 0, time.Local)
	if _, err := s.LogContact(ctx, rules.Contact{CustomerID: ann, Channel: rules.ChannelCard, At: at, Note: "birthday card"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Contacts(ctx, ann)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if got[0].Day != rmDay("2026-06-01") || got[0].Channel != rules.ChannelPhone || got[0].Outcome != "left a message" || got[0].Staff != "Bea" {
		t.Errorf("newest contact read back wrong: %+v", got[0])
	}
	if got[1].Day != rmDay("2026-05-02") || !got[1].At.Equal(at) || got[1].Note != "birthday card" {
		t.Errorf("dated contact read back wrong: %+v", got[1])
	}
	for _, ch := range []rules.Channel{"", "pigeon"} {
		if _, err := s.LogContact(ctx, rules.Contact{CustomerID: ann, Channel: ch}); err == nil {
			t.Errorf("channel %q should be refused", ch)
		}
	}
	if _, err := s.LogContact(ctx, rules.Contact{CustomerID: 999, Channel: rules.ChannelSMS}); !errors.Is(err, ErrNotFound) {
		t.Errorf("contact of a missing customer: %v", err)
	}
}

// The store methods below serve only the tests: the app adds occasions but
// neither changes nor removes them.

// UpdateOccasion saves an occasion's label, date, repetition and lead days.
func (s *Store) UpdateOccasion(ctx context.Context, o rules.Occasion) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE occasions SET label=?, year=?, month=?, day=?, yearly=?, lead_days=? WHERE id=?`,
			append(occasionArgs(o), o.ID)...)
		if err != nil {
			return err
		}
		return mustAffect(res, "occasion", o.ID)
	})
}

// DeleteOccasion removes an occasion.
func (s *Store) DeleteOccasion(ctx context.Context, id rules.ID) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM occasions WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, "occasion", id)
	})
}

func mustAffect(res sql.Result, what string, id rules.ID) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("there is no %s %d", what, id)
	}
	return nil
}
