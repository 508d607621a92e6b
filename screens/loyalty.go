package screens

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// loyaltyScreen shows the scheme at a glance: who has a reward waiting, the
// best customers, and any one customer's ledger.
type loyaltyScreen struct {
	a       *App
	summary *widget.Label
	top     []rules.TopCustomer
	topT    *widget.Table
	names   *nameColumn // sizes topT's first column
	ready   readyPages
	readyL  *widget.List
	obj     fyne.CanvasObject
}

// readyPages holds who has a reward ready, read a page at a time as the
// rows come into view: a large shop has tens of thousands.
type readyPages struct {
	total  int
	rows   []readyRow // the first len(rows) of total
	points int64      // the reward's size they were read for
	busy   bool
}

type readyRow struct {
	id      rules.ID
	name    string
	phone   string
	balance int64
}

func newLoyalty(a *App) screen {
	l := &loyaltyScreen{a: a}
	l.summary = widget.NewLabel("")
	l.summary.Wrapping = fyne.TextWrapWord
	cols := []string{lang.L("Customer"), lang.L("Spent"), lang.L("Visits"), lang.L("Points")}
	widths := []float32{260, 110, 70, 80}
	l.topT = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.top), len(cols) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= len(l.top) {
				return
			}
			t := l.top[id.Row]
			lab := o.(*widget.Label)
			lab.Truncation = fyne.TextTruncateEllipsis
			switch id.Col {
			case 0:
				lab.SetText(t.Customer.Name)
			case 1:
				lab.SetText(money(t.Spent))
			case 2:
				lab.SetText(wholeNumber(int64(t.Visits)))
			case 3:
				lab.SetText(wholeNumber(t.Balance))
			}
		})
	l.topT.ShowHeaderColumn = false
	l.topT.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.topT.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(cols[id.Col])
		}
	}
	for i, w := range widths {
		l.topT.SetColumnWidth(i, w)
	}
	l.topT.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(l.top) {
			a.openCustomer(l.top[id.Row].Customer.ID)
		}
	}
	l.readyL = widget.NewList(
		func() int { return l.ready.total },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(l.ready.rows) {
				r := l.ready.rows[i]
				o.(*widget.Label).SetText(fmt.Sprintf(lang.L("%s  ☎ %s — %s"), r.name, r.phone, pointsText(r.balance)))
				return
			}
			o.(*widget.Label).SetText("…")
			l.moreReady(i)
		})
	l.readyL.OnSelected = func(i widget.ListItemID) {
		if i < len(l.ready.rows) {
			a.openCustomer(l.ready.rows[i].id)
		}
	}
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	// The name column takes the width the figures leave, so that they are
	// never cut off on a small screen.
	l.names = &nameColumn{t: l.topT, fixed: widths[1:], min: 120}
	table := container.New(l.names, l.topT)
	left := container.NewBorder(bold(lang.L("Top customers (all time)")), nil, nil, nil, table)
	right := container.NewBorder(bold(lang.L("Rewards ready to use")), widget.NewLabel(lang.L("Pick a customer to see their ledger or adjust points (owner PIN).")), nil, nil, l.readyL)
	split := container.NewHSplit(left, right)
	split.Offset = 0.6
	l.obj = container.NewBorder(container.NewPadded(l.summary), nil, nil, nil, split)
	return l
}

func (l *loyaltyScreen) content() fyne.CanvasObject { return l.obj }

// nameColumn lays a table out over its whole box with its first column as
// wide as the other columns (fixed) leave, and no narrower than min.
type nameColumn struct {
	t     *widget.Table
	fixed []float32
	min   float32
	last  float32
}

func (n *nameColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := size.Width - theme.ScrollBarSize() - 2*theme.Padding()
	for _, f := range n.fixed {
		w -= f + theme.Padding()
	}
	if w = max(w, n.min); w != n.last {
		n.last = w
		n.t.SetColumnWidth(0, w)
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (n *nameColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

func (l *loyaltyScreen) focus() {}

type loyaltyData struct {
	scheme      rules.Loyalty
	top         []rules.TopCustomer
	ready       data.ReadyPage
	outstanding int64
	holders     int
	liability   rules.Cents
}

// readyPageSize is how many customers with a reward ready are read at once.
const readyPageSize = 100

func readyRows(p data.ReadyPage) []readyRow {
	out := make([]readyRow, 0, len(p.Rows))
	for _, h := range p.Rows {
		out = append(out, readyRow{id: h.Customer.ID, name: h.Customer.Name, phone: h.Customer.Phone, balance: h.Balance})
	}
	return out
}

// moreReady reads the customers with a reward ready up to row and a page
// beyond, unless a read is on its way.
func (l *loyaltyScreen) moreReady(row int) {
	pg := &l.ready
	if pg.busy || len(pg.rows) >= pg.total {
		return
	}
	pg.busy = true
	offset, limit, points, total := len(pg.rows), row-len(pg.rows)+readyPageSize, pg.points, pg.total
	background(l.a, func(ctx context.Context) (data.ReadyPage, error) {
		return l.a.store.ReadyPage(ctx, points, offset, limit)
	}, func(p data.ReadyPage, err error) {
		pg.busy = false
		if err != nil {
			l.a.showError(err)
			return
		}
		if pg.points != points || pg.total != total || len(pg.rows) != offset || p.Total != total || len(p.Rows) == 0 {
			return // it changed: the reload that follows every change reads it again
		}
		pg.rows = append(pg.rows, readyRows(p)...)
		l.readyL.Refresh()
	})
}

func (l *loyaltyScreen) reload() {
	background(l.a, func(ctx context.Context) (loyaltyData, error) {
		var d loyaltyData
		var err error
		o, err := l.a.store.LoyaltyOverview(ctx, readyPageSize)
		if err != nil {
			return d, err
		}
		d.scheme, d.outstanding, d.holders, d.liability, d.ready = o.Scheme, o.Outstanding, o.Holders, o.Liability, o.Ready
		if d.top, err = l.a.store.TopCustomers(ctx, 100); err != nil {
			return d, err
		}
		return d, nil
	}, func(d loyaltyData, err error) {
		if err != nil {
			l.a.showError(err)
			return
		}
		l.top = d.top
		l.ready = readyPages{total: d.ready.Total, rows: readyRows(d.ready), points: d.scheme.RewardPoints}
		l.topT.Refresh()
		l.readyL.Refresh()
		sc := d.scheme
		expiry := lang.L("points never expire")
		if sc.ExpiryMonths > 0 {
			expiry = fmt.Sprintf(lang.L("points expire %d months after they are earned"), sc.ExpiryMonths)
		}
		l.summary.SetText(schemeSummary(sc, expiry, d))
	})
}

// schemeSummary is the Loyalty screen's head: the scheme, the points held
// and what they are worth, the same figure as on Reports.
func schemeSummary(sc rules.Loyalty, expiry string, d loyaltyData) string {
	return fmt.Sprintf(lang.L("Scheme: 1 point per %s spent; %s = %s off; %s.\n%s held by %s (worth up to %s in whole rewards); %s have a reward ready."),
		money(sc.CentsPerPoint), pointsText(sc.RewardPoints), money(sc.RewardValue), expiry, pointsText(d.outstanding),
		fmt.Sprintf(lang.N("%s customers", d.holders), wholeNumber(int64(d.holders))), money(d.liability),
		fmt.Sprintf(lang.N("%s customers", d.ready.Total), wholeNumber(int64(d.ready.Total))))
}
