package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// smallScreen is the smallest screen the window is made for.
var smallScreen = fyne.NewSize(1024, 700)

// checkFits fails when the window's content asks for more than the small
// screen less its title bar: the toolkit would then make the window larger
// than the screen.
func checkFits(t *testing.T, a *App, where string) {
	t.Helper()
	if m := a.win.Content().MinSize(); m.Width > smallScreen.Width || m.Height > smallScreen.Height-titleRoom {
		var b strings.Builder
		widest(a.win.Content(), 0, &b)
		t.Log("what asks for the room:\n" + b.String())
		t.Errorf("%s: the window needs at least %.0f×%.0f, more than %.0f×%.0f", where, m.Width, m.Height, smallScreen.Width, smallScreen.Height)
	}
}

// A very long status message, a long audit-log line and a long customer
// name never make the window larger than a 1024×700 screen, on any screen.
func TestLongTextsKeepTheWindowInsideASmallScreen(t *testing.T) {
	ctx := context.Background()
	day := mustDay("2026-06-15")
	s := openStore(t, day)
	must(s.GenerateDemo(ctx, data.DemoOptions{Customers: 100, End: day}))
	long := strings.TrimSpace(strings.Repeat("Wolfeschlegelsteinhausenbergerdorff ", 5))
	id := must(s.AddCustomer(ctx, rules.Customer{Name: long, Phone: "07700 900999"}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: id, Amount: 1200000, Description: strings.Repeat("waterproof trousers ", 9)}))
	must(s.AdjustPoints(ctx, id, 250, strings.Repeat("goodwill after the long wait for the order ", 10), long))
	a := openShop(t, s, day)
	a.say("%s", strings.Repeat("Saved /home/shop/Documents/printouts/thank-you-cards-for-everyone.pdf ", 40))
	checkFits(t, a, "status message")
	a.showError(errors.New(strings.Repeat("the backup folder /media/usb/a-very-long-folder-name/backups cannot be written ", 20)))
	if a.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no error dialog")
	}
	if m := a.win.Canvas().Overlays().Top().MinSize(); m.Width > smallScreen.Width || m.Height > smallScreen.Height {
		t.Errorf("an error dialog with a long sentence needs %.0f×%.0f", m.Width, m.Height)
	}
	dismissTop(a.win.Canvas())
	for _, p := range pages {
		a.show(p.id)
		checkFits(t, a, p.id)
	}
	st := a.screens["settings"].(*settingsScreen)
	st.open()
	for i := range 8 {
		st.sections.Select(i)
		checkFits(t, a, fmt.Sprintf("settings section %d", i))
	}
	audit := st.safety.audit
	if len(audit.rows) == 0 || !strings.Contains(auditLine(audit.rows[0]), "goodwill") {
		t.Fatalf("the audit log does not show the long entry: %d rows", len(audit.rows))
	}
}

func TestAWindowSizeFromALargerScreenIsBroughtInside(t *testing.T) {
	for _, tc := range []struct{ want, area, fit fyne.Size }{
		{fyne.NewSize(2400, 1300), fyne.NewSize(1366, 740), fyne.NewSize(1366, 700)},
		{fyne.NewSize(1200, 760), fyne.NewSize(1024, 700), fyne.NewSize(1024, 660)},
		{fyne.NewSize(1200, 760), fyne.NewSize(1920, 1040), fyne.NewSize(1200, 760)},
		{fyne.NewSize(1200, 760), fyne.Size{}, fyne.NewSize(1200, 760)}, // no screen known
	} {
		if got := fitInside(tc.want, tc.area); got != tc.fit {
			t.Errorf("%v on a %v screen: %v, want %v", tc.want, tc.area, got, tc.fit)
		}
	}
}

// widest lists the objects that ask for more than the small screen, with
// the text of labels among them: what a failing check is to look at.
func widest(o fyne.CanvasObject, depth int, out *strings.Builder) {
	if !o.Visible() {
		return
	}
	m := o.MinSize()
	if m.Width > smallScreen.Width*0.7 || m.Height > smallScreen.Height*0.8 {
		desc := ""
		if l, ok := o.(*widget.Label); ok {
			desc = fmt.Sprintf("%.60q", l.Text)
		}
		fmt.Fprintf(out, "%s%T %.0fx%.0f %s\n", strings.Repeat(" ", depth), o, m.Width, m.Height, desc)
	}
	var kids []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		kids = c.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(c).Objects()
	}
	for _, k := range kids {
		widest(k, depth+1, out)
	}
}

// Loyalty's top-customers table shows every column at 1024×700 and at
// 1366×768: the name column takes what the figures leave.
func TestLoyaltyTableShowsEveryColumnOnASmallScreen(t *testing.T) {
	ctx := context.Background()
	day := mustDay("2026-06-15")
	s := openStore(t, day)
	must(s.GenerateDemo(ctx, data.DemoOptions{Customers: 100, End: day}))
	a := openShop(t, s, day)
	for _, size := range []fyne.Size{smallScreen, fyne.NewSize(1366, 768)} {
		a.win.Resize(size)
		a.show("loyalty")
		l := a.screens["loyalty"].(*loyaltyScreen)
		need := l.names.last
		for _, w := range l.names.fixed {
			need += w
		}
		if need > l.topT.Size().Width || l.names.last < l.names.min {
			t.Errorf("at %v the columns need %.0f of a table %.0f wide (names %.0f)", size, need, l.topT.Size().Width, l.names.last)
		}
	}
}
