package screens

import (
	"context"
	"fmt"
	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// calendarScreen is the month ahead: a grid with a marker per reminder kind
// on each due day, and the chosen day's reminders with the Today actions.
type calendarScreen struct {
	a       *App
	month   data.Day // first day of the month on show
	chosen  data.Day
	byDay   map[data.Day][]data.Reminder
	title   *widget.Label
	grid    *fyne.Container
	cells   []*dayCell
	pane    *reminderPane
	dayHead *widget.Label
	obj     fyne.CanvasObject
}

func newCalendar(a *App) screen {
	c := &calendarScreen{a: a, byDay: map[data.Day][]data.Reminder{}}
	today := a.Today()
	y, m, _ := today.Date()
	c.month = data.NewDay(y, m, 1)
	c.chosen = today
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.setMonth(c.month.AddMonths(-1)) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.setMonth(c.month.AddMonths(1)) })
	todayBtn := widget.NewButton("Today", func() {
		t := a.Today()
		c.chosen = t
		yy, mm, _ := t.Date()
		c.setMonth(data.NewDay(yy, mm, 1))
	})
	head := container.NewBorder(nil, nil, container.NewHBox(prev, todayBtn), next, c.title)
	week := container.NewGridWithColumns(7)
	for _, d := range []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		week.Add(widget.NewLabelWithStyle(d, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	c.grid = container.NewGridWithColumns(7)
	for i := 0; i < 42; i++ {
		cell := newDayCell(func(d data.Day) { c.choose(d) })
		c.cells = append(c.cells, cell)
		c.grid.Add(cell)
	}
	legend := widget.NewLabel(calendarLegend())
	legend.Wrapping = fyne.TextWrapWord
	legend.Importance = widget.LowImportance
	c.pane = newReminderPane(a, "Nothing due that day.")
	c.dayHead = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := container.NewBorder(container.NewVBox(head, week), legend, nil, nil, c.grid)
	right := container.NewBorder(c.dayHead, nil, nil, nil, c.pane.obj)
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	c.obj = split
	return c
}

func (c *calendarScreen) content() fyne.CanvasObject { return c.obj }

func (c *calendarScreen) focus() {}

func (c *calendarScreen) setMonth(first data.Day) {
	c.month = first
	if c.chosen < first || c.chosen > first.AddMonths(1).AddDays(-1) {
		c.chosen = first
	}
	c.reload()
}

// gridStart is the Monday on or before the first of the month.
func (c *calendarScreen) gridStart() data.Day {
	wd := int(c.month.Weekday()+6) % 7 // Monday = 0
	return c.month.AddDays(-wd)
}

func (c *calendarScreen) reload() {
	from := c.gridStart()
	to := from.AddDays(41)
	background(c.a, func(ctx context.Context) (map[data.Day][]data.Reminder, error) {
		return c.a.store.DueOn(ctx, from, to)
	}, func(m map[data.Day][]data.Reminder, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		c.byDay = m
		c.render()
	})
}

// Marked returns the reminders marked on a day; tests read it.
func (c *calendarScreen) Marked(d data.Day) []data.Reminder { return c.byDay[d] }

func (c *calendarScreen) render() {
	c.title.SetText(c.month.Time().Format("January 2006"))
	from := c.gridStart()
	today := c.a.Today()
	for i, cell := range c.cells {
		d := from.AddDays(i)
		_, m, _ := d.Date()
		_, mm, _ := c.month.Date()
		cell.set(d, m == mm, d == today, d == c.chosen, c.byDay[d])
	}
	c.choose(c.chosen)
}

func (c *calendarScreen) choose(d data.Day) {
	c.chosen = d
	rs := c.byDay[d]
	c.dayHead.SetText(fmt.Sprintf("%s %s — %d due", d.Weekday(), longDate(d), len(rs)))
	c.pane.set(groupByKind(rs))
	from := c.gridStart()
	for i, cell := range c.cells {
		cell.setChosen(from.AddDays(i) == d)
	}
}

func calendarLegend() string {
	var parts []string
	for _, k := range data.Kinds {
		parts = append(parts, kindIcon(k)+" "+kindTitle(k))
	}
	return strings.Join(parts, "   ")
}

// dayCell is one square of the month grid.
type dayCell struct {
	widget.BaseWidget
	day     data.Day
	onTap   func(data.Day)
	bg      *canvas.Rectangle
	number  *canvas.Text
	marks   *canvas.Text
	count   *canvas.Text
	inMonth bool
}

func newDayCell(onTap func(data.Day)) *dayCell {
	c := &dayCell{onTap: onTap}
	c.bg = canvas.NewRectangle(color.Transparent)
	c.bg.CornerRadius = 4
	c.number = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	c.number.TextStyle.Bold = true
	c.marks = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	c.count = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	c.count.TextSize = theme.TextSize() - 2
	c.ExtendBaseWidget(c)
	return c
}

func (c *dayCell) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, c.number, c.count)
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewPadded(container.NewBorder(top, nil, nil, nil, c.marks))))
}

func (c *dayCell) MinSize() fyne.Size { return fyne.NewSize(64, 62) }

// Tapped picks the day.
func (c *dayCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil && c.day != 0 {
		c.onTap(c.day)
	}
}

func (c *dayCell) set(d data.Day, inMonth, today, chosen bool, rs []data.Reminder) {
	c.day = d
	c.inMonth = inMonth
	_, _, dd := d.Date()
	c.number.Text = fmt.Sprint(dd)
	if inMonth {
		c.number.Color = theme.Color(theme.ColorNameForeground)
	} else {
		c.number.Color = theme.Color(theme.ColorNameDisabled)
	}
	if today {
		c.number.Color = theme.Color(theme.ColorNamePrimary)
	}
	kinds := map[data.Kind]bool{}
	for _, r := range rs {
		kinds[r.Kind] = true
	}
	var ks []data.Kind
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return kindOrder(ks[i]) < kindOrder(ks[j]) })
	var b strings.Builder
	for _, k := range ks {
		b.WriteString(kindIcon(k))
	}
	c.marks.Text = b.String()
	c.count.Text = ""
	if len(rs) > 0 {
		c.count.Text = fmt.Sprint(len(rs))
	}
	c.setChosen(chosen)
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
	c.bg.Refresh()
}

func kindOrder(k data.Kind) int {
	for i, x := range data.Kinds {
		if x == k {
			return i
		}
	}
	return len(data.Kinds)
}
