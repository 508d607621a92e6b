package data

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

// The kept lists must change nothing: every page of Today and Upcoming is
// the stretch of the whole list it stands for, with the whole list's
// counts, whether it comes from the kept lists or is cut from the list.

// lsPages reads a list page by page (of size per) until its end.
func lsPages(read func(offset, limit int) (ReminderPage, error), per int) (ReminderPage, []Reminder, error) {
	var all []Reminder
	var first ReminderPage
	for offset := 0; ; offset += per {
		p, err := read(offset, per)
		if err != nil {
			return p, nil, err
		}
		if offset == 0 {
			first = p
		} else if p.Total != first.Total || !reflect.DeepEqual(p.Groups, first.Groups) {
			return p, nil, fmt.Errorf("the counts changed from page to page: %d %v, then %d %v", first.Total, first.Groups, p.Total, p.Groups)
		}
		if p.Offset != offset {
			return p, nil, fmt.Errorf("page at %d says it is at %d", offset, p.Offset)
		}
		all = append(all, p.Rows...)
		if len(p.Rows) < per {
			if offset+len(p.Rows) != p.Total {
				return p, nil, fmt.Errorf("%d rows in all, but Total says %d", offset+len(p.Rows), p.Total)
			}
			return first, all, nil
		}
	}
}

// lsGrouped is rs in the Today screen's order: open complaints, overdue,
// then by kind, each in rs's order.
func lsGrouped(rs []Reminder) []Reminder {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Reminder) int { return listClass(listToday, &a) - listClass(listToday, &b) })
	return out
}

// lsCounts checks the counts of p against the whole list rs.
func lsCounts(p ReminderPage, rs []Reminder, list int) error {
	counts := map[Kind]int{}
	overdue, open := 0, 0
	for _, r := range rs {
		counts[r.Kind]++
		if r.OverdueDays > 0 {
			overdue++
		}
		if r.OpenComplaint {
			open++
		}
	}
	if list == listUpcoming {
		overdue, open = 0, 0
	}
	if p.Total != len(rs) || !reflect.DeepEqual(p.Counts, counts) || p.Overdue != overdue || p.OpenComplaints != open {
		return fmt.Errorf("counts %d %v overdue %d open %d, want %d %v overdue %d open %d",
			p.Total, p.Counts, p.Overdue, p.OpenComplaints, len(rs), counts, overdue, open)
	}
	// The groups, in order, hold the rows in the screen's order.
	i := 0
	for _, g := range p.Groups {
		for k := range g.Count {
			if i+k >= len(rs) {
				return fmt.Errorf("group %+v runs past the list's end", g)
			}
			r := rs[i+k]
			var in bool
			switch {
			case list == listUpcoming:
				in = r.Due == g.Day
			case g.OpenComplaints:
				in = r.OpenComplaint
			case g.Overdue:
				in = !r.OpenComplaint && r.OverdueDays > 0
			default:
				in = !r.OpenComplaint && r.OverdueDays == 0 && r.Kind == g.Kind
			}
			if !in {
				return fmt.Errorf("row %d (%s) is not of group %+v", i+k, r.Key, g)
			}
		}
		i += g.Count
	}
	if i != len(rs) {
		return fmt.Errorf("the groups hold %d rows of %d", i, len(rs))
	}
	return nil
}

// lsT is what the checks need of a test: *testing.T and *rapid.T.
type lsT interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// lsSamePages fails unless every page of s on d agrees with truth's whole
// lists.
func lsSamePages(t lsT, step string, s, truth *Store, d Day) {
	t.Helper()
	lsSamePagesBy(t, step, s, truth, d, 1, 7, 50)
}

// lsSamePagesBy is lsSamePages reading pages of the sizes given.
func lsSamePagesBy(t lsT, step string, s, truth *Store, d Day, sizes ...int) {
	t.Helper()
	ctx := context.Background()
	fail := func(what string, err error) {
		t.Helper()
		t.Fatalf("%s: %s on %s: %v", step, what, d, err)
	}
	today, err := truth.TodayList(ctx, d)
	if err != nil {
		fail("TodayList", err)
	}
	upcoming, err := truth.Upcoming(ctx, d, 7)
	if err != nil {
		fail("Upcoming", err)
	}
	for _, c := range []struct {
		what string
		read func(offset, limit int) (ReminderPage, error)
		want []Reminder
		list int
	}{
		{"TodayPage", func(o, l int) (ReminderPage, error) { return s.TodayPage(ctx, d, o, l) }, today, listToday},
		{"TodayGroupedPage", func(o, l int) (ReminderPage, error) { return s.TodayGroupedPage(ctx, d, o, l) }, lsGrouped(today), listToday},
		{"UpcomingPage", func(o, l int) (ReminderPage, error) { return s.UpcomingPage(ctx, d, 7, o, l) }, upcoming, listUpcoming},
	} {
		for _, per := range sizes {
			p, rows, err := lsPages(c.read, per)
			if err != nil {
				fail(c.what, err)
			}
			if len(rows) == 0 {
				rows = nil
			}
			want := c.want
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(rows, want) {
				t.Fatalf("%s: %s on %s by %d differs:\npages %s\nlist  %s", step, c.what, d, per, dvBrief(rows), dvBrief(want))
			}
			if c.what == "TodayPage" {
				want = lsGrouped(want)
			}
			if err := lsCounts(p, want, c.list); err != nil {
				fail(c.what, err)
			}
			if len(c.want) > 200 {
				break // one page size is enough for a long list
			}
		}
	}
	// A page past the end is empty, with the counts.
	p, err := s.TodayPage(ctx, d, len(today)+3, 10)
	if err != nil || len(p.Rows) != 0 || p.Total != len(today) {
		t.Fatalf("%s: the page past the end on %s: %d rows of %d (%v)", step, d, len(p.Rows), p.Total, err)
	}
}

// lsKept says whether the kept lists answer for d.
func lsKept(t lsT, s *Store, d Day) bool {
	t.Helper()
	_, ok, err := s.keptPage(context.Background(), listToday, d, false, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestListPagesOfADemoShop(t *testing.T) {
	ctx := context.Background()
	end := NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 300, Seed: 5, End: end}); err != nil {
		t.Fatal(err)
	}
	if !lsKept(t, s, end) {
		t.Fatal("the demo did not keep the lists of its last day")
	}
	slow := dvSlowTwin(t, s)
	// Days with birthdays near the year's end, a past --date and days
	// ahead are cut from the whole list; the store's day is kept.
	// Pages of one row only on the kept day: elsewhere every page is cut
	// from the whole list, and a page a row costs the list once a row.
	lsSamePages(t, "demo", s, slow, end)
	lsSamePages(t, "demo", s, s, end)
	for _, d := range []Day{NewDay(2026, 6, 1), NewDay(2025, 12, 30), NewDay(2026, 1, 2), end.AddDays(1), NewDay(2026, 12, 31)} {
		lsSamePagesBy(t, "demo", s, slow, d, 7, 50)
		lsSamePagesBy(t, "demo", s, s, d, 7, 50)
	}
	// A new template or shop name renders the kept lists again.
	if err := s.SetTemplate(ctx, KindThankYou, "Thanks {{.FirstName}}, from {{.ShopName}}"); err != nil {
		t.Fatal(err)
	}
	if !lsKept(t, s, end) {
		t.Fatal("a new template dropped the kept lists")
	}
	lsSamePages(t, "template", s, slow, end)
	if err := s.SetSetting(ctx, "shop_name", "Maggie's"); err != nil {
		t.Fatal(err)
	}
	lsSamePages(t, "shop name", s, slow, end)
	// Saving the settings unchanged (the Settings screen saves them all)
	// leaves the kept lists as they are, and so does a setting the lists do
	// not read; a change to one they read does not.
	gen := func() (n int64) {
		t.Helper()
		if err := s.w.QueryRow("SELECT settings_gen FROM reminder_cache").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := gen()
	if err := s.SetSetting(ctx, "shop_name", "Maggie's"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "backup_folder", t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if gen() != before || !lsKept(t, s, end) {
		t.Fatalf("saving settings unchanged counted as a change (%d, then %d)", before, gen())
	}
	if _, err := s.w.Exec("DELETE FROM settings WHERE key = 'shop_name'"); err != nil {
		t.Fatal(err)
	}
	if gen() == before || lsKept(t, s, end) {
		t.Fatal("the kept lists answer after the shop's name was taken out")
	}
	if err := s.SetSetting(ctx, "shop_name", "Maggie's"); err != nil {
		t.Fatal(err)
	}
	// A change made behind the store's back (another program's write, say)
	// is not used: the page is cut from the whole list.
	if _, err := s.w.Exec("UPDATE settings SET value = 'Hi {{.Name}}' WHERE key = ?", templateKey(KindThankYou)); err != nil {
		t.Fatal(err)
	}
	if lsKept(t, s, end) {
		t.Fatal("the kept lists answer with words of a template since changed")
	}
	lsSamePages(t, "raw template", s, slow, end)
	// Another day of the same shop: the first write keeps its lists.
	other, err := Open(ctx, s.Path(), Options{Today: NewDay(2025, 12, 30)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if !lsKept(t, other, NewDay(2025, 12, 30)) || lsKept(t, other, end) {
		t.Fatal("opening for another day did not keep that day's lists")
	}
	lsSamePages(t, "another day", other, slow, NewDay(2025, 12, 30))
	// Upcoming over other spans is cut from the whole list.
	for _, days := range []int{0, 3, 30} {
		want, err := slow.Upcoming(ctx, end, days)
		if err != nil {
			t.Fatal(err)
		}
		_, rows, err := lsPages(func(o, l int) (ReminderPage, error) { return s.UpcomingPage(ctx, end, days, o, l) }, 20)
		if err != nil || !reflect.DeepEqual(rows, want) && len(want)+len(rows) > 0 {
			t.Fatalf("Upcoming of %d days by pages differs (%v):\n%s\n%s", days, err, dvBrief(rows), dvBrief(want))
		}
	}
}

// A window left open past midnight catches up without waiting for a write.
func TestCatchUpKeepsANewDaysLists(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	if _, err := s.AddCustomer(ctx, Customer{Name: "Ann Lee", Phone: "07700 900123"}); err != nil {
		t.Fatal(err)
	}
	if !lsKept(t, s, rmDay("2026-06-01")) {
		t.Fatal("the first day's lists are not kept")
	}
	next := rmDay("2026-06-02")
	s.SetToday(next)
	if lsKept(t, s, next) {
		t.Fatal("the next day's lists were kept before anything happened")
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if !lsKept(t, s, next) {
		t.Error("CatchUp did not keep the new day's lists")
	}
	lsSamePages(t, "caught up", s, dvSlowTwin(t, s), next)
}
