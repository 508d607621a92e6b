package screens

import (
	"context"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"regulars/data"
	"regulars/rules"
)

// openShop opens the window over s on the morning of today, with the
// start-up pop-up already dismissed.
func openShop(t *testing.T, s *data.Store, today rules.Day) *App {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s.SetToday(today)
	y, m, d := today.Date()
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)},
		Notify: &countingNotifier{}, Synchronous: true})
	a.win.Resize(fyne.NewSize(1280, 800))
	if a.popups.dlg != nil {
		a.popups.dlg.Hide()
	}
	return a
}

func openStore(t *testing.T, today rules.Day) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "shop.db"), data.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// must is for setting up: a failure there is a broken test, not a finding.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func kindsOf(rs []rules.Reminder) []rules.Kind {
	var ks []rules.Kind
	for _, r := range rs {
		if !slices.Contains(ks, r.Kind) {
			ks = append(ks, r.Kind)
		}
	}
	slices.SortFunc(ks, func(a, b rules.Kind) int { return kindOrder(a) - kindOrder(b) })
	return ks
}

func kindOrder(k rules.Kind) int { return slices.Index(rules.Kinds, k) }

func TestCalendarMarksTheRightDays(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, mustDay("2027-01-20"))
	leap := must(s.AddCustomer(ctx, rules.Customer{Name: "Lea Leap", Birthday: rules.YearlyDate{Year: 1992, Month: 2, Day: 29}}))
	ann := must(s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123"}))
	must(s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "order mats", Due: mustDay("2027-01-31"), Staff: "Sam"}))
	must(s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "fit bumper", Due: mustDay("2027-03-01"), Staff: "Sam"}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: ann, Amount: 8000, Description: "coat"})) // thank-you 21 Jan, check-in 27 Jan
	must(s.AddOccasion(ctx, rules.Occasion{CustomerID: ann, Label: "Wedding anniversary", Date: rules.YearlyDate{Year: 2010, Month: 2, Day: 14}, Yearly: true, LeadDays: 7}))

	a := openShop(t, s, mustDay("2027-01-20"))
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)

	// January 2027 starts on a Friday: the grid opens on Monday 28 December.
	if c.title.Text != "January 2027" || c.gridStart() != mustDay("2026-12-28") {
		t.Fatalf("title %q, grid from %s", c.title.Text, c.gridStart())
	}
	janWant := map[string][]rules.Kind{
		"2027-01-21": {rules.KindThankYou},
		"2027-01-27": {rules.KindCheckIn},
		"2027-01-31": {rules.KindPromise},
	}
	checkGrid(t, c, mustDay("2026-12-28"), mustDay("2027-02-07"), janWant)
	if cell := c.cellOf(mustDay("2027-01-31")); cell.count.Text != "1" || !cell.inMonth {
		t.Errorf("31 Jan: count %q, in month %v", cell.count.Text, cell.inMonth)
	}
	if cell := c.cellOf(mustDay("2026-12-28")); cell.inMonth || cell.number.Text != "28" {
		t.Errorf("28 Dec should be a dimmed day of the month before: %q in month %v", cell.number.Text, cell.inMonth)
	}

	// Next month: February 2027 has no 29th, so the leap-day birthday is on the 28th.
	test.Tap(findButtonWithIcon(t, c.obj, theme.NavigateNextIcon()))
	if c.title.Text != "February 2027" || c.gridStart() != mustDay("2027-02-01") {
		t.Fatalf("title %q, grid from %s", c.title.Text, c.gridStart())
	}
	febWant := map[string][]rules.Kind{
		"2027-02-14": {rules.KindOccasion},
		"2027-02-28": {rules.KindBirthday},
		"2027-03-01": {rules.KindPromise}, // shown on the grid's tail, dimmed
	}
	checkGrid(t, c, mustDay("2027-02-01"), mustDay("2027-03-14"), febWant)
	if c.cellOf(mustDay("2027-01-31")) != nil {
		t.Error("31 January should not be on February's grid, which starts on Monday 1 February")
	}
	if r := c.Marked(mustDay("2027-02-28")); len(r) != 1 || r[0].CustomerID != leap {
		t.Errorf("28 Feb marks %+v", r)
	}
	if cell := c.cellOf(mustDay("2027-03-01")); cell.inMonth {
		t.Error("1 March is not in February")
	}

	// Tapping a day lists its reminders with the Today actions.
	test.Tap(c.cellOf(mustDay("2027-02-28")))
	if c.chosen != mustDay("2027-02-28") || len(c.pane.rows) != 2 || c.pane.rows[1].reminder.Kind != rules.KindBirthday {
		t.Fatalf("chosen %s, rows %+v", c.chosen, c.pane.rows)
	}
	if c.dayHead.Text != "Sunday 28 February 2027 — 1 due" {
		t.Errorf("day heading %q", c.dayHead.Text)
	}

	// Back, and "Today".
	test.Tap(findButtonWithIcon(t, c.obj, theme.NavigateBackIcon()))
	test.Tap(findButtonWithIcon(t, c.obj, theme.NavigateBackIcon()))
	if c.title.Text != "December 2026" {
		t.Errorf("two months back from February: %q", c.title.Text)
	}
	c.grid.TypedRune('t')
	if c.title.Text != "January 2027" || c.chosen != mustDay("2027-01-20") {
		t.Errorf("T goes to today: %q, %s", c.title.Text, c.chosen)
	}
	// The keyboard moves the day and the month follows.
	for range 11 {
		c.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	}
	if c.chosen != mustDay("2027-01-31") || c.title.Text != "January 2027" {
		t.Errorf("eleven days on: %s, %q", c.chosen, c.title.Text)
	}
	c.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c.chosen != mustDay("2027-02-07") || c.title.Text != "February 2027" {
		t.Errorf("a week on: %s, %q", c.chosen, c.title.Text)
	}
}

// checkGrid compares every cell from..to with want (days not in want have no dots).
func checkGrid(t *testing.T, c *calendarScreen, from, to rules.Day, want map[string][]rules.Kind) {
	t.Helper()
	for d := from; d <= to; d = d.AddDays(1) {
		cell := c.cellOf(d)
		if cell == nil || cell.day != d {
			t.Fatalf("no cell for %s", d)
		}
		w := want[d.String()]
		if !slices.Equal(cell.kinds, w) {
			t.Errorf("%s: dots %v, want %v", d, cell.kinds, w)
		}
		if got := kindsOf(c.Marked(d)); !slices.Equal(got, w) {
			t.Errorf("%s: marked %v, want %v", d, got, w)
		}
		for _, k := range rules.Kinds {
			if cell.dots[k].box.Visible() != slices.Contains(w, k) {
				t.Errorf("%s: %s dot visible = %v", d, k, cell.dots[k].box.Visible())
			}
		}
	}
}

func TestCalendarDotsStayInsideTheirCell(t *testing.T) {
	cell := newDayCell(nil)
	var rs []rules.Reminder
	for _, k := range rules.Kinds {
		rs = append(rs, rules.Reminder{Kind: k}, rules.Reminder{Kind: k})
	}
	cell.set(mustDay("2026-06-15"), true, false, false, rs)
	w := test.NewWindow(cell)
	defer w.Close()
	w.Resize(cell.MinSize().Add(fyne.NewSize(8, 8)))
	if cell.count.Text != "20" || len(cell.kinds) != len(rules.Kinds) {
		t.Fatalf("count %q, kinds %v", cell.count.Text, cell.kinds)
	}
	box := cell.dotBox
	if len(cell.dots) != len(rules.Kinds) {
		t.Fatalf("%d dots for %d kinds", len(cell.dots), len(rules.Kinds))
	}
	for k, m := range cell.dots {
		d := m.box
		right := d.Position().X + d.Size().Width
		bottom := box.Position().Y + d.Position().Y + d.Size().Height
		if right > box.Size().Width+0.5 || bottom > cell.Size().Height {
			t.Errorf("%s dot at %v size %v spills out of a %v cell (box %v at %v)", k, d.Position(), d.Size(), cell.Size(), box.Size(), box.Position())
		}
	}
}

func TestCalendarWeekAgenda(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ctx := context.Background()
	must(f.store.AddPromise(ctx, rules.Promise{CustomerID: f.bob, What: "call when the part arrives", Due: mustDay("2026-06-04"), Staff: "Sam"}))
	f.app.show("calendar")
	c := f.app.screens["calendar"].(*calendarScreen)
	c.grid.TypedRune('w')
	if !c.week || c.mode.Selected != modeWeek() {
		t.Fatal("W should switch to the week")
	}
	var heads []string
	items := map[string][]string{}
	for _, r := range c.weekPane.rows {
		if r.reminder == nil {
			heads = append(heads, r.heading)
			continue
		}
		items[heads[len(heads)-1]] = append(items[heads[len(heads)-1]], r.reminder.CustomerName+" "+string(r.reminder.Kind))
	}
	want := []string{
		"Monday 1 June 2026 — nothing due",
		"Tuesday 2 June 2026 (today) — 1 due",
		"Wednesday 3 June 2026 — nothing due",
		"Thursday 4 June 2026 — 1 due",
		"Friday 5 June 2026 — nothing due",
		"Saturday 6 June 2026 — nothing due",
		"Sunday 7 June 2026 — nothing due",
	}
	if !slices.Equal(heads, want) {
		t.Fatalf("week headings:\n%q\nwant\n%q", heads, want)
	}
	if got := items[want[1]]; !slices.Equal(got, []string{"Ann Lee thank_you"}) {
		t.Errorf("Tuesday: %v", got)
	}
	if got := items[want[3]]; !slices.Equal(got, []string{"Bob Roy promise"}) {
		t.Errorf("Thursday: %v", got)
	}
	test.Tap(findButtonWithIcon(t, c.obj, theme.NavigateNextIcon()))
	if c.chosen != mustDay("2026-06-09") || c.weekPane.rows[0].heading != "Monday 8 June 2026 — 1 due" || c.weekPane.rows[1].reminder.Kind != rules.KindCheckIn {
		t.Errorf("next week: chosen %s, first row %q", c.chosen, c.weekPane.rows[0].heading)
	}
	c.mode.SetSelected(modeMonth())
	if c.week || c.title.Text != "June 2026" {
		t.Errorf("back to the month: week %v, title %q", c.week, c.title.Text)
	}
}

func TestCalendarAddsAnOccasionForACustomerFoundBySearch(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("calendar")
	c := f.app.screens["calendar"].(*calendarScreen)
	test.Tap(c.cellOf(mustDay("2026-06-20")))
	c.grid.TypedRune('n')
	search := f.app.win.Canvas().Focused().(*keyEntry)
	test.Type(search, "Bob")
	search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	entries := overlayEntries(t, f.app.win)
	test.Type(entries[0], "Shop's tenth birthday party")
	if entries[1].Text != "20/06/2026" {
		t.Errorf("the occasion's date should be the chosen day, got %q", entries[1].Text)
	}
	saveFormDialog(t, f.app.win)
	os := must(f.store.Occasions(context.Background(), f.bob))
	if len(os) != 1 || os[0].Label != "Shop's tenth birthday party" || !os[0].Yearly || os[0].LeadDays != 7 {
		t.Fatalf("occasions = %+v", os)
	}
	if got := kindsOf(c.Marked(mustDay("2026-06-20"))); !slices.Equal(got, []rules.Kind{rules.KindOccasion}) {
		t.Errorf("20 June marks %v", got)
	}
}

// TestCalendarAgreesWithTodayOnTheDemo is the acceptance check: for every
// day D of June 2026, the calendar marks exactly what Today(D) lists as due
// on D.
func TestCalendarAgreesWithTodayOnTheDemo(t *testing.T) {
	ctx := context.Background()
	end := mustDay("2026-06-15")
	s := openStore(t, end)
	must(s.GenerateDemo(ctx, data.DemoOptions{Customers: 300, End: end}))
	a := openShop(t, s, end)
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)
	if c.title.Text != "June 2026" {
		t.Fatalf("calendar opens on %q", c.title.Text)
	}
	total := 0
	for d := mustDay("2026-06-01"); d <= mustDay("2026-06-30"); d = d.AddDays(1) {
		var want []string
		for _, r := range must(s.TodayList(ctx, d)) {
			if r.Due == d {
				want = append(want, r.Key)
			}
		}
		var got []string
		for _, r := range c.Marked(d) {
			got = append(got, r.Key)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: calendar marks %d, Today lists %d due that day\ncalendar: %v\ntoday:    %v", d, len(got), len(want), got, want)
		}
		if cell := c.cellOf(d); len(want) > 0 && cell.count.Text != itoa(len(want)) {
			t.Errorf("%s: the cell counts %q, want %d", d, cell.count.Text, len(want))
		}
		total += len(want)
	}
	if total < 30 {
		t.Errorf("the demo's June should be busy: %d due in all", total)
	}
}

// TestCalendarDayReadsPagesAsItScrolls: a busy day's list reads its counts
// and first page, and the rest as it scrolls; the rows end up those of the
// whole day, grouped by kind.
func TestCalendarDayReadsPagesAsItScrolls(t *testing.T) {
	ctx := context.Background()
	today := mustDay("2026-06-15")
	busy := mustDay("2026-06-20")
	s := openStore(t, today)
	for i := range 2*pageSize + 7 {
		id := must(s.AddCustomer(ctx, rules.Customer{Name: fmt.Sprintf("Guest %03d", 200-i), Birthday: rules.YearlyDate{Year: 1990, Month: 6, Day: 20}}))
		if i%9 == 0 {
			must(s.AddPromise(ctx, rules.Promise{CustomerID: id, What: fmt.Sprintf("ring about order %d", i), Due: busy, Staff: "Sam"}))
		}
	}
	a := openShop(t, s, today)
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)
	test.Tap(c.cellOf(busy))
	var want []string
	var whole []rules.Reminder
	for _, k := range rules.Kinds {
		for _, r := range must(s.DueOn(ctx, busy, busy))[busy] {
			if r.Kind == k {
				want = append(want, r.Key+" "+r.Message)
				whole = append(whole, r)
			}
		}
	}
	if len(want) < 2*pageSize {
		t.Fatalf("only %d due on %s: too few to page", len(want), busy)
	}
	got := remindersOf(c.pane.rows)
	if len(got) != len(want) || slices.Index(got, "(pending)") != pageSize || !slices.Equal(got[:pageSize], want[:pageSize]) {
		t.Fatalf("%d reminder rows (first pending at %d), want %d with the first %d read", len(got), slices.Index(got, "(pending)"), len(want), pageSize)
	}
	if c.dayHead.Text != "Saturday 20 June 2026 — "+itoa(len(want))+" due" || c.cellOf(busy).count.Text != itoa(len(want)) {
		t.Errorf("day heading %q, cell %q, for %d due", c.dayHead.Text, c.cellOf(busy).count.Text, len(want))
	}
	var heads []string
	for _, r := range c.pane.rows {
		if r.heading != "" {
			heads = append(heads, r.heading)
		}
	}
	if len(heads) != 2 || !strings.HasSuffix(heads[0], "("+itoa(2*pageSize+7)+")") || !strings.HasSuffix(heads[1], "(12)") {
		t.Errorf("headings %q", heads)
	}
	// Down the keyboard past the first page: the reminder there comes with
	// its details. The keyboard starts on the first reminder picked, so
	// each Down moves one on from it.
	c.pane.selectFirst()
	for range pageSize + 5 {
		c.pane.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if r := c.pane.selected; r == nil || c.pane.rows[c.pane.at].reminder != r || r.Key != whole[pageSize+5].Key {
		t.Fatalf("after moving down past the first page: selected %v at row %d", r, c.pane.at)
	}
	// Scrolling to the end reads what is in between.
	c.pane.more(len(c.pane.rows) - 1)
	if got := remindersOf(c.pane.rows); !slices.Equal(got, want) {
		t.Fatalf("after scrolling the rows differ from the whole day's:\n%v\nwant\n%v", got[:min(len(got), 10)], want[:min(len(want), 10)])
	}
	// Another day, and back: the busy day reads its first page again.
	c.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if c.chosen != busy.AddDays(1) || len(c.pane.rows) != 0 || c.dayHead.Text != "Sunday 21 June 2026 — nothing due" {
		t.Fatalf("the next day: %s, %d rows, %q", c.chosen, len(c.pane.rows), c.dayHead.Text)
	}
	c.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	if got := remindersOf(c.pane.rows); len(got) != len(want) || !slices.Equal(got[:pageSize], want[:pageSize]) {
		t.Fatalf("back on %s: %d rows", busy, len(got))
	}
}

// Each kind has a shape of its own as well as a colour, so the marks are
// told apart without telling colours apart, and the legend shows each
// kind's mark beside its name.
func TestCalendarKindsDifferInShapeAndTheLegendNamesThem(t *testing.T) {
	shapes := map[shape]rules.Kind{}
	colors := map[color.Color]rules.Kind{}
	for _, k := range rules.Kinds {
		if other, ok := shapes[kindShape(k)]; ok {
			t.Errorf("%s and %s have the same shape", k, other)
		}
		shapes[kindShape(k)] = k
		if other, ok := colors[kindColor(k)]; ok {
			t.Errorf("%s and %s have the same colour", k, other)
		}
		colors[kindColor(k)] = k
		if m := newMark(k); m.shape != kindShape(k) || len(m.box.Objects) != 1 {
			t.Errorf("%s: mark %+v", k, m)
		}
	}
	legend, _ := calendarLegend()
	if len(legend.Objects) != len(rules.Kinds) {
		t.Fatalf("the legend has %d entries for %d kinds", len(legend.Objects), len(rules.Kinds))
	}
	for i, k := range rules.Kinds {
		var names []string
		var marks int
		walk(legend.Objects[i], func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *canvas.Text:
				names = append(names, x.Text)
			case *canvas.Circle, *canvas.Rectangle, *canvas.Polygon:
				marks++
			}
		})
		if !slices.Contains(names, kindTitle(k)) || marks != 1 {
			t.Errorf("legend entry %d: %v with %d marks, want %q and its mark", i, names, marks, kindTitle(k))
		}
	}
}

// The month grid takes the keyboard, but the window's keys still work
// from it: F1 opens the help, F2 goes to Checkout.
func TestCalendarGridLetsTheWindowKeysThrough(t *testing.T) {
	day := mustDay("2026-06-15")
	a := openShop(t, openStore(t, day), day)
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)
	press := func(k fyne.KeyName) {
		f, ok := a.win.Canvas().Focused().(*monthGrid)
		if !ok || f != c.grid {
			t.Fatalf("the month grid does not have the keyboard (%T)", a.win.Canvas().Focused())
		}
		f.TypedKey(&fyne.KeyEvent{Name: k})
	}
	press(fyne.KeyF1)
	if a.win.Canvas().Overlays().Top() == nil {
		t.Error("F1 on the month grid does not open the help")
	}
	dismissTop(a.win.Canvas())
	a.show("calendar")
	press(fyne.KeyRight)
	if c.chosen != day.AddDays(1) {
		t.Errorf("→ chose %s", c.chosen)
	}
	press(fyne.KeyF2)
	if a.Current() != "checkout" {
		t.Errorf("F2 on the month grid leaves the window on %s", a.Current())
	}
}

// On a small screen the chosen day's list has room for rows, and a row's
// detail (its buttons, a long name) does not widen the window past it.
func TestCalendarDayListHasRoomOnASmallScreen(t *testing.T) {
	ctx := context.Background()
	day := mustDay("2026-06-15")
	s := openStore(t, day)
	must(s.GenerateDemo(ctx, data.DemoOptions{Customers: 300, End: day}))
	must(s.AddCustomer(ctx, rules.Customer{Name: strings.Repeat("Featherstonehaugh-", 10) + "Smith", Birthday: rules.YearlyDate{Year: 1990, Month: 6, Day: 15}}))
	a := openShop(t, s, day)
	for _, size := range []fyne.Size{smallScreen, fyne.NewSize(1366, 768)} {
		a.win.Resize(size)
		a.show("calendar")
		c := a.screens["calendar"].(*calendarScreen)
		c.pane.selectFirst()
		if c.pane.selected == nil {
			t.Fatal("no reminder on the demo's day")
		}
		checkFits(t, a, fmt.Sprintf("calendar at %v with a row chosen", size))
		list, column := c.pane.list.Size().Height, c.pane.obj.Size().Height
		if rows := list / c.pane.list.MinSize().Height; list < column/2 || rows < 6 {
			t.Errorf("at %v the day's list is %.0f high of %.0f (%.0f rows)", size, list, column, rows)
		}
	}
}

// The calendar says it is reading while the month's reminders come, and
// only the latest read's answer is shown.
func TestCalendarShowsItIsReadingUntilTheMonthComes(t *testing.T) {
	loop := newUILoop()
	a, _, _ := closingShop(t, loop.post)
	a.show("calendar")
	c := a.screens["calendar"].(*calendarScreen)
	if !c.working.Visible() || c.loaded {
		t.Fatalf("while the month is read: sign shown %v, month shown %v", c.working.Visible(), c.loaded)
	}
	c.reload() // asked again before the first came
	loop.until(t, "the month", func() bool { return c.loaded })
	if c.working.Visible() {
		t.Error("the sign of reading stayed after the month came")
	}
	if c.asked < 2 {
		t.Errorf("%d reads asked for, want at least 2", c.asked)
	}
}
