package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"regulars/data"
	"regulars/rules"
)

// The screens' tests set and type many PINs: they are hashed at bcrypt's
// lowest cost here (data tests check the real one).
func init() { data.QuickPINHashesForTests() }

// resetFormat puts the shown money sign and date format back after a test
// that set a shop up: they are the window's, shared by every test.
func resetFormat(t *testing.T) {
	t.Cleanup(func() {
		setCurrency("")
		setLocale("")
	})
}

// enter presses Enter in a text field, as the keyboard would.
func enter(e fyne.Focusable) {
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// wizardOf is the set-up on show; it fails the test when there is none.
func wizardOf(t *testing.T, a *App) *setupWizard {
	t.Helper()
	if a.setup == nil {
		t.Fatal("the set-up is not on show")
	}
	return a.setup
}

// completeSetup answers the set-up of an empty shop from the keyboard: a
// British shop with the owner PIN and the suggested loyalty scheme.
func completeSetup(t *testing.T, f *fixture, name string) {
	t.Helper()
	resetFormat(t)
	w := wizardOf(t, f.app)
	test.Type(w.name, name)
	enter(w.name)
	gb := 0
	for i, c := range rules.Countries {
		if c.Code == "GB" {
			gb = i
		}
	}
	w.countries.Select(gb)
	enter(w.countries)
	test.Type(w.pin, ownerPIN)
	enter(w.pin)
	test.Type(w.again, ownerPIN)
	enter(w.again)
	enter(w.expiry) // the suggested scheme
	enter(w.staff)
	enter(w.folder)
	if f.app.setup != nil {
		t.Fatalf("the set-up did not finish at step %d: %s", w.at+1, w.problem.Text)
	}
}

func TestSetupAsksEachStepAndChecksEveryField(t *testing.T) {
	ctx := context.Background()
	f := newEmptyShop(t)
	resetFormat(t)
	a := f.app
	if !strings.Contains(dialogText(a.win), "This shop has no customers yet") {
		t.Fatalf("no welcome on an empty shop:\n%s", dialogText(a.win))
	}
	test.Tap(findButton(t, a.win, "Start empty"))
	w := wizardOf(t, a)
	if a.win.Content() != w.obj {
		t.Fatal("the set-up does not have the window")
	}
	step := func(want int) {
		t.Helper()
		if w.at != want {
			t.Fatalf("on step %d, want %d (%s)", w.at+1, want+1, w.heading.Text)
		}
	}
	says := func(l *widget.Label, want string) {
		t.Helper()
		if !l.Visible() || !strings.Contains(l.Text, want) {
			t.Errorf("under the field: %q (shown %v), want %q", l.Text, l.Visible(), want)
		}
	}

	// 1. The shop's name: required.
	if a.win.Canvas().Focused() != w.name {
		t.Error("the name field does not have the keyboard")
	}
	enter(w.name)
	step(0)
	says(w.nameErr, "The shop's name is needed")
	test.Type(w.name, "Harbour Street Bikes")
	if w.nameErr.Visible() {
		t.Error("the sentence stays after typing")
	}
	enter(w.name)
	step(1)

	// 2. The country, with a preview of dates and amounts.
	if a.win.Canvas().Focused() != w.countries {
		t.Error("the country list does not have the keyboard")
	}
	for i, c := range rules.Countries {
		if c.Code == "DE" {
			w.countries.Select(i)
		}
	}
	if !strings.Contains(w.preview.Text, "€1.234,50") || !strings.Contains(w.preview.Text, "01.06.2026") {
		t.Errorf("German preview %q", w.preview.Text)
	}
	for i, c := range rules.Countries {
		if c.Code == "GB" {
			w.countries.Select(i)
		}
	}
	if w.preview.Text != "Dates like 01/06/2026, amounts like £1,234.50" {
		t.Errorf("British preview %q", w.preview.Text)
	}
	enter(w.countries)
	step(2)

	// 3. The owner PIN: 6 to 12 digits, the same twice.
	for _, c := range []struct{ pin, again, want string }{
		{"", "", "The owner PIN is needed"},
		{"2468", "2468", "6 to 12 digits"},
		{"24681a", "24681a", "digits only"},
		{"246810", "246811", "The two PINs differ"},
	} {
		retype(t, a.win, w.pin, c.pin)
		retype(t, a.win, w.again, c.again)
		enter(w.again)
		step(2)
		says(w.pinErr, c.want)
	}
	retype(t, a.win, w.pin, ownerPIN)
	enter(w.pin)
	if a.win.Canvas().Focused() != w.again {
		t.Error("Enter in the PIN does not go on to typing it again")
	}
	retype(t, a.win, w.again, ownerPIN)
	enter(w.again)
	step(3)

	// 4. The loyalty scheme: the suggested one, said in words.
	if w.loyaltySay.Text != "A customer who spends £100.00 earns 100 points: one reward of £5.00 off. Points never expire." {
		t.Errorf("the scheme in words: %q", w.loyaltySay.Text)
	}
	retype(t, a.win, w.points, "lots")
	enter(w.expiry)
	step(3)
	says(w.loyaltyErr, "Points for a reward must be a whole number")
	retype(t, a.win, w.points, "200")
	retype(t, a.win, w.expiry, "12")
	if !strings.Contains(w.loyaltySay.Text, "spends £200.00 earns 200 points") || !strings.Contains(w.loyaltySay.Text, "expire 12 months") {
		t.Errorf("the changed scheme in words: %q", w.loyaltySay.Text)
	}
	enter(w.expiry)
	step(4)

	// Back keeps what was typed.
	test.Tap(w.back)
	step(3)
	if w.points.Text != "200" {
		t.Errorf("back lost the points: %q", w.points.Text)
	}
	test.Tap(w.next)
	step(4)

	// 5. Staff: names separated by commas, each once.
	test.Type(w.staff, "Sam, Priya, sam")
	enter(w.staff)
	step(4)
	says(w.staffErr, `The name "sam" is given twice`)
	retype(t, a.win, w.staff, "Sam, Priya")
	enter(w.staff)
	step(5)

	// 6. A second backup folder: optional, but a real folder off the shop's.
	if w.next.Text != "Finish" {
		t.Errorf("the last step's button says %q", w.next.Text)
	}
	test.Type(w.folder, "stick")
	enter(w.folder)
	says(w.folderErr, "must be a full path")
	retype(t, a.win, w.folder, filepath.Dir(f.store.Path()))
	enter(w.folder)
	says(w.folderErr, "somewhere else than the database")
	stick := t.TempDir()
	retype(t, a.win, w.folder, stick)
	enter(w.folder)

	// Saved: the window is the shop's, on Customers.
	if a.setup != nil || a.win.Content() == w.obj {
		t.Fatalf("the set-up did not finish: %s", w.problem.Text)
	}
	if a.Current() != "customers" {
		t.Errorf("after the set-up the window shows %q", a.Current())
	}
	if done, err := f.store.IsSetUp(ctx); err != nil || !done {
		t.Errorf("the shop is not marked as set up: %v", err)
	}
	shop := must(f.store.Shop(ctx))
	if shop.Name != "Harbour Street Bikes" || shop.Currency != "£" || shop.Locale != "en-GB" {
		t.Errorf("shop details %+v", shop)
	}
	if c, ok := must2(f.store.Country(ctx)); !ok || c.Code != "GB" {
		t.Errorf("country %+v", c)
	}
	if err := f.store.CheckOwnerPIN(ctx, ownerPIN, time.Now()); err != nil {
		t.Errorf("the owner PIN: %v", err)
	}
	if l := must(f.store.Loyalty(ctx)); l.CentsPerPoint != 100 || l.RewardPoints != 200 || l.RewardValue != 500 || l.ExpiryMonths != 12 {
		t.Errorf("loyalty %+v", l)
	}
	if staff := strings.Join(must(f.store.StaffNames(ctx)), ","); !strings.Contains(staff, "Priya") || !strings.Contains(staff, "Sam") {
		t.Errorf("staff %s", staff)
	}
	if dir := must(f.store.SecondBackupDir(ctx)); dir != stick {
		t.Errorf("second backup folder %q", dir)
	}
	if money(12345) != "£123.45" {
		t.Errorf("amounts are not shown the shop's way: %s", money(12345))
	}
	if !strings.Contains(a.status.Text, "Harbour Street Bikes is set up") {
		t.Errorf("status %q", a.status.Text)
	}
	// Messages sign with the shop's name.
	if name := must(f.store.ShopName(ctx)); name != "Harbour Street Bikes" {
		t.Errorf("messages sign as %q", name)
	}
}

func must2[T any](v T, ok bool, err error) (T, bool) {
	if err != nil {
		panic(err)
	}
	return v, ok
}

func TestNothingElseCanBeReachedDuringTheSetup(t *testing.T) {
	f := newEmptyShop(t)
	a := f.app
	test.Tap(findButton(t, a.win, "Start empty"))
	w := wizardOf(t, a)
	before := a.Current()
	a.show("settings")
	a.windowShortcut(&desktop.CustomShortcut{KeyName: fyne.Key7, Modifier: fyne.KeyModifierShortcutDefault})
	a.windowKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	if a.Current() != before || a.win.Content() != w.obj || a.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("something behind the set-up was reached: %s, overlay %v", a.Current(), a.win.Canvas().Overlays().Top())
	}
	if set, _ := f.store.HasOwnerPIN(context.Background()); set {
		t.Error("a PIN was set behind the set-up")
	}
	// Back from the first step: the welcome again, the demo still offered.
	test.Tap(w.back)
	if a.setup != nil || !strings.Contains(dialogText(a.win), "Welcome") && !strings.Contains(dialogText(a.win), "no customers yet") {
		t.Fatalf("back from the first step:\n%s", dialogText(a.win))
	}
	findButton(t, a.win, "Open a demo shop (separate file)")
}

func TestSetupIsNotOfferedAgain(t *testing.T) {
	f := newEmptyShop(t)
	test.Tap(findButton(t, f.app.win, "Start empty"))
	completeSetup(t, f, "Harbour Street Bikes")
	// The same file in a new window on another PC: no preferences, but the
	// shop itself says it is set up.
	s := f.store
	a := New(context.Background(), test.NewTempApp(t), s, Options{DBPath: s.Path(), Clock: f.clock, Notify: f.notify, Synchronous: true})
	if a.setup != nil || strings.Contains(dialogText(a.win), "Welcome") {
		t.Errorf("the welcome came back:\n%s", dialogText(a.win))
	}
}

func TestPreferencesAreKeptPerFile(t *testing.T) {
	fa := test.NewTempApp(t)
	all := fa.Preferences()
	// An earlier version kept these for the whole PC.
	all.SetString("staff", "Sam")
	all.SetBool("shift.chosen", true)
	all.SetFloat("window.width", 1100)

	dir := t.TempDir()
	shop := shopPreferences(all, filepath.Join(dir, "regulars.db"))
	if shop.String("staff") != "Sam" || !shop.Bool("shift.chosen") {
		t.Error("the first file opened did not take over the PC-wide preferences")
	}
	if all.String("staff") != "" || all.Bool("shift.chosen") {
		t.Error("the PC-wide preferences were left for every other file")
	}
	shop.SetString("screen", "checkout")
	shop.SetStringList("popped.2026-06-01", []string{"thank_you/1"})
	shop.SetBool(firstRunPref, true)

	demo := shopPreferences(all, filepath.Join(dir, "regulars-demo.db"))
	for k, v := range map[string]any{
		"staff": demo.String("staff"), "shift.chosen": demo.Bool("shift.chosen"), "screen": demo.String("screen"),
		"popped": len(demo.StringList("popped.2026-06-01")), firstRunPref: demo.Bool(firstRunPref),
	} {
		if v != "" && v != false && v != 0 {
			t.Errorf("the demo sees the shop's %s: %v", k, v)
		}
	}
	// The window's size and look are the PC's.
	if demo.Float("window.width") != 1100 || shop.Float("window.width") != 1100 {
		t.Error("the window's size is not shared")
	}
	// The same file by another path is the same file.
	again := shopPreferences(all, filepath.Join(dir, "x", "..", "regulars.db"))
	if again.String("screen") != "checkout" || !again.Bool(firstRunPref) {
		t.Error("the same file reached by another path lost its preferences")
	}
	if shopKey(filepath.Join(dir, "regulars.db")) == shopKey(filepath.Join(dir, "regulars-demo.db")) {
		t.Error("two files share a key")
	}
}

func TestTheWindowRemembersPerFile(t *testing.T) {
	ctx := context.Background()
	fa := test.NewTempApp(t)
	dir := t.TempDir()
	open := func(name string) *App {
		s := must(data.Open(ctx, filepath.Join(dir, name), data.Options{Today: mustDay("2026-06-01")}))
		t.Cleanup(func() { s.Close() })
		if n := must(s.CountCustomers(ctx)); n == 0 {
			must(s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"}))
		}
		return New(ctx, fa, s, Options{DBPath: s.Path(), Clock: &fakeClock{now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.Local)},
			Notify: &countingNotifier{}, Synchronous: true})
	}
	open("one.db").show("loyalty")
	if two := open("two.db"); two.Current() != "today" {
		t.Errorf("a second file opens on the first file's last screen %q", two.Current())
	}
	if again := open("one.db"); again.Current() != "loyalty" {
		t.Errorf("the first file opens again on %q, not its last screen", again.Current())
	}
}

func TestGuardedActionsNeverRunWithoutAPIN(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ran := false
	// A shop that cannot take a PIN (read-only while checked) runs nothing guarded.
	f.store.HoldWrites(nil)
	f.app.requireOwner("export reports", func() { ran = true })
	if ran {
		t.Fatal("a guarded action ran on a shop without a PIN")
	}
	if !strings.Contains(dialogText(f.app.win), "No owner PIN is set yet") {
		t.Errorf("no sentence:\n%s", dialogText(f.app.win))
	}
	f.app.win.Canvas().Overlays().Top().Hide()
	if err := f.store.AllowWrites(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A writable one asks for the PIN first, 6 digits at least.
	f.app.requireOwner("export reports", func() { ran = true })
	if !strings.Contains(dialogText(f.app.win), "Set the owner PIN to export reports") {
		t.Fatalf("no PIN to set first:\n%s", dialogText(f.app.win))
	}
	formField(t, f.app.win, "New PIN (6–12 digits)")
	test.Type(focusedPIN(t, f.app.win), "2468")
	f.app.win.Canvas().FocusNext()
	test.Type(focusedPIN(t, f.app.win), "2468")
	saveFormDialog(t, f.app.win)
	if ran {
		t.Fatal("a 4-digit PIN let the action run")
	}
	if set, _ := f.store.HasOwnerPIN(context.Background()); set {
		t.Fatal("a 4-digit PIN was set")
	}
}

func TestAnOldShortPINStillOpensAndAsksForALongerOne(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	// Set by an earlier version, which took 4 digits.
	hash := must(bcrypt.GenerateFromPassword([]byte("2468"), bcrypt.MinCost))
	if err := f.store.SetSetting(ctx, "owner_pin", string(hash)); err != nil {
		t.Fatal(err)
	}
	ran := false
	f.app.requireOwner("export reports", func() { ran = true })
	enterPIN(t, f.app.win, "2468")
	if !ran {
		t.Fatal("the old 4-digit PIN no longer opens")
	}
	if !strings.Contains(f.app.status.Text, "fewer than 6 digits") {
		t.Errorf("the owner is not asked for a longer PIN: %q", f.app.status.Text)
	}
}

// closingShop opens a small shop whose store and window tell the time by
// one clock, so backups made a minute apart get names a minute apart.
func closingShop(t *testing.T, do func(func())) (*App, *data.Store, *fakeClock) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	clock := &fakeClock{now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.Local)}
	s := must(data.Open(ctx, filepath.Join(t.TempDir(), "regulars.db"), data.Options{Clock: clock.Now}))
	t.Cleanup(func() { s.Close() })
	must(s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"}))
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Clock: clock, Notify: &countingNotifier{}, Synchronous: do == nil, Do: do})
	a.win.Resize(fyne.NewSize(1024, 700))
	if a.popups.dlg != nil {
		a.popups.dlg.Hide()
	}
	return a, s, clock
}

func TestClosingBacksUpAndKeepsTheMorningsBackup(t *testing.T) {
	ctx := context.Background()
	a, s, clock := closingShop(t, nil)
	// The morning's backup, made when the app first started.
	morning := must(s.AutoBackup(ctx))
	// The pop-ups' timer fires when the clock moves on; its look at the
	// day runs on the timer's goroutine (the test driver's fyne.Do does
	// not hand it to this one), so wait for it to be over before closing.
	waitFor(t, "the pop-ups' timer", func() bool { return clock.pending() == 1 })
	clock.Advance(9 * time.Hour)
	waitFor(t, "the pop-ups' next timer", func() bool { return clock.pending() == 1 })
	must(s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy"}))
	a.closeWindow()
	if !a.closeDone {
		t.Fatal("the window did not close after its backup")
	}
	bs := data.Backups(s.Path(), data.DefaultBackupDir(s.Path()))
	var names []string
	for _, b := range bs {
		names = append(names, filepath.Base(b.Path))
	}
	want := []string{"regulars-2026-06-01-180000.db", filepath.Base(morning.Path)}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("backups %v, want %v (the morning's kept, named with date and time)", names, want)
	}
	if filepath.Base(morning.Path) != "regulars-2026-06-01-090000.db" {
		t.Errorf("the morning's backup is named %s", filepath.Base(morning.Path))
	}
	// The evening's holds what was added during the day.
	evening := must(data.Open(ctx, bs[0].Path, data.Options{ReadOnly: true}))
	defer evening.Close()
	if n := must(evening.CountCustomers(ctx)); n != 2 {
		t.Errorf("the backup at close holds %d customers", n)
	}
}

func TestClosingSaysItIsBackingUpUntilItIsDone(t *testing.T) {
	loop := newUILoop()
	a, s, _ := closingShop(t, loop.post)
	a.closeWindow()
	if !strings.Contains(dialogText(a.win), "Backing up before closing") || !strings.Contains(dialogText(a.win), "closes by itself") {
		t.Fatalf("closing says nothing:\n%s", dialogText(a.win))
	}
	findButton(t, a.win, "Close without this backup")
	a.closeWindow() // a second click waits for the same backup
	loop.until(t, "the backup at close", func() bool { return a.closeDone })
	if n := len(data.Backups(s.Path(), data.DefaultBackupDir(s.Path()))); n != 1 {
		t.Errorf("%d backups after one close", n)
	}
	if top := a.win.Canvas().Overlays().Top(); top != nil && top.Visible() {
		t.Error("the backing-up dialog stayed")
	}
}

func TestClosingWithoutTheBackupStopsIt(t *testing.T) {
	loop := newUILoop()
	a, s, _ := closingShop(t, loop.post)
	a.closeWindow()
	test.Tap(findButton(t, a.win, "Close without this backup"))
	loop.until(t, "the close", func() bool { return a.closeDone })
	// The backup either finished before the tap or was stopped; no half file stays.
	parts, _ := filepath.Glob(filepath.Join(data.DefaultBackupDir(s.Path()), "*.part"))
	if len(parts) != 0 {
		t.Errorf("half-written backups left: %v", parts)
	}
}

func TestTheDemoIsASeparateFileWithAWayBack(t *testing.T) {
	ctx := context.Background()
	demoCustomers = 60
	t.Cleanup(func() { demoCustomers = 2000 })
	f := newEmptyShop(t)
	a := f.app
	shop := f.store
	a.fa.Preferences().SetString("screen", "customers")
	test.Tap(findButton(t, a.win, "Open a demo shop (separate file)"))
	if !a.isDemo() || a.store.Path() != DemoPath(shop.Path()) {
		t.Fatalf("the window is on %s", a.store.Path())
	}
	if got := labelText(a.win.Content()); !strings.Contains(got, "This is the demo shop (a separate file, regulars-demo.db)") {
		t.Errorf("no banner:\n%s", got)
	}
	// Its history ends on the day shown.
	if end := must(a.store.Setting(ctx, "demo_end")); end != a.Today().String() {
		t.Errorf("the demo ends on %s, the window shows %s", end, a.Today())
	}
	if n := must(a.store.CountCustomers(ctx)); n == 0 {
		t.Error("the demo has no customers")
	}
	if n := must(shop.CountCustomers(ctx)); n != 0 {
		t.Errorf("the shop's own file got %d customers", n)
	}
	if a.fa.Preferences().String("screen") == "customers" {
		t.Error("the demo sees the shop's preferences")
	}
	test.Tap(findButton(t, a.win, "Back to my shop"))
	if a.isDemo() || a.store != shop {
		t.Fatalf("back on %s", a.store.Path())
	}
	if strings.Contains(labelText(a.win.Content()), "This is the demo shop") {
		t.Error("the banner stayed")
	}
	// The shop was never set up: the welcome again, so the PIN gets set.
	test.Tap(findButton(t, a.win, "Start empty"))
	wizardOf(t, a)
	if _, err := shop.CountCustomers(ctx); err != nil {
		t.Errorf("the shop's store was closed behind the demo: %v", err)
	}
	if _, err := os.Stat(DemoPath(shop.Path())); err != nil {
		t.Errorf("the demo file: %v", err)
	}
}

// An empty shop left before its set-up opens for writing at once, so the
// welcome comes at once; the day's check in the background does not ask
// again.
func TestTheWelcomeComesWhileTheDaysCheckRuns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	s := must(data.Open(ctx, path, data.Options{Today: mustDay("2026-06-01")}))
	s.Close()
	a := startApp(t, path)
	if err := a.store.Writable(); err != nil {
		t.Fatalf("an existing file whose first page is sound opened read-only: %v", err)
	}
	if !strings.Contains(dialogText(a.win), "This shop has no customers yet") {
		t.Fatalf("no welcome at the start:\n%s", dialogText(a.win))
	}
	a.checkAtStart()
	if n := strings.Count(dialogText(a.win), "This shop has no customers yet"); n != 1 {
		t.Fatalf("the welcome shows %d times after the check", n)
	}
	test.Tap(findButton(t, a.win, "Start empty"))
	wizardOf(t, a)
}

func TestTheCountryCanBeChangedInSettings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	resetFormat(t)
	s := unlockSettings(t, f.app)
	if s.country.Selected != "" {
		t.Errorf("a shop without a country shows %q", s.country.Selected)
	}
	s.country.SetSelected("Germany")
	if s.currency.Text != "€" || s.locale.Selected != localeLabel("de-DE") {
		t.Errorf("Germany suggests %q and %q", s.currency.Text, s.locale.Selected)
	}
	test.Tap(findButtonUnder(t, s.body, "Save shop details"))
	if c, ok := must2(f.store.Country(ctx)); !ok || c.Code != "DE" {
		t.Errorf("country saved as %+v", c)
	}
	if d := must(f.store.Shop(ctx)); d.Currency != "€" || d.Locale != "de-DE" {
		t.Errorf("shop details %+v", d)
	}
}
