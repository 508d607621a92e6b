package screens

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// firstRunPref marks, per file, a shop whose welcome was answered.
const firstRunPref = "firstrun.done"

// firstRun greets a new, empty shop: set it up, or open a demo shop kept
// in a separate file so the real one stays clean.
func (a *App) firstRun() {
	if a.fa.Preferences().Bool(firstRunPref) {
		return
	}
	if a.store.Writable() != nil {
		// Opened read-only while it is checked: asked once the check
		// passes (afterCheck), as nothing could be saved before.
		a.welcomeLater = true
		return
	}
	n, err := a.store.CountCustomers(a.ctx)
	if err != nil || n > 0 {
		return
	}
	if done, err := a.store.IsSetUp(a.ctx); err != nil || done {
		return
	}
	a.welcome()
}

// welcome offers the two ways to begin.
func (a *App) welcome() {
	var d dialog.Dialog
	empty := widget.NewButton(lang.L("Start empty"), func() {
		d.Hide()
		a.startSetup()
	})
	empty.Importance = widget.HighImportance
	demo := widget.NewButton(lang.L("Open a demo shop (separate file)"), func() {
		d.Hide()
		a.openDemo()
	})
	text := widget.NewLabel(lang.L("This shop has no customers yet.\n\nStart empty to set the shop up (name, country, owner PIN, loyalty scheme, staff, backups)\nand then add customers or import them, or look around a demo shop first:\nit lives in its own file and never mixes with yours."))
	d = dialog.NewCustomWithoutButtons(lang.L("Welcome to Regulars"), container.NewVBox(text, container.NewHBox(layout.NewSpacer(), demo, empty)), a.win)
	d.Show()
	a.win.Canvas().Focus(empty)
}

// setupWizard asks what a new shop needs before anything else, one step at
// a time, in the whole window: nothing behind it can be reached until it
// is done, so no guarded action runs before the owner PIN is set.
type setupWizard struct {
	a     *App
	steps []setupStep
	at    int

	heading *widget.Label
	intro   *widget.Label
	page    *fyne.Container
	back    *widget.Button
	next    *widget.Button
	problem *widget.Label // a failure to save, once every step was fine
	obj     fyne.CanvasObject
	shell   fyne.CanvasObject // the window's content, put back when done

	name                       *widget.Entry
	nameErr                    *widget.Label
	countries                  *keyList
	country                    int // index in data.Countries; -1 for none
	countryErr, preview        *widget.Label
	pin, again                 *widget.Entry
	pinErr                     *widget.Label
	per, points, value, expiry *widget.Entry
	loyaltyErr, loyaltySay     *widget.Label
	staff                      *widget.Entry
	staffErr                   *widget.Label
	folder                     *widget.Entry
	folderErr                  *widget.Label
	answers                    data.Setup
}

// setupStep is one page of the set-up: check reads and checks its fields,
// putting a sentence beside each field that is wrong.
type setupStep struct {
	title, intro string
	body         fyne.CanvasObject
	first        func() fyne.Focusable
	check        func() bool
}

// startSetup puts the set-up in the window.
func (a *App) startSetup() {
	w := newSetupWizard(a)
	a.setup = w
	w.shell = a.win.Content()
	a.win.SetContent(w.obj)
	w.showStep(0)
}

// errorLabel is the sentence shown under a field that is wrong.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// say shows msg under a field, or hides the label when msg is "".
func sayUnder(l *widget.Label, err error) bool {
	if err == nil {
		l.SetText("")
		l.Hide()
		return true
	}
	l.SetText(sentenceCase(err.Error()))
	l.Show()
	return false
}

func newSetupWizard(a *App) *setupWizard {
	w := &setupWizard{a: a, country: -1}
	w.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.intro = widget.NewLabel("")
	w.intro.Wrapping = fyne.TextWrapWord
	w.problem = errorLabel()
	w.page = container.NewStack()
	w.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), w.goBack)
	w.next = widget.NewButtonWithIcon(lang.L("Next"), theme.NavigateNextIcon(), w.goNext)
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance

	w.steps = []setupStep{w.nameStep(), w.countryStep(), w.pinStep(), w.loyaltyStep(), w.staffStep(), w.folderStep()}

	logo := canvas.NewImageFromResource(theme.SettingsIcon())
	logo.SetMinSize(fyne.NewSize(28, 28))
	buttons := container.NewHBox(w.back, layout.NewSpacer(), w.next)
	box := container.NewBorder(container.NewVBox(container.NewHBox(logo, w.heading), w.intro, widget.NewSeparator()),
		container.NewVBox(w.problem, widget.NewSeparator(), buttons), nil, nil, w.page)
	w.obj = container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 620), box))
	return w
}

// entryOnEnter makes Enter in e go to the next field, or on from the last.
func (w *setupWizard) entryOnEnter(e *widget.Entry, then func()) {
	e.OnSubmitted = func(string) { then() }
}

func (w *setupWizard) nameStep() setupStep {
	w.name = widget.NewEntry()
	w.name.SetPlaceHolder(lang.L("Such as Harbour Street Bikes"))
	w.nameErr = errorLabel()
	w.name.OnChanged = func(string) { sayUnder(w.nameErr, nil) }
	w.entryOnEnter(w.name, w.goNext)
	return setupStep{
		title: lang.L("The shop's name"),
		intro: lang.L("It signs every message to a customer and heads printed cards and call sheets."),
		body:  container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("Shop name"), w.name)), w.nameErr),
		first: func() fyne.Focusable { return w.name },
		check: func() bool {
			w.answers.Name = strings.TrimSpace(w.name.Text)
			return sayUnder(w.nameErr, setupError(rules.CheckSetupName(w.answers.Name)))
		},
	}
}

func (w *setupWizard) countryStep() setupStep {
	w.countryErr = errorLabel()
	w.preview = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.preview.Wrapping = fyne.TextWrapWord
	w.countries = newKeyList(func() int { return len(rules.Countries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(rules.Countries) {
				o.(*widget.Label).SetText(countryName(rules.Countries[i].Code))
			}
		})
	w.countries.onEnter = w.goNext
	w.countries.OnSelected = func(i widget.ListItemID) {
		w.country = i
		sayUnder(w.countryErr, nil)
		w.showPreview()
	}
	// The computer's language suggests where the shop is.
	for i, c := range rules.Countries {
		if c.Locale == systemLocale() {
			w.countries.Select(i)
			break
		}
	}
	return setupStep{
		title: lang.L("Where the shop is"),
		intro: lang.L("The country sets the money sign and how dates and amounts are written on every screen. Use the arrow keys and Enter, or click."),
		body:  container.NewVBox(container.NewGridWrap(fyne.NewSize(600, 392), w.countries), w.preview, w.countryErr),
		first: func() fyne.Focusable { return w.countries },
		check: func() bool {
			w.answers.Country = ""
			if w.country >= 0 {
				w.answers.Country = rules.Countries[w.country].Code
			}
			return sayUnder(w.countryErr, setupError(rules.CheckSetupCountry(w.answers.Country)))
		},
	}
}

// showPreview writes a date and an amount the way the chosen country does.
func (w *setupWizard) showPreview() {
	if w.country < 0 {
		w.preview.SetText("")
		return
	}
	c := rules.Countries[w.country]
	l := localeFor(c.Locale)
	w.preview.SetText(fmt.Sprintf(lang.L("Dates like %s, amounts like %s"), l.numeric(w.a.Today()), c.Currency+l.Grouped(123450)))
}

func (w *setupWizard) pinStep() setupStep {
	w.pin = widget.NewPasswordEntry()
	w.again = widget.NewPasswordEntry()
	w.pinErr = errorLabel()
	w.pin.OnChanged = func(string) { sayUnder(w.pinErr, nil) }
	w.again.OnChanged = func(string) { sayUnder(w.pinErr, nil) }
	w.entryOnEnter(w.pin, func() { w.a.win.Canvas().Focus(w.again) })
	w.entryOnEnter(w.again, w.goNext)
	return setupStep{
		title: lang.L("The owner PIN"),
		intro: fmt.Sprintf(lang.L("Settings, exports, printed lists, point adjustments, forgetting a customer and restoring a backup ask for it. Choose %d to %d digits that staff do not know, and type them twice."), rules.MinPINLength, rules.MaxPINLength),
		body: container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("Owner PIN"), w.pin),
			widget.NewFormItem(lang.L("Again"), w.again)), w.pinErr),
		first: func() fyne.Focusable { return w.pin },
		check: func() bool {
			w.answers.PIN = w.pin.Text
			return sayUnder(w.pinErr, setupError(rules.CheckSetupPIN(w.pin.Text, w.again.Text)))
		},
	}
}

func (w *setupWizard) loyaltyStep() setupStep {
	l := rules.DefaultLoyalty()
	w.per, w.points, w.value, w.expiry = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.per.SetText(amountText(l.CentsPerPoint))
	w.points.SetText(strconv.FormatInt(l.RewardPoints, 10))
	w.value.SetText(amountText(l.RewardValue))
	w.expiry.SetText(strconv.Itoa(l.ExpiryMonths))
	w.loyaltyErr = errorLabel()
	w.loyaltySay = widget.NewLabel("")
	w.loyaltySay.Wrapping = fyne.TextWrapWord
	fields := []*widget.Entry{w.per, w.points, w.value, w.expiry}
	for i, e := range fields {
		e.OnChanged = func(string) { w.describeLoyalty() }
		if i+1 < len(fields) {
			nextField := fields[i+1]
			w.entryOnEnter(e, func() { w.a.win.Canvas().Focus(nextField) })
		} else {
			w.entryOnEnter(e, w.goNext)
		}
	}
	narrow := func(e *widget.Entry) fyne.CanvasObject { return container.NewGridWrap(fyne.NewSize(140, 36), e) }
	return setupStep{
		title: lang.L("The loyalty scheme"),
		intro: lang.L("Customers earn points on what they pay and trade them for money off. The suggested scheme is a good start."),
		body: container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("One point for every"), narrow(w.per)),
			widget.NewFormItem(lang.L("Points for a reward"), narrow(w.points)),
			widget.NewFormItem(lang.L("A reward is worth"), narrow(w.value)),
			widget.NewFormItem(lang.L("Points expire after (months, 0 = never)"), narrow(w.expiry))),
			w.loyaltyErr, w.loyaltySay),
		first: func() fyne.Focusable { return w.per },
		check: func() bool {
			l, err := w.readLoyalty()
			w.answers.Loyalty = l
			return sayUnder(w.loyaltyErr, setupError(err))
		},
	}
}

// readLoyalty reads the scheme typed; the error names the field to fix.
func (w *setupWizard) readLoyalty() (rules.Loyalty, error) {
	var l rules.Loyalty
	var err error
	if l.CentsPerPoint, err = parseAmount(w.per.Text); err != nil {
		return l, fmt.Errorf(lang.L("One point for every: %w"), err)
	}
	if l.RewardPoints, err = strconv.ParseInt(strings.TrimSpace(w.points.Text), 10, 64); err != nil {
		return l, errors.New(lang.L("Points for a reward must be a whole number, such as 100"))
	}
	if l.RewardValue, err = parseAmount(w.value.Text); err != nil {
		return l, fmt.Errorf(lang.L("A reward is worth: %w"), err)
	}
	if l.ExpiryMonths, err = strconv.Atoi(strings.TrimSpace(w.expiry.Text)); err != nil {
		return l, errors.New(lang.L("Expiry must be a whole number of months, 0 for never"))
	}
	return l, l.Validate()
}

// describeLoyalty says what the scheme typed means for a customer.
func (w *setupWizard) describeLoyalty() {
	sayUnder(w.loyaltyErr, nil)
	l, err := w.readLoyalty()
	if err != nil {
		w.loyaltySay.SetText("")
		return
	}
	spend := rules.Cents(l.RewardPoints) * l.CentsPerPoint
	text := fmt.Sprintf(lang.L("A customer who spends %s earns %s points: one reward of %s off."), w.money(spend), wholeNumber(l.RewardPoints), w.money(l.RewardValue))
	if l.ExpiryMonths > 0 {
		text += " " + fmt.Sprintf(lang.N("Points expire %d months after they are earned.", l.ExpiryMonths), l.ExpiryMonths)
	} else {
		text += " " + lang.L("Points never expire.")
	}
	w.loyaltySay.SetText(text)
}

// money writes an amount the way the chosen country does.
func (w *setupWizard) money(c rules.Cents) string {
	if w.country < 0 {
		return money(c)
	}
	ct := rules.Countries[w.country]
	return ct.Currency + localeFor(ct.Locale).Grouped(c)
}

func (w *setupWizard) staffStep() setupStep {
	w.staff = widget.NewEntry()
	w.staff.SetPlaceHolder(lang.L("Such as Sam, Priya, Jo"))
	w.staffErr = errorLabel()
	w.staff.OnChanged = func(string) { sayUnder(w.staffErr, nil) }
	w.entryOnEnter(w.staff, w.goNext)
	return setupStep{
		title: lang.L("Who works at the counter"),
		intro: lang.L("Names picked at the start of a shift: every sale, note and promise records who made it. Separate them with commas; leave it empty if you work alone. You are on the list as the owner."),
		body:  container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("Staff"), w.staff)), w.staffErr),
		first: func() fyne.Focusable { return w.staff },
		check: func() bool {
			w.answers.Staff = splitNames(w.staff.Text)
			return sayUnder(w.staffErr, setupError(rules.CheckSetupStaff(w.answers.Staff)))
		},
	}
}

// splitNames reads "Sam, Priya, Jo" as three names.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func (w *setupWizard) folderStep() setupStep {
	w.folder = widget.NewEntry()
	w.folder.SetPlaceHolder(lang.L("A USB stick or a cloud-synced folder, such as /media/stick/regulars"))
	w.folderErr = errorLabel()
	w.folder.OnChanged = func(string) { sayUnder(w.folderErr, nil) }
	w.entryOnEnter(w.folder, w.goNext)
	choose := widget.NewButton(lang.L("Choose…"), func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				w.folder.SetText(u.Path())
			}
		}, w.a.win)
		if cur := strings.TrimSpace(w.folder.Text); cur != "" {
			if u, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
				d.SetLocation(u)
			}
		}
		d.Show()
	})
	where := widget.NewLabel(fmt.Sprintf(lang.L("Backups are made every morning and at closing time in %s. A second copy off this PC survives a broken disk or a stolen PC. Optional: leave it empty to add one later in Settings."), data.DefaultBackupDir(w.a.store.Path())))
	where.Wrapping = fyne.TextWrapWord
	return setupStep{
		title: lang.L("A second backup folder"),
		intro: "",
		body:  container.NewVBox(where, container.NewBorder(nil, nil, nil, choose, w.folder), w.folderErr),
		first: func() fyne.Focusable { return w.folder },
		check: func() bool {
			dir, err := data.CheckSecondBackupDir(w.a.store.Path(), w.folder.Text)
			w.answers.SecondBackupDir = dir
			return sayUnder(w.folderErr, setupError(err))
		},
	}
}

// setupError is err in the window's words.
func setupError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(plainSentence(err.Error()))
}

// showStep puts step i on show with the keyboard in its first field.
func (w *setupWizard) showStep(i int) {
	w.at = i
	st := w.steps[i]
	w.heading.SetText(fmt.Sprintf(lang.L("Setting up the shop, step %d of %d: %s"), i+1, len(w.steps), st.title))
	w.intro.SetText(st.intro)
	w.intro.Hidden = st.intro == ""
	w.page.Objects = []fyne.CanvasObject{st.body}
	w.page.Refresh()
	sayUnder(w.problem, nil)
	if i == len(w.steps)-1 {
		w.next.SetText(lang.L("Finish"))
		w.next.SetIcon(theme.ConfirmIcon())
	} else {
		w.next.SetText(lang.L("Next"))
		w.next.SetIcon(theme.NavigateNextIcon())
	}
	if i == 1 {
		w.showPreview()
	}
	if i == 3 {
		w.describeLoyalty()
	}
	w.a.win.Canvas().Focus(st.first())
}

// goBack shows the step before; from the first, the welcome again.
func (w *setupWizard) goBack() {
	if w.at == 0 {
		w.a.win.SetContent(w.shell)
		w.a.setup = nil
		w.a.welcome()
		return
	}
	w.showStep(w.at - 1)
}

// goNext checks the step on show and moves on; the last step saves.
func (w *setupWizard) goNext() {
	if !w.steps[w.at].check() {
		return // the keyboard stays where it was, the sentence shows what to fix
	}
	if w.at+1 < len(w.steps) {
		w.showStep(w.at + 1)
		return
	}
	w.finish()
}

// finish stores the answers and opens the shop on Customers, ready for
// the first customer or an import.
func (w *setupWizard) finish() {
	a := w.a
	su := w.answers
	w.next.Disable()
	background(a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, a.store.SetUp(ctx, su)
	}, func(_ struct{}, err error) {
		w.next.Enable()
		if err != nil {
			sayUnder(w.problem, fmt.Errorf(lang.L("The set-up was not saved: %s"), plainSentence(err.Error())))
			return
		}
		a.fa.Preferences().SetBool(firstRunPref, true)
		loadCurrency(a.ctx, a.store)
		a.win.SetContent(w.shell)
		a.setup = nil
		a.show("customers")
		a.changed()
		a.say(lang.L("%s is set up: add customers, or import them with Import… on Customers"), su.Name)
	})
}

// countryName is a country's name in the window's language.
func countryName(code string) string {
	switch code {
	case "GB":
		return lang.L("United Kingdom")
	case "IE":
		return lang.L("Ireland")
	case "US":
		return lang.L("United States")
	case "AU":
		return lang.L("Australia")
	case "NZ":
		return lang.L("New Zealand")
	case "DE":
		return lang.L("Germany")
	case "AT":
		return lang.L("Austria")
	case "FR":
		return lang.L("France")
	case "BE":
		return lang.L("Belgium")
	case "LU":
		return lang.L("Luxembourg")
	}
	return code
}

// DemoPath is where the demo shop is kept: beside the real database, or
// in this PC's data folder for a shop on PostgreSQL.
func DemoPath(dbPath string) string {
	// The backups folder is beside the shop's file, or in this PC's
	// Regulars data folder for a shop on PostgreSQL: the demo goes beside it.
	return filepath.Join(filepath.Dir(data.DefaultBackupDir(dbPath)), "regulars-demo.db")
}

// openDemo makes a demo shop whose history ends today (as the command
// line's demo --date does), in its own file, and puts the window on it.
// The shop's own file stays open behind it: "Back to my shop" returns at
// once. A demo made on another day is made again, so its Today is a
// sensible day rather than a pile of missed reminders.
func (a *App) openDemo() {
	path := DemoPath(a.opt.DBPath)
	progress := dialog.NewCustomWithoutButtons(lang.L("Making a demo shop…"),
		container.NewVBox(widget.NewLabel(fmt.Sprintf(lang.L("The demo lives in its own file, %s;\nyour shop's file is not touched."), filepath.Base(path))), widget.NewProgressBarInfinite()), a.win)
	progress.Show()
	day := a.Today()
	background(a, func(ctx context.Context) (*data.Store, error) {
		return data.OpenDemo(ctx, path, data.DemoOptions{Customers: demoCustomers, Seed: 1, End: day}, a.opt.Date)
	}, func(s *data.Store, err error) {
		progress.Hide()
		if err != nil {
			a.showError(err)
			return
		}
		a.switchStore(s)
		a.say(lang.L("The demo shop's history ends today, %s"), longDate(day))
	})
}

// demoCustomers is the size of the demo opened from the window; tests
// make a smaller one.
var demoCustomers = 2000

// backToShop puts the window back on the shop's own file.
func (a *App) backToShop() {
	if a.shop == nil || a.store == a.shop {
		return
	}
	a.switchStore(a.shop)
	a.say("%s", lang.L("Back on the shop's own file"))
	a.firstRun() // a shop not set up yet is offered its set-up again
}

// switchStore puts the window on another database. The shop's own store
// is kept open while the demo is on show; any other store left is closed.
func (a *App) switchStore(s *data.Store) {
	old := a.store
	a.store = s
	if s.Path() == a.opt.DBPath {
		a.shop = s
	}
	a.fa = forShop(a.fa, s.Path())
	a.staff = a.fa.Preferences().StringWithFallback("staff", rules.OwnerName)
	loadCurrency(a.ctx, s)
	a.screens = map[string]screen{}
	a.objects = map[string]fyne.CanvasObject{}
	a.navBtns = map[string]*widget.Button{}
	a.win.SetContent(a.shell())
	if a.isDemo() {
		a.status.SetText(fmt.Sprintf(lang.L("Demo shop: %s"), s.Path()))
	}
	a.popups = newPopups(a)
	a.show("today")
	a.popups.check()
	if old != nil && old != s && old != a.shop {
		old.Close()
	}
}

// isDemo reports whether the window is on a file other than the shop's own.
func (a *App) isDemo() bool { return a.store.Path() != a.opt.DBPath }

// demoBanner says plainly that the window is on the demo, with the way back.
func (a *App) demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	msg := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("This is the demo shop (a separate file, %s): nothing here touches your shop."), filepath.Base(a.store.Path())),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg.Truncation = fyne.TextTruncateEllipsis
	var back *widget.Button
	if a.shop != nil {
		back = widget.NewButtonWithIcon(lang.L("Back to my shop"), theme.NavigateBackIcon(), a.backToShop)
		back.Importance = widget.HighImportance
		return container.NewStack(bg, container.NewBorder(nil, nil, nil, back, msg))
	}
	return container.NewStack(bg, msg)
}
