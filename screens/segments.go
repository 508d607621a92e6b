package screens

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/printing"
	"regulars/rules"
)

// segmentsPane picks a group of customers (by tag, how recently they
// bought, birthdays this week or month, top spenders; never those marked
// do not contact) and reaches them: one email each through the mail
// program, a CSV for a mailing or SMS service listing only those who
// consented to it, or address labels to print.
type segmentsPane struct {
	a        *App
	tag      *widget.SelectEntry
	tags     []string // the tags customers carry, offered in tag
	band     *widget.Select
	birthday *widget.Select
	top      *widget.Select
	count    *widget.Label
	list     *widget.List
	q        data.SegmentQuery  // the query of what the list shows
	counts   data.SegmentCounts // of the whole group
	found    []rules.Customer   // the group's first customers, read a page at a time
	busy     bool               // a page is being read
	all      []rules.Customer   // the whole group, once an action needed it
	allSeq   int                // the look-up all belongs to
	shop     string
	subject  *widget.Entry
	message  *widget.Entry
	next     *widget.Button
	mailIdx  int
	seq      int
	obj      fyne.CanvasObject
}

func bandChoices() []struct {
	label string
	bands []rules.Band
} {
	return []struct {
		label string
		bands []rules.Band
	}{
		{lang.L("Anyone"), nil},
		{lang.L("Active (bought in 90 days)"), []rules.Band{rules.BandActive}},
		{lang.L("Lapsing (90–180 days)"), []rules.Band{rules.BandLapsing}},
		{lang.L("Drifting (180–365 days)"), []rules.Band{rules.BandDrifting}},
		{lang.L("Lost (over a year)"), []rules.Band{rules.BandLost}},
		{lang.L("Lapsing, drifting or lost"), []rules.Band{rules.BandLapsing, rules.BandDrifting, rules.BandLost}},
		{lang.L("Never bought"), []rules.Band{rules.BandNever}},
	}
}

func birthdayChoices() []struct {
	label string
	w     rules.BirthdayWindow
} {
	return []struct {
		label string
		w     rules.BirthdayWindow
	}{
		{lang.L("Any day"), ""},
		{lang.L("This week"), rules.BirthdaysThisWeek},
		{lang.L("This month"), rules.BirthdaysThisMonth},
	}
}

func topChoices() []struct {
	label string
	n     int
} {
	return []struct {
		label string
		n     int
	}{
		{lang.L("Everyone picked"), 0}, {lang.L("Top 10 spenders"), 10}, {lang.L("Top 25 spenders"), 25}, {lang.L("Top 50 spenders"), 50}, {lang.L("Top 100 spenders"), 100},
	}
}

// defaultGroupMessage is the message a group mailing starts from.
func defaultGroupMessage() string {
	return fmt.Sprintf(lang.L("Dear %s,\n\nBest wishes,\n%s"), "{{.FirstName}}", "{{.ShopName}}")
}

func newSegmentsPane(a *App) *segmentsPane {
	p := &segmentsPane{a: a}
	labels := func(n int, label func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = label(i)
		}
		return out
	}
	p.tag = widget.NewSelectEntry(nil)
	p.tag.SetPlaceHolder(lang.L("Any tag"))
	p.tag.OnChanged = func(string) { p.find(false) }
	p.band = widget.NewSelect(labels(len(bandChoices()), func(i int) string { return bandChoices()[i].label }), func(string) { p.find(false) })
	p.birthday = widget.NewSelect(labels(len(birthdayChoices()), func(i int) string { return birthdayChoices()[i].label }), func(string) { p.find(false) })
	p.top = widget.NewSelect(labels(len(topChoices()), func(i int) string { return topChoices()[i].label }), func(string) { p.find(false) })
	p.band.SetSelectedIndex(0)
	p.birthday.SetSelectedIndex(0)
	p.top.SetSelectedIndex(0)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Tag"), p.tag),
		widget.NewFormItem(lang.L("Last bought"), p.band),
		widget.NewFormItem(lang.L("Birthday"), p.birthday),
		widget.NewFormItem(lang.L("Spending"), p.top),
	)
	dnc := widget.NewLabel(lang.L("Customers marked “do not contact” are always left out; lists for a mailing or SMS service hold only those who agreed to it."))
	dnc.Wrapping = fyne.TextWrapWord
	dnc.Importance = widget.LowImportance
	p.count = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.count.Wrapping = fyne.TextWrapWord

	p.list = widget.NewList(func() int { return p.counts.Customers },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			detail.Importance = widget.LowImportance
			return container.NewGridWithColumns(2, name, detail)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			if i >= len(p.found) {
				// Not read yet: its page is on its way.
				row.Objects[0].(*widget.Label).SetText("…")
				row.Objects[1].(*widget.Label).SetText("")
				p.more(i)
				return
			}
			c := p.found[i]
			row.Objects[0].(*widget.Label).SetText(c.Name)
			row.Objects[1].(*widget.Label).SetText(reachWords(c))
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.found) {
			p.a.openCustomer(p.found[i].ID)
		} else {
			p.more(i)
		}
		p.list.UnselectAll()
	}

	p.subject = widget.NewEntry()
	p.subject.SetPlaceHolder(lang.L("Subject of the email"))
	p.message = widget.NewMultiLineEntry()
	p.message.SetText(defaultGroupMessage())
	p.message.SetMinRowsVisible(3) // the group's list keeps room on a small screen
	p.message.Wrapping = fyne.TextWrapWord
	p.next = widget.NewButtonWithIcon(lang.L("Email the next one"), theme.MailSendIcon(), p.emailNext)
	p.next.Importance = widget.HighImportance
	emailCSV := widget.NewButtonWithIcon(lang.L("Email list (CSV)…"), theme.DocumentSaveIcon(), func() { p.saveList(rules.ChannelEmail) })
	smsCSV := widget.NewButtonWithIcon(lang.L("SMS list (CSV)…"), theme.DocumentSaveIcon(), func() { p.saveList(rules.ChannelSMS) })
	labelsBtn := widget.NewButtonWithIcon(lang.L("Address labels (PDF)…"), theme.DocumentPrintIcon(), p.printLabels)
	buttons := &columnsLayout{max: 4, even: true} // in two rows on a small screen
	msgCard := section(lang.L("Message"), fmt.Sprintf(lang.L("One email each through the mail program, or a list for a mailing or SMS service; %s, %s and %s are filled in for each customer"), "{{.FirstName}}", "{{.Name}}", "{{.ShopName}}"), container.NewBorder(
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Subject")), nil, p.subject),
		container.New(buttons, p.next, emailCSV, smsCSV, labelsBtn), nil, nil, p.message))

	pick := section(lang.L("Pick customers"), lang.L("Each choice narrows the group"), container.NewVBox(form, dnc))
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(380, 0))
	// The choices scroll on a short screen rather than push the message
	// below the window's edge; the count stays in sight under them.
	left := container.NewBorder(nil, p.count, nil, nil, container.NewVScroll(pick))
	p.obj = container.NewBorder(nil, msgCard, container.NewStack(width, left), nil, p.list)
	buttons.onChange = p.obj.Refresh
	return p
}

// reachWords says how a customer can be reached by a group message.
func reachWords(c rules.Customer) string {
	var ways []string
	if c.Reachable(rules.ChannelEmail) {
		ways = append(ways, "✉ "+c.Email)
	}
	if c.Reachable(rules.ChannelSMS) {
		ways = append(ways, fmt.Sprintf(lang.L("SMS %s"), c.Phone))
	}
	if c.Reachable(rules.ChannelPost) {
		ways = append(ways, lang.L("post"))
	}
	if len(ways) == 0 {
		return lang.L("no consent to email or text; no address")
	}
	return strings.Join(ways, " · ")
}

// query is what the pickers say.
func (p *segmentsPane) query() data.SegmentQuery {
	q := data.SegmentQuery{Day: p.a.Today(), Tag: p.tag.Text}
	if i := p.band.SelectedIndex(); i > 0 {
		q.Bands = bandChoices()[i].bands
	}
	if i := p.birthday.SelectedIndex(); i > 0 {
		q.Birthdays = birthdayChoices()[i].w
	}
	if i := p.top.SelectedIndex(); i > 0 {
		q.Top = topChoices()[i].n
	}
	return q
}

// segmentPage is how many customers the list reads at once.
const segmentPage = 50

// run looks the group up again, and the tags customers carry.
func (p *segmentsPane) run() { p.find(true) }

// find reads the counts and the first page of the group the pickers say
// (and, with tags, the tag choices); an older answer arriving late is
// dropped.
func (p *segmentsPane) find(tags bool) {
	if p.list == nil || p.top == nil {
		return // still being built
	}
	q := p.query()
	p.seq++
	seq := p.seq
	type found struct {
		page data.SegmentPageResult
		tags []string
		shop string
	}
	background(p.a, func(ctx context.Context) (found, error) {
		var f found
		var err error
		if f.page, err = p.a.store.SegmentPage(ctx, q, 0, segmentPage); err != nil {
			return f, err
		}
		if tags {
			if f.tags, err = p.a.store.Tags(ctx); err != nil {
				return f, err
			}
		}
		f.shop, err = p.a.store.ShopName(ctx)
		return f, err
	}, func(f found, err error) {
		if seq != p.seq {
			return
		}
		if err != nil {
			p.a.showError(err)
			return
		}
		p.q, p.counts, p.found, p.busy, p.all = q, f.page.SegmentCounts, f.page.Rows, false, nil
		p.shop, p.mailIdx = f.shop, 0
		if tags {
			p.tags = f.tags
			p.tag.SetOptions(f.tags)
		}
		p.list.Refresh()
		p.count.SetText(fmt.Sprintf(lang.L("%s: %s can be emailed, %s texted, %s with an address for labels."),
			fmt.Sprintf(lang.N("%s customers", p.counts.Customers), wholeNumber(int64(p.counts.Customers))), wholeNumber(int64(p.counts.Email)), wholeNumber(int64(p.counts.SMS)), wholeNumber(int64(p.counts.Post))))
		p.updateNext()
	})
}

// more reads the group's customers up to row and a page beyond, unless a
// read is on its way.
func (p *segmentsPane) more(row int) {
	if p.busy || len(p.found) >= p.counts.Customers {
		return
	}
	p.busy = true
	q, seq, offset := p.q, p.seq, len(p.found)
	limit := row - offset + 1 + segmentPage
	background(p.a, func(ctx context.Context) (data.SegmentPageResult, error) {
		return p.a.store.SegmentPage(ctx, q, offset, limit)
	}, func(page data.SegmentPageResult, err error) {
		if seq != p.seq {
			return // looked up again meanwhile
		}
		p.busy = false
		if err != nil {
			p.a.showError(err)
			return
		}
		if page.SegmentCounts != p.counts || len(p.found) != offset {
			p.find(false) // the group changed: read it again
			return
		}
		p.found = append(p.found, page.Rows...)
		p.list.Refresh()
		p.updateNext()
	})
}

// whole hands the whole group to then, reading it first when no action
// has needed it yet.
func (p *segmentsPane) whole(then func([]rules.Customer)) {
	if p.all != nil && p.allSeq == p.seq {
		then(p.all)
		return
	}
	if len(p.found) >= p.counts.Customers {
		p.all, p.allSeq = p.found, p.seq
		then(p.all)
		return
	}
	q, seq := p.q, p.seq
	background(p.a, func(ctx context.Context) ([]rules.Customer, error) {
		return p.a.store.Segment(ctx, q)
	}, func(cs []rules.Customer, err error) {
		if seq != p.seq {
			return
		}
		if err != nil {
			p.a.showError(err)
			return
		}
		if cs == nil {
			cs = []rules.Customer{}
		}
		p.all, p.allSeq = cs, seq
		then(cs)
	})
}

// mailable are the picked customers who agreed to email: of the whole
// group once read, else of those read so far.
func (p *segmentsPane) mailable() []rules.Customer {
	cs := p.found
	if p.all != nil && p.allSeq == p.seq {
		cs = p.all
	}
	var out []rules.Customer
	for _, c := range cs {
		if c.Reachable(rules.ChannelEmail) {
			out = append(out, c)
		}
	}
	return out
}

func (p *segmentsPane) updateNext() {
	m, n := p.mailable(), p.counts.Email
	switch {
	case n == 0:
		p.next.SetText(lang.L("No one to email"))
		p.next.Disable()
	case p.mailIdx >= n:
		p.next.SetText(fmt.Sprintf(lang.N("All %d emails opened", n), n))
		p.next.Disable()
	case p.mailIdx < len(m):
		p.next.SetText(fmt.Sprintf(lang.L("Email %s (%d of %d)"), shortName(m[p.mailIdx].Name, 28), p.mailIdx+1, n))
		p.next.Enable()
	default:
		// The next one is further down than the list has read.
		p.next.SetText(lang.L("Email the next one"))
		p.next.Enable()
	}
}

// emailNext opens the mail program on one message to the next customer:
// one email each, so no one sees the others' addresses.
func (p *segmentsPane) emailNext() {
	m := p.mailable()
	if p.mailIdx >= len(m) {
		if p.mailIdx < p.counts.Email && (p.all == nil || p.allSeq != p.seq) {
			p.whole(func([]rules.Customer) { p.emailNext() })
		}
		return
	}
	c := m[p.mailIdx]
	body, err := rules.GroupMessage(p.message.Text, c, p.shop)
	if err != nil {
		p.a.showError(err)
		return
	}
	subject, err := rules.GroupMessage(p.subject.Text, c, p.shop)
	if err != nil {
		p.a.showError(err)
		return
	}
	if err := p.a.fa.OpenURL(mailtoURL(c.Email, subject, body)); err != nil {
		p.a.showError(fmt.Errorf(lang.L("Could not open the mail program: %v"), err))
		return
	}
	p.mailIdx++
	p.a.say(lang.L("Email to %s opened in the mail program"), c.Name)
	p.updateNext()
}

// saveList writes a CSV for a mailing or SMS service, after the owner PIN.
func (p *segmentsPane) saveList(ch rules.Channel) {
	q := p.q
	p.a.requireOwner(lang.L("export a mailing list"), func() {
		p.a.saveAs(fmt.Sprintf("%s-list-%s.csv", ch, p.a.Today()), func(ctx context.Context, w io.Writer) error {
			cs, err := p.a.store.Segment(ctx, q)
			if err != nil {
				return err
			}
			_, err = rules.WriteMailingList(w, cs, ch)
			return err
		})
	})
}

// printLabels writes address labels for those with an address who may be
// written to, after the owner PIN.
func (p *segmentsPane) printLabels() {
	q := p.q
	p.a.requireOwner(lang.L("print address labels"), func() {
		p.a.saveAs(fmt.Sprintf("labels-%s.pdf", p.a.Today()), func(ctx context.Context, w io.Writer) error {
			all, err := p.a.store.Segment(ctx, q)
			if err != nil {
				return err
			}
			var cs []rules.Customer
			for _, c := range all {
				if c.Reachable(rules.ChannelPost) {
					cs = append(cs, c)
				}
			}
			return printing.AddressLabels(w, cs)
		})
	})
}
