package screens

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// secondDirPref mirrors the second backup folder outside the database, so
// that a shop whose file cannot be opened still finds its backups there.
const secondDirPref = "backup.second_dir"

// safetySettings are the owner's Settings sections for backups and the
// audit log.
type safetySettings struct {
	backups *backupsCard
	audit   *auditCard
}

func newSafetySettings(a *App) *safetySettings {
	s := &safetySettings{backups: newBackupsCard(a), audit: newAuditCard(a)}
	// The log's lines are cut with "…" at the window's width; its box
	// keeps only their height, so a long line never widens the window.
	s.audit.card.SetContent(tall(240, s.audit.list))
	return s
}

func (s *safetySettings) reload() {
	s.backups.reload()
	s.audit.reload()
}

// backupsCard lists the backups, newest first, restores one, and sets the
// second backup folder.
type backupsCard struct {
	a        *App
	card     *widget.Card
	where    *widget.Label
	warning  *widget.Label
	second   *widget.Entry
	list     *widget.List
	files    []data.BackupFile
	selected int
	restore  *widget.Button
}

func newBackupsCard(a *App) *backupsCard {
	b := &backupsCard{a: a, selected: -1}
	b.where = widget.NewLabel("")
	b.where.Wrapping = fyne.TextWrapWord
	b.warning = widget.NewLabel("")
	b.warning.Importance = widget.DangerImportance
	b.warning.Wrapping = fyne.TextWrapWord
	b.warning.Hide()
	b.second = widget.NewEntry()
	b.second.SetPlaceHolder(lang.L("A USB stick or a cloud-synced folder, such as /media/stick/regulars"))
	choose := widget.NewButton(lang.L("Choose…"), b.chooseFolder)
	save := widget.NewButton(lang.L("Save folder"), b.saveFolder)
	b.list = widget.NewList(func() int { return len(b.files) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(b.files) {
				o.(*widget.Label).SetText(b.line(b.files[i]))
			}
		})
	b.list.OnSelected = func(i widget.ListItemID) {
		b.selected = i
		b.restore.Enable()
	}
	b.list.OnUnselected = func(widget.ListItemID) { b.selected = -1 }
	now := widget.NewButton(lang.L("Back up now"), b.backUpNow)
	b.restore = widget.NewButton(lang.L("Restore selected…"), func() {
		if b.selected >= 0 && b.selected < len(b.files) {
			a.restoreFrom(b.files[b.selected].Path)
		}
	})
	b.restore.Disable()
	other := widget.NewButton(lang.L("Restore from a file…"), b.restoreOther)
	b.card = widget.NewCard(lang.L("Backups"), lang.L("Made when the app first starts each day and when it closes; all of the latest day's are kept, then one a day for 7 days, a week for 4 weeks and a month for 12 months"),
		container.NewVBox(b.where, b.warning,
			container.NewBorder(nil, nil, widget.NewLabel(lang.L("Second backup folder")), container.NewHBox(choose, save), b.second),
			tall(180, b.list),
			container.NewHBox(now, b.restore, other)))
	return b
}

func (b *backupsCard) line(f data.BackupFile) string {
	where := lang.L("second folder")
	if filepath.Dir(f.Path) == data.DefaultBackupDir(b.a.store.Path()) {
		where = lang.L("this PC")
	}
	return fmt.Sprintf("%s %s   %s   %s", shortWeekday(f.Taken.Weekday()), stamp(f.Taken), fileSize(f.Size), where)
}

type backupsData struct {
	second  string
	files   []data.BackupFile
	warning string
}

func (b *backupsCard) reload() {
	s := b.a.store
	background(b.a, func(ctx context.Context) (backupsData, error) {
		var d backupsData
		var err error
		d.second, err = s.SecondBackupDir(ctx)
		d.files = data.Backups(s.Path(), data.DefaultBackupDir(s.Path()), d.second)
		d.warning = data.SecondCopyWarning(s.Path(), d.second, s.Now())
		return d, err
	}, func(d backupsData, err error) {
		if err != nil {
			b.a.showError(err)
		}
		b.where.SetText(fmt.Sprintf(lang.L("Backups of this shop go to %s"), data.DefaultBackupDir(s.Path())))
		b.second.SetText(d.second)
		b.files = d.files
		b.selected = -1
		b.list.UnselectAll()
		b.list.Refresh()
		b.restore.Disable()
		b.warning.SetText(d.warning)
		b.warning.Hidden = d.warning == ""
		b.warning.Refresh()
	})
}

func (b *backupsCard) chooseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		b.second.SetText(u.Path())
	}, b.a.win)
	if cur := strings.TrimSpace(b.second.Text); cur != "" {
		if u, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
			d.SetLocation(u)
		}
	}
	d.Show()
}

func (b *backupsCard) saveFolder() {
	dir := strings.TrimSpace(b.second.Text)
	s := b.a.store
	background(b.a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.SetSecondBackupDir(ctx, dir)
	}, func(_ struct{}, err error) {
		if err != nil {
			b.a.showError(err)
			return
		}
		if dir == "" {
			b.a.fa.Preferences().SetString(secondDirPref, "")
			b.a.say("%s", lang.L("No second backup folder: backups stay on this PC"))
		} else {
			b.a.fa.Preferences().SetString(secondDirPref, filepath.Clean(dir))
			b.a.say(lang.L("Backups are copied to %s too"), dir)
		}
		b.reload()
	})
}

func (b *backupsCard) backUpNow() {
	s := b.a.store
	b.a.say("%s", lang.L("Backing up…"))
	background(b.a, func(ctx context.Context) (data.BackupReport, error) { return s.AutoBackup(ctx) },
		func(rep data.BackupReport, err error) {
			switch {
			case err != nil:
				b.a.showError(err)
			case rep.SecondErr != nil:
				b.a.say(lang.L("Backed up to %s, but not to the second folder"), filepath.Base(rep.Path))
				b.a.showError(rep.SecondErr)
			case rep.Second != "":
				b.a.say(lang.L("Backed up to %s and copied to %s"), rep.Path, filepath.Dir(rep.Second))
			default:
				b.a.say(lang.L("Backed up to %s"), rep.Path)
			}
			b.reload()
		})
}

func (b *backupsCard) restoreOther() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		b.a.restoreFrom(path)
	}, b.a.win)
	d.Show()
}

// restoreFrom puts the backup at path in place of the open database. It
// checks the file first (a whole database of a schema this build knows,
// passing the integrity check), then asks for the owner PIN and a yes,
// keeps the current file aside and opens the restored one.
func (a *App) restoreFrom(path string) {
	background(a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, data.VerifyDatabaseFile(ctx, path)
	}, func(_ struct{}, err error) {
		if err != nil {
			a.showError(fmt.Errorf(lang.L("Cannot restore from %s: %w"), filepath.Base(path), err))
			return
		}
		confirm := func() {
			msg := fmt.Sprintf(lang.L("Replace the shop's data with %s?\n\nThe current file is kept beside it (…before-restore-…);\nwhat was entered after this backup was taken is not in it."), filepath.Base(path))
			dialog.ShowConfirm(lang.L("Restore this backup?"), msg, func(ok bool) {
				if ok {
					a.restore(path)
				}
			}, a.win)
		}
		// A file too damaged to say whether a PIN is set cannot guard
		// itself; nor can a read-only one without a PIN, which cannot take
		// one: restoring is the way out.
		if set, err := a.store.HasOwnerPIN(a.ctx); err != nil || (!set && a.store.Writable() != nil) {
			confirm()
			return
		}
		a.requireOwner(lang.L("restore a backup"), confirm)
	})
}

type restored struct {
	s     *data.Store
	aside string
}

// restore closes the store first (its journal must not follow the file
// being moved aside), restores and opens the result. When the restore
// fails, the window goes back to the file that is there, opened as before.
func (a *App) restore(src string) {
	old := a.store
	dbPath := old.Path()
	held := old.Writable() != nil
	progress := dialog.NewCustomWithoutButtons(lang.L("Restoring…"), widget.NewProgressBarInfinite(), a.win)
	progress.Show()
	background(a, func(ctx context.Context) (restored, error) {
		old.Close()
		aside, err := data.Restore(ctx, src, dbPath)
		if err != nil {
			s, oerr := data.Open(ctx, dbPath, data.Options{Today: a.opt.Date, ReadOnly: held})
			if oerr != nil {
				return restored{}, err
			}
			if held {
				s.HoldWrites(errFailedCheck())
			}
			return restored{s: s}, err
		}
		s, err := data.Open(ctx, dbPath, data.Options{Today: a.opt.Date})
		return restored{s, aside}, err
	}, func(r restored, err error) {
		progress.Hide()
		if r.s != nil {
			a.switchStore(r.s)
		}
		if err != nil {
			a.showError(err)
			return
		}
		a.say(lang.L("Restored %s; the previous file is kept as %s"), filepath.Base(src), filepath.Base(r.aside))
	})
}

// closeWindow is what asking the window to close does: the window stays,
// says it is backing the shop up, with how far it has got, and closes by
// itself when the backup is made and checked. A large shop takes a while
// (about 20 s at 50,000 customers); the morning's backup is kept beside
// this one. "Close without this backup" stops it and closes at once.
func (a *App) closeWindow() {
	if a.closing {
		return // already on its way out
	}
	a.closing = true
	a.saveWindow() // while the window is there: see Run
	s := a.shop
	if s == nil || s.Writable() != nil {
		a.finishClose()
		return
	}
	ctx, cancel := context.WithCancel(a.ctx)
	text := widget.NewLabel(fmt.Sprintf(lang.L("The window closes by itself once a copy of the shop's data is made in %s and checked."), data.DefaultBackupDir(s.Path())))
	text.Wrapping = fyne.TextWrapWord
	stage := widget.NewLabel(lang.L("Copying the shop's data…"))
	bar := widget.NewProgressBar()
	skip := widget.NewButton(lang.L("Close without this backup"), cancel)
	d := dialog.NewCustomWithoutButtons(lang.L("Backing up before closing…"),
		fixedWidth(540, container.NewVBox(text, stage, bar, container.NewHBox(layout.NewSpacer(), skip))), a.win)
	d.Show()
	stop := a.showBackupProgress(s.Path(), stage, bar)
	background(a, func(context.Context) (data.BackupReport, error) { return s.AutoBackup(ctx) },
		func(rep data.BackupReport, err error) {
			stop()
			d.Hide()
			switch {
			case err != nil && ctx.Err() == nil && !errors.Is(err, data.ErrNotOnPostgres):
				a.closeAfterFailedBackup(err)
			default:
				if err == nil && rep.SecondErr != nil {
					fyne.LogError("second backup folder at close", rep.SecondErr)
				}
				a.finishClose()
			}
			cancel()
		})
}

// showBackupProgress moves bar as the backup of the file at dbPath grows,
// until the returned stop is called. The copy is checked once written:
// the stage says so.
func (a *App) showBackupProgress(dbPath string, stage *widget.Label, bar *widget.ProgressBar) (stop func()) {
	if a.opt.Synchronous {
		return func() {}
	}
	do := a.onUI
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		var last int64
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			written, total := data.BackupWritten(dbPath)
			checking := written > 0 && written == last
			last = written
			do(func() {
				switch {
				case checking:
					bar.SetValue(1)
					stage.SetText(lang.L("Checking the copy…"))
				case total > 0:
					bar.SetValue(min(float64(written)/float64(total), 1))
					stage.SetText(fmt.Sprintf(lang.L("Copying the shop's data… %s of %s"), fileSize(written), fileSize(total)))
				}
			})
		}
	}()
	return func() { close(done) }
}

// closeAfterFailedBackup says why the backup at close failed and lets the
// person choose: close anyway (earlier backups are there) or stay open.
func (a *App) closeAfterFailedBackup(err error) {
	msg := fmt.Sprintf(lang.L("%s\n\nThe backups made earlier are still there. Close anyway?"), plainSentence(err.Error()))
	dialog.ShowConfirm(lang.L("The backup at closing time failed"), msg, func(ok bool) {
		if ok {
			a.finishClose()
			return
		}
		a.closing = false
	}, a.win)
}

// finishClose closes the window for good; the close has dealt with the
// backup, so Run makes none.
func (a *App) finishClose() {
	a.closeDone = true
	a.win.Close()
}
