package screens

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// calendarScreen is the time ahead: a month grid with a coloured dot per
// reminder kind on each due day, or a week agenda; the chosen day's
// reminders come with the same actions as Today.
type calendarScreen struct {
	a        *App
	week     bool      // the week agenda rather than the month grid
	month    rules.Day // first day of the month on show
	chosen   rules.Day
	from, to rules.Day // the days loaded
	// counts are the month grid's marks, and days holds the first page of
	// the days chosen: in a large shop a month holds tens of thousands of
	// reminders and a day hundreds, so the grid reads counts and the
	// chosen day's list the rows it shows, and more as it scrolls. The
	// week reads its days' counts and the first page of its list (each
	// day's in turn) the same way: weekFirst.
	counts    map[rules.Day]data.DayCounts
	days      map[rules.Day]data.ReminderPage
	weekFirst data.ReminderPage

	title *widget.Label
	mode  *widget.RadioGroup
	// working shows, with its moving bar, while the days' reminders are
	// read: in a large shop the month of today takes a moment. asked
	// counts the reads, so that only the latest one's answer is shown.
	working  *fyne.Container
	spinner  *widget.ProgressBarInfinite
	asked    int
	loaded   bool
	grid     *monthGrid
	cells    []*dayCell
	pane     *reminderPane
	dayHead  *widget.Label
	weekPane *reminderPane
	body     *fyne.Container
	monthV   fyne.CanvasObject
	weekV    fyne.CanvasObject
	obj      fyne.CanvasObject
}

// The calendar's two views, as the choice names them.
func modeMonth() string { return lang.L("Month") }
func modeWeek() string  { return lang.L("Week") }

func newCalendar(a *App) screen {
	c := &calendarScreen{a: a, days: map[rules.Day]data.ReminderPage{}}
	today := a.Today()
	c.chosen = today
	c.month = firstOfMonth(today)
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.step(-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.step(1) })
	todayBtn := widget.NewButton(lang.L("Today"), func() { c.goTo(c.a.Today()) })
	c.mode = widget.NewRadioGroup([]string{modeMonth(), modeWeek()}, func(m string) {
		if week := m == modeWeek(); week != c.week {
			c.week = week
			c.showMode()
		}
	})
	c.mode.Horizontal = true
	c.mode.Required = true
	c.mode.SetSelected(modeMonth())
	addOcc := widget.NewButtonWithIcon(lang.L("Add occasion…"), theme.ContentAddIcon(), c.addOccasion)
	c.spinner = widget.NewProgressBarInfinite()
	c.spinner.Stop()
	c.working = container.NewHBox(container.NewGridWrap(fyne.NewSize(80, c.spinner.MinSize().Height), c.spinner),
		widget.NewLabel(lang.L("Reading the reminders…")))
	c.working.Hide()
	head := container.NewBorder(nil, nil, container.NewHBox(prev, todayBtn, next, c.working), container.NewHBox(c.mode, addOcc), c.title)

	// Month: the grid on the left, the chosen day on the right.
	names := container.NewGridWithColumns(7)
	for i := range 7 {
		d := shortWeekday(time.Weekday((i + 1) % 7))
		names.Add(widget.NewLabelWithStyle(d, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	cells := container.NewGridWithColumns(7)
	for range 42 {
		cell := newDayCell(func(d rules.Day) {
			c.goTo(d)
			c.a.win.Canvas().Focus(c.grid)
		})
		c.cells = append(c.cells, cell)
		cells.Add(cell)
	}
	c.grid = newMonthGrid(cells, c.gridKey, c.gridRune)
	c.pane = newReminderPane(a, lang.L("Nothing due that day."))
	c.pane.stacked()
	// The day's list over its detail, the list the larger: it is what the
	// calendar is looked at for.
	c.pane.split.Offset = 0.55
	c.dayHead = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	keys := widget.NewLabel(lang.L("Keys: arrows move the day, Page Up/Down the month, T today, W week, Enter the day's list, N add an occasion."))
	keys.Wrapping = fyne.TextWrapWord
	keys.Importance = widget.LowImportance
	legend, cols := calendarLegend()
	left := container.NewBorder(names, container.NewVBox(legend, keys), nil, nil, c.grid)
	cols.onChange = left.Refresh
	split := container.NewHSplit(left, container.NewBorder(c.dayHead, nil, nil, nil, c.pane.obj))
	split.Offset = 0.55
	c.monthV = split

	// Week: seven days, one after the other, each with its reminders.
	c.weekPane = newReminderPane(a, lang.L("Nothing due this week."))
	c.weekV = c.weekPane.obj

	c.body = container.NewStack(c.monthV)
	c.obj = container.NewBorder(container.NewPadded(head), nil, nil, nil, c.body)
	return c
}

func (c *calendarScreen) content() fyne.CanvasObject { return c.obj }

func (c *calendarScreen) focus() {
	if c.week {
		c.a.win.Canvas().Focus(c.weekPane.list)
		return
	}
	c.a.win.Canvas().Focus(c.grid)
}

func firstOfMonth(d rules.Day) rules.Day {
	y, m, _ := d.Date()
	return rules.NewDay(y, m, 1)
}

// weekStart is the Monday on or before d.
func weekStart(d rules.Day) rules.Day {
	return d.AddDays(-(int(d.Weekday()+6) % 7))
}

// gridStart is the Monday on or before the first of the month.
func (c *calendarScreen) gridStart() rules.Day { return weekStart(c.month) }

// span is the days the current view shows.
func (c *calendarScreen) span() (from, to rules.Day) {
	if c.week {
		from = weekStart(c.chosen)
		return from, from.AddDays(6)
	}
	from = c.gridStart()
	return from, from.AddDays(41)
}

func (c *calendarScreen) showMode() {
	if c.week {
		c.body.Objects = []fyne.CanvasObject{c.weekV}
	} else {
		c.month = firstOfMonth(c.chosen)
		c.body.Objects = []fyne.CanvasObject{c.monthV}
	}
	c.body.Refresh()
	c.reload()
	c.focus()
}

// step moves a month (or a week) back or on.
func (c *calendarScreen) step(n int) {
	if c.week {
		c.goTo(c.chosen.AddDays(7 * n))
		return
	}
	first := c.month.AddMonths(n)
	_, _, day := c.chosen.Date()
	// Keep the day of the month where the new month has it.
	d := first.AddDays(day - 1)
	if firstOfMonth(d) != first {
		d = first.AddMonths(1).AddDays(-1)
	}
	c.goTo(d)
}

// goTo chooses a day, loading its month (or week) when it is not on show.
func (c *calendarScreen) goTo(d rules.Day) {
	c.chosen = d
	if !c.week && firstOfMonth(d) != c.month {
		c.month = firstOfMonth(d)
	}
	if from, to := c.span(); from != c.from || to != c.to {
		c.reload()
		return
	}
	if _, ok := c.days[d]; !ok && !c.week {
		c.loadDay(d)
		return
	}
	c.render()
}

// readDay reads a page of day d's list.
func (c *calendarScreen) readDay(d rules.Day) func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
	return func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
		return c.a.store.DueDayPage(ctx, d, offset, limit)
	}
}

// readWeek reads a page of the list of the week from day from: each day's
// list in the calendar's order, one day after another, counts holding how
// many each day had when the week was read. A day that holds another
// number now makes the page's Total differ, and the page is not used (the
// reload after every change reads the week again).
func (c *calendarScreen) readWeek(from rules.Day, counts map[rules.Day]data.DayCounts) func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
	return func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
		p := data.ReminderPage{Offset: offset}
		at := 0
		for i := range 7 {
			d := from.AddDays(i)
			n := counts[d].Total()
			total := n
			if start, end := max(offset, at), min(offset+limit, at+n); start < end {
				dp, err := c.a.store.DueDayPage(ctx, d, start-at, end-start)
				if err != nil {
					return p, err
				}
				p.Rows = append(p.Rows, dp.Rows...)
				total = dp.Total
			}
			p.Total += total
			at += n
		}
		return p, nil
	}
}

// loadDay reads the counts and first page of day d of the month on show.
func (c *calendarScreen) loadDay(d rules.Day) {
	background(c.a, func(ctx context.Context) (data.ReminderPage, error) {
		return c.readDay(d)(ctx, 0, pageSize)
	}, func(p data.ReminderPage, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		c.days[d] = p
		if d == c.chosen {
			c.render()
		}
	})
}

func (c *calendarScreen) reload() {
	from, to := c.span()
	type loaded struct {
		counts map[rules.Day]data.DayCounts
		day    data.ReminderPage
	}
	week, chosen := c.week, c.chosen
	c.asked++
	asked := c.asked
	c.working.Show()
	c.spinner.Start()
	if !week && (from != c.from || to != c.to) {
		c.renderGrid(nil) // the days at once, their marks when read
	}
	background(c.a, func(ctx context.Context) (loaded, error) {
		if week {
			n, err := c.a.store.DueCounts(ctx, from, to)
			if err != nil {
				return loaded{}, err
			}
			p, err := c.readWeek(from, n)(ctx, 0, pageSize)
			return loaded{counts: n, day: p}, err
		}
		n, p, err := c.a.store.DueMonth(ctx, from, to, chosen, 0, pageSize)
		return loaded{counts: n, day: p}, err
	}, func(l loaded, err error) {
		if asked != c.asked {
			return // a later read is on its way
		}
		c.spinner.Stop()
		c.working.Hide()
		if err != nil {
			c.a.showError(err)
			return
		}
		c.loaded = true
		c.from, c.to = from, to
		c.counts = l.counts
		if week {
			c.weekFirst = l.day
		} else {
			c.days = map[rules.Day]data.ReminderPage{chosen: l.day}
		}
		c.render()
	})
}

// Marked returns the reminders marked on a day; tests read it.
func (c *calendarScreen) Marked(d rules.Day) []rules.Reminder {
	m, _ := c.a.store.DueOn(c.a.ctx, d, d)
	return m[d]
}

// cellOf is the grid cell of day d, or nil when d is not on the grid.
func (c *calendarScreen) cellOf(d rules.Day) *dayCell {
	i := d.Sub(c.gridStart())
	if c.week || i < 0 || i >= len(c.cells) {
		return nil
	}
	return c.cells[i]
}

func (c *calendarScreen) render() {
	if c.week {
		c.renderWeek()
		return
	}
	c.renderGrid(c.counts)
	p := c.days[c.chosen]
	due := lang.L("nothing due")
	if p.Total > 0 {
		due = fmt.Sprintf(lang.N("%d due", p.Total), p.Total)
	}
	c.dayHead.SetText(fmt.Sprintf("%s — %s", weekdayDate(c.chosen), due))
	c.pane.setPaged(kindGroups(p), p, c.readDay(c.chosen))
}

// renderGrid shows the month's title and days, each with its marks from
// counts (none while they are read).
func (c *calendarScreen) renderGrid(counts map[rules.Day]data.DayCounts) {
	c.title.SetText(monthYear(c.month))
	from := c.gridStart()
	today := c.a.Today()
	for i, cell := range c.cells {
		d := from.AddDays(i)
		cell.setMarks(d, firstOfMonth(d) == c.month, d == today, d == c.chosen, counts[d])
	}
}

// kindGroups are the rows of a day's list: each kind's heading and its
// reminders, those not read yet pending.
func kindGroups(p data.ReminderPage) []reminderRow {
	var rows []reminderRow
	for _, g := range p.Groups {
		rows = append(rows, reminderRow{heading: fmt.Sprintf("%s %s (%d)", kindIcon(g.Kind), kindPlural(g.Kind), g.Count)})
		for range g.Count {
			rows = append(rows, reminderRow{pending: true})
		}
	}
	return rows
}

func (c *calendarScreen) renderWeek() {
	from, to := c.span()
	c.title.SetText(fmt.Sprintf(lang.L("Week of %s – %s"), dayMonth(from.Time().Month(), from.Time().Day()), longDate(to)))
	today := c.a.Today()
	var rows []reminderRow
	for d := from; d <= to; d = d.AddDays(1) {
		n := c.counts[d].Total()
		head := weekdayDate(d)
		if d == today {
			head = fmt.Sprintf(lang.L("%s (today)"), head)
		}
		if n == 0 {
			head = fmt.Sprintf("%s — %s", head, lang.L("nothing due"))
		} else {
			head = fmt.Sprintf("%s — %s", head, fmt.Sprintf(lang.N("%d due", n), n))
		}
		rows = append(rows, reminderRow{heading: head})
		for range n {
			rows = append(rows, reminderRow{pending: true})
		}
	}
	c.weekPane.setPaged(rows, c.weekFirst, c.readWeek(from, c.counts))
	if c.weekPane.selected == nil {
		c.weekPane.selectFirst()
	}
}

func (c *calendarScreen) gridKey(ev *fyne.KeyEvent) {
	// The window's keys (F1 help, F2 checkout, Escape) first: the focused
	// grid would otherwise swallow them.
	if c.a.windowKey(ev) {
		return
	}
	switch ev.Name {
	case fyne.KeyLeft:
		c.goTo(c.chosen.AddDays(-1))
	case fyne.KeyRight:
		c.goTo(c.chosen.AddDays(1))
	case fyne.KeyUp:
		c.goTo(c.chosen.AddDays(-7))
	case fyne.KeyDown:
		c.goTo(c.chosen.AddDays(7))
	case fyne.KeyPageUp:
		c.step(-1)
	case fyne.KeyPageDown:
		c.step(1)
	case fyne.KeyHome:
		c.goTo(c.a.Today())
	case fyne.KeyReturn, fyne.KeyEnter:
		c.a.win.Canvas().Focus(c.pane.list)
		c.pane.selectFirst()
	}
}

func (c *calendarScreen) gridRune(r rune) {
	switch r {
	case 't', 'T':
		c.goTo(c.a.Today())
	case 'w', 'W':
		c.mode.SetSelected(modeWeek())
	case 'm', 'M':
		c.mode.SetSelected(modeMonth())
	case 'n', 'N':
		c.addOccasion()
	}
}

// addOccasion finds the customer, then adds an occasion on the chosen day.
func (c *calendarScreen) addOccasion() {
	on := c.chosen
	c.a.pickCustomer(fmt.Sprintf(lang.L("Add an occasion on %s for…"), longDate(on)), func(cu rules.Customer) {
		c.a.occasionForm(cu, on, nil)
	})
}

// kindColor tells the kinds apart on the grid; the legend names them.
func kindColor(k rules.Kind) color.Color {
	switch k {
	case rules.KindThankYou:
		return color.NRGBA{0xF4, 0x8F, 0xB1, 0xFF} // light pink
	case rules.KindCheckIn:
		return color.NRGBA{0x1E, 0x88, 0xE5, 0xFF} // blue
	case rules.KindBirthday:
		return color.NRGBA{0xFB, 0x8C, 0x00, 0xFF} // orange
	case rules.KindAnniversary:
		return color.NRGBA{0x9C, 0x27, 0xB0, 0xFF} // purple
	case rules.KindOccasion:
		return color.NRGBA{0x00, 0xAC, 0xC1, 0xFF} // cyan
	case rules.KindPromise:
		return color.NRGBA{0x43, 0xA0, 0x47, 0xFF} // green
	case rules.KindComplaintFollowup:
		return color.NRGBA{0xE5, 0x39, 0x35, 0xFF} // red
	case rules.KindStayInTouch:
		return color.NRGBA{0x8D, 0x6E, 0x63, 0xFF} // brown
	case rules.KindRewardReady:
		return color.NRGBA{0xFD, 0xD8, 0x35, 0xFF} // yellow
	case rules.KindPointsExpiring:
		return color.NRGBA{0x90, 0xA4, 0xAE, 0xFF} // grey
	}
	return theme.Color(theme.ColorNameForeground)
}

// faded is a colour for days outside the month on show.
func faded(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x60}
}

// shape is how a kind's mark is drawn, so that the kinds are told apart
// without telling colours apart: the days kinds (birthday, anniversary,
// occasion) are triangles, the follow-ups (promise, complaint) diamonds,
// the loyalty kinds bars.
type shape int

const (
	shapeDisc shape = iota
	shapeSquare
	shapeTriangle
	shapeTriangleDown
	shapeHollowTriangle
	shapeDiamond
	shapeHollowDiamond
	shapeRing
	shapeBar
	shapeHollowSquare
)

func kindShape(k rules.Kind) shape {
	switch k {
	case rules.KindThankYou:
		return shapeDisc
	case rules.KindCheckIn:
		return shapeSquare
	case rules.KindBirthday:
		return shapeTriangle
	case rules.KindAnniversary:
		return shapeTriangleDown
	case rules.KindOccasion:
		return shapeHollowTriangle
	case rules.KindPromise:
		return shapeDiamond
	case rules.KindComplaintFollowup:
		return shapeHollowDiamond
	case rules.KindStayInTouch:
		return shapeRing
	case rules.KindRewardReady:
		return shapeBar
	case rules.KindPointsExpiring:
		return shapeHollowSquare
	}
	return shapeDisc
}

const dotSize = 11

// mark is one kind's sign on the grid and in the legend: its shape in its
// colour.
type mark struct {
	// box is what is drawn: the toolkit draws the objects of a
	// *fyne.Container only, never of a type that embeds one.
	box   *fyne.Container
	kind  rules.Kind
	shape shape
	prim  fyne.CanvasObject
}

func newMark(k rules.Kind) *mark {
	m := &mark{kind: k, shape: kindShape(k)}
	const stroke = 2
	switch m.shape {
	case shapeDisc:
		m.prim = canvas.NewCircle(nil)
	case shapeRing:
		c := canvas.NewCircle(color.Transparent)
		c.StrokeWidth = stroke
		m.prim = c
	case shapeSquare, shapeBar:
		m.prim = canvas.NewRectangle(nil)
	case shapeHollowSquare:
		r := canvas.NewRectangle(color.Transparent)
		r.StrokeWidth = stroke
		m.prim = r
	case shapeTriangle, shapeTriangleDown, shapeHollowTriangle:
		p := canvas.NewPolygon(3, nil)
		if m.shape == shapeTriangleDown {
			p.Angle = 180
		}
		if m.shape == shapeHollowTriangle {
			p.FillColor = color.Transparent
			p.StrokeWidth = stroke
		}
		m.prim = p
	case shapeDiamond, shapeHollowDiamond:
		p := canvas.NewPolygon(4, nil)
		if m.shape == shapeHollowDiamond {
			p.FillColor = color.Transparent
			p.StrokeWidth = stroke
		}
		m.prim = p
	}
	m.box = container.New(markLayout{m.shape}, m.prim)
	m.setColor(kindColor(k))
	return m
}

// setColor paints the mark: its fill, or its outline when it is hollow.
func (m *mark) setColor(c color.Color) {
	switch p := m.prim.(type) {
	case *canvas.Circle:
		if p.StrokeWidth > 0 {
			p.StrokeColor = c
		} else {
			p.FillColor = c
		}
	case *canvas.Rectangle:
		if p.StrokeWidth > 0 {
			p.StrokeColor = c
		} else {
			p.FillColor = c
		}
	case *canvas.Polygon:
		if p.StrokeWidth > 0 {
			p.StrokeColor = c
		} else {
			p.FillColor = c
		}
	}
	m.prim.Refresh()
}

// markLayout fits a shape in its square: a bar is a third of its height,
// the others fill it.
type markLayout struct{ shape shape }

func (l markLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		if l.shape == shapeBar {
			h := max(3, size.Height/3)
			o.Resize(fyne.NewSize(size.Width, h))
			o.Move(fyne.NewPos(0, (size.Height-h)/2))
			continue
		}
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (markLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(dotSize, dotSize) }

// calendarLegend names each kind beside its mark, in as many columns as
// the width holds.
func calendarLegend() (*fyne.Container, *columnsLayout) {
	var items []fyne.CanvasObject
	for _, k := range rules.Kinds {
		m := newMark(k)
		label := canvas.NewText(kindTitle(k), theme.Color(theme.ColorNameForeground))
		label.TextSize = theme.TextSize() - 1
		box := container.NewGridWrap(fyne.NewSize(dotSize, dotSize), m.box)
		items = append(items, container.NewBorder(nil, nil, container.NewCenter(box), nil, label))
	}
	cols := &columnsLayout{min: 150}
	return container.New(cols, items...), cols
}

// dotsLayout sets marks in rows that wrap at the cell's width, so a busy day
// never spills out of its square.
type dotsLayout struct{}

const dotGap = 3

func (dotsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := 0
	for _, o := range objs {
		if o.Visible() {
			n++
		}
	}
	// As large as the marks can be with all of them in the box: a busy
	// day in a small cell gets smaller marks.
	side := float32(dotSize)
	for ; side > 6; side-- {
		per := max(1, int((size.Width+dotGap)/(side+dotGap)))
		rows := (n + per - 1) / per
		if float32(rows)*(side+dotGap)-dotGap <= size.Height {
			break
		}
	}
	var x, y float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if x > 0 && x+side > size.Width {
			x, y = 0, y+side+dotGap
		}
		o.Resize(fyne.NewSize(side, side))
		o.Move(fyne.NewPos(x, y))
		x += side + dotGap
	}
}

func (dotsLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(dotSize, dotSize) }

// dayCell is one square of the month grid: the day, how many are due, and
// a dot per kind due.
type dayCell struct {
	widget.BaseWidget
	day     rules.Day
	onTap   func(rules.Day)
	bg      *canvas.Rectangle
	number  *canvas.Text
	count   *canvas.Text
	dots    map[rules.Kind]*mark
	dotBox  *fyne.Container
	inMonth bool
	today   bool
	// kinds are the kinds marked, in the legend's order; tests read them.
	kinds []rules.Kind
}

func newDayCell(onTap func(rules.Day)) *dayCell {
	c := &dayCell{onTap: onTap, dots: map[rules.Kind]*mark{}}
	c.bg = canvas.NewRectangle(color.Transparent)
	c.bg.CornerRadius = 4
	c.number = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	c.number.TextStyle.Bold = true
	c.count = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	c.count.TextStyle.Bold = true
	c.count.TextSize = theme.TextSize() - 1
	c.dotBox = container.New(dotsLayout{})
	for _, k := range rules.Kinds {
		d := newMark(k)
		d.box.Hide()
		c.dots[k] = d
		c.dotBox.Add(d.box)
	}
	c.ExtendBaseWidget(c)
	return c
}

func (c *dayCell) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, c.number, c.count)
	inner := container.NewBorder(top, nil, nil, nil, c.dotBox)
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewPadded(inner)))
}

// MinSize leaves the month's six rows, the legend and the day's list room
// in a 700-pixel-high window; the marks shrink to fit (dotsLayout).
func (c *dayCell) MinSize() fyne.Size { return fyne.NewSize(60, 50) }

// Tapped picks the day.
func (c *dayCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil && c.day != 0 {
		c.onTap(c.day)
	}
}

func (c *dayCell) set(d rules.Day, inMonth, today, chosen bool, rs []rules.Reminder) {
	var kinds data.DayCounts
	for _, r := range rs {
		if i := slices.Index(rules.Kinds, r.Kind); i >= 0 {
			kinds[i]++
		}
	}
	c.setMarks(d, inMonth, today, chosen, kinds)
}

// setMarks shows day d with the number of reminders of each kind due.
func (c *dayCell) setMarks(d rules.Day, inMonth, today, chosen bool, kinds data.DayCounts) {
	c.day, c.inMonth, c.today = d, inMonth, today
	_, _, dd := d.Date()
	c.number.Text = fmt.Sprint(dd)
	switch {
	case today:
		c.number.Color = theme.Color(theme.ColorNamePrimary)
	case inMonth:
		c.number.Color = theme.Color(theme.ColorNameForeground)
	default: // faint, as its marks are
		c.number.Color = faded(theme.Color(theme.ColorNameForeground))
	}
	c.kinds = c.kinds[:0]
	for _, k := range rules.Kinds {
		if kinds.Of(k) > 0 {
			c.kinds = append(c.kinds, k)
			if inMonth {
				c.dots[k].setColor(kindColor(k))
			} else {
				c.dots[k].setColor(faded(kindColor(k)))
			}
			c.dots[k].box.Show()
		} else {
			c.dots[k].box.Hide()
		}
	}
	total := kinds.Total()
	c.count.Text = ""
	if total > 0 {
		c.count.Text = wholeNumber(int64(total))
	}
	c.count.Color = theme.Color(theme.ColorNamePrimary)
	if !inMonth {
		c.count.Color = faded(theme.Color(theme.ColorNamePrimary))
	}
	c.setChosen(chosen)
	c.dotBox.Refresh()
	c.Refresh()
}

func (c *dayCell) setChosen(chosen bool) {
	switch {
	case chosen:
		c.bg.FillColor = theme.Color(theme.ColorNameSelection)
	case c.inMonth:
		c.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	default:
		c.bg.FillColor = color.Transparent
	}
	c.bg.StrokeWidth = 0
	if c.today {
		c.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		c.bg.StrokeWidth = 2
	}
	c.bg.Refresh()
}

// monthGrid holds the day cells and takes the keyboard: arrows move the
// chosen day, so the calendar works without a mouse.
type monthGrid struct {
	widget.BaseWidget
	cells  *fyne.Container
	frame  *canvas.Rectangle
	onKey  func(*fyne.KeyEvent)
	onRune func(rune)
}

func newMonthGrid(cells *fyne.Container, onKey func(*fyne.KeyEvent), onRune func(rune)) *monthGrid {
	g := &monthGrid{cells: cells, onKey: onKey, onRune: onRune}
	g.frame = canvas.NewRectangle(color.Transparent)
	g.frame.CornerRadius = 4
	g.ExtendBaseWidget(g)
	return g
}

func (g *monthGrid) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(g.frame, container.NewPadded(g.cells)))
}

// FocusGained shows where the keyboard is.
func (g *monthGrid) FocusGained() {
	g.frame.StrokeColor = theme.Color(theme.ColorNameFocus)
	g.frame.StrokeWidth = 2
	g.frame.Refresh()
}

// FocusLost hides the focus frame.
func (g *monthGrid) FocusLost() {
	g.frame.StrokeWidth = 0
	g.frame.Refresh()
}

// TypedRune passes letters to the calendar's shortcuts.
func (g *monthGrid) TypedRune(r rune) { g.onRune(r) }

// TypedKey passes arrows and Enter to the calendar.
func (g *monthGrid) TypedKey(ev *fyne.KeyEvent) { g.onKey(ev) }

var _ fyne.Focusable = (*monthGrid)(nil)
