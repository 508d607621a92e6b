package screens

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// kindCase is one reminder the shop works through from the window: what
// kind, for whom, the day it falls due, and what is done with it.
type kindCase struct {
	name     string // the kind, and which one when a kind comes twice
	kind     rules.Kind
	who      string // customer name
	why      string // a word of the reminder's reason, to tell two of a kind apart
	due      string // the reminder's due day
	on       string // the day it is worked, when not its due day (after a snooze)
	act      string // done, skip or snooze
	calendar bool   // worked from the calendar's day list rather than Today
	how      string // channel, for done
	outcome  string // outcome for done, reason for skip
}

func (c kindCase) day() rules.Day {
	if c.on != "" {
		return mustDay(c.on)
	}
	return mustDay(c.due)
}

// everyKind is the work of twelve days in a shop that starts empty; each
// kind of PRODUCT.md's reminder rules is in it at least once, done or
// skipped.
var everyKind = []kindCase{
	{name: "points_expiring", kind: rules.KindPointsExpiring, who: "Ann Lee", due: "2026-06-01", act: "skip", outcome: "not appropriate now"},
	{name: "thank_you", kind: rules.KindThankYou, who: "Ann Lee", due: "2026-06-02", act: "done", how: "Card", outcome: "sent"},
	{name: "stay_in_touch", kind: rules.KindStayInTouch, who: "Bob Roy", due: "2026-06-02", act: "done", how: "Phone call", outcome: "happy"},
	{name: "complaint_followup (open)", kind: rules.KindComplaintFollowup, who: "Ann Lee", why: "zip", due: "2026-06-03", act: "done", how: "Phone call", outcome: "will come back"},
	{name: "reward_ready", kind: rules.KindRewardReady, who: "Ann Lee", due: "2026-06-03", act: "done", calendar: true, how: "In person", outcome: "happy"},
	{name: "promise", kind: rules.KindPromise, who: "Ann Lee", due: "2026-06-04", act: "done", how: "Phone call", outcome: "happy"},
	{name: "birthday (snoozed)", kind: rules.KindBirthday, who: "Ann Lee", due: "2026-06-05", act: "snooze"},
	{name: "birthday", kind: rules.KindBirthday, who: "Ann Lee", due: "2026-06-05", on: "2026-06-06", act: "done", how: "Card", outcome: "sent"},
	{name: "complaint_followup (resolved)", kind: rules.KindComplaintFollowup, who: "Ann Lee", why: "resolved", due: "2026-06-07", act: "done", how: "Phone call", outcome: "happy"},
	{name: "check_in (promise kept)", kind: rules.KindCheckIn, who: "Ann Lee", why: "part", due: "2026-06-07", act: "done", calendar: true, how: "Phone call", outcome: "happy"},
	{name: "check_in", kind: rules.KindCheckIn, who: "Ann Lee", why: "coat", due: "2026-06-08", act: "done", how: "Phone call", outcome: "happy"},
	{name: "anniversary", kind: rules.KindAnniversary, who: "Ann Lee", due: "2026-06-08", act: "skip", outcome: "already spoke to them"},
	{name: "occasion", kind: rules.KindOccasion, who: "Ann Lee", due: "2026-06-12", act: "done", how: "Phone call", outcome: "happy"},
}

// TestEveryKindFromTheWindowAlone starts from an empty shop and, with the
// window's own fields, buttons and keys, makes every kind of reminder fall
// due, sees it on its day, works it, and finds it in the customer's history.
// The store is read only to check.
func TestEveryKindFromTheWindowAlone(t *testing.T) {
	covered := map[rules.Kind]bool{}
	for _, c := range everyKind {
		if c.act == "done" || c.act == "skip" {
			covered[c.kind] = true
		}
	}
	for _, k := range rules.Kinds {
		if !covered[k] {
			t.Errorf("%s: no case works it", k)
		}
	}

	ctx := context.Background()
	f := newEmptyShop(t)
	w := f.app.win
	var ann rules.ID
	// The welcome dialog of an empty shop, and its set-up.
	test.Tap(findButton(t, w, "Start empty"))
	completeSetup(t, f, "Harbour Street Bikes")

	produce := map[string]func(t *testing.T){
		"2026-06-01": func(t *testing.T) {
			ann = addCustomer(t, f, "Ann Lee", "07700 900123", "ann@example.com", "1985-06-05", "2025-06-08")
			addCustomer(t, f, "Bob Roy", "0161 496 0000", "", "", "2026-03-04")
			c := checkout(t, f)
			sell(t, c, "07700", "80.00", "coat")
			// Points expire after a month: those earned today are 30 days from going.
			st := openSettings(t, f)
			st.sections.Select(2) // Loyalty scheme
			retype(t, w, st.loyalty["expiry"], "1")
			test.Tap(findButtonUnder(t, st.body, "Save scheme"))
			if l := must(f.store.Loyalty(ctx)); l.ExpiryMonths != 1 {
				t.Fatalf("loyalty scheme %+v", l)
			}
			// A wedding anniversary, added on the calendar's 12 June.
			cal := calendar(t, f)
			test.Tap(cal.cellOf(mustDay("2026-06-12")))
			test.Tap(findButtonUnder(t, cal.obj, "Add occasion"))
			search := w.Canvas().Focused().(*keyEntry)
			test.Type(search, "Ann")
			search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			test.Type(w.Canvas().Focused(), "Wedding anniversary")
			retype(t, w, formField(t, w, "Date"), "2011-06-12")
			saveFormDialog(t, w)
			if occ := must(f.store.Occasions(ctx, ann)); len(occ) != 1 || !occ[0].Yearly || occ[0].LeadDays != 7 {
				t.Fatalf("occasions %+v", occ)
			}
		},
		"2026-06-02": func(t *testing.T) {
			page := openCustomerPage(t, f, "Ann")
			test.Tap(findButtonUnder(t, page.obj, "Complaint"))
			test.Type(w.Canvas().Focused(), "zip broke on the coat")
			saveFormDialog(t, w)
			if ks := must(f.store.Complaints(ctx, ann)); len(ks) != 1 || !ks[0].ReceivedAt.Equal(f.clock.Now()) {
				t.Fatalf("complaints %+v", ks)
			}
		},
		"2026-06-03": func(t *testing.T) {
			// Enough for a reward, and a promise made at the till.
			c := checkout(t, f)
			sell(t, c, "Ann", "30.00", "gloves")
			c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF7})
			test.Type(w.Canvas().Focused(), "call when the part arrives")
			retype(t, w, formField(t, w, "Due"), "2026-06-04")
			saveFormDialog(t, w)
			if ps := must(f.store.Promises(ctx, ann)); len(ps) != 1 || ps[0].Due != mustDay("2026-06-04") {
				t.Fatalf("promises %+v", ps)
			}
		},
		"2026-06-04": func(t *testing.T) {
			// The complaint is put right: resolve it from Ann's timeline.
			page := openCustomerPage(t, f, "Ann")
			i := -1
			for j, e := range page.timeline {
				if e.complaint != nil && e.open {
					i = j
				}
			}
			if i < 0 {
				t.Fatal("no open complaint on Ann's timeline")
			}
			page.tlList.Select(i)
			test.Type(w.Canvas().Focused(), "new zip fitted free")
			saveFormDialog(t, w)
			if ks := must(f.store.Complaints(ctx, ann)); ks[0].ResolvedOn != mustDay("2026-06-04") {
				t.Fatalf("complaint after resolving %+v", ks[0])
			}
		},
	}

	start, end := mustDay("2026-06-01"), mustDay("2026-06-12")
	for day := start; day <= end; day = day.AddDays(1) {
		if day != start {
			f.advance(t, 24*time.Hour)
		}
		if got := f.app.Today(); got != day {
			t.Fatalf("the app is on %s, want %s", got, day)
		}
		if fn := produce[day.String()]; fn != nil {
			t.Run("make "+day.String(), fn)
		}
		for _, c := range everyKind {
			if c.day() == day {
				t.Run(c.name, func(t *testing.T) { seeAndWork(t, f, c) })
			}
		}
	}

	// Afterwards each is in its customer's history, as it was left.
	for _, c := range everyKind {
		t.Run(c.name+" in history", func(t *testing.T) {
			page := openCustomerPage(t, f, c.who)
			want := kindTitle(c.kind) + ": " + map[string]string{"done": "done", "skip": "skipped", "snooze": "done"}[c.act]
			for _, e := range page.timeline {
				if (e.day == mustDay(c.due) || e.day == c.day()) && strings.HasPrefix(e.text, want) && strings.Contains(strings.ToLower(e.text), c.why) {
					return
				}
			}
			var lines []string
			for _, e := range page.timeline {
				lines = append(lines, listDate(e.day)+" "+e.text)
			}
			t.Errorf("%s's history has no %q due %s:\n%s", c.who, want, c.due, strings.Join(lines, "\n"))
		})
	}
}

// seeAndWork finds c on Today (and on the calendar's day list on its due
// day), then works it there as a person would.
func seeAndWork(t *testing.T, f *fixture, c kindCase) {
	t.Helper()
	w := f.app.win
	day := f.app.Today()
	if day == mustDay(c.due) {
		cal := calendar(t, f)
		test.Tap(findButton(t, w, "Today"))
		if cal.chosen != day || find(cal.pane.rows, c) < 0 {
			t.Fatalf("the calendar's %s does not list it:\n%s", day, rowsText(cal.pane.rows))
		}
	}
	test.Tap(f.app.navBtns["today"])
	td := f.app.screens["today"].(*todayScreen)
	if c.kind == rules.KindRewardReady || c.kind == rules.KindPointsExpiring {
		// Said at the till, not worked as a call: it waits in the shut
		// mention group, which Enter on its line opens.
		if find(td.due.rows, c) >= 0 {
			t.Fatalf("a %s is in the day's work, not the shut mention group:\n%s", c.kind, rowsText(td.due.rows))
		}
		openMention(t, td)
	}
	i := find(td.due.rows, c)
	if i < 0 {
		t.Fatalf("not on Today on %s:\n%s", day, rowsText(td.due.rows))
	}
	pane := td.due
	if c.calendar {
		cal := calendar(t, f)
		test.Tap(cal.cellOf(mustDay(c.due)))
		pane = cal.pane
		i = find(pane.rows, c)
	}
	pane.list.Select(i)
	key, customer := pane.selected.Key, pane.selected.CustomerID
	if pane.selected.Kind != c.kind {
		t.Fatalf("picked %s", pane.selected.Kind)
	}

	switch c.act {
	case "done":
		if want := map[bool]string{true: "Kept (D)", false: "Done (D)"}[c.kind == rules.KindPromise]; pane.done.Text != want {
			t.Errorf("the button says %q, want %q", pane.done.Text, want)
		}
		test.Tap(pane.done)
		formField(t, w, "How").(*widget.Select).SetSelected(c.how)
		retype(t, w, formField(t, w, "Outcome"), c.outcome)
		test.Type(formField(t, w, "Note").(*escEntry), "worked from the window")
		saveFormDialog(t, w)
	case "skip":
		test.Tap(findButtonUnder(t, pane.obj, "Skip"))
		test.Type(w.Canvas().Focused(), c.outcome)
		saveFormDialog(t, w)
	case "snooze":
		test.Tap(findButtonUnder(t, pane.obj, "Snooze"))
		test.Tap(findButtonUnder(t, w.Canvas().Overlays().Top(), "1 day"))
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog is still open after %s:\n%s", c.act, dialogText(w))
	}

	// It has left the day's work, and is where a person would look for it.
	test.Tap(f.app.navBtns["today"])
	for _, r := range td.loaded {
		if r.Key == key {
			t.Fatalf("still on Today after %s: %+v", c.act, r)
		}
	}
	switch c.act {
	case "snooze":
		if find(td.upcoming.rows, c) < 0 {
			t.Errorf("a snoozed reminder belongs in Upcoming:\n%s", rowsText(td.upcoming.rows))
		}
	case "done":
		// Done logs the contact that did it, as it was told.
		for _, x := range must(f.store.Contacts(context.Background(), customer)) {
			if x.ReminderKey == key {
				if x.Channel != channelFromLabel(c.how) || x.Outcome != c.outcome || x.Day != day {
					t.Errorf("contact %+v", x)
				}
				return
			}
		}
		t.Errorf("no contact logged for %s", key)
	case "skip":
		for _, r := range must(f.store.CustomerReminders(context.Background(), customer, day)) {
			if r.Key == key {
				if r.State != rules.StateSkipped || r.Reason != c.outcome {
					t.Errorf("after skipping: %s %q", r.State, r.Reason)
				}
				return
			}
		}
		t.Errorf("the skipped reminder %s is gone", key)
	}
}

// openMention opens the mention group of Today's To do list from the
// keyboard: the arrows to its line, then Enter.
func openMention(t *testing.T, td *todayScreen) {
	t.Helper()
	if td.mentionOpen {
		return
	}
	at := -1
	for i, r := range td.due.rows {
		if r.toggle == toggleMention {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no mention group on Today:\n%s", rowsText(td.due.rows))
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	for td.due.list.at() < at {
		td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if td.mentionOpen {
		t.Fatal("passing over the mention group with the arrows opened it")
	}
	td.due.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !td.mentionOpen || td.due.selected == nil || td.due.at != at+1 {
		t.Fatalf("Enter on the mention group: open %v, at row %d:\n%s", td.mentionOpen, td.due.at, rowsText(td.due.rows))
	}
}

// find is the row of c in rows, or -1.
func find(rows []reminderRow, c kindCase) int {
	for i, r := range rows {
		x := r.reminder
		if x != nil && x.Kind == c.kind && x.CustomerName == c.who && x.Due == mustDay(c.due) &&
			strings.Contains(strings.ToLower(x.Why), c.why) {
			return i
		}
	}
	return -1
}

func rowsText(rows []reminderRow) string {
	var b strings.Builder
	for _, r := range rows {
		if r.reminder == nil {
			b.WriteString(r.heading + "\n")
			continue
		}
		x := r.reminder
		b.WriteString("  " + string(x.Kind) + " " + x.CustomerName + " due " + x.Due.String() + " " + string(x.State) + " — " + x.Why + "\n")
	}
	return b.String()
}

// newEmptyShop opens the window on a new, empty shop at 9 o'clock on
// Monday 1 June 2026; the app and the store tell the time by one clock.
func newEmptyShop(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	clock := &fakeClock{now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.Local)}
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "shop.db"), data.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{store: s, clock: clock, notify: &countingNotifier{}}
	f.app = New(ctx, test.NewTempApp(t), s, Options{DBPath: s.Path(), Clock: clock, Notify: f.notify, Synchronous: true})
	f.app.win.Resize(fyne.NewSize(1280, 800))
	return f
}

// formField is the field labelled label in the form on top.
func formField(t *testing.T, w fyne.Window, label string) fyne.CanvasObject {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var got fyne.CanvasObject
	walk(top, func(o fyne.CanvasObject) {
		if f, ok := o.(*widget.Form); ok && got == nil {
			for _, it := range f.Items {
				if it.Text == label {
					got = it.Widget
				}
			}
		}
	})
	if got == nil {
		t.Fatalf("no field %q in the dialog", label)
	}
	return got
}

// retype clicks into a field, selects what is there and types over it.
func retype(t *testing.T, w fyne.Window, o fyne.CanvasObject, text string) {
	t.Helper()
	e, ok := o.(interface {
		fyne.Focusable
		fyne.Shortcutable
	})
	if !ok {
		t.Fatalf("%T is not a text field", o)
	}
	w.Canvas().Focus(e)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Type(e, text)
}

// addCustomer fills in the New customer form of the Customers screen.
func addCustomer(t *testing.T, f *fixture, name, phone, email, birthday, since string) rules.ID {
	t.Helper()
	w := f.app.win
	test.Tap(f.app.navBtns["customers"])
	cs := f.app.screens["customers"].(*customersScreen)
	test.Tap(findButtonUnder(t, cs.obj, "New customer"))
	test.Type(w.Canvas().Focused(), name)
	retype(t, w, formField(t, w, "Phone"), phone)
	retype(t, w, formField(t, w, "Email"), email)
	retype(t, w, formField(t, w, "Birthday"), birthday)
	retype(t, w, formField(t, w, "Customer since"), since)
	saveFormDialog(t, w)
	if cs.page.cust.Name != name {
		t.Fatalf("after saving, the page shows %q", cs.page.cust.Name)
	}
	return cs.page.cust.ID
}

// customerPage finds a customer on the Customers screen and opens their page.
func openCustomerPage(t *testing.T, f *fixture, name string) *customerPage {
	t.Helper()
	test.Tap(f.app.navBtns["customers"])
	cs := f.app.screens["customers"].(*customersScreen)
	retype(t, f.app.win, cs.search, name)
	if len(cs.results) == 0 {
		t.Fatalf("no customer %q", name)
	}
	cs.list.Select(0)
	if cs.page.cust.Name != name && !strings.HasPrefix(cs.page.cust.Name, name) {
		t.Fatalf("the page shows %q", cs.page.cust.Name)
	}
	return cs.page
}

func checkout(t *testing.T, f *fixture) *checkoutScreen {
	t.Helper()
	test.Tap(f.app.navBtns["checkout"])
	if f.app.win.Canvas().Overlays().Top() != nil {
		saveFormDialog(t, f.app.win) // who is on shift: the owner
	}
	return f.app.screens["checkout"].(*checkoutScreen)
}

// sell finds the customer and records a sale from the keyboard.
func sell(t *testing.T, c *checkoutScreen, who, amount, what string) {
	t.Helper()
	test.Type(c.find, who)
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.customer == nil {
		t.Fatalf("%q found nobody", who)
	}
	test.Type(c.amount, amount)
	test.Type(c.desc, what)
	c.desc.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(c.result.Text, "recorded") {
		t.Fatalf("the sale was not recorded: %q %q", c.result.Text, c.amountErr.Text)
	}
}

func calendar(t *testing.T, f *fixture) *calendarScreen {
	t.Helper()
	test.Tap(f.app.navBtns["calendar"])
	return f.app.screens["calendar"].(*calendarScreen)
}
