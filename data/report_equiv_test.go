package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"reflect"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
	"time"
)

// The reports and the loyalty screen's figures, read once per table and
// counted in Go, must be exactly what the reference computation (the code
// they replaced, in report_reference_test.go) gives: on a demo shop, on
// days before, at and after its history, after every kind of write that
// moves them, with and without the indexes the sums can use.

// reportSame compares the reports of days, and what the Loyalty and
// Segments screens read, with the reference.
func reportSame(t *testing.T, step string, s *Store, days ...rules.Day) {
	t.Helper()
	ctx := context.Background()
	for _, d := range days {
		want, err := s.refReport(ctx, d, 12)
		if err != nil {
			t.Fatalf("%s, %s: reference report: %v", step, d, err)
		}
		var early []rules.Report
		got, err := s.ReportAsReady(ctx, d, 12, func(r rules.Report) { early = append(early, r) })
		if err != nil {
			t.Fatalf("%s, %s: report: %v", step, d, err)
		}
		// Every figure but the follow-up comes first, the same.
		if len(early) != 1 {
			t.Fatalf("%s, %s: the early figures came %d times", step, d, len(early))
		}
		wantEarly := want
		wantEarly.FollowUp = rules.FollowUpReport{Since: want.FollowUp.Since}
		diffReport(t, step+", "+d.String()+", early", wantEarly, early[0])
		if len(want.Top) == 0 || want.FollowUp.ByKind[0].OnTime+want.FollowUp.ByKind[0].Missed == 0 && d > rules.NewDay(2025, 7, 1) {
			t.Fatalf("%s, %s: the reference report is nearly empty, so the comparison proves little: %+v", step, d, want.FollowUp.ByKind)
		}
		diffReport(t, step+", "+d.String(), want, got)

		type part struct {
			name      string
			want, got func() (any, error)
		}
		parts := []part{
			// The reference report was worked out from the same part of the
			// reference on the same data just above: its figures are taken
			// again rather than computed a second time.
			{"points", func() (any, error) { return want.Points, nil }, func() (any, error) { return s.PointsReport(ctx, d) }},
		}
		for _, p := range parts {
			w, err := p.want()
			if err != nil {
				t.Fatalf("%s, %s, %s: reference: %v", step, d, p.name, err)
			}
			g, err := p.got()
			if err != nil {
				t.Fatalf("%s, %s, %s: %v", step, d, p.name, err)
			}
			if f, ok := w.(rules.FollowUpReport); ok {
				sameStaffOrder(&f)
				w = f
			}
			if !reflect.DeepEqual(w, g) {
				t.Errorf("%s, %s, %s:\n got %+v\nwant %+v", step, d, p.name, g, w)
			}
		}
	}
	loyaltySame(t, step, s)
}

// sameStaffOrder puts staff names that differ only in case in the order the
// report gives them: the reference left it to map order.
func sameStaffOrder(f *rules.FollowUpReport) {
	slices.SortStableFunc(f.ByStaff, func(a, b rules.StaffFollowUpRow) int {
		if (a.Staff == "") != (b.Staff == "") {
			return boolInt(a.Staff == "") - boolInt(b.Staff == "")
		}
		return cmp.Or(strings.Compare(strings.ToLower(a.Staff), strings.ToLower(b.Staff)), strings.Compare(a.Staff, b.Staff))
	})
}

func diffReport(t *testing.T, where string, want, got rules.Report) {
	t.Helper()
	sameStaffOrder(&want.FollowUp)
	if reflect.DeepEqual(want, got) {
		return
	}
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := range w.NumField() {
		if !reflect.DeepEqual(w.Field(i).Interface(), g.Field(i).Interface()) {
			t.Errorf("%s: %s\n got %+v\nwant %+v", where, w.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

// loyaltySame compares what the Loyalty and Segments screens read.
func loyaltySame(t *testing.T, step string, s *Store) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, want, got any, wantErr, gotErr error) {
		t.Helper()
		if wantErr != nil || gotErr != nil {
			t.Fatalf("%s, %s: %v / %v", step, what, wantErr, gotErr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s, %s:\n got %+v\nwant %+v", step, what, got, want)
		}
	}
	for _, n := range []int{0, 1, 100} {
		w, we := s.refTopCustomers(ctx, n)
		g, ge := s.TopCustomers(ctx, n)
		check(fmt.Sprintf("top %d", n), w, g, we, ge)
	}
	wb, we := s.refBalances(ctx)
	gb, ge := s.Balances(ctx)
	check("balances", wb, gb, we, ge)
	for _, min := range []int64{1, 100, 250} {
		w, we := s.refHoldersFrom(ctx, min)
		g, ge := s.HoldersFrom(ctx, min)
		check(fmt.Sprintf("holders from %d", min), w, g, we, ge)
		if len(w) == 0 && min == 100 {
			t.Fatalf("%s: nobody holds %d points, so the comparison proves little", step, min)
		}
		for _, page := range [][2]int{{0, 7}, {5, 3}, {len(w) - 2, 10}, {len(w) + 3, 5}, {0, 0}, {-3, 4}, {2, -1}} {
			lo, hi := min2(max(page[0], 0), len(w)), min2(max(page[0], 0)+max(page[1], 0), len(w))
			wp := ReadyPage{Total: len(w), Offset: max(page[0], 0), Rows: w[lo:hi:hi]}
			gp, ge := s.ReadyPage(ctx, min, page[0], page[1])
			if len(wp.Rows) == 0 && len(gp.Rows) == 0 {
				wp.Rows, gp.Rows = nil, nil
			}
			check(fmt.Sprintf("ready from %d, page %v", min, page), wp, gp, we, ge)
		}
	}
	// The Loyalty screen's summary.
	l, err := s.Loyalty(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := LoyaltyOverview{Scheme: l}
	for _, b := range wb {
		want.Outstanding += b
		if b > 0 {
			want.Holders++
			want.Liability += rules.Cents(b/l.RewardPoints) * l.RewardValue
		}
	}
	wr, we := s.refHoldersFrom(ctx, l.RewardPoints)
	want.Ready = ReadyPage{Total: len(wr), Rows: wr[:min2(len(wr), 20)]}
	got, ge := s.LoyaltyOverview(ctx, 20)
	check("loyalty overview", want, got, we, ge)
	want.Ready.Rows = nil
	got, ge = s.LoyaltyOverview(ctx, -1)
	if len(got.Ready.Rows) == 0 {
		got.Ready.Rows = nil
	}
	check("loyalty overview, no rows", want, got, we, ge)
	for _, q := range []SegmentQuery{
		{},
		{IncludeDoNotContact: true},
		{Bands: []rules.Band{rules.BandActive, rules.BandLost, rules.BandNever}},
		{Bands: []rules.Band{rules.BandLapsing, rules.BandDrifting}, Day: rules.NewDay(2025, 11, 30), IncludeDoNotContact: true},
		{Top: 25},
		{Top: 10, Bands: []rules.Band{rules.BandLapsing}, Birthdays: rules.BirthdaysThisMonth},
	} {
		w, we := s.refSegment(ctx, q)
		g, ge := s.Segment(ctx, q)
		check(fmt.Sprintf("segment %+v", q), w, g, we, ge)
	}
}

func TestReportsMatchTheReferenceAfterEveryWrite(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 300, Seed: 11, End: end}); err != nil {
		t.Fatal(err)
	}
	since, err := s.CreatedOn(ctx)
	if err != nil || since.IsZero() {
		t.Fatalf("created on %s, %v", since, err)
	}
	days := []rules.Day{end, end.AddDays(-1), rules.NewDay(2026, 3, 31), since, since.AddDays(-1), rules.NewDay(2024, 2, 29), end.AddDays(20)}
	reportSame(t, "demo", s, days...)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at := func(d rules.Day) {
		y, m, dd := d.Date()
		now = time.Date(y, m, dd, 11, 0, 0, 0, time.Local)
		s.SetToday(d)
	}
	// Customers with the same birthday whose reminders are handled before
	// they are merged: the moved states take the survivor's keys.
	twins := func(birthday rules.YearlyDate, ids ...rules.ID) {
		for _, id := range ids {
			c, err := s.Customer(ctx, id)
			must(err)
			c.Birthday, c.DoNotContact = birthday, false
			must(s.UpdateCustomer(ctx, c))
		}
	}
	birthdayKey := func(id rules.ID) string {
		rs, err := s.CustomerReminders(ctx, id, s.Today())
		must(err)
		for _, r := range rs {
			if r.Kind == rules.KindBirthday && r.State == rules.StateOpen {
				return r.Key
			}
		}
		t.Fatalf("customer %d has no open birthday reminder on %s", id, s.Today())
		return ""
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"sales, a refund and a void", func() {
			_, err := s.RecordSale(ctx, Sale{CustomerID: 5, Amount: 12000, Description: "coat", Staff: "Maggie"})
			must(err)
			ps, err := s.Purchases(ctx, 7)
			must(err)
			for _, p := range ps {
				if p.Amount > 6000 && p.RefundOf == 0 && !p.Voided {
					_, err := s.Refund(ctx, p.ID, p.Amount-1000, "Maggie", "did not fit")
					must(err)
					break
				}
			}
			p, err := s.RecordSale(ctx, Sale{CustomerID: 9, Amount: 3000, Staff: "Maggie"})
			must(err)
			must(s.VoidPurchase(ctx, p.Purchase.ID, "Maggie", "wrong till"))
			p, err = s.RecordSale(ctx, Sale{CustomerID: 11, Amount: 6000, Staff: "Maggie"})
			must(err)
			_, err = s.MovePurchase(ctx, p.Purchase.ID, 12, "Maggie")
			must(err)
		}},
		{"a reward redeemed and points adjusted", func() {
			hs, err := s.HoldersFrom(ctx, 100)
			must(err)
			_, err = s.RecordSale(ctx, Sale{CustomerID: hs[0].Customer.ID, Amount: 9000, RedeemPoints: 100, Staff: "Maggie"})
			must(err)
			_, err = s.AdjustPoints(ctx, 23, 150, "goodwill", "Owner")
			must(err)
			// A redeem on a sale voided afterwards does not count.
			res, err := s.RecordSale(ctx, Sale{CustomerID: hs[1].Customer.ID, Amount: 8000, RedeemPoints: 100, Staff: "Maggie"})
			must(err)
			must(s.VoidPurchase(ctx, res.Purchase.ID, "Maggie", "rang up twice"))
		}},
		{"reminders handled, snoozed and reopened", func() {
			rs, err := s.TodayList(ctx, end)
			must(err)
			_, err = s.CompleteReminder(ctx, rs[0].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
			must(s.SnoozeReminder(ctx, rs[1].Key, end.AddDays(3), "Priya"))
			must(s.SkipReminder(ctx, rs[2].Key, "moved away", "priya"))
			must(s.SkipReminder(ctx, rs[3].Key, "by mistake", "Sam"))
			must(s.ReopenReminder(ctx, rs[3].Key, "Sam"))
			// Separators inside names and notes: those stretches are read
			// row by row.
			must(s.SkipReminder(ctx, rs[4].Key, "odd", "Sam\x1fthe\x1eSecond"))
			c, err := s.Customer(ctx, rs[5].CustomerID)
			must(err)
			c.Notes = "likes\x1eblue\x1f"
			must(s.UpdateCustomer(ctx, c))
		}},
		{"complaints, promises and contacts", func() {
			id, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: 14, What: "button came off", Received: end.AddDays(-3)})
			must(err)
			must(s.ResolveComplaint(ctx, id, "sewn back", "Priya"))
			_, err = s.AddComplaint(ctx, rules.Complaint{CustomerID: 15, What: "late order"})
			must(err)
			pid, err := s.AddPromise(ctx, rules.Promise{CustomerID: 16, What: "order the blue one", Due: end.AddDays(4)})
			must(err)
			must(s.KeepPromise(ctx, pid, "Priya"))
			_, err = s.LogContact(ctx, rules.Contact{CustomerID: 13, Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
		}},
		{"written on earlier days", func() {
			at(end.AddDays(-30))
			_, err := s.RecordSale(ctx, Sale{CustomerID: 31, Amount: 7000, Staff: "Maggie"})
			must(err)
			rs, err := s.TodayList(ctx, s.Today())
			must(err)
			must(s.SkipReminder(ctx, rs[0].Key, "closed that day", "Owner"))
			_, err = s.CompleteReminder(ctx, rs[1].Key, rules.Contact{Channel: rules.ChannelEmail, Staff: "Priya"})
			must(err)
			at(end)
		}},
		{"written on a later day", func() {
			at(end.AddDays(5))
			_, err := s.RecordSale(ctx, Sale{CustomerID: 32, Amount: 15000, Staff: "Maggie"})
			must(err)
			rs, err := s.TodayList(ctx, s.Today())
			must(err)
			must(s.SkipReminder(ctx, rs[0].Key, "later", "Priya"))
			at(end)
		}},
		{"merges with handled reminders", func() {
			at(rules.NewDay(2026, 6, 1))
			bd := rules.YearlyDate{Month: 6, Day: 3}
			twins(bd, 40, 41, 42, 43)
			must(s.SkipReminder(ctx, birthdayKey(40), "away", "Owner"))
			_, err := s.CompleteReminder(ctx, birthdayKey(41), rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
			must(s.SkipReminder(ctx, birthdayKey(42), "twice", "Sam"))
			at(rules.NewDay(2026, 6, 2))
			_, err = s.CompleteReminder(ctx, birthdayKey(43), rules.Contact{Channel: rules.ChannelSMS, Staff: "Maggie"})
			must(err)
			at(end)
			must(s.MergeCustomers(ctx, 40, 41, "Owner")) // the survivor's own state wins
			must(s.MergeCustomers(ctx, 44, 43, "Owner")) // moved twice into one key: the later change wins
			must(s.MergeCustomers(ctx, 44, 42, "Owner"))
			var moved int
			must(s.w.QueryRow(`SELECT count(*) FROM reminder_states WHERE key LIKE 'birthday:4_:birthday:2026-06-03'
				AND key NOT LIKE '%:' || customer_id || ':%'`).Scan(&moved))
			if moved != 3 {
				t.Fatalf("%d birthday states moved by the merges, want 3", moved)
			}
		}},
		{"a customer forgotten", func() {
			must(s.ForgetCustomer(ctx, 50, "Owner"))
		}},
		{"raw writes not yet computed", func() {
			_, err := s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (30, '2026-06-14 10:00:00', '2026-06-14', 7000, 'raw')`)
			must(err)
			_, err = s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, discount_cents, description) VALUES (NULL, '2026-06-10 10:00:00', '2026-06-10', 2000, 300, 'walk-in')`)
			must(err)
		}},
		{"other rules and points that expire", func() {
			r := rules.DefaultRules()
			r[rules.KindThankYou] = rules.Rule{On: true, AfterDays: 2, StayDays: 10, GapDays: 20}
			r[rules.KindStayInTouch] = rules.Rule{On: true, AfterDays: 60}
			r[rules.KindCheckIn] = rules.Rule{On: true, AfterDays: 5, StayDays: 3, MinCents: 2000}
			must(s.SetRules(ctx, r))
			l := rules.DefaultLoyalty()
			l.ExpiryMonths = 12
			must(s.SetLoyalty(ctx, l))
			_, err := s.ApplyExpiry(ctx, end)
			must(err)
		}},
	}
	// What the first write of a day (or the window's opening) does.
	newDay := func() { must(s.tx(ctx, func(*sql.Tx) error { return nil })) }
	steps = append(steps[:3], append([]struct {
		name string
		do   func()
	}{{"a new day", func() {
		at(end.AddDays(1))
		newDay()
		reportSame(t, "a new day", s, end.AddDays(1), end)
		at(end)
		newDay()
	}}}, steps[3:]...)...)
	for _, st := range steps {
		st.do()
		reportSame(t, st.name, s, days[:4]...)
	}
	reportSame(t, "all written", s, days...)

	// Indexes that hold every column read must not change the order rows
	// are read in.
	for _, q := range []string{
		"CREATE INDEX test_spend ON purchases(customer_id, day, voided, amount_cents, discount_cents, refund_of)",
		"CREATE INDEX test_points ON ledger(customer_id, day, points, kind, purchase_id)",
		"CREATE INDEX test_states ON reminder_states(due, changed_on, customer_id, key, state, staff)",
		"CREATE INDEX test_customers ON customers(forgotten, id, birthday_year, birthday_month, birthday_day, do_not_contact, customer_since, added_on)",
	} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	reportSame(t, "with covering indexes", s, days...)
}

// appendCandKey must build the very keys the engine gives its candidates:
// the follow-up report finds stored states by them.
func TestAppendCandKeyIsTheEngineKey(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 120, Seed: 4, End: end}); err != nil {
		t.Fatal(err)
	}
	l := rules.DefaultLoyalty()
	l.ExpiryMonths = 6
	if err := s.SetLoyalty(ctx, l); err != nil {
		t.Fatal(err)
	}
	fs, err := s.loadFacts(ctx, end, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[rules.Kind]int{}
	var b []byte
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, end, end.AddDays(400), func(c *cand) {
			kinds[c.kind]++
			if b = appendCandKey(b[:0], c, f.Customer.ID); string(b) != c.key(f.Customer.ID) {
				t.Fatalf("appendCandKey gives %s, the engine %s", b, c.key(f.Customer.ID))
			}
		})
	}
	for _, k := range rules.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no candidate of kind %s was tried", k)
		}
	}
}

func TestSlotIndexNumbersIDsDensely(t *testing.T) {
	for _, ids := range [][]rules.ID{{1, 2, 3, 7}, {5, 1 << 40, 9}, {}} {
		x := newSlotIndex(ids)
		for i, id := range ids {
			if sl, ok := x.get(id); !ok || sl != int32(i) {
				t.Fatalf("%v: id %d has slot %d (%v), want %d", ids, id, sl, ok, i)
			}
		}
		// Ids met later get the next slots, far ones too.
		for j, id := range []rules.ID{4, 1 << 50, -3, 4} {
			want := int32(len(ids) + min(j, 2))
			if j == 3 {
				want = int32(len(ids))
			}
			if sl := x.add(id); sl != want {
				t.Fatalf("%v: added id %d at slot %d, want %d", ids, id, sl, want)
			}
		}
		for i, id := range x.ids {
			if sl, ok := x.get(id); !ok || sl != int32(i) {
				t.Fatalf("%v: after adding, id %d has slot %d (%v), want %d", ids, id, sl, ok, i)
			}
		}
		if _, ok := x.get(99); ok {
			t.Fatalf("%v: id 99 has a slot", ids)
		}
	}
}

// The latest contacts are read whatever their days hold: a day that is no
// day reads as none.
func TestLastContactsAreReadWhateverTheDaysHold(t *testing.T) {
	r := newReportShop(t)
	ann, bob := r.customer("Ann"), r.customer("Bob")
	contact := func(id rules.ID, day string) {
		t.Helper()
		if _, err := r.s.w.Exec("INSERT INTO contacts(customer_id, at, day, channel) VALUES (?, '2024-01-01 10:00:00', ?, 'phone')", id, day); err != nil {
			t.Fatal(err)
		}
	}
	read := func() map[rules.ID]rules.Day {
		t.Helper()
		rows := &factRows{day: "2024-01-04", contactLast: map[rules.ID]rules.Day{}}
		if err := r.s.readLastContacts(r.ctx, rows); err != nil {
			t.Fatal(err)
		}
		return rows.contactLast
	}
	contact(ann, "2024-01-03")
	contact(ann, "2024-01-05") // after the day
	contact(bob, "2024-01-02")
	if got, want := read(), map[rules.ID]rules.Day{ann: rmDay("2024-01-03"), bob: rmDay("2024-01-02")}; !maps.Equal(got, want) {
		t.Fatalf("latest contacts %v, want %v", got, want)
	}
	contact(bob, "2024-01-02\x1f") // the latest by text, and no day
	if got, want := read(), map[rules.ID]rules.Day{ann: rmDay("2024-01-03"), bob: 0}; !maps.Equal(got, want) {
		t.Fatalf("with a separator in a day: latest contacts %v, want %v", got, want)
	}
}
