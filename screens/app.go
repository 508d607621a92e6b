// Package screens is Regulars' window: the shell with its navigation and one
// file per screen. Screens ask the store for domain values and render them;
// they hold no shop rules and never speak SQL.
package screens

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/assets"
	"regulars/data"
	"regulars/rules"
)

// Options are what the command line hands to the window.
type Options struct {
	DBPath string
	Date   rules.Day // simulated "today"; zero for the real date
	Screen string    // screen to open on; "" for the last one used
	Clock  Clock     // nil: the wall clock
	Notify Notifier  // nil: the desktop's notifications
	// Synchronous runs background work inline; tests use it so that what a
	// tap causes has happened when the tap returns.
	Synchronous bool
	// Do, when set, hands background results to the UI goroutine in place
	// of fyne.Do: a test that needs real background work runs its own
	// event loop with it.
	Do func(func())
}

// screen is one page of the app.
type screen interface {
	// content builds the page once.
	content() fyne.CanvasObject
	// reload fetches fresh data (called when the page is shown and after changes).
	reload()
	// focus puts the keyboard where the page's work starts.
	focus()
}

// page describes one entry of the navigation.
type page struct {
	id   string
	icon func() fyne.Resource // themed icons exist only once the app runs
	make func(*App) screen
}

// title is the page's name in the navigation, read when shown so that it
// is in the translation in use.
func (p page) title() string {
	switch p.id {
	case "today":
		return lang.L("Today")
	case "customers":
		return lang.L("Customers")
	case "calendar":
		return lang.L("Calendar")
	case "checkout":
		return lang.L("Checkout")
	case "loyalty":
		return lang.L("Loyalty")
	case "reports":
		return lang.L("Reports")
	case "settings":
		return lang.L("Settings")
	}
	return p.id
}

// pages is filled in init: the pages' constructors refer back to it.
var pages []page

func init() {
	pages = []page{
		{"today", theme.HomeIcon, newToday},
		{"customers", theme.AccountIcon, newCustomers},
		{"calendar", theme.CalendarIcon, newCalendar},
		{"checkout", theme.ConfirmIcon, newCheckout},
		{"loyalty", theme.ContentAddIcon, newLoyalty},
		{"reports", theme.DocumentIcon, newReports},
		{"settings", theme.SettingsIcon, newSettings},
	}
}

// App is the running window: the store, the shell and its screens.
type App struct {
	fa      fyne.App
	win     fyne.Window
	store   *data.Store
	opt     Options
	clock   Clock
	staff   string
	screens map[string]screen
	objects map[string]fyne.CanvasObject
	navBtns map[string]*widget.Button
	current string
	body    *fyne.Container
	status  *widget.Label
	popups  *popups
	ctx     context.Context
	// shop is the shop's own store (the file of opt.DBPath); it stays open
	// while the window shows the demo, which is store then.
	shop *data.Store
	// setup, while set, is the set-up of a new shop, which has the whole
	// window: nothing else can be reached (firstrun.go).
	setup *setupWizard
	// closing is set once the window was asked to close; closeDone once
	// the close dealt with the backup (made it, or was told to skip it: backups.go).
	closing, closeDone bool
	// welcomeLater is set when the welcome of an empty shop waits for the
	// start-up check (firstrun.go).
	welcomeLater bool
	// fullCheck is the check the first start of a day runs in the
	// background (checkAtStart); nil: data.StartupCheck. Tests slow it.
	fullCheck func(ctx context.Context, path string) error
	// shortcuts and keys are the window's own, by name, so that text
	// fields can pass them on (keyentry.go).
	shortcuts map[string]func()
	keys      map[fyne.KeyName]func()
	// unreachable: the status line says the shop's server cannot be
	// reached (watch.go).
	unreachable bool
}

// Run opens the database, shows the window and returns when it is closed.
// The app is made by newApp only once the database is known to be free and
// a display is there.
func Run(ctx context.Context, newApp func() fyne.App, opt Options) error {
	if !data.IsPostgresURL(opt.DBPath) {
		// One window on a file; a shop on PostgreSQL has a window at every
		// till and no file here to lock.
		release, err := data.LockWindow(opt.DBPath)
		if err != nil {
			return err
		}
		defer release()
	}
	if noDisplay() {
		// This goes to the command line, which stays in English (PRODUCT.md).
		return errors.New("there is no display to open the window on (DISPLAY is not set); the commands work without one: see regulars help")
	}
	loadTranslations()
	trimCtx, stopTrim := context.WithCancel(ctx)
	defer stopTrim()
	go trimMemory(trimCtx)
	a, err := launch(ctx, newApp(), opt) // read-only until the start-up check passes (startup.go)
	if err != nil {
		return err
	}
	// Nothing is written to the preferences once the window is gone: the
	// toolkit then reloads them on its file watcher's goroutine while they
	// are written, and half-written ones load as "EOF". The window's size
	// was saved when it was asked to close.
	if !a.closeDone {
		a.backupOnExit()
	}
	return a.closeStores()
}

// closeStores closes the store on show and the shop's own behind the demo.
func (a *App) closeStores() error {
	err := a.store.Close()
	if a.shop != nil && a.shop != a.store {
		if e := a.shop.Close(); err == nil {
			err = e
		}
	}
	return err
}

// noDisplay reports a Linux or BSD session without X11 or Wayland.
func noDisplay() bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return false
	}
	return os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == ""
}

// New builds the window over an open store without showing it; tests use it
// with Fyne's test app.
func New(ctx context.Context, fa fyne.App, s *data.Store, opt Options) *App {
	loadTranslations()
	if opt.Clock == nil {
		opt.Clock = wallClock{}
	}
	if opt.Notify == nil {
		opt.Notify = desktopNotifier{fa}
	}
	fa = forShop(fa, s.Path()) // what the window remembers belongs to this file (prefs.go)
	a := &App{fa: fa, store: s, opt: opt, clock: opt.Clock, ctx: ctx,
		screens: map[string]screen{}, objects: map[string]fyne.CanvasObject{}, navBtns: map[string]*widget.Button{}}
	if s.Path() == opt.DBPath {
		a.shop = s
	}
	loadCurrency(ctx, s)
	fa.SetIcon(assets.Icon)
	a.win = fa.NewWindow(lang.L("Regulars"))
	a.win.SetIcon(assets.Icon)
	a.staff = fa.Preferences().StringWithFallback("staff", rules.OwnerName)
	a.applyAppearance()
	a.win.SetContent(a.shell())
	w := fa.Preferences().FloatWithFallback("window.width", 1200)
	h := fa.Preferences().FloatWithFallback("window.height", 760)
	a.win.Resize(fyne.NewSize(float32(w), float32(h)))
	a.afterShown(a.fitScreen)
	a.win.SetMaster()
	a.win.SetCloseIntercept(a.closeWindow)
	a.installShortcuts()
	start := opt.Screen
	if start == "" {
		start = fa.Preferences().StringWithFallback("screen", "today")
	}
	a.show(start)
	a.popups = newPopups(a)
	a.popups.start()
	a.firstRun()
	return a
}

// Window is the app's window.
func (a *App) Window() fyne.Window { return a.win }

// Today is the day the app works on: the simulated date or the real one.
func (a *App) Today() rules.Day {
	if !a.opt.Date.IsZero() {
		return a.opt.Date
	}
	return rules.DayOf(a.clock.Now())
}

// Staff is who is on shift at this till.
func (a *App) Staff() string { return a.staff }

func (a *App) shell() fyne.CanvasObject {
	nav := container.NewVBox()
	logo := canvas.NewImageFromResource(assets.Icon)
	logo.SetMinSize(fyne.NewSize(40, 40))
	logo.FillMode = canvas.ImageFillContain
	title := widget.NewLabelWithStyle(lang.L("Regulars"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	nav.Add(container.NewHBox(logo, title))
	nav.Add(widget.NewSeparator())
	for _, p := range pages {
		p := p
		b := widget.NewButtonWithIcon(p.title(), p.icon(), func() { a.show(p.id) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		a.navBtns[p.id] = b
		nav.Add(b)
	}
	nav.Add(layout.NewSpacer())
	nav.Add(a.helpButton())
	staffBtn := widget.NewButtonWithIcon("", theme.AccountIcon(), nil)
	staffBtn.OnTapped = func() { a.pickStaff(func() { staffBtn.SetText(fmt.Sprintf(lang.L("On shift: %s"), a.staff)) }) }
	staffBtn.SetText(fmt.Sprintf(lang.L("On shift: %s"), a.staff))
	staffBtn.Importance = widget.LowImportance
	nav.Add(staffBtn)

	a.body = container.NewStack()
	a.status = widget.NewLabel(filepath.Base(a.store.Path()))
	a.status.Importance = widget.LowImportance
	// A long message (a path, an error) is cut with "…" rather than
	// widening the window past the screen.
	a.status.Truncation = fyne.TextTruncateEllipsis
	var top fyne.CanvasObject
	if a.isDemo() {
		top = a.demoBanner()
	} else if !a.opt.Date.IsZero() {
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
		msg := canvas.NewText(fmt.Sprintf(lang.L("Simulated date: %s — reminders and new rows use this day, not the real date"),
			weekdayDate(a.opt.Date)), theme.Color(theme.ColorNameForeground))
		msg.TextStyle.Bold = true
		msg.Alignment = fyne.TextAlignCenter
		top = container.NewStack(bg, container.NewPadded(msg))
	}
	side := container.NewBorder(nil, nil, nil, widget.NewSeparator(), container.NewPadded(nav))
	main := container.NewBorder(nil, a.status, nil, nil, a.body)
	return container.NewBorder(top, nil, side, nil, main)
}

// show switches to a page, building it the first time. Nothing is shown
// while a new shop is being set up.
func (a *App) show(id string) {
	if a.setup != nil {
		return
	}
	var p *page
	for i := range pages {
		if pages[i].id == id {
			p = &pages[i]
		}
	}
	if p == nil {
		p = &pages[0]
	}
	sc, ok := a.screens[p.id]
	if !ok {
		sc = p.make(a)
		a.screens[p.id] = sc
		a.objects[p.id] = sc.content()
	}
	for pid, b := range a.navBtns {
		if pid == p.id {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	a.current = p.id
	a.body.Objects = []fyne.CanvasObject{a.objects[p.id]}
	a.body.Refresh()
	a.win.SetTitle(fmt.Sprintf(lang.L("Regulars — %s"), p.title()))
	a.fa.Preferences().SetString("screen", p.id)
	sc.reload()
	sc.focus()
}

// Current is the id of the page on show.
func (a *App) Current() string { return a.current }

// changed tells every built page that the shop's data changed.
func (a *App) changed() {
	for id, sc := range a.screens {
		if id == a.current {
			sc.reload()
		}
	}
	for id, sc := range a.screens {
		if id != a.current {
			sc.reload()
		}
	}
	if a.popups != nil {
		a.popups.refreshCount()
	}
}

func (a *App) saveWindow() {
	sz := a.win.Canvas().Size()
	if sz.Width > 200 && sz.Height > 200 {
		a.fa.Preferences().SetFloat("window.width", float64(sz.Width))
		a.fa.Preferences().SetFloat("window.height", float64(sz.Height))
	}
}

// background runs work off the UI goroutine and hands its result back on it.
func background[T any](a *App, work func(context.Context) (T, error), done func(T, error)) {
	if a.opt.Synchronous {
		v, err := work(a.ctx)
		done(v, err)
		return
	}
	go func() {
		v, err := work(a.ctx)
		a.onUI(func() { done(v, err) })
	}()
}

// onUI runs fn on the UI goroutine: fyne.Do, the tests' loop, or at once
// when the app runs synchronously.
func (a *App) onUI(fn func()) {
	if a.opt.Synchronous {
		fn()
		return
	}
	if a.opt.Do != nil {
		a.opt.Do(fn)
		return
	}
	fyne.Do(fn)
}

// showError tells the person what went wrong, in one sentence.
func (a *App) showError(err error) {
	if err == nil {
		return
	}
	dialog.ShowError(sentenceError{err}, a.win)
}

// sentenceError shows an error as a sentence: the store's errors start in
// lower case so they can be wrapped, but a dialog starts with a capital.
type sentenceError struct{ err error }

func (e sentenceError) Error() string { return sentenceCase(e.err.Error()) }
func (e sentenceError) Unwrap() error { return e.err }

// say puts a short note in the status line.
func (a *App) say(format string, v ...any) {
	a.status.SetText(fmt.Sprintf(format, v...))
}

func (a *App) installShortcuts() {
	a.shortcuts = map[string]func(){}
	add := func(key fyne.KeyName, mod fyne.KeyModifier, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		guarded := func() {
			if a.setup == nil {
				fn()
			}
		}
		a.shortcuts[sc.ShortcutName()] = guarded
		a.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { guarded() })
	}
	for i, p := range pages {
		p := p
		add(fyne.KeyName(fmt.Sprint(i+1)), fyne.KeyModifierShortcutDefault, func() { a.show(p.id) })
	}
	add(fyne.KeyF, fyne.KeyModifierShortcutDefault, func() { a.show("customers") })
	add(fyne.KeyN, fyne.KeyModifierShortcutDefault, a.newCustomer)
	a.onKey(fyne.KeyF1, a.showHelp)
	a.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if a.windowKey(ev) {
			return
		}
		if ev.Name == fyne.KeyEscape && a.popups != nil && a.popups.dlg != nil {
			a.popups.dlg.Hide()
			return
		}
		if k := a.keyScreen(); k != nil {
			k.typedKey(ev)
		}
	})
	a.win.Canvas().SetOnTypedRune(func(r rune) {
		if k := a.keyScreen(); k != nil {
			k.typedRune(r)
		}
	})
}

// keyedScreen is a screen worked from the keyboard that takes the keys
// typed while nothing has the keyboard, such as after a click on a tab.
type keyedScreen interface {
	typedRune(rune)
	typedKey(*fyne.KeyEvent)
}

// keyScreen is the screen on show when it takes stray keys and no dialog
// is open (a dialog's keys are its own).
func (a *App) keyScreen() keyedScreen {
	if a.win.Canvas().Overlays().Top() != nil || a.setup != nil {
		return nil
	}
	k, _ := a.screens[a.current].(keyedScreen)
	return k
}

// windowShortcut runs one of the window's shortcuts; text fields pass them
// on so a cashier can leave Checkout from the keyboard.
func (a *App) windowShortcut(s fyne.Shortcut) bool {
	if fn, ok := a.shortcuts[s.ShortcutName()]; ok {
		fn()
		return true
	}
	return false
}

// windowKey handles the function keys that work everywhere.
func (a *App) windowKey(ev *fyne.KeyEvent) bool {
	if a.setup != nil {
		return false
	}
	switch ev.Name {
	case fyne.KeyEscape:
		return dismissTop(a.win.Canvas())
	case fyne.KeyF2:
		a.show("checkout")
		return true
	}
	if fn, ok := a.keys[ev.Name]; ok {
		fn()
		return true
	}
	return false
}

// onKey adds a function key that works on every screen.
func (a *App) onKey(k fyne.KeyName, fn func()) {
	if a.keys == nil {
		a.keys = map[fyne.KeyName]func(){}
	}
	a.keys[k] = fn
}

// keyEntry makes a text field that lets the window's shortcuts through.
func (a *App) keyEntry(placeholder string) *keyEntry {
	e := newKeyEntry(placeholder)
	e.app = a
	return e
}

// pickStaff asks who is on shift; the name is recorded on every sale and note.
func (a *App) pickStaff(then func()) {
	names := []string{rules.OwnerName}
	if list, err := a.store.StaffNames(a.ctx); err == nil && len(list) > 0 {
		names = list
	}
	sel := newSelectEntry(names)
	sel.SetText(a.staff)
	a.newForm(lang.L("Who is on shift?"), lang.L("Start shift"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), sel),
	}, func(ok bool) {
		if !ok {
			return
		}
		if err := rules.CheckName(sel.Text); err != nil {
			a.showError(err)
			return
		}
		a.staff = sel.Text
		a.fa.Preferences().SetString("staff", a.staff)
		a.store.AddStaff(a.ctx, a.staff)
		if then != nil {
			then()
		}
	}).Show()
}

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
