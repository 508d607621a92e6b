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
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

var fyneShortcutNew = desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}

func optionalDay(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	_, err := data.ParseDay(s)
	return err
}

func optionalYearly(s string) error {
	_, err := data.ParseYearlyDate(s)
	return err
}

// edit opens the customer form; a zero ID adds a new customer.
func (p *customerPage) edit(c data.Customer) {
	name := widget.NewEntry()
	name.SetText(c.Name)
	name.Validator = data.CheckName
	phone := widget.NewEntry()
	phone.SetText(c.Phone)
	phone.Validator = data.CheckPhone
	email := widget.NewEntry()
	email.SetText(c.Email)
	email.Validator = data.CheckEmail
	birthday := widget.NewEntry()
	birthday.SetText(c.Birthday.String())
	birthday.SetPlaceHolder("YYYY-MM-DD, or --MM-DD without the year")
	birthday.Validator = optionalYearly
	since := widget.NewEntry()
	since.SetText(c.CustomerSince.String())
	since.SetPlaceHolder("YYYY-MM-DD")
	since.Validator = optionalDay
	address := widget.NewMultiLineEntry()
	address.SetText(c.Address)
	address.SetMinRowsVisible(2)
	notes := widget.NewMultiLineEntry()
	notes.SetText(c.Notes)
	notes.SetMinRowsVisible(2)
	tags := widget.NewEntry()
	tags.SetText(strings.Join(c.Tags, "; "))
	tags.SetPlaceHolder("vip; trade")
	prefer := widget.NewSelect([]string{"Phone call", "Email", "Text message", "In person", "Post"}, nil)
	if c.PreferredChannel != "" {
		prefer.SetSelected(channelLabel(c.PreferredChannel))
	}
	dnc := widget.NewCheck("Do not contact (overrides all consent)", nil)
	dnc.SetChecked(c.DoNotContact)
	consent := map[data.Channel]*widget.Check{}
	var consentChecks []fyne.CanvasObject
	has := map[data.Channel]data.Consent{}
	for _, k := range c.Consents {
		has[k.Channel] = k
	}
	for _, ch := range data.ConsentChannels {
		chk := widget.NewCheck(channelLabel(ch), nil)
		_, ok := has[ch]
		chk.SetChecked(ok)
		consent[ch] = chk
		consentChecks = append(consentChecks, chk)
	}
	source := widget.NewSelectEntry([]string{"in person", "signed form", "by email", "by phone"})
	source.SetText("in person")
	items := []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Phone", phone),
		widget.NewFormItem("Email", email),
		widget.NewFormItem("Birthday", birthday),
		widget.NewFormItem("Customer since", since),
		widget.NewFormItem("Address", address),
		widget.NewFormItem("Tags", tags),
		widget.NewFormItem("Prefers", prefer),
		widget.NewFormItem("Consent", wrapChecks(consentChecks)),
		widget.NewFormItem("Consent given", source),
		widget.NewFormItem("", dnc),
		widget.NewFormItem("Notes", notes),
	}
	title := "Edit " + c.Name
	if c.ID == 0 {
		title = "New customer"
	}
	d := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		out := c
		out.Name = strings.TrimSpace(name.Text)
		out.Phone = strings.TrimSpace(phone.Text)
		out.Email = strings.TrimSpace(email.Text)
		out.Birthday, _ = data.ParseYearlyDate(birthday.Text)
		out.CustomerSince = 0
		if strings.TrimSpace(since.Text) != "" {
			out.CustomerSince, _ = data.ParseDay(since.Text)
		}
		out.Address = address.Text
		out.Notes = notes.Text
		out.Tags = nil
		for _, t := range strings.FieldsFunc(tags.Text, func(r rune) bool { return r == ';' || r == ',' }) {
			if t = strings.TrimSpace(t); t != "" {
				out.Tags = append(out.Tags, t)
			}
		}
		out.PreferredChannel = ""
		if prefer.Selected != "" {
			out.PreferredChannel = channelFromLabel(prefer.Selected)
		}
		out.DoNotContact = dnc.Checked
		out.Consents = nil
		for _, ch := range data.ConsentChannels {
			if !consent[ch].Checked {
				continue
			}
			if k, ok := has[ch]; ok {
				out.Consents = append(out.Consents, k)
			} else {
				out.Consents = append(out.Consents, data.Consent{Channel: ch, GivenOn: p.a.Today(), Source: source.Text})
			}
		}
		p.save(out)
	}, p.a.win)
	d.Resize(fyne.NewSize(620, 720))
	d.Show()
	p.a.win.Canvas().Focus(name)
}

func wrapChecks(objs []fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(objs...)
}

func (p *customerPage) save(c data.Customer) {
	background(p.a, func(ctx context.Context) (data.ID, error) {
		if c.ID == 0 {
			dups, err := p.a.store.Duplicates(ctx, c)
			if err != nil {
				return 0, err
			}
			if len(dups) > 0 {
				return dups[0].ID, fmt.Errorf("%s (customer %d) already has this phone or email; open them, or merge later", dups[0].Name, dups[0].ID)
			}
			return p.a.store.AddCustomer(ctx, c)
		}
		return c.ID, p.a.store.UpdateCustomer(ctx, c)
	}, func(id data.ID, err error) {
		if err != nil {
			p.a.showError(err)
			return
		}
		p.a.say("Saved %s", c.Name)
		p.a.changed()
		p.load(id)
	})
}

func (p *customerPage) logContact() {
	if p.id == 0 {
		return
	}
	channel := widget.NewSelect(channelLabels(), nil)
	channel.SetSelected("Phone call")
	outcome := widget.NewSelectEntry(outcomes)
	note := widget.NewEntry()
	id := p.id
	dialog.ShowForm("Log a contact with "+p.cust.Name, "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("How", channel), widget.NewFormItem("Outcome", outcome), widget.NewFormItem("Note", note),
	}, func(ok bool) {
		if !ok {
			return
		}
		c := data.Contact{CustomerID: id, Channel: channelFromLabel(channel.Selected), Outcome: outcome.Text, Note: note.Text, Staff: p.a.staff}
		p.run("Contact logged", func(ctx context.Context) error {
			_, err := p.a.store.LogContact(ctx, c)
			return err
		})
	}, p.a.win)
}

func (p *customerPage) addPromise() {
	if p.id == 0 {
		return
	}
	what := widget.NewEntry()
	what.SetPlaceHolder("Order floor mats")
	what.Validator = required("say what was promised")
	due := widget.NewEntry()
	due.SetText(p.a.Today().AddDays(7).String())
	due.Validator = func(s string) error { _, err := data.ParseDay(s); return err }
	staff := widget.NewSelectEntry(p.staffNames())
	staff.SetText(p.a.staff)
	id := p.id
	dialog.ShowForm("Promise to "+p.cust.Name, "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("What", what), widget.NewFormItem("Due", due), widget.NewFormItem("Who", staff),
	}, func(ok bool) {
		if !ok {
			return
		}
		d, _ := data.ParseDay(due.Text)
		pr := data.Promise{CustomerID: id, What: strings.TrimSpace(what.Text), Due: d, Staff: strings.TrimSpace(staff.Text)}
		p.run("Promise recorded", func(ctx context.Context) error {
			_, err := p.a.store.AddPromise(ctx, pr)
			return err
		})
	}, p.a.win)
}

func (p *customerPage) addComplaint() {
	if p.id == 0 {
		return
	}
	what := widget.NewMultiLineEntry()
	what.SetPlaceHolder("What went wrong")
	what.Validator = required("say what went wrong")
	sev := widget.NewRadioGroup([]string{"low", "medium", "high"}, nil)
	sev.Horizontal = true
	sev.SetSelected("medium")
	id := p.id
	dialog.ShowForm("Complaint from "+p.cust.Name, "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("What", what), widget.NewFormItem("Severity", sev),
	}, func(ok bool) {
		if !ok {
			return
		}
		c := data.Complaint{CustomerID: id, What: strings.TrimSpace(what.Text), Severity: data.Severity(sev.Selected), Staff: p.a.staff}
		p.run("Complaint recorded: follow up within 24 hours", func(ctx context.Context) error {
			_, err := p.a.store.AddComplaint(ctx, c)
			return err
		})
	}, p.a.win)
}

func (p *customerPage) addOccasion() {
	if p.id == 0 {
		return
	}
	label := widget.NewEntry()
	label.SetPlaceHolder("Wedding anniversary")
	label.Validator = required("name the occasion")
	date := widget.NewEntry()
	date.SetPlaceHolder("YYYY-MM-DD, or --MM-DD every year")
	date.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("give the date")
		}
		return optionalYearly(s)
	}
	yearly := widget.NewCheck("Every year", nil)
	yearly.SetChecked(true)
	lead := widget.NewEntry()
	lead.SetText("7")
	lead.Validator = func(s string) error {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > 60 {
			return errors.New("days ahead must be 0 to 60")
		}
		return nil
	}
	id := p.id
	dialog.ShowForm("Occasion for "+p.cust.Name, "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Occasion", label), widget.NewFormItem("Date", date),
		widget.NewFormItem("", yearly), widget.NewFormItem("Remind days ahead", lead),
	}, func(ok bool) {
		if !ok {
			return
		}
		yd, _ := data.ParseYearlyDate(date.Text)
		n, _ := strconv.Atoi(strings.TrimSpace(lead.Text))
		o := data.Occasion{CustomerID: id, Label: strings.TrimSpace(label.Text), Date: yd, Yearly: yearly.Checked, LeadDays: n}
		p.run("Occasion saved", func(ctx context.Context) error {
			_, err := p.a.store.AddOccasion(ctx, o)
			return err
		})
	}, p.a.win)
}

func (p *customerPage) adjustPoints() {
	if p.id == 0 {
		return
	}
	pts := widget.NewEntry()
	pts.SetPlaceHolder("+50 or -20")
	pts.Validator = func(s string) error {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "+"), 10, 64)
		if err != nil || n == 0 {
			return errors.New("give a whole number of points, not 0")
		}
		return nil
	}
	reason := widget.NewEntry()
	reason.Validator = required("a reason is required")
	id := p.id
	dialog.ShowForm("Adjust points for "+p.cust.Name, "Adjust", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Points", pts), widget.NewFormItem("Reason", reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		n, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(pts.Text), "+"), 10, 64)
		r := strings.TrimSpace(reason.Text)
		p.a.requireOwner("adjust points", func() {
			p.run("Points adjusted", func(ctx context.Context) error {
				_, err := p.a.store.AdjustPoints(ctx, id, n, r, p.a.staff)
				return err
			})
		})
	}, p.a.win)
}

func (p *customerPage) staffNames() []string {
	names, _ := p.a.store.StaffNames(p.a.ctx)
	return names
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

func required(msg string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(msg)
		}
		return nil
	}
}

// requireOwner asks for the owner PIN before a sensitive action. Until a PIN
// is set, the action goes ahead (the owner sets one in Settings).
func (a *App) requireOwner(what string, then func()) {
	set, err := a.store.HasOwnerPIN(a.ctx)
	if err != nil {
		a.showError(err)
		return
	}
	if !set {
		then()
		return
	}
	pin := widget.NewPasswordEntry()
	d := dialog.NewForm("Owner PIN needed to "+what, "OK", "Cancel", []*widget.FormItem{widget.NewFormItem("PIN", pin)}, func(ok bool) {
		if !ok {
			return
		}
		if err := a.store.CheckOwnerPIN(a.ctx, pin.Text, time.Now()); err != nil {
			a.showError(err)
			return
		}
		then()
	}, a.win)
	d.Show()
	a.win.Canvas().Focus(pin)
}
