package screens

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"regulars/data"
	"regulars/rules"
)

// uiLoop stands in for the window's event loop: what background work hands
// back waits in it, and the test, as the UI goroutine, runs it between
// keystrokes, as a window runs it between events.
type uiLoop struct{ queue chan func() }

func newUILoop() *uiLoop { return &uiLoop{queue: make(chan func(), 4096)} }

func (l *uiLoop) post(fn func()) { l.queue <- fn }

// runFor runs what comes back during d.
func (l *uiLoop) runFor(d time.Duration) {
	over := time.After(d)
	for {
		select {
		case fn := <-l.queue:
			fn()
		case <-over:
			return
		}
	}
}

// until runs what comes back until cond holds; the deadline only guards
// against a hang, it asserts no speed.
func (l *uiLoop) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		select {
		case fn := <-l.queue:
			fn()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// typeKeys types text into whatever has the keyboard, a key at a time,
// gap apart, running what comes back in between.
func (l *uiLoop) typeKeys(t *testing.T, w fyne.Window, text string, gap time.Duration) {
	t.Helper()
	for i, r := range text {
		if i > 0 {
			l.runFor(gap)
		}
		f := w.Canvas().Focused()
		if f == nil {
			t.Fatalf("typing %q: nothing has the keyboard", text)
		}
		f.TypedRune(r)
	}
}

// press sends a key to whatever has the keyboard.
func press(t *testing.T, w fyne.Window, key fyne.KeyName) {
	t.Helper()
	f := w.Canvas().Focused()
	if f == nil {
		t.Fatalf("pressing %s: nothing has the keyboard", key)
	}
	f.TypedKey(&fyne.KeyEvent{Name: key})
}

// slowFinder is the store made slow at finding customers, the shorter the
// text the slower, so that the searches for earlier keystrokes come back
// after later ones: as on a large shop, only more so.
type slowFinder struct {
	store    *data.Store
	searches atomic.Int32
}

func (f *slowFinder) FindAtTill(ctx context.Context, text string, d rules.Day, limit int) (data.TillSearch, error) {
	f.searches.Add(1)
	time.Sleep(time.Duration(30+5*max(0, 11-len(rules.PhoneDigits(text)))) * time.Millisecond)
	return f.store.FindAtTill(ctx, text, d, limit)
}

// tillShop is a shop whose neighbours' phones differ only in the last digit,
// with a family sharing a phone, open on Checkout with background work
// running for real and its results run by loop.
type tillShop struct {
	store  *data.Store
	app    *App
	c      *checkoutScreen
	loop   *uiLoop
	finder *slowFinder
	ids    map[string]rules.ID // by phone, or by first name
}

func newTillShop(t *testing.T) *tillShop {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	day := mustDay("2026-06-02")
	s := openStore(t, day)
	sh := &tillShop{store: s, loop: newUILoop(), ids: map[string]rules.ID{}}
	add := func(key string, cu rules.Customer) {
		sh.ids[key] = must(s.AddCustomer(ctx, cu))
	}
	add("ann", rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Email: "ann@example.com"})
	add("annie", rules.Customer{Name: "Annie Hall", Email: "ann@example.com.au"})
	for _, block := range []string{"941", "942"} {
		for d := 0; d <= 9; d++ {
			phone := fmt.Sprintf("07700 %s99%d", block, d)
			add(phone, rules.Customer{Name: fmt.Sprintf("Neighbour %s-%d", block, d), Phone: phone})
		}
	}
	add("cara", rules.Customer{Name: "Cara Twin", Phone: "0161 496 0000"})
	add("cass", rules.Customer{Name: "Cass Twin", Phone: "0161-496-0000"})

	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	sh.app = New(ctx, fa, s, Options{DBPath: s.Path(), Screen: "checkout", Do: sh.loop.post,
		Clock: &fakeClock{now: time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}})
	sh.app.win.Resize(fyne.NewSize(1280, 800))
	sh.loop.runFor(100 * time.Millisecond) // the start: recent sales, the pop-up check
	if sh.app.popups.dlg != nil {
		sh.app.popups.dlg.Hide()
	}
	sh.c = sh.app.screens["checkout"].(*checkoutScreen)
	sh.finder = &slowFinder{store: s}
	sh.c.finder = sh.finder
	if sh.app.win.Canvas().Focused() != sh.c.find {
		t.Fatal("Checkout opens without the keyboard in the find field")
	}
	return sh
}

func (sh *tillShop) sales(t *testing.T) []rules.Purchase {
	t.Helper()
	return must(sh.store.RecentPurchases(context.Background(), 1000))
}

func (sh *tillShop) customers(t *testing.T) int {
	t.Helper()
	return must(sh.store.CountCustomers(context.Background()))
}

// The bug of issue 14: on a large shop the search is slower than the
// typing, and Enter took whatever an earlier keystroke had found (or, with
// nothing found yet, opened New customer for the amount to land in).
func TestCheckoutEnterTakesTheCustomerWhoseNumberWasTyped(t *testing.T) {
	sh := newTillShop(t)
	w, c := sh.app.win, sh.c
	customers := sh.customers(t)
	for i, run := range []struct {
		phone string
		gap   time.Duration // between keys
	}{
		{"07700 941999", 0},
		{"07700 941990", 10 * time.Millisecond},
		{"07700 941995", 40 * time.Millisecond},
		{"07700 942991", 0},
		{"07700 942998", 40 * time.Millisecond},
		{"07700941993", 10 * time.Millisecond},
		{"07700 941991", 25 * time.Millisecond},
		{"07700 942990", 5 * time.Millisecond},
	} {
		before := len(sh.sales(t))
		sh.loop.typeKeys(t, w, run.phone, run.gap)
		press(t, w, fyne.KeyReturn)
		if !c.waitingPick {
			t.Fatalf("%s: Enter came after the search for the whole number; the test shows nothing", run.phone)
		}
		sh.loop.typeKeys(t, w, "19.99", run.gap)
		press(t, w, fyne.KeyReturn)
		sh.loop.until(t, fmt.Sprintf("the sale to %s", run.phone), func() bool {
			return len(sh.sales(t)) > before && !c.recording && c.find.Text == "" // on disk, and the till ready again
		})

		sale := sh.sales(t)[0]
		want := sh.ids[strings.ReplaceAll(run.phone, "07700941", "07700 941")]
		if sale.CustomerID != want || sale.Amount != 1999 {
			got := must(sh.store.Customer(context.Background(), sale.CustomerID))
			t.Errorf("run %d: %s typed, the sale of %s went to %s (%s)", i, run.phone, sale.Amount, got.Name, got.Phone)
		}
		if n := len(sh.sales(t)); n != before+1 {
			t.Errorf("run %d: %d sales recorded", i, n-before)
		}
		if top := w.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("run %d: a dialog is open: %s", i, dialogText(w))
		}
		if c.find.Text != "" || w.Canvas().Focused() != c.find {
			t.Errorf("run %d: after the sale the find field holds %q, focused %v", i, c.find.Text, w.Canvas().Focused() == c.find)
		}
	}
	if n := sh.customers(t); n != customers {
		t.Errorf("%d customers were added", n-customers)
	}
	if n := sh.finder.searches.Load(); n < 8*11 {
		t.Errorf("only %d searches: the field did not search as it was typed", n)
	}
}

func TestCheckoutEnterWithNoMatchCreatesNobody(t *testing.T) {
	sh := newTillShop(t)
	w, c := sh.app.win, sh.c
	customers := sh.customers(t)
	for _, wait := range []bool{false, true} {
		c.reset()
		// Enter before the search is back, and after it is shown; then the
		// amount and Enter, as a cashier not looking up would.
		sh.loop.typeKeys(t, w, "07700 941899", 5*time.Millisecond)
		if wait {
			sh.loop.until(t, "the search", func() bool { return c.found.Text == "07700 941899" })
		}
		press(t, w, fyne.KeyReturn)
		sh.loop.until(t, "the answer", func() bool { return !c.waitingPick })
		if want := "No customer matches 07700 941899 — F6 adds one"; c.findHint.Text != want || !c.findHint.Visible() {
			t.Errorf("under the field: %q, want %q", c.findHint.Text, want)
		}
		sh.loop.typeKeys(t, w, "19.99", 5*time.Millisecond)
		press(t, w, fyne.KeyReturn)
		sh.loop.until(t, "the answer", func() bool { return !c.waitingPick })
		sh.loop.runFor(50 * time.Millisecond)

		if top := w.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("a dialog opened: %s", dialogText(w))
		}
		if !strings.HasPrefix(c.findHint.Text, "No customer matches 07700 941899") {
			t.Errorf("under the field: %q", c.findHint.Text)
		}
		if w.Canvas().Focused() != c.find || !strings.HasPrefix(c.find.Text, "07700 941899") {
			t.Errorf("the cashier should be in the field with the number: %q", c.find.Text)
		}
		if c.customer != nil {
			t.Errorf("%s was picked", c.customer.Name)
		}
	}
	if n := sh.customers(t); n != customers {
		t.Errorf("%d customers were added", n-customers)
	}
	if n := len(sh.sales(t)); n != 0 {
		t.Errorf("%d sales recorded", n)
	}
	// F6 is the way to add them, with the number typed.
	c.find.SetText("07700 941899")
	press(t, w, fyne.KeyF6)
	if !hasEntryWithText(w, "07700 941899") {
		t.Error("F6 should open New customer with the number typed")
	}
}

func TestCheckoutSeveralMatchesWaitForAChoice(t *testing.T) {
	sh := newTillShop(t)
	w, c := sh.app.win, sh.c
	for _, typed := range []string{"07700 94199", "0161 496 0000"} {
		c.reset()
		sh.loop.typeKeys(t, w, typed, 0)
		press(t, w, fyne.KeyReturn)
		sh.loop.until(t, "the search", func() bool { return !c.waitingPick })
		if c.customer != nil {
			t.Fatalf("%s: Enter took %s of several", typed, c.customer.Name)
		}
		if w.Canvas().Focused() != c.find || !strings.Contains(c.findHint.Text, "↑/↓ to choose one, then Enter") {
			t.Fatalf("%s: the field should keep the keyboard and say how to choose: %q", typed, c.findHint.Text)
		}
		if len(c.found.Matches) < 2 {
			t.Fatalf("%s: %d matches", typed, len(c.found.Matches))
		}
		// A second Enter still takes nobody.
		press(t, w, fyne.KeyReturn)
		if c.customer != nil {
			t.Fatalf("%s: a second Enter took %s", typed, c.customer.Name)
		}
		press(t, w, fyne.KeyDown)
		press(t, w, fyne.KeyDown)
		want := c.found.Matches[1]
		row := c.matchText(1)
		if !strings.HasPrefix(row, "▶ "+want.Name) || !strings.Contains(row, want.Phone) || !strings.Contains(row, "no visit yet") {
			t.Errorf("%s: the highlighted row reads %q", typed, row)
		}
		if c.findHint.Text != "Enter takes "+want.Name {
			t.Errorf("%s: under the field %q", typed, c.findHint.Text)
		}
		press(t, w, fyne.KeyReturn)
		if c.customer == nil || c.customer.ID != want.ID {
			t.Fatalf("%s: ↓ ↓ Enter should take %s, took %v", typed, want.Name, c.customer)
		}
		if w.Canvas().Focused() != c.amount {
			t.Errorf("%s: the amount should have the keyboard", typed)
		}
	}
}

func TestCheckoutExactEmailOrNumberWinsOverPrefixes(t *testing.T) {
	sh := newTillShop(t)
	w, c := sh.app.win, sh.c
	ann := sh.ids["ann"]
	for _, typed := range []string{
		"ann@example.com",  // Annie's ann@example.com.au starts with it
		"ANN@Example.COM",  // any case
		fmt.Sprint(ann),    // her number; names and phones hold the digit too
		"07700 900123",     // her phone
		"+07700-900-123  ", // written another way
	} {
		c.reset()
		sh.loop.typeKeys(t, w, typed, 0)
		sh.loop.until(t, "the search", func() bool { return c.found.Text == strings.TrimSpace(typed) })
		if len(c.found.Matches) < 2 && typed != "07700 900123" && typed != "+07700-900-123  " {
			t.Errorf("%q: only %v match, so the exact one has nothing to win over", typed, c.found.Matches)
		}
		press(t, w, fyne.KeyReturn)
		if c.customer == nil || c.customer.ID != ann {
			t.Errorf("%q: Enter took %v, want Ann", typed, c.customer)
		}
	}
}
