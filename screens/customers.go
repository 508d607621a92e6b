package screens

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// customersScreen finds customers as you type and shows one customer's page.
type customersScreen struct {
	a         *App
	search    *keyEntry
	results   []data.Customer
	list      *widget.List
	count     *widget.Label
	page      *customerPage
	searchSeq int
	total     int
	obj       fyne.CanvasObject
}

func newCustomers(a *App) screen {
	s := &customersScreen{a: a}
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
	s.list = widget.NewList(
		func() int { return len(s.results) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("")
			detail.Importance = widget.LowImportance
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewGridWithColumns(2, name, detail)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.results) {
				return
			}
			c := s.results[i]
			row := o.(*fyne.Container)
			name := c.Name
			if c.DoNotContact {
				name += "  ⛔"
			}
			row.Objects[0].(*widget.Label).SetText(name)
			row.Objects[1].(*widget.Label).SetText(strings.TrimSpace(c.Phone + "  " + c.Email))
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.results) {
			s.page.load(s.results[i].ID)
		}
	}
	s.count = widget.NewLabel("")
	s.count.Importance = widget.LowImportance
	s.page = newCustomerPage(a)
	addBtn := widget.NewButtonWithIcon(lang.L("New customer"), theme.ContentAddIcon(), func() { s.page.edit(data.Customer{CustomerSince: a.Today()}) })
	mergeBtn := widget.NewButtonWithIcon(lang.L("Merge duplicates…"), theme.ContentCopyIcon(), s.mergeDialog)
	importBtn := widget.NewButtonWithIcon(lang.L("Import…"), theme.DownloadIcon(), a.importContacts)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(addBtn, mergeBtn, importBtn), s.search)
	left := container.NewBorder(nil, s.count, nil, nil, s.list)
	split := container.NewHSplit(left, s.page.obj)
	split.Offset = 0.38
	s.obj = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	return s
}

func (s *customersScreen) content() fyne.CanvasObject { return s.obj }

func (s *customersScreen) focus() { s.a.win.Canvas().Focus(s.search) }

func (s *customersScreen) reload() {
	s.runSearch()
	if s.page.id != 0 {
		s.page.load(s.page.id)
	}
}

const searchLimit = 200

func (s *customersScreen) runSearch() {
	text := s.search.Text
	s.searchSeq++
	seq := s.searchSeq
	type found struct {
		cs    []data.Customer
		total int
	}
	background(s.a, func(ctx context.Context) (found, error) {
		cs, err := s.a.store.SearchCustomers(ctx, text, searchLimit)
		if err != nil {
			return found{}, err
		}
		n := s.total
		if n == 0 || strings.TrimSpace(text) == "" {
			n, err = s.a.store.CountCustomers(ctx)
		}
		return found{cs, n}, err
	}, func(f found, err error) {
		if seq != s.searchSeq {
			return
		}
		if err != nil {
			s.a.say(lang.L("Search failed: %v"), err)
			return
		}
		s.total = f.total
		s.results = f.cs
		s.list.UnselectAll()
		s.list.Refresh()
		switch {
		case strings.TrimSpace(text) == "":
			if f.total <= len(f.cs) {
				s.count.SetText(fmt.Sprintf(lang.N("%s customers", f.total), wholeNumber(int64(f.total))))
			} else {
				s.count.SetText(fmt.Sprintf(lang.L("%s (the first %d by name)"), fmt.Sprintf(lang.N("%s customers", f.total), wholeNumber(int64(f.total))), len(f.cs)))
			}
		case len(f.cs) == searchLimit:
			s.count.SetText(fmt.Sprintf(lang.L("First %d matches — type more to narrow"), searchLimit))
		default:
			s.count.SetText(fmt.Sprintf(lang.N("%d matches", len(f.cs)), len(f.cs)))
		}
	})
}

// newCustomer opens the form for a new customer (Ctrl+N anywhere).
func (a *App) newCustomer() {
	a.show("customers")
	if s, ok := a.screens["customers"].(*customersScreen); ok {
		s.page.edit(data.Customer{CustomerSince: a.Today()})
	}
}

// openCustomer shows one customer's page.
func (a *App) openCustomer(id data.ID) {
	a.show("customers")
	if s, ok := a.screens["customers"].(*customersScreen); ok {
		s.search.SetText("") // an old search would hide who was asked for
		s.page.load(id)
	}
}

func (s *customersScreen) mergeDialog() {
	keep := newEntry()
	keep.SetPlaceHolder(lang.L("Customer to keep: number, phone or email"))
	drop := newEntry()
	drop.SetPlaceHolder(lang.L("Duplicate to merge into it"))
	if s.page.id != 0 {
		keep.SetText(strconv.FormatInt(s.page.id, 10))
	}
	s.a.newForm(lang.L("Merge two customers"), lang.L("Merge"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Keep"), keep), widget.NewFormItem(lang.L("Merge in"), drop),
	}, func(ok bool) {
		if !ok {
			return
		}
		s.a.requireOwner(lang.L("merge customers"), func() {
			background(s.a, func(ctx context.Context) (data.ID, error) {
				k, err := s.a.store.MatchCustomer(ctx, keep.Text)
				if err != nil {
					return 0, err
				}
				d, err := s.a.store.MatchCustomer(ctx, drop.Text)
				if err != nil {
					return 0, err
				}
				return k.ID, s.a.store.MergeCustomers(ctx, k.ID, d.ID, s.a.staff)
			}, func(id data.ID, err error) {
				if err != nil {
					s.a.showError(err)
					return
				}
				s.a.say(lang.L("Merged: all history now belongs to customer %d"), id)
				s.a.changed()
				s.page.load(id)
			})
		})
	}).Show()
}

// customerPage is one customer: details, timeline, points.
type customerPage struct {
	a        *App
	id       data.ID
	cust     data.Customer
	header   *widget.Label
	sub      *widget.Label
	timeline []timelineEvent
	tlList   *widget.List
	ledger   []data.LedgerRow
	ldList   *widget.List
	balance  *widget.Label
	details  *widget.Label
	tabs     *container.AppTabs
	body     *fyne.Container
	empty    *widget.Label
	obj      fyne.CanvasObject
}

// timelineEvent is one dated line of a customer's history.
type timelineEvent struct {
	day  data.Day
	icon string
	text string
	open bool // open complaints and promises sort first
	// The promise or complaint the line is about: picking an open one keeps
	// or resolves it.
	promise   *data.Promise
	complaint *data.Complaint
	late      bool // an overdue promise: shown in red
}

func newCustomerPage(a *App) *customerPage {
	p := &customerPage{a: a}
	p.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.sub = widget.NewLabel("")
	p.sub.Wrapping = fyne.TextWrapWord
	p.details = widget.NewLabel("")
	p.details.Wrapping = fyne.TextWrapWord
	p.tlList = widget.NewList(
		func() int { return len(p.timeline) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.timeline) {
				return
			}
			e := p.timeline[i]
			l := o.(*widget.Label)
			l.SetText(fmt.Sprintf("%s  %s  %s", listDate(e.day), e.icon, e.text))
			if e.open && (e.promise == nil || e.late) {
				l.Importance = widget.DangerImportance
			} else {
				l.Importance = widget.MediumImportance
			}
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
	actions := container.NewGridWithColumns(5, editBtn, contactBtn, promiseBtn, complaintBtn, occasionBtn)
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
	c          data.Customer
	purchases  []data.Purchase
	contacts   []data.Contact
	complaints []data.Complaint
	promises   []data.Promise
	occasions  []data.Occasion
	reminders  []data.Reminder
	ledger     []data.LedgerRow
	balance    int64
}

// load fetches one customer and everything about them, from one snapshot.
func (p *customerPage) load(id data.ID) {
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

func (p *customerPage) show(d pageData, day data.Day) {
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
	var spent data.Cents
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

func customerDetails(c data.Customer) string {
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
			bd = longDate(data.NewDay(c.Birthday.Year, c.Birthday.Month, c.Birthday.Day))
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

func buildTimeline(d pageData, day data.Day) []timelineEvent {
	var ev []timelineEvent
	for _, pu := range d.purchases {
		t := fmt.Sprintf(lang.L("Bought %s"), money(pu.Amount))
		if pu.Amount < 0 {
			t = fmt.Sprintf(lang.L("Refund %s of #%d"), money(-pu.Amount), pu.RefundOf)
		}
		if pu.Description != "" {
			t += " — " + pu.Description
		}
		if pu.Voided {
			t += lang.L(" (voided)")
		}
		ev = append(ev, timelineEvent{day: pu.Day, icon: "🛒", text: fmt.Sprintf("#%d %s", pu.ID, t)})
	}
	listed := map[string]bool{}
	for _, r := range d.reminders {
		listed[r.Key] = true
	}
	for _, c := range d.contacts {
		t := fmt.Sprintf(lang.L("%s by %s"), channelLabel(c.Channel), c.Staff)
		if c.Outcome != "" {
			t += ": " + c.Outcome
		}
		if c.Note != "" {
			t += " — " + c.Note
		}
		if k, err := data.ParseReminderKey(c.ReminderKey); err == nil && !listed[c.ReminderKey] {
			t = handledText(k, d) + " — " + t
		}
		ev = append(ev, timelineEvent{day: c.Day, icon: "☎", text: t})
	}
	for _, c := range d.complaints {
		open := c.OpenOn(day)
		t := fmt.Sprintf(lang.L("Complaint (%s): %s"), severityName(c.Severity), c.What)
		if open {
			t = fmt.Sprintf(lang.L("OPEN %s — pick to resolve"), t)
		} else {
			t += fmt.Sprintf(lang.L(" — resolved %s: %s"), listDate(c.ResolvedOn), c.Resolution)
		}
		ev = append(ev, timelineEvent{day: c.Received, icon: "!", text: t, open: open, complaint: &c})
	}
	for _, pr := range d.promises {
		open := pr.KeptOn.IsZero() || pr.KeptOn > day
		t := fmt.Sprintf(lang.L("Promise due %s (%s): %s"), listDate(pr.Due), pr.Staff, pr.What)
		if !open {
			t += fmt.Sprintf(lang.L(" — kept %s"), listDate(pr.KeptOn))
		} else {
			if pr.Due < day {
				late := day.Sub(pr.Due)
				t = fmt.Sprintf(lang.N("%d days overdue", late), late) + " — " + t
			}
			t += lang.L(" — pick when kept")
		}
		ev = append(ev, timelineEvent{day: pr.MadeOn, icon: "✓", text: t, open: open, promise: &pr, late: open && pr.Due < day})
	}
	for _, o := range d.occasions {
		kind := lang.L("one-off")
		if o.Yearly {
			kind = lang.L("every year")
		}
		ev = append(ev, timelineEvent{day: o.Date.In(day.Year()), icon: "✿", text: fmt.Sprintf("%s (%s)", o.Label, kind)})
	}
	for _, r := range d.reminders {
		t := fmt.Sprintf("%s: %s", kindTitle(r.Kind), stateName(r.State))
		if r.Why != "" {
			t += " — " + r.Why
		}
		ev = append(ev, timelineEvent{day: r.Due, icon: kindIcon(r.Kind), text: t})
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].open != ev[j].open {
			return ev[i].open
		}
		return ev[i].day > ev[j].day
	})
	return ev
}

// handledText names the reminder a contact completed when the rules no
// longer give it (a promise once kept, the first call on a complaint once
// resolved, a stay-in-touch call that started its own clock again), so the
// customer's history still shows what was done.
func handledText(k data.ReminderKey, d pageData) string {
	t := fmt.Sprintf("%s: %s", kindTitle(k.Kind), stateName(data.StateDone))
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

func ledgerLine(r data.LedgerRow) string {
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
