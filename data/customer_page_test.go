package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
	"time"
)

// cpSeparate is what the customer page read before CustomerPage: one call
// for each thing it shows.
func cpSeparate(ctx context.Context, s *Store, id rules.ID, d rules.Day) (CustomerPage, error) {
	var p CustomerPage
	var err error
	if p.Customer, err = s.Customer(ctx, id); err != nil {
		return p, err
	}
	if p.Purchases, err = s.Purchases(ctx, id); err != nil {
		return p, err
	}
	if p.Contacts, err = s.Contacts(ctx, id); err != nil {
		return p, err
	}
	if p.Complaints, err = s.Complaints(ctx, id); err != nil {
		return p, err
	}
	if p.Promises, err = s.Promises(ctx, id); err != nil {
		return p, err
	}
	if p.Occasions, err = s.Occasions(ctx, id); err != nil {
		return p, err
	}
	if p.Reminders, err = s.CustomerReminders(ctx, id, d); err != nil {
		return p, err
	}
	if p.Ledger, err = s.Ledger(ctx, id); err != nil {
		return p, err
	}
	p.Balance, err = s.Balance(ctx, id)
	return p, err
}

// cpSame fails when CustomerPage and the separate calls disagree about
// customer id on day d, and returns the page.
func cpSame(t *testing.T, s *Store, id rules.ID, d rules.Day) CustomerPage {
	t.Helper()
	ctx := context.Background()
	got, errGot := s.CustomerPage(ctx, id, d)
	want, errWant := cpSeparate(ctx, s, id, d)
	if errGot != nil || errWant != nil {
		if errGot == nil || errWant == nil || errGot.Error() != errWant.Error() {
			t.Fatalf("customer %d on %s: CustomerPage error %v, separate calls %v", id, d, errGot, errWant)
		}
		return got
	}
	if !reflect.DeepEqual(got, want) {
		v, w := reflect.ValueOf(got), reflect.ValueOf(want)
		for i := range v.NumField() {
			if !reflect.DeepEqual(v.Field(i).Interface(), w.Field(i).Interface()) {
				name := v.Type().Field(i).Name
				if name == "Reminders" {
					t.Fatalf("customer %d on %s: Reminders differ:\npage     %s\nseparate %s", id, d, dvBrief(got.Reminders), dvBrief(want.Reminders))
				}
				t.Fatalf("customer %d on %s: %s differ:\npage     %+v\nseparate %+v", id, d, name, v.Field(i).Interface(), w.Field(i).Interface())
			}
		}
	}
	return got
}

// cpFind is the first reminder of customer id on d of kind k.
func cpFind(t *testing.T, s *Store, id rules.ID, d rules.Day, k rules.Kind) rules.Reminder {
	t.Helper()
	rs, err := s.CustomerReminders(context.Background(), id, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Kind == k && r.State == rules.StateOpen {
			return r
		}
	}
	t.Fatalf("customer %d has no open %s reminder on %s", id, k, d)
	return rules.Reminder{}
}

func TestCustomerPageMatchesTheSeparateCalls(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 60, Seed: 3, End: end}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetTemplate(ctx, rules.KindThankYou, "Thank you for the {{.LastPurchase}}, {{.FirstName}}!"))
	must(s.SetTemplate(ctx, rules.KindCheckIn, `{{with .LastPurchase}}{{.}}{{end}}: {{.FirstName | printf "%q"}}`)) // not plain

	// Reminders handled, then the facts moved on: a promise kept, a
	// complaint resolved, a thank-you whose sale was moved to someone else
	// and one whose sale was voided, a stay-in-touch call made.
	promiseID, err := s.AddPromise(ctx, rules.Promise{CustomerID: 4, What: "order the green scarf", Due: end.AddDays(-1), MadeOn: end.AddDays(-5)})
	must(err)
	r := cpFind(t, s, 4, end, rules.KindPromise)
	_, err = s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya", Outcome: "ordered"})
	must(err)
	must(s.KeepPromise(ctx, promiseID, "Priya"))
	promiseKey := r.Key

	complaintID, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: 6, What: "zip broke", Received: end.AddDays(-4)})
	must(err)
	r = cpFind(t, s, 6, end, rules.KindComplaintFollowup)
	_, err = s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
	must(err)
	must(s.ResolveComplaint(ctx, complaintID, "new zip", "Priya"))

	// New customers: no earlier sale holds their thank-yous back.
	s.SetToday(end.AddDays(-10))
	mover, err := s.AddCustomer(ctx, rules.Customer{Name: "Mo Mover"})
	must(err)
	voider, err := s.AddCustomer(ctx, rules.Customer{Name: "Vi Voider"})
	must(err)
	moved, err := s.RecordSale(ctx, Sale{CustomerID: mover, Amount: 8900, Description: "tartan scarf", Staff: "Maggie"})
	must(err)
	voided, err := s.RecordSale(ctx, Sale{CustomerID: voider, Amount: 4100, Description: "gloves", Staff: "Maggie"})
	must(err)
	s.SetToday(end)
	thanks := func(id rules.ID, p rules.ID) string {
		rs, err := s.CustomerReminders(ctx, id, end)
		must(err)
		for _, r := range rs {
			if r.Kind == rules.KindThankYou && r.Subject == fmt.Sprintf("purchase:%d", p) {
				_, err = s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelEmail, Staff: "Maggie"})
				must(err)
				return r.Key
			}
		}
		t.Fatalf("no thank-you for purchase %d", p)
		return ""
	}
	movedKey := thanks(mover, moved.Purchase.ID)
	_, err = s.MovePurchase(ctx, moved.Purchase.ID, 10, "Maggie")
	must(err)
	voidedKey := thanks(voider, voided.Purchase.ID)
	must(s.VoidPurchase(ctx, voided.Purchase.ID, "Maggie", "wrong customer"))

	today, err := s.TodayList(ctx, end)
	must(err)
	touched := false
	for _, r := range today {
		if r.Kind == rules.KindStayInTouch {
			_, err = s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
			touched = true
			break
		}
	}
	if !touched {
		t.Fatal("no stay-in-touch reminder on Today")
	}

	// Reminders done, skipped and snoozed; then a customer holding some is
	// merged into another, and one is forgotten.
	today, err = s.TodayList(ctx, end)
	must(err)
	if len(today) < 8 {
		t.Fatalf("only %d reminders on Today", len(today))
	}
	_, err = s.CompleteReminder(ctx, today[0].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
	must(err)
	must(s.SkipReminder(ctx, today[1].Key, "away", "Priya"))
	must(s.SnoozeReminder(ctx, today[2].Key, end.AddDays(3), "Priya"))
	drop := today[3].CustomerID
	must(s.SkipReminder(ctx, today[3].Key, "merged", "Owner"))
	for _, r := range today[4:] {
		if r.CustomerID == drop {
			must(s.SnoozeReminder(ctx, r.Key, end.AddDays(2), "Owner"))
			break
		}
	}
	keep := rules.ID(2)
	if drop == keep {
		keep = 3
	}
	must(s.MergeCustomers(ctx, keep, drop, "Owner"))
	forgot := rules.ID(12)
	if forgot == drop || forgot == keep {
		forgot = 13
	}
	must(s.ForgetCustomer(ctx, forgot, "Owner"))

	// Facts dated after today, and one customer asks not to be contacted.
	s.SetToday(end.AddDays(5))
	_, err = s.RecordSale(ctx, Sale{CustomerID: 14, Amount: 15000, Description: "wool coat", Staff: "Maggie"})
	must(err)
	_, err = s.LogContact(ctx, rules.Contact{CustomerID: 15, Channel: rules.ChannelEmail, Staff: "Priya"})
	must(err)
	_, err = s.AdjustPoints(ctx, 14, 40, "goodwill", "Owner")
	must(err)
	s.SetToday(end)
	c, err := s.Customer(ctx, 16)
	must(err)
	c.DoNotContact = true
	must(s.UpdateCustomer(ctx, c))

	// Rows written out of order: the lists' order is not the order they
	// were written in.
	for _, q := range []string{
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 15:00:00', '2026-06-13', 2500, 'late')`,
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 09:00:00', '2026-06-13', 1500, 'early')`,
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 09:00:00', '2026-06-13', 1700, 'same time')`,
		`INSERT INTO contacts(customer_id, at, day, channel) VALUES (5, '2026-06-13 16:00:00', '2026-06-13', 'phone')`,
		`INSERT INTO contacts(customer_id, at, day, channel) VALUES (5, '2026-06-12 08:00:00', '2026-06-13', 'email')`,
	} {
		_, err := s.w.Exec(q)
		must(err)
	}
	must(s.CatchUp(ctx))

	var maxID rules.ID
	must(s.reader().QueryRow("SELECT max(id) FROM customers").Scan(&maxID))
	days := []rules.Day{rules.NewDay(2025, 11, 2), end.AddDays(-30), end.AddDays(-1), end, end.AddDays(1), end.AddDays(5),
		end.AddDays(30), rules.NewDay(2026, 12, 30), rules.NewDay(2027, 7, 1)}
	states := map[rules.State]int{}
	for id := rules.ID(1); id <= maxID+1; id++ {
		for _, d := range days {
			p := cpSame(t, s, id, d)
			for _, r := range p.Reminders {
				states[r.State]++
			}
		}
	}
	for _, st := range []rules.State{rules.StateOpen, rules.StateDone, rules.StateSkipped, rules.StateSnoozed, rules.StateMissed} {
		if states[st] == 0 {
			t.Errorf("no page showed a %s reminder", st)
		}
	}

	// The tests above looked at what they meant to.
	has := func(id rules.ID, key string, text string) {
		t.Helper()
		p, err := s.CustomerPage(ctx, id, end)
		must(err)
		for _, r := range p.Reminders {
			if r.Key == key && r.State == rules.StateDone && strings.Contains(r.Why+r.Message, text) {
				return
			}
		}
		t.Errorf("customer %d: no done %s mentioning %q:\n%s", id, key, text, dvBrief(p.Reminders))
	}
	has(4, promiseKey, "green scarf")
	has(mover, movedKey, "tartan scarf")
	has(voider, voidedKey, "gloves")
	if p, err := s.CustomerPage(ctx, forgot, end); err != nil || !p.Customer.Forgotten || p.Reminders == nil || len(p.Reminders) != 0 || len(p.Purchases) == 0 {
		t.Errorf("forgotten customer %d: %v, %d reminders, %d purchases", forgot, err, len(p.Reminders), len(p.Purchases))
	}
	if p, err := s.CustomerPage(ctx, keep, end); err != nil || !slices.ContainsFunc(p.Reminders, func(r rules.Reminder) bool {
		return r.State == rules.StateSkipped && r.Reason == "merged"
	}) {
		t.Errorf("merged customer %d: %v, no reminder skipped before the merge:\n%s", keep, err, dvBrief(p.Reminders))
	}
	if _, err := s.CustomerPage(ctx, maxID+1, end); !errors.Is(err, ErrNotFound) {
		t.Errorf("a customer that is not there: %v", err)
	}
}

// The customer list's reader of days gives what scanDay gives, for any
// text.
func TestCustomerPageTextReaders(t *testing.T) {
	for _, s := range []string{"", "2026-06-15", "2026-02-29", "2028-02-29", "2026-13-01", "2026-6-15", " 2026-06-15",
		"2026-06-15 ", "0000-01-01", "9999-12-31", "abcd-ef-gh", "2026-06-15 10:00:00"} {
		if got, want := dayOf(s), scanDay(sql.NullString{String: s, Valid: true}); got != want {
			t.Errorf("dayOf(%q) = %v, want %v", s, got, want)
		}
	}
}

// Pages read while sales are written each come from one moment: a sale's
// purchase and its points are both on the page or neither is. Many pages
// at once, more than there are reader connections, all finish.
func TestCustomerPageOneSnapshot(t *testing.T) {
	runBeside(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	day := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Sam Snapshot"})
	if err != nil {
		t.Fatal(err)
	}
	const sales, readers = 40, 8
	done := make(chan error, 1)
	go func() {
		for i := range sales {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: rules.Cents(1000 + i), Staff: "Maggie"}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	errs := make(chan error, readers)
	for range readers {
		go func() {
			for {
				p, err := s.CustomerPage(ctx, id, day)
				if err != nil {
					errs <- err
					return
				}
				earned := map[rules.ID]bool{}
				for _, l := range p.Ledger {
					if l.Kind == rules.LedgerEarn {
						earned[l.PurchaseID] = true
					}
				}
				if len(earned) != len(p.Purchases) {
					errs <- fmt.Errorf("a page shows %d purchases and points for %d", len(p.Purchases), len(earned))
					return
				}
				for _, x := range p.Purchases {
					if !earned[x.ID] {
						errs <- fmt.Errorf("a page shows purchase %d without its points", x.ID)
						return
					}
				}
				if len(p.Purchases) == sales {
					errs <- nil
					return
				}
			}
		}()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range readers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
