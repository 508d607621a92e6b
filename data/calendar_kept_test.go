package data

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// A calendar day read a page at a time must be DueOn's list of that day,
// grouped by kind, whichever way the pages are read and whatever the kept
// rows can answer for.

// cdGrouped is rs (a day of DueOn) in the calendar's order: by kind in the
// order of Kinds, each in rs's order.
func cdGrouped(rs []Reminder) []Reminder {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Reminder) int { return kindPlace(a.Kind) - kindPlace(b.Kind) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// cdCounts checks the counts of p against the whole day rs, in order.
func cdCounts(p ReminderPage, rs []Reminder) error {
	counts := map[Kind]int{}
	var groups []ReminderGroup
	for _, r := range rs {
		counts[r.Kind]++
		if n := len(groups); n > 0 && groups[n-1].Kind == r.Kind {
			groups[n-1].Count++
		} else {
			groups = append(groups, ReminderGroup{Kind: r.Kind, Count: 1})
		}
	}
	if p.Total != len(rs) || !reflect.DeepEqual(p.Counts, counts) || !reflect.DeepEqual(p.Groups, groups) ||
		p.Overdue != 0 || p.OpenComplaints != 0 {
		return fmt.Errorf("counts %d %v groups %v, want %d %v groups %v", p.Total, p.Counts, p.Groups, len(rs), counts, groups)
	}
	return nil
}

// cdSameDay fails unless the pages of day d of s, read by each size, are
// truth's DueOn(d, d) in the calendar's order, with its counts.
func cdSameDay(t lsT, step string, s, truth *Store, d Day, sizes ...int) {
	t.Helper()
	ctx := context.Background()
	cal, err := truth.DueOn(ctx, d, d)
	if err != nil {
		t.Fatalf("%s: DueOn %s: %v", step, d, err)
	}
	want := cdGrouped(cal[d])
	for _, per := range sizes {
		p, rows, err := lsPages(func(o, l int) (ReminderPage, error) { return s.DueDayPage(ctx, d, o, l) }, per)
		if err != nil {
			t.Fatalf("%s: DueDayPage %s by %d: %v", step, d, per, err)
		}
		if len(rows) == 0 {
			rows = nil
		}
		if !reflect.DeepEqual(rows, want) {
			t.Fatalf("%s: DueDayPage %s by %d differs:\npages %s\nday   %s", step, d, per, dvBrief(rows), dvBrief(want))
		}
		if err := cdCounts(p, want); err != nil {
			t.Fatalf("%s: DueDayPage %s: %v", step, d, err)
		}
		if len(want) > 200 {
			break // one page size is enough for a long day
		}
	}
	// A page from the middle on, and one past the end.
	if n := len(want); n > 2 {
		p, err := s.DueDayPage(ctx, d, n/2, n)
		if err != nil || !reflect.DeepEqual(p.Rows, want[n/2:]) || p.Offset != n/2 {
			t.Fatalf("%s: DueDayPage %s from %d: %v\n%s\nwant %s", step, d, n/2, err, dvBrief(p.Rows), dvBrief(want[n/2:]))
		}
	}
	p, err := s.DueDayPage(ctx, d, len(want)+3, 10)
	if err != nil || len(p.Rows) != 0 || p.Total != len(want) {
		t.Fatalf("%s: the page past the end of %s: %d rows of %d (%v)", step, d, len(p.Rows), p.Total, err)
	}
}

// cdCountsKept fails when reminder_due_counts does not match reminder_due.
func cdCountsKept(t lsT, step string, s *Store) {
	t.Helper()
	found, err := s.checkDueCounts(context.Background(), s.reader())
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if len(found) > 0 {
		t.Fatalf("%s: %s", step, found[0].what)
	}
}

// cdShop is a small shop with a busy day: every customer has a birthday
// on 20 June, whose message names what they bought last only when its
// thank-you is due the same day; some bought something on 18 June
// (thank-yous on the 19th), some on the 19th (thank-yous on the 20th).
func cdShop(t *testing.T) (*Store, Day) {
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
	for i := range 23 {
		c := Customer{Name: fmt.Sprintf("Cal %c%02d", 'A'+i%3, 23-i), Birthday: YearlyDate{Year: 1980 + i, Month: 6, Day: 20}}
		if i%4 == 0 {
			c.Name = "Same Name"
		}
		id, err := s.AddCustomer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := s.AddPromise(ctx, Promise{CustomerID: id, What: fmt.Sprintf("call %d", i), Due: NewDay(2026, 6, 20)}); err != nil {
				t.Fatal(err)
			}
		}
		for _, sale := range []struct {
			on   Day
			does bool
		}{{NewDay(2026, 6, 18), i%3 == 0}, {NewDay(2026, 6, 19), i%5 == 1 && i%3 != 0}} {
			if !sale.does {
				continue
			}
			s.SetToday(sale.on)
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: Cents(1000 + 100*i), Description: fmt.Sprintf("scarf %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		s.SetToday(today)
	}
	return s, NewDay(2026, 6, 20)
}

func TestDueDayPageReadsTheDayInPages(t *testing.T) {
	ctx := context.Background()
	s, day := cdShop(t)
	slow := dvSlowTwin(t, s)
	k, err := s.readKeptDays(ctx, day, day, true, day, 0, 5)
	if err != nil || k.view == nil || len(k.view.slow) != 0 || len(k.rows) != 5 {
		t.Fatalf("the kept rows should answer for %s alone: view %v, %d rows (%v)", day, k.view, len(k.rows), err)
	}
	for _, d := range []Day{day, NewDay(2026, 6, 19), NewDay(2026, 6, 25), NewDay(2026, 6, 21)} {
		cdSameDay(t, "kept", s, slow, d, 1, 2, 5, 50)
	}
	// The ends: a page of nothing still has the counts; a page asked for
	// from before the start starts at the start.
	p, err := s.DueDayPage(ctx, day, 3, 0)
	if err != nil || len(p.Rows) != 0 || p.Total < 30 {
		t.Fatalf("an empty page: %d rows of %d (%v)", len(p.Rows), p.Total, err)
	}
	whole, err := s.DueDayPage(ctx, day, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	p, err = s.DueDayPage(ctx, day, -4, 3)
	if err != nil || p.Offset != 0 || !reflect.DeepEqual(p.Rows, whole.Rows[:3]) {
		t.Fatalf("a page from before the start: at %d, %s (%v)", p.Offset, dvBrief(p.Rows), err)
	}
	if p, err := s.DueDayPage(ctx, day, 1, -1); err != nil || len(p.Rows) != 0 || p.Total != whole.Total {
		t.Fatalf("a page of less than nothing: %d rows of %d (%v)", len(p.Rows), p.Total, err)
	}
	// The day's list is by kind: thank-yous, birthdays, then promises.
	want := []ReminderGroup{{Kind: KindThankYou, Count: 3}, {Kind: KindBirthday, Count: 23}, {Kind: KindPromise, Count: 12}}
	if !reflect.DeepEqual(whole.Groups, want) {
		t.Fatalf("groups of %s: %+v", day, whole.Groups)
	}
	// A birthday's message names what was bought when its thank-you is
	// on the same day's list, and only then.
	named := 0
	for _, r := range whole.Rows {
		if r.Kind == KindBirthday {
			i := int(r.CustomerID) - 1
			if strings.Contains(r.Message, "scarf") != (i%5 == 1 && i%3 != 0) {
				t.Errorf("customer %d: %s", r.CustomerID, r.Message)
			}
			if strings.Contains(r.Message, "scarf") {
				named++
			}
		}
	}
	if named != 3 {
		t.Errorf("%d birthday messages name what was bought, want 3", named)
	}
	if g := cdMust(s.DueDayPage(ctx, NewDay(2026, 6, 19), 0, 1)).Groups; len(g) != 1 || g[0].Kind != KindThankYou || g[0].Count != 8 {
		t.Fatalf("groups of 19 June: %+v", g)
	}
	// A month and its chosen day read together agree with both read apart;
	// the day must be among the month's.
	from := dvGrid(day)
	cal, p, err := s.DueMonth(ctx, from, from.AddDays(41), day, 5, 10)
	if err != nil || !reflect.DeepEqual(cal, cdMust(s.DueCounts(ctx, from, from.AddDays(41)))) ||
		!reflect.DeepEqual(p, cdMust(s.DueDayPage(ctx, day, 5, 10))) || cal[day].Total() != p.Total {
		t.Fatalf("DueMonth: %v, %d of %d on %s (%v)", cal[day], len(p.Rows), p.Total, day, err)
	}
	if _, _, err := s.DueMonth(ctx, from, from.AddDays(41), from.AddDays(42), 0, 10); err == nil {
		t.Error("DueMonth of a day past the month's")
	}
	if _, _, err := s.DueMonth(ctx, from, from.AddDays(-1), from, 0, 10); err == nil {
		t.Error("DueMonth of a month that ends before it starts")
	}
}

// cdMust is for setting up: a failure there is a broken test.
func cdMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestDueDayPageFallsBack: whatever the kept rows cannot answer for is
// worked out, and the pages still are the day's list.
func TestDueDayPageFallsBack(t *testing.T) {
	ctx := context.Background()
	s, day := cdShop(t)
	slow := dvSlowTwin(t, s)
	kept := func(d Day) keptDays {
		t.Helper()
		k, err := s.readKeptDays(ctx, d, d, true, d, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}

	// Customers holding states moved to them by a merge are worked out
	// from their facts, and merged into the kept rows in order.
	ids, err := idList(ctx, s.reader(), "SELECT id FROM customers WHERE name = 'Same Name' ORDER BY id")
	if err != nil || len(ids) < 3 {
		t.Fatalf("customers %v (%v)", ids, err)
	}
	rs := cdMust(s.DueDayPage(ctx, day, 0, 100)).Rows
	for _, r := range rs {
		if (r.CustomerID == ids[1] || r.CustomerID == ids[3]) && r.Kind == KindBirthday {
			if err := s.SkipReminder(ctx, r.Key, "twice on the books", "Owner"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.MergeCustomers(ctx, ids[0], ids[1], "Owner"); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeCustomers(ctx, ids[2], ids[3], "Owner"); err != nil {
		t.Fatal(err)
	}
	k := kept(day)
	if k.view == nil || len(k.view.slow) != 2 || len(k.dirty) != 0 {
		t.Fatalf("after the merges: view %v, dirty %v", k.view, k.dirty)
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		t.Fatal(err)
	}
	slowRs, _, err := s.dueCollect(ctx, set, k.view, day, day, false)
	if err != nil || len(slowRs) < 3 {
		t.Fatalf("the merged customers should have reminders on %s: %d (%v)", day, len(slowRs), err)
	}
	for _, d := range []Day{day, NewDay(2026, 6, 19), NewDay(2026, 6, 25)} {
		cdSameDay(t, "merged", s, slow, d, 1, 2, 3, 7, 50)
	}

	// Customers written outside a transaction of the store wait to be
	// worked out: their kept rows are left out, their facts read.
	if _, err := s.w.Exec("UPDATE customers SET name = 'Aaron Early' WHERE id = ?", ids[4]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("UPDATE customers SET birthday_month = 7 WHERE id = ?", ids[5]); err != nil {
		t.Fatal(err)
	}
	if k := kept(day); k.view == nil || len(k.dirty) != 2 {
		t.Fatalf("after raw writes: view %v, dirty %v", k.view, k.dirty)
	}
	for _, d := range []Day{day, NewDay(2026, 6, 19)} {
		cdSameDay(t, "raw write", s, slow, d, 1, 4, 50)
	}
	dvSame(t, "raw write", s, slow, day)

	// A day far ahead: the yearly reminders past the kept ones come from
	// reminder_yearly.
	far := NewDay(2027, 12, 20)
	if k := kept(far); k.view == nil || far <= k.view.horizon.AddDays(yearlyAhead) {
		t.Fatalf("%s should be past the kept rows", far)
	}
	cdSameDay(t, "far ahead", s, slow, far, 1, 50)

	// A day before the horizon: everything from the facts.
	past := NewDay(2025, 6, 20)
	if k := kept(past); k.view != nil {
		t.Fatalf("%s is before the horizon, yet the kept rows are used", past)
	}
	cdSameDay(t, "before the horizon", s, slow, past, 1, 50)

	// Words kept under other templates are not used: the rows are worded
	// when read. A change of templates or of the shop's name leaves them
	// so until the next day's lists, which word them all again.
	if _, err := s.w.Exec("UPDATE reminder_cache SET due_words = 'other templates'"); err != nil {
		t.Fatal(err)
	}
	if k := kept(day); k.view == nil || k.worded {
		t.Fatal("the words of other templates are used")
	}
	cdSameDay(t, "other words", s, slow, day, 1, 7, 50)
	if err := s.SetTemplate(ctx, KindPromise, "{{.FirstName}}: {{.Promise}} is in."); err != nil {
		t.Fatal(err)
	}
	if err := s.SetShop(ctx, ShopDetails{Name: "Corner Shop"}); err != nil {
		t.Fatal(err)
	}
	promises := func(step string) {
		t.Helper()
		cdSameDay(t, step, s, slow, day, 1, 7, 50)
		n := 0
		for _, r := range cdMust(s.DueDayPage(ctx, day, 0, 100)).Rows {
			if r.Kind == KindPromise {
				n++
				if !strings.HasSuffix(r.Message, " is in.") {
					t.Fatalf("%s: a promise's message: %q", step, r.Message)
				}
			}
		}
		if n == 0 {
			t.Fatalf("%s: no promises on %s", step, day)
		}
	}
	if k := kept(day); k.view == nil || k.worded {
		t.Fatal("the words are worded again at once")
	}
	promises("new templates")
	s.SetToday(s.Today().AddDays(1))
	if _, err := s.LogContact(ctx, Contact{CustomerID: ids[5], Channel: ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	if k := kept(day); k.view == nil || !k.worded {
		t.Fatal("the words are not worded again on the next day")
	}
	promises("the next day")
	cdCountsKept(t, "the next day", s)
	if found, err := s.checkDerived(ctx); err != nil || len(found) != 0 {
		t.Fatalf("check after the templates changed: %v %v", found, err)
	}

	// Rows kept under other rules are not used at all.
	if _, err := s.w.Exec("UPDATE reminder_cache SET fingerprint = 'other rules'"); err != nil {
		t.Fatal(err)
	}
	if k := kept(day); k.view != nil {
		t.Fatal("the kept rows of other rules are used")
	}
	cdSameDay(t, "other rules", s, slow, day, 1, 50)
	if n, err := s.DueCounts(ctx, dvGrid(day), dvGrid(day).AddDays(41)); err != nil || !reflect.DeepEqual(n, cdMust(slow.DueCounts(ctx, dvGrid(day), dvGrid(day).AddDays(41)))) {
		t.Fatalf("counts under other rules: %v", err)
	}

	// A store that ignores the kept rows reads the same.
	cdSameDay(t, "ignoring the kept rows", slow, slow, day, 1, 50)
}

func TestEveryKindHasItsSlot(t *testing.T) {
	if len(Kinds) >= kindSlots {
		t.Fatalf("%d kinds, room for %d in a day's counts", len(Kinds), kindSlots-1)
	}
	var c DayCounts
	for i, k := range Kinds {
		c[i] = i + 1
		if c.Of(k) != i+1 {
			t.Errorf("%s counts %d", k, c.Of(k))
		}
	}
	if c.Of("no such kind") != 0 || c.Total() != len(Kinds)*(len(Kinds)+1)/2 {
		t.Errorf("counts %v: total %d", c, c.Total())
	}
}

// TestDueCountsKeptThroughWrites: the kept counts follow reminder_due
// through writes, merges and a change of rules.
func TestDueCountsKeptThroughWrites(t *testing.T) {
	ctx := context.Background()
	s, day := cdShop(t)
	cdCountsKept(t, "shop", s)
	var n int
	if err := s.reader().QueryRow("SELECT count(*) FROM reminder_due_counts").Scan(&n); err != nil || n == 0 {
		t.Fatalf("%d counts kept (%v)", n, err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: 2, Amount: 5000}); err != nil {
		t.Fatal(err)
	}
	cdCountsKept(t, "sale", s)
	c, err := s.Customer(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	c.Birthday = YearlyDate{}
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	cdCountsKept(t, "no birthday", s)
	cal := cdMust(s.DueCounts(ctx, day, day))
	if cal[day].Of(KindBirthday) != 22 {
		t.Fatalf("birthdays on %s: %v", day, cal[day])
	}
	r := DefaultRules()
	r[KindBirthday] = Rule{On: false}
	if err := s.SetRules(ctx, r); err != nil {
		t.Fatal(err)
	}
	cdCountsKept(t, "rules", s)
	if cal := cdMust(s.DueCounts(ctx, day, day)); cal[day].Of(KindBirthday) != 0 {
		t.Fatalf("birthdays off, yet %v", cal[day])
	}
	var zero int
	if err := s.reader().QueryRow("SELECT count(*) FROM reminder_due_counts WHERE n <= 0").Scan(&zero); err != nil || zero != 0 {
		t.Fatalf("%d counts of nothing kept (%v)", zero, err)
	}
}
