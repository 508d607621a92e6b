package screens

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// customerFinder is what the checkout asks of the store to find the
// customer at the till; tests put a slower one in its place.
type customerFinder interface {
	FindAtTill(ctx context.Context, text string, d rules.Day, limit int) (data.TillSearch, error)
}

// matchLimit is how many matches the pick list shows.
const matchLimit = 8

// matchRows is how many rows of matches show without scrolling: enough to
// tell neighbours apart, leaving the card and the amount in sight.
const matchRows = 6

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
	findHint  *widget.Label   // under the field, one line: who Enter takes, or why nobody
	found     data.TillSearch // the matches in the list, and the text they are for
	failed    string          // a text whose search failed: Enter searches again
	chosen    int             // the match ↑/↓ moved to; -1 for none
	matchList *widget.List
	matchCols matchColumns      // the list's columns, as wide as the matches need
	matchHead *fyne.Container   // the columns' heads
	matchSize *canvas.Rectangle // holds the list as tall as its rows, up to matchRows
	matchBox  *fyne.Container   // the list; hidden once someone is picked, to make room for the card

	waitingPick, waitingRecord bool

	customer *rules.Customer // nil: walk-in or nobody picked yet
	walkIn   bool
	cardFor  rules.ID // whose card is in cardData; 0 while it is read
	cardData data.CheckoutCard
	rewards  int64 // rewards to redeem on this sale

	cardBox *fyne.Container // the customer's card: shown once someone (or a walk-in) is picked
	// card is the customer's name, phone and number, points, rewards and
	// last visit, then what the till should know, a line each.
	card       *widget.RichText
	rewardLine *widget.Label
	rewardRow  *fyne.Container
	amount     *keyEntry
	amountErr  *widget.Label
	toPay      *widget.Label
	desc       *widget.Entry
	result     *widget.Label
	recordBtn  *widget.Button
	keys       *widget.Label // the keys, in a line at the foot of the screen
	recent     []rules.Purchase
	names      map[rules.ID]string
	recentL    *widget.List
	recentSel  int
	cashier    *widget.Button
	// promise records something promised at the counter to the customer
	// of the last sale ("order floor mats — due Friday — Sam").
	promise  *widget.Button
	lastSold rules.Customer
	obj      fyne.CanvasObject
	// confirmedLarge is set once a large amount was pointed out; Enter again records it.
	confirmedLarge bool
}

// largeSale is the amount from which the till asks before recording.
const largeSale = rules.Cents(1000_00)

func newCheckout(a *App) screen {
	c := &checkoutScreen{a: a, finder: a.store, chosen: -1, recentSel: -1, names: map[rules.ID]string{}}
	c.newFind()
	c.newMatches()
	c.newCard()
	c.newAmount()
	walkIn := widget.NewButtonWithIcon(lang.L("Walk-in (F5)"), theme.AccountIcon(), c.setWalkIn)
	newC := widget.NewButtonWithIcon(lang.L("New customer (F6)"), theme.ContentAddIcon(), c.newCustomer)
	c.recordBtn = widget.NewButtonWithIcon(lang.L("Record sale (Enter)"), theme.ConfirmIcon(), c.record)
	c.recordBtn.Importance = widget.HighImportance
	c.cashier = widget.NewButtonWithIcon(fmt.Sprintf(lang.L("Cashier: %s"), a.staff), theme.AccountIcon(), func() {
		a.pickStaff(func() { c.cashier.SetText(fmt.Sprintf(lang.L("Cashier: %s"), a.staff)) })
	})
	// The keys in one line at the foot of the screen; Help (F1) says more.
	c.keys = widget.NewLabel(lang.L("Enter takes the customer, then records the sale · ↑/↓ choose among several · " +
		"F4 one more reward · F5 walk-in · F6 new customer · F7 promise · Esc starts again"))
	c.keys.SizeName = theme.SizeNameCaptionText
	c.keys.Wrapping = fyne.TextWrapWord // a narrow window takes two lines, rather than cutting it

	split := container.NewHSplit(container.NewPadded(container.NewVScroll(c.saleColumn())), container.NewPadded(c.recentColumn()))
	split.Offset = 0.55
	c.obj = container.NewBorder(container.NewHBox(c.cashier, walkIn, newC), c.keys, nil, nil, split)
	c.updateCard()
	return c
}

// newFind makes the field the customer is found by, and the hint under it.
func (c *checkoutScreen) newFind() {
	c.find = newFindEntry(c.a, c.typedAhead)
	c.find.SetPlaceHolder(lang.L("Phone, name, email or customer number"))
	c.find.OnChanged = func(string) { c.findChanged() }
	c.find.OnSubmitted = func(string) { c.enter() }
	c.find.onKey = c.findKey
	c.findHint = widget.NewLabel("")
	c.findHint.Wrapping = fyne.TextWrapWord
	c.findHint.Hide()
}

// findKey works the keys of the find field: the arrows move among the
// matches; while a pick is awaited, Enter records once the customer is
// taken and Backspace goes to the amount.
func (c *checkoutScreen) findKey(ev *fyne.KeyEvent) bool {
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

// newMatches makes the list of customers a search matches, under its
// column heads.
func (c *checkoutScreen) newMatches() {
	c.matchList = widget.NewList(
		func() int { return len(c.found.Matches) },
		func() fyne.CanvasObject {
			row := container.New(&c.matchCols)
			for range 4 {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				row.Add(l)
			}
			return row
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(c.found.Matches) {
				return
			}
			row := o.(*fyne.Container)
			for k, cell := range c.matchCells(i) {
				l := row.Objects[k].(*widget.Label)
				l.TextStyle.Bold = i == c.chosen
				l.Text = cell
			}
			row.Refresh() // lays the cells out again: the columns fit the matches of each search
		})
	c.matchList.OnSelected = func(i widget.ListItemID) {
		c.matchList.UnselectAll()
		if i < len(c.found.Matches) {
			cu := c.found.Matches[i].Customer
			c.choose(&cu)
		}
	}
	c.matchSize = canvas.NewRectangle(color.Transparent)
	c.matchHead = container.New(&c.matchCols)
	for _, h := range matchHeads() {
		l := widget.NewLabel(h)
		l.SizeName = theme.SizeNameCaptionText
		l.Importance = widget.LowImportance
		l.Truncation = fyne.TextTruncateEllipsis
		c.matchHead.Add(l)
	}
	c.matchBox = container.NewBorder(c.matchHead, nil, nil, nil, container.NewStack(c.matchSize, c.matchList))
}

// newCard makes the customer's card and the line of rewards to redeem.
func (c *checkoutScreen) newCard() {
	c.card = widget.NewRichText()
	c.card.Wrapping = fyne.TextWrapWord
	c.rewardLine = widget.NewLabel("")
	c.rewardLine.Wrapping = fyne.TextWrapWord
	fewer := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { c.setRewards(c.rewards - 1) })
	more := widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { c.setRewards(c.rewards + 1) })
	c.rewardRow = container.NewBorder(nil, nil, container.NewHBox(fewer, more), nil, c.rewardLine)
	c.cardBox = container.NewVBox(c.card, c.rewardRow)
}

// newAmount makes the sale's fields: the amount, what is left to pay, the
// description, and what recording said.
func (c *checkoutScreen) newAmount() {
	c.amount = c.a.keyEntry(fmt.Sprintf(lang.L("Amount, such as %s — Enter records the sale"), amountText(1250)))
	c.amount.OnSubmitted = func(string) { c.record() }
	c.amount.OnChanged = func(string) {
		showText(c.amountErr, "")
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
	c.amountErr.Hide()
	c.toPay = widget.NewLabel("")
	c.toPay.TextStyle.Bold = true
	c.toPay.SizeName = theme.SizeNameSubHeadingText
	c.toPay.Wrapping = fyne.TextWrapWord
	c.desc = widget.NewEntry()
	c.desc.SetPlaceHolder(lang.L("What was bought (optional)"))
	c.desc.OnSubmitted = func(string) { c.record() }
	c.result = widget.NewLabel("")
	c.result.Wrapping = fyne.TextWrapWord
	c.result.Importance = widget.SuccessImportance
	c.result.Hide()
	c.promise = widget.NewButtonWithIcon(lang.L("Promise…"), theme.ConfirmIcon(), c.promiseToLast)
	c.promise.Hide()
}

// saleColumn lays the sale out top to bottom as it goes: who, what they
// hold, how much, record.
func (c *checkoutScreen) saleColumn() fyne.CanvasObject {
	// The two fields' names as wide as each other, so the fields line up.
	bold := fyne.TextStyle{Bold: true}
	customerName := widget.NewLabelWithStyle(lang.L("Customer"), fyne.TextAlignLeading, bold)
	amountName := widget.NewLabelWithStyle(lang.L("Amount"), fyne.TextAlignLeading, bold)
	nameWidth := max(customerName.MinSize().Width, amountName.MinSize().Width)
	field := func(name *widget.Label, entry fyne.CanvasObject) fyne.CanvasObject {
		width := canvas.NewRectangle(color.Transparent)
		width.SetMinSize(fyne.NewSize(nameWidth, 0))
		return container.NewBorder(nil, nil, container.NewStack(width, name), nil, entry)
	}
	return container.NewVBox(
		field(customerName, c.find),
		c.findHint,
		c.matchBox,
		c.cardBox,
		widget.NewSeparator(),
		field(amountName, c.amount),
		c.toPay, c.amountErr, c.desc, c.recordBtn,
		c.result, container.NewHBox(c.promise),
	)
}

// recentColumn is the recent sales, to refund, void or move.
func (c *checkoutScreen) recentColumn() fyne.CanvasObject {
	c.recentL = widget.NewList(
		func() int { return len(c.recent) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis // a narrow pane cuts the description short
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(c.recent) {
				o.(*widget.Label).SetText(c.describe(c.recent[i]))
			}
		})
	c.recentL.OnSelected = func(i widget.ListItemID) { c.recentSel = i }
	// Wrapped, so that the pane of recent sales can be narrow.
	explain := widget.NewLabel(lang.L("Pick a sale to refund it, void a mistake, or move it to the right customer."))
	explain.Wrapping = fyne.TextWrapWord
	refund := widget.NewButton(lang.L("Refund…"), c.refundDialog)
	void := widget.NewButton(lang.L("Void…"), c.voidDialog)
	move := widget.NewButton(lang.L("Move to customer…"), c.moveDialog)
	return container.NewBorder(
		container.NewVBox(container.NewHBox(widget.NewLabelWithStyle(lang.L("Recent sales"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})), explain),
		container.NewHBox(refund, void, move), nil, nil, c.recentL)
}

func (c *checkoutScreen) content() fyne.CanvasObject { return c.obj }

func (c *checkoutScreen) focus() {
	c.a.win.Canvas().Focus(c.find)
	if !c.a.fa.Preferences().Bool("shift.chosen") {
		c.a.fa.Preferences().SetBool("shift.chosen", true)
		c.a.pickStaff(func() { c.cashier.SetText(fmt.Sprintf(lang.L("Cashier: %s"), c.a.staff)) })
	}
}

func (c *checkoutScreen) reload() { c.reloadRecent(false) }

// reloadRecent reads the recent sales again; keepPick keeps the sale
// picked in the list picked, when it is still there.
func (c *checkoutScreen) reloadRecent(keepPick bool) {
	known := make(map[rules.ID]bool, len(c.names))
	for id := range c.names {
		known[id] = true
	}
	type recentSales struct {
		sales []rules.Purchase
		names map[rules.ID]string
	}
	// The names are read off the UI goroutine into a map of their own, and
	// joined to the screen's on it.
	background(c.a, func(ctx context.Context) (recentSales, error) {
		ps, err := c.a.store.RecentPurchases(ctx, 50)
		if err != nil {
			return recentSales{}, err
		}
		r := recentSales{sales: ps, names: map[rules.ID]string{}}
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
		var picked rules.ID
		if c.recentSel >= 0 && c.recentSel < len(c.recent) {
			picked = c.recent[c.recentSel].ID
		}
		c.recent = r.sales
		c.recentSel = -1
		c.recentL.UnselectAll()
		c.recentL.Refresh()
		if keepPick && picked != 0 {
			for i, p := range c.recent {
				if p.ID == picked {
					c.recentL.Select(i)
				}
			}
		}
	})
}

// otherTillWrote reads again, for another till's write, the picked
// customer's card (their points, a sale just made elsewhere) and the
// recent sales, keeping what is typed, the rewards chosen as far as the
// balance still pays for them, and the sale picked in the list.
func (c *checkoutScreen) otherTillWrote() {
	c.reloadRecent(true)
	if c.customer == nil || c.cardFor != c.customer.ID {
		return
	}
	id, day := c.customer.ID, c.a.Today()
	background(c.a, func(ctx context.Context) (data.CheckoutCard, error) {
		return c.a.store.CheckoutCard(ctx, id, day)
	}, func(card data.CheckoutCard, err error) {
		if err != nil || c.customer == nil || c.customer.ID != id || c.cardFor != id {
			return // the next write tells again; another customer was picked
		}
		c.cardData = card
		c.rewards = min(c.rewards, c.mostRewards())
		c.updateCard()
	})
}

func (c *checkoutScreen) describe(p rules.Purchase) string {
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
		c.showMatches()
		c.idleHint()
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
	c.matchCols.fit(c)
	c.matchHead.Refresh()
	c.matchList.Refresh()
	c.showMatches()
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

// idleHint is the line under the empty field, before anyone is picked.
func (c *checkoutScreen) idleHint() {
	c.setHint(lang.L("No customer yet: find one, or F5 for a walk-in sale."), widget.LowImportance)
}

func (c *checkoutScreen) setHint(text string, imp widget.Importance) {
	c.findHint.Importance = imp
	showText(c.findHint, text)
}

// showText sets a label's text and shows it only when there is some, so
// that an empty line leaves no gap.
func showText(l *widget.Label, text string) {
	l.Text = text
	l.Hidden = text == ""
	l.Refresh()
}

// showMatches shows the pick list while there are matches and nobody is
// picked, as tall as its rows (up to matchRows; it scrolls beyond).
func (c *checkoutScreen) showMatches() {
	n := min(len(c.found.Matches), matchRows)
	if n == 0 || c.customer != nil || c.walkIn {
		c.matchBox.Hide()
		return
	}
	row := widget.NewLabel("").MinSize().Height
	c.matchSize.SetMinSize(fyne.NewSize(0, float32(n)*(row+theme.Padding())-theme.Padding()))
	c.matchBox.Show()
	c.matchBox.Refresh()
}

// matchCells is one row of the pick list: name, phone and last visit
// first, then email and customer number, so that neighbours and families
// tell apart.
func (c *checkoutScreen) matchCells(i int) [4]string {
	m := c.found.Matches[i]
	name := m.Name
	if i == c.chosen {
		name = "▶ " + name
	}
	visit := lang.L("no visit yet")
	if !m.LastVisit.IsZero() {
		visit = listDate(m.LastVisit)
	}
	rest := fmt.Sprintf("#%d", m.ID)
	if m.Email != "" {
		rest = m.Email + "  " + rest
	}
	return [4]string{name, m.Phone, visit, rest}
}

// matchText is a row of the pick list as one line.
func (c *checkoutScreen) matchText(i int) string {
	var cells []string
	for _, cell := range c.matchCells(i) {
		if cell != "" {
			cells = append(cells, cell)
		}
	}
	return strings.Join(cells, "  ")
}

// matchColumns lays out the cells of a pick-list row in columns that line
// up from row to row: name, phone and last visit as wide as the widest of
// the matches, the rest in what is left. Cells cut short end in "…".
type matchColumns struct{ widths [3]float32 }

// matchHeads are the column heads over the pick list.
func matchHeads() [4]string {
	return [4]string{lang.L("Name"), lang.L("Phone"), lang.L("Last visit"), lang.L("Email, customer number")}
}

// fit sizes the columns to the matches now in the list.
func (m *matchColumns) fit(c *checkoutScreen) {
	m.widths = [3]float32{}
	// The label's padding, and a little over for the text's own rounding:
	// a cell that fits must not end in "…".
	pad := 2*theme.InnerPadding() + theme.Padding()
	heads := matchHeads()
	for k := range m.widths {
		m.widths[k] = fyne.MeasureText(heads[k], theme.CaptionTextSize(), fyne.TextStyle{}).Width + pad
	}
	for i := range c.found.Matches {
		cells := c.matchCells(i)
		if i != c.chosen {
			cells[0] = "▶ " + cells[0] // as wide as when it is chosen
		}
		for k := range m.widths {
			if cells[k] != "" {
				w := fyne.MeasureText(cells[k], theme.TextSize(), fyne.TextStyle{Bold: true}).Width + pad
				m.widths[k] = max(m.widths[k], w)
			}
		}
	}
}

func (m *matchColumns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h) // as narrow as the pane: the cells are cut short
}

func (m *matchColumns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := m.widths
	// A narrow pane takes from the name first, down to a third of the row.
	if over := w[0] + w[1] + w[2] - size.Width; over > 0 {
		w[0] = max(w[0]-over, size.Width/3)
	}
	var x float32
	for i, o := range objects {
		cw := max(0, size.Width-x)
		if i < len(w) {
			cw = min(cw, w[i])
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw
	}
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
func (c *checkoutScreen) choose(cu *rules.Customer) {
	c.waitingPick = false
	c.customer = cu
	c.walkIn = cu == nil
	c.rewards = 0
	c.cardFor = 0
	showText(c.result, "")
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
func (c *checkoutScreen) typedAmount() (rules.Cents, bool) {
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
	pay := ""
	if amountOK && (c.customer != nil || c.walkIn) {
		pay = fmt.Sprintf(lang.L("To pay: %s"), money(amount))
	}
	defer func() { showText(c.toPay, pay) }()
	c.showMatches()
	if c.customer == nil && c.findText() == "" && !c.walkIn && !c.findHint.Visible() {
		c.idleHint()
	}
	if c.customer == nil {
		c.cardBox.Hidden = !c.walkIn
		c.showCard(cardLine(lang.L("Walk-in sale: no customer, no points."), theme.ColorNameForeground, false))
		c.rewardRow.Hide()
		return
	}
	c.cardBox.Show()
	cu := c.customer
	head := cu.Name
	if cu.Phone != "" {
		head += "  ☎ " + cu.Phone
	}
	head += fmt.Sprintf("  #%d", cu.ID)
	lines := []widget.RichTextSegment{cardLine(head, theme.ColorNameForeground, true)}
	if c.cardFor != cu.ID {
		c.showCard(lines...)
		c.rewardRow.Hide()
		return
	}
	card := c.cardData
	l := card.Scheme
	points := fmt.Sprintf(lang.L("Points: %s"), wholeNumber(card.Balance))
	if held := card.RewardsHeld(); held > 0 {
		points += fmt.Sprintf(lang.N(" — %d rewards ready, %s off each", int(held)), held, money(l.RewardValue))
	} else if l.RewardPoints > 0 {
		points += fmt.Sprintf(lang.L(" — %s more to the next reward"), wholeNumber(l.PointsToNextReward(card.Balance)))
	}
	lines = append(lines, cardLine(points, theme.ColorNameForeground, false))
	if card.ExpiringPoints > 0 && !card.ExpiryDue {
		lines = append(lines, cardLine(expiringText(card), theme.ColorNameForeground, false))
	}
	visit := lang.L("No visit yet")
	if !card.LastVisit.IsZero() {
		visit = fmt.Sprintf(lang.L("Last visit: %s"), longDate(card.LastVisit))
	}
	lines = append(lines, cardLine(visit, theme.ColorNameForeground, false))
	for _, n := range c.tillShouldKnow(card) {
		lines = append(lines, cardLine(n.text, n.color, n.color != theme.ColorNameForeground))
	}
	c.showCard(lines...)

	if card.RewardsHeld() == 0 {
		c.rewards = 0
		c.rewardRow.Hide()
	} else {
		most := c.mostRewards()
		line := lang.N("Redeem %d of %d rewards: %s off (F4 one more)", int(most))
		if c.rewards >= most {
			line = lang.N("Redeem %d of %d rewards: %s off (F4 none)", int(most))
		}
		c.rewardLine.SetText(fmt.Sprintf(line, c.rewards, most, money(l.RewardsOff(c.rewards))))
		c.rewardRow.Show()
	}
	if !amountOK || c.rewards == 0 {
		return
	}
	if p := l.ToPay(amount, c.rewards); p < 0 {
		c.toPay.Importance = widget.DangerImportance
		pay = fmt.Sprintf(lang.L("%s off is more than the sale of %s: F4 to redeem fewer rewards"),
			money(l.RewardsOff(c.rewards)), money(amount))
	} else {
		pay = fmt.Sprintf(lang.L("To pay: %s (%s less %s off)"), money(p), money(amount), money(l.RewardsOff(c.rewards)))
	}
}

// expiringText says which of the customer's points expire first, and when.
func expiringText(card data.CheckoutCard) string {
	return fmt.Sprintf(lang.N("%s points expire on %s", clampInt(card.ExpiringPoints)), wholeNumber(card.ExpiringPoints), longDate(card.ExpiresOn))
}

// showCard puts lines on the customer's card.
func (c *checkoutScreen) showCard(lines ...widget.RichTextSegment) {
	c.card.Segments = lines
	c.card.Refresh()
	c.cardBox.Refresh()
}

// cardLine is one line of the card, in a colour of the theme.
func cardLine(text string, color fyne.ThemeColorName, bold bool) widget.RichTextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: color, SizeName: theme.SizeNameText, TextStyle: fyne.TextStyle{Bold: bold}}}
}

// tillNote is one thing the till should know, in the colour it calls for.
type tillNote struct {
	text  string
	color fyne.ThemeColorName
}

// tillShouldKnow is what to say or put right while the customer is at the
// counter, one line each: what went wrong or is late in red, what is due
// in orange, good news in green, a note as it is.
func (c *checkoutScreen) tillShouldKnow(card data.CheckoutCard) []tillNote {
	today := c.a.Today()
	var notes []tillNote
	add := func(color fyne.ThemeColorName, text string) { notes = append(notes, tillNote{text, color}) }
	for _, k := range card.OpenComplaints {
		add(theme.ColorNameError, fmt.Sprintf(lang.L("Open complaint: %s (received %s)"), k.What, longDate(k.Received)))
	}
	for _, p := range card.Promises {
		switch days := p.Due.Sub(today); {
		case days < 0:
			add(theme.ColorNameError, fmt.Sprintf(lang.L("Promise late, due %s: %s"), longDate(p.Due), p.What))
		case days == 0:
			add(theme.ColorNameWarning, fmt.Sprintf(lang.L("Promise due today: %s"), p.What))
		default:
			add(theme.ColorNameWarning, fmt.Sprintf(lang.L("Promise due tomorrow: %s"), p.What))
		}
	}
	if card.ExpiryDue {
		add(theme.ColorNameWarning, expiringText(card))
	}
	if b := card.Birthday; !b.IsZero() {
		_, m, d := b.Date()
		switch days := b.Sub(today); {
		case days == 0:
			add(theme.ColorNameSuccess, lang.L("Birthday today"))
		case days > 0:
			add(theme.ColorNameSuccess, fmt.Sprintf(lang.N("Birthday on %s, in %d days", days), dayMonth(m, d), days))
		default:
			add(theme.ColorNameSuccess, fmt.Sprintf(lang.N("Birthday was on %s, %d days ago", -days), dayMonth(m, d), -days))
		}
	}
	if n := strings.TrimSpace(card.Customer.Notes); n != "" {
		add(theme.ColorNameForeground, fmt.Sprintf(lang.L("Note: %s"), n))
	}
	return notes
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
		showText(c.amountErr, lang.L("Pick a customer first (or F5 for a walk-in)."))
		c.a.win.Canvas().Focus(c.find)
		return
	}
	amount, err := parseAmount(c.amount.Text)
	if err != nil {
		showText(c.amountErr, sentenceCase(err.Error()))
		return
	}
	if amount <= 0 {
		showText(c.amountErr, fmt.Sprintf(lang.L("The amount must be more than %s."), amountText(0)))
		return
	}
	if amount >= largeSale && !c.confirmedLarge {
		// A slip of the finger (an extra zero) is easy at a till: ask once.
		showText(c.amountErr, fmt.Sprintf(lang.L("%s is a large amount: press Enter again to record it, or correct it."), money(amount)))
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
			sale.RedeemPoints = c.cardData.Scheme.PointsForRewards(c.rewards)
		}
	}
	sold := c.customer
	c.recording = true
	showText(c.amountErr, "")
	showText(c.result, lang.L("Recording the sale…"))
	background(c.a, func(ctx context.Context) (data.SaleResult, error) {
		return c.a.store.RecordSale(ctx, sale)
	}, func(r data.SaleResult, err error) {
		c.recording = false
		if err != nil {
			showText(c.result, "")
			showText(c.amountErr, sentenceCase(err.Error()))
			return
		}
		msg := fmt.Sprintf(lang.L("Sale #%d recorded for %s: %s"), r.Purchase.ID, name, money(r.Purchase.Paid()))
		if sale.CustomerID != 0 {
			msg += fmt.Sprintf(lang.L(", %s earned, balance %s"), pointsText(r.Earned), wholeNumber(r.Balance))
			if r.Redeemed > 0 {
				msg += fmt.Sprintf(lang.L(" (%s redeemed for %s off)"), pointsText(r.Redeemed), money(r.Purchase.Discount))
			}
			if r.RewardReady {
				msg += lang.L(". A reward is ready for next time.")
			}
		}
		showText(c.result, msg)
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
	c.idleHint()
	c.updateCard()
	c.a.win.Canvas().Focus(c.find)
}

// newCustomer adds a customer in one step (name and phone) and picks them.
func (c *checkoutScreen) newCustomer() {
	c.waitingPick, c.waitingRecord = false, false
	typed := strings.TrimSpace(c.find.Text)
	name := newEntry()
	phone := newEntry()
	if rules.PhoneDigits(typed) != "" && rules.CheckPhone(typed) == nil {
		phone.SetText(typed)
	} else {
		name.SetText(typed)
	}
	name.Validator = asSentence(rules.CheckName)
	phone.Validator = asSentence(rules.CheckPhone)
	d := c.a.newForm(lang.L("New customer"), lang.L("Add and pick"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name), widget.NewFormItem(lang.L("Phone"), phone),
	}, func(ok bool) {
		if !ok {
			return
		}
		cu := rules.Customer{Name: strings.TrimSpace(name.Text), Phone: strings.TrimSpace(phone.Text), CustomerSince: c.a.Today()}
		background(c.a, func(ctx context.Context) (rules.Customer, error) {
			if dups, err := c.a.store.Duplicates(ctx, cu); err == nil && len(dups) > 0 {
				return dups[0], errDuplicate
			}
			id, err := c.a.store.AddCustomer(ctx, cu)
			cu.ID = id
			return cu, err
		}, func(got rules.Customer, err error) {
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

var errDuplicate = errors.New(lang.L("A customer with that phone already exists"))

func (c *checkoutScreen) selectedSale() (rules.Purchase, bool) {
	if c.recentSel < 0 || c.recentSel >= len(c.recent) {
		c.a.showError(errors.New(lang.L("Pick a sale in the list first")))
		return rules.Purchase{}, false
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
			return fmt.Errorf(lang.L("The refund must be more than %s"), amountText(0))
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
			return errors.New(lang.L("Say why the sale is voided"))
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
