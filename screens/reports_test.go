package screens

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// savedFile stands in for the save dialog: it records the name asked for
// and what was written.
type savedFile struct {
	name string
	buf  bytes.Buffer
	n    int
}

type closer struct{ io.Writer }

func (closer) Close() error { return nil }

func (s *savedFile) install(t *testing.T) {
	old := saveDialog
	t.Cleanup(func() { saveDialog = old })
	saveDialog = func(_ *App, name string, then func(io.WriteCloser, string, error)) {
		s.name, s.n = name, s.n+1
		s.buf.Reset()
		then(closer{&s.buf}, "/tmp/"+name, nil)
	}
}

func (f *fixture) reports(t *testing.T) *reportsScreen {
	t.Helper()
	f.dismissPopup()
	f.app.show("reports")
	r, ok := f.app.screens["reports"].(*reportsScreen)
	if !ok || !r.loaded {
		t.Fatal("the Reports page did not load")
	}
	return r
}

// typePIN answers the owner PIN dialog on top of the window.
func typePIN(t *testing.T, w fyne.Window, pin string) {
	t.Helper()
	var entry *widget.Entry
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			entry = e
		}
	})
	if entry == nil {
		t.Fatal("no PIN asked for")
	}
	test.Type(entry, pin)
	saveFormDialog(t, w)
}

func TestReportsShowEveryFigure(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.store.AddComplaint(ctx, rules.Complaint{CustomerID: f.bob, What: "wrong size", Received: mustDay("2026-06-02")}); err != nil {
		t.Fatal(err)
	}
	r := f.reports(t)
	if got := r.people.Text; got != "1 of 2" {
		t.Errorf("active customers %q, want 1 of 2", got)
	}
	if !strings.Contains(r.peopleNote.Text, "1 never bought") {
		t.Errorf("note %q", r.peopleNote.Text)
	}
	if len(r.months.rows) != 12 || r.months.rows[11].label != "May '26" || r.months.rows[11].total() != 0 {
		t.Errorf("month chart %+v", r.months.rows)
	}
	if len(r.kinds.rows) != len(rules.Kinds) || !strings.HasPrefix(r.kinds.rows[0].label, "Thank-you") {
		t.Errorf("follow-up chart %+v", r.kinds.rows)
	}
	if r.complaints.Text != "1 received" || !strings.Contains(r.complaintsNote.Text, "none resolved yet") {
		t.Errorf("complaints %q %q", r.complaints.Text, r.complaintsNote.Text)
	}
	if r.points.Text != "80 points" || !strings.Contains(r.pointsNote.Text, "Held by 1 customer: 0.00 owed") {
		t.Errorf("points %q %q", r.points.Text, r.pointsNote.Text)
	}
	if !strings.Contains(r.retentionNote.Text, "nothing to compare yet") {
		t.Errorf("retention %q", r.retentionNote.Text)
	}
	var texts []string
	walk(r.top, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Hyperlink:
			texts = append(texts, x.Text)
		case *widget.Label:
			texts = append(texts, x.Text)
		}
	})
	if !slices.Contains(texts, "Ann Lee") || !slices.Contains(texts, "80.00") {
		t.Errorf("top customers %v", texts)
	}
	// A sale shows at once: every page reloads after a write.
	if _, err := f.store.RecordSale(ctx, data.Sale{CustomerID: f.bob, Amount: 2000}); err != nil {
		t.Fatal(err)
	}
	f.app.changed()
	if r.people.Text != "2 of 2" {
		t.Errorf("after Bob's sale: %q", r.people.Text)
	}
}

func TestReportsExportNeedsTheOwnerPIN(t *testing.T) {
	f := newFixture(t)
	var saved savedFile
	saved.install(t)
	if err := f.store.SetOwnerPIN(context.Background(), "432100"); err != nil {
		t.Fatal(err)
	}
	r := f.reports(t)
	r.exportCSV("top_customers")
	if saved.n != 0 {
		t.Fatal("exported before the PIN")
	}
	typePIN(t, f.app.win, "432100")
	if saved.name != "top_customers-2026-06-02.csv" || !strings.Contains(saved.buf.String(), "1,1,Ann Lee,80.00,1,80") {
		t.Errorf("saved %q:\n%s", saved.name, saved.buf.String())
	}
	if !strings.Contains(f.app.status.Text, "Saved /tmp/top_customers") {
		t.Errorf("status %q", f.app.status.Text)
	}
	r.exportICS()
	typePIN(t, f.app.win, "432100")
	if !strings.HasPrefix(saved.buf.String(), "BEGIN:VCALENDAR") {
		t.Errorf("calendar export:\n%s", saved.buf.String())
	}
	r.printPDF()
	typePIN(t, f.app.win, "432100")
	if saved.name != "reports-2026-06-02.pdf" || !bytes.HasPrefix(saved.buf.Bytes(), []byte("%PDF-")) {
		t.Errorf("PDF %q starts %q", saved.name, saved.buf.String()[:min(8, saved.buf.Len())])
	}
}

func TestExportMenuOffersEveryReport(t *testing.T) {
	f := newFixture(t)
	var saved savedFile
	saved.install(t)
	r := f.reports(t)
	test.Tap(r.exportBtn)
	var menu *widget.PopUpMenu
	for _, o := range f.app.win.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if m, ok := o.(*widget.PopUpMenu); ok {
				menu = m
			}
		})
	}
	if menu == nil || len(menu.Items) != len(rules.ReportParts) {
		t.Fatalf("export menu %v", menu)
	}
	f.store.SetOwnerPIN(context.Background(), ownerPIN)
	test.Tap(menu.Items[1].(fyne.Tappable))
	enterPIN(t, f.app.win, ownerPIN)
	if saved.name != "retention-2026-06-02.csv" || !strings.HasPrefix(saved.buf.String(), "from,to,bought_year_before") {
		t.Errorf("saved %q:\n%s", saved.name, saved.buf.String())
	}
}

func TestGroupsPickCustomersAndReachThem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann, err := f.store.Customer(ctx, f.ann)
	if err != nil {
		t.Fatal(err)
	}
	ann.Tags, ann.Address = []string{"VIP"}, "1 High Street, Ashford"
	ann.Consents = []rules.Consent{{Channel: rules.ChannelEmail, Source: "in person"}}
	if err := f.store.UpdateCustomer(ctx, ann); err != nil {
		t.Fatal(err)
	}
	r := f.reports(t)
	r.tabs.SelectIndex(1)
	p := r.segments
	if len(p.found) != 2 || !strings.HasPrefix(p.count.Text, "2 customers: 1 can be emailed, 0 texted, 1 with an address") {
		t.Fatalf("everyone: %d, %q", len(p.found), p.count.Text)
	}
	if !slices.Equal(p.tags, []string{"VIP"}) {
		t.Errorf("tag choices %v", p.tags)
	}
	p.band.SetSelected("Never bought")
	if len(p.found) != 1 || p.found[0].Name != "Bob Roy" {
		t.Errorf("never bought: %+v", p.found)
	}
	p.band.SetSelectedIndex(0)
	p.tag.SetText("vip")
	if len(p.found) != 1 || p.found[0].Name != "Ann Lee" {
		t.Fatalf("tag vip: %+v", p.found)
	}
	if p.next.Text != "Email Ann Lee (1 of 1)" || p.next.Disabled() {
		t.Errorf("next email button %q", p.next.Text)
	}
	p.subject.SetText("News for {{.FirstName}}")
	test.Tap(p.next)
	if p.next.Text != "All 1 email opened" || !p.next.Disabled() || !strings.Contains(f.app.status.Text, "Ann Lee") {
		t.Errorf("after emailing: %q, %q", p.next.Text, f.app.status.Text)
	}

	var saved savedFile
	saved.install(t)
	f.store.SetOwnerPIN(ctx, ownerPIN)
	p.saveList(rules.ChannelEmail)
	enterPIN(t, f.app.win, ownerPIN)
	if saved.buf.String() != "name,first_name,email\nAnn Lee,Ann,ann@example.com\n" {
		t.Errorf("email list:\n%s", saved.buf.String())
	}
	p.saveList(rules.ChannelSMS)
	enterPIN(t, f.app.win, ownerPIN)
	if saved.buf.String() != "name,first_name,phone\n" {
		t.Errorf("SMS list without consent:\n%s", saved.buf.String())
	}
	p.printLabels()
	enterPIN(t, f.app.win, ownerPIN)
	if !bytes.HasPrefix(saved.buf.Bytes(), []byte("%PDF-")) || saved.name != "labels-2026-06-02.pdf" {
		t.Errorf("labels %q", saved.name)
	}
}

func TestMailtoOfAGroupMessage(t *testing.T) {
	u := mailtoURL("ann@example.com", "News for Ann", "Dear Ann,\n\nBoots & hats")
	if got := u.String(); got != "mailto:ann@example.com?body=Dear%20Ann%2C%0A%0ABoots%20%26%20hats&subject=News%20for%20Ann" {
		t.Errorf("mailto %s", got)
	}
}

func TestAppearanceChoiceIsSavedAndForcesTheVariant(t *testing.T) {
	f := newFixture(t)
	fa := f.app.fa
	fa.Settings().SetTheme(theme.DefaultTheme())
	card := f.app.appearanceCard()
	radio := card.Content.(*widget.RadioGroup)
	if radio.Selected != "Follow the system" {
		t.Errorf("default choice %q", radio.Selected)
	}
	chart := newBarChart(activitySeries(), false)
	chart.set([]chartRow{{"Jun", []int{3, 2, 1, 1}}})
	w := test.NewWindow(chart)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 300))
	legend := func() *canvas.Text { return test.WidgetRenderer(chart).(*barRenderer).names[0] }
	for _, tc := range []struct {
		label, saved string
		variant      fyne.ThemeVariant
	}{
		{"Dark", "dark", theme.VariantDark},
		{"Light", "light", theme.VariantLight},
	} {
		radio.SetSelected(tc.label)
		if got := fa.Preferences().String(themePref); got != tc.saved {
			t.Errorf("%s saved as %q", tc.label, got)
		}
		fv, ok := forcedOf(fa.Settings().Theme())
		if !ok || fv.variant != tc.variant {
			t.Fatalf("%s: theme %T %+v", tc.label, fa.Settings().Theme(), fv)
		}
		chart.Refresh()
		if want := theme.DefaultTheme().Color(theme.ColorNameForeground, tc.variant); legend().Color != want {
			t.Errorf("%s: chart text %v, want %v", tc.label, legend().Color, want)
		}
	}
	radio.SetSelected("Follow the system")
	if _, forced := forcedOf(fa.Settings().Theme()); forced || fa.Preferences().String(themePref) != "system" {
		t.Errorf("following the system: %T", fa.Settings().Theme())
	}
	t.Setenv("REGULARS_THEME", "Dark")
	if themeChoice(fa) != themeDark {
		t.Error("REGULARS_THEME is not read")
	}
	t.Setenv("REGULARS_THEME", "purple")
	if themeChoice(fa) != themeSystem {
		t.Error("an unknown REGULARS_THEME is not ignored")
	}
}

func TestHelpListsTheShortcutsAndAboutTheVersion(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	var texts []string
	walk(f.app.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	for _, want := range []string{"F1", "Ctrl+F", "Ctrl+N", "F2", "Ctrl+1", "Today", "Ctrl+7", "Settings", "Checkout"} {
		if !slices.Contains(texts, want) {
			t.Errorf("help lacks %q: %v", want, texts)
		}
	}
	if !strings.HasPrefix(aboutText(false), "Regulars development build") || !strings.Contains(aboutText(false), "schema") {
		t.Errorf("about: %q", aboutText(false))
	}
	// Ctrl+N works before the Customers page was ever opened.
	f.app.newCustomerKey(nil)
	if f.app.Current() != "customers" {
		t.Errorf("Ctrl+N went to %s", f.app.Current())
	}
}

// Reports says it is adding up the figures until they come, and only the
// latest report asked for is shown.
func TestReportsShowItIsAddingUpUntilTheFiguresCome(t *testing.T) {
	loop := newUILoop()
	a, _, _ := closingShop(t, loop.post)
	a.show("reports")
	r := a.screens["reports"].(*reportsScreen)
	if !r.working.Visible() || r.loaded {
		t.Fatalf("while the report is added up: sign shown %v, figures shown %v", r.working.Visible(), r.loaded)
	}
	r.reload() // asked again before the first came
	loop.until(t, "the report", func() bool { return r.loaded })
	if r.working.Visible() {
		t.Error("the sign of work stayed after the figures came")
	}
	if r.asked != 2 {
		t.Errorf("%d reports asked for, want 2", r.asked)
	}
}

// The figures that need only the sales and the points show first; the
// sign of work stays until the follow-up has come too.
func TestReportsShowTheFirstFiguresBeforeTheFollowUp(t *testing.T) {
	loop := newUILoop()
	a, _, _ := closingShop(t, loop.post)
	a.show("reports")
	r := a.screens["reports"].(*reportsScreen)
	loop.until(t, "the first figures", func() bool { return r.people.Text != "—" })
	if r.people.Text != "0 of 1" || len(r.months.rows) != 12 {
		t.Errorf("first figures: active %q, %d months", r.people.Text, len(r.months.rows))
	}
	if !r.working.Visible() || r.loaded || len(r.kinds.rows) != 0 {
		t.Fatalf("before the follow-up: sign shown %v, report loaded %v, follow-up rows %d", r.working.Visible(), r.loaded, len(r.kinds.rows))
	}
	loop.until(t, "the follow-up", func() bool { return r.loaded })
	if r.working.Visible() || len(r.kinds.rows) != len(rules.Kinds) {
		t.Errorf("with the follow-up: sign shown %v, follow-up rows %d", r.working.Visible(), len(r.kinds.rows))
	}
}
