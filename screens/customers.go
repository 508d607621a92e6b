package screens

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// customersScreen lists the customers, found as you type and sorted by a
// column head, and shows one customer's page.
type customersScreen struct {
	a      *App
	search *keyEntry
	// results has a row for every customer the list holds; those of
	// pages not read yet have no ID. requested are the pages asked for.
	results    []data.CustomerRow
	requested  map[int]bool
	updating   bool // a row is being shown: a page read meanwhile needs no refresh
	sort       data.CustomerSort
	sortColumn int // the list column of sort
	heads      []*widget.Button
	list       *widget.List
	count      *widget.Label
	page       *customerPage
	searchSeq  int
	obj        fyne.CanvasObject
}

func newCustomers(a *App) screen {
	s := &customersScreen{a: a, sort: data.SortByName, requested: map[int]bool{}}
	s.search = a.keyEntry(lang.L("Search by name, phone or email"))
	s.search.OnChanged = func(string) { s.runSearch() }
	s.search.OnSubmitted = func(string) {
		if len(s.results) > 0 {
			s.list.Select(0)
		}
	}
	s.search.onKey = func(ev *fyne.KeyEvent) bool {
		if ev.Name == fyne.KeyDown && len(s.results) > 0 {
			s.list.Select(0)
			a.win.Canvas().Focus(s.list)
			return true
		}
		return false
	}
	s.count = widget.NewLabel("")
	s.count.Importance = widget.LowImportance
	left := s.newCustomerList()
	s.page = newCustomerPage(a)
	addBtn := widget.NewButtonWithIcon(lang.L("New customer"), theme.ContentAddIcon(), func() { s.page.edit(rules.Customer{CustomerSince: a.Today()}) })
	mergeBtn := widget.NewButtonWithIcon(lang.L("Merge duplicates…"), theme.ContentCopyIcon(), s.duplicatesDialog)
	importBtn := widget.NewButtonWithIcon(lang.L("Import…"), theme.DownloadIcon(), a.importContacts)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(addBtn, mergeBtn, importBtn), s.search)
	split := container.NewHSplit(left, s.page.obj)
	split.Offset = 0.45
	s.obj = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	return s
}

func (s *customersScreen) content() fyne.CanvasObject { return s.obj }

func (s *customersScreen) focus() { s.a.win.Canvas().Focus(s.search) }

func (s *customersScreen) reload() {
	s.readAgain()
	if s.page.id != 0 {
		s.page.load(s.page.id)
	}
}

// newCustomer opens the form for a new customer (Ctrl+N anywhere).
func (a *App) newCustomer() {
	a.show("customers")
	if s, ok := a.screens["customers"].(*customersScreen); ok {
		s.page.edit(rules.Customer{CustomerSince: a.Today()})
	}
}

// openCustomer shows one customer's page.
func (a *App) openCustomer(id rules.ID) {
	a.show("customers")
	if s, ok := a.screens["customers"].(*customersScreen); ok {
		s.search.SetText("") // an old search would hide who was asked for
		s.page.load(id)
	}
}

// mergeDialog asks which two customers to merge: keepID and dropID when
// given (a suggested pair), else the customer on the page is kept. done
// runs after a merge.
func (s *customersScreen) mergeDialog(keepID, dropID rules.ID, done func()) {
	keep := newEntry()
	keep.SetPlaceHolder(lang.L("Customer to keep: number, phone or email"))
	drop := newEntry()
	drop.SetPlaceHolder(lang.L("Duplicate to merge into it"))
	if keepID == 0 {
		keepID = s.page.id
	}
	if keepID != 0 {
		keep.SetText(strconv.FormatInt(keepID, 10))
	}
	if dropID != 0 {
		drop.SetText(strconv.FormatInt(dropID, 10))
	}
	s.a.newForm(lang.L("Merge two customers"), lang.L("Merge"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Keep"), keep), widget.NewFormItem(lang.L("Merge in"), drop),
	}, func(ok bool) {
		if !ok {
			return
		}
		s.a.requireOwner(lang.L("merge customers"), func() {
			background(s.a, func(ctx context.Context) (rules.ID, error) {
				k, err := s.a.store.MatchCustomer(ctx, keep.Text)
				if err != nil {
					return 0, err
				}
				d, err := s.a.store.MatchCustomer(ctx, drop.Text)
				if err != nil {
					return 0, err
				}
				return k.ID, s.a.store.MergeCustomers(ctx, k.ID, d.ID, s.a.staff)
			}, func(id rules.ID, err error) {
				if err != nil {
					s.a.showError(err)
					return
				}
				s.a.say(lang.L("Merged: all history now belongs to customer %d"), id)
				s.a.changed()
				s.page.load(id)
				if done != nil {
					done()
				}
			})
		})
	}).Show()
}

// customerPage is one customer: details, timeline, points.
type customerPage struct {
	a        *App
	id       rules.ID
	cust     rules.Customer
	header   *widget.Label
	sub      *widget.Label
	timeline []timelineEvent
	tlList   *widget.List
	ledger   []rules.LedgerRow
	ldList   *widget.List
	balance  *widget.Label
	details  *widget.Label
	tabs     *container.AppTabs
	body     *fyne.Container
	empty    *widget.Label
	obj      fyne.CanvasObject
}

func newCustomerPage(a *App) *customerPage {
	p := &customerPage{a: a}
	p.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.sub = widget.NewLabel("")
	p.sub.Wrapping = fyne.TextWrapWord
	p.details = widget.NewLabel("")
	p.details.Wrapping = fyne.TextWrapWord
	dateWidth := listDateWidth()
	p.tlList = widget.NewList(
		func() int { return len(p.timeline) },
		func() fyne.CanvasObject {
			day := widget.NewLabel("")
			day.Importance = widget.LowImportance
			day.Alignment = fyne.TextAlignTrailing
			dayCell := container.NewGridWrap(fyne.NewSize(dateWidth, day.MinSize().Height), day)
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, container.NewHBox(dayCell, widget.NewIcon(theme.InfoIcon())), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.timeline) {
				return
			}
			e := p.timeline[i]
			row := o.(*fyne.Container)
			l := row.Objects[0].(*widget.Label)
			lead := row.Objects[1].(*fyne.Container).Objects
			lead[0].(*fyne.Container).Objects[0].(*widget.Label).SetText(listDate(e.day))
			lead[1].(*widget.Icon).SetResource(e.icon)
			if e.open && (e.promise == nil || e.late) {
				l.Importance = widget.DangerImportance
			} else {
				l.Importance = widget.MediumImportance
			}
			l.Text = e.text
			l.Refresh()
		})
	p.tlList.OnSelected = p.timelineAction
	p.balance = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.ldList = widget.NewList(
		func() int { return len(p.ledger) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.ledger) {
				o.(*widget.Label).SetText(ledgerLine(p.ledger[len(p.ledger)-1-i]))
			}
		})
	editBtn := widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { p.edit(p.cust) })
	contactBtn := widget.NewButtonWithIcon(lang.L("Log contact"), theme.MailSendIcon(), p.logContact)
	promiseBtn := widget.NewButtonWithIcon(lang.L("Promise"), theme.ConfirmIcon(), p.addPromise)
	complaintBtn := widget.NewButtonWithIcon(lang.L("Complaint"), theme.WarningIcon(), p.addComplaint)
	occasionBtn := widget.NewButtonWithIcon(lang.L("Occasion"), theme.CalendarIcon(), p.addOccasion)
	adjustBtn := widget.NewButtonWithIcon(lang.L("Adjust points…"), theme.ContentAddIcon(), p.adjustPoints)
	// The buttons wrap onto a second row rather than widen the window.
	cell := fyne.NewSize(0, 0)
	for _, b := range []*widget.Button{editBtn, contactBtn, promiseBtn, complaintBtn, occasionBtn} {
		cell = cell.Max(b.MinSize())
	}
	actions := container.NewGridWrap(cell, editBtn, contactBtn, promiseBtn, complaintBtn, occasionBtn)
	p.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Timeline"), p.tlList),
		container.NewTabItem(lang.L("Details"), container.NewBorder(nil, p.privacyBar(), nil, nil, container.NewVScroll(p.details))),
		container.NewTabItem(lang.L("Points"), container.NewBorder(container.NewHBox(p.balance, adjustBtn), nil, nil, nil, p.ldList)),
	)
	p.body = container.NewBorder(container.NewVBox(p.header, p.sub, actions), nil, nil, nil, p.tabs)
	p.body.Hide()
	p.empty = widget.NewLabel(lang.L("Pick a customer on the left, or add a new one."))
	p.empty.Importance = widget.LowImportance
	p.obj = container.NewPadded(container.NewStack(p.empty, p.body))
	return p
}

type pageData struct {
	c          rules.Customer
	purchases  []rules.Purchase
	contacts   []rules.Contact
	complaints []rules.Complaint
	promises   []rules.Promise
	occasions  []rules.Occasion
	reminders  []rules.Reminder
	ledger     []rules.LedgerRow
	balance    int64
}

// load fetches one customer and everything about them, from one snapshot.
func (p *customerPage) load(id rules.ID) {
	p.id = id
	day := p.a.Today()
	background(p.a, func(ctx context.Context) (pageData, error) {
		cp, err := p.a.store.CustomerPage(ctx, id, day)
		return pageData{c: cp.Customer, purchases: cp.Purchases, contacts: cp.Contacts, complaints: cp.Complaints,
			promises: cp.Promises, occasions: cp.Occasions, reminders: cp.Reminders, ledger: cp.Ledger, balance: cp.Balance}, err
	}, func(d pageData, err error) {
		if errors.Is(err, data.ErrNotFound) {
			p.id = 0
			p.body.Hide()
			p.empty.Show()
			return
		}
		if err != nil {
			p.a.showError(err)
			return
		}
		p.show(d, day)
	})
}

func (p *customerPage) show(d pageData, day rules.Day) {
	c := d.c
	p.cust = c
	title := c.Name
	if c.DoNotContact {
		title += lang.L("  ⛔ do not contact")
	}
	p.header.SetText(title)
	var bits []string
	if c.Phone != "" {
		bits = append(bits, "☎ "+c.Phone)
	}
	if c.Email != "" {
		bits = append(bits, "✉ "+c.Email)
	}
	bits = append(bits, pointsText(d.balance))
	var spent rules.Cents
	visits := 0
	for _, pu := range d.purchases {
		if !pu.Voided {
			spent += pu.Paid()
			if pu.Amount > 0 {
				visits++
			}
		}
	}
	bits = append(bits, fmt.Sprintf(lang.L("%s, %s spent"), fmt.Sprintf(lang.N("%d visits", visits), visits), money(spent)))
	p.sub.SetText(strings.Join(bits, "    "))
	p.details.SetText(customerDetails(c))
	p.timeline = buildTimeline(d, day)
	p.tlList.Refresh()
	p.ledger = d.ledger
	p.balance.SetText(fmt.Sprintf(lang.L("Balance: %s"), pointsText(d.balance)))
	p.ldList.Refresh()
	p.empty.Hide()
	p.body.Show()
}

func customerDetails(c rules.Customer) string {
	var b strings.Builder
	line := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	line(lang.L("Customer number"), strconv.FormatInt(c.ID, 10))
	line(lang.L("Phone"), c.Phone)
	line(lang.L("Email"), c.Email)
	if !c.Birthday.IsZero() {
		bd := dayMonth(c.Birthday.Month, c.Birthday.Day)
		if c.Birthday.Year != 0 {
			bd = longDate(rules.NewDay(c.Birthday.Year, c.Birthday.Month, c.Birthday.Day))
		}
		line(lang.L("Birthday"), bd)
	}
	line(lang.L("Address"), c.Address)
	line(lang.L("Customer since"), longDate(c.CustomerSince))
	line(lang.L("Added"), longDate(c.AddedOn))
	line(lang.L("Prefers"), channelLabel(c.PreferredChannel))
	line(lang.L("Tags"), strings.Join(c.Tags, ", "))
	var consents []string
	for _, k := range c.Consents {
		consents = append(consents, fmt.Sprintf(lang.L("%s (since %s, %s)"), channelLabel(k.Channel), listDate(k.GivenOn), k.Source))
	}
	line(lang.L("Consent"), strings.Join(consents, "; "))
	if c.DoNotContact {
		line(lang.L("Do not contact"), lang.L("yes — only promises and complaint follow-ups are reminded"))
	}
	line(lang.L("Notes"), c.Notes)
	return b.String()
}

// handledText names the reminder a contact completed when the rules no
// longer give it (a promise once kept, the first call on a complaint once
// resolved, a stay-in-touch call that started its own clock again), so the
// customer's history still shows what was done.
func handledText(k rules.ReminderKey, d pageData) string {
	t := fmt.Sprintf("%s: %s", kindTitle(k.Kind), stateName(rules.StateDone))
	tag, rest, _ := strings.Cut(k.Subject, ":")
	idText, _, _ := strings.Cut(rest, ":")
	id, _ := strconv.ParseInt(idText, 10, 64)
	switch tag {
	case "promise":
		for _, p := range d.promises {
			if p.ID == id {
				t += " — " + p.What
			}
		}
	case "complaint":
		for _, c := range d.complaints {
			if c.ID == id {
				t += " — " + c.What
			}
		}
	}
	return t
}

func ledgerLine(r rules.LedgerRow) string {
	s := fmt.Sprintf("%s  %-16s %6s  %s", listDate(r.Day), ledgerKindName(r.Kind), signedNumber(r.Points), r.Staff)
	if r.PurchaseID != 0 {
		s += fmt.Sprintf(lang.L("  sale #%d"), r.PurchaseID)
	}
	if r.Reason != "" {
		s += "  — " + r.Reason
	}
	if r.Shortfall != 0 {
		s += fmt.Sprintf(lang.L("  (shortfall %d: already spent)"), r.Shortfall)
	}
	return s
}
