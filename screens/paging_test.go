package screens

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"regulars/data"
)

// TestTodayListReadsPagesAsItScrolls: a long To do list reads its counts and
// first page, and the rest as it scrolls; the rows end up those of the
// whole list, grouped as ever.
func TestTodayListReadsPagesAsItScrolls(t *testing.T) {
	ctx, s, day := pagingShop(t)
	all, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2*pageSize {
		t.Fatalf("only %d reminders on Today: too few to page", len(all))
	}
	a, td := pagingToday(ctx, t, s, day)
	if len(td.loaded) != pageSize {
		t.Fatalf("the first read brought %d reminders, want %d", len(td.loaded), pageSize)
	}
	want := groupedToday(all)
	got := remindersOf(td.due.rows)
	if len(got) != len(want) || slices.Index(got, "(pending)") != pageSize || !slices.Equal(got[:pageSize], want[:pageSize]) {
		t.Fatalf("%d reminder rows (first pending at %d), want %d with the first %d read", len(got), slices.Index(got, "(pending)"), len(want), pageSize)
	}
	if !strings.Contains(td.tabs.Items[0].Text, strconv.Itoa(len(all))) {
		t.Errorf("tab %q for %d reminders", td.tabs.Items[0].Text, len(all))
	}
	// Down the keyboard past the first page: the reminder there comes with
	// its details.
	td.due.selectFirst()
	for range pageSize + 5 {
		td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if r := td.due.selected; r == nil || td.due.rows[td.due.at].reminder != r {
		t.Fatalf("after moving down past the first page: selected %v at row %d", r, td.due.at)
	}
	// Page Down moves a screenful; End reaches the last reminder, read with
	// its page; Home goes back to the first.
	was := td.due.at
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	if step := td.due.at - was; step < 5 || step > 20 {
		t.Errorf("Page Down moved %d rows in an 800-pixel window", step)
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	if last := len(td.due.rows) - 1; td.due.at != last || td.due.selected == nil || td.due.rows[last].reminder != td.due.selected {
		t.Fatalf("End: at row %d of %d, selected %v", td.due.at, len(td.due.rows), td.due.selected)
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if td.due.at != 1 || td.due.selected == nil || td.due.selected.Key != td.loaded[0].Key {
		t.Fatalf("Home: at row %d, selected %v", td.due.at, td.due.selected)
	}
	// The heading was passed over: the next arrow goes on from the first reminder.
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if td.due.at != 2 {
		t.Fatalf("Down after Home: at row %d, want 2", td.due.at)
	}
	// Scrolling to the end reads what is in between.
	td.due.list.ScrollToBottom()
	td.due.list.Refresh()
	a.win.Canvas().Capture()
	td.due.more(len(td.due.rows) - 1)
	if got := remindersOf(td.due.rows); !slices.Equal(got, want) {
		t.Fatalf("after scrolling the rows differ from the whole list's:\n%v\nwant\n%v", got[:min(len(got), 20)], want[:min(len(want), 20)])
	}
}

// pagingShop is a 600-customer demo shop on its last day, 15 June 2026.
func pagingShop(t *testing.T) (context.Context, *data.Store, data.Day) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	day := mustDay("2026-06-15")
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "shop.db"), data.Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, data.DemoOptions{Customers: 600, Seed: 2, End: day}); err != nil {
		t.Fatal(err)
	}
	return ctx, s, day
}

// pagingToday opens the window on s at 9:00 on day, Today on show.
func pagingToday(ctx context.Context, t *testing.T, s *data.Store, day data.Day) (*App, *todayScreen) {
	t.Helper()
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	y, m, d := day.Date()
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Date: day, Screen: "today",
		Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}, Synchronous: true})
	t.Cleanup(func() { a.win.Close() })
	a.win.Resize(fyne.NewSize(1280, 800))
	return a, a.screens["today"].(*todayScreen)
}

// groupedToday is a whole To do list in the screen's order: open
// complaints, overdue, then by kind, each in the list's order.
func groupedToday(rs []data.Reminder) []string {
	rank := func(r data.Reminder) int {
		switch {
		case r.OpenComplaint:
			return 0
		case r.OverdueDays > 0:
			return 1
		}
		return 2 + slices.Index(data.Kinds, r.Kind)
	}
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b data.Reminder) int { return rank(a) - rank(b) })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Key + " " + r.Message
	}
	return out
}

// remindersOf lists the reminders of rows, "(pending)" for those not read.
func remindersOf(rows []reminderRow) []string {
	var out []string
	for _, r := range rows {
		switch {
		case r.pending:
			out = append(out, "(pending)")
		case r.reminder != nil:
			out = append(out, r.reminder.Key+" "+r.reminder.Message)
		}
	}
	return out
}

// TestDoneTodayReadsPagesAsItScrolls: on a busy day the Done today tab reads
// its counts and first page, and the rest as it scrolls, grouped by kind.
func TestDoneTodayReadsPagesAsItScrolls(t *testing.T) {
	ctx, s, day := pagingShop(t)
	todo, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range todo[:min(len(todo), 2*pageSize)] {
		if i%3 == 0 {
			err = s.SkipReminder(ctx, r.Key, "spoke at the till", "Sam")
		} else {
			_, err = s.CompleteReminder(ctx, r.Key, data.Contact{Channel: data.ChannelPhone, Staff: "Sam"})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	handled, err := s.HandledOn(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(handled) < 2*pageSize {
		t.Fatalf("only %d reminders done today: too few to page", len(handled))
	}
	a, td := pagingToday(ctx, t, s, day)
	if !strings.Contains(td.tabs.Items[2].Text, strconv.Itoa(len(handled))) {
		t.Errorf("tab %q for %d reminders done", td.tabs.Items[2].Text, len(handled))
	}
	rank := func(r data.Reminder) int { return slices.Index(data.Kinds, r.Kind) }
	byKind := slices.Clone(handled)
	slices.SortStableFunc(byKind, func(a, b data.Reminder) int { return rank(a) - rank(b) })
	var want []string
	for _, r := range byKind {
		want = append(want, r.Key+" "+r.Message)
	}
	got := remindersOf(td.doneList.rows)
	if len(got) != len(want) || slices.Index(got, "(pending)") != pageSize || !slices.Equal(got[:pageSize], want[:pageSize]) {
		t.Fatalf("%d done rows (first pending at %d), want %d with the first %d read", len(got), slices.Index(got, "(pending)"), len(want), pageSize)
	}
	td.tabs.SelectIndex(2)
	td.doneList.list.ScrollToBottom()
	a.win.Canvas().Capture()
	td.doneList.more(len(td.doneList.rows) - 1)
	if got := remindersOf(td.doneList.rows); !slices.Equal(got, want) {
		t.Fatalf("after scrolling the done rows differ from Done today:\n%v\nwant\n%v", got[:min(len(got), 20)], want[:min(len(want), 20)])
	}
}

// TestCalendarWeekReadsPagesAsItScrolls: a busy week reads its days'
// counts and the first page of its list, and the rest as it scrolls; the
// rows end up each day's list in the calendar's order, a day after
// another, under the days' headings.
func TestCalendarWeekReadsPagesAsItScrolls(t *testing.T) {
	ctx, s, day := pagingShop(t)
	a, _ := pagingToday(ctx, t, s, day)
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)
	c.grid.TypedRune('w')
	if !c.week {
		t.Fatal("W should switch to the week")
	}
	from := weekStart(day)
	cal, err := s.DueOn(ctx, from, from.AddDays(6))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	heads := 0
	for d := from; d <= from.AddDays(6); d = d.AddDays(1) {
		rs := slices.Clone(cal[d])
		slices.SortStableFunc(rs, func(a, b data.Reminder) int {
			return slices.Index(data.Kinds, a.Kind) - slices.Index(data.Kinds, b.Kind)
		})
		for _, r := range rs {
			want = append(want, r.Key+" "+r.Message)
		}
	}
	for _, r := range c.weekPane.rows {
		if r.heading != "" {
			heads++
		}
	}
	if len(want) < pageSize+10 || heads != 7 {
		t.Fatalf("%d reminders under %d headings: too few to page", len(want), heads)
	}
	got := remindersOf(c.weekPane.rows)
	if len(got) != len(want) || slices.Index(got, "(pending)") != pageSize || !slices.Equal(got[:pageSize], want[:pageSize]) {
		t.Fatalf("%d reminder rows (first pending at %d), want %d with the first %d read", len(got), slices.Index(got, "(pending)"), len(want), pageSize)
	}
	c.weekPane.more(len(c.weekPane.rows) - 1)
	if got := remindersOf(c.weekPane.rows); !slices.Equal(got, want) {
		t.Fatalf("after scrolling the rows differ from the week's:\n%v\nwant\n%v", got[:min(len(got), 20)], want[:min(len(want), 20)])
	}
}

// TestGroupListReadsPagesAsItScrolls: the Groups tab reads the group's
// counts and first page, the rest as the list scrolls, and the whole group
// when an action needs it.
func TestGroupListReadsPagesAsItScrolls(t *testing.T) {
	ctx, s, day := pagingShop(t)
	all, err := s.Segment(ctx, data.SegmentQuery{Day: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 3*segmentPage {
		t.Fatalf("only %d customers in the group: too few to page", len(all))
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	y, m, d := day.Date()
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Date: day, Screen: "reports",
		Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}, Synchronous: true})
	t.Cleanup(func() { a.win.Close() })
	a.win.Resize(fyne.NewSize(1280, 800))
	a.show("reports")
	r := a.screens["reports"].(*reportsScreen)
	r.tabs.SelectIndex(1)
	p := r.segments
	email := 0
	for _, c := range all {
		if c.Reachable(data.ChannelEmail) {
			email++
		}
	}
	if p.counts.Customers != len(all) || p.counts.Email != email || len(p.found) != segmentPage {
		t.Fatalf("first read: %+v and %d rows, want %d customers (%d by email) and %d rows", p.counts, len(p.found), len(all), email, segmentPage)
	}
	if !strings.HasPrefix(p.count.Text, strconv.Itoa(len(all))+" customers: "+strconv.Itoa(email)+" can be emailed") {
		t.Errorf("count %q", p.count.Text)
	}
	names := func(cs []data.Customer) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	if !slices.Equal(names(p.found), names(all[:segmentPage])) {
		t.Fatalf("first page %v, want %v", names(p.found)[:5], names(all)[:5])
	}
	// Past the mailable customers read so far, the next email reads the
	// whole group first.
	loaded := len(p.mailable())
	if loaded >= email {
		t.Fatalf("%d of %d mailable customers on the first page: the test needs more beyond it", loaded, email)
	}
	p.mailIdx = loaded
	p.updateNext()
	if p.next.Text != "Email the next one" || p.next.Disabled() {
		t.Fatalf("next email button %q past the page read", p.next.Text)
	}
	var want string
	for _, c := range all {
		if c.Reachable(data.ChannelEmail) {
			if loaded == 0 {
				want = c.Name
				break
			}
			loaded--
		}
	}
	test.Tap(p.next)
	if !strings.Contains(a.status.Text, want) {
		t.Errorf("after emailing the next one: status %q, want %s", a.status.Text, want)
	}
	// Scrolling to the end reads what is in between.
	p.list.ScrollToBottom()
	p.list.Refresh()
	a.win.Canvas().Capture()
	p.more(len(all) - 1)
	if !slices.Equal(names(p.found), names(all)) {
		t.Fatalf("after scrolling %d rows, want the whole group's %d", len(p.found), len(all))
	}
}
