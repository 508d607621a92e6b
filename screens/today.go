package screens

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// todayScreen is the day's work: what is due, what is coming, what was done.
type todayScreen struct {
	a        *App
	tabs     *container.AppTabs
	due      *reminderPane
	upcoming *reminderPane
	doneList *reminderPane
	heading  *widget.Label
	obj      fyne.CanvasObject
	// Loaded holds the reminders on Today after the last reload; tests read it.
	loaded []data.Reminder
}

func newToday(a *App) screen {
	t := &todayScreen{a: a}
	t.due = newReminderPane(a, lang.L("Nothing to do today."))
	t.upcoming = newReminderPane(a, lang.L("Nothing in the next 7 days."))
	t.doneList = newReminderPane(a, lang.L("Nothing done yet today."))
	t.doneList.readOnly = true
	t.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("To do"), t.due.obj),
		container.NewTabItem(lang.L("Upcoming (7 days)"), t.upcoming.obj),
		container.NewTabItem(lang.L("Done today"), t.doneList.obj),
	)
	t.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	printCalls := widget.NewButtonWithIcon(lang.L("Print today's calls"), theme.DocumentPrintIcon(), a.printCalls)
	t.obj = container.NewBorder(container.NewBorder(nil, nil, nil, printCalls, t.heading), nil, nil, nil, t.tabs)
	return t
}

func (t *todayScreen) content() fyne.CanvasObject { return t.obj }

func (t *todayScreen) focus() { t.a.win.Canvas().Focus(t.due.list) }

type todayData struct {
	upcoming, done data.ReminderPage
}

func (t *todayScreen) reload() {
	day := t.a.Today()
	t.loadDue(day)
	t.loadTabs(day)
}

// loadDue fills the To do tab. It comes first and alone: in a large shop
// the other two tabs take as long again, and the day's work can start
// before they are in.
// In a large shop the lists run to thousands: only their counts and first
// page are read, and the rest a page at a time as the list scrolls.
func (t *todayScreen) loadDue(day data.Day) {
	read := func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
		return t.a.store.TodayGroupedPage(ctx, day, offset, limit)
	}
	background(t.a, func(ctx context.Context) (data.ReminderPage, error) {
		return read(ctx, 0, pageSize)
	}, func(due data.ReminderPage, err error) {
		if err != nil {
			t.a.showError(err)
			return
		}
		t.loaded = due.Rows
		t.heading.SetText(fmt.Sprintf(lang.L("%s — %d to do, %d overdue"), weekdayDate(day), due.Total, due.Overdue))
		t.due.setPaged(groupForToday(due), due, read)
		t.tabs.Items[0].Text = fmt.Sprintf(lang.L("To do (%d)"), due.Total)
		t.tabs.Refresh()
		if t.due.selected == nil {
			t.due.selectFirst()
		}
	})
}

// loadTabs fills the Upcoming and Done today tabs.
func (t *todayScreen) loadTabs(day data.Day) {
	read := func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
		return t.a.store.UpcomingPage(ctx, day, 7, offset, limit)
	}
	readDone := func(ctx context.Context, offset, limit int) (data.ReminderPage, error) {
		return t.a.store.HandledPage(ctx, day, offset, limit)
	}
	background(t.a, func(ctx context.Context) (todayData, error) {
		var d todayData
		var err error
		if d.upcoming, err = read(ctx, 0, pageSize); err != nil {
			return d, err
		}
		d.done, err = readDone(ctx, 0, pageSize)
		return d, err
	}, func(d todayData, err error) {
		if err != nil {
			t.a.showError(err)
			return
		}
		t.upcoming.setPaged(groupByDay(d.upcoming), d.upcoming, read)
		t.doneList.setPaged(kindGroups(d.done), d.done, readDone)
		t.tabs.Items[1].Text = fmt.Sprintf(lang.L("Upcoming (%d)"), d.upcoming.Total)
		t.tabs.Items[2].Text = fmt.Sprintf(lang.L("Done today (%d)"), d.done.Total)
		t.tabs.Refresh()
	})
}

// groupForToday puts open complaints first, then overdue, then the rest by
// kind: the list's groups with their counts, their reminders still to read.
func groupForToday(p data.ReminderPage) []reminderRow {
	var complaints, overdue int
	byKind := map[data.Kind]int{}
	for _, g := range p.Groups {
		switch {
		case g.OpenComplaints:
			complaints += g.Count
		case g.Overdue:
			overdue += g.Count
		default:
			byKind[g.Kind] += g.Count
		}
	}
	var rows []reminderRow
	add := func(title string, n int) {
		if n == 0 {
			return
		}
		rows = append(rows, reminderRow{heading: fmt.Sprintf("%s (%d)", title, n)})
		for range n {
			rows = append(rows, reminderRow{pending: true})
		}
	}
	add(lang.L("Open complaints"), complaints)
	add(lang.L("Overdue"), overdue)
	for _, k := range data.Kinds {
		add(kindIcon(k)+" "+kindPlural(k), byKind[k])
	}
	return rows
}

func groupByDay(p data.ReminderPage) []reminderRow {
	var rows []reminderRow
	for _, g := range p.Groups {
		rows = append(rows, reminderRow{heading: weekdayDate(g.Day)})
		for range g.Count {
			rows = append(rows, reminderRow{pending: true})
		}
	}
	return rows
}
