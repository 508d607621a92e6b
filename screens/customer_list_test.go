package screens

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// listShopApp opens the window on a shop of 450 customers, Customer 000
// to Customer 449, imported in another order, each with an opening
// balance of their own; the Customers screen on show.
func listShopApp(t *testing.T) (*App, *customersScreen, *data.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	day := mustDay("2026-06-15")
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "shop.db"), data.Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var csv strings.Builder
	csv.WriteString("name,phone,points\n")
	for i := range 450 {
		n := (i * 7) % 450
		fmt.Fprintf(&csv, "Customer %03d,07700 9%05d,%d\n", n, n, (n*53)%450)
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(csv.String()), data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	y, m, d := day.Date()
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Date: day, Screen: "customers",
		Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}, Synchronous: true})
	t.Cleanup(func() { a.win.Close() })
	a.win.Resize(fyne.NewSize(1280, 800))
	a.show("customers")
	return a, a.screens["customers"].(*customersScreen), s
}

// shownNames are the names the list's rows show now.
func shownNames(l *widget.List) []string {
	var out []string
	walk(l, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Label); ok && x.Visible() && strings.HasPrefix(x.Text, "Customer ") {
			out = append(out, x.Text)
		}
	})
	return out
}

// TestCustomerListScrollsPastTheFirst200: the list holds every customer,
// read a page at a time as it scrolls: row 300 shows Customer 300, and
// picking it opens their page; sorted by points, the order holds past the
// first 200 too, and a change in the shop leaves the list where it was.
func TestCustomerListScrollsPastTheFirst200(t *testing.T) {
	_, cs, _ := listShopApp(t)
	if len(cs.results) != 450 || cs.count.Text != "450 customers" {
		t.Fatalf("the list holds %d rows, says %q", len(cs.results), cs.count.Text)
	}
	if cs.results[300].ID != 0 {
		t.Fatalf("row 300 was read before it was scrolled to")
	}
	cs.list.ScrollTo(300)
	if got := cs.results[300].Name; got != "Customer 300" {
		t.Fatalf("row 300 is %q after scrolling", got)
	}
	if shown := shownNames(cs.list); !slices.Contains(shown, "Customer 300") {
		t.Fatalf("after scrolling to row 300 the list shows %v", shown)
	}
	cs.list.Select(300)
	if cs.page.cust.Name != "Customer 300" {
		t.Errorf("picking row 300 shows %q", cs.page.cust.Name)
	}
	// A change in the shop reads the list again where it stands.
	cs.reload()
	if shown := shownNames(cs.list); !slices.Contains(shown, "Customer 300") || cs.results[300].Name != "Customer 300" {
		t.Errorf("after reading the list again it shows %v", shown)
	}

	// Sorted by points, highest first; the search keeps the order.
	test.Tap(cs.heads[3])
	if !strings.HasSuffix(cs.heads[3].Text, "▼") {
		t.Errorf("the points head reads %q", cs.heads[3].Text)
	}
	for i := 0; i < 450; i += 5 { // down the list as a person scrolls
		cs.list.ScrollTo(i)
	}
	var points []int64
	for i, r := range cs.results {
		if r.ID == 0 {
			t.Fatalf("row %d not read after scrolling to the end", i)
		}
		points = append(points, r.Points)
	}
	if !slices.IsSortedFunc(points, func(a, b int64) int { return int(b - a) }) || points[0] != 449 {
		t.Errorf("by points the list runs %v…%v", points[:5], points[440:])
	}
	test.Type(cs.search, "Customer 1")
	if len(cs.results) != 100 || cs.count.Text != "100 matches" || cs.results[0].Points < cs.results[99].Points {
		t.Errorf("a search sorted by points: %d rows, %q, first %+v", len(cs.results), cs.count.Text, cs.results[0])
	}
}

// shownRows are the rows of the list in view: each one's cells, the name
// first, as labels.
func shownRows(l *widget.List) [][]*widget.Label {
	var out [][]*widget.Label
	walk(l, func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok || !c.Visible() {
			return
		}
		if _, ok := c.Layout.(*listColumns); !ok {
			return
		}
		var row []*widget.Label
		for _, x := range c.Objects {
			if lb, ok := x.(*widget.Label); ok {
				row = append(row, lb)
			}
		}
		if len(row) == len(c.Objects) && row[0].Text != "" {
			out = append(out, row)
		}
	})
	return out
}

// TestCustomerListRowsShowTheirCustomer: the list reuses its rows from one
// search to the next and leaves a cell alone that already shows its text;
// after each search, and after a change in the shop that alters only a
// figure, every row in view shows its own customer's name and points, not
// those of the customer it showed before. A text too wide for its cell is
// cut, never drawn past it into the next column.
func TestCustomerListRowsShowTheirCustomer(t *testing.T) {
	a, cs, s := listShopApp(t)
	ctx := context.Background()
	long := "Customer 123 Bartholomew Fitzwilliam-Montgomery-Worthington of the Very Long Name Society"
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: long, Phone: "07700 955555"}); err != nil {
		t.Fatal(err)
	}
	cs.reload()
	check := func(when string) {
		t.Helper()
		rows := shownRows(cs.list)
		if len(rows) < 5 {
			t.Fatalf("%s: only %d rows in view", when, len(rows))
		}
		byName := map[string]data.CustomerRow{}
		for _, r := range cs.results {
			if r.ID != 0 {
				byName[r.Name] = r
			}
		}
		for _, row := range rows {
			name := strings.SplitN(row[0].Text, "  · ", 2)[0]
			c, ok := byName[name]
			if !ok {
				t.Errorf("%s: a row shows %q, not a customer of this list", when, row[0].Text)
				continue
			}
			if got, want := row[3].Text, wholeNumber(c.Points); got != want {
				t.Errorf("%s: the row of %q shows %s points, not %s", when, name, got, want)
			}
			for k, l := range row {
				th := l.Theme()
				room := l.Size().Width - 2*th.Size(theme.SizeNameInnerPadding)
				if w := fyne.MeasureText(l.Text, th.Size(theme.SizeNameText), l.TextStyle).Width; l.Truncation == fyne.TextTruncateOff && w > room {
					t.Errorf("%s: cell %d of %q draws %q, %.0f wide, uncut in %.0f", when, k, name, l.Text, w, room)
				}
			}
		}
	}
	check("at first")
	test.Type(cs.search, "Customer 1")
	check("searching Customer 1")
	cs.search.SetText("Customer 3")
	check("searching Customer 3")
	cs.search.SetText("Customer 12")
	check("searching Customer 12")
	var longRow []*widget.Label
	for _, row := range shownRows(cs.list) {
		if strings.HasPrefix(row[0].Text, long) {
			longRow = row
		}
	}
	if longRow == nil || longRow[0].Truncation != fyne.TextTruncateEllipsis {
		t.Errorf("the long name is not shown cut with an ellipsis: %v", longRow)
	}

	// The same rows, one figure changed.
	first := cs.results[0]
	if _, err := s.AdjustPoints(ctx, first.ID, 1000, "test", "Sam"); err != nil {
		t.Fatal(err)
	}
	cs.reload()
	if cs.results[0].ID != first.ID || cs.results[0].Points != first.Points+1000 {
		t.Fatalf("after the change the first row is %+v", cs.results[0])
	}
	check("after a change in points")

	// A narrower window: names that fitted uncut may not now.
	cs.search.SetText("")
	check("with no search")
	a.win.Resize(fyne.NewSize(500, 800))
	check("in a narrow window")
}
