package screens

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
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

const ownerPIN = "246810"

// findButton finds a button by its text in the window's dialogs, newest
// first, then in the window itself.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	look := func(o fyne.CanvasObject) {
		walk(o, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && found == nil && b.Text == text && b.Visible() {
				found = b
			}
		})
	}
	ovs := w.Canvas().Overlays().List()
	for i := len(ovs) - 1; i >= 0 && found == nil; i-- {
		look(ovs[i])
	}
	if found == nil {
		look(w.Content())
	}
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

// dialogText is all the label text in the dialogs on top.
func dialogText(w fyne.Window) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		b.WriteString(labelText(o))
	}
	return b.String()
}

// enterPIN types into the PIN dialog that requireOwner focused and confirms.
func enterPIN(t *testing.T, w fyne.Window, pin string) {
	t.Helper()
	e, ok := focusedEntry(w)
	if !ok || !e.Password {
		t.Fatalf("no PIN entry has the focus (%T)", w.Canvas().Focused())
	}
	test.Type(e, pin)
	saveFormDialog(t, w)
}

// closedShopFile writes a small shop to a file beside its backups folder
// and closes it.
func closedShopFile(t *testing.T, customers int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	s, err := data.Open(ctx, path, data.Options{Today: mustDay("2026-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("name,phone,notes\n")
	for i := 0; i < customers; i++ {
		fmt.Fprintf(&b, "Customer %d,07700 9%05d,%s\n", i, i, strings.Repeat("likes blue scarves and green hats ", 6))
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(b.String()), data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, data.Sale{CustomerID: 1, Amount: 4200}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

// startApp opens the window on path as Run does, without showing it.
func startApp(t *testing.T, path string) *App {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	opt := Options{DBPath: path, Clock: &fakeClock{now: time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)},
		Notify: &countingNotifier{}, Synchronous: true, Date: mustDay("2026-06-02")}
	s, err := openForWindow(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	a := New(ctx, fa, s, opt)
	t.Cleanup(func() { a.store.Close() })
	return a
}

func TestStartupCheckOpensForWritingThenBacksUp(t *testing.T) {
	path := closedShopFile(t, 20)
	a := startApp(t, path)
	if err := a.store.Writable(); err != nil {
		t.Fatalf("a shop whose first page is sound should open for writing at once: %v", err)
	}
	a.checkAtStart()
	if err := a.store.Writable(); err != nil {
		t.Fatalf("after the check passed: %v", err)
	}
	if due, err := a.store.DailyCheckDue(context.Background(), rules.DayOf(a.clock.Now())); due || err != nil {
		t.Errorf("the day's check passed but is still due (%v)", err)
	}
	bs := data.Backups(path, data.DefaultBackupDir(path))
	if len(bs) != 1 {
		t.Fatalf("%d backups after the first start of the day", len(bs))
	}
	if !strings.Contains(a.status.Text, "this PC only") {
		t.Errorf("status %q should warn that backups stay on this PC", a.status.Text)
	}
	// A second start the same day makes no second backup.
	a.afterCheck()
	if n := len(data.Backups(path, data.DefaultBackupDir(path))); n != 1 {
		t.Errorf("%d backups after a second start", n)
	}
	// Closing the window backs up again.
	a.backupOnExit()
	if st, _ := os.Stat(data.DefaultBackupDir(path)); st.Mode().Perm() != 0o700 {
		t.Errorf("backups folder mode %v", st.Mode().Perm())
	}
}

func TestFailedStartupCheckStaysReadOnlyAndOffersRestore(t *testing.T) {
	path := closedShopFile(t, 20)
	ctx := context.Background()
	// Yesterday's good backup, then the file goes wrong behind the app's back.
	s, _ := data.Open(ctx, path, data.Options{})
	backup, err := s.Backup(ctx, data.DefaultBackupDir(path)+string(os.PathSeparator))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "After The Backup"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	tamperLedger(t, path)

	a := startApp(t, path)
	a.checkAtStart()
	before, _ := os.ReadFile(path)
	if _, err := a.store.AddCustomer(ctx, rules.Customer{Name: "Zed"}); !errors.Is(err, data.ErrReadOnly) {
		t.Fatalf("a write after a failed check: %v", err)
	}
	if !strings.Contains(a.status.Text, "Read-only") {
		t.Errorf("status %q", a.status.Text)
	}
	text := dialogText(a.win)
	for _, want := range []string{"did not pass its start-up check", "read-only", filepath.Base(backup)} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, text)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the file that failed its check was written to")
	}
	test.Tap(findButton(t, a.win, "Restore this backup…"))
	saveFormDialog(t, a.win) // "Restore this backup?" Yes
	if err := a.store.Writable(); err != nil {
		t.Fatalf("the restored shop is not writable: %v", err)
	}
	if n, _ := a.store.CountCustomers(ctx); n != 20 {
		t.Errorf("restored shop has %d customers, want the backup's 20", n)
	}
	if problems, err := a.store.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("restored shop: %v %v", problems, err)
	}
	asides, _ := filepath.Glob(path + ".before-restore-*")
	if len(asides) == 0 {
		t.Fatal("the failed file was not kept aside")
	}
	// Opened for writing at once, the file had the day's work in its WAL,
	// which the restore moved into it before setting it aside.
	if err := data.StartupCheck(ctx, asides[0]); !errors.Is(err, data.ErrDamaged) || !strings.Contains(err.Error(), "customer 2") {
		t.Errorf("the file kept aside is not the one that failed: %v", err)
	}
}

// tamperLedger breaks a ledger invariant with SQL written around the
// store, as another program might: a redeem of points customer 2 never had.
func tamperLedger(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (2, '2026-06-01 10:00:00', '2026-06-01', 'redeem', -300, 'Owner', '')"); err != nil {
		t.Fatal(err)
	}
}

// A page damaged deep inside is not read when the window opens, which
// opens for writing at once; the day's check finds it, and from then on
// nothing is written.
func TestDamagedFileIsNotWrittenOnceTheDaysCheckFindsIt(t *testing.T) {
	path := closedShopFile(t, 300)
	b, _ := os.ReadFile(path)
	mid := (len(b) / 4096 / 2) * 4096
	copy(b[mid:mid+4096], bytes.Repeat([]byte{0xA5}, 4096))
	os.WriteFile(path, b, 0o600)
	a := startApp(t, path)
	a.checkAtStart()
	if err := a.store.Writable(); !errors.Is(err, data.ErrReadOnly) {
		t.Fatalf("writes go on after the check found damage: %v", err)
	}
	if !strings.Contains(dialogText(a.win), "There is no good backup") {
		t.Errorf("no plain word that there is no backup:\n%s", dialogText(a.win))
	}
	files := func() []byte {
		f, _ := os.ReadFile(path)
		w, _ := os.ReadFile(path + "-wal")
		return append(f, w...)
	}
	before := files()
	if _, err := a.store.AddCustomer(context.Background(), rules.Customer{Name: "Zed"}); !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("a write after the check found damage: %v", err)
	}
	if after := files(); !bytes.Equal(after, before) {
		t.Error("the damaged file changed after the check found the damage")
	}
}

func TestRescueWindowRestoresAFileThatCannotBeOpened(t *testing.T) {
	ctx := context.Background()
	path := closedShopFile(t, 12)
	s, _ := data.Open(ctx, path, data.Options{})
	if _, err := s.Backup(ctx, data.DefaultBackupDir(path)+string(os.PathSeparator)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	photo := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01 a photo copied over the shop")
	os.WriteFile(path, photo, 0o600)
	opt := Options{DBPath: path, Synchronous: true}
	_, cause := openForWindow(ctx, opt)
	if !errors.Is(cause, data.ErrNotDatabase) {
		t.Fatalf("open: %v", cause)
	}
	b, err := data.NewestGoodBackup(ctx, path, data.DefaultBackupDir(path))
	if err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	var got *data.Store
	w := newRescue(ctx, fa, opt, cause, b, func(s *data.Store) { got = s })
	if !strings.Contains(labelText(w.Content()), "not a Regulars database") {
		t.Errorf("the rescue window does not say what is wrong:\n%s", labelText(w.Content()))
	}
	test.Tap(findButton(t, w, "Restore this backup"))
	if got == nil {
		t.Fatal("the restored shop was not opened")
	}
	defer got.Close()
	if n, _ := got.CountCustomers(ctx); n != 12 {
		t.Errorf("restored shop has %d customers", n)
	}
	asides, _ := filepath.Glob(path + ".before-restore-*")
	if len(asides) != 1 {
		t.Fatalf("kept aside: %v", asides)
	}
	if kept, _ := os.ReadFile(asides[0]); !bytes.Equal(kept, photo) {
		t.Error("the unreadable file was not kept")
	}
}

func TestSettingsAskForThePINEachTime(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(context.Background(), ownerPIN)
	f.app.show("settings")
	st := f.app.screens["settings"].(*settingsScreen)
	if st.body.Visible() {
		t.Fatal("settings open without the PIN")
	}
	enterPIN(t, f.app.win, "1111")
	if st.body.Visible() {
		t.Fatal("a wrong PIN opened settings")
	}
	f.app.show("settings")
	enterPIN(t, f.app.win, ownerPIN)
	if !st.body.Visible() {
		t.Fatal("the right PIN did not open settings")
	}
	f.app.show("today")
	f.app.show("settings")
	if st.body.Visible() || st.unlocked {
		t.Error("settings stayed open after leaving them")
	}
}

func openSettings(t *testing.T, f *fixture) *settingsScreen {
	t.Helper()
	f.app.show("settings")
	enterPIN(t, f.app.win, ownerPIN)
	st := f.app.screens["settings"].(*settingsScreen)
	if !st.body.Visible() {
		t.Fatal("settings did not open")
	}
	return st
}

func TestSettingsRestoreListsBackupsAndNeedsPIN(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(ctx, ownerPIN)
	dir := data.DefaultBackupDir(f.store.Path())
	older := filepath.Join(dir, "shop-2026-05-30-180000.db")
	if _, err := f.store.Backup(ctx, older); err != nil {
		t.Fatal(err)
	}
	f.store.AddCustomer(ctx, rules.Customer{Name: "Cara Diaz"})
	newer := filepath.Join(dir, "shop-2026-06-01-180000.db")
	if _, err := f.store.Backup(ctx, newer); err != nil {
		t.Fatal(err)
	}
	f.store.AddCustomer(ctx, rules.Customer{Name: "Dan Eve"})
	st := openSettings(t, f)
	b := st.safety.backups
	if len(b.files) != 2 || b.files[0].Path != newer || b.files[1].Path != older {
		t.Fatalf("backups listed %+v", b.files)
	}
	if line := b.line(b.files[0]); !strings.Contains(line, "Mon 1 Jun 2026 18:00") || !strings.Contains(line, "KB") || !strings.Contains(line, "this PC") {
		t.Errorf("list line %q", line)
	}
	if !b.warning.Visible() || !strings.Contains(b.warning.Text, "this PC only") {
		t.Errorf("warning %q", b.warning.Text)
	}
	b.list.Select(1)
	test.Tap(b.restore)
	enterPIN(t, f.app.win, "0000")
	if n, _ := f.store.CountCustomers(ctx); n != 4 {
		t.Fatal("a wrong PIN restored a backup")
	}
	b.list.Select(1)
	test.Tap(b.restore)
	enterPIN(t, f.app.win, ownerPIN)
	saveFormDialog(t, f.app.win) // Yes, restore
	if f.app.store == f.store {
		t.Fatal("the window did not move to the restored file")
	}
	if n, _ := f.app.store.CountCustomers(ctx); n != 2 {
		t.Errorf("restored shop has %d customers, want the older backup's 2", n)
	}
	if !strings.Contains(f.app.status.Text, "Restored shop-2026-05-30-180000.db") {
		t.Errorf("status %q", f.app.status.Text)
	}
	log, _ := f.app.store.AuditLog(ctx, 1)
	if len(log) != 1 || log[0].Action != "restore from backup" {
		t.Errorf("audit %+v", log)
	}
	f.app.store.Close()
}

func TestSettingsRestoreRefusesABadFile(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	photo := filepath.Join(t.TempDir(), "photo.db")
	os.WriteFile(photo, []byte("\xff\xd8\xff\xe0 not a shop"), 0o600)
	f.app.restoreFrom(photo)
	if !strings.Contains(dialogText(f.app.win), "not a Regulars database") {
		t.Errorf("no plain refusal:\n%s", dialogText(f.app.win))
	}
	if n, _ := f.store.CountCustomers(ctx); n != 2 || f.app.store != f.store {
		t.Error("a bad file was restored")
	}
}

func TestSecondBackupFolderFromSettings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(ctx, ownerPIN)
	st := openSettings(t, f)
	b := st.safety.backups
	stick := t.TempDir()
	b.second.SetText(stick)
	test.Tap(findButton(t, f.app.win, "Save folder"))
	if got, _ := f.store.SecondBackupDir(ctx); got != stick {
		t.Fatalf("second folder = %q", got)
	}
	if f.app.fa.Preferences().String(secondDirPref) != stick {
		t.Error("the folder is not kept outside the database too")
	}
	if !strings.Contains(b.warning.Text, "no backup in the second backup folder") {
		t.Errorf("warning %q", b.warning.Text)
	}
	test.Tap(findButton(t, f.app.win, "Back up now"))
	if len(data.Backups(f.store.Path(), stick)) != 1 || len(b.files) != 2 {
		t.Fatalf("after Back up now: %d listed", len(b.files))
	}
	if b.warning.Visible() {
		t.Errorf("warning still shown: %q", b.warning.Text)
	}
	b.second.SetText(filepath.Join(stick, "not-there"))
	test.Tap(findButton(t, f.app.win, "Save folder"))
	if got, _ := f.store.SecondBackupDir(ctx); got != stick {
		t.Error("a missing folder was saved")
	}
}

func TestAuditLogInSettings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(ctx, ownerPIN)
	if _, err := f.store.AdjustPoints(ctx, f.ann, 25, "birthday treat", "Sam"); err != nil {
		t.Fatal(err)
	}
	st := openSettings(t, f)
	rows := st.safety.audit.rows
	if len(rows) < 2 || rows[0].Action != "adjust points" {
		t.Fatalf("audit rows %+v", rows)
	}
	line := auditLine(rows[0])
	for _, want := range []string{"Sam", "adjust points", "birthday treat"} {
		if !strings.Contains(line, want) {
			t.Errorf("audit line %q lacks %q", line, want)
		}
	}
}

func TestForgetCustomerNeedsPIN(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(ctx, ownerPIN)
	balance, _ := f.store.Balance(ctx, f.ann)
	f.app.openCustomer(f.ann)
	p := f.app.screens["customers"].(*customersScreen).page
	p.tabs.SelectIndex(1) // Details
	test.Tap(findButton(t, f.app.win, "Forget customer…"))
	enterPIN(t, f.app.win, "1357")
	if c, _ := f.store.Customer(ctx, f.ann); c.Forgotten {
		t.Fatal("a wrong PIN forgot the customer")
	}
	test.Tap(findButton(t, f.app.win, "Forget customer…"))
	enterPIN(t, f.app.win, ownerPIN)
	if !strings.Contains(dialogText(f.app.win), "Forget Ann Lee for good?") {
		t.Fatalf("no warning before forgetting:\n%s", dialogText(f.app.win))
	}
	test.Tap(findButton(t, f.app.win, "Forget for good"))
	c, _ := f.store.Customer(ctx, f.ann)
	if !c.Forgotten || c.Name != "Forgotten customer 1" || c.Phone != "" {
		t.Fatalf("customer after forgetting: %+v", c)
	}
	if b, _ := f.store.Balance(ctx, f.ann); b != balance {
		t.Errorf("balance %d, was %d", b, balance)
	}
	if p.cust.Name != "Forgotten customer 1" {
		t.Errorf("page shows %q", p.cust.Name)
	}
}

func TestExportCustomerNeedsPINAndIsPrivate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.store.SetOwnerPIN(ctx, ownerPIN)
	f.app.openCustomer(f.ann)
	p := f.app.screens["customers"].(*customersScreen).page
	p.tabs.SelectIndex(1) // Details
	test.Tap(findButton(t, f.app.win, "Export their data…"))
	enterPIN(t, f.app.win, "9999")
	if hasEntryWithText(f.app.win, "customer-1.zip") {
		t.Fatal("a wrong PIN reached the save dialog")
	}
	test.Tap(findButton(t, f.app.win, "Export their data…"))
	enterPIN(t, f.app.win, ownerPIN)
	if !hasEntryWithText(f.app.win, "customer-1.zip") {
		t.Fatal("no save dialog offering customer-1.zip after the PIN")
	}
	// What the save dialog hands over is written like this.
	path := filepath.Join(t.TempDir(), "customer-1.zip")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	p.writeExport(f.ann, out, path)
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v", st.Mode().Perm())
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if len(z.File) != 2 || z.File[0].Name != "customer-1.json" {
		t.Errorf("zip holds %v", z.File)
	}
	log, _ := f.store.AuditLog(ctx, 1)
	if len(log) != 1 || log[0].Action != "export customer" {
		t.Errorf("audit %+v", log)
	}
}

func hasEntryWithText(w fyne.Window, text string) bool {
	found := false
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if e, ok := o.(*widget.Entry); ok && e.Text == text {
				found = true
			}
		})
	}
	return found
}

func labelText(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

// focusedPIN is the PIN entry the dialog on top focused.
func focusedPIN(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	e, ok := focusedEntry(w)
	if !ok || !e.Password {
		t.Fatalf("no PIN entry has the focus (%T)", w.Canvas().Focused())
	}
	return e
}

func TestGuardedActionOnAShopWithoutAPINSetsOneFirst(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.dismissPopup()
	f.app.openCustomer(f.ann)
	p := f.app.screens["customers"].(*customersScreen).page
	p.tabs.SelectIndex(1) // Details
	forget := findButton(t, f.app.win, "Forget customer…")

	// Cancel: nothing set, nothing forgotten.
	test.Tap(forget)
	if !strings.Contains(dialogText(f.app.win), "Set the owner PIN to forget a customer") {
		t.Fatalf("no PIN to set first:\n%s", dialogText(f.app.win))
	}
	focusedPIN(t, f.app.win)
	test.Tap(findButton(t, f.app.win, "Cancel"))
	if set, _ := f.store.HasOwnerPIN(ctx); set {
		t.Fatal("a cancelled dialog set a PIN")
	}
	if c, _ := f.store.Customer(ctx, f.ann); c.Forgotten {
		t.Fatal("the customer was forgotten without a PIN")
	}

	// Two different PINs: refused, nothing set.
	test.Tap(forget)
	test.Type(focusedPIN(t, f.app.win), "246810")
	f.app.win.Canvas().FocusNext()
	test.Type(focusedPIN(t, f.app.win), "864210")
	saveFormDialog(t, f.app.win)
	if set, _ := f.store.HasOwnerPIN(ctx); set {
		t.Fatal("two different PINs set one")
	}
	if !strings.Contains(dialogText(f.app.win), "The two PINs differ; nothing was set") {
		t.Errorf("no message for different PINs:\n%s", dialogText(f.app.win))
	}
	f.app.win.Canvas().Overlays().Top().Hide()

	// The same PIN twice: set, then the action asks to confirm as usual.
	test.Tap(forget)
	test.Type(focusedPIN(t, f.app.win), ownerPIN)
	f.app.win.Canvas().FocusNext()
	test.Type(focusedPIN(t, f.app.win), ownerPIN)
	saveFormDialog(t, f.app.win)
	if err := f.store.CheckOwnerPIN(ctx, ownerPIN, time.Now()); err != nil {
		t.Fatalf("the PIN was not set: %v", err)
	}
	if !strings.Contains(dialogText(f.app.win), "Forget Ann Lee for good?") {
		t.Fatalf("the action did not go on after setting the PIN:\n%s", dialogText(f.app.win))
	}
}

// focusedEntry is the text field with the keyboard.
func focusedEntry(w fyne.Window) (*widget.Entry, bool) {
	switch e := w.Canvas().Focused().(type) {
	case *widget.Entry:
		return e, true
	case *escEntry:
		return &e.Entry, true
	case *escSelectEntry:
		return &e.Entry, true
	}
	return nil, false
}
