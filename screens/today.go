package screens

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// todayScreen is the day's work: a queue a shift can finish (data.Queue),
// what is coming, and what was done.
type todayScreen struct {
	a        *App
	tabs     *container.AppTabs
	due      *reminderPane
	upcoming *reminderPane
	doneList *reminderPane
	heading  *widget.Label
	obj      fyne.CanvasObject
	// queue is the day's queue after the last reload.
	queue rules.Queue
	// driftAll is set when "show all" opened the drifting customers beyond
	// the day's share; mentionOpen when the mention group is open. Both are
	// the day's: a new day starts with them shut.
	driftAll, mentionOpen bool
	// Loaded holds every reminder on Today after the last reload, those
	// behind "show all" and in the shut mention group included; tests read it.
	loaded []rules.Reminder
	// loadedAt is when the To do tab last showed a queue read again.
	loadedAt time.Time
}

// The toggle rows of the To do list.
const (
	toggleDrifting = "drifting"
	toggleMention  = "mention"
)

func newToday(a *App) screen {
	t := &todayScreen{a: a}
	t.due = newReminderPane(a, lang.L("Nothing left to do today."))
	t.due.onToggle = t.toggle
	t.upcoming = newReminderPane(a, lang.L("Nothing in the next 7 days."))
	t.doneList = newReminderPane(a, lang.L("Nothing done yet today."))
	t.doneList.readOnly = true
	t.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("To do"), t.due.obj),
		container.NewTabItem(lang.L("Upcoming (7 days)"), t.upcoming.obj),
		container.NewTabItem(lang.L("Done today"), t.doneList.obj),
	)
	// A click on a tab leaves the keyboard nowhere: it goes to the tab's list.
	t.tabs.OnSelected = func(*container.TabItem) {
		if a.current == "today" {
			t.focus()
		}
	}
	t.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	printCalls := widget.NewButtonWithIcon(lang.L("Print today's calls"), theme.DocumentPrintIcon(), func() {
		a.printCalls()
		t.focus()
	})
	t.obj = container.NewBorder(container.NewBorder(nil, nil, nil, printCalls, t.heading), nil, nil, nil, t.tabs)
	return t
}

func (t *todayScreen) content() fyne.CanvasObject { return t.obj }

// pane is the list of the tab on show.
func (t *todayScreen) pane() *reminderPane {
	switch t.tabs.SelectedIndex() {
	case 1:
		return t.upcoming
	case 2:
		return t.doneList
	}
	return t.due
}

func (t *todayScreen) focus() { t.a.win.Canvas().Focus(t.pane().list) }

// typedRune and typedKey take the keys typed while nothing has the
// keyboard (after a click on a tab, a heading or the detail): they go to
// the list on show, as if it had been focused.
func (t *todayScreen) typedRune(r rune) {
	t.focus()
	t.pane().list.TypedRune(r)
}

func (t *todayScreen) typedKey(ev *fyne.KeyEvent) {
	t.focus()
	t.pane().list.TypedKey(ev)
}

type todayData struct {
	upcoming, done data.ReminderPage
}

func (t *todayScreen) reload() {
	day := t.a.Today()
	t.loadDue(day, func() { t.loadTabs(day) })
}

// loadDue fills the To do tab with the day's queue, then runs next (when
// not nil). It comes first and alone: in a large shop the other two tabs
// take as long again, and the day's work can start before they are in, so
// they are read once it is shown (next), not beside it. The queue is read
// whole (a few thousand reminders in a large shop, mostly in the shut
// groups) and the list shows it virtualised.
func (t *todayScreen) loadDue(day rules.Day, next func()) {
	background(t.a, func(ctx context.Context) (rules.Queue, error) {
		return t.a.store.TodayQueue(ctx, day)
	}, func(q rules.Queue, err error) {
		if next != nil {
			defer next()
		}
		if err != nil {
			t.a.showError(err)
			return
		}
		if q.Day != t.queue.Day {
			t.driftAll, t.mentionOpen = false, false
		}
		t.queue = q
		t.loaded = q.All()
		done, open := q.Done(), q.Open()
		t.heading.SetText(fmt.Sprintf(lang.L("%s — %s of %s done"), weekdayDate(day), wholeNumber(int64(done)), wholeNumber(int64(done+open))))
		t.tabs.Items[0].Text = fmt.Sprintf(lang.L("To do (%s)"), wholeNumber(int64(open)))
		t.tabs.Refresh()
		if t.a.popups != nil {
			t.a.popups.setCount(open)
		}
		t.due.set(t.queueRows())
		if t.due.selected == nil {
			t.due.selectFirst()
		}
		t.loadedAt = time.Now()
	})
}

// toggle opens or shuts the drifting customers beyond the day's share, or
// the mention group; the keyboard goes to the first row opened.
func (t *todayScreen) toggle(which string, row int) {
	switch which {
	case toggleDrifting:
		t.driftAll = !t.driftAll
	case toggleMention:
		t.mentionOpen = !t.mentionOpen
	}
	t.due.set(t.queueRows())
	switch {
	case which == toggleDrifting && t.driftAll:
		t.due.pick(row) // the first of the rest now stands where "show all" was
	case which == toggleMention && t.mentionOpen:
		t.due.pick(row + 1)
	default:
		// Shut again: the keyboard stays on its toggle row.
		for i, r := range t.due.rows {
			if r.toggle == which {
				t.due.pointAt(i)
			}
		}
	}
	t.due.refocus()
}

// queueRows lays the queue out as the To do list: each group under its
// heading with its count; the drifting customers beyond the day's share
// behind "show all"; the mention group shut unless opened.
func (t *todayScreen) queueRows() []reminderRow {
	q := &t.queue
	var rows []reminderRow
	add := func(rs []rules.Reminder) {
		for i := range rs {
			rows = append(rows, reminderRow{reminder: &rs[i]})
		}
	}
	if q.Open() == 0 {
		rows = append(rows, reminderRow{heading: t.due.empty})
	}
	for i := range q.Parts {
		p := &q.Parts[i]
		switch p.Group {
		case rules.QueueDrifting:
			if len(p.Rows)+len(p.Rest) == 0 {
				continue
			}
			head := fmt.Sprintf("%s (%d)", queueTitle(p.Group), len(p.Rows))
			if len(p.Rows) == 0 {
				head = lang.L("Drifting away: the day's share is done")
			}
			rows = append(rows, reminderRow{heading: head})
			add(p.Rows)
			if len(p.Rest) == 0 {
				continue
			}
			if t.driftAll {
				add(p.Rest)
				rows = append(rows, reminderRow{heading: "▴ " + lang.L("Show only the day's share"), toggle: toggleDrifting})
			} else {
				rows = append(rows, reminderRow{heading: "▸ " + fmt.Sprintf(lang.L("Show all (%s more)"), wholeNumber(int64(len(p.Rest)))), toggle: toggleDrifting})
			}
		case rules.QueueMention:
			if len(p.Rows) == 0 {
				continue
			}
			mark := "▸ "
			if t.mentionOpen {
				mark = "▾ "
			}
			rows = append(rows, reminderRow{heading: mark + fmt.Sprintf("%s (%d)", queueTitle(p.Group), len(p.Rows)), toggle: toggleMention})
			if t.mentionOpen {
				add(p.Rows)
			}
		default:
			if len(p.Rows) == 0 {
				continue
			}
			rows = append(rows, reminderRow{heading: fmt.Sprintf("%s (%d)", queueTitle(p.Group), len(p.Rows))})
			add(p.Rows)
		}
	}
	return rows
}

// queueTitle names a group of the queue for its heading.
func queueTitle(g rules.QueueGroup) string {
	switch g {
	case rules.QueueObligations:
		return lang.L("Obligations")
	case rules.QueueDueToday:
		return lang.L("Due today")
	case rules.QueueInWindow:
		return lang.L("Still in their window")
	case rules.QueueDrifting:
		return lang.L("Drifting away")
	case rules.QueueMention:
		return lang.L("Mention when they come in")
	}
	return ""
}

// loadTabs fills the Upcoming and Done today tabs.
func (t *todayScreen) loadTabs(day rules.Day) {
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
		t.tabs.Items[1].Text = fmt.Sprintf(lang.L("Upcoming (%s)"), wholeNumber(int64(d.upcoming.Total)))
		t.tabs.Items[2].Text = fmt.Sprintf(lang.L("Done today (%s)"), wholeNumber(int64(d.done.Total)))
		t.tabs.Refresh()
	})
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
