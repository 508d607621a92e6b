package screens

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// settingsScreen is the owner's: shop, staff, loyalty scheme, reminder
// rules and messages, pop-ups and data. It opens only after the owner PIN
// (set on the first visit).
type settingsScreen struct {
	a        *App
	unlocked bool
	lock     *fyne.Container
	body     *fyne.Container
	sections *keyList

	shopName *widget.Entry
	address  *widget.Entry
	currency *widget.Entry
	country  *widget.Select // suggests the sign and format (data.Countries)
	locale   *widget.Select // the shop's date and number format, one of data.Locales
	staff    *widget.List
	names    []string
	loyalty  map[string]*widget.Entry
	rules    map[rules.Kind]*ruleRow
	safety   *safetySettings // backups and the audit log (backups.go)
	preview  *widget.Label
	share    *widget.Entry // drifting customers a day on Today
	popEvery *widget.Select
	till     *widget.Entry // this PC's till (data.TillName), kept on the PC
	editor   *templateEditor
	obj      fyne.CanvasObject

	// filling is set while reload writes the fields, so the rule preview is
	// worked out once rather than on every field filled in.
	filling bool
	// previewBusy and previewAgain keep one preview count running at a time.
	previewBusy, previewAgain bool
	// Previewed is the count of the latest preview; tests read it.
	previewed int
}

// fitCards puts the subtitle of every card in o on wrapping lines of the
// card's own: a card draws its subtitle on one line, as wide as it is
// long, which would make Settings wider than a small screen.
func fitCards(o fyne.CanvasObject) {
	switch c := o.(type) {
	case *widget.Card:
		if c.Subtitle != "" {
			sub := widget.NewLabel(c.Subtitle)
			sub.Wrapping = fyne.TextWrapWord
			c.SetSubTitle("")
			c.SetContent(container.NewBorder(sub, nil, nil, nil, c.Content))
		}
		fitCards(c.Content)
	case *fyne.Container:
		for _, k := range c.Objects {
			fitCards(k)
		}
	}
}

type ruleRow struct {
	on     *widget.Check
	fields map[string]*widget.Entry
}

func newSettings(a *App) screen {
	s := &settingsScreen{a: a, loyalty: map[string]*widget.Entry{}, rules: map[rules.Kind]*ruleRow{}, previewed: -1}
	unlock := widget.NewButton(lang.L("Unlock settings"), s.unlockDialog)
	unlock.Importance = widget.HighImportance
	s.lock = container.NewCenter(container.NewVBox(
		widget.NewLabel(lang.L("Settings belong to the owner: the PIN is asked for first.")), unlock))

	shop := s.shopCard()
	staff := s.staffCard()
	loyalty := s.loyaltyCard()
	rules := s.rulesCard()
	s.editor = newTemplateEditor(a)
	messages := widget.NewCard(lang.L("Messages"), lang.L("What each kind of reminder says; tried on a made-up customer as you type"), s.editor.obj)
	popups := s.popupsCard()
	dataCard := s.dataCard()
	s.safety = newSafetySettings(a)
	// One section at a time, picked from a list that the keyboard reaches.
	s.showSections([]settingsSection{
		{lang.L("Shop"), shop}, {lang.L("Staff"), staff}, {lang.L("Loyalty scheme"), loyalty}, {lang.L("Reminder rules"), rules},
		{lang.L("Messages"), messages}, {lang.L("Pop-ups and look"), container.NewVBox(popups, a.appearanceCard())},
		{lang.L("Data and backups"), container.NewVBox(dataCard, s.safety.backups.card)}, {lang.L("Audit log"), s.safety.audit.card},
	})
	return s
}

// shopCard is the shop's name, address, country, currency sign and
// formats.
func (s *settingsScreen) shopCard() fyne.CanvasObject {
	s.shopName = widget.NewEntry()
	s.shopName.Validator = asSentence(rules.CheckName)
	s.address = widget.NewMultiLineEntry()
	s.address.SetMinRowsVisible(3)
	s.address.SetPlaceHolder(lang.L("Street, town and postcode, one per line: printed on cards"))
	s.currency = widget.NewEntry()
	s.currency.SetPlaceHolder(lang.L("£, €, $ or empty"))
	var localeLabels []string
	for _, tag := range rules.Locales {
		localeLabels = append(localeLabels, localeLabel(tag))
	}
	s.locale = widget.NewSelect(localeLabels, nil)
	var countryNames []string
	for _, c := range rules.Countries {
		countryNames = append(countryNames, countryName(c.Code))
	}
	s.country = widget.NewSelect(countryNames, func(string) {
		if i := s.country.SelectedIndex(); !s.filling && i >= 0 {
			c := rules.Countries[i]
			s.currency.SetText(c.Currency)
			s.locale.SetSelected(localeLabel(c.Locale))
		}
	})
	s.country.PlaceHolder = lang.L("(none chosen)")
	shopForm := widget.NewForm(
		widget.NewFormItem(lang.L("Shop name"), s.shopName),
		widget.NewFormItem(lang.L("Address"), s.address),
		widget.NewFormItem(lang.L("Country"), s.country),
		widget.NewFormItem(lang.L("Currency sign"), container.NewGridWrap(fyne.NewSize(120, 36), s.currency)),
		widget.NewFormItem(lang.L("Date and number format"), s.locale),
	)
	saveShop := widget.NewButton(lang.L("Save shop details"), s.saveShop)
	return widget.NewCard(lang.L("Shop"), lang.L("Signs messages, heads printed cards and call sheets; the sign is shown before amounts on screen"),
		container.NewVBox(shopForm, container.NewHBox(saveShop)))
}

// staffCard lists the staff, with a name to add and the selected one to
// remove.
func (s *settingsScreen) staffCard() fyne.CanvasObject {
	a := s.a
	s.staff = widget.NewList(func() int { return len(s.names) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.names) {
				o.(*widget.Label).SetText(s.names[i])
			}
		})
	selected := -1
	s.staff.OnSelected = func(i widget.ListItemID) { selected = i }
	newName := newEntry()
	newName.SetPlaceHolder(lang.L("Name of a new staff member"))
	add := widget.NewButton(lang.L("Add"), func() {
		n := strings.TrimSpace(newName.Text)
		s.save(fmt.Sprintf(lang.L("Added %s"), n), func(ctx context.Context) error { return a.store.AddStaff(ctx, n) })
		newName.SetText("")
	})
	newName.OnSubmitted = func(string) { add.OnTapped() }
	remove := widget.NewButton(lang.L("Remove selected"), func() {
		if selected < 0 || selected >= len(s.names) {
			return
		}
		n := s.names[selected]
		s.save(fmt.Sprintf(lang.L("Removed %s"), n), func(ctx context.Context) error { return a.store.RemoveStaff(ctx, n) })
	})
	staffBox := container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(add, remove), newName), nil, nil,
		container.NewGridWrap(fyne.NewSize(380, 150), s.staff))
	return widget.NewCard(lang.L("Staff"), lang.L("Names picked at the start of a shift and named on promises"), staffBox)
}

// loyaltyCard is the scheme's numbers.
func (s *settingsScreen) loyaltyCard() fyne.CanvasObject {
	loyaltyForm := widget.NewForm()
	for _, f := range []struct{ key, label string }{
		{"per", lang.L("Amount per point")}, {"points", lang.L("Points per reward")}, {"value", lang.L("Reward value")}, {"expiry", lang.L("Points expire after (months, 0 = never)")},
	} {
		e := widget.NewEntry()
		s.loyalty[f.key] = e
		loyaltyForm.Append(f.label, container.NewGridWrap(fyne.NewSize(120, 36), e))
	}
	saveLoyalty := widget.NewButton(lang.L("Save scheme"), s.saveLoyalty)
	return widget.NewCard(lang.L("Loyalty scheme"), "", container.NewVBox(loyaltyForm, container.NewHBox(saveLoyalty)))
}

// rulesCard is the reminder rules, with what they would do to Today.
func (s *settingsScreen) rulesCard() fyne.CanvasObject {
	rulesBox := container.NewVBox()
	for _, k := range rules.Kinds {
		row := &ruleRow{on: widget.NewCheck(kindIcon(k)+" "+kindTitle(k), func(bool) { s.updatePreview() }), fields: map[string]*widget.Entry{}}
		// The kind, and its numbers on the line below: side by side they
		// are wider than Settings is on a 1024-pixel screen.
		// Each number with its words, as many to a line as fit.
		fl := &columnsLayout{min: 270, onChange: func() { rulesBox.Refresh() }}
		fields := container.New(fl)
		for _, f := range ruleFields(k) {
			e := widget.NewEntry()
			e.OnChanged = func(string) { s.updatePreview() }
			row.fields[f.key] = e
			fields.Add(container.NewHBox(widget.NewLabel(f.label), container.NewGridWrap(fyne.NewSize(76, 36), e)))
		}
		s.rules[k] = row
		rulesBox.Add(container.NewVBox(row.on, container.NewBorder(nil, nil, widget.NewLabel("   "), nil, fields)))
	}
	s.share = widget.NewEntry()
	rulesBox.Add(container.NewHBox(widget.NewLabel(lang.L("Drifting away on Today: at most")),
		container.NewGridWrap(fyne.NewSize(76, 36), s.share), widget.NewLabel(lang.L("a day, the biggest spenders first"))))
	s.preview = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.preview.Wrapping = fyne.TextWrapWord
	saveRules := widget.NewButton(lang.L("Save rules"), s.saveRules)
	fillDefaults := s.fillRules(rules.DefaultRules())
	defaults := widget.NewButton(lang.L("Back to the defaults"), func() {
		s.share.SetText(strconv.Itoa(rules.DefaultDriftingShare))
		fillDefaults()
	})
	return widget.NewCard(lang.L("Reminder rules"), lang.L("Switch kinds off or change their numbers (days, amounts); the line below counts what Today would list"),
		container.NewVBox(rulesBox, s.preview, container.NewHBox(saveRules, defaults)))
}

// popupsCard says how often the window looks for newly due reminders.
func (s *settingsScreen) popupsCard() fyne.CanvasObject {
	popMinutes := []int{5, 10, 15}
	var popLabels []string
	for _, n := range popMinutes {
		popLabels = append(popLabels, fmt.Sprintf(lang.L("every %d minutes"), n))
	}
	s.popEvery = widget.NewSelect(popLabels, nil)
	s.popEvery.OnChanged = func(v string) {
		i := s.popEvery.SelectedIndex()
		if s.filling || i < 0 {
			return
		}
		n := popMinutes[i]
		s.save(fmt.Sprintf(lang.L("Pop-ups now look %s"), v), func(ctx context.Context) error {
			return s.a.store.SetPopupEvery(ctx, time.Duration(n)*time.Minute)
		})
	}
	return widget.NewCard(lang.L("Pop-ups"), lang.L("How often the window looks for newly due reminders (and always at midnight)"),
		container.NewHBox(widget.NewLabel(lang.L("Look")), s.popEvery))
}

// dataCard names the database file (or server), opens its folder and
// changes the PIN.
func (s *settingsScreen) dataCard() fyne.CanvasObject {
	a := s.a
	path := widget.NewLabel(fmt.Sprintf(lang.L("Database: %s"), a.store.Path()))
	path.Wrapping = fyne.TextWrapBreak
	where := lang.L("Everything lives in this one file on this computer")
	if a.store.OnPostgres() {
		where = lang.L("The shop is kept on a PostgreSQL server that every till shares")
	}
	openDir := widget.NewButtonWithIcon(lang.L("Open the data folder"), theme.FolderOpenIcon(), func() {
		u := &url.URL{Scheme: "file", Path: filepath.Dir(a.store.Path())}
		if err := a.fa.OpenURL(u); err != nil {
			a.showError(fmt.Errorf(lang.L("Could not open the folder: %v"), err))
		}
	})
	pin := widget.NewButton(lang.L("Change owner PIN…"), s.changePIN)
	s.till = widget.NewEntry()
	s.till.SetText(data.TillName())
	s.till.SetPlaceHolder(lang.L("Front, Back office…: named on the sales and notes made at this PC"))
	saveTill := widget.NewButton(lang.L("Save till name"), s.saveTill)
	tillForm := widget.NewForm(widget.NewFormItem(lang.L("Till name"), container.NewBorder(nil, nil, nil, saveTill, s.till)))
	buttons := container.NewHBox(openDir, pin)
	if a.store.OnPostgres() {
		buttons = container.NewHBox(pin) // no folder on this computer holds the shop
	}
	return widget.NewCard(lang.L("Data"), where, container.NewVBox(path, buttons, tillForm))
}

// saveTill keeps the till's name on this PC (not in the shop): every till
// of a shop on PostgreSQL has its own.
func (s *settingsScreen) saveTill() {
	name := s.till.Text
	s.save(lang.L("Till name saved"), func(context.Context) error { return data.SetTillName(name) })
}

// settingsSection is a page of Settings and its name in the list.
type settingsSection struct {
	title string
	obj   fyne.CanvasObject
}

// showSections lays the sections out one at a time beside the list that
// picks them, and puts the settings behind the lock.
func (s *settingsScreen) showSections(sections []settingsSection) {
	pages := container.NewStack()
	for _, sec := range sections {
		fitCards(sec.obj)
		pages.Add(container.NewVScroll(sec.obj))
	}
	s.sections = newKeyList(func() int { return len(sections) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(sections) {
				o.(*widget.Label).SetText(sections[i].title)
			}
		})
	s.sections.app = s.a
	s.sections.OnSelected = func(i widget.ListItemID) {
		for j, pg := range pages.Objects {
			if j == i {
				pg.Show()
			} else {
				pg.Hide()
			}
		}
	}
	s.sections.Select(0)
	side := container.NewBorder(nil, nil, nil, widget.NewSeparator(), container.NewGridWrap(fyne.NewSize(180, float32(len(sections))*40), s.sections))
	s.body = container.NewBorder(nil, nil, side, nil, pages)
	s.obj = container.NewStack(s.lock, s.body)
	s.body.Hide()
}

type ruleField struct{ key, label string }

func ruleFields(k rules.Kind) []ruleField {
	switch k {
	case rules.KindThankYou:
		return []ruleField{{"after", lang.L("days after sale")}, {"stay", lang.L("days on the list")}, {"gap", lang.L("days between two")}}
	case rules.KindCheckIn:
		return []ruleField{{"after", lang.L("days after sale")}, {"stay", lang.L("days on the list")}, {"min", lang.L("from amount")}}
	case rules.KindBirthday, rules.KindAnniversary, rules.KindOccasion:
		return []ruleField{{"before", lang.L("shown days before")}, {"stay", lang.L("days on the list")}}
	case rules.KindPromise:
		return []ruleField{{"before", lang.L("shown days before")}, {"resolved", lang.L("check-in days after kept")}}
	case rules.KindComplaintFollowup:
		return []ruleField{{"after", lang.L("days after received")}, {"resolved", lang.L("days after resolved")}}
	case rules.KindStayInTouch:
		return []ruleField{{"after", lang.L("days without a visit")}}
	case rules.KindPointsExpiring:
		return []ruleField{{"after", lang.L("days before expiry")}}
	}
	return nil
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.obj }

func (s *settingsScreen) focus() {
	// Coming back to Settings asks again: the counter PC is shared.
	s.unlocked = false
	s.body.Hide()
	s.lock.Show()
	s.unlockDialog()
}

func (s *settingsScreen) unlockDialog() {
	s.a.requireOwner(lang.L("open Settings"), s.open)
}

func (s *settingsScreen) open() {
	s.unlocked = true
	s.lock.Hide()
	s.body.Show()
	s.reload()
	s.a.win.Canvas().Focus(s.sections)
}

type settingsData struct {
	shop    rules.ShopDetails
	country string // its code; "" for none
	staff   []string
	loy     rules.Loyalty
	rules   rules.Rules
	every   time.Duration
	share   int
}

func (s *settingsScreen) reload() {
	if !s.unlocked {
		return
	}
	s.safety.reload()
	background(s.a, func(ctx context.Context) (settingsData, error) {
		var d settingsData
		var err error
		if d.shop, err = s.a.store.Shop(ctx); err != nil {
			return d, err
		}
		if c, ok, err := s.a.store.Country(ctx); err != nil {
			return d, err
		} else if ok {
			d.country = c.Code
		}
		if d.staff, err = s.a.store.StaffNames(ctx); err != nil {
			return d, err
		}
		if d.loy, err = s.a.store.Loyalty(ctx); err != nil {
			return d, err
		}
		if d.every, err = s.a.store.PopupEvery(ctx); err != nil {
			return d, err
		}
		if d.share, err = s.a.store.DriftingShare(ctx); err != nil {
			return d, err
		}
		d.rules, err = s.a.store.Rules(ctx)
		return d, err
	}, func(d settingsData, err error) {
		if err != nil {
			s.a.showError(err)
		}
		s.filling = true
		s.shopName.SetText(d.shop.Name)
		s.address.SetText(d.shop.Address)
		s.currency.SetText(d.shop.Currency)
		s.country.ClearSelected()
		if c, ok := rules.CountryByCode(d.country); ok {
			s.country.SetSelected(countryName(c.Code))
		}
		setCurrency(d.shop.Currency)
		setLocale(d.shop.Locale)
		shown := d.shop.Locale
		if shown == "" {
			shown = systemLocale()
		}
		s.locale.SetSelected(localeLabel(shown))
		s.names = d.staff
		s.staff.Refresh()
		s.loyalty["per"].SetText(amountText(d.loy.CentsPerPoint))
		s.loyalty["points"].SetText(fmt.Sprint(d.loy.RewardPoints))
		s.loyalty["value"].SetText(amountText(d.loy.RewardValue))
		s.loyalty["expiry"].SetText(fmt.Sprint(d.loy.ExpiryMonths))
		s.popEvery.SetSelected(fmt.Sprintf(lang.L("every %d minutes"), int(d.every/time.Minute)))
		s.share.SetText(strconv.Itoa(d.share))
		s.filling = false
		s.fillRules(d.rules)()
	})
	s.editor.reload()
}

// fillRules returns a function that puts r into the rule fields and
// previews it.
func (s *settingsScreen) fillRules(r rules.Rules) func() {
	return func() {
		s.filling = true
		for k, row := range s.rules {
			x := r[k]
			row.on.SetChecked(x.On)
			for key, e := range row.fields {
				switch key {
				case "after":
					e.SetText(fmt.Sprint(x.AfterDays))
				case "before":
					e.SetText(fmt.Sprint(x.BeforeDays))
				case "stay":
					e.SetText(fmt.Sprint(x.StayDays))
				case "gap":
					e.SetText(fmt.Sprint(x.GapDays))
				case "resolved":
					e.SetText(fmt.Sprint(x.ResolvedDays))
				case "min":
					e.SetText(amountText(x.MinCents))
				}
			}
		}
		s.filling = false
		s.updatePreview()
	}
}

func (s *settingsScreen) saveShop() {
	d := rules.ShopDetails{Name: s.shopName.Text, Address: s.address.Text, Currency: s.currency.Text}
	if i := s.locale.SelectedIndex(); i >= 0 && i < len(rules.Locales) {
		d.Locale = rules.Locales[i]
	}
	if err := d.Validate(); err != nil {
		s.a.showError(err)
		return
	}
	country := ""
	if i := s.country.SelectedIndex(); i >= 0 {
		country = rules.Countries[i].Code
	}
	s.save(lang.L("Shop details saved"), func(ctx context.Context) error {
		if err := s.a.store.SetShop(ctx, d); err != nil {
			return err
		}
		if err := s.a.store.SetCountry(ctx, country); err != nil {
			return err
		}
		setCurrency(strings.TrimSpace(d.Currency))
		setLocale(d.Locale)
		return nil
	})
}

func (s *settingsScreen) saveLoyalty() {
	var l rules.Loyalty
	var err error
	if l.CentsPerPoint, err = parseAmount(s.loyalty["per"].Text); err != nil {
		s.a.showError(fmt.Errorf(lang.L("Amount per point: %w"), err))
		return
	}
	if l.RewardPoints, err = strconv.ParseInt(strings.TrimSpace(s.loyalty["points"].Text), 10, 64); err != nil {
		s.a.showError(errors.New(lang.L("Points per reward must be a whole number")))
		return
	}
	if l.RewardValue, err = parseAmount(s.loyalty["value"].Text); err != nil {
		s.a.showError(fmt.Errorf(lang.L("Reward value: %w"), err))
		return
	}
	if l.ExpiryMonths, err = strconv.Atoi(strings.TrimSpace(s.loyalty["expiry"].Text)); err != nil {
		s.a.showError(errors.New(lang.L("Expiry must be a whole number of months")))
		return
	}
	s.save(lang.L("Loyalty scheme saved"), func(ctx context.Context) error { return s.a.store.SetLoyalty(ctx, l) })
}

// rulesFromForm reads the rule fields; the error names the field to fix.
func (s *settingsScreen) rulesFromForm() (rules.Rules, error) {
	ruleSet := rules.DefaultRules()
	for _, k := range rules.Kinds {
		row := s.rules[k]
		r := ruleSet[k]
		r.On = row.on.Checked
		for _, f := range ruleFields(k) {
			e := row.fields[f.key]
			if f.key == "min" {
				v, err := parseAmount(e.Text)
				if err != nil {
					return nil, fmt.Errorf("%s, %s: %w", kindTitle(k), f.label, err)
				}
				r.MinCents = v
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(e.Text))
			if err != nil {
				return nil, fmt.Errorf(lang.L("%s, %s: %q is not a whole number of days"), kindTitle(k), f.label, e.Text)
			}
			switch f.key {
			case "after":
				r.AfterDays = n
			case "before":
				r.BeforeDays = n
			case "stay":
				r.StayDays = n
			case "gap":
				r.GapDays = n
			case "resolved":
				r.ResolvedDays = n
			}
		}
		ruleSet[k] = r
	}
	return ruleSet, ruleSet.Validate()
}

// updatePreview counts what Today would list with the rules as typed. One
// count runs at a time; changes made meanwhile are counted when it ends.
func (s *settingsScreen) updatePreview() {
	if s.filling || !s.unlocked {
		return
	}
	rules, err := s.rulesFromForm()
	if err != nil {
		s.preview.Importance = widget.DangerImportance
		s.preview.SetText(fmt.Sprintf(lang.L("Fix this to see what the rules would do: %s"), err.Error()))
		s.previewed = -1
		return
	}
	if s.previewBusy {
		s.previewAgain = true
		return
	}
	s.previewBusy = true
	day := s.a.Today()
	background(s.a, func(ctx context.Context) (int, error) {
		return s.a.store.TodayCountWith(ctx, day, rules)
	}, func(n int, err error) {
		s.previewBusy = false
		if err != nil {
			s.preview.Importance = widget.DangerImportance
			s.preview.SetText(sentenceCase(err.Error()))
			s.previewed = -1
		} else {
			s.previewed = n
			s.preview.Importance = widget.MediumImportance
			s.preview.SetText(fmt.Sprintf(lang.N("With these rules Today would list %d reminders on %s.", n), n, longDate(day)))
		}
		s.preview.Refresh()
		if s.previewAgain {
			s.previewAgain = false
			s.updatePreview()
		}
	})
}

func (s *settingsScreen) saveRules() {
	rules, err := s.rulesFromForm()
	if err != nil {
		s.a.showError(err)
		return
	}
	share, err := strconv.Atoi(strings.TrimSpace(s.share.Text))
	if err != nil {
		s.a.showError(fmt.Errorf(lang.L("Drifting away: %q is not a whole number of customers"), s.share.Text))
		return
	}
	s.save(lang.L("Reminder rules saved"), func(ctx context.Context) error {
		if err := s.a.store.SetDriftingShare(ctx, share); err != nil {
			return err
		}
		return s.a.store.SetRules(ctx, rules)
	})
}

func (s *settingsScreen) changePIN() {
	pin := newPasswordEntry()
	again := newPasswordEntry()
	s.a.newForm(lang.L("Change the owner PIN"), lang.L("Change"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(fmt.Sprintf(lang.L("New PIN (%d–%d digits)"), rules.MinPINLength, rules.MaxPINLength), pin), widget.NewFormItem(lang.L("Again"), again),
	}, func(ok bool) {
		if !ok {
			return
		}
		if pin.Text != again.Text {
			s.a.showError(errors.New(lang.L("The two PINs differ; the PIN was not changed")))
			return
		}
		s.save(lang.L("Owner PIN changed"), func(ctx context.Context) error { return s.a.store.SetOwnerPIN(ctx, pin.Text) })
	}).Show()
}

func (s *settingsScreen) save(what string, fn func(context.Context) error) {
	background(s.a, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) },
		func(_ struct{}, err error) {
			if err != nil {
				s.a.showError(err)
				return
			}
			s.a.say("%s", what)
			s.a.changed()
		})
}

// loadCurrency reads the shop's currency sign and date and number format.
func loadCurrency(ctx context.Context, s *data.Store) {
	if d, err := s.Shop(ctx); err == nil {
		setCurrency(d.Currency)
		setLocale(d.Locale)
	}
}
