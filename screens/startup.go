package screens

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// errFailedCheck is why writes are refused after a failed start-up check.
func errFailedCheck() error {
	return fmt.Errorf(lang.L("%w: it did not pass its start-up check; restore a backup (Settings, Backups)"), data.ErrReadOnly)
}

// launch opens the database and runs the window until it closes. A shop
// whose first page is sound (SQLite's header, Regulars' application id,
// schema and tables) opens for writing at once; the first start of a day
// checks the whole file in the background while sales go on. A file that
// cannot be opened at all gets a small window offering the newest good
// backup instead. It returns the app that ran, or why none did.
func launch(ctx context.Context, fa fyne.App, opt Options) (*App, error) {
	s, err := openForWindow(ctx, opt)
	if err == nil {
		a := New(ctx, fa, s, opt)
		a.checkAtStart()
		a.watchOtherTills()
		a.win.ShowAndRun()
		return a, nil
	}
	if !errors.Is(err, data.ErrNotDatabase) && !errors.Is(err, data.ErrDamaged) {
		return nil, err
	}
	second := shopPreferences(fa.Preferences(), opt.DBPath).String(secondDirPref)
	b, berr := data.NewestGoodBackup(ctx, opt.DBPath, data.DefaultBackupDir(opt.DBPath), second)
	if berr != nil {
		return nil, err
	}
	var a *App
	w := newRescue(ctx, fa, opt, err, b, func(s *data.Store) {
		a = New(ctx, fa, s, opt)
		a.win.Show()
		a.checkAtStart()
		a.watchOtherTills()
	})
	w.ShowAndRun()
	if a == nil {
		return nil, err
	}
	return a, nil
}

// openForWindow opens the shop for writing at once. Open reads no more
// than the file's first page, and refuses in one sentence a file that is
// not a shop of this build or whose header is damaged; the whole file is
// checked after, in the background (checkAtStart).
func openForWindow(ctx context.Context, opt Options) (*data.Store, error) {
	o := data.Options{Today: opt.Date}
	if opt.Clock != nil {
		// The store names backups by its clock and the window asks
		// whether the day's is made by its own: one clock for both.
		o.Clock = opt.Clock.Now
	}
	return data.Open(ctx, opt.DBPath, o)
}

// checkAtStart runs the full check (every page, the keys, the ledger) on
// the first start of a day, in the background on a read-only connection of
// its own: it holds no lock, so a sale made meanwhile is recorded at once.
// When it passes, the day is noted in the shop (later starts that day skip
// it) and the day's backup is made; when it finds damage, writes are held
// and the newest good backup is offered.
func (a *App) checkAtStart() {
	s := a.store
	day := rules.DayOf(a.clock.Now()) // the real date, --date or not, as backups
	if due, err := s.DailyCheckDue(a.ctx, day); err == nil && !due && s.Writable() == nil {
		a.afterCheck()
		return
	}
	check := a.fullCheck
	if check == nil {
		check = data.StartupCheck
	}
	a.say("%s", lang.L("Checking the database in the background…"))
	background(a, func(ctx context.Context) (struct{}, error) {
		if err := check(ctx, s.Path()); err != nil {
			return struct{}{}, err
		}
		if s.Writable() != nil {
			if err := s.AllowWrites(ctx); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, s.CheckPassed(ctx, day)
	}, func(_ struct{}, err error) {
		if s != a.store || a.ctx.Err() != nil {
			return // the window moved to another file, or closed, meanwhile
		}
		if err != nil {
			a.startupFailed(err)
			return
		}
		a.say("%s", lang.L("The database passed its check"))
		a.afterCheck()
	})
}

// startupFailed holds the store's writes, says why plainly and offers the
// newest backup that verifies.
func (a *App) startupFailed(cause error) {
	s := a.store
	s.HoldWrites(errFailedCheck())
	a.say("%s", lang.L("Read-only: the database did not pass its start-up check"))
	background(a, func(ctx context.Context) (data.BackupFile, error) {
		second, _ := s.SecondBackupDir(ctx)
		return data.NewestGoodBackup(ctx, s.Path(), data.DefaultBackupDir(s.Path()), second, a.fa.Preferences().String(secondDirPref))
	}, func(b data.BackupFile, berr error) {
		if s != a.store {
			return
		}
		text := widget.NewLabel(fmt.Sprintf(lang.L("%s\n\nThe shop's data is shown read-only: nothing can be changed, so the file cannot get worse."), plainSentence(cause.Error())))
		text.Wrapping = fyne.TextWrapWord
		var d dialog.Dialog
		keep := widget.NewButton(lang.L("Keep it read-only"), func() { d.Hide() })
		buttons := container.NewHBox(layout.NewSpacer(), keep)
		body := container.NewVBox(text)
		if berr == nil {
			offer := widget.NewLabel(backupOffer(b))
			offer.Wrapping = fyne.TextWrapWord
			body.Add(offer)
			restore := widget.NewButton(lang.L("Restore this backup…"), func() {
				d.Hide()
				a.restoreFrom(b.Path)
			})
			restore.Importance = widget.HighImportance
			buttons.Add(restore)
		} else {
			none := widget.NewLabel(lang.L("There is no good backup to restore from. Copy the file somewhere safe and ask for help; the command 'regulars check' lists what is wrong."))
			none.Wrapping = fyne.TextWrapWord
			body.Add(none)
		}
		body.Add(buttons)
		d = dialog.NewCustomWithoutButtons(lang.L("The database needs attention"), fixedWidth(580, body), a.win)
		d.Show()
	})
}

// backupOffer describes the backup a restore would use.
func backupOffer(b data.BackupFile) string {
	return fmt.Sprintf(lang.L("The newest good backup was taken on %s at %s (%s):\n%s\n\n"+
		"Restoring it keeps the current file beside it, so nothing is thrown away; what was entered after the backup is not in it."),
		weekdayDate(rules.DayOf(b.Taken)), b.Taken.Format("15:04"), fileSize(b.Size), b.Path)
}

// afterCheck makes the day's first backup of the shop (never of the demo)
// and warns when the copy off this PC is missing or old.
func (a *App) afterCheck() {
	s := a.store
	if s.Path() != a.opt.DBPath {
		return
	}
	if a.welcomeLater {
		a.welcomeLater = false
		a.firstRun()
	}
	// Backups are named with the real date and time, --date or not.
	if !data.BackupDue(s.Path(), rules.DayOf(a.clock.Now())) {
		a.warnSecondCopy()
		return
	}
	a.say("%s", lang.L("Making the day's backup…"))
	background(a, func(ctx context.Context) (data.BackupReport, error) { return s.AutoBackup(ctx) },
		func(rep data.BackupReport, err error) {
			switch {
			case errors.Is(err, data.ErrNotOnPostgres):
				// The shop's server keeps it; a till has no file to copy.
				a.say("%s", lang.L("The database passed its check"))
			case err != nil:
				a.say(lang.L("The day's backup failed: %v"), err)
			case rep.SecondErr != nil:
				a.say(lang.L("Backed up on this PC, but not to the second folder: %v"), rep.SecondErr)
			default:
				a.say(lang.L("Backed up to %s"), filepath.Base(rep.Path))
				a.warnSecondCopy()
			}
		})
}

// warnSecondCopy puts a warning in the status line when the second backup
// folder is not set, missing, or holds nothing from the last 7 days.
func (a *App) warnSecondCopy() {
	s := a.store
	background(a, func(ctx context.Context) (string, error) {
		dir, err := s.SecondBackupDir(ctx)
		return data.SecondCopyWarning(s.Path(), dir, s.Now()), err
	}, func(w string, err error) {
		if err == nil && w != "" && s == a.store {
			a.say("⚠ %s", w)
		}
	})
}

// backupOnExit backs the shop up when the window went without asking
// (closeWindow backs up when it is asked to close).
func (a *App) backupOnExit() {
	s := a.shop
	if s == nil || s.Writable() != nil {
		return
	}
	if _, err := s.AutoBackup(a.ctx); err != nil {
		fyne.LogError("backup on exit", err)
	}
}

// newRescue is the window shown when the database cannot be opened at all:
// it says why and offers the newest good backup. opened gets the restored
// store; closing the window without restoring ends the app.
func newRescue(ctx context.Context, fa fyne.App, opt Options, cause error, b data.BackupFile, opened func(*data.Store)) fyne.Window {
	w := fa.NewWindow(lang.L("Regulars — the database cannot be opened"))
	title := widget.NewLabelWithStyle(lang.L("The shop's database cannot be opened"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(plainSentence(cause.Error()) + "\n\n" + backupOffer(b))
	text.Wrapping = fyne.TextWrapWord
	var restore *widget.Button
	restore = widget.NewButton(lang.L("Restore this backup"), func() {
		restore.Disable()
		restore.SetText(lang.L("Restoring…"))
		done := func(s *data.Store, err error) {
			if err != nil {
				restore.SetText(lang.L("Restore this backup"))
				restore.Enable()
				dialog.ShowError(errors.New(plainSentence(err.Error())), w)
				return
			}
			opened(s)
			w.Close()
		}
		work := func() (*data.Store, error) {
			if _, err := data.Restore(ctx, b.Path, opt.DBPath); err != nil {
				return nil, err
			}
			return data.Open(ctx, opt.DBPath, data.Options{Today: opt.Date})
		}
		if opt.Synchronous {
			done(work())
			return
		}
		go func() {
			s, err := work()
			fyne.Do(func() { done(s, err) })
		}()
	})
	restore.Importance = widget.HighImportance
	quit := widget.NewButton(lang.L("Quit"), w.Close)
	w.SetContent(container.NewCenter(fixedWidth(620, container.NewVBox(title, text, container.NewHBox(layout.NewSpacer(), quit, restore)))))
	w.Resize(fyne.NewSize(700, 420))
	w.Canvas().Focus(restore)
	return w
}

// fixedWidth lays body out at width w, its wrapped labels included, so the
// box is exactly as tall as its text.
func fixedWidth(w float32, body *fyne.Container) fyne.CanvasObject {
	for _, o := range body.Objects {
		if l, ok := o.(*widget.Label); ok && l.Wrapping != fyne.TextWrapOff {
			l.Resize(fyne.NewSize(w, l.MinSize().Height))
		}
	}
	return container.NewGridWrap(fyne.NewSize(w, body.MinSize().Height), body)
}

// plainSentence ends a message with a full stop and starts it with a
// capital, unless it starts with a file name.
func plainSentence(s string) string {
	if first, _, _ := strings.Cut(s, " "); strings.ContainsAny(first, "./\\") {
		if !strings.HasSuffix(s, ".") {
			s += "."
		}
		return s
	}
	return sentenceCase(s)
}

// fileSize is a size for people: 980 KB, 12.4 MB.
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf(lang.L("%d bytes"), n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	case n < 1000*1000*1000:
		return decimalText(fmt.Sprintf("%.1f MB", float64(n)/1e6))
	}
	return decimalText(fmt.Sprintf("%.2f GB", float64(n)/1e9))
}
