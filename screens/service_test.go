package screens

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"regulars/rules"
)

func itoa(n int) string { return strconv.Itoa(n) }

// findButtonWithIcon finds the button showing icon under o.
func findButtonWithIcon(t *testing.T, o fyne.CanvasObject, icon fyne.Resource) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && found == nil && b.Icon != nil && b.Icon.Name() == icon.Name() {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button with the %s icon", icon.Name())
	}
	return found
}

// findButtonUnder finds the button whose text starts with text under o.
func findButtonUnder(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && found == nil && strings.HasPrefix(b.Text, text) {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button", text)
	}
	return found
}

// overlayEntries are the text entries of the dialog on top, in order.
func overlayEntries(t *testing.T, w fyne.Window) []*widget.Entry {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var out []*widget.Entry
	walk(top, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	})
	return out
}

// overlayText is every label and entry text of the dialog on top.
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	walk(top, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Entry:
			b.WriteString(x.Text + "\n")
		}
	})
	return b.String()
}

// advance moves the clock on and waits for the pop-up's timer to have
// looked and to be waiting again, so the test and the timer never touch the
// window at once; a pop-up it shows is dismissed.
func (f *fixture) advance(t *testing.T, d time.Duration) {
	t.Helper()
	waitFor(t, "the pop-up timer", func() bool { return f.clock.pending() == 1 })
	f.clock.Advance(d)
	waitFor(t, "the pop-up check", func() bool { return f.clock.pending() == 1 })
	f.dismissPopup()
}

func findReminder(rows []reminderRow, kind rules.Kind, customer rules.ID) (int, *rules.Reminder) {
	for i, r := range rows {
		if r.reminder != nil && r.reminder.Kind == kind && r.reminder.CustomerID == customer {
			return i, r.reminder
		}
	}
	return -1, nil
}

func TestPromiseFromTheCustomerPageIsDueOnCalendarAndToday(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.openCustomer(f.bob)
	page := f.app.screens["customers"].(*customersScreen).page
	test.Tap(findButtonUnder(t, page.obj, "Promise"))
	e := overlayEntries(t, f.app.win)
	test.Type(e[0], "order floor mats")
	e[1].SetText("2026-06-03")
	saveFormDialog(t, f.app.win)
	prs := must(f.store.Promises(context.Background(), f.bob))
	if len(prs) != 1 || prs[0].Staff != rules.OwnerName || prs[0].Due != mustDay("2026-06-03") {
		t.Fatalf("promises = %+v", prs)
	}

	f.app.show("calendar")
	c := f.app.screens["calendar"].(*calendarScreen)
	if got := kindsOf(c.Marked(mustDay("2026-06-03"))); !slices.Equal(got, []rules.Kind{rules.KindPromise}) {
		t.Errorf("3 June marks %v", got)
	}
	// Shown from the day before it is due: on Today already.
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	i, r := findReminder(td.due.rows, rules.KindPromise, f.bob)
	if r == nil {
		t.Fatalf("the promise is not on Today: %+v", td.loaded)
	}
	if tag, imp := td.due.rowTag(r); tag != "3 Jun 2026 · "+rules.OwnerName || imp == widget.DangerImportance {
		t.Errorf("a promise not yet due: tag %q importance %v", tag, imp)
	}

	// Two days late it is red, with the name of who answers for it.
	f.advance(t, 72*time.Hour)
	f.store.SetToday(mustDay("2026-06-05"))
	f.app.changed()
	_, r = findReminder(td.due.rows, rules.KindPromise, f.bob)
	if r == nil {
		t.Fatal("the overdue promise left Today")
	}
	if tag, imp := td.due.rowTag(r); tag != "2 days overdue · "+rules.OwnerName || imp != widget.DangerImportance {
		t.Errorf("overdue promise: tag %q importance %v", tag, imp)
	}
	i, _ = findReminder(td.due.rows, rules.KindPromise, f.bob)
	td.due.list.Select(i)
	if td.due.done.Text != "Kept (D)" || !strings.Contains(td.due.why.Text, rules.OwnerName+" answers for this promise") {
		t.Errorf("detail: button %q, why %q", td.due.done.Text, td.due.why.Text)
	}

	// Kept: the check-in call follows three days later.
	td.due.list.TypedRune('d')
	saveFormDialog(t, f.app.win)
	prs = must(f.store.Promises(context.Background(), f.bob))
	if prs[0].KeptOn != mustDay("2026-06-05") {
		t.Fatalf("promise kept on %s", prs[0].KeptOn)
	}
	f.app.show("calendar")
	if got := kindsOf(c.Marked(mustDay("2026-06-08"))); !slices.Contains(got, rules.KindCheckIn) {
		t.Errorf("8 June should hold the check-in after the kept promise: %v", got)
	}
}

func TestPromiseFromCheckoutForTheCustomerJustServed(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("checkout")
	c := f.app.screens["checkout"].(*checkoutScreen)
	if c.promise.Visible() {
		t.Error("no sale yet: nothing to promise")
	}
	test.Type(c.find, "0161")
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(c.amount, "30")
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !c.promise.Visible() || c.promise.Text != "Promise to Bob Roy… (F7)" {
		t.Fatalf("after the sale: %q visible %v", c.promise.Text, c.promise.Visible())
	}
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF7})
	e := overlayEntries(t, f.app.win)
	test.Type(e[0], "call when the part arrives")
	e[1].SetText("2026-06-09")
	saveFormDialog(t, f.app.win)
	prs := must(f.store.Promises(context.Background(), f.bob))
	if len(prs) != 1 || prs[0].What != "call when the part arrives" {
		t.Fatalf("promises = %+v", prs)
	}
}

func TestComplaintClockAndResolveScheduleTheFollowUp(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.openCustomer(f.ann)
	page := f.app.screens["customers"].(*customersScreen).page
	test.Tap(findButtonUnder(t, page.obj, "Complaint"))
	e := overlayEntries(t, f.app.win)
	test.Type(e[0], "zip broke on the coat")
	e[1].SetText("2026-06-01 16:00")
	saveFormDialog(t, f.app.win)
	ks := must(f.store.Complaints(context.Background(), f.ann))
	if len(ks) != 1 || ks[0].Severity != rules.SeverityMedium || !ks[0].ReceivedAt.Equal(time.Date(2026, 6, 1, 16, 0, 0, 0, time.Local)) {
		t.Fatalf("complaints = %+v", ks)
	}
	if page.timeline[0].complaint == nil || !strings.HasPrefix(page.timeline[0].text, "OPEN") {
		t.Errorf("the open complaint should head the customer's timeline: %+v", page.timeline[0])
	}

	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	if td.due.rows[0].heading != "Obligations (1)" || td.due.rows[1].reminder == nil || !td.due.rows[1].reminder.OpenComplaint {
		t.Errorf("open complaints come first: %q", td.due.rows[0].heading)
	}
	i, r := findReminder(td.due.rows, rules.KindComplaintFollowup, f.ann)
	if tag, imp := td.due.rowTag(r); tag != "due in 7 hours" || imp != widget.WarningImportance {
		t.Errorf("at 09:00 the day after 16:00: %q %v", tag, imp)
	}
	td.due.list.Select(i)
	if !td.due.resolve.Visible() {
		t.Fatal("an open complaint offers Resolve")
	}
	// Past the 24 hours it is overdue.
	f.advance(t, 9*time.Hour)
	if tag, imp := td.due.rowTag(r); tag != "overdue by 2 hours" || imp != widget.DangerImportance {
		t.Errorf("at 18:00: %q %v", tag, imp)
	}

	td.due.list.TypedRune('r')
	if !strings.Contains(overlayText(f.app.win), "zip broke on the coat") {
		t.Error("the resolve dialog should say which complaint")
	}
	test.Type(overlayEntries(t, f.app.win)[0], "new zip fitted free")
	saveFormDialog(t, f.app.win)
	ks = must(f.store.Complaints(context.Background(), f.ann))
	if ks[0].ResolvedOn != mustDay("2026-06-02") || ks[0].Resolution != "new zip fitted free" {
		t.Fatalf("complaint after resolving: %+v", ks[0])
	}
	if _, r := findReminder(td.due.rows, rules.KindComplaintFollowup, f.ann); r != nil {
		t.Error("the open follow-up should leave Today once resolved")
	}
	f.app.show("calendar")
	c := f.app.screens["calendar"].(*calendarScreen)
	for d := mustDay("2026-06-03"); d <= mustDay("2026-06-06"); d = d.AddDays(1) {
		has := slices.Contains(kindsOf(c.Marked(d)), rules.KindComplaintFollowup)
		if has != (d == mustDay("2026-06-05")) {
			t.Errorf("%s: complaint follow-up marked = %v; it belongs 3 days after resolving", d, has)
		}
	}
}

func TestComplaintClockWords(t *testing.T) {
	at := time.Date(2026, 6, 1, 16, 0, 0, 0, time.Local)
	cases := []struct {
		now  time.Time
		want string
		late bool
	}{
		{at, "due in 24 hours", false},
		{at.Add(19 * time.Hour), "due in 5 hours", false},
		{at.Add(18*time.Hour + 30*time.Minute), "due in 6 hours", false},
		{at.Add(23*time.Hour + 20*time.Minute), "due in 40 minutes", false},
		{at.Add(24 * time.Hour), "overdue by 1 minute", true}, // never "0": it is due now
		{at.Add(24*time.Hour + 40*time.Minute), "overdue by 40 minutes", true},
		{at.Add(3 * 24 * time.Hour), "overdue by 2 days", true},
		{at.Add(3*24*time.Hour + 3*time.Hour + 59*time.Minute), "overdue by 2 days", true}, // one unit, rounded down
		{at.Add(48*time.Hour + 30*time.Minute), "overdue by 24 hours", true},
		{at.Add(16*24*time.Hour + 23*time.Hour), "overdue by 16 days", true}, // due 2 June, now 18 June
		{at.Add(3*24*time.Hour + 9*time.Hour), "overdue by 3 days", true},    // due 2 June 16:00, now 5 June 01:00
	}
	for _, c := range cases {
		got, late := complaintClock(at, c.now)
		if got != c.want || late != c.late {
			t.Errorf("%v after: %q late %v, want %q %v", c.now.Sub(at), got, late, c.want, c.late)
		}
	}
}

func TestUnhappyCheckInOpensAComplaintInOneClick(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	td.due.selectFirst()
	td.due.list.TypedRune('d')
	top := f.app.win.Canvas().Overlays().Top()
	var outcome *widget.SelectEntry
	walk(top, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.SelectEntry); ok {
			outcome = s
		}
	})
	outcome.SetText("unhappy")
	e := overlayEntries(t, f.app.win)
	test.Type(e[len(e)-1], "the coat's lining tore")
	saveFormDialog(t, f.app.win)
	if !strings.Contains(overlayText(f.app.win), "the coat's lining tore") {
		t.Fatalf("the complaint offer should be filled in from the note: %q", overlayText(f.app.win))
	}
	saveFormDialog(t, f.app.win) // "Open a complaint"
	ks := must(f.store.Complaints(context.Background(), f.ann))
	if len(ks) != 1 || ks[0].What != "the coat's lining tore" {
		t.Fatalf("complaints = %+v", ks)
	}
}

// unlockSettings sets the owner PIN on the first visit, as a person would.
func unlockSettings(t *testing.T, a *App) *settingsScreen {
	t.Helper()
	a.show("settings")
	s := a.screens["settings"].(*settingsScreen)
	pins := overlayEntries(t, a.win)
	if len(pins) != 2 {
		t.Fatalf("the first visit asks for a new PIN twice, got %d entries", len(pins))
	}
	test.Type(pins[0], "123456")
	test.Type(pins[1], "123456")
	pins[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !s.unlocked {
		t.Fatal("settings did not open")
	}
	return s
}

func TestBrokenTemplateShowsErrorAndKeepsThePreviousOne(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	s := unlockSettings(t, f.app)
	ed := s.editor
	ed.pick.SetSelected(kindTitle(rules.KindThankYou))
	before := must(f.store.Templates(context.Background()))[rules.KindThankYou]
	if ed.text.Text != before || ed.preview.Text == "" || !strings.Contains(ed.preview.Text, "Ann") {
		t.Fatalf("editor shows %q, preview %q", ed.text.Text, ed.preview.Text)
	}

	ed.text.SetText("")
	test.Type(ed.text, "Thanks {{.FirstName}, from {{.ShopName}}")
	if !ed.problem.Visible() || !strings.Contains(ed.problem.Text, "cannot be used") || ed.preview.Text != "" {
		t.Errorf("a broken template: problem %q (visible %v), preview %q", ed.problem.Text, ed.problem.Visible(), ed.preview.Text)
	}
	test.Tap(findButtonUnder(t, ed.obj, "Save message"))
	if !strings.Contains(overlayText(f.app.win), "not saved, the one in use stays") {
		t.Errorf("saving should say it was refused: %q", overlayText(f.app.win))
	}
	if got := must(f.store.Templates(context.Background()))[rules.KindThankYou]; got != before {
		t.Errorf("the broken template replaced the old one: %q", got)
	}
	f.app.win.Canvas().Overlays().Top().Hide()

	ed.text.SetText("")
	test.Type(ed.text, "Thanks {{.FirstName}}, from {{.ShopName}}")
	if ed.problem.Visible() || ed.preview.Text != "Thanks Ann, from our shop" {
		t.Errorf("a good template: problem %q, preview %q", ed.problem.Text, ed.preview.Text)
	}
	test.Tap(findButtonUnder(t, ed.obj, "Save message"))
	if got := must(f.store.Templates(context.Background()))[rules.KindThankYou]; got != "Thanks {{.FirstName}}, from {{.ShopName}}" {
		t.Errorf("saved template = %q", got)
	}
	td := must(f.store.TodayList(context.Background(), mustDay("2026-06-02")))
	if td[0].Message != "Thanks Ann, from our shop" {
		t.Errorf("Today's message = %q", td[0].Message)
	}
}

func TestRulePreviewCountsWhatTodayWouldList(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ctx := context.Background()
	must(f.store.AddPromise(ctx, rules.Promise{CustomerID: f.bob, What: "order mats", Due: mustDay("2026-06-02"), Staff: "Sam"}))
	s := unlockSettings(t, f.app)
	if s.previewed != 2 || !strings.Contains(s.preview.Text, "would list 2 reminders") {
		t.Fatalf("preview %d: %q", s.previewed, s.preview.Text)
	}
	test.Tap(s.rules[rules.KindThankYou].on)
	if s.previewed != 1 || !strings.Contains(s.preview.Text, "would list 1 reminder on") {
		t.Errorf("thank-yous off: %d, %q", s.previewed, s.preview.Text)
	}
	s.rules[rules.KindPromise].fields["before"].SetText("x")
	if s.previewed != -1 || !strings.Contains(s.preview.Text, "Promise") {
		t.Errorf("a bad number: %d, %q", s.previewed, s.preview.Text)
	}
	s.rules[rules.KindPromise].fields["before"].SetText("1")
	if s.previewed != 1 {
		t.Errorf("fixed: %d", s.previewed)
	}
	// Only Save changes Today.
	if n := len(must(f.store.TodayList(ctx, mustDay("2026-06-02")))); n != 2 {
		t.Errorf("the preview changed Today: %d", n)
	}
	test.Tap(findButtonUnder(t, s.body, "Save rules"))
	if n := len(must(f.store.TodayList(ctx, mustDay("2026-06-02")))); n != 1 {
		t.Errorf("after saving, Today lists %d", n)
	}
}

func TestShopDetailsAndCurrencySign(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	t.Cleanup(func() { setCurrency("") })
	s := unlockSettings(t, f.app)
	s.shopName.SetText("Harbour Lane Outfitters")
	test.Type(s.address, "1 Harbour Lane")
	test.Type(s.currency, "£")
	test.Tap(findButtonUnder(t, s.body, "Save shop details"))
	got := must(f.store.Shop(context.Background()))
	if got != (rules.ShopDetails{Name: "Harbour Lane Outfitters", Address: "1 Harbour Lane", Currency: "£", Locale: "en-GB"}) {
		t.Fatalf("shop = %+v", got)
	}
	if money(1250) != "£12.50" || money(-300) != "-£3.00" {
		t.Errorf("money: %q %q", money(1250), money(-300))
	}
	f.app.openCustomer(f.ann)
	page := f.app.screens["customers"].(*customersScreen).page
	if !strings.Contains(page.sub.Text, "£80.00 spent") {
		t.Errorf("customer page: %q", page.sub.Text)
	}
	s.currency.SetText("12")
	test.Tap(findButtonUnder(t, s.body, "Save shop details"))
	if got := must(f.store.Shop(context.Background())); got.Currency != "£" {
		t.Errorf("a bad sign was saved: %q", got.Currency)
	}
}

func TestPopupFrequencySetting(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	s := unlockSettings(t, f.app)
	if s.popEvery.Selected != "every 15 minutes" {
		t.Errorf("default: %q", s.popEvery.Selected)
	}
	s.popEvery.SetSelected("every 5 minutes")
	if got := must(f.store.PopupEvery(context.Background())); got != 5*time.Minute {
		t.Errorf("stored: %v", got)
	}
	if got := f.app.popups.every(); got != 5*time.Minute {
		t.Errorf("the pop-up would look every %v", got)
	}
	late := time.Date(2026, 6, 2, 23, 58, 0, 0, time.Local)
	if got := untilNext(late, 5*time.Minute); got != 2*time.Minute {
		t.Errorf("midnight still wins: %v", got)
	}
}

func TestPrintMakesPDFs(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ctx := context.Background()
	rs := must(f.store.TodayList(ctx, mustDay("2026-06-02")))
	card := must(f.app.cardPDF(ctx, rs[0], "Thank you for choosing the coat — à bientôt"))
	if !bytes.HasPrefix(card, []byte("%PDF-")) {
		t.Errorf("card is not a PDF: %q", card[:min(20, len(card))])
	}
	sheet, n, err := f.app.callsPDF(ctx, mustDay("2026-06-02"))
	if err != nil || n != 1 || !bytes.HasPrefix(sheet, []byte("%PDF-")) {
		t.Errorf("call sheet: %d rows, %v", n, err)
	}
	// The Print key asks where to save.
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	td.due.selectFirst()
	td.due.list.TypedRune('p')
	if f.app.win.Canvas().Overlays().Top() == nil {
		t.Error("Print should ask where to save the card")
	}
	if got := fileName("Thank-you", "Zoë O'Neil", mustDay("2026-06-02")); got != "thank-you-zoë-o-neil-2026-06-02.pdf" {
		t.Errorf("file name %q", got)
	}
}

func TestOOpensTheCustomerWithTheKeyboardOnTheTimeline(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	f.app.show("today")
	td := f.app.screens["today"].(*todayScreen)
	td.due.selectFirst()
	td.due.list.TypedRune('o')
	cs := f.app.screens["customers"].(*customersScreen)
	if f.app.Current() != "customers" || cs.page.cust.ID != f.ann {
		t.Fatalf("on %q showing %q", f.app.Current(), cs.page.cust.Name)
	}
	if f.app.win.Canvas().Focused() != cs.page.tlList || cs.search.Text != "" {
		t.Errorf("focus %T, search %q", f.app.win.Canvas().Focused(), cs.search.Text)
	}
}
