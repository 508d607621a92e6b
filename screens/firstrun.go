package screens

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// firstRun greets an empty database: start empty, or open a demo shop kept
// in a separate file so the real one stays clean.
func (a *App) firstRun() {
	n, err := a.store.CountCustomers(a.ctx)
	if err != nil || n > 0 || a.fa.Preferences().Bool("firstrun.done") {
		return
	}
	var d dialog.Dialog
	empty := widget.NewButton(lang.L("Start empty"), func() {
		a.fa.Preferences().SetBool("firstrun.done", true)
		d.Hide()
		a.show("customers")
	})
	demo := widget.NewButton(lang.L("Open a demo shop (separate file)"), func() {
		d.Hide()
		a.openDemo()
	})
	demo.Importance = widget.HighImportance
	text := widget.NewLabel(lang.L("This shop has no customers yet.\n\nStart empty to add customers or import them (CSV or phone contacts),\nor look around a demo shop first: it lives in its own file and never mixes with yours."))
	d = dialog.NewCustomWithoutButtons(lang.L("Welcome to Regulars"), container.NewVBox(text, container.NewHBox(empty, demo)), a.win)
	d.Show()
}

// DemoPath is where the demo shop is kept: beside the real database.
func DemoPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "regulars-demo.db")
}

func (a *App) openDemo() {
	path := DemoPath(a.store.Path())
	progress := dialog.NewCustomWithoutButtons(lang.L("Making a demo shop…"), widget.NewProgressBarInfinite(), a.win)
	progress.Show()
	day := a.Today()
	background(a, func(ctx context.Context) (*data.Store, error) {
		s, err := data.Open(ctx, path, data.Options{Today: a.opt.Date})
		if err != nil {
			return nil, err
		}
		n, err := s.CountCustomers(ctx)
		if err == nil && n == 0 {
			_, err = s.GenerateDemo(ctx, data.DemoOptions{Customers: 2000, Seed: 1, End: day})
		}
		if err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}, func(s *data.Store, err error) {
		progress.Hide()
		if err != nil {
			a.showError(err)
			return
		}
		a.switchStore(s)
	})
}

// switchStore puts the window on another database.
func (a *App) switchStore(s *data.Store) {
	old := a.store
	a.store = s
	a.screens = map[string]screen{}
	a.objects = map[string]fyne.CanvasObject{}
	a.navBtns = map[string]*widget.Button{}
	a.win.SetContent(a.shell())
	a.status.SetText(fmt.Sprintf(lang.L("Demo shop: %s"), s.Path()))
	a.popups = newPopups(a)
	a.show("today")
	a.popups.check()
	if old != nil {
		old.Close()
	}
}
