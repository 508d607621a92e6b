package screens

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	f.waiters = append(f.waiters, fakeWaiter{f.now.Add(d), ch})
	return ch
}

// pending is how many timers are waiting.
func (f *fakeClock) pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// Advance moves the time on and fires the timers that are due.
func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	var keep []fakeWaiter
	for _, w := range f.waiters {
		if !w.at.After(f.now) {
			w.ch <- f.now
		} else {
			keep = append(keep, w)
		}
	}
	f.waiters = keep
	f.mu.Unlock()
}

type countingNotifier struct {
	mu   sync.Mutex
	sent []string
}

func (n *countingNotifier) Notify(title, body string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, title+": "+body)
}

func (n *countingNotifier) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.sent)
}

// waitFor polls cond; the deadline only guards against a hang, it asserts no speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type fixture struct {
	store  *data.Store
	app    *App
	clock  *fakeClock
	notify *countingNotifier
	ann    rules.ID
	bob    rules.ID
}

// newFixture builds a small shop: Ann bought 80.00 on 1 June (thank-you due
// 2 June), Bob bought 12.00 on 3 June; the app opens on 2 June 2026.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "shop.db"), data.Options{Today: mustDay("2026-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{store: s, notify: &countingNotifier{}}
	f.ann, err = s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Email: "ann@example.com", CustomerSince: mustDay("2026-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	f.bob, _ = s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "0161 496 0000", CustomerSince: mustDay("2026-06-01")})
	if _, err := s.RecordSale(ctx, data.Sale{CustomerID: f.ann, Amount: 8000, Description: "coat", Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	s.SetToday(mustDay("2026-06-02"))
	f.clock = &fakeClock{now: time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true) // the shift's cashier is already picked
	f.app = New(ctx, fa, s, Options{DBPath: s.Path(), Date: 0, Clock: f.clock, Notify: f.notify, Synchronous: true})
	f.app.win.Resize(fyne.NewSize(1280, 800))
	return f
}

// dismissPopup closes the start-up pop-up, as a person would before working.
func (f *fixture) dismissPopup() {
	if f.app.popups.dlg != nil {
		f.app.popups.dlg.Hide()
	}
}

func mustDay(s string) rules.Day {
	d, err := rules.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPopupAtStartAndOnlyForNewReminders(t *testing.T) {
	f := newFixture(t)
	p := f.app.popups
	if p.Shown() != 1 {
		t.Fatalf("pop-ups at start = %d, want 1", p.Shown())
	}
	if got := p.Last(); got != "Due today: 1" {
		t.Errorf("pop-up text = %q", got)
	}
	if f.notify.count() != 1 {
		t.Errorf("notifications = %d, want 1", f.notify.count())
	}
	// 15 minutes later nothing new is due: no second pop-up.
	waitFor(t, "the timer", func() bool { return f.clock.pending() == 1 })
	f.clock.Advance(15 * time.Minute)
	waitFor(t, "the next timer", func() bool { return f.clock.pending() == 1 })
	if p.Shown() != 1 {
		t.Fatalf("the same reminder popped twice: %d pop-ups", p.Shown())
	}
	// A sale yesterday makes a new thank-you due today: the next tick pops it alone.
	f.store.SetToday(mustDay("2026-06-01"))
	if _, err := f.store.RecordSale(context.Background(), data.Sale{CustomerID: f.bob, Amount: 1200}); err != nil {
		t.Fatal(err)
	}
	f.store.SetToday(mustDay("2026-06-02"))
	f.clock.Advance(15 * time.Minute)
	waitFor(t, "a second pop-up", func() bool { return p.Shown() == 2 })
	if got := p.Last(); got != "Due today: 2\n1 of them new since the last look" {
		t.Errorf("second pop-up should count the queue and say one is new, got %q", got)
	}
}

func TestUntilNextCheckStopsAtMidnight(t *testing.T) {
	cases := []struct {
		at   string
		want time.Duration
	}{
		{"09:00", 15 * time.Minute},
		{"23:50", 10 * time.Minute},
		{"23:59", time.Minute},
		{"00:00", 15 * time.Minute},
	}
	for _, c := range cases {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", "2026-06-02 "+c.at, time.Local)
		if got := untilNextCheck(tm); got != c.want {
			t.Errorf("at %s: next check in %v, want %v", c.at, got, c.want)
		}
	}
}

func TestSearchFindsCustomerByPhoneFragment(t *testing.T) {
	f := newFixture(t)
	f.app.show("customers")
	s := f.app.screens["customers"].(*customersScreen)
	test.Type(s.search, "496 00")
	if len(s.results) != 1 || s.results[0].Name != "Bob Roy" {
		t.Fatalf("results = %+v", s.results)
	}
	s.list.Select(0)
	if s.page.cust.Name != "Bob Roy" {
		t.Errorf("customer page shows %q", s.page.cust.Name)
	}
}

func TestCheckoutByKeyboardRecordsSaleAndShowsBalance(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("checkout")
	c := f.app.screens["checkout"].(*checkoutScreen)
	f.app.win.Canvas().Focus(c.find)
	test.Type(c.find, "07700")
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.customer == nil || c.customer.ID != f.ann {
		t.Fatalf("Enter did not pick Ann: %+v", c.customer)
	}
	if f.app.win.Canvas().Focused() != c.amount {
		t.Error("focus should move to the amount")
	}
	test.Type(c.amount, "25.40")
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	bal, _ := f.store.Balance(context.Background(), f.ann)
	if bal != 80+25 {
		t.Fatalf("balance = %d, want 105", bal)
	}
	if want := "25 points earned, balance 105"; !strings.Contains(c.result.Text, want) {
		t.Errorf("result %q should say %q", c.result.Text, want)
	}
}

func TestCheckoutBadAmountShowsErrorAndRecordsNothing(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("checkout")
	c := f.app.screens["checkout"].(*checkoutScreen)
	before, _ := f.store.RecentPurchases(context.Background(), 100)
	for _, bad := range []string{"12..5", "-3", "abc"} {
		test.Type(c.find, "07700")
		c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		c.amount.SetText("")
		test.Type(c.amount, bad)
		c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if c.amountErr.Text == "" {
			t.Errorf("%q: no inline error", bad)
		}
		c.find.SetText("")
	}
	after, _ := f.store.RecentPurchases(context.Background(), 100)
	if len(after) != len(before) {
		t.Errorf("bad amounts recorded %d sales", len(after)-len(before))
	}
}

func TestDoneOnTodayRowLogsContactAndRemovesRow(t *testing.T) {
	f := newFixture(t)
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	if len(td.loaded) != 1 || td.loaded[0].Kind != rules.KindThankYou {
		t.Fatalf("Today = %+v", td.loaded)
	}
	td.due.selectFirst()
	td.due.list.TypedRune('d')
	// The Done form is on top: press its Save button.
	saveFormDialog(t, f.app.win)
	if len(td.loaded) != 0 {
		t.Errorf("row still on Today: %+v", td.loaded)
	}
	cs, _ := f.store.Contacts(context.Background(), f.ann)
	if len(cs) != 1 || cs[0].ReminderKey == "" {
		t.Errorf("contacts = %+v", cs)
	}
}

func TestSnoozeMovesReminderToUpcoming(t *testing.T) {
	f := newFixture(t)
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	td.due.selectFirst()
	key := td.due.selected.Key
	if err := f.store.SnoozeReminder(context.Background(), key, mustDay("2026-06-03"), "Sam"); err != nil {
		t.Fatal(err)
	}
	f.app.changed()
	if len(td.loaded) != 0 {
		t.Fatalf("snoozed reminder still on Today")
	}
	found := false
	for _, r := range td.upcoming.rows {
		if r.reminder != nil && r.reminder.Key == key {
			found = true
		}
	}
	if !found {
		t.Error("snoozed reminder not in Upcoming")
	}
}

// saveFormDialog taps the confirm button of the form dialog on top.
func saveFormDialog(t *testing.T, w fyne.Window) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var btn *widget.Button
	walk(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Importance == widget.HighImportance {
			btn = b
		}
	})
	if btn == nil {
		t.Fatal("no confirm button in the dialog")
	}
	test.Tap(btn)
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	// The screens' own text fields are seen as the entries they are made of.
	switch x := o.(type) {
	case *escEntry:
		fn(&x.Entry)
	case *escSelectEntry:
		fn(&x.SelectEntry)
		fn(&x.Entry)
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		for _, c := range r.Objects() {
			walk(c, fn)
		}
	}
}

func TestWindowShortcutsWorkFromTextFields(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("checkout")
	c := f.app.screens["checkout"].(*checkoutScreen)
	c.find.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key2, Modifier: fyne.KeyModifierShortcutDefault})
	if f.app.Current() != "customers" {
		t.Fatalf("Ctrl+2 in the checkout field went to %q", f.app.Current())
	}
	s := f.app.screens["customers"].(*customersScreen)
	s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	if f.app.Current() != "checkout" {
		t.Fatalf("F2 in the search field went to %q", f.app.Current())
	}
	// Ordinary editing keys still reach the field.
	test.Type(c.find, "Ann")
	c.find.TypedShortcut(&fyne.ShortcutSelectAll{})
	if c.find.SelectedText() != "Ann" {
		t.Errorf("select all in the field selected %q", c.find.SelectedText())
	}
}

func TestEnterSubmitsADialogWithTheFirstFieldFocused(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	td.due.selectFirst()
	td.due.list.TypedRune('k')
	focused := f.app.win.Canvas().Focused()
	if focused == nil {
		t.Fatal("the Skip dialog opened with nothing focused")
	}
	test.Type(focused, "spoke to her yesterday")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(td.loaded) != 0 {
		t.Fatalf("Enter did not skip the reminder: %+v", td.loaded)
	}
}

func TestCheckoutAsksBeforeALargeAmount(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("checkout")
	c := f.app.screens["checkout"].(*checkoutScreen)
	test.Type(c.find, "07700")
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(c.amount, "99999999")
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if bal, _ := f.store.Balance(context.Background(), f.ann); bal != 80 {
		t.Fatalf("a huge amount was recorded at once: balance %d", bal)
	}
	if !strings.Contains(c.amountErr.Text, "large amount") {
		t.Errorf("no warning: %q", c.amountErr.Text)
	}
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if bal, _ := f.store.Balance(context.Background(), f.ann); bal != 80+99999999 {
		t.Errorf("Enter again should record it: balance %d", bal)
	}
}

func TestANewDayReloadsTheScreens(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	td := f.app.screens["today"].(*todayScreen)
	if !strings.Contains(td.heading.Text, "2 June") {
		t.Fatalf("heading %q", td.heading.Text)
	}
	// Left on overnight: at midnight the screens move to the new day
	// without anyone touching them.
	waitFor(t, "the timer", func() bool { return f.clock.pending() == 1 })
	f.store.SetToday(mustDay("2026-06-03"))
	f.clock.Advance(15 * time.Hour)
	waitFor(t, "the midnight check", func() bool { return f.clock.pending() == 1 })
	if !strings.Contains(td.heading.Text, "3 June") {
		t.Errorf("after midnight the heading still reads %q", td.heading.Text)
	}
}

func TestEscapeClosesTheDialogOnTop(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	c := f.app.win.Canvas()
	overlays := func() int { return len(c.Overlays().List()) }

	// The Done form, its first field focused: Escape cancels, nothing logged.
	td.due.selectFirst()
	td.due.list.TypedRune('d')
	if overlays() != 1 || c.Focused() == nil {
		t.Fatalf("Done form: %d overlays, focus %T", overlays(), c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays() != 0 {
		t.Fatal("Escape in the Done form's field left it open")
	}
	if cs, err := f.store.Contacts(context.Background(), f.ann); err != nil || len(cs) != 0 {
		t.Errorf("a cancelled Done logged %+v", cs)
	}
	if len(td.loaded) != 1 {
		t.Errorf("the row went: %+v", td.loaded)
	}

	// The Snooze choices, nothing focused: the window takes Escape.
	td.due.selectFirst()
	td.due.list.TypedRune('s')
	if overlays() != 1 {
		t.Fatalf("no snooze dialog: %d overlays", overlays())
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays() != 0 {
		t.Fatal("Escape left the snooze dialog open")
	}
	if len(td.loaded) != 1 {
		t.Errorf("a cancelled snooze moved the row: %+v", td.loaded)
	}
	// With no dialog, Escape does nothing.
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.app.Current() != "today" {
		t.Errorf("Escape left Today for %q", f.app.Current())
	}
}
