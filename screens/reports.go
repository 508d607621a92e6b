package screens

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/printing"
	"regulars/rules"
)

// reportsScreen shows whether the follow-up is working: customers by how
// recently they bought, retention against the average shop, reminders
// handled per kind and per person, complaints, points and the best
// customers; each exports as CSV and the page prints to PDF. Its second
// tab picks groups of customers for a message (segments.go).
type reportsScreen struct {
	a      *App
	rep    rules.Report
	loaded bool
	// asked counts the reports asked for; only the latest is shown, and
	// working (a moving bar and a line) shows until it comes.
	asked   int
	working *fyne.Container
	spinner *widget.ProgressBarInfinite

	asOf                       *widget.Label
	people, peopleNote         *widget.Label
	retention                  *gauge
	retentionNote              *widget.Label
	complaints, complaintsNote *widget.Label
	points, pointsNote         *widget.Label
	months                     *barChart
	kinds                      *barChart
	staff                      *fyne.Container
	top                        *fyne.Container
	note                       *widget.Label
	exportBtn                  *widget.Button

	segments *segmentsPane
	tabs     *container.AppTabs
	obj      fyne.CanvasObject
}

// The colours of the charts: green is good, red is bad, on screen and on paper.
func activitySeries() []chartSeries {
	return []chartSeries{
		{lang.L("Active (bought in 90 days)"), themed(theme.ColorNameSuccess)},
		{lang.L("Lapsing (90–180 days)"), themed(theme.ColorNameWarning)},
		{lang.L("Drifting (180–365 days)"), blend(theme.ColorNameWarning, theme.ColorNameError)},
		{lang.L("Lost (over a year)"), themed(theme.ColorNameError)},
	}
}

func followUpSeries() []chartSeries {
	return []chartSeries{
		{lang.L("Done on time"), themed(theme.ColorNameSuccess)},
		{lang.L("Done late"), themed(theme.ColorNameWarning)},
		{lang.L("Skipped"), themed(theme.ColorNamePlaceHolder)},
		{lang.L("Missed"), themed(theme.ColorNameError)},
	}
}

func newReports(a *App) screen {
	r := &reportsScreen{a: a}
	r.asOf = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	big := func() *widget.Label {
		l := widget.NewLabelWithStyle("—", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.SizeName = theme.SizeNameHeadingText
		return l
	}
	small := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	r.people, r.peopleNote = big(), small()
	r.retention = newGauge(rules.RetentionBenchmark, fmt.Sprintf(lang.L("%.0f%% average shop"), rules.RetentionBenchmark*100))
	r.retentionNote = small()
	r.complaints, r.complaintsNote = big(), small()
	r.points, r.pointsNote = big(), small()
	r.months = newBarChart(activitySeries(), false)
	r.kinds = newBarChart(followUpSeries(), true)
	r.staff = container.New(&tableLayout{cols: 7, stretch: 0})
	r.top = container.New(&tableLayout{cols: 5, stretch: 1})
	r.note = widget.NewLabel("")
	r.note.Wrapping = fyne.TextWrapWord

	// Four across when the width holds them, else two rows of two.
	cols := &columnsLayout{even: true}
	headline := container.New(cols,
		widget.NewCard("", lang.L("Customers active now"), container.NewVBox(r.people, r.peopleNote)),
		widget.NewCard("", lang.L("Yearly retention"), container.NewVBox(r.retention, r.retentionNote)),
		widget.NewCard("", lang.L("Complaints, last 12 months"), container.NewVBox(r.complaints, r.complaintsNote)),
		widget.NewCard("", lang.L("Loyalty points held"), container.NewVBox(r.points, r.pointsNote)),
	)
	monthsCard := section(lang.L("Customers by month-end"), lang.L("How recently each customer last bought, at the end of each of the last 12 months"), r.months)
	kindsCard := section(lang.L("Follow-up by kind"), lang.L("Reminders due since the database was created, and how they were handled"), r.kinds)
	staffCard := section(lang.L("Follow-up by staff member"), lang.L("Who last handled each reminder; “Nobody” are those left unhandled"), r.staff)
	topCard := section(lang.L("Top customers"), lang.L("By what they paid, less refunds"), r.top)
	fitCards(headline)
	pair := &columnsLayout{even: true} // side by side, or one above the other
	figures := container.NewVBox(headline, monthsCard, kindsCard, container.New(pair, staffCard, topCard), r.note)
	cols.onChange = figures.Refresh
	pair.onChange = figures.Refresh

	r.exportBtn = widget.NewButtonWithIcon(lang.L("Export CSV…"), theme.DocumentSaveIcon(), r.exportMenu)
	printBtn := widget.NewButtonWithIcon(lang.L("Print to PDF…"), theme.DocumentPrintIcon(), r.printPDF)
	icsBtn := widget.NewButtonWithIcon(lang.L("Export calendar (.ics)…"), theme.CalendarIcon(), r.exportICS)
	r.spinner = widget.NewProgressBarInfinite()
	r.spinner.Stop()
	r.working = container.NewHBox(container.NewGridWrap(fyne.NewSize(120, r.spinner.MinSize().Height), r.spinner),
		widget.NewLabel(lang.L("Adding up the figures…")))
	r.working.Hide()
	bar := container.NewBorder(nil, nil, container.NewHBox(r.asOf, r.working), container.NewHBox(r.exportBtn, printBtn, icsBtn))

	r.segments = newSegmentsPane(a)
	r.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Figures"), theme.DocumentIcon(), container.NewBorder(bar, nil, nil, nil, container.NewVScroll(figures))),
		container.NewTabItemWithIcon(lang.L("Groups & messages"), theme.MailComposeIcon(), r.segments.obj),
	)
	r.tabs.OnSelected = func(t *container.TabItem) {
		if t == r.tabs.Items[1] {
			r.segments.run()
		}
	}
	r.obj = r.tabs
	return r
}

// section is a card with a modest heading, so a page of them reads as one.
func section(title, subtitle string, body fyne.CanvasObject) *widget.Card {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	sub := widget.NewLabel(subtitle)
	sub.SizeName = theme.SizeNameCaptionText
	sub.Wrapping = fyne.TextWrapWord
	return widget.NewCard("", "", container.NewBorder(container.NewVBox(t, sub), nil, nil, nil, body))
}

func (r *reportsScreen) content() fyne.CanvasObject { return container.NewPadded(r.obj) }

func (r *reportsScreen) focus() {}

// topCustomers is how many best customers the report lists.
const topCustomers = 10

func (r *reportsScreen) reload() {
	day := r.a.Today()
	r.asked++
	asked := r.asked
	r.working.Show()
	r.spinner.Start()
	// The figures that need only the sales and the points show as soon as
	// they are added up; the sign of work stays until the follow-up comes.
	first := func(rep rules.Report) {
		r.a.onUI(func() {
			if asked == r.asked && r.working.Visible() {
				r.showFigures(rep)
			}
		})
	}
	background(r.a, func(ctx context.Context) (rules.Report, error) {
		return r.a.store.ReportAsReady(ctx, day, topCustomers, first)
	}, func(rep rules.Report, err error) {
		if asked != r.asked {
			return // a later report was asked for meanwhile
		}
		r.spinner.Stop()
		r.working.Hide()
		if err != nil {
			r.a.showError(err)
			return
		}
		r.show(rep)
	})
	if r.tabs.Selected() == r.tabs.Items[1] {
		r.segments.run()
	}
}

func share(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", part*100/whole)
}

// show fills the page with a whole report.
func (r *reportsScreen) show(rep rules.Report) {
	r.rep, r.loaded = rep, true
	r.showFigures(rep)
	r.showFollowUp(rep)
}

// showFigures fills the page with every figure but the follow-up.
func (r *reportsScreen) showFigures(rep rules.Report) {
	r.asOf.SetText(fmt.Sprintf(lang.L("As of %s"), longDate(rep.Day)))
	a := rep.Now
	r.people.SetText(fmt.Sprintf(lang.L("%s of %s"), wholeNumber(int64(a.Active)), wholeNumber(int64(a.Total))))
	r.peopleNote.SetText(fmt.Sprintf(lang.L("%s lapsing (90–180 days), %s drifting (180–365), %s lost (over a year), %s never bought."),
		wholeNumber(int64(a.Lapsing)), wholeNumber(int64(a.Drifting)), wholeNumber(int64(a.Lost)), wholeNumber(int64(a.Never))))

	ret := rep.Retention
	r.retention.set(ret.Rate())
	if ret.Base == 0 {
		r.retentionNote.SetText(lang.L("No customers bought in the year before last year began: nothing to compare yet."))
	} else {
		verdict := lang.L("above")
		if ret.Rate() < rules.RetentionBenchmark {
			verdict = lang.L("below")
		}
		r.retentionNote.SetText(fmt.Sprintf(lang.L("%s of the %s customers who bought between %s and %s came back by %s: %s the %.0f%% an average shop keeps."),
			wholeNumber(int64(ret.Kept)), wholeNumber(int64(ret.Base)), listDate(ret.From.AddMonths(-12)), listDate(ret.From.AddDays(-1)), listDate(ret.To),
			verdict, rules.RetentionBenchmark*100))
	}

	c := rep.Complaints
	r.complaints.SetText(fmt.Sprintf(lang.L("%s received"), wholeNumber(int64(c.Received))))
	if c.Received == 0 {
		r.complaintsNote.SetText(lang.L("None in the last 12 months."))
	} else {
		median := lang.L("none resolved yet")
		if c.Resolved > 0 {
			median = fmt.Sprintf(lang.L("median %s hours to resolve"), decimalText(fmt.Sprintf("%.1f", c.MedianHours)))
		}
		r.complaintsNote.SetText(fmt.Sprintf(lang.L("%s resolved, %s; %s resolved within 24 hours. %s of the %s customers bought again afterwards."),
			wholeNumber(int64(c.Resolved)), median, share(c.Within24h, c.Received), wholeNumber(int64(c.BoughtAgain)), wholeNumber(int64(c.Customers))))
	}

	p := rep.Points
	r.points.SetText(pointsText(p.Outstanding))
	r.pointsNote.SetText(fmt.Sprintf(lang.L("Held by %s: %s owed in whole rewards of %s (part of a reward owes nothing). Redeemed in 12 months: %s, %s off."),
		fmt.Sprintf(lang.N("%s customers", p.Holders), wholeNumber(int64(p.Holders))), money(p.Liability), pointsText(p.Scheme.RewardPoints), pointsText(p.Redeemed), money(p.RedeemedValue)))

	var months []chartRow
	for _, m := range rep.Months {
		months = append(months, chartRow{fmt.Sprintf("%s '%02d", shortMonth(m.MonthEnd.Time().Month()), m.MonthEnd.Year()%100), []int{m.Active, m.Lapsing, m.Drifting, m.Lost}})
	}
	r.months.set(months)

	r.top.Objects = nil
	for _, h := range []string{"#", lang.L("Customer"), lang.L("Spent"), lang.L("Visits"), lang.L("Points")} {
		r.top.Add(tableHead(h))
	}
	for i, t := range rep.Top {
		id := t.Customer.ID
		// A link, cut with "…": a long name never widens the page.
		name := widget.NewHyperlink(t.Customer.Name, nil)
		name.OnTapped = func() { r.a.openCustomer(id) }
		name.Truncation = fyne.TextTruncateEllipsis
		r.top.Add(widget.NewLabel(fmt.Sprint(i + 1)))
		r.top.Add(name)
		r.top.Add(widget.NewLabel(money(t.Spent)))
		r.top.Add(widget.NewLabel(wholeNumber(int64(t.Visits))))
		r.top.Add(widget.NewLabel(wholeNumber(t.Balance)))
	}
	r.top.Refresh()
}

// showFollowUp fills the page with how the reminders were handled.
func (r *reportsScreen) showFollowUp(rep rules.Report) {
	var kinds []chartRow
	for _, k := range rep.FollowUp.ByKind {
		done := k.OnTime + k.Late + k.Skipped + k.Missed
		label := kindTitle(k.Kind)
		if done > 0 {
			label += fmt.Sprintf(lang.L(" (%s on time)"), share(k.OnTime, done))
		}
		kinds = append(kinds, chartRow{label, []int{k.OnTime, k.Late, k.Skipped, k.Missed}})
	}
	r.kinds.set(kinds)

	r.staff.Objects = nil
	for _, h := range []string{lang.L("Staff"), lang.L("On time"), lang.L("Late"), lang.L("Skipped"), lang.L("Missed"), lang.L("Open"), lang.L("On time %")} {
		r.staff.Add(tableHead(h))
	}
	for _, s := range rep.FollowUp.ByStaff {
		name := s.Staff
		onTime := share(s.OnTime, s.OnTime+s.Late+s.Skipped+s.Missed)
		if name == "" {
			name, onTime = lang.L("Nobody"), "—"
		}
		who := widget.NewLabel(name)
		who.Truncation = fyne.TextTruncateEllipsis
		r.staff.Add(who)
		for _, v := range []string{wholeNumber(int64(s.OnTime)), wholeNumber(int64(s.Late)), wholeNumber(int64(s.Skipped)),
			wholeNumber(int64(s.Missed)), wholeNumber(int64(s.Open)), onTime} {
			r.staff.Add(widget.NewLabel(v))
		}
	}
	r.staff.Refresh()

	var missed []string
	for _, row := range rep.FollowUp.ByKind {
		if row.Missed > 0 {
			missed = append(missed, fmt.Sprintf("%s %s", strings.ToLower(kindTitle(row.Kind)), wholeNumber(int64(row.Missed))))
		}
	}
	note := fmt.Sprintf(lang.L("Follow-up is counted from %s, the day this database was created, so imported history does not drown the figures."), longDate(rep.FollowUp.Since))
	if len(missed) > 0 {
		note += " " + fmt.Sprintf(lang.L("Reminders missed, by kind: %s."), strings.Join(missed, ", "))
	}
	r.note.SetText(note)
}

// tableHead is a table's column heading.
func tableHead(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// exportMenu offers each report as its own CSV file.
func (r *reportsScreen) exportMenu() {
	var items []*fyne.MenuItem
	for _, part := range rules.ReportParts {
		items = append(items, fyne.NewMenuItem(part.Title, func() { r.exportCSV(part.ID) }))
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.exportBtn).Add(fyne.NewPos(0, r.exportBtn.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), r.a.win.Canvas(), pos)
}

// exportCSV saves one report as CSV, after the owner PIN.
func (r *reportsScreen) exportCSV(part string) {
	if !r.loaded {
		return
	}
	rep := r.rep
	r.a.requireOwner(lang.L("export reports"), func() {
		r.a.saveAs(fmt.Sprintf("%s-%s.csv", part, rep.Day), func(_ context.Context, w io.Writer) error {
			return rep.WriteCSV(w, part)
		})
	})
}

// printPDF saves the whole page as a PDF to print, after the owner PIN.
func (r *reportsScreen) printPDF() {
	if !r.loaded {
		return
	}
	rep := r.rep
	r.a.requireOwner(lang.L("print reports"), func() {
		r.a.saveAs(fmt.Sprintf("reports-%s.pdf", rep.Day), func(ctx context.Context, w io.Writer) error {
			shop, err := r.a.store.ShopName(ctx)
			if err != nil {
				return err
			}
			return printing.Report(w, printing.Shop{Name: shop, Format: printFormat()}, rep)
		})
	})
}

// printFormat is how printouts write dates, amounts and counts: as the
// window does, in the shop's locale and currency.
func printFormat() printing.Format {
	return printing.Format{
		Date:    longDate,
		Weekday: weekdayDate,
		Month: func(d rules.Day) string {
			y, m, _ := d.Date()
			return fmt.Sprintf("%s %d", shortMonth(m), y)
		},
		Money:  money,
		Number: wholeNumber,
	}
}

// exportICS saves birthdays, occasions and promises for a phone's
// calendar, after the owner PIN.
func (r *reportsScreen) exportICS() {
	r.a.requireOwner(lang.L("export the calendar"), func() {
		r.a.saveAs("regulars-calendar.ics", func(ctx context.Context, w io.Writer) error {
			return r.a.store.ExportICS(ctx, w)
		})
	})
}

// saveDialog asks where to save a file called name and hands back a
// writer, or nil when the person cancels. Tests replace it.
var saveDialog = func(a *App, name string, then func(w io.WriteCloser, where string, err error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if wc == nil {
			then(nil, "", err)
			return
		}
		then(wc, wc.URI().Path(), err)
	}, a.win)
	d.SetFileName(name)
	if ext := filepath.Ext(name); ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// saveAs asks where to save, then writes the file off the UI goroutine
// and says where it went.
func (a *App) saveAs(name string, write func(context.Context, io.Writer) error) {
	saveDialog(a, name, func(w io.WriteCloser, where string, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if w == nil {
			return
		}
		background(a, func(ctx context.Context) (struct{}, error) {
			err := write(ctx, w)
			if cerr := w.Close(); err == nil && cerr != nil {
				err = fmt.Errorf(lang.L("Could not finish writing %s: %w"), where, cerr)
			}
			return struct{}{}, err
		}, func(_ struct{}, err error) {
			if err != nil {
				a.showError(err)
				return
			}
			a.say(lang.L("Saved %s"), where)
		})
	})
}
