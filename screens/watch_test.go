package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"regulars/data"
	"regulars/data/pgtest"
	"regulars/rules"
)

// A sale made at another till (another store on the same shop) shows in
// this window within 2 s: on Today (the reminder it answers goes), on the
// customer's page and on the checkout's card, while what is typed stays.
func TestAnotherTillsSaleShows(t *testing.T) {
	for _, engine := range []string{"SQLite", "PostgreSQL"} {
		t.Run(engine, func(t *testing.T) { anotherTillsSaleShows(t, engine == "PostgreSQL") })
	}
}

// twoTillShop is a demo shop of 60 customers ending on the day of now, in
// a file or copied to a throwaway PostgreSQL; it returns where it is.
func twoTillShop(t *testing.T, now time.Time, onPG bool) string {
	t.Helper()
	ctx := context.Background()
	day := rules.DayOf(now)
	path := t.TempDir() + "/shop.db"
	s, err := data.Open(ctx, path, data.Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.GenerateDemo(ctx, data.DemoOptions{Customers: 60, Seed: 3, End: day}); err != nil {
		t.Fatal(err)
	}
	if !onPG {
		return path
	}
	where := pgtest.URL(t, pgtest.Shared(t))
	target, err := data.Open(ctx, where, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if _, err := s.CopyTo(ctx, target); err != nil {
		t.Fatal(err)
	}
	return where
}

func anotherTillsSaleShows(t *testing.T, onPG bool) {
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
	where := twoTillShop(t, now, onPG)
	loop := newUILoop()
	a := startAppAt(t, where, now, loop)
	a.watchOtherTills()
	other, err := data.Open(ctx, where, data.Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	shown := func(what string, since time.Time, ok func() bool) {
		t.Helper()
		loop.until(t, what, ok)
		d := time.Since(since)
		t.Logf("%s after %v", what, d.Round(time.Millisecond))
		if d > 10*time.Second {
			t.Errorf("%s took %v", what, d)
		}
	}

	// Today, with a message being written for one reminder.
	a.show("today")
	ts := a.screens["today"].(*todayScreen)
	loop.until(t, "Today", func() bool { return ts.queue.Day == a.Today() && ts.due.selected != nil })
	var gone rules.Reminder
	for _, r := range ts.queue.All() {
		if r.Kind == rules.KindStayInTouch && r.CustomerID != ts.due.selected.CustomerID {
			gone = r
			break
		}
	}
	if gone.Key == "" {
		t.Fatal("no one on Today to get in touch with")
	}
	writing := ts.due.selected.Key
	ts.due.message.SetText("Typed by hand, half way")
	t0 := time.Now()
	if _, err := other.RecordSale(ctx, data.Sale{CustomerID: gone.CustomerID, Amount: 1500}); err != nil {
		t.Fatal(err)
	}
	shown("the other till's sale on Today", t0, func() bool {
		for _, r := range ts.queue.All() {
			if r.Key == gone.Key {
				return false
			}
		}
		return true
	})
	if ts.due.selected == nil || ts.due.selected.Key != writing || ts.due.message.Text != "Typed by hand, half way" {
		t.Errorf("the message being written was lost: %v %q", ts.due.selected, ts.due.message.Text)
	}

	// The customer's page.
	who := gone.CustomerID
	a.openCustomer(who)
	cs := a.screens["customers"].(*customersScreen)
	loop.until(t, "the customer's page", func() bool { return cs.page.cust.ID == who })
	t1 := time.Now()
	if _, err := other.RecordSale(ctx, data.Sale{CustomerID: who, Amount: 2500, Description: "Sold at the other till"}); err != nil {
		t.Fatal(err)
	}
	shown("the other till's sale on the customer's page", t1, func() bool {
		for _, e := range cs.page.timeline {
			if strings.Contains(e.text, "Sold at the other till") {
				return true
			}
		}
		return false
	})

	// The checkout's card, with an amount typed.
	a.show("checkout")
	c := a.screens["checkout"].(*checkoutScreen)
	cu, err := a.store.Customer(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	c.choose(&cu)
	loop.until(t, "the checkout's card", func() bool { return c.cardFor == who })
	c.amount.SetText("12.50")
	before := c.cardData.Balance
	t2 := time.Now()
	if _, err := other.AdjustPoints(ctx, who, 40, "a voucher given at the other till", rules.OwnerName); err != nil {
		t.Fatal(err)
	}
	shown("the other till's points on the checkout's card", t2, func() bool { return c.cardData.Balance == before+40 })
	if c.amount.Text != "12.50" || c.customer == nil || c.customer.ID != who {
		t.Errorf("the sale being rung up was lost: %q, %v", c.amount.Text, c.customer)
	}

	// The calendar: a sale brings its thank-you and check-in days.
	a.show("calendar")
	cal := a.screens["calendar"].(*calendarScreen)
	loop.until(t, "the calendar", func() bool { return cal.loaded && cal.counts != nil })
	marks := fmt.Sprint(cal.counts)
	t3 := time.Now()
	if _, err := other.RecordSale(ctx, data.Sale{CustomerID: who, Amount: 9900, Description: "A coat"}); err != nil {
		t.Fatal(err)
	}
	shown("the other till's sale on the calendar", t3, func() bool { return fmt.Sprint(cal.counts) != marks })
}

// A till whose PostgreSQL server stops says so in the status line, refuses
// a sale with one sentence and records nothing of it, and once the server
// is back clears the status line and records sales again, by itself.
func TestATillLosesTheServer(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
	srv := pgtest.StartServer(t)
	dsn, err := srv.CreateDatabase(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	where := pgtest.URL(t, dsn)
	s, err := data.Open(ctx, where, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Ada Lovelace", Phone: "07700 900123"})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	loop := newUILoop()
	a := startAppAt(t, where, now, loop)
	a.watchOtherTills()
	a.show("checkout")
	c := a.screens["checkout"].(*checkoutScreen)
	cu, err := a.store.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The card is read when the customer is picked; with the server
	// lost it cannot be, and the sale goes without it.
	sell := func(amount string, card bool) {
		t.Helper()
		c.choose(&cu)
		if card {
			loop.until(t, "the checkout's card", func() bool { return c.cardFor == id })
		} else {
			loop.runFor(100 * time.Millisecond)
		}
		c.amount.SetText(amount)
		c.record()
		loop.until(t, "the sale's outcome", func() bool { return !c.recording })
	}

	// then does what is done to the server, and waits for the status line
	// to say words.
	then := func(do func() error, words string) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		loop.until(t, "the status line to say "+words, func() bool { return strings.Contains(a.status.Text, words) })
		t.Logf("the status line said %q after %v", a.status.Text, time.Since(t0).Round(time.Millisecond))
	}

	then(srv.Halt, "trying again")
	sell("20.00", false)
	refused := c.amountErr.Text
	if !strings.Contains(refused, "cannot be reached") || strings.Count(strings.TrimSuffix(refused, "."), ". ") > 0 {
		t.Errorf("the sale with the server lost: %q", refused)
	}
	t.Logf("the sale was refused: %q", refused)

	then(srv.Resume, "can be reached again")
	sell("30.00", true)
	if c.amountErr.Text != "" || !strings.Contains(c.result.Text, "recorded") {
		t.Errorf("the sale once the server is back: %q %q", c.amountErr.Text, c.result.Text)
	}
	ps, err := a.store.RecentPurchases(ctx, 10)
	if err != nil || len(ps) != 1 || ps[0].Amount != 3000 {
		t.Errorf("the sales in the shop: %+v %v (the refused one must not be there)", ps, err)
	}
}
