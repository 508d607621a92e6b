package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

// Sales and the ledger are written by their own code; these tests put rows
// straight into the tables so they depend only on the schema.

// rmPurchase and rmLedger write a fact as it is, in a store transaction
// that brings the customer's summary row up to date as the store's own
// writes do.
func rmPurchase(t *testing.T, s *Store, cust rules.ID, day string, cents rules.Cents, desc string, refundOf rules.ID) rules.ID {
	t.Helper()
	var id rules.ID
	err := s.tx(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, description, refund_of) VALUES (?,?,?,?,?,?)`,
			cust, day+" 10:00:00", day, int64(cents), desc, nullID(refundOf))
		if err != nil {
			return err
		}
		touch(tx, cust)
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func rmLedger(t *testing.T, s *Store, cust rules.ID, day string, kind rules.LedgerKind, points int64) {
	t.Helper()
	err := s.tx(context.Background(), func(tx *sql.Tx) error {
		touch(tx, cust)
		_, err := tx.Exec(`INSERT INTO ledger(customer_id, at, day, kind, points, staff) VALUES (?,?,?,?,?,?)`,
			cust, day+" 10:00:00", day, string(kind), points, "Bea")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

type rmShop struct {
	s                       *Store
	ann, bob, cara, dan, ed rules.ID
	coat                    rules.ID
	promise, complaint      rules.ID
}

// rmMakeShop builds a small shop whose customers were all added on 1 May 2026.
func rmMakeShop(t *testing.T) rmShop {
	t.Helper()
	ctx := context.Background()
	s := rmStore(t, "2026-05-01")
	if err := s.SetSetting(ctx, "shop_name", "Hill Saddlery"); err != nil {
		t.Fatal(err)
	}
	var h rmShop
	h.s = s
	h.ann = rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Email: "ann@example.com"})
	h.bob = rmAddCustomer(t, s, rules.Customer{Name: "Bob Roy", Birthday: rules.YearlyDate{Year: 1980, Month: 6, Day: 12}})
	h.cara = rmAddCustomer(t, s, rules.Customer{Name: "Cara Diaz"})
	h.dan = rmAddCustomer(t, s, rules.Customer{Name: "Dan Ode"})
	h.ed = rmAddCustomer(t, s, rules.Customer{Name: "Ed Fox", DoNotContact: true})
	h.coat = rmPurchase(t, s, h.ann, "2026-05-31", 12000, "winter coat", 0)
	rmPurchase(t, s, h.ed, "2026-05-31", 9000, "boots", 0)
	var err error
	if h.promise, err = s.AddPromise(ctx, rules.Promise{CustomerID: h.cara, What: "order floor mats", Due: rmDay("2026-06-03"), MadeOn: rmDay("2026-05-30")}); err != nil {
		t.Fatal(err)
	}
	if h.complaint, err = s.AddComplaint(ctx, rules.Complaint{CustomerID: h.dan, What: "zip broke", Received: rmDay("2026-05-25")}); err != nil {
		t.Fatal(err)
	}
	return h
}

func rmLine(r rules.Reminder) string {
	return fmt.Sprintf("%s %s due %s overdue %d", r.CustomerName, r.Kind, r.Due, r.OverdueDays)
}

func rmLines(rs []rules.Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, rmLine(r))
	}
	return out
}

func TestTodayListIsSortedAndWorded(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	got, err := h.s.TodayList(ctx, rmDay("2026-06-08"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Dan Ode complaint_followup due 2026-05-26 overdue 13",
		"Ann Lee thank_you due 2026-06-01 overdue 7",
		"Cara Diaz promise due 2026-06-03 overdue 5",
		"Ann Lee check_in due 2026-06-07 overdue 1",
		"Bob Roy birthday due 2026-06-12 overdue 0",
	}
	if !slices.Equal(rmLines(got), want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(rmLines(got), "\n"), strings.Join(want, "\n"))
	}
	ty := got[1]
	if ty.Key != fmt.Sprintf("thank_you:%d:purchase:%d:2026-06-01", h.ann, h.coat) || ty.Phone != "07700 900123" || ty.Email != "ann@example.com" {
		t.Errorf("thank_you: %+v", ty)
	}
	if ty.Why != "bought 120.00 (winter coat) 8 days ago" {
		t.Errorf("why: %q", ty.Why)
	}
	if ty.Message != "Hi Ann, thank you for shopping at Hill Saddlery! We hope you enjoy your winter coat. See you again soon." {
		t.Errorf("message: %q", ty.Message)
	}
	if got[0].Why != "complaint open since 25 May: zip broke" || !got[0].OpenComplaint {
		t.Errorf("complaint: %+v", got[0])
	}
	if got[2].Why != "promised: order floor mats" || got[4].Why != "birthday on 12 June (46)" {
		t.Errorf("why: %q, %q", got[2].Why, got[4].Why)
	}
	for _, r := range got {
		if r.CustomerName == "Ed Fox" {
			t.Errorf("do-not-contact customer listed: %+v", r)
		}
	}

	// Equal overdue days and due days: by name, then kind.
	mia := rmAddCustomer(t, h.s, rules.Customer{Name: "Al Mo"})
	rmPurchase(t, h.s, mia, "2026-05-31", 12000, "", 0)
	got, _ = h.s.TodayList(ctx, rmDay("2026-06-08"))
	if rmLine(got[1]) != "Al Mo thank_you due 2026-06-01 overdue 7" || rmLine(got[2]) != "Ann Lee thank_you due 2026-06-01 overdue 7" {
		t.Errorf("same due day sorts by name: %q", rmLines(got))
	}
	if got[1].Why != "bought 120.00 8 days ago" || !strings.Contains(got[1].Message, "your purchase") {
		t.Errorf("a purchase without description: %q / %q", got[1].Why, got[1].Message)
	}
}

func TestTodayListIgnoresLaterFactsAndWritesNothing(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	rmPurchase(t, h.s, h.bob, "2026-06-20", 2000, "", 0)
	before := rmCount(t, h.s)
	got, err := h.s.TodayList(ctx, rmDay("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Dan Ode complaint_followup due 2026-05-26 overdue 6",
		"Ann Lee thank_you due 2026-06-01 overdue 0",
	}
	if !slices.Equal(rmLines(got), want) {
		t.Errorf("got %q", rmLines(got))
	}
	if after := rmCount(t, h.s); after != before {
		t.Errorf("TodayList wrote something: %s -> %s", before, after)
	}
	// Customers added after the day looked at still count.
	got, _ = h.s.TodayList(ctx, rmDay("2025-06-10"))
	if !slices.Equal(rmLines(got), []string{"Bob Roy birthday due 2025-06-12 overdue 0"}) {
		t.Errorf("a year earlier: %q", rmLines(got))
	}
}

func rmCount(t *testing.T, s *Store) string {
	t.Helper()
	var out []string
	for _, table := range []string{"contacts", "reminder_states", "promises", "audit", "settings"} {
		var n int
		if err := s.w.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

func TestCompleteReminder(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	h.s.SetToday(rmDay("2026-06-02"))
	key := fmt.Sprintf("thank_you:%d:purchase:%d:2026-06-01", h.ann, h.coat)
	cid, err := h.s.CompleteReminder(ctx, key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Bea", Outcome: "happy"})
	if err != nil {
		t.Fatal(err)
	}
	contacts, _ := h.s.Contacts(ctx, h.ann)
	if len(contacts) != 1 || contacts[0].ID != cid || contacts[0].ReminderKey != key || contacts[0].Day != rmDay("2026-06-02") || contacts[0].Staff != "Bea" {
		t.Fatalf("contact: %+v", contacts)
	}
	got, _ := h.s.TodayList(ctx, rmDay("2026-06-02"))
	for _, r := range got {
		if r.Key == key {
			t.Errorf("completed reminder still listed")
		}
	}
	// A run for the day before the completion does not know of it.
	got, _ = h.s.TodayList(ctx, rmDay("2026-06-01"))
	if !slices.ContainsFunc(got, func(r rules.Reminder) bool { return r.Key == key }) {
		t.Errorf("a run for 1 June must still list it: %q", rmLines(got))
	}
	hist, err := h.s.CustomerReminders(ctx, h.ann, rmDay("2026-06-02"))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(hist, func(r rules.Reminder) bool { return r.Key == key })
	if i < 0 || hist[i].State != rules.StateDone || hist[i].DoneOn != rmDay("2026-06-02") || hist[i].Staff != "Bea" {
		t.Errorf("history: %+v", hist)
	}

	// Completing a promise keeps it, and a check-in follows 3 days later.
	pkey := fmt.Sprintf("promise:%d:promise:%d:2026-06-03", h.cara, h.promise)
	if _, err := h.s.CompleteReminder(ctx, pkey, rules.Contact{Channel: rules.ChannelInPerson, Staff: "Bea"}); err != nil {
		t.Fatal(err)
	}
	ps, _ := h.s.Promises(ctx, h.cara)
	if ps[0].KeptOn != rmDay("2026-06-02") {
		t.Errorf("promise kept on %s", ps[0].KeptOn)
	}
	got, _ = h.s.TodayList(ctx, rmDay("2026-06-05"))
	if !slices.Contains(rmLines(got), "Cara Diaz check_in due 2026-06-05 overdue 0") || slices.Contains(rmLines(got), "Cara Diaz promise due 2026-06-03 overdue 2") {
		t.Errorf("after keeping the promise: %q", rmLines(got))
	}

	if _, err := h.s.CompleteReminder(ctx, "thank_you:x", rules.Contact{Channel: rules.ChannelPhone}); !errors.Is(err, rules.ErrBadReminderKey) {
		t.Errorf("malformed key: %v", err)
	}
	if _, err := h.s.CompleteReminder(ctx, fmt.Sprintf("thank_you:%d:purchase:999:2026-06-01", h.ann), rules.Contact{Channel: rules.ChannelPhone}); !errors.Is(err, ErrUnknownReminder) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := h.s.CompleteReminder(ctx, "thank_you:999:purchase:1:2026-06-01", rules.Contact{Channel: rules.ChannelPhone}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing customer: %v", err)
	}
	before := rmCount(t, h.s)
	bkey := fmt.Sprintf("birthday:%d:birthday:2026-06-12", h.bob)
	if _, err := h.s.CompleteReminder(ctx, bkey, rules.Contact{Channel: "pigeon"}); err == nil {
		t.Error("a bad channel must be refused")
	}
	if after := rmCount(t, h.s); after != before {
		t.Errorf("a refused completion wrote something: %s -> %s", before, after)
	}
}

func TestSnoozeSkipReopen(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	h.s.SetToday(rmDay("2026-06-02"))
	key := fmt.Sprintf("thank_you:%d:purchase:%d:2026-06-01", h.ann, h.coat)
	listed := func(d string) bool {
		got, err := h.s.TodayList(ctx, rmDay(d))
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(got, func(r rules.Reminder) bool { return r.Key == key })
	}
	if err := h.s.SnoozeReminder(ctx, key, rmDay("2026-06-02"), "Bea"); err == nil {
		t.Error("snoozing until today must be refused")
	}
	if err := h.s.SnoozeReminder(ctx, key, rmDay("2026-06-10"), "Bea"); err != nil {
		t.Fatal(err)
	}
	if listed("2026-06-09") || !listed("2026-06-10") || !listed("2026-06-01") {
		t.Error("a snooze until 10 June hides it from 2 June until 10 June")
	}
	if err := h.s.SnoozeReminder(ctx, key, rmDay("2026-06-30"), "Bea"); err != nil {
		t.Fatal(err)
	}
	if listed("2026-06-16") {
		t.Error("a snooze never extends the last day")
	}
	all, _ := h.s.AllReminders(ctx, rmDay("2026-06-20"))
	if i := slices.IndexFunc(all, func(r rules.Reminder) bool { return r.Key == key }); i < 0 || all[i].State != rules.StateMissed {
		t.Errorf("snoozed past its last day is missed: %+v", all)
	}

	if err := h.s.SkipReminder(ctx, key, " ", "Bea"); err == nil {
		t.Error("skipping needs a reason")
	}
	if err := h.s.SkipReminder(ctx, key, "moved abroad", "Bea"); err != nil {
		t.Fatal(err)
	}
	if listed("2026-06-05") {
		t.Error("skipped reminder still listed")
	}
	hist, _ := h.s.CustomerReminders(ctx, h.ann, rmDay("2026-06-05"))
	i := slices.IndexFunc(hist, func(r rules.Reminder) bool { return r.Key == key })
	if i < 0 || hist[i].State != rules.StateSkipped || hist[i].Reason != "moved abroad" {
		t.Errorf("history: %+v", hist)
	}
	if err := h.s.ReopenReminder(ctx, key, "Bea"); err != nil {
		t.Fatal(err)
	}
	if !listed("2026-06-05") {
		t.Error("reopened reminder not listed")
	}
	if err := h.s.ReopenReminder(ctx, fmt.Sprintf("birthday:%d:birthday:2026-06-12", h.bob), "Bea"); !errors.Is(err, ErrUnknownReminder) {
		t.Errorf("reopening what was never handled: %v", err)
	}
	if err := h.s.SkipReminder(ctx, "nope", "x", "Bea"); !errors.Is(err, rules.ErrBadReminderKey) {
		t.Errorf("malformed key: %v", err)
	}

	// Undoing a completed promise makes it owed again.
	pkey := fmt.Sprintf("promise:%d:promise:%d:2026-06-03", h.cara, h.promise)
	if _, err := h.s.CompleteReminder(ctx, pkey, rules.Contact{Channel: rules.ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	if err := h.s.ReopenReminder(ctx, pkey, "Bea"); err != nil {
		t.Fatal(err)
	}
	ps, _ := h.s.Promises(ctx, h.cara)
	if !ps[0].KeptOn.IsZero() {
		t.Errorf("reopened promise still kept on %s", ps[0].KeptOn)
	}
}

func TestCustomerRemindersAndAllReminders(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	hist, err := h.s.CustomerReminders(ctx, h.bob, rmDay("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	// Bob was added on 1 May; nothing due within 30 days but his birthday.
	if !slices.Equal(rmLines(hist), []string{"Bob Roy birthday due 2026-06-12 overdue 0"}) {
		t.Errorf("Bob: %q", rmLines(hist))
	}
	hist, _ = h.s.CustomerReminders(ctx, h.ann, rmDay("2026-07-01"))
	want := []string{
		"Ann Lee stay_in_touch due 2026-08-29 overdue 0",
		"Ann Lee check_in due 2026-06-07 overdue 24",
		"Ann Lee thank_you due 2026-06-01 overdue 30",
	}
	if !slices.Equal(rmLines(hist), want[1:]) {
		t.Errorf("Ann on 1 July: %q", rmLines(hist))
	}
	if hist[0].State != rules.StateMissed || hist[1].State != rules.StateMissed {
		t.Errorf("unhandled past their last day: %s %s", hist[0].State, hist[1].State)
	}
	hist, _ = h.s.CustomerReminders(ctx, h.ann, rmDay("2026-08-01"))
	if !slices.Equal(rmLines(hist), []string{
		"Ann Lee stay_in_touch due 2026-08-29 overdue 0",
		"Ann Lee check_in due 2026-06-07 overdue 55",
		"Ann Lee thank_you due 2026-06-01 overdue 61",
	}) {
		t.Errorf("Ann on 1 August: %q", rmLines(hist))
	}
	bob, _ := h.s.CustomerReminders(ctx, h.bob, rmDay("2026-07-30"))
	if len(bob) == 0 || bob[0].Kind != rules.KindStayInTouch || bob[0].Why != "no purchase or contact since 1 May 2026" {
		t.Errorf("Bob's stay_in_touch: %+v", bob)
	}
	ann, _ := h.s.TodayList(ctx, rmDay("2026-08-29"))
	if i := slices.IndexFunc(ann, func(r rules.Reminder) bool { return r.CustomerID == h.ann && r.Kind == rules.KindStayInTouch }); i < 0 || ann[i].Why != "last seen 90 days ago" {
		t.Errorf("Ann's stay_in_touch: %q", rmLines(ann))
	}
	if _, err := h.s.CustomerReminders(ctx, 999, rmDay("2026-06-01")); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing customer: %v", err)
	}

	all, err := h.s.AllReminders(ctx, rmDay("2026-06-10"))
	if err != nil {
		t.Fatal(err)
	}
	wantAll := []string{
		"Dan Ode complaint_followup due 2026-05-26 overdue 15",
		"Ann Lee thank_you due 2026-06-01 overdue 9",
		"Cara Diaz promise due 2026-06-03 overdue 7",
		"Ann Lee check_in due 2026-06-07 overdue 3",
	}
	if !slices.Equal(rmLines(all), wantAll) {
		t.Errorf("all: %q", rmLines(all))
	}
}

func TestUpcoming(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	got, err := h.s.Upcoming(ctx, rmDay("2026-06-01"), 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Cara Diaz promise due 2026-06-03 overdue 0",
		"Bob Roy birthday due 2026-06-12 overdue 0", // shown from 5 June
		"Ann Lee check_in due 2026-06-07 overdue 0",
	}
	slices.SortFunc(want, strings.Compare)
	lines := rmLines(got)
	slices.SortFunc(lines, strings.Compare)
	if !slices.Equal(lines, want) {
		t.Errorf("got %q", rmLines(got))
	}
	for _, r := range got {
		if r.Message == "" || r.Why == "" {
			t.Errorf("upcoming without words: %+v", r)
		}
	}
}

func TestStateSurvivesAMerge(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	h.s.SetToday(rmDay("2026-06-02"))
	key := fmt.Sprintf("thank_you:%d:purchase:%d:2026-06-01", h.ann, h.coat)
	if err := h.s.SkipReminder(ctx, key, "called already", "Bea"); err != nil {
		t.Fatal(err)
	}
	if err := h.s.MergeCustomers(ctx, h.cara, h.ann, "Bea"); err != nil {
		t.Fatal(err)
	}
	hist, _ := h.s.CustomerReminders(ctx, h.cara, rmDay("2026-06-02"))
	moved := fmt.Sprintf("thank_you:%d:purchase:%d:2026-06-01", h.cara, h.coat)
	i := slices.IndexFunc(hist, func(r rules.Reminder) bool { return r.Key == moved })
	if i < 0 || hist[i].State != rules.StateSkipped || hist[i].Reason != "called already" {
		t.Errorf("after the merge: %+v", hist)
	}
}

// TestDueOnMatchesTodayEveryDay checks the calendar against its definition:
// for each day X of a month, the reminders TodayList(X) lists with due X,
// on a shop whose facts and states change during the month.
func TestDueOnMatchesTodayEveryDay(t *testing.T) {
	h := rmMakeShop(t)
	ctx := context.Background()
	s := h.s
	l := rules.DefaultLoyalty()
	l.ExpiryMonths = 2
	if err := s.SetLoyalty(ctx, l); err != nil {
		t.Fatal(err)
	}
	fay := rmAddCustomer(t, s, rules.Customer{Name: "Fay Gill", Birthday: rules.YearlyDate{Month: 6, Day: 29}, CustomerSince: rmDay("2023-06-20")})
	p1 := rmPurchase(t, s, fay, "2026-06-04", 8000, "saddle pad", 0)
	rmPurchase(t, s, fay, "2026-06-10", -1000, "", p1) // refund: 70.00 left, check-in stays
	rmPurchase(t, s, h.bob, "2026-06-15", 6000, "bridle", 0)
	big := rmPurchase(t, s, h.dan, "2026-06-06", 5500, "", 0)
	rmPurchase(t, s, h.dan, "2026-06-11", -1000, "", big) // refund before the check-in: cancels it
	rmLedger(t, s, fay, "2026-04-20", rules.LedgerEarn, 80)
	rmLedger(t, s, fay, "2026-06-04", rules.LedgerEarn, 80) // crosses 100 on 4 June
	rmLedger(t, s, fay, "2026-06-18", rules.LedgerRedeem, -100)
	if _, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: h.cara, Label: "Show day", Date: rules.YearlyDate{Year: 2026, Month: 6, Day: 21}, LeadDays: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogContact(ctx, rules.Contact{CustomerID: h.cara, Channel: rules.ChannelEmail, At: rmDay("2026-06-09").Time().Add(9 * 3600e9)}); err != nil {
		t.Fatal(err)
	}
	s.SetToday(rmDay("2026-06-12"))
	if err := s.ResolveComplaint(ctx, h.complaint, "new zip", "Bea"); err != nil {
		t.Fatal(err)
	}
	s.SetToday(rmDay("2026-06-08"))
	if err := s.SkipReminder(ctx, fmt.Sprintf("check_in:%d:purchase:%d:2026-06-07", h.ann, h.coat), "on holiday", "Bea"); err != nil {
		t.Fatal(err)
	}
	if err := s.SnoozeReminder(ctx, fmt.Sprintf("check_in:%d:purchase:%d:2026-06-11", fay, p1), rmDay("2026-06-13"), "Bea"); err != nil {
		t.Fatal(err)
	}

	from, to := rmDay("2026-06-01"), rmDay("2026-06-30")
	cal, err := s.DueOn(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for x := from; x <= to; x++ {
		today, err := s.TodayList(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		var want []rules.Reminder
		for _, r := range today {
			if r.Due == x {
				want = append(want, r)
			}
		}
		got := cal[x]
		if len(got) != len(want) {
			t.Errorf("%s: calendar %q, Today %q", x, rmLines(got), rmLines(want))
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: calendar\n%+v\nToday\n%+v", x, got[i], want[i])
			}
		}
		total += len(got)
	}
	if total < 8 {
		t.Errorf("the month should hold more reminders to compare: %d", total)
	}
	for d := range cal {
		if d < from || d > to || len(cal[d]) == 0 {
			t.Errorf("calendar day %s outside the range or empty", d)
		}
	}
	if _, err := s.DueOn(ctx, to, from); err == nil {
		t.Error("a calendar that ends before it starts must be refused")
	}
}

// Upcoming lists reminders not on Today on d that are shown or due in the
// next days days, as the facts stand on d, soonest first.
func (s *Store) Upcoming(ctx context.Context, d rules.Day, days int) ([]rules.Reminder, error) {
	if days < 0 {
		return nil, fmt.Errorf("the number of days ahead must not be negative")
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	rs, ws, err := s.upcomingRemembered(ctx, set, d, d.AddDays(days))
	if err != nil {
		return nil, err
	}
	rs, wp := sortBoth(rs, ws, compareByDue)
	if err := s.finish(ctx, set, rs, wp); err != nil {
		return nil, err
	}
	return rs, nil
}
