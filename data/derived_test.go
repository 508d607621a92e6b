package data

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"regulars/rules"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Reading reminders through the summary rows must change nothing: every
// list read that way equals the list computed from every customer's
// whole facts, after every kind of write. These tests read the same file
// through two stores, one of which reads the facts alone.

// dvSlowTwin opens s's file again, reading every customer's whole facts.
func dvSlowTwin(t *testing.T, s *Store) *Store {
	t.Helper()
	slow, err := Open(context.Background(), s.Path(), Options{Today: s.Today(), MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	slow.factsOnly = true
	t.Cleanup(func() { slow.Close() })
	return slow
}

// dvGrid is the first day of the calendar grid of d's month.
func dvGrid(d rules.Day) rules.Day {
	y, m, _ := d.Date()
	first := rules.NewDay(y, m, 1)
	return first.AddDays(-(int(first.Weekday()+6) % 7))
}

// dvSame fails when fast and slow disagree about any list on the days.
func dvSame(t *testing.T, step string, fast, slow *Store, days ...rules.Day) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, a, b any, errA, errB error) {
		t.Helper()
		if errA != nil || errB != nil {
			t.Fatalf("%s: %s: %v / %v", step, what, errA, errB)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: %s differs:\nsummary %s\nfacts   %s", step, what, dvBrief(a), dvBrief(b))
		}
	}
	// The window's own view: read first, so what the last step's read left
	// remembered is patched after its write, and read last, so the next
	// step's read starts from it.
	window := func(when string) {
		t.Helper()
		d := fast.Today()
		a, errA := fast.Upcoming(ctx, d, 7)
		b, errB := slow.Upcoming(ctx, d, 7)
		check("Upcoming of the day, "+when, a, b, errA, errB)
		from := dvGrid(d)
		ca, errA := fast.DueOn(ctx, from, from.AddDays(41))
		cb, errB := slow.DueOn(ctx, from, from.AddDays(41))
		check("DueOn of the day's month, "+when, ca, cb, errA, errB)
	}
	window("first")
	defer window("last")
	for _, d := range days {
		a, errA := fast.TodayList(ctx, d)
		b, errB := slow.TodayList(ctx, d)
		check("TodayList "+d.String(), a, b, errA, errB)
		a, errA = fast.Upcoming(ctx, d, 7)
		b, errB = slow.Upcoming(ctx, d, 7)
		check("Upcoming "+d.String(), a, b, errA, errB)
		from := dvGrid(d)
		ca, errA := fast.DueOn(ctx, from, from.AddDays(41))
		cb, errB := slow.DueOn(ctx, from, from.AddDays(41))
		check("DueOn "+from.String(), ca, cb, errA, errB)
		ma, errA := fast.dueOn(ctx, from, from.AddDays(41), false)
		check("DueMarks "+from.String(), ma, dvUnworded(cb), errA, nil)
		na, errA := fast.DueCounts(ctx, from, from.AddDays(41))
		check("DueCounts and DueOn "+from.String(), na, dvCount(cb), errA, nil)
		mc, mp, errA := fast.DueMonth(ctx, from, from.AddDays(41), d, 2, 7)
		check("DueMonth's counts "+from.String(), mc, na, errA, nil)
		pb, errB := slow.DueDayPage(ctx, d, 2, 7)
		check("DueMonth's page "+d.String(), mp, pb, errA, errB)
		for _, grouped := range []bool{false, true} {
			pa, errA := fast.listPage(ctx, listToday, d, 0, grouped, 3, 20)
			pb, errB := slow.listPage(ctx, listToday, d, 0, grouped, 3, 20)
			check(fmt.Sprintf("Today's page (grouped %v) %s", grouped, d), pa, pb, errA, errB)
		}
		pa, errA := fast.UpcomingPage(ctx, d, 7, 1, 20)
		pb, errB = slow.UpcomingPage(ctx, d, 7, 1, 20)
		check("Upcoming's page "+d.String(), pa, pb, errA, errB)
	}
	if found, err := summaryFindings(ctx, fast.reader()); err != nil || len(found) > 0 {
		t.Fatalf("%s: the summary rows do not match the facts: %v %v", step, found, err)
	}
}

// dvUnworded is a calendar without Why and Message.
func dvUnworded(cal map[rules.Day][]rules.Reminder) map[rules.Day][]rules.Reminder {
	out := map[rules.Day][]rules.Reminder{}
	for d, rs := range cal {
		for _, r := range rs {
			r.Why, r.Message = "", ""
			out[d] = append(out[d], r)
		}
	}
	return out
}

// dvCount counts a calendar's reminders by day and kind.
func dvCount(cal map[rules.Day][]rules.Reminder) map[rules.Day]DayCounts {
	out := map[rules.Day]DayCounts{}
	for d, rs := range cal {
		var c DayCounts
		for _, r := range rs {
			c[kindPlace(r.Kind)]++
		}
		out[d] = c
	}
	return out
}

// dvBrief shows the first difference-worthy part of a list.
func dvBrief(v any) string {
	var lines []string
	add := func(rs []rules.Reminder) {
		for _, r := range rs {
			lines = append(lines, fmt.Sprintf("%s %s %s|%s|%d|%s", r.Key, r.State, r.Why, r.Message, r.OverdueDays, r.Staff))
		}
	}
	switch x := v.(type) {
	case []rules.Reminder:
		add(x)
	case map[rules.Day][]rules.Reminder:
		for _, rs := range x {
			add(rs)
		}
	}
	if len(lines) > 40 {
		lines = append(lines[:40], "…")
	}
	return fmt.Sprintf("%d rows\n%s", len(lines), strings.Join(lines, "\n"))
}

func TestDerivedRowsMatchTheFactsAfterEveryWrite(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 80, Seed: 3, End: end}); err != nil {
		t.Fatal(err)
	}
	slow := dvSlowTwin(t, s)
	days := []rules.Day{rules.NewDay(2026, 3, 20), rules.NewDay(2026, 6, 1), rules.NewDay(2026, 6, 10), end, end.AddDays(1),
		end.AddDays(7), rules.NewDay(2026, 6, 30), rules.NewDay(2026, 12, 28), rules.NewDay(2027, 1, 3), rules.NewDay(2028, 5, 20)}
	if n := dvPartialCustomers(t, s, end); n != 80 {
		t.Fatalf("after the demo %d of 80 customers are read through their summary rows", n)
	}
	dvSame(t, "demo", s, slow, days...)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	purchasesOf := func(id rules.ID) []rules.Purchase {
		ps, err := s.Purchases(ctx, id)
		must(err)
		return ps
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"sale", func() {
			_, err := s.RecordSale(ctx, Sale{CustomerID: 5, Amount: 12000, Description: "coat", Staff: "Maggie"})
			must(err)
		}},
		{"sale with a reward", func() {
			ps, err := s.HoldersFrom(ctx, 100)
			must(err)
			if len(ps) == 0 {
				t.Fatal("no one holds a reward")
			}
			_, err = s.RecordSale(ctx, Sale{CustomerID: ps[0].Customer.ID, Amount: 9000, RedeemPoints: 100, Staff: "Maggie"})
			must(err)
		}},
		{"refund", func() {
			ps := purchasesOf(7)
			for _, p := range ps {
				if p.Amount > 2000 && p.RefundOf == 0 && !p.Voided {
					_, err := s.Refund(ctx, p.ID, p.Amount, "Maggie", "did not fit")
					must(err)
					return
				}
			}
		}},
		{"void", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 9, Amount: 3000, Staff: "Maggie"})
			must(err)
			must(s.VoidPurchase(ctx, p.Purchase.ID, "Maggie", "wrong till"))
		}},
		{"move", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 11, Amount: 6000, Staff: "Maggie"})
			must(err)
			_, err = s.MovePurchase(ctx, p.Purchase.ID, 12, "Maggie")
			must(err)
		}},
		{"contact", func() {
			_, err := s.LogContact(ctx, rules.Contact{CustomerID: 13, Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
		}},
		{"complaint", func() {
			id, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: 14, What: "button came off", Received: end.AddDays(-3)})
			must(err)
			must(s.ResolveComplaint(ctx, id, "sewn back", "Priya"))
			_, err = s.AddComplaint(ctx, rules.Complaint{CustomerID: 15, What: "late order"})
			must(err)
		}},
		{"promise", func() {
			id, err := s.AddPromise(ctx, rules.Promise{CustomerID: 16, What: "order the blue one", Due: end.AddDays(4)})
			must(err)
			_, err = s.AddPromise(ctx, rules.Promise{CustomerID: 17, What: "call back", Due: end.AddDays(1)})
			must(err)
			must(s.KeepPromise(ctx, id, "Priya"))
		}},
		{"reminder actions", func() {
			rs, err := s.TodayList(ctx, end)
			must(err)
			if len(rs) < 4 {
				t.Fatal("too few reminders to work")
			}
			_, err = s.CompleteReminder(ctx, rs[0].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
			must(s.SnoozeReminder(ctx, rs[1].Key, end.AddDays(3), "Priya"))
			must(s.SkipReminder(ctx, rs[2].Key, "moved away", "Priya"))
			must(s.SkipReminder(ctx, rs[3].Key, "by mistake", "Priya"))
			must(s.ReopenReminder(ctx, rs[3].Key, "Priya"))
		}},
		{"customer details", func() {
			c, err := s.Customer(ctx, 20)
			must(err)
			c.DoNotContact = !c.DoNotContact
			c.Birthday = rules.YearlyDate{Month: 6, Day: 17}
			c.CustomerSince = rules.NewDay(2021, 6, 14)
			must(s.UpdateCustomer(ctx, c))
			_, err = s.AddCustomer(ctx, rules.Customer{Name: "Newcomer Nina", Birthday: rules.YearlyDate{Year: 1990, Month: 6, Day: 16}})
			must(err)
		}},
		{"occasions", func() {
			id, err := s.AddOccasion(ctx, rules.Occasion{CustomerID: 21, Label: "Wedding anniversary", Date: rules.YearlyDate{Year: 2019, Month: 6, Day: 19}, Yearly: true, LeadDays: 10})
			must(err)
			_, err = s.AddOccasion(ctx, rules.Occasion{CustomerID: 22, Label: "Moved house", Date: rules.YearlyDate{Year: 2026, Month: 6, Day: 12}, LeadDays: 7})
			must(err)
			must(s.UpdateOccasion(ctx, rules.Occasion{ID: id, CustomerID: 21, Label: "Wedding", Date: rules.YearlyDate{Month: 6, Day: 20}, Yearly: true, LeadDays: 60}))
		}},
		{"points", func() {
			_, err := s.AdjustPoints(ctx, 23, 150, "goodwill", "Owner")
			must(err)
		}},
		{"merge", func() {
			rs, err := s.TodayList(ctx, end)
			must(err)
			drop := rs[len(rs)-1].CustomerID
			keep := rules.ID(2)
			if drop == keep {
				keep = 3
			}
			must(s.SkipReminder(ctx, rs[len(rs)-1].Key, "merged", "Owner"))
			must(s.MergeCustomers(ctx, keep, drop, "Owner"))
		}},
		{"import", func() {
			_, err := s.ImportCustomersCSV(ctx, strings.NewReader("name,phone,birthday,customer_since,points\n"+
				"Ivy Import,+44 7000 111222,--06-18,2020-06-19,140\nJoe Import,+44 7000 111333,1970-06-14,,\n"), ImportOptions{})
			must(err)
			_, err = s.ImportPurchasesCSV(ctx, strings.NewReader("customer,date,amount,description\n"+
				"+44 7000 111222,2026-06-02,80.00,old till coat\n+44 7000 111333,2026-05-30,20.00,socks\n"), ImportOptions{})
			must(err)
		}},
		{"templates and the shop's name", func() {
			must(s.SetTemplate(ctx, rules.KindCheckIn, "Hello {{.Name}}, how is the {{.LastPurchase}} from {{.ShopName}}?"))
			must(s.SetTemplate(ctx, rules.KindAnniversary, ""))
			must(s.SetShop(ctx, rules.ShopDetails{Name: "Thread & Needle"}))
		}},
		{"a later day", func() {
			// Its first write also words the calendar's rows again.
			s.SetToday(end.AddDays(5))
			_, err := s.RecordSale(ctx, Sale{CustomerID: 32, Amount: 15000, Staff: "Maggie"})
			must(err)
			_, err = s.LogContact(ctx, rules.Contact{CustomerID: 33, Channel: rules.ChannelEmail, Staff: "Priya"})
			must(err)
			s.SetToday(end)
		}},
		{"rules", func() {
			r := rules.DefaultRules()
			r[rules.KindThankYou] = rules.Rule{On: true, AfterDays: 2, StayDays: 10, GapDays: 20}
			r[rules.KindBirthday] = rules.Rule{On: true, BeforeDays: 10, StayDays: 3}
			r[rules.KindStayInTouch] = rules.Rule{On: true, AfterDays: 60}
			must(s.SetRules(ctx, r))
		}},
		{"scheme", func() {
			l := rules.DefaultLoyalty()
			l.ExpiryMonths = 12
			must(s.SetLoyalty(ctx, l))
		}},
		{"expiry", func() {
			_, err := s.ApplyExpiry(ctx, end)
			must(err)
		}},
		{"rules off", func() {
			r := rules.DefaultRules()
			r[rules.KindOccasion] = rules.Rule{On: false}
			r[rules.KindCheckIn] = rules.Rule{On: false}
			must(s.SetRules(ctx, r))
		}},
	}
	// Every step is compared on the store's day and the next; the other
	// days take turns, two a step, so each is compared after several
	// kinds of write. After the steps that change what every row holds
	// (the rules, the scheme, the templates), and after the last, every
	// day is compared.
	everyDay := map[string]bool{"templates and the shop's name": true, "rules": true, "scheme": true, "rules off": true}
	var others []rules.Day
	for _, d := range days {
		if d != end && d != end.AddDays(1) {
			others = append(others, d)
		}
	}
	for i, st := range steps {
		st.do()
		check := days
		if !everyDay[st.name] && i != len(steps)-1 {
			check = []rules.Day{end, end.AddDays(1), others[(2*i)%len(others)], others[(2*i+1)%len(others)]}
		}
		dvSame(t, st.name, s, slow, check...)
	}
	// Done today reads all its customers at once; it must give what
	// asking customer by customer gives.
	handled, err := s.HandledOn(ctx, end)
	must(err)
	ids, err := idList(ctx, s.reader(), "SELECT DISTINCT customer_id FROM reminder_states WHERE changed_on = ? AND state IN ('done', 'skipped') ORDER BY customer_id", end.String())
	must(err)
	var want []rules.Reminder
	for _, id := range ids {
		rs, err := s.CustomerReminders(ctx, id, end)
		must(err)
		for _, r := range rs {
			if (r.State == rules.StateDone || r.State == rules.StateSkipped) && r.DoneOn == end {
				want = append(want, r)
			}
		}
	}
	if len(want) == 0 || !reflect.DeepEqual(handled, want) {
		t.Errorf("HandledOn:\n%s\nwant\n%s", dvBrief(handled), dvBrief(want))
	}
	if n := dvPartialCustomers(t, s, end.AddDays(5)); n < 60 {
		t.Errorf("only %d customers are read through their summary rows at the end", n)
	}
	problems, err := s.Check(ctx)
	must(err)
	for _, p := range problems {
		if strings.Contains(p.What, "kept for") {
			t.Errorf("check: %s", p.What)
		}
	}
}

// TestDerivedRowsProperty writes random facts into a small shop and compares
// the lists read both ways on random days.
func TestDerivedRowsProperty(t *testing.T) {
	lyRapidChecks(t, 50, 8)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		base := rules.NewDay(2026, time.March, 1)
		today := base.AddDays(rapid.IntRange(0, 200).Draw(rt, "today"))
		s, err := Open(ctx, t.TempDir()+"/p.db", Options{Today: today})
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		day := func(label string) rules.Day { return base.AddDays(rapid.IntRange(-400, 220).Draw(rt, label)) }
		n := rapid.IntRange(1, 6).Draw(rt, "customers")
		for i := 1; i <= n; i++ {
			c := rules.Customer{Name: fmt.Sprintf("Cust %d", i), DoNotContact: rapid.IntRange(0, 5).Draw(rt, "dnc") == 0}
			if rapid.Bool().Draw(rt, "birthday") {
				m := rapid.IntRange(1, 12).Draw(rt, "bm")
				c.Birthday = rules.YearlyDate{Month: time.Month(m), Day: rapid.IntRange(1, rules.DaysIn(2000, time.Month(m))).Draw(rt, "bd")}
			}
			if rapid.Bool().Draw(rt, "since") {
				c.CustomerSince = day("since")
			}
			if _, err := s.AddCustomer(ctx, c); err != nil {
				rt.Fatal(err)
			}
		}
		cust := func() rules.ID { return rules.ID(rapid.IntRange(1, n).Draw(rt, "who")) }
		var purchases []rules.ID
		for range rapid.IntRange(0, 25).Draw(rt, "facts") {
			var err error
			switch rapid.IntRange(0, 7).Draw(rt, "fact") {
			case 0, 1, 2:
				d := day("sale")
				res, e := s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents) VALUES (?, ?, ?, ?)`,
					cust(), d.String()+" 10:00:00", d.String(), rapid.IntRange(100, 20000).Draw(rt, "amount"))
				if e == nil {
					id, _ := res.LastInsertId()
					purchases = append(purchases, id)
				}
				err = e
			case 3:
				if len(purchases) > 0 {
					p := purchases[rapid.IntRange(0, len(purchases)-1).Draw(rt, "refunded")]
					_, err = s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of)
						SELECT customer_id, ?, ?, ?, id FROM purchases WHERE id = ?`, "", day("refund").String(), -rapid.IntRange(100, 20000).Draw(rt, "back"), p)
				}
			case 4:
				d := day("contact")
				_, err = s.w.Exec(`INSERT INTO contacts(customer_id, at, day, channel) VALUES (?, ?, ?, 'phone')`, cust(), d.String()+" 09:00:00", d.String())
			case 5:
				d := day("ledger")
				_, err = s.w.Exec(`INSERT INTO ledger(customer_id, at, day, kind, points, staff) VALUES (?, ?, ?, 'adjustment', ?, 'Bea')`,
					cust(), d.String()+" 09:00:00", d.String(), rapid.IntRange(-120, 200).Draw(rt, "points"))
			case 6:
				m := day("made")
				_, err = s.w.Exec(`INSERT INTO promises(customer_id, what, due, made_on, kept_on) VALUES (?, 'thing', ?, ?, ?)`,
					cust(), m.AddDays(rapid.IntRange(0, 20).Draw(rt, "wait")).String(), m.String(),
					nullDay(rapid.SampledFrom([]rules.Day{0, m.AddDays(rapid.IntRange(0, 30).Draw(rt, "kept"))}).Draw(rt, "keptOn")))
			case 7:
				r := day("received")
				_, err = s.w.Exec(`INSERT INTO complaints(customer_id, what, received_at, received_on, resolved_on) VALUES (?, 'bad', ?, ?, ?)`,
					cust(), r.String()+" 10:00:00", r.String(),
					nullDay(rapid.SampledFrom([]rules.Day{0, r.AddDays(rapid.IntRange(0, 30).Draw(rt, "resolved"))}).Draw(rt, "resolvedOn")))
			}
			if err != nil {
				rt.Fatal(err)
			}
		}
		if rapid.Bool().Draw(rt, "expiry") {
			l := rules.DefaultLoyalty()
			l.ExpiryMonths = rapid.IntRange(1, 6).Draw(rt, "months")
			if err := s.SetLoyalty(ctx, l); err != nil {
				rt.Fatal(err)
			}
		}
		// Work the summary rows out (the raw writes did not), then mark a
		// few reminders done or snoozed.
		if err := s.tx(ctx, func(tx *sql.Tx) error { return s.rebuildSummariesOf(ctx, tx) }); err != nil {
			rt.Fatal(err)
		}
		if rs, err := s.TodayList(ctx, today); err == nil && len(rs) > 0 {
			k := rs[rapid.IntRange(0, len(rs)-1).Draw(rt, "acted")].Key
			switch rapid.IntRange(0, 2).Draw(rt, "action") {
			case 0:
				_, err = s.CompleteReminder(ctx, k, rules.Contact{Channel: rules.ChannelPhone})
			case 1:
				err = s.SnoozeReminder(ctx, k, today.AddDays(rapid.IntRange(1, 9).Draw(rt, "snooze")), "")
			case 2:
				err = s.SkipReminder(ctx, k, "no", "")
			}
			if err != nil {
				rt.Fatal(err)
			}
		}
		slow, err := Open(ctx, s.Path(), Options{Today: today, MustExist: true})
		if err != nil {
			rt.Fatal(err)
		}
		defer slow.Close()
		slow.factsOnly = true
		for range 3 {
			d := day("asked")
			switch rapid.IntRange(0, 3).Draw(rt, "when") {
			case 0, 1:
				d = today.AddDays(rapid.IntRange(-3, 40).Draw(rt, "ahead"))
			case 2:
				d = today.AddDays(rapid.IntRange(700, 900).Draw(rt, "far"))
			}
			for _, pair := range [][2]func() (any, error){
				{func() (any, error) { return s.TodayList(ctx, d) }, func() (any, error) { return slow.TodayList(ctx, d) }},
				{func() (any, error) { return s.Upcoming(ctx, d, 7) }, func() (any, error) { return slow.Upcoming(ctx, d, 7) }},
				{func() (any, error) { return s.DueOn(ctx, dvGrid(d), dvGrid(d).AddDays(41)) }, func() (any, error) { return slow.DueOn(ctx, dvGrid(d), dvGrid(d).AddDays(41)) }},
				{func() (any, error) { return s.TodayGroupedPage(ctx, d, 1, 5) }, func() (any, error) { return slow.TodayGroupedPage(ctx, d, 1, 5) }},
				{func() (any, error) { return s.UpcomingPage(ctx, d, 7, 1, 5) }, func() (any, error) { return slow.UpcomingPage(ctx, d, 7, 1, 5) }},
				{func() (any, error) { return s.DueDayPage(ctx, d, 0, 5) }, func() (any, error) { return slow.DueDayPage(ctx, d, 0, 5) }},
			} {
				a, errA := pair[0]()
				b, errB := pair[1]()
				if errA != nil || errB != nil {
					rt.Fatal(errA, errB)
				}
				if !reflect.DeepEqual(a, b) {
					rt.Fatalf("on %s (today %s):\nsummary %s\nfacts   %s", d, today, dvBrief(a), dvBrief(b))
				}
			}
		}
	})
}

// dvPartialCustomers counts the customers a read on d takes through their
// summary rows, so the tests know they test them.
func dvPartialCustomers(t *testing.T, s *Store, d rules.Day) int {
	t.Helper()
	pf, _ := dvPartial(t, s, d)
	n := 0
	for i := range pf.customers {
		if !pf.busy[pf.customers[i].Customer.ID] {
			n++
		}
	}
	return n
}

// dvPartial is what Today on d reads of the whole shop, and the settings.
func dvPartial(t *testing.T, s *Store, d rules.Day) (*partialFacts, shopSettings) {
	t.Helper()
	ctx := context.Background()
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		t.Fatal(err)
	}
	pf, err := s.readPartial(ctx, s.reader(), set.engine, d, d)
	if err != nil {
		t.Fatal(err)
	}
	return pf, set
}
