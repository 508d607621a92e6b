package data

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Months far ahead read their yearly reminders from the counts and the
// index kept for them (calendar_yearly.go); the way before, working out
// every date of the grid's days from reminder_yearly, stays as the
// reference (skipYearly), and both must agree with each other and with the
// facts.

// ylTwin is another store on s's file that works days far ahead out the
// way before schema 8.
func ylTwin(t *testing.T, s *Store) *Store {
	t.Helper()
	ref, err := Open(context.Background(), s.Path(), Options{Today: s.Today(), MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	ref.skipYearly = true
	t.Cleanup(func() { ref.Close() })
	return ref
}

// ylShop is a shop whose dates cover what a day far ahead depends on:
// birthdays with and without a year, born in years to come, on 29
// February; customer-since days old, recent, on 29 February and to come;
// occasions yearly and one-off, past and to come, with leads; customers not
// to be contacted; recent sales (so that reminder_due keeps some customers'
// dates further ahead) with thank-yous due far ahead; reminders handled
// ahead; and a merge.
func ylShop(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	today := NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: today,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetTemplate(ctx, KindBirthday, "Happy birthday, {{.FirstName}}! Enjoy your {{.LastPurchase}}."); err != nil {
		t.Fatal(err)
	}
	// Thank-yous a long while after the sale: some fall far ahead, on a
	// birthday of the same customer.
	rules := DefaultRules()
	r := rules[KindThankYou]
	r.AfterDays = 500
	rules[KindThankYou] = r
	if err := s.SetRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	births := []YearlyDate{{Month: 3, Day: 4}, {Year: 1980, Month: 5, Day: 17}, {Month: 2, Day: 29}, {Year: 1988, Month: 2, Day: 29},
		{Year: 2028, Month: 2, Day: 28}, {Year: 2029, Month: 7, Day: 1}, {Year: 1990, Month: 10, Day: 28}, {Month: 12, Day: 31}, {}, {Year: 2028, Month: 10, Day: 28}}
	sinces := []Day{0, NewDay(2019, 3, 4), NewDay(2026, 5, 17), NewDay(2024, 2, 29), NewDay(2027, 8, 10), NewDay(2026, 6, 1), 0}
	occasions := []Occasion{
		{Label: "Wedding", Date: YearlyDate{Year: 2010, Month: 3, Day: 4}, Yearly: true, LeadDays: 7},
		{Label: "Moving day", Date: YearlyDate{Year: 2028, Month: 3, Day: 10}, LeadDays: 3},
		{Label: "Opening", Date: YearlyDate{Year: 2026, Month: 12, Day: 1}, LeadDays: 0},
		{Label: "Leap party", Date: YearlyDate{Month: 2, Day: 29}, Yearly: true, LeadDays: 30},
		{Label: "Graduation", Date: YearlyDate{Year: 2029, Month: 5, Day: 17}, Yearly: true, LeadDays: 0},
		{Label: "Name day", Date: YearlyDate{Month: 10, Day: 28}, Yearly: true, LeadDays: 2},
		{Label: "Far one-off", Date: YearlyDate{Year: 2030, Month: 2, Day: 28}, LeadDays: 1},
		{Label: "Christening", Date: YearlyDate{Year: 2028, Month: 12, Day: 5}, LeadDays: 4},
	}
	const n = 36
	for i := range n {
		c := Customer{Name: fmt.Sprintf("Yl %c%02d", 'A'+i%4, n-i), Birthday: births[i%len(births)],
			CustomerSince: sinces[i%len(sinces)], DoNotContact: i%11 == 5}
		if i%6 == 0 {
			c.Name = "Same Name"
		}
		id, err := s.AddCustomer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for j := range i % 3 {
			o := occasions[(i+j)%len(occasions)]
			o.CustomerID = id
			if _, err := s.AddOccasion(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		if i%4 == 1 {
			// A sale on the day whose thank-you is due 500 days on: on
			// the customer's birthday (28 October 2027) for some.
			on := NewDay(2027, 10, 28).AddDays(-500)
			if i%8 == 1 {
				on = today
			}
			s.SetToday(on)
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: Cents(1200 + 10*i), Description: fmt.Sprintf("teapot %d", i)}); err != nil {
				t.Fatal(err)
			}
			s.SetToday(today)
		}
	}
	// Reminders handled ahead: done, skipped, snoozed past their day and
	// snoozed to a day before it.
	acts := 0
	for _, d := range []Day{NewDay(2027, 10, 28), NewDay(2028, 2, 29), NewDay(2028, 3, 4), NewDay(2029, 5, 17), NewDay(2027, 5, 17)} {
		for i, r := range cdMust(s.DueDayPage(ctx, d, 0, 100)).Rows {
			if !slices.Contains(yearlyKinds, r.Kind) || i%2 == 1 {
				continue
			}
			// Handled a few weeks before the day, and once after it
			// (which the day itself does not see).
			s.SetToday(d.AddDays(-20))
			if acts%5 == 4 {
				s.SetToday(d.AddDays(3))
			}
			switch acts % 4 {
			case 0:
				_, err = s.CompleteReminder(ctx, r.Key, Contact{Channel: ChannelPhone})
			case 1:
				err = s.SkipReminder(ctx, r.Key, "not this year", "Bea")
			case 2:
				err = s.SnoozeReminder(ctx, r.Key, max(d, s.Today()).AddDays(3), "Bea")
			case 3:
				err = s.SnoozeReminder(ctx, r.Key, s.Today().AddDays(2), "Bea")
			}
			s.SetToday(today)
			if err != nil {
				t.Fatal(err)
			}
			acts++
		}
	}
	if acts < 6 {
		t.Fatalf("only %d reminders handled ahead", acts)
	}
	// A sale today of a customer whose birthday is open on the day its
	// thank-you falls.
	for _, r := range cdMust(s.DueDayPage(ctx, NewDay(2027, 10, 28), 0, 100)).Rows {
		if r.Kind == KindBirthday {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: r.CustomerID, Amount: 4200, Description: "teapot of the day"}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if err := s.MergeCustomers(ctx, 7, 13, "Owner"); err != nil {
		t.Fatal(err)
	}
	return s
}

// ylMonths are months far ahead: the one the far days start in, the one
// of a customer-since day to come, a leap year's February and March, other
// years' Februaries, and the ends of years.
var ylMonths = []Day{NewDay(2027, 4, 1), NewDay(2027, 8, 1), NewDay(2027, 10, 1), NewDay(2027, 12, 1), NewDay(2028, 2, 1), NewDay(2028, 3, 1),
	NewDay(2029, 2, 1), NewDay(2029, 5, 1), NewDay(2030, 2, 1)}

// ylSame fails unless s reads each month's grid and its days' pages as
// ref (the way before) and slow (the facts) do; far says whether s must
// read them from the yearly counts.
func ylSame(t *testing.T, step string, s, ref, slow *Store, far bool) {
	t.Helper()
	ctx := context.Background()
	marked := 0
	for _, m := range ylMonths {
		from := dvGrid(m)
		to := from.AddDays(41)
		k, err := s.readKeptDays(ctx, from, to, false, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if k.yearly != far {
			t.Fatalf("%s: %s read from the yearly counts: %v, want %v", step, m, k.yearly, far)
		}
		got := cdMust(s.DueCounts(ctx, from, to))
		want := cdMust(ref.DueCounts(ctx, from, to))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: DueCounts of %s:\nnew %v\nold %v", step, m, got, want)
		}
		if facts := cdMust(slow.DueCounts(ctx, from, to)); !reflect.DeepEqual(got, facts) {
			t.Fatalf("%s: DueCounts of %s:\nnew   %v\nfacts %v", step, m, got, facts)
		}
		for x := from; x <= to; x++ {
			if got[x].Total() == 0 && x != from {
				continue
			}
			marked += got[x].Total()
			a := cdMust(s.DueDayPage(ctx, x, 0, 1000))
			b := cdMust(ref.DueDayPage(ctx, x, 0, 1000))
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: DueDayPage %s:\nnew %s\nold %s", step, x, dvBrief(a.Rows), dvBrief(b.Rows))
			}
			// Page by page against the facts, on the busiest days and
			// the ends of months.
			if _, _, dd := x.Date(); got[x].Total() > 3 || dd == 1 || dd >= 28 {
				cdSameDay(t, step, s, slow, x, 1, 3)
			}
		}
		x := m.AddDays(27)
		cal, p, err := s.DueMonth(ctx, from, to, x, 1, 2)
		if err != nil || !reflect.DeepEqual(cal, got) || !reflect.DeepEqual(p, cdMust(ref.DueDayPage(ctx, x, 1, 2))) {
			t.Fatalf("%s: DueMonth %s: %v", step, x, err)
		}
	}
	if marked == 0 {
		t.Fatalf("%s: nothing on the calendar far ahead", step)
	}
}

// TestFarMonthsMatchTheWayBefore: the calendar far ahead, read from the
// yearly counts and index, is what working out every date gave, through
// writes, states, a merge, changes of rules and raw writes.
func TestFarMonthsMatchTheWayBefore(t *testing.T) {
	ctx := context.Background()
	s := ylShop(t)
	ref, slow := ylTwin(t, s), dvSlowTwin(t, s)
	cdCountsKept(t, "shop", s)
	ylSame(t, "shop", s, ref, slow, true)
	// Something of every kind of row the counts keep apart.
	var offs, firsts, lasts int
	if err := s.reader().QueryRow(`SELECT (SELECT count(*) FROM reminder_yearly_off),
		(SELECT count(*) FROM reminder_yearly WHERE first_year <> 0), (SELECT count(*) FROM reminder_yearly WHERE last_year <> 0)`).Scan(&offs, &firsts, &lasts); err != nil {
		t.Fatal(err)
	}
	if offs == 0 || firsts == 0 || lasts == 0 {
		t.Fatalf("days off %d, rows from a later year %d, one-off rows %d", offs, firsts, lasts)
	}
	// A birthday far ahead names the sale whose thank-you is due that
	// day.
	named := 0
	for _, r := range cdMust(s.DueDayPage(ctx, NewDay(2027, 10, 28), 0, 100)).Rows {
		if r.Kind == KindBirthday && strings.Contains(r.Message, "teapot") {
			named++
		}
	}
	if named == 0 {
		t.Fatal("no birthday on 28 October 2027 names the sale thanked for that day")
	}
	if found, err := s.checkDerived(ctx); err != nil || len(found) != 0 {
		t.Fatalf("check: %v %v", found, err)
	}

	// Writes: a birthday moved, an occasion gone, a customer stops being
	// contacted, a reminder handled ahead reopened.
	c := cdMust(s.Customer(ctx, 2))
	c.Birthday = YearlyDate{Year: 2028, Month: 2, Day: 29}
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	c = cdMust(s.Customer(ctx, 4))
	c.DoNotContact = true
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("DELETE FROM occasions WHERE id = (SELECT min(id) FROM occasions)"); err != nil {
		t.Fatal(err)
	}
	if err := s.tx(ctx, func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var key string
	if err := s.reader().QueryRow("SELECT key FROM reminder_states WHERE state = 'skipped' ORDER BY key LIMIT 1").Scan(&key); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenReminder(ctx, key, "Bea"); err != nil {
		t.Fatal(err)
	}
	ylSame(t, "writes", s, ref, slow, true)
	if found, err := s.checkDerived(ctx); err != nil || len(found) != 0 {
		t.Fatalf("check after writes: %v %v", found, err)
	}

	// Other rules: anniversaries off, birthdays shown three days ahead,
	// occasions staying a fortnight.
	rules := cdMust(s.Rules(ctx))
	rules[KindAnniversary] = Rule{On: false}
	b := rules[KindBirthday]
	b.BeforeDays = 3
	rules[KindBirthday] = b
	o := rules[KindOccasion]
	o.StayDays = 14
	rules[KindOccasion] = o
	if err := s.SetRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	ylSame(t, "rules", s, ref, slow, true)

	// A customer written outside a transaction of the store: the way
	// before answers until the next write works them out.
	if _, err := s.w.Exec("UPDATE customers SET birthday_month = 3, birthday_day = 10 WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	ylSame(t, "raw write", s, ref, slow, false)
}

// TestCheckFindsDamagedYearlyCounts: check compares the counts of days far
// ahead with the rows they count, and the rows with the facts.
func TestCheckFindsDamagedYearlyCounts(t *testing.T) {
	ctx := context.Background()
	s := ylShop(t)
	const first = "(SELECT md FROM reminder_yearly_counts ORDER BY md, grp LIMIT 1)"
	for _, tc := range []struct {
		name   string
		tamper string
		want   string
	}{
		{"a count one too many", "UPDATE reminder_yearly_counts SET n = n + 1 WHERE md = " + first,
			"the calendar's counts of birthdays, anniversaries and occasions far ahead do not match the dates kept (birthday on 02-28 from 2028 5 counted, 4 kept; "},
		{"a count missing", "DELETE FROM reminder_yearly_counts WHERE md = " + first,
			"far ahead do not match the dates kept (birthday on 02-28 from 2028 0 counted, 4 kept; occasion on 02-28 in 2030 0 counted, 3 kept)"},
		{"a count of a year", "INSERT INTO reminder_yearly_counts VALUES (704, 3, 2031, 0, 1)",
			"(anniversary on 07-04 from 2031 1 counted, 0 kept)"},
		{"a row's years", "UPDATE reminder_yearly SET first_year = 2040, last_year = 2040 WHERE rowid = (SELECT min(rowid) FROM reminder_yearly WHERE customer_id = 5 AND grp IS NOT NULL)",
			"customer 5: the reminders kept for Today and the calendar do not match the facts"},
		{"a day off missing", "DELETE FROM reminder_yearly_off WHERE customer_id = (SELECT min(customer_id) FROM reminder_yearly_off)",
			"the reminders kept for Today and the calendar do not match the facts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Every kept row worked out afresh: whatever the last case
			// damaged is mended.
			lyExec(t, s, "UPDATE reminder_cache SET fingerprint = ''")
			if err := s.tx(ctx, func(*sql.Tx) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if probs, err := s.Check(ctx); err != nil || len(probs) != 0 {
				t.Fatalf("the shop is not clean: %q (%v)", probs, err)
			}
			lyExec(t, s, tc.tamper)
			probs, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(probs, func(p Problem) bool { return strings.Contains(p.What, tc.want) }) {
				t.Errorf("want a problem saying %q; got %q", tc.want, probs)
			}
		})
	}
}
