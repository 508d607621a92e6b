package screens

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"regulars/rules"
)

// edit opens the customer form; a zero ID adds a new customer.
func (p *customerPage) edit(c rules.Customer) {
	f := newCustomerForm(c, p.a.Today)
	title := fmt.Sprintf(lang.L("Edit %s"), c.Name)
	if c.ID == 0 {
		title = lang.L("New customer")
	}
	d := p.a.newForm(title, lang.L("Save"), lang.L("Cancel"), f.items(), func(ok bool) {
		if !ok {
			return
		}
		p.save(f.customer(p.a.Today()))
	})
	d.Resize(fyne.NewSize(620, 720))
	d.Show()
	p.a.win.Canvas().Focus(f.name)
}

// customerForm is the fields of the customer form, filled from the
// customer being edited.
type customerForm struct {
	c                     rules.Customer
	name, phone, email    *escEntry
	birthday, since, tags *escEntry
	address, notes        *escEntry
	prefer                *widget.Select
	dnc                   *widget.Check
	consent               map[rules.Channel]*widget.Check
	consentChecks         []fyne.CanvasObject
	has                   map[rules.Channel]rules.Consent // the consents the customer has given
	source                *escSelectEntry
}

func newCustomerForm(c rules.Customer, today func() rules.Day) *customerForm {
	f := &customerForm{c: c}
	f.name = newEntry()
	f.name.SetText(c.Name)
	f.name.Validator = asSentence(rules.CheckName)
	f.phone = newEntry()
	f.phone.SetText(c.Phone)
	f.phone.Validator = asSentence(rules.CheckPhone)
	f.email = newEntry()
	f.email.SetText(c.Email)
	f.email.Validator = asSentence(rules.CheckEmail)
	f.newDateFields(today)
	f.address = newMultiLineEntry()
	f.address.SetText(c.Address)
	f.address.SetMinRowsVisible(2)
	f.notes = newMultiLineEntry()
	f.notes.SetText(c.Notes)
	f.notes.SetMinRowsVisible(2)
	f.tags = newEntry()
	f.tags.SetText(strings.Join(c.Tags, "; "))
	f.tags.SetPlaceHolder(lang.L("vip; trade"))
	f.prefer = widget.NewSelect([]string{lang.L("Phone call"), lang.L("Email"), lang.L("Text message"), lang.L("In person"), lang.L("Post")}, nil)
	if c.PreferredChannel != "" {
		f.prefer.SetSelected(channelLabel(c.PreferredChannel))
	}
	f.dnc = widget.NewCheck(lang.L("Do not contact (overrides all consent)"), nil)
	f.dnc.SetChecked(c.DoNotContact)
	f.newConsentFields()
	return f
}

// newDateFields makes the birthday and customer-since fields, checked
// against today.
func (f *customerForm) newDateFields(today func() rules.Day) {
	f.birthday = newEntry()
	f.birthday.SetText(yearlyText(f.c.Birthday))
	f.birthday.SetPlaceHolder(fmt.Sprintf(lang.L("%s, or %s without the year"), dateExample(), yearlyExample()))
	f.birthday.Validator = func(s string) error {
		b, err := parseYearly(s)
		if err != nil {
			return err
		}
		return checkBirthday(b, today())
	}
	f.since = newEntry()
	f.since.SetText(dateText(f.c.CustomerSince))
	f.since.SetPlaceHolder(dateExample())
	f.since.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		d, err := parseDate(s)
		if err != nil {
			return err
		}
		return checkCustomerSince(d, today())
	}
}

// newConsentFields makes a check for each channel, ticked where the
// customer has consented, and the field saying how new consent was given.
func (f *customerForm) newConsentFields() {
	f.consent = map[rules.Channel]*widget.Check{}
	f.has = map[rules.Channel]rules.Consent{}
	for _, k := range f.c.Consents {
		f.has[k.Channel] = k
	}
	for _, ch := range rules.ConsentChannels {
		chk := widget.NewCheck(channelLabel(ch), nil)
		_, ok := f.has[ch]
		chk.SetChecked(ok)
		f.consent[ch] = chk
		f.consentChecks = append(f.consentChecks, chk)
	}
	f.source = newSelectEntry([]string{lang.L("in person"), lang.L("signed form"), lang.L("by email"), lang.L("by phone")})
	f.source.SetText(lang.L("in person"))
}

func (f *customerForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), f.name),
		widget.NewFormItem(lang.L("Phone"), f.phone),
		widget.NewFormItem(lang.L("Email"), f.email),
		widget.NewFormItem(lang.L("Birthday"), f.birthday),
		widget.NewFormItem(lang.L("Customer since"), f.since),
		widget.NewFormItem(lang.L("Address"), f.address),
		widget.NewFormItem(lang.L("Tags"), f.tags),
		widget.NewFormItem(lang.L("Prefers"), f.prefer),
		widget.NewFormItem(lang.L("Consent"), wrapChecks(f.consentChecks)),
		widget.NewFormItem(lang.L("Consent given"), f.source),
		widget.NewFormItem("", f.dnc),
		widget.NewFormItem(lang.L("Notes"), f.notes),
	}
}

// customer is the customer as the form now says; consent ticked today is
// given on today.
func (f *customerForm) customer(today rules.Day) rules.Customer {
	out := f.c
	out.Name = strings.TrimSpace(f.name.Text)
	out.Phone = strings.TrimSpace(f.phone.Text)
	out.Email = strings.TrimSpace(f.email.Text)
	out.Birthday, _ = parseYearly(f.birthday.Text)
	out.CustomerSince = 0
	if strings.TrimSpace(f.since.Text) != "" {
		out.CustomerSince, _ = parseDate(f.since.Text)
	}
	out.Address = f.address.Text
	out.Notes = f.notes.Text
	out.Tags = nil
	for _, t := range strings.FieldsFunc(f.tags.Text, func(r rune) bool { return r == ';' || r == ',' }) {
		if t = strings.TrimSpace(t); t != "" {
			out.Tags = append(out.Tags, t)
		}
	}
	out.PreferredChannel = ""
	if f.prefer.Selected != "" {
		out.PreferredChannel = channelFromLabel(f.prefer.Selected)
	}
	out.DoNotContact = f.dnc.Checked
	out.Consents = nil
	for _, ch := range rules.ConsentChannels {
		if !f.consent[ch].Checked {
			continue
		}
		if k, ok := f.has[ch]; ok {
			out.Consents = append(out.Consents, k)
		} else {
			out.Consents = append(out.Consents, rules.Consent{Channel: ch, GivenOn: today, Source: f.source.Text})
		}
	}
	return out
}

func wrapChecks(objs []fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(objs...)
}

func (p *customerPage) save(c rules.Customer) {
	background(p.a, func(ctx context.Context) (rules.ID, error) {
		if c.ID == 0 {
			dups, err := p.a.store.Duplicates(ctx, c)
			if err != nil {
				return 0, err
			}
			if len(dups) > 0 {
				return dups[0].ID, &duplicateError{dups[0]}
			}
			return p.a.store.AddCustomer(ctx, c)
		}
		return c.ID, p.a.store.UpdateCustomer(ctx, c)
	}, func(id rules.ID, err error) {
		var dup *duplicateError
		if errors.As(err, &dup) {
			// Nothing typed is lost: open the one on file, or go back to the form.
			dialog.ShowConfirm(lang.L("Already a customer"),
				fmt.Sprintf(lang.L("%s (customer %d) already has this phone or email.\nOpen %s instead? Choose No to change what you typed."), dup.c.Name, dup.c.ID, dup.c.Name),
				func(open bool) {
					if open {
						p.load(dup.c.ID)
					} else {
						p.edit(c)
					}
				}, p.a.win)
			return
		}
		if err != nil {
			p.a.showError(err)
			return
		}
		p.a.say(lang.L("Saved %s"), c.Name)
		p.a.changed()
		p.load(id)
	})
}

// duplicateError names the customer already on file with a phone or email.
type duplicateError struct{ c rules.Customer }

func (e *duplicateError) Error() string {
	return fmt.Sprintf(lang.L("%s (customer %d) already has this phone or email"), e.c.Name, e.c.ID)
}

func (p *customerPage) logContact() {
	if p.id == 0 {
		return
	}
	channel := widget.NewSelect(channelLabels(), nil)
	channel.SetSelected(lang.L("Phone call"))
	outcome := newSelectEntry(outcomes())
	note := newEntry()
	id := p.id
	p.a.newForm(fmt.Sprintf(lang.L("Log a contact with %s"), p.cust.Name), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("How"), channel), widget.NewFormItem(lang.L("Outcome"), outcome), widget.NewFormItem(lang.L("Note"), note),
	}, func(ok bool) {
		if !ok {
			return
		}
		c := rules.Contact{CustomerID: id, Channel: channelFromLabel(channel.Selected), Outcome: outcome.Text, Note: note.Text, Staff: p.a.staff}
		p.run(lang.L("Contact logged"), func(ctx context.Context) error {
			_, err := p.a.store.LogContact(ctx, c)
			return err
		})
	}).Show()
}

func (p *customerPage) addPromise() {
	if p.id == 0 {
		return
	}
	p.a.promiseForm(p.cust, func() { p.load(p.cust.ID) })
}

func (p *customerPage) addComplaint() {
	if p.id == 0 {
		return
	}
	p.a.complaintForm(p.cust, fmt.Sprintf(lang.L("Complaint from %s"), p.cust.Name), lang.L("Save"), "", func() { p.load(p.cust.ID) })
}

func (p *customerPage) addOccasion() {
	if p.id == 0 {
		return
	}
	p.a.occasionForm(p.cust, 0, func() { p.load(p.cust.ID) })
}

// timelineAction offers what can be done with an open promise or complaint
// picked on the customer's timeline: keep it, or resolve it.
func (p *customerPage) timelineAction(i widget.ListItemID) {
	if i < 0 || i >= len(p.timeline) {
		return
	}
	e := p.timeline[i]
	p.tlList.UnselectAll()
	reload := func() { p.load(p.cust.ID) }
	switch {
	case e.promise != nil && e.open:
		p.a.keepPromiseDialog(*e.promise, p.cust.Name, reload)
	case e.complaint != nil && e.open:
		p.a.resolveDialog(*e.complaint, p.cust.Name, reload)
	}
}

// promiseForm records something promised to a customer.
func (a *App) promiseForm(c rules.Customer, then func()) {
	what := newEntry()
	what.SetPlaceHolder(lang.L("Order floor mats"))
	what.Validator = required(lang.L("Say what was promised"))
	due := newEntry()
	due.SetText(dateText(a.Today().AddDays(7)))
	due.Validator = func(s string) error {
		d, err := parseDate(s)
		if err != nil {
			return err
		}
		if d < a.Today() {
			return errors.New(lang.L("The due day has passed already"))
		}
		return nil
	}
	staff := newSelectEntry(a.staffNames())
	staff.SetText(a.staff)
	staff.Validator = required(lang.L("Say who answers for it"))
	d := a.newForm(fmt.Sprintf(lang.L("Promise to %s"), c.Name), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("What"), what), widget.NewFormItem(lang.L("Due"), due), widget.NewFormItem(lang.L("Who answers for it"), staff),
	}, func(ok bool) {
		if !ok {
			return
		}
		day, _ := parseDate(due.Text)
		pr := rules.Promise{CustomerID: c.ID, What: strings.TrimSpace(what.Text), Due: day, Staff: strings.TrimSpace(staff.Text)}
		a.run(fmt.Sprintf(lang.L("Promise to %s recorded: due %s, %s answers for it"), c.Name, longDate(day), pr.Staff), func(ctx context.Context) error {
			_, err := a.store.AddPromise(ctx, pr)
			return err
		}, then)
	})
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
	a.win.Canvas().Focus(what)
}

// complaintForm records a complaint; prefill is what went wrong when known
// (a check-in that ended unhappy).
func (a *App) complaintForm(c rules.Customer, title, confirm, prefill string, then func()) {
	what := newMultiLineEntry()
	what.SetPlaceHolder(lang.L("What went wrong"))
	what.SetText(prefill)
	what.SetMinRowsVisible(3)
	what.Validator = required(lang.L("Say what went wrong"))
	severities := []rules.Severity{rules.SeverityLow, rules.SeverityMedium, rules.SeverityHigh}
	var sevLabels []string
	for _, v := range severities {
		sevLabels = append(sevLabels, severityName(v))
	}
	sev := widget.NewRadioGroup(sevLabels, nil)
	sev.Horizontal = true
	sev.SetSelected(severityName(rules.SeverityMedium))
	now := a.now()
	received := newEntry()
	received.SetText(stampText(now))
	created, _ := a.store.CreatedOn(a.ctx) // one setting; unknown (0) checks nothing
	first := firstRecordFor(created, c)
	received.Validator = func(s string) error {
		t, err := parseStamp(s)
		if err != nil {
			return err
		}
		return checkComplaintReceived(t, a.now(), first)
	}
	d := a.newForm(title, confirm, lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("What happened"), what), widget.NewFormItem(lang.L("Severity"), sev),
		widget.NewFormItem(lang.L("Received"), received),
	}, func(ok bool) {
		if !ok {
			return
		}
		at, _ := parseStamp(received.Text)
		k := rules.Complaint{CustomerID: c.ID, What: strings.TrimSpace(what.Text), Severity: severityFrom(sev.Selected),
			ReceivedAt: at, Staff: a.staff}
		a.run(fmt.Sprintf(lang.L("Complaint from %s recorded: reply within 24 hours"), c.Name), func(ctx context.Context) error {
			_, err := a.store.AddComplaint(ctx, k)
			return err
		}, then)
	})
	d.Resize(fyne.NewSize(520, 340))
	d.Show()
	a.win.Canvas().Focus(what)
}

// resolveDialog closes a complaint with what was done about it; the
// follow-up call comes a few days later.
func (a *App) resolveDialog(k rules.Complaint, name string, then func()) {
	done := newMultiLineEntry()
	done.SetPlaceHolder(lang.L("Replaced the zip free of charge"))
	done.SetMinRowsVisible(3)
	done.Validator = required(lang.L("Say what was done about it"))
	what := widget.NewLabel(fmt.Sprintf(lang.L("%s (%s, received %s)"), k.What, severityName(k.Severity), stamp(k.ReceivedAt)))
	what.Wrapping = fyne.TextWrapWord
	d := a.newForm(fmt.Sprintf(lang.L("Resolve the complaint from %s"), name), lang.L("Resolve"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Complaint"), what), widget.NewFormItem(lang.L("What was done"), done),
	}, func(ok bool) {
		if !ok {
			return
		}
		text := strings.TrimSpace(done.Text)
		a.run(fmt.Sprintf(lang.L("Complaint from %s resolved: a follow-up call is on the calendar"), name), func(ctx context.Context) error {
			return a.store.ResolveComplaint(ctx, k.ID, text, a.staff)
		}, then)
	})
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
	a.win.Canvas().Focus(done)
}

// keepPromiseDialog marks a promise kept; a check-in call follows.
func (a *App) keepPromiseDialog(pr rules.Promise, name string, then func()) {
	msg := fmt.Sprintf(lang.L("Mark \"%s\" for %s kept today?\nA check-in call follows a few days later."), pr.What, name)
	dialog.ShowConfirm(lang.L("Promise kept"), msg, func(ok bool) {
		if !ok {
			return
		}
		a.run(fmt.Sprintf(lang.L("Promise to %s kept"), name), func(ctx context.Context) error {
			return a.store.KeepPromise(ctx, pr.ID, a.staff)
		}, then)
	}, a.win)
}

// occasionForm adds a customer's occasion; on, when set, fills in the date.
func (a *App) occasionForm(c rules.Customer, on rules.Day, then func()) {
	label := newEntry()
	label.SetPlaceHolder(lang.L("Wedding anniversary"))
	label.Validator = required(lang.L("Name the occasion"))
	date := newEntry()
	date.SetPlaceHolder(fmt.Sprintf(lang.L("%s, or %s every year"), dateExample(), yearlyExample()))
	if on != 0 {
		date.SetText(dateText(on))
	}
	date.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("Give the date"))
		}
		return optionalYearlyDate(s)
	}
	yearly := widget.NewCheck(lang.L("Every year"), nil)
	yearly.SetChecked(true)
	lead := newEntry()
	lead.SetText("7")
	lead.Validator = func(s string) error {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > 60 {
			return errors.New(lang.L("Days ahead must be 0 to 60"))
		}
		return nil
	}
	d := a.newForm(fmt.Sprintf(lang.L("Occasion for %s"), c.Name), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Occasion"), label), widget.NewFormItem(lang.L("Date"), date),
		widget.NewFormItem("", yearly), widget.NewFormItem(lang.L("Remind days ahead"), lead),
	}, func(ok bool) {
		if !ok {
			return
		}
		yd, _ := parseYearly(date.Text)
		n, _ := strconv.Atoi(strings.TrimSpace(lead.Text))
		o := rules.Occasion{CustomerID: c.ID, Label: strings.TrimSpace(label.Text), Date: yd, Yearly: yearly.Checked, LeadDays: n}
		a.run(fmt.Sprintf(lang.L("Occasion saved for %s"), c.Name), func(ctx context.Context) error {
			_, err := a.store.AddOccasion(ctx, o)
			return err
		}, then)
	})
	d.Resize(fyne.NewSize(480, 300))
	d.Show()
	a.win.Canvas().Focus(label)
}

// pickCustomer finds a customer by name, phone or email and hands them on.
func (a *App) pickCustomer(title string, then func(rules.Customer)) {
	var found []rules.Customer
	var d dialog.Dialog
	seq := 0
	list := widget.NewList(func() int { return len(found) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(found) {
				o.(*widget.Label).SetText(strings.TrimSpace(found[i].Name + "   " + found[i].Phone + "  " + found[i].Email))
			}
		})
	pick := func(i int) {
		if i < 0 || i >= len(found) {
			return
		}
		c := found[i]
		d.Hide()
		then(c)
	}
	list.OnSelected = func(i widget.ListItemID) { pick(i) }
	search := newKeyEntry(lang.L("Name, phone or email — Enter picks the first"))
	search.OnChanged = func(text string) {
		seq++
		mine := seq
		background(a, func(ctx context.Context) ([]rules.Customer, error) {
			if strings.TrimSpace(text) == "" {
				return nil, nil
			}
			return a.store.SearchCustomers(ctx, text, 20)
		}, func(cs []rules.Customer, err error) {
			if mine != seq {
				return
			}
			if err != nil {
				a.say(lang.L("Search failed: %v"), err)
				return
			}
			found = cs
			list.UnselectAll()
			list.Refresh()
		})
	}
	search.OnSubmitted = func(string) { pick(0) }
	d = dialog.NewCustom(title, lang.L("Cancel"), container.NewBorder(search, nil, nil, nil, list), a.win)
	d.Resize(fyne.NewSize(520, 380))
	d.Show()
	a.win.Canvas().Focus(search)
}

// run does a store action off the UI goroutine, then reloads every screen.
func (a *App) run(what string, fn func(context.Context) error, then func()) {
	background(a, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) },
		func(_ struct{}, err error) {
			if err != nil {
				a.showError(err)
				return
			}
			a.say("%s", what)
			a.changed()
			if then != nil {
				then()
			}
		})
}

func (a *App) staffNames() []string {
	names, _ := a.store.StaffNames(a.ctx)
	return names
}

// now is the current time on the app's day: the simulated date keeps the
// clock's time of day.
func (a *App) now() time.Time {
	t := a.clock.Now()
	if a.opt.Date.IsZero() {
		return t
	}
	y, m, d := a.opt.Date.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, t.Location())
}

func (p *customerPage) adjustPoints() {
	if p.id == 0 {
		return
	}
	pts := newEntry()
	pts.SetPlaceHolder(lang.L("+50 or -20"))
	pts.Validator = func(s string) error {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "+"), 10, 64)
		if err != nil || n == 0 {
			return errors.New(lang.L("Give a whole number of points, not 0"))
		}
		return nil
	}
	reason := newEntry()
	reason.Validator = required(lang.L("A reason is required"))
	id := p.id
	p.a.newForm(fmt.Sprintf(lang.L("Adjust points for %s"), p.cust.Name), lang.L("Adjust"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Points"), pts), widget.NewFormItem(lang.L("Reason"), reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		n, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(pts.Text), "+"), 10, 64)
		r := strings.TrimSpace(reason.Text)
		p.a.requireOwner(lang.L("adjust points"), func() {
			p.run(lang.L("Points adjusted"), func(ctx context.Context) error {
				_, err := p.a.store.AdjustPoints(ctx, id, n, r, p.a.staff)
				return err
			})
		})
	}).Show()
}

func (p *customerPage) run(what string, fn func(context.Context) error) {
	id := p.id
	background(p.a, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) },
		func(_ struct{}, err error) {
			if err != nil {
				p.a.showError(err)
				return
			}
			p.a.say("%s", what)
			p.a.changed()
			p.load(id)
		})
}

// asSentence shows a store's check under a field as a sentence: the store
// words its errors in lower case, to be wrapped.
func asSentence(check func(string) error) func(string) error {
	return func(s string) error {
		if err := check(s); err != nil {
			return sentenceError{err}
		}
		return nil
	}
}

func required(msg string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(msg)
		}
		return nil
	}
}

// requireOwner asks for the owner PIN before a sensitive action. On a shop
// without one, the owner sets it first.
func (a *App) requireOwner(what string, then func()) {
	set, err := a.store.HasOwnerPIN(a.ctx)
	if err != nil {
		a.showError(err)
		return
	}
	if !set {
		if a.store.Writable() != nil {
			// A read-only file takes no new PIN, and nothing guarded goes
			// ahead without one (restoring a damaged file is let through
			// by restoreFrom, as the only way out).
			a.showError(fmt.Errorf(lang.L("No owner PIN is set yet, and none can be set while the database is read-only, so the PIN cannot %s: %w"), what, a.store.Writable()))
			return
		}
		a.setOwnerPIN(what, then)
		return
	}
	pin := newPasswordEntry()
	d := a.newForm(fmt.Sprintf(lang.L("Owner PIN needed to %s"), what), lang.L("OK"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem(lang.L("PIN"), pin)}, func(ok bool) {
		if !ok {
			return
		}
		if err := a.store.CheckOwnerPIN(a.ctx, pin.Text, time.Now()); err != nil {
			a.showError(err)
			return
		}
		if rules.ShortPIN(pin.Text) {
			a.say(lang.L("The owner PIN has fewer than %d digits: choose a longer one (Settings, Data and backups, Change owner PIN…)"), rules.MinPINLength)
		}
		then()
	})
	d.Show()
	a.win.Canvas().Focus(pin)
}

// setOwnerPIN asks for a new owner PIN, twice, before the first sensitive
// action: nothing guarded goes ahead on a shop without one.
func (a *App) setOwnerPIN(what string, then func()) {
	pin := newPasswordEntry()
	again := newPasswordEntry()
	d := a.newForm(fmt.Sprintf(lang.L("Set the owner PIN to %s"), what), lang.L("Set PIN"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(fmt.Sprintf(lang.L("New PIN (%d–%d digits)"), rules.MinPINLength, rules.MaxPINLength), pin), widget.NewFormItem(lang.L("Again"), again),
	}, func(ok bool) {
		if !ok {
			return
		}
		if err := rules.CheckPIN(pin.Text); err != nil {
			a.showError(err)
			return
		}
		if pin.Text != again.Text {
			a.showError(errors.New(lang.L("The two PINs differ; nothing was set")))
			return
		}
		if err := a.store.SetOwnerPIN(a.ctx, pin.Text); err != nil {
			a.showError(err)
			return
		}
		then()
	})
	again.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(440, 230))
	d.Show()
	a.win.Canvas().Focus(pin)
}
