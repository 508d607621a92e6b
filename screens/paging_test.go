package screens

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"regulars/data"
	"regulars/rules"
)

// TestTodayQueueOnADemoShop: on a demo shop the To do list is the day's
// queue: its groups in order under headings with their counts, the
// drifting customers beyond the day's share behind "show all", the
// rewards to mention shut away, and every reminder of the today command
// somewhere in it. The keys move through it all, and Enter opens what is
// shut where it stands.
func TestTodayQueueOnADemoShop(t *testing.T) {
	ctx, s, day := pagingShop(t)
	all, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.TodayQueue(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	drift, mention := q.Part(rules.QueueDrifting), q.Part(rules.QueueMention)
	if len(drift.Rest) < 10 || len(mention.Rows) < 10 || q.Open() < 20 {
		t.Fatalf("%d to do, %d drifting beyond the share, %d to mention: too few to try the queue on", q.Open(), len(drift.Rest), len(mention.Rows))
	}
	a, td := pagingToday(ctx, t, s, day)
	keys := func(rs []rules.Reminder) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Key
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(td.loaded), keys(all)) {
		t.Fatalf("Today holds %d reminders, the today command lists %d", len(td.loaded), len(all))
	}
	// The rows: each group under its heading; show all and the mention
	// group shut.
	titles := map[rules.QueueGroup]string{rules.QueueObligations: "Obligations", rules.QueueDueToday: "Due today",
		rules.QueueInWindow: "Still in their window", rules.QueueDrifting: "Drifting away"}
	var want []string
	for _, p := range q.Parts {
		if p.Group == rules.QueueMention || len(p.Rows) == 0 {
			continue
		}
		want = append(want, fmt.Sprintf("# %s (%d)", titles[p.Group], len(p.Rows)))
		for _, r := range p.Rows {
			want = append(want, r.Key)
		}
	}
	want = append(want, fmt.Sprintf("# ▸ Show all (%d more)", len(drift.Rest)), fmt.Sprintf("# ▸ Mention when they come in (%d)", len(mention.Rows)))
	if got := rowKeys(td.due.rows); !slices.Equal(got, want) {
		t.Fatalf("To do rows:\n%s\nwant\n%s", strings.Join(got[:min(len(got), 30)], "\n"), strings.Join(want[:min(len(want), 30)], "\n"))
	}
	// What the today command puts first, a reward long overdue, is not
	// what the day's work starts with.
	first := td.due.rows[1].reminder
	if first == nil || first.Kind == rules.KindRewardReady || first.Kind == rules.KindPointsExpiring {
		t.Errorf("the queue starts with %+v", first)
	}
	n := wholeNumber(int64(q.Open()))
	done := fmt.Sprintf("— %s of %s done", wholeNumber(int64(q.Done())), wholeNumber(int64(q.Done()+q.Open())))
	if !strings.HasSuffix(td.heading.Text, done) || td.tabs.Items[0].Text != "To do ("+n+")" || a.navBtns["today"].Text != "Today ("+n+")" {
		t.Errorf("heading %q, tab %q, navigation %q for %s to do", td.heading.Text, td.tabs.Items[0].Text, a.navBtns["today"].Text, n)
	}

	// Down the keyboard: the selected row is the keyboard's row.
	td.due.selectFirst()
	for range pageSize + 5 {
		td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if r := td.due.selected; r == nil || td.due.rows[td.due.at].reminder != r || td.due.list.at() != td.due.at {
		t.Fatalf("after moving down %d rows: selected %v at row %d, keyboard at %d", pageSize+5, r, td.due.at, td.due.list.at())
	}
	// Page Down moves a screenful; End reaches the shut mention group and
	// leaves it shut; Home goes back to the first reminder.
	was := td.due.at
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	if step := td.due.at - was; step < 5 || step > 20 {
		t.Errorf("Page Down moved %d rows in an 800-pixel window", step)
	}
	last := len(td.due.rows) - 1
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	if td.due.list.at() != last || td.mentionOpen || td.due.selected != nil {
		t.Fatalf("End: keyboard at row %d of %d, mention open %v, selected %v", td.due.list.at(), last, td.mentionOpen, td.due.selected)
	}
	// Enter opens it where it stands, its first reminder picked.
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !td.mentionOpen || len(td.due.rows) != last+1+len(mention.Rows) || td.due.at != last+1 || td.due.list.at() != last+1 ||
		td.due.selected == nil || td.due.selected.Key != mention.Rows[0].Key {
		t.Fatalf("Enter on the mention group: open %v, %d rows, at %d, selected %v", td.mentionOpen, len(td.due.rows), td.due.at, td.due.selected)
	}
	if !strings.HasSuffix(td.heading.Text, done) {
		t.Errorf("opening the mentions changed the count: %q", td.heading.Text)
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if td.due.at != 1 || td.due.selected == nil || td.due.selected.Key != td.due.rows[1].reminder.Key {
		t.Fatalf("Home: at row %d, selected %v", td.due.at, td.due.selected)
	}
	// The heading was passed over: the next arrow goes on from the first reminder.
	next := 2
	for td.due.rows[next].reminder == nil {
		next++
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if td.due.at != next {
		t.Fatalf("Down after Home: at row %d, want %d", td.due.at, next)
	}

	// Show all opens the drifting customers beyond the share in place.
	at := slices.Index(rowKeys(td.due.rows), fmt.Sprintf("# ▸ Show all (%d more)", len(drift.Rest)))
	td.due.list.moveFocus(at)
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !td.driftAll || td.due.rows[at].reminder == nil || td.due.rows[at].reminder.Key != drift.Rest[0].Key || td.due.at != at {
		t.Fatalf("show all: open %v, row %d %+v, at %d", td.driftAll, at, td.due.rows[at], td.due.at)
	}
	a.win.Canvas().Capture()
}

// rowKeys lists the rows of a reminder list: "# " and the text of a
// heading or toggle, a reminder's key.
func rowKeys(rows []reminderRow) []string {
	var out []string
	for _, r := range rows {
		if r.reminder == nil {
			out = append(out, "# "+r.heading)
			continue
		}
		out = append(out, r.reminder.Key)
	}
	return out
}

// pagingShop is a 600-customer demo shop on its last day, 15 June 2026.
func pagingShop(t *testing.T) (context.Context, *data.Store, rules.Day) {
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
func pagingToday(ctx context.Context, t *testing.T, s *data.Store, day rules.Day) (*App, *todayScreen) {
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
			_, err = s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Sam"})
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
	rank := func(r rules.Reminder) int { return slices.Index(rules.Kinds, r.Kind) }
	byKind := slices.Clone(handled)
	slices.SortStableFunc(byKind, func(a, b rules.Reminder) int { return rank(a) - rank(b) })
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
		slices.SortStableFunc(rs, func(a, b rules.Reminder) int {
			return slices.Index(rules.Kinds, a.Kind) - slices.Index(rules.Kinds, b.Kind)
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
		if c.Reachable(rules.ChannelEmail) {
			email++
		}
	}
	if p.counts.Customers != len(all) || p.counts.Email != email || len(p.found) != segmentPage {
		t.Fatalf("first read: %+v and %d rows, want %d customers (%d by email) and %d rows", p.counts, len(p.found), len(all), email, segmentPage)
	}
	if !strings.HasPrefix(p.count.Text, wholeNumber(int64(len(all)))+" customers: "+wholeNumber(int64(email))+" can be emailed") {
		t.Errorf("count %q", p.count.Text)
	}
	names := func(cs []rules.Customer) []string {
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
		if c.Reachable(rules.ChannelEmail) {
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
