package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// checkoutScreen records sales from the keyboard alone: find the customer,
// type the amount, Enter.
type checkoutScreen struct {
	a *App
	// recording is set while a sale is on its way to the disk: a second
	// Enter does not record it twice.
	recording bool

	find      *keyEntry
	matches   []data.Customer
	matchList *widget.List
	matchIdx  int
	customer  *data.Customer // nil: walk-in or nobody picked yet
	walkIn    bool
	balance   int64
	loyalty   data.Loyalty
	card      *widget.Label
	reward    *widget.Check
	amount    *keyEntry
	amountErr *widget.Label
	desc      *widget.Entry
	result    *widget.Label
	recent    []data.Purchase
	names     map[data.ID]string
	recentL   *widget.List
	recentSel int
	cashier   *widget.Button
	// promise records something promised at the counter to the customer
	// of the last sale ("order floor mats — due Friday — Sam").
	promise   *widget.Button
	lastSold  data.Customer
	obj       fyne.CanvasObject
	searchSeq int
	// confirmedLarge is set once a large amount was pointed out; Enter again records it.
	confirmedLarge bool
}

// largeSale is the amount from which the till asks before recording.
const largeSale = data.Cents(1000_00)

func newCheckout(a *App) screen {
	c := &checkoutScreen{a: a, recentSel: -1, names: map[data.ID]string{}}
	c.find = a.keyEntry(lang.L("Phone or name — type, then Enter"))
	c.find.OnChanged = func(string) { c.search() }
	c.find.OnSubmitted = func(string) { c.pickMatch() }
	c.find.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyDown:
			c.moveMatch(1)
			return true
		case fyne.KeyUp:
			c.moveMatch(-1)
			return true
		case fyne.KeyF5:
			c.setWalkIn()
			return true
		case fyne.KeyF6:
			c.newCustomer()
			return true
		case fyne.KeyF7:
			c.promiseToLast()
			return true
		}
		return false
	}
	c.matchList = widget.NewList(
		func() int { return len(c.matches) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(c.matches) {
				return
			}
			m := c.matches[i]
			text := m.Name
			if m.Phone != "" {
				text += "  ☎ " + m.Phone
			}
			if m.Email != "" {
				text += "  ✉ " + m.Email
			}
			l := o.(*widget.Label)
			l.SetText(text)
			if i == c.matchIdx {
				l.TextStyle.Bold = true
			} else {
				l.TextStyle.Bold = false
			}
			l.Refresh()
		})
	c.matchList.OnSelected = func(i widget.ListItemID) {
		c.matchIdx = i
		c.pickMatch()
		c.matchList.UnselectAll()
	}
	c.card = widget.NewLabel(lang.L("No customer yet: find one, or F5 for a walk-in sale."))
	c.card.Wrapping = fyne.TextWrapWord
	c.reward = widget.NewCheck(lang.L("Redeem a reward (F4)"), func(bool) { c.updateCard() })
	c.reward.Hide()
	c.amount = a.keyEntry(lang.L("Amount, such as 12.50 — Enter records the sale"))
	c.amount.OnSubmitted = func(string) { c.record() }
	c.amount.OnChanged = func(string) { c.amountErr.SetText(""); c.confirmedLarge = false }
	c.amount.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyF4:
			if c.reward.Visible() {
				c.reward.SetChecked(!c.reward.Checked)
			}
			return true
		case fyne.KeyEscape:
			c.reset()
			return true
		}
		return false
	}
	c.amountErr = widget.NewLabel("")
	c.amountErr.Importance = widget.DangerImportance
	c.desc = widget.NewEntry()
	c.desc.SetPlaceHolder(lang.L("What was bought (optional)"))
	c.desc.OnSubmitted = func(string) { c.record() }
	c.result = widget.NewLabel("")
	c.result.Wrapping = fyne.TextWrapWord
	c.result.Importance = widget.SuccessImportance
	c.promise = widget.NewButtonWithIcon(lang.L("Promise…"), theme.ConfirmIcon(), c.promiseToLast)
	c.promise.Hide()

	walkIn := widget.NewButtonWithIcon(lang.L("Walk-in (F5)"), theme.AccountIcon(), c.setWalkIn)
	newC := widget.NewButtonWithIcon(lang.L("New customer (F6)"), theme.ContentAddIcon(), c.newCustomer)
	recordBtn := widget.NewButtonWithIcon(lang.L("Record sale (Enter)"), theme.ConfirmIcon(), c.record)
	recordBtn.Importance = widget.HighImportance
	c.cashier = widget.NewButtonWithIcon(fmt.Sprintf(lang.L("Cashier: %s"), a.staff), theme.AccountIcon(), func() {
		a.pickStaff(func() { c.cashier.SetText(fmt.Sprintf(lang.L("Cashier: %s"), a.staff)) })
	})

	form := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Customer"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.find,
		container.NewHBox(walkIn, newC),
	)
	matches := container.NewGridWrap(fyne.NewSize(520, 190), c.matchList)
	sale := container.NewVBox(
		widget.NewSeparator(),
		c.card, c.reward,
		widget.NewLabelWithStyle(lang.L("Amount"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.amount, c.amountErr, c.desc, recordBtn, c.result, container.NewHBox(c.promise),
	)
	left := container.NewVBox(form, matches, sale)

	c.recentL = widget.NewList(
		func() int { return len(c.recent) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(c.recent) {
				o.(*widget.Label).SetText(c.describe(c.recent[i]))
			}
		})
	c.recentL.OnSelected = func(i widget.ListItemID) { c.recentSel = i }
	refund := widget.NewButton(lang.L("Refund…"), c.refundDialog)
	void := widget.NewButton(lang.L("Void…"), c.voidDialog)
	move := widget.NewButton(lang.L("Move to customer…"), c.moveDialog)
	right := container.NewBorder(
		container.NewVBox(container.NewHBox(widget.NewLabelWithStyle(lang.L("Recent sales"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})), widget.NewLabel(lang.L("Pick a sale to refund it, void a mistake, or move it to the right customer."))),
		container.NewHBox(refund, void, move), nil, nil, c.recentL)
	split := container.NewHSplit(container.NewPadded(container.NewVScroll(left)), container.NewPadded(right))
	split.Offset = 0.55
	c.obj = container.NewBorder(container.NewHBox(c.cashier), nil, nil, nil, split)
	return c
}

func (c *checkoutScreen) content() fyne.CanvasObject { return c.obj }

func (c *checkoutScreen) focus() {
	c.a.win.Canvas().Focus(c.find)
	if !c.a.fa.Preferences().Bool("shift.chosen") {
		c.a.fa.Preferences().SetBool("shift.chosen", true)
		c.a.pickStaff(func() { c.cashier.SetText(fmt.Sprintf(lang.L("Cashier: %s"), c.a.staff)) })
	}
}

func (c *checkoutScreen) reload() {
	background(c.a, func(ctx context.Context) ([]data.Purchase, error) {
		ps, err := c.a.store.RecentPurchases(ctx, 50)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if _, ok := c.names[p.CustomerID]; !ok && p.CustomerID != 0 {
				if cu, err := c.a.store.Customer(ctx, p.CustomerID); err == nil {
					c.names[p.CustomerID] = cu.Name
				}
			}
		}
		return ps, nil
	}, func(ps []data.Purchase, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		c.recent = ps
		c.recentSel = -1
		c.recentL.UnselectAll()
		c.recentL.Refresh()
	})
	background(c.a, func(ctx context.Context) (data.Loyalty, error) {
		return c.a.store.Loyalty(ctx)
	}, func(l data.Loyalty, err error) {
		if err == nil {
			c.loyalty = l
		}
	})
}

func (c *checkoutScreen) describe(p data.Purchase) string {
	who := lang.L("walk-in")
	if p.CustomerID != 0 {
		who = c.names[p.CustomerID]
	}
	s := fmt.Sprintf("#%d  %s  %s  %s", p.ID, stamp(p.At), money(p.Amount), who)
	if p.Description != "" {
		s += " — " + p.Description
	}
	if p.RefundOf != 0 {
		s += fmt.Sprintf(lang.L(" (refund of #%d)"), p.RefundOf)
	}
	if p.Voided {
		s += lang.L(" [voided]")
	}
	return s
}

func (c *checkoutScreen) search() {
	text := strings.TrimSpace(c.find.Text)
	c.searchSeq++
	seq := c.searchSeq
	if text == "" {
		c.matches = nil
		c.matchList.Refresh()
		return
	}
	background(c.a, func(ctx context.Context) ([]data.Customer, error) {
		return c.a.store.SearchCustomers(ctx, text, 8)
	}, func(cs []data.Customer, err error) {
		if seq != c.searchSeq {
			return // a later keystroke already asked again
		}
		if err != nil {
			c.a.say(lang.L("Search failed: %v"), err)
			return
		}
		c.matches = cs
		c.matchIdx = 0
		c.matchList.Refresh()
	})
}

func (c *checkoutScreen) moveMatch(d int) {
	if len(c.matches) == 0 {
		return
	}
	c.matchIdx = (c.matchIdx + d + len(c.matches)) % len(c.matches)
	c.matchList.Refresh()
	c.matchList.ScrollTo(c.matchIdx)
}

func (c *checkoutScreen) pickMatch() {
	if len(c.matches) == 0 {
		if strings.TrimSpace(c.find.Text) != "" {
			c.newCustomer()
		}
		return
	}
	m := c.matches[c.matchIdx]
	c.choose(&m)
}

// choose makes cu the customer of the sale and moves on to the amount.
func (c *checkoutScreen) choose(cu *data.Customer) {
	c.customer = cu
	c.walkIn = cu == nil
	c.reward.SetChecked(false)
	c.result.SetText("")
	if cu == nil {
		c.balance = 0
		c.updateCard()
		c.a.win.Canvas().Focus(c.amount)
		return
	}
	id := cu.ID
	background(c.a, func(ctx context.Context) (int64, error) {
		return c.a.store.Balance(ctx, id)
	}, func(b int64, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		c.balance = b
		c.updateCard()
	})
	c.a.win.Canvas().Focus(c.amount)
}

func (c *checkoutScreen) setWalkIn() {
	c.find.SetText("")
	c.choose(nil)
}

func (c *checkoutScreen) updateCard() {
	switch {
	case c.customer == nil && c.walkIn:
		c.card.SetText(lang.L("Walk-in sale: no customer, no points."))
		c.reward.Hide()
		return
	case c.customer == nil:
		c.card.SetText(lang.L("No customer yet: find one, or F5 for a walk-in sale."))
		c.reward.Hide()
		return
	}
	cu := c.customer
	text := fmt.Sprintf("%s", cu.Name)
	if cu.Phone != "" {
		text += "  ☎ " + cu.Phone
	}
	text += fmt.Sprintf(lang.L("\nPoints: %d"), c.balance)
	if c.loyalty.RewardPoints > 0 && c.balance >= c.loyalty.RewardPoints {
		text += fmt.Sprintf(lang.L(" — a reward is available: %d points for %s off"), c.loyalty.RewardPoints, money(c.loyalty.RewardValue))
		c.reward.SetText(fmt.Sprintf(lang.L("Redeem %d points for %s off (F4)"), c.loyalty.RewardPoints, money(c.loyalty.RewardValue)))
		c.reward.Show()
	} else {
		c.reward.Hide()
		if c.loyalty.RewardPoints > 0 {
			text += fmt.Sprintf(lang.L(" — %d more to the next reward"), c.loyalty.RewardPoints-c.balance%c.loyalty.RewardPoints)
		}
	}
	c.card.SetText(text)
}

// record checks the amount and records the sale.
func (c *checkoutScreen) record() {
	if c.recording {
		return
	}
	if c.customer == nil && !c.walkIn {
		c.amountErr.SetText(lang.L("Pick a customer first (or F5 for a walk-in)."))
		c.a.win.Canvas().Focus(c.find)
		return
	}
	amount, err := parseAmount(c.amount.Text)
	if err != nil {
		c.amountErr.SetText(sentenceCase(err.Error()))
		return
	}
	if amount <= 0 {
		c.amountErr.SetText(fmt.Sprintf(lang.L("The amount must be more than %s."), amountText(0)))
		return
	}
	if amount >= largeSale && !c.confirmedLarge {
		// A slip of the finger (an extra zero) is easy at a till: ask once.
		c.amountErr.SetText(fmt.Sprintf(lang.L("%s is a large amount: press Enter again to record it, or correct it."), money(amount)))
		c.confirmedLarge = true
		return
	}
	c.confirmedLarge = false
	sale := data.Sale{Amount: amount, Description: strings.TrimSpace(c.desc.Text), Staff: c.a.staff}
	name := lang.L("walk-in")
	if c.customer != nil {
		sale.CustomerID = c.customer.ID
		name = c.customer.Name
		if c.reward.Visible() && c.reward.Checked {
			sale.RedeemPoints = c.loyalty.RewardPoints
		}
	}
	sold := c.customer
	c.recording = true
	c.amountErr.SetText("")
	c.result.SetText(lang.L("Recording the sale…"))
	background(c.a, func(ctx context.Context) (data.SaleResult, error) {
		return c.a.store.RecordSale(ctx, sale)
	}, func(r data.SaleResult, err error) {
		c.recording = false
		if err != nil {
			c.result.SetText("")
			c.amountErr.SetText(sentenceCase(err.Error()))
			return
		}
		msg := fmt.Sprintf(lang.L("Sale #%d recorded for %s: %s"), r.Purchase.ID, name, money(r.Purchase.Paid()))
		if sale.CustomerID != 0 {
			msg += fmt.Sprintf(lang.L(", %d points earned, balance %d"), r.Earned, r.Balance)
			if r.Redeemed > 0 {
				msg += fmt.Sprintf(lang.L(" (%d points redeemed for %s off)"), r.Redeemed, money(r.Purchase.Discount))
			}
			if r.RewardReady {
				msg += lang.L(". A reward is ready for next time.")
			}
		}
		c.result.SetText(msg)
		c.a.say("%s", msg)
		if sold != nil {
			c.lastSold = *sold
			c.promise.SetText(fmt.Sprintf(lang.L("Promise to %s… (F7)"), sold.Name))
			c.promise.Show()
		} else {
			c.promise.Hide()
		}
		c.amount.SetText("")
		c.desc.SetText("")
		c.find.SetText("")
		c.customer, c.walkIn = nil, false
		c.reward.SetChecked(false)
		c.updateCard()
		c.a.changed()
		c.a.win.Canvas().Focus(c.find)
	})
}

func (c *checkoutScreen) reset() {
	c.find.SetText("")
	c.amount.SetText("")
	c.desc.SetText("")
	c.customer, c.walkIn = nil, false
	c.updateCard()
	c.a.win.Canvas().Focus(c.find)
}

// newCustomer adds a customer in one step (name and phone) and picks them.
func (c *checkoutScreen) newCustomer() {
	typed := strings.TrimSpace(c.find.Text)
	name := newEntry()
	phone := newEntry()
	if data.PhoneDigits(typed) != "" && data.CheckPhone(typed) == nil {
		phone.SetText(typed)
	} else {
		name.SetText(typed)
	}
	name.Validator = data.CheckName
	phone.Validator = data.CheckPhone
	d := c.a.newForm(lang.L("New customer"), lang.L("Add and pick"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name), widget.NewFormItem(lang.L("Phone"), phone),
	}, func(ok bool) {
		if !ok {
			return
		}
		cu := data.Customer{Name: strings.TrimSpace(name.Text), Phone: strings.TrimSpace(phone.Text), CustomerSince: c.a.Today()}
		background(c.a, func(ctx context.Context) (data.Customer, error) {
			if dups, err := c.a.store.Duplicates(ctx, cu); err == nil && len(dups) > 0 {
				return dups[0], errDuplicate
			}
			id, err := c.a.store.AddCustomer(ctx, cu)
			cu.ID = id
			return cu, err
		}, func(got data.Customer, err error) {
			if errors.Is(err, errDuplicate) {
				c.a.say(lang.L("%s already has that phone: picked them instead"), got.Name)
				c.choose(&got)
				return
			}
			if err != nil {
				c.a.showError(err)
				return
			}
			c.find.SetText(got.Name)
			c.choose(&got)
			c.a.changed()
		})
	})
	d.Resize(fyne.NewSize(420, 200))
	d.Show()
	if name.Text == "" {
		c.a.win.Canvas().Focus(name)
	} else {
		c.a.win.Canvas().Focus(phone)
	}
}

var errDuplicate = errors.New(lang.L("a customer with that phone already exists"))

func (c *checkoutScreen) selectedSale() (data.Purchase, bool) {
	if c.recentSel < 0 || c.recentSel >= len(c.recent) {
		c.a.showError(errors.New(lang.L("pick a sale in the list first")))
		return data.Purchase{}, false
	}
	return c.recent[c.recentSel], true
}

func (c *checkoutScreen) refundDialog() {
	p, ok := c.selectedSale()
	if !ok {
		return
	}
	amount := newEntry()
	amount.SetText(amountText(p.Amount))
	amount.Validator = func(s string) error {
		v, err := parseAmount(s)
		if err != nil {
			return err
		}
		if v <= 0 {
			return fmt.Errorf(lang.L("the refund must be more than %s"), amountText(0))
		}
		return nil
	}
	reason := newEntry()
	reason.SetPlaceHolder(lang.L("Why (optional)"))
	c.a.newForm(fmt.Sprintf(lang.L("Refund sale #%d"), p.ID), lang.L("Refund"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Amount"), amount), widget.NewFormItem(lang.L("Reason"), reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		v, _ := parseAmount(amount.Text)
		c.run(fmt.Sprintf(lang.L("Refunded %s of sale #%d"), money(v), p.ID), func(ctx context.Context) error {
			_, err := c.a.store.Refund(ctx, p.ID, v, c.a.staff, reason.Text)
			return err
		})
	}).Show()
}

func (c *checkoutScreen) voidDialog() {
	p, ok := c.selectedSale()
	if !ok {
		return
	}
	reason := newEntry()
	reason.SetPlaceHolder(lang.L("What went wrong at the till"))
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("say why the sale is voided"))
		}
		return nil
	}
	c.a.newForm(fmt.Sprintf(lang.L("Void sale #%d (%s)?"), p.ID, money(p.Amount)), lang.L("Void"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Reason"), reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		c.run(fmt.Sprintf(lang.L("Voided sale #%d; its points were taken back"), p.ID), func(ctx context.Context) error {
			return c.a.store.VoidPurchase(ctx, p.ID, c.a.staff, reason.Text)
		})
	}).Show()
}

func (c *checkoutScreen) moveDialog() {
	p, ok := c.selectedSale()
	if !ok {
		return
	}
	who := newEntry()
	who.SetPlaceHolder(lang.L("Phone, email or customer number"))
	c.a.newForm(fmt.Sprintf(lang.L("Move sale #%d to…"), p.ID), lang.L("Move"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Customer"), who),
	}, func(ok bool) {
		if !ok {
			return
		}
		c.run(fmt.Sprintf(lang.L("Moved sale #%d; points follow it"), p.ID), func(ctx context.Context) error {
			to, err := c.a.store.MatchCustomer(ctx, who.Text)
			if err != nil {
				return err
			}
			_, err = c.a.store.MovePurchase(ctx, p.ID, to.ID, c.a.staff)
			return err
		})
	}).Show()
}

func (c *checkoutScreen) run(what string, fn func(context.Context) error) {
	background(c.a, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) },
		func(_ struct{}, err error) {
			if err != nil {
				c.a.showError(err)
				return
			}
			c.a.say("%s", what)
			c.a.changed()
		})
}

// sentenceCase starts a message with a capital and ends it with a full stop.
func sentenceCase(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// promiseToLast records a promise made to the customer just served.
func (c *checkoutScreen) promiseToLast() {
	if c.lastSold.ID == 0 {
		return
	}
	c.a.promiseForm(c.lastSold, func() { c.a.win.Canvas().Focus(c.find) })
}
