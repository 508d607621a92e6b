package screens

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"regulars/data"
	"regulars/rules"
)

// queueShop is a shop whose Today on 2 June 2026 holds something of every
// group: an open complaint (Bob's), two thank-yous due today (Ann's and
// Dee's), a reward ready since yesterday (Dee's), and two customers
// drifting away (Cy, Eve). The share of drifting customers is one a day.
func queueShop(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "shop.db"), data.Options{Today: mustDay("2026-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{store: s, notify: &countingNotifier{}}
	add := func(name, phone, since string) rules.ID {
		id, err := s.AddCustomer(ctx, rules.Customer{Name: name, Phone: phone, CustomerSince: mustDay(since)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.ann = add("Ann Lee", "07700 900123", "2026-06-01")
	f.bob = add("Bob Roy", "0161 496 0000", "2026-06-01")
	dee := add("Dee Fox", "07700 900456", "2026-06-01")
	add("Cy Old", "07700 900789", "2026-01-01")
	add("Eve Gone", "07700 900111", "2026-01-02")
	for _, sale := range []data.Sale{{CustomerID: f.ann, Amount: 8000, Description: "coat"}, {CustomerID: dee, Amount: 10000, Description: "boots"}} {
		if _, err := s.RecordSale(ctx, sale); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: f.bob, What: "zip broke",
		ReceivedAt: time.Date(2026, 6, 1, 16, 0, 0, 0, time.Local), Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDriftingShare(ctx, 1); err != nil {
		t.Fatal(err)
	}
	s.SetToday(mustDay("2026-06-02"))
	f.clock = &fakeClock{now: time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	f.app = New(ctx, fa, s, Options{DBPath: s.Path(), Clock: f.clock, Notify: f.notify, Synchronous: true})
	f.app.win.Resize(fyne.NewSize(1280, 800))
	return f
}

// The keyboard as the window's driver hands it on: to the focused widget,
// else to the window; shortcuts to a focused widget that takes them, else
// to the window's own.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	c.OnTypedKey()(ev)
}

func pressRune(c fyne.Canvas, r rune) {
	if f := c.Focused(); f != nil {
		f.TypedRune(r)
		return
	}
	c.OnTypedRune()(r)
}

func pressShortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// tabButtons are the buttons of Today's tabs, in order.
func tabButtons(td *todayScreen) []fyne.Tappable {
	var out []fyne.Tappable
	walk(td.tabs, func(o fyne.CanvasObject) {
		if b, ok := o.(fyne.Tappable); ok && fmt.Sprintf("%T", o) == "*container.tabButton" {
			out = append(out, b)
		}
	})
	return out
}

func TestTodayQueueCountsAgreeEverywhere(t *testing.T) {
	f := queueShop(t)
	td := f.app.screens["today"].(*todayScreen)
	if got := rowKeysShort(td.due.rows); got != "# Obligations (1)|complaint_followup Bob Roy|# Due today (2)|thank_you Ann Lee|thank_you Dee Fox|"+
		"# Drifting away (1)|stay_in_touch Cy Old|# ▸ Show all (1 more)|# ▸ Mention when they come in (1)" {
		t.Fatalf("To do rows: %s", got)
	}
	counts := func() (header, tab, nav, popup string) {
		h := td.heading.Text
		return h[strings.LastIndex(h, "— ")+len("— "):], td.tabs.Items[0].Text, f.app.navBtns["today"].Text, f.notify.sent[len(f.notify.sent)-1]
	}
	header, tab, nav, popup := counts()
	if header != "0 of 4 done" || tab != "To do (4)" || nav != "Today (4)" || !strings.HasPrefix(popup, "Regulars: 4 to do for your customers: ") {
		t.Errorf("header %q, tab %q, navigation %q, pop-up %q: all should count the 4 of groups 1–4", header, tab, nav, popup)
	}
	if want := "Obligations: 1\nDue today: 2\nDrifting away: 1\nAnd to mention when they come in: 1"; f.app.popups.Last() != want {
		t.Errorf("pop-up summary:\n%s\nwant\n%s", f.app.popups.Last(), want)
	}
	// Done with Cy: the day's share of one is used; Eve waits behind show all.
	f.dismissPopup()
	i := -1
	for j, r := range td.due.rows {
		if r.reminder != nil && r.reminder.CustomerName == "Cy Old" {
			i = j
		}
	}
	td.due.pick(i)
	td.due.list.TypedRune('d')
	saveFormDialog(t, f.app.win)
	header, tab, nav, _ = counts()
	if header != "1 of 4 done" || tab != "To do (3)" || nav != "Today (3)" {
		t.Errorf("after one done: header %q, tab %q, navigation %q", header, tab, nav)
	}
	if got := rowKeysShort(td.due.rows); !strings.Contains(got, "# Drifting away: the day's share is done|# ▸ Show all (1 more)") {
		t.Errorf("after the day's share: %s", got)
	}
	// A check later counts the same queue.
	f.clock.Advance(0)
	f.app.popups.refreshCount()
	f.app.popups.check()
	if _, _, nav, _ := counts(); nav != "Today (3)" {
		t.Errorf("the pop-up check counts %q", nav)
	}
}

// rowKeysShort lists rows as "kind name", headings as "# text", joined by |.
func rowKeysShort(rows []reminderRow) string {
	var out []string
	for _, r := range rows {
		if r.reminder == nil {
			out = append(out, "# "+r.heading)
			continue
		}
		out = append(out, string(r.reminder.Kind)+" "+r.reminder.CustomerName)
	}
	return strings.Join(out, "|")
}

// TestTodayKeyboardStaysOnTheListAfterEachAction: the list has the keyboard
// on arrival and after every action, and after Done, Skip or Snooze the row
// highlighted is the row the keyboard is on: the one that came next.
func TestTodayKeyboardStaysOnTheListAfterEachAction(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	w := f.app.win
	c := w.Canvas()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	if c.Focused() != td.due.list {
		t.Fatalf("on arrival the keyboard is on %T", c.Focused())
	}
	onList := func(after string) {
		t.Helper()
		if c.Focused() != td.due.list {
			t.Errorf("after %s the keyboard is on %T", after, c.Focused())
		}
		if r := td.due.selected; r == nil || td.due.rows[td.due.at].reminder != r || td.due.list.at() != td.due.at {
			t.Errorf("after %s: selected %v at row %d, keyboard at row %d", after, r, td.due.at, td.due.list.at())
		}
	}
	// nextKey is the key of the reminder after the selected one.
	nextKey := func() string {
		for _, r := range td.due.rows[td.due.at+1:] {
			if r.reminder != nil {
				return r.reminder.Key
			}
		}
		return ""
	}
	onList("arriving")
	if td.due.selected.Kind != rules.KindComplaintFollowup {
		t.Fatalf("the first row is %s", td.due.selected.Kind)
	}

	// Copy and Print: the keyboard stays.
	pressRune(c, 'c')
	onList("copy")
	pressRune(c, 'p')
	if c.Overlays().Top() == nil {
		t.Fatal("P did not ask where to save the card")
	}
	test.Tap(findButtonUnder(t, c.Overlays().Top(), "Cancel"))
	if c.Overlays().Top() != nil {
		t.Fatal("the print dialog stayed open")
	}
	onList("closing the print dialog")

	// Done by its button: the next row, the keyboard on it.
	next := nextKey()
	test.Tap(td.due.done)
	saveFormDialog(t, w)
	onList("Done")
	if td.due.selected.Key != next {
		t.Errorf("after Done %s is selected, want the next row %s", td.due.selected.Key, next)
	}

	// Snooze from the keyboard: the same.
	next = nextKey()
	pressRune(c, 's')
	test.Tap(findButtonUnder(t, c.Overlays().Top(), "1 day"))
	onList("Snooze")
	if td.due.selected.Key != next {
		t.Errorf("after Snooze %s is selected, want the next row %s", td.due.selected.Key, next)
	}

	// Skip with Enter in its field.
	next = nextKey()
	pressRune(c, 'k')
	test.Type(c.Focused(), "spoke at the till")
	pressKey(c, fyne.KeyReturn)
	onList("Skip")
	if td.due.selected.Key != next {
		t.Errorf("after Skip %s is selected, want the next row %s", td.due.selected.Key, next)
	}

	// Cancelling a dialog gives the keyboard back as well.
	pressRune(c, 'd')
	pressKey(c, fyne.KeyEscape)
	onList("a cancelled Done")

	// Down moves on to "show all", Enter opens it: Eve, the rest of the
	// drifting customers, stands where it was, picked; Enter on her opens Done.
	if got := rowKeysShort(td.due.rows); got != "# Drifting away (1)|stay_in_touch Cy Old|# ▸ Show all (1 more)|# ▸ Mention when they come in (1)" {
		t.Fatalf("rows left: %s", got)
	}
	pressKey(c, fyne.KeyDown)
	if td.due.list.at() != 2 || td.due.selected != nil || td.driftAll {
		t.Errorf("Down to show all: keyboard at %d, selected %v, opened %v", td.due.list.at(), td.due.selected, td.driftAll)
	}
	pressKey(c, fyne.KeyReturn)
	onList("show all")
	if td.due.selected.CustomerName != "Eve Gone" || td.due.at != 2 {
		t.Errorf("show all picked %s at row %d", td.due.selected.CustomerName, td.due.at)
	}
	pressKey(c, fyne.KeyReturn)
	if !strings.Contains(dialogText(w), "Done: stay in touch for Eve Gone") {
		t.Errorf("Enter opened %q", dialogText(w))
	}
	pressKey(c, fyne.KeyEscape)
	onList("a cancelled Done on Eve")
}

// TestTodayKeysWorkAfterClickingATab: a click on a tab hands the keyboard
// to that tab's list; keys typed while nothing has the keyboard go to the
// list on show.
func TestTodayKeysWorkAfterClickingATab(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	c := f.app.win.Canvas()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	tabs := tabButtons(td)
	if len(tabs) != 3 {
		t.Fatalf("%d tab buttons", len(tabs))
	}
	// Something to see in Done today.
	pressRune(c, 'k')
	test.Type(c.Focused(), "spoke at the till")
	pressKey(c, fyne.KeyReturn)

	test.Tap(tabs[2])
	if td.tabs.SelectedIndex() != 2 || c.Focused() != td.doneList.list {
		t.Fatalf("after clicking Done today: tab %d, keyboard on %T", td.tabs.SelectedIndex(), c.Focused())
	}
	pressKey(c, fyne.KeyDown)
	if td.doneList.selected == nil || td.doneList.selected.State != rules.StateSkipped {
		t.Errorf("Down in Done today selected %v", td.doneList.selected)
	}

	test.Tap(tabs[0])
	if c.Focused() != td.due.list {
		t.Fatalf("after clicking To do the keyboard is on %T", c.Focused())
	}
	was := td.due.selected
	pressKey(c, fyne.KeyDown)
	if td.due.selected == was || td.due.list.at() != td.due.at {
		t.Errorf("Down after the click: selected %v at %d, keyboard at %d", td.due.selected, td.due.at, td.due.list.at())
	}
	// A click on the heading leaves the keyboard nowhere: the keys still
	// reach the list.
	for _, key := range []struct {
		r     rune
		title string
	}{{'d', "Done:"}, {'s', "Snooze"}, {'k', "Skip"}} {
		c.Unfocus()
		pressRune(c, key.r)
		if !strings.Contains(dialogText(f.app.win), key.title) {
			t.Errorf("%c with nothing focused opened %q", key.r, dialogText(f.app.win))
		}
		dismissTop(c)
		if c.Focused() != td.due.list {
			t.Errorf("after %c the keyboard is on %T", key.r, c.Focused())
		}
	}
	c.Unfocus()
	at := td.due.at
	pressKey(c, fyne.KeyDown)
	if td.due.at == at {
		t.Error("Down with nothing focused did not move")
	}
}

// TestWindowKeysWorkFromTheTodayList: with the keyboard on Today's list,
// F1 opens the help, F2 the checkout, and Ctrl+1–7 each screen.
func TestWindowKeysWorkFromTheTodayList(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	c := f.app.win.Canvas()
	toToday := func() *todayScreen {
		t.Helper()
		f.app.show("today")
		td := f.app.screens["today"].(*todayScreen)
		if c.Focused() != td.due.list {
			t.Fatalf("Today's list does not have the keyboard: %T", c.Focused())
		}
		return td
	}
	toToday()
	pressKey(c, fyne.KeyF1)
	if !strings.Contains(dialogText(f.app.win), "The Today screen") {
		t.Fatalf("F1 opened %q", dialogText(f.app.win))
	}
	pressKey(c, fyne.KeyEscape)
	toToday()
	pressKey(c, fyne.KeyF2)
	if f.app.Current() != "checkout" {
		t.Errorf("F2 from Today's list went to %q", f.app.Current())
	}
	for i, p := range pages {
		toToday()
		pressShortcut(c, &desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierShortcutDefault})
		if f.app.Current() != p.id {
			t.Errorf("Ctrl+%d from Today's list went to %q, want %q", i+1, f.app.Current(), p.id)
		}
		dismissTop(c) // the owner's PIN, on Settings
	}
}

// TestPrintedCallsFollowTheQueue: the call sheet lists the day's work in
// the queue's order, without the rewards to mention.
func TestPrintedCallsFollowTheQueue(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	ctx := context.Background()
	q := must(f.store.TodayQueue(ctx, f.app.Today()))
	_, n, err := f.app.callsPDF(ctx, f.app.Today())
	if err != nil || n != q.Open() || n != 4 {
		t.Errorf("call sheet of %d rows (%v), queue %d", n, err, q.Open())
	}
	if w := q.Work(); w[0].Kind != rules.KindComplaintFollowup || w[len(w)-1].Kind != rules.KindStayInTouch {
		t.Errorf("the queue's work runs %s … %s", w[0].Kind, w[len(w)-1].Kind)
	}
}

// The help says what PRODUCT.md says of the Today screen.
func TestHelpExplainsTheTodayQueue(t *testing.T) {
	text := todayHelp()
	for _, want := range []string{"Obligations: open complaints (by their 24-hour clock", "then promises due or late",
		"Due today: thank-you, check-in, birthday, anniversary and occasion reminders due today",
		"Still in their window: the same kinds due earlier and not yet missed, oldest first",
		"Drifting away (stay in touch): a day's share", "highest spend over the last year first",
		"Mention when they come in (rewards ready, points expiring): one shut group with its count",
		"the navigation, the pop-ups and the tray count the same queue (groups 1–4 as shown)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the help does not say %q", want)
		}
	}
}

// TestDriftingShareIsSetWithTheRules: the day's share of drifting
// customers is a number beside the reminder rules, saved with them.
func TestDriftingShareIsSetWithTheRules(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	s := unlockSettings(t, f.app)
	if s.share.Text != "1" {
		t.Fatalf("share shown %q, stored 1", s.share.Text)
	}
	s.sections.Select(3) // Reminder rules
	s.share.SetText("x")
	test.Tap(findButtonUnder(t, s.body, "Save rules"))
	if n := must(f.store.DriftingShare(context.Background())); n != 1 || f.app.win.Canvas().Overlays().Top() == nil {
		t.Fatalf("a share of x: stored %d, no error shown", n)
	}
	dismissTop(f.app.win.Canvas())
	s.share.SetText("2")
	test.Tap(findButtonUnder(t, s.body, "Save rules"))
	if n := must(f.store.DriftingShare(context.Background())); n != 2 {
		t.Fatalf("stored share %d, want 2", n)
	}
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	if got := rowKeysShort(td.due.rows); !strings.Contains(got, "# Drifting away (2)|stay_in_touch Cy Old|stay_in_touch Eve Gone|# ▸ Mention") {
		t.Errorf("with a share of 2: %s", got)
	}
	if f.app.navBtns["today"].Text != "Today (5)" {
		t.Errorf("navigation %q", f.app.navBtns["today"].Text)
	}
	// Back to the defaults puts the share back to 10 as well.
	f.app.show("settings")
	enterPIN(t, f.app.win, "123456")
	test.Tap(findButtonUnder(t, s.body, "Back to the defaults"))
	if s.share.Text != "10" {
		t.Errorf("the defaults' share %q", s.share.Text)
	}
}

// TestSnoozingADriftingCustomerBringsTheNextIntoTheShare: a snooze is not
// work done, so the day's share takes the next customer, who is picked
// where the snoozed one stood.
func TestSnoozingADriftingCustomerBringsTheNextIntoTheShare(t *testing.T) {
	f := queueShop(t)
	f.dismissPopup()
	c := f.app.win.Canvas()
	td := f.app.screens["today"].(*todayScreen)
	at := -1
	for i, r := range td.due.rows {
		if r.reminder != nil && r.reminder.CustomerName == "Cy Old" {
			at = i
		}
	}
	td.due.pick(at)
	pressRune(c, 's')
	test.Tap(findButtonUnder(t, c.Overlays().Top(), "1 week"))
	if r := td.due.selected; r == nil || r.CustomerName != "Eve Gone" || td.due.at != at || td.due.list.at() != at || c.Focused() != td.due.list {
		t.Fatalf("after snoozing Cy: selected %v at row %d (keyboard %d), want Eve at %d", r, td.due.at, td.due.list.at(), at)
	}
	if got := rowKeysShort(td.due.rows); !strings.HasSuffix(got, "# Drifting away (1)|stay_in_touch Eve Gone|# ▸ Mention when they come in (1)") {
		t.Errorf("rows: %s", got)
	}
	if !strings.HasSuffix(td.heading.Text, "0 of 4 done") || f.app.navBtns["today"].Text != "Today (4)" {
		t.Errorf("heading %q, navigation %q", td.heading.Text, f.app.navBtns["today"].Text)
	}
}
