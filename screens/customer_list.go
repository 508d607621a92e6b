package screens

import (
	"context"
	"fmt"
	"slices"
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

// listPage is how many customers the list reads at a time, as it scrolls;
// figurePage when sorted by a figure over the whole shop, where each read
// ranks every customer again and a row costs little next to that.
const (
	listPage   = 100
	figurePage = 500
)

// pageSize is how many customers a read of the list gives now.
func (s *customersScreen) pageSize() int {
	if s.sort != data.SortByName && strings.TrimSpace(s.search.Text) == "" {
		return figurePage
	}
	return listPage
}

// sortTitle is the column head of an order.
func sortTitle(s data.CustomerSort) string {
	switch s {
	case data.SortByLastVisit:
		return lang.L("Last visit")
	case data.SortBySpend:
		return lang.L("Spent")
	case data.SortByPoints:
		return lang.L("Points")
	}
	return lang.L("Name")
}

// listColumns lays out a row of the customer list: the name takes what
// the figures, each of a fixed width at the end, leave. Where the pane is
// too narrow for all of them, figures are left out from the first, save
// the one the list is sorted by.
type listColumns struct {
	widths []float32
	sorted *int // the column of the order in use (0: the name)
}

// nameWidth is the least the name is given before figures are left out.
const nameWidth = 100

func (l *listColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(nameWidth/2+slices.Max(l.widths)+theme.ScrollBarSize(), h)
}

func (l *listColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	shown := make([]bool, len(objs))
	need := nameWidth + theme.ScrollBarSize()
	for i := 1; i < len(objs); i++ {
		shown[i] = true
		need += l.widths[i-1] + theme.Padding()
	}
	for i := 1; i < len(objs) && need > size.Width; i++ {
		if i != *l.sorted {
			shown[i] = false
			need -= l.widths[i-1] + theme.Padding()
		}
	}
	x := size.Width - theme.ScrollBarSize() // clear of the list's scroll bar
	for i := len(objs) - 1; i >= 1; i-- {
		if !shown[i] {
			objs[i].Hide()
			continue
		}
		objs[i].Show()
		w := l.widths[i-1]
		x -= w
		objs[i].Move(fyne.NewPos(x, 0))
		objs[i].Resize(fyne.NewSize(w, size.Height))
		refitCell(objs[i], i)
		x -= theme.Padding()
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(max(x, 0), size.Height))
	refitCell(objs[0], 0)
}

// cellCut is how a row's cell k cuts a text too wide for it: the name
// with an ellipsis, a figure clipped.
func cellCut(k int) fyne.TextTruncation {
	if k == 0 {
		return fyne.TextTruncateEllipsis
	}
	return fyne.TextTruncateClip
}

// showCell shows text in cell k of a row. Fyne works the cut out afresh
// each time a cut label's text is set, and for the ellipsis that means
// shaping the whole text again: most of the cost of a keystroke's list.
// So a text that fits is shown uncut, which looks the same, and a cell
// that already shows the text is left as it is.
func showCell(l *widget.Label, text string, k int) {
	cut := cellCut(k)
	if fitsCell(l, text) {
		cut = fyne.TextTruncateOff
	}
	if l.Text == text && l.Truncation == cut {
		return
	}
	l.Text, l.Truncation = text, cut
	l.Refresh()
}

// refitCell decides again whether cell k of a row, a label, is cut, after
// its width changed.
func refitCell(o fyne.CanvasObject, k int) {
	if l, ok := o.(*widget.Label); ok {
		showCell(l, l.Text, k)
	}
}

// fitsCell is whether text fits the label's width uncut, with a pixel or
// two to spare: where it is that close, Fyne's own measure decides.
func fitsCell(l *widget.Label, text string) bool {
	th := l.Theme()
	room := l.Size().Width - 2*th.Size(theme.SizeNameInnerPadding)
	if room <= 0 {
		return false
	}
	return fyne.MeasureText(text, th.Size(theme.SizeNameText), l.TextStyle).Width+2 <= float32(int(room))
}

// figureWidths are the widths of the last visit, spent and points columns:
// wide enough for a long date, a large sum and many points.
func figureWidths() []float32 {
	width := func(texts ...string) float32 {
		w := float32(0)
		for _, t := range texts {
			w = max(w, widget.NewLabel(t).MinSize().Width)
		}
		return w
	}
	return []float32{
		max(listDateWidth(), width(sortTitle(data.SortByLastVisit)+" ▼")),
		width(money(99999_99), sortTitle(data.SortBySpend)+" ▼"),
		width(wholeNumber(99999), sortTitle(data.SortByPoints)+" ▼"),
	}
}

// listDateWidth is the width of the longest day listDate writes, in a
// label.
func listDateWidth() float32 {
	w := float32(0)
	for m := time.January; m <= time.December; m++ {
		w = max(w, widget.NewLabel(listDate(rules.NewDay(2026, m, 28))).MinSize().Width)
	}
	return w
}

// newCustomerList makes the list, its column heads and the count below it.
func (s *customersScreen) newCustomerList() fyne.CanvasObject {
	widths := figureWidths()
	s.list = widget.NewList(
		func() int { return len(s.results) },
		func() fyne.CanvasObject {
			// Each cell cuts a text too wide for it (cellCut), or shows
			// it uncut where it fits (showCell).
			name := widget.NewLabel("")
			name.Truncation = cellCut(0)
			cells := []fyne.CanvasObject{name}
			for k := range widths {
				l := widget.NewLabel("")
				l.Alignment = fyne.TextAlignTrailing
				l.Truncation = cellCut(k + 1)
				cells = append(cells, l)
			}
			return container.New(&listColumns{widths, &s.sortColumn}, cells...)
		},
		s.updateRow)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.results) && s.results[i].ID != 0 {
			s.page.load(s.results[i].ID)
		}
	}
	heads := []fyne.CanvasObject{}
	for _, so := range data.CustomerSorts {
		b := widget.NewButton(sortTitle(so), func() { s.sortBy(so) })
		b.Importance = widget.LowImportance
		if so == data.SortByName {
			b.Alignment = widget.ButtonAlignLeading
		} else {
			b.Alignment = widget.ButtonAlignTrailing
		}
		s.heads = append(s.heads, b)
		heads = append(heads, b)
	}
	s.showSort()
	head := container.New(&listColumns{widths, &s.sortColumn}, heads...)
	return container.NewBorder(head, s.count, nil, nil, s.list)
}

// updateRow shows customer i, asking for its page when it is not read yet.
func (s *customersScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.results) {
		return
	}
	if s.results[i].ID == 0 {
		s.updating = true
		s.fetchPage(i / s.pageSize())
		s.updating = false
	}
	c := s.results[i]
	cells := o.(*fyne.Container).Objects
	name := cells[0].(*widget.Label)
	figures := []string{"", "", ""}
	if c.ID == 0 {
		showCell(name, "…", 0)
	} else {
		n := c.Name
		if c.DoNotContact {
			n += "  ⛔"
		}
		// With a search, what it matched may be the phone or the email.
		if strings.TrimSpace(s.search.Text) != "" {
			if d := strings.TrimSpace(c.Phone + "  " + c.Email); d != "" {
				n += "  · " + d
			}
		}
		showCell(name, n, 0)
		figures[0] = "—"
		if !c.LastVisit.IsZero() {
			figures[0] = listDate(c.LastVisit)
		}
		figures[1] = money(c.Spent)
		figures[2] = wholeNumber(c.Points)
	}
	for k, f := range figures {
		showCell(cells[k+1].(*widget.Label), f, k+1)
	}
}

// sortBy lists the customers in another order, keeping the search.
func (s *customersScreen) sortBy(so data.CustomerSort) {
	if so == s.sort {
		return
	}
	s.sort = so
	s.sortColumn = slices.Index(data.CustomerSorts, so)
	s.showSort()
	s.runSearch()
}

// showSort marks the head of the order in use.
func (s *customersScreen) showSort() {
	for i, b := range s.heads {
		so := data.CustomerSorts[i]
		t := sortTitle(so)
		switch {
		case so != s.sort:
		case so == data.SortByName:
			t += " ▲"
		default:
			t += " ▼"
		}
		b.SetText(t)
	}
}

// runSearch reads the first page of the list for the text typed, in the
// order chosen, from the top; the rest is read as it is scrolled to.
func (s *customersScreen) runSearch() { s.readList(true) }

// readAgain reads the list again where it stands, after a change in the
// shop: the rows in view are read again as they are shown.
func (s *customersScreen) readAgain() { s.readList(false) }

func (s *customersScreen) readList(fromTop bool) {
	text := s.search.Text
	s.searchSeq++
	seq := s.searchSeq
	q := data.CustomerListQuery{Search: text, Sort: s.sort}
	size := s.pageSize()
	type found struct {
		rows  []data.CustomerRow
		total int
	}
	background(s.a, func(ctx context.Context) (found, error) {
		rows, total, err := s.a.store.CustomerList(ctx, q, 0, size)
		return found{rows, total}, err
	}, func(f found, err error) {
		if seq != s.searchSeq {
			return
		}
		if err != nil {
			s.a.say(lang.L("Search failed: %v"), err)
			return
		}
		s.results = make([]data.CustomerRow, f.total)
		copy(s.results, f.rows)
		s.requested = map[int]bool{0: true}
		if fromTop {
			s.list.UnselectAll()
			s.list.ScrollToTop()
		}
		s.list.Refresh()
		if strings.TrimSpace(text) == "" {
			s.count.SetText(fmt.Sprintf(lang.N("%s customers", f.total), wholeNumber(int64(f.total))))
		} else {
			s.count.SetText(fmt.Sprintf(lang.N("%s matches", f.total), wholeNumber(int64(f.total))))
		}
	})
}

// fetchPage reads page p of the list, once.
func (s *customersScreen) fetchPage(p int) {
	if s.requested[p] {
		return
	}
	s.requested[p] = true
	seq := s.searchSeq
	q := data.CustomerListQuery{Search: s.search.Text, Sort: s.sort}
	size := s.pageSize()
	background(s.a, func(ctx context.Context) ([]data.CustomerRow, error) {
		rows, _, err := s.a.store.CustomerList(ctx, q, p*size, size)
		return rows, err
	}, func(rows []data.CustomerRow, err error) {
		if seq != s.searchSeq {
			return
		}
		if err != nil {
			delete(s.requested, p)
			s.a.say(lang.L("Search failed: %v"), err)
			return
		}
		copy(s.results[min(p*size, len(s.results)):], rows)
		if !s.updating {
			s.list.Refresh()
		}
	})
}
