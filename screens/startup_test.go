package screens

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"regulars/data"
	"regulars/rules"
)

// startAppAt opens the window on path as Run does, at the time now; with a
// loop, background work runs for real and its results run by loop.
func startAppAt(t *testing.T, path string, now time.Time, loop *uiLoop) *App {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	opt := Options{DBPath: path, Clock: &fakeClock{now: now}, Notify: &countingNotifier{}, Synchronous: loop == nil}
	if loop != nil {
		opt.Do = loop.post
	}
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

// The day's check runs in the background holding nothing: a sale made
// while it runs is recorded at once, not when the check ends.
func TestASaleIsNotHeldByTheDaysCheck(t *testing.T) {
	path := closedShopFile(t, 20)
	loop := newUILoop()
	now := time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)
	a := startAppAt(t, path, now, loop)
	started, release := make(chan struct{}), make(chan struct{})
	a.fullCheck = func(ctx context.Context, path string) error {
		close(started)
		<-release // a check on a shop far larger than this one
		return data.StartupCheck(ctx, path)
	}
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	a.checkAtStart()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the day's check did not start")
	}
	if err := a.store.Writable(); err != nil {
		t.Fatalf("writes are held while the check runs: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := a.store.RecordSale(ctx, data.Sale{CustomerID: 2, Amount: 1500})
	if err != nil {
		t.Fatalf("a sale made while the check runs: %v", err)
	}
	if p, err := a.store.Purchase(context.Background(), res.Purchase.ID); err != nil || p.Amount != 1500 {
		t.Fatalf("the sale is not in the shop: %+v %v", p, err)
	}
	close(release)
	loop.until(t, "the day's check to pass and the backup to be made", func() bool {
		due, _ := a.store.DailyCheckDue(context.Background(), rules.DayOf(now))
		return !due && len(data.Backups(path, data.DefaultBackupDir(path))) == 1
	})
	if err := a.store.Writable(); err != nil {
		t.Errorf("after the check passed: %v", err)
	}
}

// The full check runs on the first start of a day only.
func TestTheFullCheckRunsOncePerDay(t *testing.T) {
	path := closedShopFile(t, 20)
	var runs atomic.Int32
	start := func(now time.Time) {
		a := startAppAt(t, path, now, nil)
		a.fullCheck = func(ctx context.Context, path string) error {
			runs.Add(1)
			return data.StartupCheck(ctx, path)
		}
		a.checkAtStart()
		if err := a.store.Writable(); err != nil {
			t.Errorf("start at %s: %v", now, err)
		}
		a.store.Close()
	}
	start(time.Date(2026, 6, 2, 8, 30, 0, 0, time.Local))
	if n := runs.Load(); n != 1 {
		t.Fatalf("the first start of the day ran the check %d times", n)
	}
	start(time.Date(2026, 6, 2, 14, 0, 0, 0, time.Local))
	if n := runs.Load(); n != 1 {
		t.Errorf("a second start the same day ran the check again (%d runs)", n)
	}
	start(time.Date(2026, 6, 3, 8, 30, 0, 0, time.Local))
	if n := runs.Load(); n != 2 {
		t.Errorf("the next day's first start ran the check %d times in all, want 2", n)
	}
}

// Damage the day's check finds holds writes from then on and offers the
// newest good backup.
func TestDamageFoundByTheDaysCheckHoldsWritesAndOffersABackup(t *testing.T) {
	path := closedShopFile(t, 20)
	loop := newUILoop()
	now := time.Date(2026, 6, 2, 9, 0, 0, 0, time.Local)
	a := startAppAt(t, path, now, loop)
	ctx := context.Background()
	backup, err := a.store.Backup(ctx, data.DefaultBackupDir(path)+"/")
	if err != nil {
		t.Fatal(err)
	}
	a.fullCheck = func(ctx context.Context, path string) error {
		return &data.CheckError{Path: path, Problems: []data.Problem{{What: "the database file is damaged: page 7 is never used"}}}
	}
	a.checkAtStart()
	loop.until(t, "the offer of a backup", func() bool { return strings.Contains(dialogText(a.win), "The newest good backup") })
	findButton(t, a.win, "Restore this backup…")
	if _, err := a.store.AddCustomer(ctx, rules.Customer{Name: "Zed"}); !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("a write after the check found damage: %v", err)
	}
	text := dialogText(a.win)
	for _, want := range []string{"page 7 is never used", backup[strings.LastIndex(backup, "/")+1:]} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, text)
		}
	}
	if due, _ := a.store.DailyCheckDue(ctx, rules.DayOf(now)); !due {
		t.Error("a failed check was noted as passed")
	}
}
