package printing

import (
	"fmt"
	"io"
	"strings"

	"regulars/rules"
)

// A4 portrait, in millimetres.
const (
	a4W         = 210.0
	a4H         = 297.0
	sheetMargin = 12.0
	sheetTop    = 12.0
	sheetBottom = a4H - 16 // the footer sits below this
	headerH     = 7.0
	cellPad     = 1.6 // above and below the text of a row
	tickSide    = 4.5
)

// Call sheet columns, left to right; they add up to the printable width.
var sheetCols = [5]float64{9, 38, 28, 50, 61}

var kindLabels = map[rules.Kind]string{
	rules.KindThankYou:          "Thank you",
	rules.KindCheckIn:           "Check-in",
	rules.KindBirthday:          "Birthday",
	rules.KindAnniversary:       "Anniversary",
	rules.KindOccasion:          "Occasion",
	rules.KindPromise:           "Promise",
	rules.KindComplaintFollowup: "Complaint follow-up",
	rules.KindStayInTouch:       "Stay in touch",
	rules.KindRewardReady:       "Reward ready",
	rules.KindPointsExpiring:    "Points expiring",
}

// kindLabel names a reminder kind in words; kinds added later still print.
func kindLabel(k rules.Kind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	s := strings.ReplaceAll(string(k), "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// CallSheet writes the day's calls on A4 portrait: a title naming the day
// and the shop, then one row per reminder with a box to tick, the name, the
// phone, the reason (kind, why, and days overdue in bold red) and the
// message in smaller type. Rows grow with their message; every page repeats
// the column headings and ends with "page N of M". No reminders gives one
// page saying there is nothing to print.
func CallSheet(w io.Writer, shop Shop, day rules.Day, items []rules.Reminder) error {
	title := "Calls"
	if !day.IsZero() {
		title += " for " + shop.Format.weekday(day)
	}
	if strings.TrimSpace(shop.Name) != "" {
		title += " — " + shop.Name
	}
	return write(w, func() (*doc, error) {
		// "of M" needs the page count, which only laying the sheet out
		// gives; the layout does not depend on it, so the second pass
		// breaks the pages exactly as the first.
		first, err := callSheet(shop.Format, title, items, 0)
		if err != nil {
			return nil, err
		}
		return callSheet(shop.Format, title, items, first.PageNo())
	})
}

// segment is a run of lines in one type style inside a table cell.
type segment struct {
	lines   []string
	bold    bool
	pt      float64
	r, g, b int
}

func (s segment) height() float64 { return float64(len(s.lines)) * lineHeight(s.pt) }

type cell []segment

func (c cell) height() float64 {
	h := 0.0
	for _, s := range c {
		h += s.height()
	}
	return h
}

func callSheet(f Format, title string, items []rules.Reminder, total int) (*doc, error) {
	d, err := newDoc("P", "A4", title)
	if err != nil {
		return nil, err
	}
	width := a4W - 2*sheetMargin
	d.SetMargins(sheetMargin, sheetTop, sheetMargin)
	d.SetCellMargin(1.5)
	d.SetFooterFunc(func() {
		d.style(false, 7.5)
		d.SetTextColor(110, 110, 110)
		page := fmt.Sprintf("page %s of %s", f.count(d.PageNo()), f.count(total))
		if total == 0 {
			page = "page " + f.count(d.PageNo())
		}
		pw := d.GetStringWidth(page) + 4
		d.SetXY(sheetMargin, a4H-11)
		if l := d.fitLines(d.wrap(title, width-pw), 1, width-pw); len(l) == 1 {
			d.CellFormat(width-pw, lineHeight(7.5), l[0], "", 0, "L", false, 0, "")
		}
		d.SetXY(sheetMargin+width-pw, a4H-11)
		d.CellFormat(pw, lineHeight(7.5), page, "", 0, "R", false, 0, "")
		d.SetTextColor(0, 0, 0)
	})
	d.AddPage()

	d.style(true, 15)
	titleLines := d.fitLines(d.wrap(title, width), 2, width)
	y := d.drawLines(sheetMargin, sheetTop, width, lineHeight(15), titleLines, "L")
	if len(items) == 0 {
		d.nothingPage(y+30, "There are no calls for this day.")
		return d, d.Error()
	}
	d.style(false, 9)
	d.SetTextColor(90, 90, 90)
	count := f.count(len(items)) + " calls to make"
	if len(items) == 1 {
		count = "1 call to make"
	}
	y = d.drawLines(sheetMargin, y+0.5, width, lineHeight(9), []string{count}, "L")
	d.SetTextColor(0, 0, 0)
	y += 3

	y = sheetHeader(d, y)
	for i, r := range items {
		cells := sheetRow(d, f, r, sheetBottom-sheetTop-headerH-2*cellPad)
		h := tickSide
		for _, c := range cells {
			h = max(h, c.height())
		}
		h += 2 * cellPad
		if y+h > sheetBottom {
			d.AddPage()
			y = sheetHeader(d, sheetTop)
		}
		if i%2 == 1 {
			d.SetFillColor(246, 246, 246)
			d.Rect(sheetMargin, y, width, h, "F")
		}
		d.SetDrawColor(0, 0, 0)
		d.SetLineWidth(0.3)
		d.Rect(sheetMargin+(sheetCols[0]-tickSide)/2, y+cellPad, tickSide, tickSide, "D")
		x := sheetMargin + sheetCols[0]
		for j, c := range cells {
			cy := y + cellPad
			for _, s := range c {
				d.style(s.bold, s.pt)
				d.SetTextColor(s.r, s.g, s.b)
				cy = d.drawLines(x, cy, sheetCols[j+1], lineHeight(s.pt), s.lines, "L")
			}
			x += sheetCols[j+1]
		}
		d.SetTextColor(0, 0, 0)
		y += h
		d.SetDrawColor(200, 200, 200)
		d.SetLineWidth(0.15)
		d.Line(sheetMargin, y, sheetMargin+width, y)
	}
	return d, d.Error()
}

// sheetHeader draws the column headings at y and returns the y below them.
func sheetHeader(d *doc, y float64) float64 {
	width := a4W - 2*sheetMargin
	d.SetFillColor(228, 228, 228)
	d.Rect(sheetMargin, y, width, headerH, "F")
	d.style(true, 8.5)
	x := sheetMargin
	for i, name := range []string{"✓", "Name", "Phone", "Reason", "Message"} {
		align := "L"
		if i == 0 {
			align = "C"
		}
		d.SetXY(x, y)
		d.CellFormat(sheetCols[i], headerH, name, "", 0, align+"M", false, 0, "")
		x += sheetCols[i]
	}
	d.SetDrawColor(80, 80, 80)
	d.SetLineWidth(0.3)
	d.Line(sheetMargin, y+headerH, sheetMargin+width, y+headerH)
	return y + headerH
}

// sheetRow lays out the four text cells of a reminder, each cut to fit room
// so that a row never needs more than a page.
func sheetRow(d *doc, f Format, r rules.Reminder, room float64) [4]cell {
	seg := func(col int, text string, bold bool, pt float64, rgb ...int) segment {
		d.style(bold, pt)
		s := segment{lines: d.wrap(oneLine(text), sheetCols[col]), bold: bold, pt: pt}
		if len(rgb) == 3 {
			s.r, s.g, s.b = rgb[0], rgb[1], rgb[2]
		}
		return s
	}
	var cells [4]cell
	cells[0] = cell{seg(1, r.CustomerName, true, 9.5)}
	if strings.TrimSpace(r.Phone) != "" {
		cells[1] = cell{seg(2, r.Phone, false, 9.5)}
	} else {
		cells[1] = cell{seg(2, "no phone", false, 8, 150, 0, 0)}
		if strings.TrimSpace(r.Email) != "" {
			email := seg(2, r.Email, false, 7, 90, 90, 90)
			// A long address reads better broken before the @ than
			// wherever the column happens to end.
			if at := strings.LastIndex(r.Email, "@"); len(email.lines) > 1 && at > 0 {
				local := seg(2, r.Email[:at], false, 7, 90, 90, 90)
				domain := seg(2, r.Email[at:], false, 7, 90, 90, 90)
				email.lines = append(local.lines, domain.lines...)
			}
			cells[1] = append(cells[1], email)
		}
	}
	cells[2] = cell{seg(3, kindLabel(r.Kind), true, 8.5)}
	if strings.TrimSpace(r.Why) != "" {
		cells[2] = append(cells[2], seg(3, r.Why, false, 8))
	}
	if r.OverdueDays > 0 {
		late := f.count(r.OverdueDays) + " days overdue"
		if r.OverdueDays == 1 {
			late = "1 day overdue"
		}
		cells[2] = append(cells[2], seg(3, late, true, 8, 200, 0, 0))
	}
	d.style(false, 8)
	cells[3] = cell{segment{lines: d.wrap(r.Message, sheetCols[4]), pt: 8}}

	for i := range cells {
		left := room
		for j := range cells[i] {
			s := &cells[i][j]
			d.style(s.bold, s.pt)
			s.lines = d.fitLines(s.lines, int(left/lineHeight(s.pt)), sheetCols[i+1])
			left -= s.height()
		}
	}
	return cells
}

// Label sheet geometry: 21 labels of 63.5 × 38.1 mm, 3 across and 7 down,
// as on the common A4 label sheets (L7160 and alike).
const (
	labelW      = 63.5
	labelH      = 38.1
	labelCols   = 3
	labelRows   = 7
	labelGapX   = 2.54
	labelLeft   = (a4W - labelCols*labelW - (labelCols-1)*labelGapX) / 2
	labelTop    = (a4H - labelRows*labelH) / 2
	labelPadX   = 5.0
	labelPadY   = 3.5
	labelNamePt = 10.5
	labelAddrPt = 9.5
	labelMinPt  = 7.0 // smallest address type
)

// AddressLabels writes one address label per customer on A4 label sheets,
// 3 across and 7 down: the name in bold, then the address lines. An address
// typed on one line with commas is set one part per line. No customers
// gives one page saying there is nothing to print.
func AddressLabels(w io.Writer, customers []rules.Customer) error {
	return write(w, func() (*doc, error) {
		d, err := newDoc("P", "A4", "Address labels")
		if err != nil {
			return nil, err
		}
		d.SetMargins(sheetMargin, sheetTop, sheetMargin)
		d.SetCellMargin(0)
		if len(customers) == 0 {
			d.AddPage()
			d.nothingPage(100, "No customers were chosen for labels.")
			return d, d.Error()
		}
		for i, c := range customers {
			if i%(labelCols*labelRows) == 0 {
				d.AddPage()
			}
			col := i % labelCols
			row := i / labelCols % labelRows
			label(d, labelLeft+float64(col)*(labelW+labelGapX), labelTop+float64(row)*labelH, c)
		}
		return d, d.Error()
	})
}

// addressLines splits an address into the lines of a label.
func addressLines(addr string) []string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(addr, "\r\n", "\n"), "\n") {
		if l = oneLine(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 1 && strings.Contains(lines[0], ",") {
		parts := lines[:0:0]
		for _, p := range strings.Split(lines[0], ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		lines = parts
	}
	return lines
}

// label prints one customer in the label whose top left corner is (x, y).
// A long address is set smaller until it fits, and cut below the smallest
// size; the name keeps its size so the label still reads at a glance.
func label(d *doc, x, y float64, c rules.Customer) {
	width := labelW - 2*labelPadX
	room := labelH - 2*labelPadY
	addr := addressLines(c.Address)

	namePt := labelNamePt
	d.style(true, namePt)
	name := d.fitLines(d.wrap(oneLine(c.Name), width), 2, width)
	nameH := float64(len(name))*lineHeight(namePt) + 1

	addrPt := labelAddrPt
	var lines []string
	for {
		d.style(false, addrPt)
		lines = lines[:0]
		for _, a := range addr {
			lines = append(lines, d.wrap(a, width)...)
		}
		if nameH+float64(len(lines))*lineHeight(addrPt) <= room || addrPt <= labelMinPt {
			break
		}
		addrPt -= 0.5
	}
	d.style(false, addrPt)
	lines = d.fitLines(lines, int((room-nameH)/lineHeight(addrPt)), width)
	h := nameH + float64(len(lines))*lineHeight(addrPt)

	top := y + (labelH-h)/2
	d.style(true, namePt)
	top = d.drawLines(x+labelPadX, top, width, lineHeight(namePt), name, "L") + 1
	d.style(false, addrPt)
	d.drawLines(x+labelPadX, top, width, lineHeight(addrPt), lines, "L")
}
