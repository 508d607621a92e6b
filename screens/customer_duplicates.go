package screens

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/rules"
)

// duplicatesPane lists the pairs of customers that may be one person, each
// with why, a button that opens the merge with both chosen and one that
// says they are two people.
type duplicatesPane struct {
	s     *customersScreen
	pairs []rules.DuplicatePair
	list  *widget.List
	count *widget.Label
	dlg   dialog.Dialog
}

// reasonsText says why two customers may be one person: "same phone — a
// family?" when they share a phone and nothing else.
func reasonsText(p rules.DuplicatePair) string {
	if p.MaybeFamily() {
		return lang.L("same phone — a family?")
	}
	var out []string
	for _, r := range p.Reasons {
		switch r {
		case rules.SamePhone:
			out = append(out, lang.L("same phone"))
		case rules.SameEmail:
			out = append(out, lang.L("same email"))
		case rules.SameName:
			out = append(out, lang.L("same name"))
		case rules.SwappedName:
			out = append(out, lang.L("first and last name swapped"))
		case rules.SimilarName:
			out = append(out, lang.L("names one letter apart"))
		}
	}
	return strings.Join(out, ", ")
}

// sideText is one customer of a pair: name, number and how to reach them.
func sideText(c rules.DuplicateCustomer) string {
	t := fmt.Sprintf(lang.L("%s (no. %d)"), c.Name, c.ID)
	if d := strings.TrimSpace(c.Phone + "  " + c.Email); d != "" {
		t += "  " + d
	}
	return t
}

// duplicatesDialog finds the likely duplicates and lists them.
func (s *customersScreen) duplicatesDialog() {
	d := &duplicatesPane{s: s}
	d.count = widget.NewLabel(lang.L("Looking for customers entered twice…"))
	d.count.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(
		func() int { return len(d.pairs) },
		func() fyne.CanvasObject {
			a := widget.NewLabel("")
			a.Truncation = fyne.TextTruncateEllipsis
			b := widget.NewLabel("")
			b.Truncation = fyne.TextTruncateEllipsis
			why := widget.NewLabel("")
			why.Importance = widget.WarningImportance
			why.Truncation = fyne.TextTruncateEllipsis
			merge := widget.NewButtonWithIcon(lang.L("Merge…"), theme.ContentCopyIcon(), nil)
			not := widget.NewButtonWithIcon(lang.L("Not the same person"), theme.CancelIcon(), nil)
			buttons := container.NewVBox(merge, not)
			return container.NewBorder(nil, nil, nil, buttons, container.NewVBox(why, a, b))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(d.pairs) {
				return
			}
			p := d.pairs[i]
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container).Objects
			texts[0].(*widget.Label).SetText(reasonsText(p))
			texts[1].(*widget.Label).SetText(sideText(p.A))
			texts[2].(*widget.Label).SetText(sideText(p.B))
			buttons := row.Objects[1].(*fyne.Container).Objects
			buttons[0].(*widget.Button).OnTapped = func() { d.merge(p) }
			buttons[1].(*widget.Button).OnTapped = func() { d.notSame(p) }
		})
	byNumber := widget.NewButton(lang.L("Merge two by number…"), func() { s.mergeDialog(0, 0, d.load) })
	body := container.NewBorder(d.count, container.NewHBox(byNumber), nil, nil, d.list)
	d.dlg = dialog.NewCustom(lang.L("Likely duplicates"), lang.L("Close"), body, s.a.win)
	size := s.a.win.Canvas().Size()
	d.dlg.Resize(fyne.NewSize(min(760, size.Width*0.9), min(560, size.Height*0.85)))
	d.dlg.Show()
	d.load()
}

// load finds the pairs again.
func (d *duplicatesPane) load() {
	background(d.s.a, func(ctx context.Context) ([]rules.DuplicatePair, error) {
		return d.s.a.store.SuggestDuplicates(ctx)
	}, func(pairs []rules.DuplicatePair, err error) {
		if err != nil {
			d.s.a.showError(err)
			return
		}
		d.pairs = pairs
		d.showCount()
		d.list.Refresh()
	})
}

func (d *duplicatesPane) showCount() {
	if len(d.pairs) == 0 {
		d.count.SetText(lang.L("No likely duplicates: no two customers share a phone or an email, and no names are alike."))
		return
	}
	d.count.SetText(fmt.Sprintf(lang.N("%s pairs may be one person entered twice. Merge them, or say they are not the same person.", len(d.pairs)),
		wholeNumber(int64(len(d.pairs)))))
}

// merge opens the merge with both chosen, the older customer kept.
func (d *duplicatesPane) merge(p rules.DuplicatePair) {
	d.s.mergeDialog(p.A.ID, p.B.ID, d.load)
}

// notSame remembers that the pair are two people and takes it off the list.
func (d *duplicatesPane) notSame(p rules.DuplicatePair) {
	background(d.s.a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.s.a.store.MarkNotDuplicates(ctx, p.A.ID, p.B.ID, d.s.a.staff)
	}, func(_ struct{}, err error) {
		if err != nil {
			d.s.a.showError(err)
			return
		}
		d.pairs = slices.DeleteFunc(d.pairs, func(x rules.DuplicatePair) bool { return x.A.ID == p.A.ID && x.B.ID == p.B.ID })
		d.showCount()
		d.list.Refresh()
		d.s.a.say(lang.L("%s and %s will not be suggested as one person again"), p.A.Name, p.B.Name)
	})
}
