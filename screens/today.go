package screens

import (
	"context"
	"fmt"
	"sort"

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
	due, upcoming, done []data.Reminder
}

func (t *todayScreen) reload() {
	day := t.a.Today()
	t.loadDue(day)
	t.loadTabs(day)
}

// loadDue fills the To do tab. It comes first and alone: in a large shop
// the other two tabs take as long again, and the day's work can start
// before they are in.
func (t *todayScreen) loadDue(day data.Day) {
	background(t.a, func(ctx context.Context) ([]data.Reminder, error) {
		return t.a.store.TodayList(ctx, day)
	}, func(due []data.Reminder, err error) {
		if err != nil {
			t.a.showError(err)
			return
		}
		t.loaded = due
		t.heading.SetText(fmt.Sprintf(lang.L("%s — %d to do, %d overdue"), weekdayDate(day), len(due), countOverdue(due)))
		t.due.set(groupForToday(due))
		t.tabs.Items[0].Text = fmt.Sprintf(lang.L("To do (%d)"), len(due))
		t.tabs.Refresh()
		if t.due.selected == nil {
			t.due.selectFirst()
		}
	})
}

// loadTabs fills the Upcoming and Done today tabs.
func (t *todayScreen) loadTabs(day data.Day) {
	background(t.a, func(ctx context.Context) (todayData, error) {
		var d todayData
		var err error
		if d.upcoming, err = t.a.store.Upcoming(ctx, day, 7); err != nil {
			return d, err
		}
		d.done, err = t.a.store.HandledOn(ctx, day)
		return d, err
	}, func(d todayData, err error) {
		if err != nil {
			t.a.showError(err)
			return
		}
		t.upcoming.set(groupByDay(d.upcoming))
		t.doneList.set(groupByKind(d.done))
		t.tabs.Items[1].Text = fmt.Sprintf(lang.L("Upcoming (%d)"), len(d.upcoming))
		t.tabs.Items[2].Text = fmt.Sprintf(lang.L("Done today (%d)"), len(d.done))
		t.tabs.Refresh()
	})
}

func countOverdue(rs []data.Reminder) int {
	n := 0
	for _, r := range rs {
		if r.OverdueDays > 0 {
			n++
		}
	}
	return n
}

// groupForToday puts open complaints first, then overdue, then the rest by kind.
func groupForToday(rs []data.Reminder) []reminderRow {
	var complaints, overdue []data.Reminder
	byKind := map[data.Kind][]data.Reminder{}
	for _, r := range rs {
		switch {
		case r.OpenComplaint:
			complaints = append(complaints, r)
		case r.OverdueDays > 0:
			overdue = append(overdue, r)
		default:
			byKind[r.Kind] = append(byKind[r.Kind], r)
		}
	}
	var rows []reminderRow
	add := func(title string, list []data.Reminder) {
		if len(list) == 0 {
			return
		}
		rows = append(rows, reminderRow{heading: fmt.Sprintf("%s (%d)", title, len(list))})
		for i := range list {
			rows = append(rows, reminderRow{reminder: &list[i]})
		}
	}
	add(lang.L("Open complaints"), complaints)
	add(lang.L("Overdue"), overdue)
	for _, k := range data.Kinds {
		add(kindIcon(k)+" "+kindPlural(k), byKind[k])
	}
	return rows
}

func groupByKind(rs []data.Reminder) []reminderRow {
	byKind := map[data.Kind][]data.Reminder{}
	for _, r := range rs {
		byKind[r.Kind] = append(byKind[r.Kind], r)
	}
	var rows []reminderRow
	for _, k := range data.Kinds {
		list := byKind[k]
		if len(list) == 0 {
			continue
		}
		rows = append(rows, reminderRow{heading: fmt.Sprintf("%s %s (%d)", kindIcon(k), kindPlural(k), len(list))})
		for i := range list {
			rows = append(rows, reminderRow{reminder: &list[i]})
		}
	}
	return rows
}

func groupByDay(rs []data.Reminder) []reminderRow {
	sorted := append([]data.Reminder(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Due < sorted[j].Due })
	var rows []reminderRow
	var cur data.Day
	for i := range sorted {
		if sorted[i].Due != cur {
			cur = sorted[i].Due
			rows = append(rows, reminderRow{heading: weekdayDate(cur)})
		}
		rows = append(rows, reminderRow{reminder: &sorted[i]})
	}
	return rows
}
