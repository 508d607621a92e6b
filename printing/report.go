package printing

import (
	"fmt"
	"io"
	"strings"

	"regulars/rules"
)

// rgb is a colour of the printed report's charts, the same meanings as
// on screen: green for active and on time, amber for lapsing and late,
// orange for drifting, red for lost and missed, grey for skipped.
type rgb struct{ r, g, b int }

var (
	green  = rgb{67, 160, 71}
	amber  = rgb{251, 170, 30}
	orange = rgb{239, 108, 0}
	red    = rgb{211, 47, 47}
	grey   = rgb{158, 158, 158}
)

// Report writes the Reports page on A4 portrait: the headline figures, the
// active/lapsing/drifting/lost bars by month-end, retention against the
// benchmark, follow-up by kind and by staff member, complaints, points and
// the top customers. Pages break between sections and end with "page N".
func Report(w io.Writer, shop Shop, r rules.Report) error {
	title := "Reports"
	if strings.TrimSpace(shop.Name) != "" {
		title += " — " + shop.Name
	}
	return write(w, func() (*doc, error) {
		d, err := newDoc("P", "A4", title)
		if err != nil {
			return nil, err
		}
		d.SetMargins(sheetMargin, sheetTop, sheetMargin)
		d.SetCellMargin(1)
		p := &reportPage{doc: d, title: title, f: shop.Format}
		p.newPage()
		p.heading(title, 16)
		p.line(false, 10, "As of "+shop.Format.weekday(r.Day))
		p.gap(3)
		p.summary(r)
		p.months(r.Months)
		p.retention(r.Retention)
		p.followUp(r.FollowUp)
		p.complaintsAndPoints(r.Complaints, r.Points)
		p.top(r.Top)
		return d, d.Error()
	})
}

// reportPage keeps the pen's place down the page.
type reportPage struct {
	*doc
	title string
	f     Format
	y     float64
	page  int
}

const reportWidth = a4W - 2*sheetMargin

func (p *reportPage) newPage() {
	p.AddPage()
	p.page++
	p.y = sheetTop
	p.style(false, 8)
	p.SetTextColor(110, 110, 110)
	p.SetXY(sheetMargin, a4H-12)
	p.CellFormat(reportWidth, 5, p.text(p.title+" — page "+p.f.count(p.page)), "", 0, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// room starts a new page unless h millimetres are left.
func (p *reportPage) room(h float64) {
	if p.y+h > sheetBottom {
		p.newPage()
	}
}

func (p *reportPage) gap(mm float64) { p.y += mm }

func (p *reportPage) heading(s string, pt float64) {
	p.room(lineHeight(pt) + 12)
	p.style(true, pt)
	p.SetXY(sheetMargin, p.y)
	p.CellFormat(reportWidth, lineHeight(pt), p.text(s), "", 0, "L", false, 0, "")
	p.y += lineHeight(pt)
}

func (p *reportPage) line(bold bool, pt float64, s string) {
	p.style(bold, pt)
	for _, l := range p.wrap(s, reportWidth) {
		p.room(lineHeight(pt))
		p.SetXY(sheetMargin, p.y)
		p.CellFormat(reportWidth, lineHeight(pt), l, "", 0, "L", false, 0, "")
		p.y += lineHeight(pt)
	}
}

func (p *reportPage) section(s string) {
	p.gap(4)
	p.room(40)
	p.heading(s, 12)
	p.SetDrawColor(80, 80, 80)
	p.SetLineWidth(0.3)
	p.Line(sheetMargin, p.y, sheetMargin+reportWidth, p.y)
	p.gap(2)
}

func pct(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", part*100/whole)
}

func (p *reportPage) summary(r rules.Report) {
	a := r.Now
	n := p.f.count
	p.line(false, 10, fmt.Sprintf("%s customers: %s active (bought in the last 90 days), %s lapsing (90–180 days), %s drifting (180–365 days), %s lost (over a year), %s never bought.",
		n(a.Total), n(a.Active), n(a.Lapsing), n(a.Drifting), n(a.Lost), n(a.Never)))
}

func (p *reportPage) legend(items []string, colors []rgb) {
	x := sheetMargin
	p.style(false, 8)
	for i, it := range items {
		c := colors[i]
		p.SetFillColor(c.r, c.g, c.b)
		p.Rect(x, p.y+1, 3, 3, "F")
		p.SetXY(x+4, p.y)
		w := p.GetStringWidth(it) + 3
		p.CellFormat(w, 5, p.text(it), "", 0, "L", false, 0, "")
		x += w + 6
	}
	p.y += 6
}

func (p *reportPage) months(ms []rules.MonthActivity) {
	p.section("Customers by month-end")
	p.legend([]string{"Active", "Lapsing", "Drifting", "Lost"}, []rgb{green, amber, orange, red})
	plotH := 55.0
	p.room(plotH + 10)
	most := 0
	for _, m := range ms {
		most = max(most, m.Active+m.Lapsing+m.Drifting+m.Lost)
	}
	base := p.y + plotH
	if most == 0 || len(ms) == 0 {
		p.line(false, 10, "No sales yet.")
		return
	}
	left := sheetMargin + 10
	slot := (reportWidth - 10) / float64(len(ms))
	p.style(false, 7)
	p.SetDrawColor(200, 200, 200)
	p.SetLineWidth(0.1)
	for _, frac := range []float64{0.5, 1} {
		v := int(float64(most) * frac)
		y := base - plotH*float64(v)/float64(most)
		p.Line(left, y, sheetMargin+reportWidth, y)
		p.SetXY(sheetMargin, y-2)
		p.CellFormat(9, 4, p.f.count(v), "", 0, "R", false, 0, "")
	}
	for i, m := range ms {
		x := left + slot*float64(i) + slot*0.2
		y := base
		for j, v := range []int{m.Active, m.Lapsing, m.Drifting, m.Lost} {
			c := []rgb{green, amber, orange, red}[j]
			h := plotH * float64(v) / float64(most)
			y -= h
			p.SetFillColor(c.r, c.g, c.b)
			p.Rect(x, y, slot*0.6, h, "F")
		}
		p.SetXY(left+slot*float64(i), base+0.5)
		p.CellFormat(slot, 4, p.text(p.f.month(m.MonthEnd)), "", 0, "C", false, 0, "")
	}
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	p.Line(left, base, sheetMargin+reportWidth, base)
	p.y = base + 6
}

func (p *reportPage) retention(r rules.Retention) {
	p.section("Yearly retention")
	p.line(false, 10, fmt.Sprintf("%s of last year's customers bought again (%s of %s who bought between %s and %s came back by %s). An average shop keeps %.0f%%.",
		pct(r.Kept, r.Base), p.f.count(r.Kept), p.f.count(r.Base), p.f.date(r.From.AddMonths(-12)),
		p.f.date(r.From.AddDays(-1)), p.f.date(r.To), rules.RetentionBenchmark*100))
	p.room(12)
	p.gap(2)
	p.SetFillColor(230, 230, 230)
	p.Rect(sheetMargin, p.y, reportWidth, 6, "F")
	c := amber
	if r.Rate() >= rules.RetentionBenchmark {
		c = green
	}
	p.SetFillColor(c.r, c.g, c.b)
	p.Rect(sheetMargin, p.y, reportWidth*r.Rate(), 6, "F")
	mx := sheetMargin + reportWidth*rules.RetentionBenchmark
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.5)
	p.Line(mx, p.y-1, mx, p.y+7)
	p.style(false, 7)
	p.SetXY(mx-20, p.y+7)
	p.CellFormat(40, 4, p.text(fmt.Sprintf("%.0f%% average shop", rules.RetentionBenchmark*100)), "", 0, "C", false, 0, "")
	p.y += 12
}

// table draws a header row and rows; widths are fractions of the page width.
func (p *reportPage) table(head []string, widths []float64, rows [][]string) {
	lh := 5.5
	draw := func(cells []string, bold bool) {
		p.room(lh)
		x := sheetMargin
		p.style(bold, 8.5)
		for i, c := range cells {
			w := reportWidth * widths[i]
			align := "R"
			if i == 0 || head[i] == "Name" {
				align = "L"
			}
			p.SetXY(x, p.y)
			p.CellFormat(w, lh, p.text(c), "", 0, align+"M", false, 0, "")
			x += w
		}
		p.y += lh
		p.SetDrawColor(210, 210, 210)
		p.SetLineWidth(0.1)
		p.Line(sheetMargin, p.y, sheetMargin+reportWidth, p.y)
	}
	draw(head, true)
	for _, r := range rows {
		draw(r, false)
	}
}

func (p *reportPage) followUp(f rules.FollowUpReport) {
	p.section("Follow-up")
	if !f.Since.IsZero() {
		p.line(false, 9, "Reminders due from "+p.f.date(f.Since)+", the day this database was created, so imported history does not drown the figures.")
	}
	p.gap(1)
	head := []string{"Reminder", "On time", "Late", "Skipped", "Missed", "Still open", "On time %"}
	widths := []float64{0.28, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12}
	var rows [][]string
	for _, k := range f.ByKind {
		done := k.OnTime + k.Late + k.Skipped + k.Missed
		n := p.f.count
		rows = append(rows, []string{kindLabel(k.Kind), n(k.OnTime), n(k.Late), n(k.Skipped),
			n(k.Missed), n(k.Open), pct(k.OnTime, done)})
	}
	p.table(head, widths, rows)
	p.gap(3)
	head[0] = "Staff member"
	rows = nil
	for _, s := range f.ByStaff {
		name := s.Staff
		if name == "" {
			name = "Nobody (left unhandled)"
		}
		done := s.OnTime + s.Late + s.Skipped + s.Missed
		n := p.f.count
		rows = append(rows, []string{name, n(s.OnTime), n(s.Late), n(s.Skipped),
			n(s.Missed), n(s.Open), pct(s.OnTime, done)})
	}
	p.table(head, widths, rows)
}

func (p *reportPage) complaintsAndPoints(c rules.ComplaintReport, pts rules.PointsReport) {
	p.section("Complaints in the last twelve months")
	if c.Received == 0 {
		p.line(false, 10, "No complaints received.")
	} else {
		n := p.f.count
		p.line(false, 10, fmt.Sprintf("%s received, %s resolved. Median time to resolve: %.1f hours. Resolved within 24 hours: %s (%s). %s of the %s customers who complained bought again afterwards.",
			n(c.Received), n(c.Resolved), c.MedianHours, pct(c.Within24h, c.Received), n(c.Within24h), n(c.BoughtAgain), n(c.Customers)))
	}
	p.section("Loyalty points")
	f := p.f
	p.line(false, 10, fmt.Sprintf("%s points held by %s customers, worth %s in rewards (whole rewards of %s points = %s each; part of a reward counts nothing).",
		f.number(pts.Outstanding), f.count(pts.Holders), f.money(pts.Liability), f.number(pts.Scheme.RewardPoints), f.money(pts.Scheme.RewardValue)))
	p.line(false, 10, fmt.Sprintf("Redeemed in the last twelve months: %s points, %s off.", f.number(pts.Redeemed), f.money(pts.RedeemedValue)))
}

func (p *reportPage) top(ts []rules.TopCustomer) {
	p.section("Top customers")
	var rows [][]string
	for i, t := range ts {
		rows = append(rows, []string{p.f.count(i + 1), oneLine(t.Customer.Name), p.f.money(t.Spent), p.f.count(t.Visits), p.f.number(t.Balance)})
	}
	if len(rows) == 0 {
		p.line(false, 10, "No sales yet.")
		return
	}
	p.table([]string{"#", "Name", "Spent", "Visits", "Points"}, []float64{0.06, 0.52, 0.16, 0.12, 0.14}, rows)
}
