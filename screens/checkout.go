package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// customerFinder is what the checkout asks of the store to find the
// customer at the till; tests put a slower one in its place.
type customerFinder interface {
	FindAtTill(ctx context.Context, text string, d data.Day, limit int) (data.TillSearch, error)
}

// matchLimit is how many matches the pick list shows.
const matchLimit = 8

// checkoutScreen records sales from the keyboard alone: find the customer,
// type the amount, Enter.
//
// The sale goes to the customer whose number is in the field: every search
// says which text it was for, and Enter acts only on the search for the text
// there now. Pressed before that search is back, Enter waits for it
// (waitingPick); what is typed meanwhile goes to the amount, and a second
// Enter records the sale once the customer is taken (waitingRecord).
type checkoutScreen struct {
	a      *App
	finder customerFinder
	// recording is set while a sale is on its way to the disk: a second
	// Enter does not record it twice.
	recording bool

	find      *findEntry
	findHint  *widget.Label   // under the field: who Enter takes, or why nobody
	found     data.TillSearch // the matches in the list, and the text they are for
	failed    string          // a text whose search failed: Enter searches again
	chosen    int             // the match ↑/↓ moved to; -1 for none
	matchList *widget.List
	matchBox  *fyne.Container // the list; hidden once someone is picked, to make room for the card

	waitingPick, waitingRecord bool

	customer *data.Customer // nil: walk-in or nobody picked yet
	walkIn   bool
	cardFor  data.ID // whose card is in cardData; 0 while it is read
	cardData data.CheckoutCard
	rewards  int64 // rewards to redeem on this sale

	card       *widget.Label
	know       *widget.Label // what the till should know: complaints, promises, birthday, note
	rewardLine *widget.Label
	rewardRow  *fyne.Container
	amount     *keyEntry
	amountErr  *widget.Label
	toPay      *widget.Label
	desc       *widget.Entry
	result     *widget.Label
	recent     []data.Purchase
	names      map[data.ID]string
	recentL    *widget.List
	recentSel  int
	cashier    *widget.Button
	// promise records something promised at the counter to the customer
	// of the last sale ("order floor mats — due Friday — Sam").
	promise  *widget.Button
	lastSold data.Customer
	obj      fyne.CanvasObject
	// confirmedLarge is set once a large amount was pointed out; Enter again records it.
	confirmedLarge bool
}

// largeSale is the amount from which the till asks before recording.
const largeSale = data.Cents(1000_00)

func newCheckout(a *App) screen {
	c := &checkoutScreen{a: a, finder: a.store, chosen: -1, recentSel: -1, names: map[data.ID]string{}}
	c.find = newFindEntry(a, c.typedAhead)
	c.find.SetPlaceHolder(lang.L("Phone, name, email or customer number — then Enter"))
	c.find.OnChanged = func(string) { c.findChanged() }
	c.find.OnSubmitted = func(string) { c.enter() }
	c.find.onKey = func(ev *fyne.KeyEvent) bool {
		if c.waitingPick {
			switch ev.Name {
			case fyne.KeyReturn, fyne.KeyEnter:
				c.waitingRecord = true // recorded once the customer is taken
				return true
			case fyne.KeyBackspace:
				c.amount.TypedKey(ev)
				return true
			case fyne.KeyDown, fyne.KeyUp:
				return true
			}
		}
		switch ev.Name {
		case fyne.KeyDown:
			c.moveMatch(1)
			return true
		case fyne.KeyUp:
			c.moveMatch(-1)
			return true
		}
		return c.saleKey(ev)
	}
	c.findHint = widget.NewLabel("")
	c.findHint.Wrapping = fyne.TextWrapWord
	c.matchList = widget.NewList(
		func() int { return len(c.found.Matches) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(c.found.Matches) {
				return
			}
			l := o.(*widget.Label)
			l.SetText(c.matchText(i))
			l.TextStyle.Bold = i == c.chosen
			l.Refresh()
		})
	c.matchList.OnSelected = func(i widget.ListItemID) {
		c.matchList.UnselectAll()
		if i < len(c.found.Matches) {
			cu := c.found.Matches[i].Customer
			c.choose(&cu)
		}
	}
	c.card = widget.NewLabel("")
	c.card.Wrapping = fyne.TextWrapWord
	c.know = widget.NewLabel("")
	c.know.Wrapping = fyne.TextWrapWord
	c.know.Importance = widget.WarningImportance
	c.know.TextStyle.Bold = true
	c.rewardLine = widget.NewLabel("")
	fewer := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { c.setRewards(c.rewards - 1) })
	more := widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { c.setRewards(c.rewards + 1) })
	c.rewardRow = container.NewHBox(fewer, more, c.rewardLine)
	c.amount = a.keyEntry(lang.L("Amount, such as 12.50 — Enter records the sale"))
	c.amount.OnSubmitted = func(string) { c.record() }
	c.amount.OnChanged = func(string) {
		c.amountErr.SetText("")
		c.confirmedLarge = false
		c.updateCard()
	}
	c.amount.onKey = func(ev *fyne.KeyEvent) bool {
		switch ev.Name {
		case fyne.KeyF4:
			c.nextReward()
			return true
		case fyne.KeyEscape:
			c.reset()
			return true
		}
		return c.saleKey(ev)
	}
	c.amountErr = widget.NewLabel("")
	c.amountErr.Wrapping = fyne.TextWrapWord
	c.amountErr.Importance = widget.DangerImportance
	c.toPay = widget.NewLabel("")
	c.toPay.TextStyle.Bold = true
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
	pickRules := widget.NewLabel(lang.L("Enter takes the only match, or the one whose phone, email or customer number was typed in full. " +
		"Several: ↑/↓ to choose (shown in bold), then Enter. Nobody: F6 adds them."))
	pickRules.Wrapping = fyne.TextWrapWord
	pickRules.Importance = widget.LowImportance
	keys := widget.NewLabel(lang.L("Enter records the sale · F4 one more reward (after the most, none) · Esc starts again · F7 a promise to the customer just served"))
	keys.Wrapping = fyne.TextWrapWord
	keys.Importance = widget.LowImportance

	form := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Customer"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.find, c.findHint,
		container.NewHBox(walkIn, newC),
		pickRules,
	)
	c.matchBox = container.NewGridWrap(fyne.NewSize(520, 190), c.matchList)
	sale := container.NewVBox(
		widget.NewSeparator(),
		c.card, c.know, c.rewardRow,
		widget.NewLabelWithStyle(lang.L("Amount"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.amount, c.amountErr, c.toPay, c.desc, recordBtn, keys, c.result, container.NewHBox(c.promise),
	)
	left := container.NewVBox(form, c.matchBox, sale)

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
	c.updateCard()
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
	known := make(map[data.ID]bool, len(c.names))
	for id := range c.names {
		known[id] = true
	}
	type recentSales struct {
		sales []data.Purchase
		names map[data.ID]string
	}
	// The names are read off the UI goroutine into a map of their own, and
	// joined to the screen's on it.
	background(c.a, func(ctx context.Context) (recentSales, error) {
		ps, err := c.a.store.RecentPurchases(ctx, 50)
		if err != nil {
			return recentSales{}, err
		}
		r := recentSales{sales: ps, names: map[data.ID]string{}}
		for _, p := range ps {
			if id := p.CustomerID; id != 0 && !known[id] {
				if cu, err := c.a.store.Customer(ctx, id); err == nil {
					r.names[id] = cu.Name
					known[id] = true
				}
			}
		}
		return r, nil
	}, func(r recentSales, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		for id, name := range r.names {
			c.names[id] = name
		}
		c.recent = r.sales
		c.recentSel = -1
		c.recentL.UnselectAll()
		c.recentL.Refresh()
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

// saleKey handles the keys that work in both of the checkout's fields.
func (c *checkoutScreen) saleKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyF5:
		c.setWalkIn()
	case fyne.KeyF6:
		c.newCustomer()
	case fyne.KeyF7:
		c.promiseToLast()
	default:
		return false
	}
	return true
}

// findEntry is the find field. While an Enter waits for its search, what
// is typed goes to the amount, as it would have had the search been quick.
type findEntry struct {
	keyEntry
	ahead func(rune) bool // true: the key went elsewhere
}

func newFindEntry(a *App, ahead func(rune) bool) *findEntry {
	e := &findEntry{ahead: ahead}
	e.app = a
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune offers the key to the amount first.
func (e *findEntry) TypedRune(r rune) {
	if e.ahead != nil && e.ahead(r) {
		return
	}
	e.keyEntry.TypedRune(r)
}

// typedAhead takes a key typed while Enter waits: it belongs to the amount.
func (c *checkoutScreen) typedAhead(r rune) bool {
	if !c.waitingPick {
		return false
	}
	c.amount.TypedRune(r)
	return true
}

// findText is the text in the find field, as it is searched for.
func (c *checkoutScreen) findText() string { return strings.TrimSpace(c.find.Text) }

// findChanged starts over on the text now in the field: whoever was picked,
// and an Enter waiting, were for the text before.
func (c *checkoutScreen) findChanged() {
	c.waitingPick, c.waitingRecord = false, false
	if c.customer != nil || c.walkIn {
		c.customer, c.walkIn = nil, false
		c.rewards = 0
		c.updateCard()
	}
	c.search()
}

// search looks for the text in the field; its results are shown only if
// the field still holds that text when they come back.
func (c *checkoutScreen) search() {
	text := c.findText()
	c.chosen = -1
	if text == "" {
		c.found = data.TillSearch{}
		c.matchList.Refresh()
		c.setHint("", widget.LowImportance)
		return
	}
	if c.found.Text == text {
		c.showFound(c.found)
		return
	}
	day := c.a.Today()
	background(c.a, func(ctx context.Context) (data.TillSearch, error) {
		return c.finder.FindAtTill(ctx, text, day, matchLimit)
	}, func(r data.TillSearch, err error) {
		if text != c.findText() {
			return // for a text no longer in the field
		}
		if err != nil {
			c.failed = text
			c.waitingPick, c.waitingRecord = false, false
			c.setHint(fmt.Sprintf(lang.L("Search failed: %v"), err), widget.DangerImportance)
			return
		}
		r.Text = text
		c.showFound(r)
		if c.waitingPick {
			c.waitingPick = false
			c.takeMatch()
		}
	})
}

// showFound puts a search's matches in the list, nothing highlighted.
func (c *checkoutScreen) showFound(r data.TillSearch) {
	c.found, c.failed, c.chosen = r, "", -1
	c.matchList.Refresh()
	if len(r.Matches) > 0 {
		c.matchList.ScrollToTop()
	}
	if c.customer == nil && !c.walkIn { // a new customer's name, put in the field once they were picked
		c.explainFound(false)
	}
}

// explainFound says under the field what Enter does with the matches;
// entered says Enter was pressed and took nobody.
func (c *checkoutScreen) explainFound(entered bool) {
	r := c.found
	m, ok := r.Pick()
	switch {
	case c.chosen >= 0 && c.chosen < len(r.Matches):
		c.setHint(fmt.Sprintf(lang.L("Enter takes %s"), r.Matches[c.chosen].Name), widget.MediumImportance)
	case len(r.Matches) == 0:
		c.setHint(fmt.Sprintf(lang.L("No customer matches %s — F6 adds one"), r.Text), widget.DangerImportance)
	case ok:
		c.setHint(fmt.Sprintf(lang.L("Enter takes %s"), m.Name), widget.MediumImportance)
	case entered:
		c.setHint(lang.L("Several customers match and Enter does not guess: ↑/↓ to choose one, then Enter"), widget.WarningImportance)
	default:
		c.setHint(lang.L("Several customers match: ↑/↓ to choose one, then Enter"), widget.MediumImportance)
	}
}

func (c *checkoutScreen) setHint(text string, imp widget.Importance) {
	c.findHint.Importance = imp
	c.findHint.SetText(text)
}

// matchText is one row of the pick list: name, phone, email, customer
// number and last visit, so that neighbours and families tell apart.
func (c *checkoutScreen) matchText(i int) string {
	m := c.found.Matches[i]
	text := m.Name
	if m.Phone != "" {
		text += "  ☎ " + m.Phone
	}
	if m.Email != "" {
		text += "  ✉ " + m.Email
	}
	text += fmt.Sprintf("  #%d  ", m.ID)
	if m.LastVisit.IsZero() {
		text += lang.L("no visit yet")
	} else {
		text += fmt.Sprintf(lang.L("last visit %s"), shortDate(m.LastVisit))
	}
	if i == c.chosen {
		text = "▶ " + text
	}
	return text
}

func (c *checkoutScreen) moveMatch(d int) {
	n := len(c.found.Matches)
	if n == 0 || c.found.Text != c.findText() {
		return
	}
	switch {
	case c.chosen < 0 && d > 0:
		c.chosen = 0
	case c.chosen < 0:
		c.chosen = n - 1
	default:
		c.chosen = (c.chosen + d + n) % n
	}
	c.matchList.Refresh()
	c.matchList.ScrollTo(c.chosen)
	c.explainFound(false)
}

// enter takes the customer for the text in the field, once its search is back.
func (c *checkoutScreen) enter() {
	text := c.findText()
	if text == "" {
		c.setHint(lang.L("Type a phone number, name, email or customer number first — or F5 for a walk-in sale"), widget.WarningImportance)
		return
	}
	if c.found.Text != text {
		// Its search is still running: act when it is back.
		c.waitingPick = true
		if c.failed == text {
			c.failed = ""
			c.search()
		}
		return
	}
	c.takeMatch()
}

// takeMatch takes the match highlighted, or the one Enter may take alone;
// with nobody to take, the cashier is back in the field with the reason.
func (c *checkoutScreen) takeMatch() {
	if m, ok := c.found.Pick(); ok || c.chosen >= 0 && c.chosen < len(c.found.Matches) {
		if c.chosen >= 0 {
			m = c.found.Matches[c.chosen]
		}
		cu := m.Customer
		c.choose(&cu)
		return
	}
	c.waitingPick, c.waitingRecord = false, false // an amount typed meanwhile stays in its field
	c.explainFound(true)
	c.a.win.Canvas().Focus(c.find)
}

// choose makes cu the customer of the sale and moves on to the amount.
func (c *checkoutScreen) choose(cu *data.Customer) {
	c.waitingPick = false
	c.customer = cu
	c.walkIn = cu == nil
	c.rewards = 0
	c.cardFor = 0
	c.result.SetText("")
	c.setHint("", widget.LowImportance)
	c.updateCard()
	c.a.win.Canvas().Focus(c.amount)
	if cu != nil {
		id, day := cu.ID, c.a.Today()
		background(c.a, func(ctx context.Context) (data.CheckoutCard, error) {
			return c.a.store.CheckoutCard(ctx, id, day)
		}, func(card data.CheckoutCard, err error) {
			if c.customer == nil || c.customer.ID != id {
				return // another customer was picked meanwhile
			}
			if err != nil {
				c.a.showError(err)
				return
			}
			c.cardData, c.cardFor = card, id
			c.updateCard()
		})
	}
	if c.waitingRecord {
		c.waitingRecord = false
		c.record()
	}
}

func (c *checkoutScreen) setWalkIn() {
	c.find.SetText("")
	c.waitingPick, c.waitingRecord = false, false
	c.choose(nil)
}

// typedAmount is the amount in its field, when it is one.
func (c *checkoutScreen) typedAmount() (data.Cents, bool) {
	v, err := parseAmount(c.amount.Text)
	return v, err == nil && v > 0
}

// mostRewards is how many rewards this sale can take: what the balance
// pays for, and, once the amount is typed, no more than it covers.
func (c *checkoutScreen) mostRewards() int64 {
	if c.customer == nil || c.cardFor != c.customer.ID {
		return 0
	}
	l := c.cardData.Scheme
	if amount, ok := c.typedAmount(); ok {
		return l.RewardsFor(c.cardData.Balance, amount)
	}
	return c.cardData.RewardsHeld()
}

// nextReward is F4: one more reward, and after the most, none.
func (c *checkoutScreen) nextReward() {
	if c.rewards >= c.mostRewards() {
		c.setRewards(0)
		return
	}
	c.setRewards(c.rewards + 1)
}

func (c *checkoutScreen) setRewards(n int64) {
	c.rewards = max(0, min(n, c.mostRewards()))
	c.updateCard()
}

func (c *checkoutScreen) updateCard() {
	amount, amountOK := c.typedAmount()
	c.toPay.Importance = widget.MediumImportance
	c.toPay.SetText("")
	if amountOK {
		c.toPay.SetText(fmt.Sprintf(lang.L("To pay: %s"), money(amount)))
	}
	if c.customer != nil || c.walkIn {
		c.matchBox.Hide()
	} else {
		c.matchBox.Show()
	}
	if c.customer == nil {
		if c.walkIn {
			c.card.SetText(lang.L("Walk-in sale: no customer, no points."))
		} else {
			c.card.SetText(lang.L("No customer yet: find one, or F5 for a walk-in sale."))
			c.toPay.SetText("")
		}
		c.know.Hide()
		c.rewardRow.Hide()
		return
	}
	cu := c.customer
	head := cu.Name
	if cu.Phone != "" {
		head += "  ☎ " + cu.Phone
	}
	head += fmt.Sprintf("  #%d", cu.ID)
	if c.cardFor != cu.ID {
		c.card.SetText(head)
		c.know.Hide()
		c.rewardRow.Hide()
		return
	}
	card := c.cardData
	l := card.Scheme
	text := head + fmt.Sprintf(lang.L("\nPoints: %d"), card.Balance)
	if held := card.RewardsHeld(); held > 0 {
		text += fmt.Sprintf(lang.N(" — %d rewards ready, %s off each", int(held)), held, money(l.RewardValue))
	} else if l.RewardPoints > 0 {
		text += fmt.Sprintf(lang.L(" — %d more to the next reward"), l.PointsToNextReward(card.Balance))
	}
	if card.LastVisit.IsZero() {
		text += lang.L("\nNo visit yet")
	} else {
		text += fmt.Sprintf(lang.L("\nLast visit: %s"), longDate(card.LastVisit))
	}
	c.card.SetText(text)
	if know := c.tillShouldKnow(card); know != "" {
		c.know.SetText(know)
		c.know.Show()
	} else {
		c.know.Hide()
	}

	if card.RewardsHeld() == 0 {
		c.rewards = 0
		c.rewardRow.Hide()
	} else {
		c.rewardLine.SetText(fmt.Sprintf(lang.L("Redeem %d of %d rewards: %s off (F4 one more)"),
			c.rewards, c.mostRewards(), money(l.RewardsOff(c.rewards))))
		c.rewardRow.Show()
	}
	if !amountOK || c.rewards == 0 {
		return
	}
	if pay := l.ToPay(amount, c.rewards); pay < 0 {
		c.toPay.Importance = widget.DangerImportance
		c.toPay.SetText(fmt.Sprintf(lang.L("%s off is more than the sale of %s: F4 to redeem fewer rewards"),
			money(l.RewardsOff(c.rewards)), money(amount)))
	} else {
		c.toPay.SetText(fmt.Sprintf(lang.L("To pay: %s (%s less %s off)"), money(pay), money(amount), money(l.RewardsOff(c.rewards))))
	}
}

// tillShouldKnow is what to say or put right while the customer is at the
// counter, one line each.
func (c *checkoutScreen) tillShouldKnow(card data.CheckoutCard) string {
	today := c.a.Today()
	var lines []string
	for _, k := range card.OpenComplaints {
		lines = append(lines, fmt.Sprintf(lang.L("Open complaint: %s (received %s)"), k.What, longDate(k.Received)))
	}
	for _, p := range card.Promises {
		switch days := p.Due.Sub(today); {
		case days < 0:
			lines = append(lines, fmt.Sprintf(lang.L("Promise late, due %s: %s"), longDate(p.Due), p.What))
		case days == 0:
			lines = append(lines, fmt.Sprintf(lang.L("Promise due today: %s"), p.What))
		default:
			lines = append(lines, fmt.Sprintf(lang.L("Promise due tomorrow: %s"), p.What))
		}
	}
	if b := card.Birthday; !b.IsZero() {
		_, m, d := b.Date()
		switch days := b.Sub(today); {
		case days == 0:
			lines = append(lines, lang.L("Birthday today"))
		case days > 0:
			lines = append(lines, fmt.Sprintf(lang.N("Birthday on %s, in %d days", days), dayMonth(m, d), days))
		default:
			lines = append(lines, fmt.Sprintf(lang.N("Birthday was on %s, %d days ago", -days), dayMonth(m, d), -days))
		}
	}
	if n := strings.TrimSpace(card.Customer.Notes); n != "" {
		lines = append(lines, fmt.Sprintf(lang.L("Note: %s"), n))
	}
	return strings.Join(lines, "\n")
}

// record checks the amount and records the sale.
func (c *checkoutScreen) record() {
	if c.recording {
		return
	}
	if c.waitingPick {
		c.waitingRecord = true // recorded once the customer is found
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
		if c.cardFor == c.customer.ID {
			sale.RedeemPoints = c.rewards * c.cardData.Scheme.RewardPoints
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
		c.rewards = 0
		c.updateCard()
		c.a.changed()
		c.a.win.Canvas().Focus(c.find)
	})
}

func (c *checkoutScreen) reset() {
	c.find.SetText("")
	c.amount.SetText("")
	c.desc.SetText("")
	c.waitingPick, c.waitingRecord = false, false
	c.customer, c.walkIn = nil, false
	c.rewards = 0
	c.updateCard()
	c.a.win.Canvas().Focus(c.find)
}

// newCustomer adds a customer in one step (name and phone) and picks them.
func (c *checkoutScreen) newCustomer() {
	c.waitingPick, c.waitingRecord = false, false
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
	// The first letter, not the first byte: a message may start with a
	// curly quote or an accented letter.
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// promiseToLast records a promise made to the customer just served.
func (c *checkoutScreen) promiseToLast() {
	if c.lastSold.ID == 0 {
		return
	}
	c.a.promiseForm(c.lastSold, func() { c.a.win.Canvas().Focus(c.find) })
}
