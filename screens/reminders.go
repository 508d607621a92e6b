package screens

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// reminderRow is one line of a reminder list: a group heading, a reminder,
// or a line that opens or closes part of the list.
type reminderRow struct {
	heading  string
	reminder *rules.Reminder
	pending  bool // a reminder of a paged list not read yet
	// toggle names the part of the list this line opens or closes (its
	// text is in heading); a click or Enter on it tells the pane's onToggle.
	toggle string
}

// pageSize is how many reminders a paged list reads at once.
const pageSize = 50

// pager reads the reminders of a long list a page at a time, as its
// pending rows come into view.
type pager struct {
	slots []int // the row of each reminder, in the list's order
	next  int   // how many have been read
	busy  bool
	read  func(ctx context.Context, offset, limit int) (data.ReminderPage, error)
}

// reminderPane is a list of reminders with a detail panel and the actions
// Done, Snooze, Skip, Copy, Email and Open customer. Today and the calendar
// share it so the same work is done the same way everywhere.
type reminderPane struct {
	a        *App
	rows     []reminderRow
	list     *keyList
	selected *rules.Reminder
	empty    string

	title   *widget.Label
	who     *widget.Label
	why     *widget.Label
	message *widget.Entry
	// shownKey and shownMessage are the reminder whose message was last
	// put in message, and that message: text that differs from it was
	// typed, and stays while the same reminder is shown.
	shownKey, shownMessage string
	actions                *fyne.Container
	detail                 *fyne.Container
	done                   *widget.Button
	resolve                *widget.Button
	// obligations holds the promise or complaint behind the rows that have
	// one, by reminder key: who answers for a promise, when a complaint came in.
	obligations map[string]data.Obligation
	// readOnly hides the actions (for rows already done).
	readOnly bool
	pages    *pager // for a paged list
	at       int    // the row selected
	// last is the row selected before, but for headings: passing over a
	// heading goes on in the direction of travel from it.
	last int
	// onToggle opens or closes the part of the list a toggle row names;
	// row is where that row is.
	onToggle func(toggle string, row int)
	// picking is set while the pane selects a row itself, so that a toggle
	// row picked that way is not worked.
	picking bool
	split   *container.Split
	obj     fyne.CanvasObject
}

func newReminderPane(a *App, empty string) *reminderPane {
	p := &reminderPane{a: a, empty: empty, last: -1}
	p.list = newKeyList(func() int { return len(p.rows) }, newReminderRow, p.updateRow)
	p.list.OnSelected = p.selectRow
	p.list.app = a
	p.list.onRune = p.keyAction
	p.list.onEnter = p.enter

	right := p.newDetail()
	p.split = container.NewHSplit(p.list, container.NewPadded(container.NewVScroll(right)))
	p.split.Offset = 0.55
	p.obj = p.split
	return p
}

// newReminderRow is a line of the list: a heading, or a reminder's kind,
// customer and tag.
func newReminderRow() fyne.CanvasObject {
	head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	tag := widget.NewLabel("")
	kind := widget.NewLabel("")
	kind.Importance = widget.LowImportance
	kind.Alignment = fyne.TextAlignCenter
	// A fixed width keeps the names lined up whatever the icon's width.
	row := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(34, kind.MinSize().Height), kind), tag, name)
	return container.NewStack(head, row)
}

// updateRow shows row i in a line made by newReminderRow, and asks for the
// row's page when it is not read yet.
func (p *reminderPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	head := st.Objects[0].(*widget.Label)
	row := st.Objects[1].(*fyne.Container)
	if i >= len(p.rows) {
		return
	}
	r := p.rows[i]
	if r.pending {
		p.more(i)
	}
	if r.reminder == nil {
		// A toggle row reads like a link; a heading stays plain.
		imp := widget.MediumImportance
		if r.toggle != "" {
			imp = widget.HighImportance
		}
		if head.Importance != imp {
			head.Importance = imp
			head.Refresh()
		}
		head.SetText(r.heading)
		head.Show()
		row.Hide()
		return
	}
	head.Hide()
	row.Show()
	name := row.Objects[0].(*widget.Label)
	kind := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	tag := row.Objects[2].(*widget.Label)
	name.SetText(r.reminder.CustomerName + " — " + r.reminder.Why)
	kind.SetText(kindIcon(r.reminder.Kind))
	text, imp := p.rowTag(r.reminder)
	tag.Importance = imp
	tag.SetText(text)
}

// selectRow shows the reminder of row i, or works a row that is not a
// reminder: a pending row reads its page, a toggle row opens or closes, a
// heading passes the selection on in the direction of travel.
func (p *reminderPane) selectRow(i widget.ListItemID) {
	p.at = i
	if i < len(p.rows) && p.rows[i].pending {
		// Not read yet: its details come with its page.
		p.last = i
		p.selected = nil
		p.showDetail()
		p.more(i)
		return
	}
	if i < len(p.rows) && p.rows[i].toggle != "" {
		// A toggle row opens or closes on a click; the arrow keys only
		// pass over it (Enter opens it then).
		p.last = i
		p.selected = nil
		p.showDetail()
		if !p.list.byKey && !p.picking && p.onToggle != nil {
			p.onToggle(p.rows[i].toggle, i)
		}
		return
	}
	if i < len(p.rows) && p.rows[i].reminder == nil {
		// Headings are not selectable: go on in the direction of travel.
		next := i + 1
		if i < p.last && i > 0 {
			next = i - 1
		}
		if next < len(p.rows) {
			// Not a click on what comes next: a toggle row there stays shut.
			picking := p.picking
			p.picking = p.picking || !p.list.byKey
			p.list.moveFocus(next)
			p.list.Select(next)
			p.picking = picking
		}
		return
	}
	p.last = i
	if i < len(p.rows) {
		p.selected = p.rows[i].reminder
	}
	p.showDetail()
}

// newDetail makes the panel beside the list: the selected reminder, its
// message and the actions, over a hint of the keys.
func (p *reminderPane) newDetail() fyne.CanvasObject {
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Wrapping = fyne.TextWrapWord // a long name never widens the pane
	p.who = widget.NewLabel("")
	p.who.Wrapping = fyne.TextWrapWord
	p.why = widget.NewLabel("")
	p.why.Wrapping = fyne.TextWrapWord
	p.message = widget.NewMultiLineEntry()
	p.message.Wrapping = fyne.TextWrapWord
	p.message.SetMinRowsVisible(5)
	// A button works like its key: the keyboard stays on the list.
	key := func(r rune) func() { return func() { p.refocus(); p.keyAction(r) } }
	p.done = widget.NewButtonWithIcon(lang.L("Done (D)"), theme.ConfirmIcon(), key('d'))
	p.done.Importance = widget.HighImportance
	snooze := widget.NewButtonWithIcon(lang.L("Snooze (S)"), theme.HistoryIcon(), key('s'))
	skip := widget.NewButtonWithIcon(lang.L("Skip (K)"), theme.CancelIcon(), key('k'))
	cp := widget.NewButtonWithIcon(lang.L("Copy (C)"), theme.ContentCopyIcon(), key('c'))
	mail := widget.NewButtonWithIcon(lang.L("Email (E)"), theme.MailComposeIcon(), key('e'))
	printBtn := widget.NewButtonWithIcon(lang.L("Print card (P)"), theme.DocumentPrintIcon(), key('p'))
	openC := widget.NewButtonWithIcon(lang.L("Customer (O)"), theme.AccountIcon(), key('o'))
	p.resolve = widget.NewButtonWithIcon(lang.L("Resolve… (R)"), theme.WarningIcon(), key('r'))
	p.resolve.Importance = widget.DangerImportance
	// Three buttons a row where they fit, fewer in a narrow pane (the
	// calendar's on a small screen), never a pane wider than the window.
	actions := &columnsLayout{max: 3}
	p.actions = container.New(actions, p.done, snooze, skip, cp, mail, printBtn, openC, p.resolve)
	p.detail = container.NewVBox(p.title, p.who, p.why, widget.NewLabel(lang.L("Message")), p.message, p.actions)
	p.detail.Hide()
	hint := widget.NewLabel(lang.L("Pick a row to see what to do. Keys: ↑ ↓ move, Enter or D done, S snooze, K skip, C copy, E email, P print, O customer, R resolve a complaint."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	right := container.NewVBox(p.detail, layout.NewSpacer(), hint)
	actions.onChange = right.Refresh
	return right
}

// stacked puts the detail under the list, for a narrow pane.
func (p *reminderPane) stacked() {
	p.split.Horizontal = false
	p.split.Offset = 0.42
	p.split.Refresh()
}

// set replaces the rows; the selection follows the same reminder if it is
// still there. When it has gone (done, snoozed, skipped), the reminder that
// came after it takes its place, so the work goes on down the list; the
// keyboard's row and the highlighted row are the same one.
func (p *reminderPane) set(rows []reminderRow) {
	old := p.rows
	var keep string
	at := -1
	// The keyboard stays where it was when the reminder kept is picked
	// again (another till's write reads the list again while someone
	// types its message: showDetail keeps what is typed).
	focused := p.a.win.Canvas().Focused()
	if p.selected != nil {
		keep = p.selected.Key
		for i, r := range old {
			if r.reminder != nil && r.reminder.Key == keep {
				at = i
			}
		}
	}
	p.rows = rows
	p.list.UnselectAll()
	p.selected = nil
	p.list.Refresh()
	if keep != "" {
		where := make(map[string]int, len(rows))
		for i, r := range rows {
			if r.reminder != nil {
				where[r.reminder.Key] = i
			}
		}
		if i, ok := where[keep]; ok {
			p.pick(i)
			p.loadObligations()
			if focused != nil {
				p.a.win.Canvas().Focus(focused)
			}
			return
		}
		if at >= 0 {
			// The next reminder still listed, else the one before it.
			still := func(j int) bool {
				if r := old[j].reminder; r != nil {
					if i, ok := where[r.Key]; ok {
						p.pick(i)
						p.loadObligations()
						return true
					}
				}
				return false
			}
			for j := at + 1; j < len(old); j++ {
				if still(j) {
					return
				}
			}
			// None of those: the reminder now where it was (one that came
			// into the list meanwhile, or a paged list's not read before).
			for i := min(at, len(rows)-1); i >= 0 && i < len(rows); i++ {
				if rows[i].reminder != nil {
					p.pick(i)
					p.loadObligations()
					return
				}
			}
			for j := at - 1; j >= 0; j-- {
				if still(j) {
					return
				}
			}
		}
	}
	p.showDetail()
	p.loadObligations()
}

// pick puts the keyboard on row i and selects it: the row highlighted is
// the row the arrow keys and Enter work from.
func (p *reminderPane) pick(i int) {
	if i < 0 || i >= len(p.rows) {
		return
	}
	p.picking = true
	defer func() { p.picking = false }()
	p.list.moveFocus(i)
	p.list.Select(i)
}

// pointAt puts the keyboard on row i with nothing selected: a toggle row
// just closed, which a click opens again.
func (p *reminderPane) pointAt(i int) {
	if i < 0 || i >= len(p.rows) {
		return
	}
	p.list.UnselectAll()
	p.selected = nil
	p.at = i
	p.list.moveFocus(i)
	p.showDetail()
}

// refocus gives the keyboard back to the list after an action.
func (p *reminderPane) refocus() { p.a.win.Canvas().Focus(p.list) }

// enter works the row under the keyboard: a toggle row opens or closes, a
// reminder is done.
func (p *reminderPane) enter() {
	if i := p.list.at(); i >= 0 && i < len(p.rows) && p.rows[i].toggle != "" {
		if p.onToggle != nil {
			p.onToggle(p.rows[i].toggle, i)
		}
		return
	}
	p.doneDialog()
}

// setPaged replaces the rows with those of a paged list: first holds the
// first page, read reads the others.
func (p *reminderPane) setPaged(rows []reminderRow, first data.ReminderPage, read func(ctx context.Context, offset, limit int) (data.ReminderPage, error)) {
	pg := &pager{read: read}
	for i, r := range rows {
		if r.pending {
			pg.slots = append(pg.slots, i)
		}
	}
	pg.fill(rows, first)
	p.pages = pg
	p.set(rows)
}

// fill puts the reminders of page into their rows.
func (pg *pager) fill(rows []reminderRow, page data.ReminderPage) {
	for i := range page.Rows {
		k := page.Offset + i
		if k < len(pg.slots) {
			rows[pg.slots[k]] = reminderRow{reminder: &page.Rows[i]}
		}
	}
	pg.next = max(pg.next, page.Offset+len(page.Rows))
}

// more reads the reminders of a paged list up to row and a page beyond,
// unless a read is on its way.
func (p *reminderPane) more(row int) {
	pg := p.pages
	if pg == nil || pg.busy || pg.next >= len(pg.slots) {
		return
	}
	pg.busy = true
	offset := pg.next
	limit := sort.SearchInts(pg.slots, row) - offset + pageSize
	background(p.a, func(ctx context.Context) (data.ReminderPage, error) {
		return pg.read(ctx, offset, limit)
	}, func(page data.ReminderPage, err error) {
		pg.busy = false
		if p.pages != pg {
			return // the list was read again meanwhile
		}
		if err != nil {
			p.a.showError(err)
			return
		}
		if page.Total != len(pg.slots) || len(page.Rows) == 0 {
			return // it changed: the reload that follows every change reads it again
		}
		pg.fill(p.rows, page)
		p.list.Refresh()
		if p.selected == nil && p.at >= 0 && p.at < len(p.rows) && p.rows[p.at].reminder != nil {
			p.selected = p.rows[p.at].reminder
			p.showDetail()
		}
		p.loadObligations()
	})
}

// loadObligations fetches the promises and complaints behind the rows.
func (p *reminderPane) loadObligations() {
	var rs []rules.Reminder
	for _, r := range p.rows {
		if r.reminder != nil && (r.reminder.Kind == rules.KindPromise || r.reminder.Kind == rules.KindComplaintFollowup ||
			r.reminder.Kind == rules.KindCheckIn) {
			rs = append(rs, *r.reminder)
		}
	}
	if len(rs) == 0 {
		p.obligations = nil
		return
	}
	background(p.a, func(ctx context.Context) (map[string]data.Obligation, error) {
		return p.a.store.Obligations(ctx, rs)
	}, func(m map[string]data.Obligation, err error) {
		if err != nil {
			p.a.say(lang.L("Could not read the promises and complaints: %v"), err)
			return
		}
		p.obligations = m
		p.list.Refresh()
		p.showDetail()
	})
}

// rowTag is the note at the end of a row and how loud it is: the reply
// clock of an open complaint, who answers for a promise, or how overdue.
func (p *reminderPane) rowTag(r *rules.Reminder) (string, widget.Importance) {
	today := p.a.Today()
	o := p.obligations[r.Key]
	switch r.State {
	case rules.StateDone:
		return lang.L("done"), widget.SuccessImportance
	case rules.StateSkipped:
		return lang.L("skipped"), widget.LowImportance
	}
	switch {
	case r.OpenComplaint && o.Complaint != nil && r.State != rules.StateDone && r.State != rules.StateSkipped:
		text, late := complaintClock(o.Complaint.ReceivedAt, p.a.now())
		if late {
			return text, widget.DangerImportance
		}
		return text, widget.WarningImportance
	case r.Kind == rules.KindPromise && o.Promise != nil:
		text := o.Promise.Staff
		if tag := dueTag(r, today); tag != "" {
			text = tag + " · " + o.Promise.Staff
		}
		if r.OverdueDays > 0 {
			return text, widget.DangerImportance
		}
		return text, widget.MediumImportance
	}
	if r.OverdueDays > 0 || r.OpenComplaint {
		return dueTag(r, today), widget.DangerImportance
	}
	return dueTag(r, today), widget.LowImportance
}

// complaintAnswerTime is how soon a complaint should have its answer: most
// complainers come back when the problem is solved quickly.
const complaintAnswerTime = 24 * time.Hour

// complaintClock says how long is left to answer a complaint received at
// received, or by how much the answer is late: "due in 5 hours", "overdue
// by 14 days". Two days late and more it counts calendar days, as the
// reminder's "14 days overdue" beside it does.
func complaintClock(received, now time.Time) (text string, late bool) {
	deadline := received.Add(complaintAnswerTime)
	left := deadline.Sub(now)
	if left > 0 {
		return fmt.Sprintf(lang.L("due in %s"), spanWords(left, true)), false
	}
	if -left >= 48*time.Hour {
		days := rules.DayOf(now).Sub(rules.DayOf(deadline))
		return fmt.Sprintf(lang.L("overdue by %s"), fmt.Sprintf(lang.N("%d days", days), days)), true
	}
	return fmt.Sprintf(lang.L("overdue by %s"), spanWords(-left, false)), true
}

// spanWords is a span for the reply clock in one unit, as the rest of the
// window counts: "40 minutes", "5 hours", "14 days". Up to two days it
// counts hours, then whole days. Time left rounds up (an hour and a bit
// left is "2 hours"), time late rounds down.
func spanWords(d time.Duration, up bool) string {
	count := func(unit time.Duration) int {
		n := int(d / unit)
		if up && d%unit != 0 {
			n++
		}
		return max(n, 1)
	}
	switch {
	case d < time.Hour:
		m := count(time.Minute)
		return fmt.Sprintf(lang.N("%d minutes", m), m)
	case d < 48*time.Hour:
		h := count(time.Hour)
		return fmt.Sprintf(lang.N("%d hours", h), h)
	}
	days := count(24 * time.Hour)
	return fmt.Sprintf(lang.N("%d days", days), days)
}

// selectFirst selects the first reminder of the list.
func (p *reminderPane) selectFirst() {
	for i, r := range p.rows {
		if r.reminder != nil {
			p.pick(i)
			return
		}
	}
}

func (p *reminderPane) showDetail() {
	r := p.selected
	if r == nil {
		p.detail.Hide()
		return
	}
	p.title.SetText(fmt.Sprintf("%s %s — %s", kindIcon(r.Kind), kindTitle(r.Kind), r.CustomerName))
	contact := []string{}
	if r.Phone != "" {
		contact = append(contact, "☎ "+r.Phone)
	}
	if r.Email != "" {
		contact = append(contact, "✉ "+r.Email)
	}
	p.who.SetText(strings.Join(contact, "    "))
	due := fmt.Sprintf(lang.L("Due %s"), longDate(r.Due))
	if r.OverdueDays > 0 {
		due = fmt.Sprintf("%s (%s)", due, fmt.Sprintf(lang.N("%d days overdue", r.OverdueDays), r.OverdueDays))
	}
	if r.Until != 0 {
		due += fmt.Sprintf(lang.L(", on the list until %s"), longDate(r.Until))
	}
	p.why.SetText(r.Why + "\n" + due + p.obligationNote(r) + stateNote(r))
	if r.Key != p.shownKey || p.message.Text == p.shownMessage {
		p.message.SetText(r.Message)
		p.shownKey, p.shownMessage = r.Key, r.Message
	}
	if p.readOnly || r.State == rules.StateDone || r.State == rules.StateSkipped {
		p.actions.Hide()
	} else {
		p.actions.Show()
	}
	if r.Kind == rules.KindPromise {
		p.done.SetText(lang.L("Kept (D)"))
	} else {
		p.done.SetText(lang.L("Done (D)"))
	}
	if p.openComplaint(r) != nil {
		p.resolve.Show()
	} else {
		p.resolve.Hide()
	}
	p.detail.Show()
}

// obligationNote says who answers for a promise and when a complaint came in.
func (p *reminderPane) obligationNote(r *rules.Reminder) string {
	o := p.obligations[r.Key]
	switch {
	case o.Promise != nil && r.Kind == rules.KindPromise:
		return fmt.Sprintf(lang.L("\n%s answers for this promise (made %s)"), o.Promise.Staff, longDate(o.Promise.MadeOn))
	case o.Complaint != nil:
		k := o.Complaint
		note := fmt.Sprintf(lang.L("\nReceived %s, severity %s"), stamp(k.ReceivedAt), severityName(k.Severity))
		if k.OpenOn(p.a.Today()) {
			clock, _ := complaintClock(k.ReceivedAt, p.a.now())
			return note + " — " + clock
		}
		return note + fmt.Sprintf(lang.L("\nResolved %s: %s"), longDate(k.ResolvedOn), k.Resolution)
	}
	return ""
}

// openComplaint is the open complaint behind r, or nil.
func (p *reminderPane) openComplaint(r *rules.Reminder) *rules.Complaint {
	if r == nil {
		return nil
	}
	o := p.obligations[r.Key]
	if o.Complaint == nil || !o.Complaint.OpenOn(p.a.Today()) {
		return nil
	}
	return o.Complaint
}

func (p *reminderPane) resolveComplaint() {
	r := p.selected
	k := p.openComplaint(r)
	if k == nil || p.readOnly {
		return
	}
	p.a.resolveDialog(*k, r.CustomerName, func() { p.a.win.Canvas().Focus(p.list) })
}

func stateNote(r *rules.Reminder) string {
	switch r.State {
	case rules.StateDone:
		return fmt.Sprintf(lang.L("\nDone on %s by %s"), longDate(r.DoneOn), r.Staff)
	case rules.StateSkipped:
		return fmt.Sprintf(lang.L("\nSkipped on %s by %s: %s"), longDate(r.DoneOn), r.Staff, r.Reason)
	case rules.StateSnoozed:
		return fmt.Sprintf(lang.L("\nSnoozed until %s"), longDate(r.SnoozedUntil))
	case rules.StateMissed:
		return lang.L("\nMissed: it left the list unhandled")
	}
	return ""
}

func (p *reminderPane) keyAction(r rune) {
	switch r {
	case 'd', 'D':
		p.doneDialog()
	case 's', 'S':
		p.snoozeDialog()
	case 'k', 'K':
		p.skipDialog()
	case 'c', 'C':
		p.copyMessage()
	case 'e', 'E':
		p.email()
	case 'o', 'O':
		p.openCustomer()
	case 'p', 'P':
		p.printCard()
	case 'r', 'R':
		p.resolveComplaint()
	}
}

// act runs a store action off the UI goroutine and reloads every screen
// after it; then, when set, runs last.
func (p *reminderPane) act(what string, fn func(context.Context) error, then func()) {
	background(p.a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, fn(ctx)
	}, func(_ struct{}, err error) {
		if err != nil {
			p.a.showError(err)
			return
		}
		p.a.say("%s", what)
		p.a.changed()
		p.a.win.Canvas().Focus(p.list)
		if then != nil {
			then()
		}
	})
}

// outcomes are the suggested outcomes of a contact, in the translation in use.
func outcomes() []string {
	return []string{lang.L("happy"), lang.L("no answer"), lang.L("left a message"), lang.L("sent"), lang.L("will come back"), lang.L("unhappy")}
}

func (p *reminderPane) doneDialog() {
	r := p.selected
	if r == nil || p.readOnly || r.State == rules.StateDone {
		return
	}
	channel := widget.NewSelect(channelLabels(), nil)
	channel.SetSelected(channelLabel(defaultChannel(r)))
	outcome := newSelectEntry(outcomes())
	outcome.SetText(lang.L("happy"))
	if r.Kind == rules.KindThankYou || r.Kind == rules.KindBirthday || r.Kind == rules.KindAnniversary || r.Kind == rules.KindOccasion {
		outcome.SetText(lang.L("sent"))
	}
	note := newEntry()
	note.SetPlaceHolder(lang.L("What was said (optional)"))
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("How"), channel),
		widget.NewFormItem(lang.L("Outcome"), outcome),
		widget.NewFormItem(lang.L("Note"), note),
	}
	title, what := fmt.Sprintf(lang.L("Done: %s for %s"), kindInSentence(r.Kind), r.CustomerName), lang.L("Done")
	if r.Kind == rules.KindPromise {
		// Doing a promise's reminder keeps the promise; a check-in follows.
		title, what = fmt.Sprintf(lang.L("Promise kept for %s: %s"), r.CustomerName, strings.TrimPrefix(r.Why, "promised: ")), lang.L("Kept")
	}
	rem := *r
	d := p.a.newForm(title, lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		c := rules.Contact{Channel: channelFromLabel(channel.Selected), Outcome: outcome.Text, Note: note.Text, Staff: p.a.staff}
		var then func()
		if unhappy(outcome.Text) && rem.Kind != rules.KindComplaintFollowup {
			then = func() { p.offerComplaint(rem, note.Text) }
		}
		p.act(fmt.Sprintf(lang.L("%s: %s for %s"), what, kindTitle(rem.Kind), rem.CustomerName), func(ctx context.Context) error {
			_, err := p.a.store.CompleteReminder(ctx, rem.Key, c)
			return err
		}, then)
	})
	d.Resize(fyne.NewSize(460, 260))
	d.Show()
	p.a.win.Canvas().Focus(note)
}

func unhappy(outcome string) bool {
	o := strings.ToLower(outcome)
	return strings.Contains(o, "unhappy") || strings.Contains(o, strings.ToLower(lang.L("unhappy")))
}

// offerComplaint follows a contact that ended unhappy: one click opens a
// complaint, filled in from what was said.
func (p *reminderPane) offerComplaint(r rules.Reminder, note string) {
	what := strings.TrimSpace(note)
	if what == "" {
		what = fmt.Sprintf(lang.L("Unhappy at the %s (%s)"), strings.ToLower(kindTitle(r.Kind)), r.Why)
	}
	c := rules.Customer{ID: r.CustomerID, Name: r.CustomerName}
	p.a.complaintForm(c, fmt.Sprintf(lang.L("%s was unhappy: open a complaint?"), r.CustomerName), lang.L("Open a complaint"), what, nil)
}

func (p *reminderPane) snoozeDialog() {
	r := p.selected
	if r == nil || p.readOnly {
		return
	}
	today := p.a.Today()
	key, name := r.Key, r.CustomerName
	var d dialog.Dialog
	snooze := func(until rules.Day) {
		d.Hide()
		p.act(fmt.Sprintf(lang.L("Snoozed %s until %s"), name, longDate(until)), func(ctx context.Context) error {
			return p.a.store.SnoozeReminder(ctx, key, until, p.a.staff)
		}, nil)
	}
	date := newEntry()
	date.SetPlaceHolder(fmt.Sprintf(lang.L("A day, like %s or 2026-11-23"), dateExample()))
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	pick := widget.NewButton(lang.L("Snooze until that date"), func() {
		until, err := snoozeUntil(date.Text, today)
		if err != nil {
			errLabel.SetText(err.Error())
			return
		}
		snooze(until)
	})
	date.OnSubmitted = func(string) { pick.OnTapped() }
	box := container.NewVBox(
		widget.NewButton(fmt.Sprintf(lang.L("1 day (until %s)"), listDate(today.AddDays(1))), func() { snooze(today.AddDays(1)) }),
		widget.NewButton(fmt.Sprintf(lang.L("1 week (until %s)"), listDate(today.AddDays(7))), func() { snooze(today.AddDays(7)) }),
		widget.NewSeparator(), date, pick, errLabel,
	)
	d = dialog.NewCustom(fmt.Sprintf(lang.L("Snooze %s for %s"), kindInSentence(r.Kind), name), lang.L("Cancel"), box, p.a.win)
	d.Resize(fyne.NewSize(380, 280))
	d.Show()
}

func (p *reminderPane) skipDialog() {
	r := p.selected
	if r == nil || p.readOnly {
		return
	}
	reason := newSelectEntry([]string{lang.L("already spoke to them"), lang.L("not appropriate now"), lang.L("customer asked not to"), lang.L("wrong details")})
	reason.SetPlaceHolder(lang.L("Why skip it?"))
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("Say why it is skipped"))
		}
		return nil
	}
	key, name := r.Key, r.CustomerName
	d := p.a.newForm(fmt.Sprintf(lang.L("Skip %s for %s"), kindInSentence(r.Kind), name), lang.L("Skip it"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Reason"), reason)}, func(ok bool) {
			if !ok {
				return
			}
			text := reason.Text
			p.act(fmt.Sprintf(lang.L("Skipped %s for %s"), kindInSentence(r.Kind), name), func(ctx context.Context) error {
				return p.a.store.SkipReminder(ctx, key, text, p.a.staff)
			}, nil)
		})
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
}

func (p *reminderPane) copyMessage() {
	if p.selected == nil {
		return
	}
	p.a.fa.Clipboard().SetContent(p.message.Text)
	p.a.say(lang.L("Message for %s copied"), p.selected.CustomerName)
}

func (p *reminderPane) email() {
	r := p.selected
	if r == nil {
		return
	}
	if r.Email == "" {
		p.a.showError(fmt.Errorf(lang.L("%s has no email address"), r.CustomerName))
		return
	}
	id, name, email, subject, body := r.CustomerID, r.CustomerName, r.Email, kindTitle(r.Kind), p.message.Text
	background(p.a, func(ctx context.Context) (rules.Customer, error) {
		return p.a.store.Customer(ctx, id)
	}, func(c rules.Customer, err error) {
		if err != nil {
			p.a.showError(err)
			return
		}
		// Email is offered only where the customer agreed to it.
		if !c.HasConsent(rules.ChannelEmail) {
			why := lang.L("has not agreed to emails")
			if c.DoNotContact {
				why = lang.L("asked not to be contacted")
			}
			p.a.showError(fmt.Errorf(lang.L("%s %s: copy the message for a call or a card instead, or record their consent on the customer page"), name, why))
			return
		}
		if err := p.a.fa.OpenURL(mailtoURL(email, subject, body)); err != nil {
			p.a.showError(fmt.Errorf(lang.L("Could not open the mail program (%v); copy the message instead"), unwrapExec(err)))
		}
	})
}

// unwrapExec keeps the last, plainest part of an error from starting a program.
func unwrapExec(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// mailtoURL builds a mailto: link with subject and body.
func mailtoURL(to, subject, body string) *url.URL {
	q := url.Values{}
	q.Set("subject", subject)
	q.Set("body", body)
	return &url.URL{Scheme: "mailto", Opaque: to, RawQuery: strings.ReplaceAll(q.Encode(), "+", "%20")}
}

func (p *reminderPane) openCustomer() {
	if p.selected == nil {
		return
	}
	p.a.openCustomer(p.selected.CustomerID)
	// The keyboard goes to the customer's timeline, where an open promise or
	// complaint is picked, rather than to the search box, which would catch
	// the letter O as well.
	if cs, ok := p.a.screens["customers"].(*customersScreen); ok {
		p.a.win.Canvas().Focus(cs.page.tlList)
	}
}

func defaultChannel(r *rules.Reminder) rules.Channel {
	if r.Phone != "" {
		return rules.ChannelPhone
	}
	if r.Email != "" {
		return rules.ChannelEmail
	}
	return rules.ChannelInPerson
}

type channelName struct {
	c     rules.Channel
	label string
}

// channelNames name the channels in the translation in use.
func channelNames() []channelName {
	return []channelName{
		{rules.ChannelPhone, lang.L("Phone call")}, {rules.ChannelEmail, lang.L("Email")}, {rules.ChannelSMS, lang.L("Text message")},
		{rules.ChannelInPerson, lang.L("In person")}, {rules.ChannelCard, lang.L("Card")}, {rules.ChannelPost, lang.L("Post")},
	}
}

func channelLabels() []string {
	var out []string
	for _, c := range channelNames() {
		out = append(out, c.label)
	}
	return out
}

func channelLabel(c rules.Channel) string {
	for _, x := range channelNames() {
		if x.c == c {
			return x.label
		}
	}
	return string(c)
}

func channelFromLabel(l string) rules.Channel {
	for _, x := range channelNames() {
		if x.label == l {
			return x.c
		}
	}
	return rules.ChannelPhone
}

// dueTag is the short note at the end of a row: overdue, due today, or the day.
func dueTag(r *rules.Reminder, today rules.Day) string {
	switch {
	case r.OpenComplaint && r.OverdueDays == 0 && r.Due >= today:
		return fmt.Sprintf(lang.L("reply by %s"), listDate(r.Due))
	case r.OverdueDays > 0:
		return fmt.Sprintf(lang.N("%d days overdue", r.OverdueDays), r.OverdueDays)
	case r.Due > today:
		return listDate(r.Due)
	}
	return ""
}

func kindIcon(k rules.Kind) string {
	switch k {
	case rules.KindThankYou:
		return "♥"
	case rules.KindCheckIn:
		return "☎"
	case rules.KindBirthday:
		return "🎂"
	case rules.KindAnniversary:
		return "★"
	case rules.KindOccasion:
		return "✿"
	case rules.KindPromise:
		return "✓"
	case rules.KindComplaintFollowup:
		return "!"
	case rules.KindStayInTouch:
		return "↻"
	case rules.KindRewardReady:
		return "🎁"
	case rules.KindPointsExpiring:
		return "⌛"
	}
	return "•"
}

// kindInSentence is a kind's name inside a sentence: "Snooze thank-you
// for Ann", not "Snooze Thank-you for Ann". Like the Reports' note, it
// lowers the title's first letter; a language whose nouns keep a capital
// translates the sentence around it instead.
func kindInSentence(k rules.Kind) string {
	t := kindTitle(k)
	r, size := utf8.DecodeRuneInString(t)
	return string(unicode.ToLower(r)) + t[size:]
}

func kindTitle(k rules.Kind) string {
	switch k {
	case rules.KindThankYou:
		return lang.L("Thank-you")
	case rules.KindCheckIn:
		return lang.L("Check-in call")
	case rules.KindBirthday:
		return lang.L("Birthday")
	case rules.KindAnniversary:
		return lang.L("Customer anniversary")
	case rules.KindOccasion:
		return lang.L("Occasion")
	case rules.KindPromise:
		return lang.L("Promise")
	case rules.KindComplaintFollowup:
		return lang.L("Complaint follow-up")
	case rules.KindStayInTouch:
		return lang.L("Stay in touch")
	case rules.KindRewardReady:
		return lang.L("Reward ready")
	case rules.KindPointsExpiring:
		return lang.L("Points expiring")
	}
	return string(k)
}

// keyList is a List that also answers letter keys and Enter, so the Today
// list can be worked from the keyboard alone.
type keyList struct {
	widget.List
	onRune  func(rune)
	onEnter func()
	// app, when set, gets the window's function keys first (F1 help, F2
	// checkout), which a focused list would otherwise swallow.
	app *App
	// byKey is set while the arrow keys move the selection, so that the
	// list's owner can tell a row passed over from a row clicked.
	byKey bool
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey adds Enter, Page Up and Down, Home and End to the list's own
// arrow keys; moving the keyboard focus also selects, so the detail follows.
func (l *keyList) TypedKey(ev *fyne.KeyEvent) {
	if l.app != nil && l.app.windowKey(ev) {
		return
	}
	l.byKey = true
	defer func() { l.byKey = false }()
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if l.onEnter != nil {
			l.onEnter()
		}
		return
	}
	n := l.Length()
	to := -1
	switch ev.Name {
	case fyne.KeyPageDown:
		to = min(l.at()+l.visibleRows(), n-1)
	case fyne.KeyPageUp:
		to = max(l.at()-l.visibleRows(), 0)
	case fyne.KeyHome:
		to = 0
	case fyne.KeyEnd:
		to = n - 1
	}
	if to >= 0 && n > 0 && l.moveFocus(to) {
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
		return
	}
	l.List.TypedKey(ev)
	if ev.Name == fyne.KeyUp || ev.Name == fyne.KeyDown {
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	}
}

// focusField is the List's keyboard position, which it keeps to itself and
// moves one row per arrow key: a long list's Home or End would otherwise
// take thousands of steps.
func (l *keyList) focusField() reflect.Value {
	f := reflect.ValueOf(&l.List).Elem().FieldByName("currentFocus")
	if !f.IsValid() || !f.CanInt() {
		return reflect.Value{}
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// at is the row with the keyboard focus.
func (l *keyList) at() int {
	if f := l.focusField(); f.IsValid() {
		return int(f.Int())
	}
	return 0
}

// moveFocus puts the keyboard focus on row to and scrolls it into sight.
func (l *keyList) moveFocus(to int) bool {
	f := l.focusField()
	if !f.IsValid() {
		return false
	}
	from := int(f.Int())
	f.SetInt(int64(to))
	l.RefreshItem(from)
	l.ScrollTo(to)
	l.RefreshItem(to)
	return true
}

// visibleRows is how many rows a page of the list holds, less one so that
// a row stays in sight across Page Down.
func (l *keyList) visibleRows() int {
	row := l.CreateItem().MinSize().Height + theme.Padding()
	return max(1, int(l.Size().Height/row)-1)
}

// TypedRune sends letters to the screen's shortcuts.
func (l *keyList) TypedRune(r rune) {
	if l.onRune != nil {
		l.onRune(r)
	}
}

// snoozeUntil reads the day typed in the snooze dialog.
func snoozeUntil(typed string, today rules.Day) (rules.Day, error) {
	if strings.TrimSpace(typed) == "" {
		return 0, errors.New(lang.L("Type the day the reminder comes back."))
	}
	until, err := parseDate(typed)
	if err != nil {
		return 0, err
	}
	return until, checkSnoozeUntil(until, today)
}
