package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// cpSeparate is what the customer page read before CustomerPage: one call
// for each thing it shows.
func cpSeparate(ctx context.Context, s *Store, id ID, d Day) (CustomerPage, error) {
	var p CustomerPage
	var err error
	if p.Customer, err = s.Customer(ctx, id); err != nil {
		return p, err
	}
	if p.Purchases, err = s.Purchases(ctx, id); err != nil {
		return p, err
	}
	if p.Contacts, err = s.Contacts(ctx, id); err != nil {
		return p, err
	}
	if p.Complaints, err = s.Complaints(ctx, id); err != nil {
		return p, err
	}
	if p.Promises, err = s.Promises(ctx, id); err != nil {
		return p, err
	}
	if p.Occasions, err = s.Occasions(ctx, id); err != nil {
		return p, err
	}
	if p.Reminders, err = s.CustomerReminders(ctx, id, d); err != nil {
		return p, err
	}
	if p.Ledger, err = s.Ledger(ctx, id); err != nil {
		return p, err
	}
	p.Balance, err = s.Balance(ctx, id)
	return p, err
}

// cpSame fails when CustomerPage and the separate calls disagree about
// customer id on day d, and returns the page.
func cpSame(t *testing.T, s *Store, id ID, d Day) CustomerPage {
	t.Helper()
	ctx := context.Background()
	got, errGot := s.CustomerPage(ctx, id, d)
	want, errWant := cpSeparate(ctx, s, id, d)
	if errGot != nil || errWant != nil {
		if errGot == nil || errWant == nil || errGot.Error() != errWant.Error() {
			t.Fatalf("customer %d on %s: CustomerPage error %v, separate calls %v", id, d, errGot, errWant)
		}
		return got
	}
	if !reflect.DeepEqual(got, want) {
		v, w := reflect.ValueOf(got), reflect.ValueOf(want)
		for i := range v.NumField() {
			if !reflect.DeepEqual(v.Field(i).Interface(), w.Field(i).Interface()) {
				name := v.Type().Field(i).Name
				if name == "Reminders" {
					t.Fatalf("customer %d on %s: Reminders differ:\npage     %s\nseparate %s", id, d, dvBrief(got.Reminders), dvBrief(want.Reminders))
				}
				t.Fatalf("customer %d on %s: %s differ:\npage     %+v\nseparate %+v", id, d, name, v.Field(i).Interface(), w.Field(i).Interface())
			}
		}
	}
	return got
}

// cpFind is the first reminder of customer id on d of kind k.
func cpFind(t *testing.T, s *Store, id ID, d Day, k Kind) Reminder {
	t.Helper()
	rs, err := s.CustomerReminders(context.Background(), id, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Kind == k && r.State == StateOpen {
			return r
		}
	}
	t.Fatalf("customer %d has no open %s reminder on %s", id, k, d)
	return Reminder{}
}

func TestCustomerPageMatchesTheSeparateCalls(t *testing.T) {
	ctx := context.Background()
	end := NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 60, Seed: 3, End: end}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetTemplate(ctx, KindThankYou, "Thank you for the {{.LastPurchase}}, {{.FirstName}}!"))
	must(s.SetTemplate(ctx, KindCheckIn, `{{with .LastPurchase}}{{.}}{{end}}: {{.FirstName | printf "%q"}}`)) // not plain

	// Reminders handled, then the facts moved on: a promise kept, a
	// complaint resolved, a thank-you whose sale was moved to someone else
	// and one whose sale was voided, a stay-in-touch call made.
	promiseID, err := s.AddPromise(ctx, Promise{CustomerID: 4, What: "order the green scarf", Due: end.AddDays(-1), MadeOn: end.AddDays(-5)})
	must(err)
	r := cpFind(t, s, 4, end, KindPromise)
	_, err = s.CompleteReminder(ctx, r.Key, Contact{Channel: ChannelPhone, Staff: "Priya", Outcome: "ordered"})
	must(err)
	must(s.KeepPromise(ctx, promiseID, "Priya"))
	promiseKey := r.Key

	complaintID, err := s.AddComplaint(ctx, Complaint{CustomerID: 6, What: "zip broke", Received: end.AddDays(-4)})
	must(err)
	r = cpFind(t, s, 6, end, KindComplaintFollowup)
	_, err = s.CompleteReminder(ctx, r.Key, Contact{Channel: ChannelPhone, Staff: "Priya"})
	must(err)
	must(s.ResolveComplaint(ctx, complaintID, "new zip", "Priya"))

	// New customers: no earlier sale holds their thank-yous back.
	s.SetToday(end.AddDays(-10))
	mover, err := s.AddCustomer(ctx, Customer{Name: "Mo Mover"})
	must(err)
	voider, err := s.AddCustomer(ctx, Customer{Name: "Vi Voider"})
	must(err)
	moved, err := s.RecordSale(ctx, Sale{CustomerID: mover, Amount: 8900, Description: "tartan scarf", Staff: "Maggie"})
	must(err)
	voided, err := s.RecordSale(ctx, Sale{CustomerID: voider, Amount: 4100, Description: "gloves", Staff: "Maggie"})
	must(err)
	s.SetToday(end)
	thanks := func(id ID, p ID) string {
		rs, err := s.CustomerReminders(ctx, id, end)
		must(err)
		for _, r := range rs {
			if r.Kind == KindThankYou && r.Subject == fmt.Sprintf("purchase:%d", p) {
				_, err = s.CompleteReminder(ctx, r.Key, Contact{Channel: ChannelEmail, Staff: "Maggie"})
				must(err)
				return r.Key
			}
		}
		t.Fatalf("no thank-you for purchase %d", p)
		return ""
	}
	movedKey := thanks(mover, moved.Purchase.ID)
	_, err = s.MovePurchase(ctx, moved.Purchase.ID, 10, "Maggie")
	must(err)
	voidedKey := thanks(voider, voided.Purchase.ID)
	must(s.VoidPurchase(ctx, voided.Purchase.ID, "Maggie", "wrong customer"))

	today, err := s.TodayList(ctx, end)
	must(err)
	touched := false
	for _, r := range today {
		if r.Kind == KindStayInTouch {
			_, err = s.CompleteReminder(ctx, r.Key, Contact{Channel: ChannelPhone, Staff: "Priya"})
			must(err)
			touched = true
			break
		}
	}
	if !touched {
		t.Fatal("no stay-in-touch reminder on Today")
	}

	// Reminders done, skipped and snoozed; then a customer holding some is
	// merged into another, and one is forgotten.
	today, err = s.TodayList(ctx, end)
	must(err)
	if len(today) < 8 {
		t.Fatalf("only %d reminders on Today", len(today))
	}
	_, err = s.CompleteReminder(ctx, today[0].Key, Contact{Channel: ChannelPhone, Staff: "Priya"})
	must(err)
	must(s.SkipReminder(ctx, today[1].Key, "away", "Priya"))
	must(s.SnoozeReminder(ctx, today[2].Key, end.AddDays(3), "Priya"))
	drop := today[3].CustomerID
	must(s.SkipReminder(ctx, today[3].Key, "merged", "Owner"))
	for _, r := range today[4:] {
		if r.CustomerID == drop {
			must(s.SnoozeReminder(ctx, r.Key, end.AddDays(2), "Owner"))
			break
		}
	}
	keep := ID(2)
	if drop == keep {
		keep = 3
	}
	must(s.MergeCustomers(ctx, keep, drop, "Owner"))
	forgot := ID(12)
	if forgot == drop || forgot == keep {
		forgot = 13
	}
	must(s.ForgetCustomer(ctx, forgot, "Owner"))

	// Facts dated after today, and one customer asks not to be contacted.
	s.SetToday(end.AddDays(5))
	_, err = s.RecordSale(ctx, Sale{CustomerID: 14, Amount: 15000, Description: "wool coat", Staff: "Maggie"})
	must(err)
	_, err = s.LogContact(ctx, Contact{CustomerID: 15, Channel: ChannelEmail, Staff: "Priya"})
	must(err)
	_, err = s.AdjustPoints(ctx, 14, 40, "goodwill", "Owner")
	must(err)
	s.SetToday(end)
	c, err := s.Customer(ctx, 16)
	must(err)
	c.DoNotContact = true
	must(s.UpdateCustomer(ctx, c))

	// Rows written out of order: the lists' order is not the order they
	// were written in.
	for _, q := range []string{
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 15:00:00', '2026-06-13', 2500, 'late')`,
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 09:00:00', '2026-06-13', 1500, 'early')`,
		`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (5, '2026-06-13 09:00:00', '2026-06-13', 1700, 'same time')`,
		`INSERT INTO contacts(customer_id, at, day, channel) VALUES (5, '2026-06-13 16:00:00', '2026-06-13', 'phone')`,
		`INSERT INTO contacts(customer_id, at, day, channel) VALUES (5, '2026-06-12 08:00:00', '2026-06-13', 'email')`,
	} {
		_, err := s.w.Exec(q)
		must(err)
	}
	must(s.CatchUp(ctx))

	var maxID ID
	must(s.reader().QueryRow("SELECT max(id) FROM customers").Scan(&maxID))
	days := []Day{NewDay(2025, 11, 2), end.AddDays(-30), end.AddDays(-1), end, end.AddDays(1), end.AddDays(5),
		end.AddDays(30), NewDay(2026, 12, 30), NewDay(2027, 7, 1)}
	states := map[State]int{}
	for id := ID(1); id <= maxID+1; id++ {
		for _, d := range days {
			p := cpSame(t, s, id, d)
			for _, r := range p.Reminders {
				states[r.State]++
			}
		}
	}
	for _, st := range []State{StateOpen, StateDone, StateSkipped, StateSnoozed, StateMissed} {
		if states[st] == 0 {
			t.Errorf("no page showed a %s reminder", st)
		}
	}

	// The tests above looked at what they meant to.
	has := func(id ID, key string, text string) {
		t.Helper()
		p, err := s.CustomerPage(ctx, id, end)
		must(err)
		for _, r := range p.Reminders {
			if r.Key == key && r.State == StateDone && strings.Contains(r.Why+r.Message, text) {
				return
			}
		}
		t.Errorf("customer %d: no done %s mentioning %q:\n%s", id, key, text, dvBrief(p.Reminders))
	}
	has(4, promiseKey, "green scarf")
	has(mover, movedKey, "tartan scarf")
	has(voider, voidedKey, "gloves")
	if p, err := s.CustomerPage(ctx, forgot, end); err != nil || !p.Customer.Forgotten || p.Reminders == nil || len(p.Reminders) != 0 || len(p.Purchases) == 0 {
		t.Errorf("forgotten customer %d: %v, %d reminders, %d purchases", forgot, err, len(p.Reminders), len(p.Purchases))
	}
	if p, err := s.CustomerPage(ctx, keep, end); err != nil || !slices.ContainsFunc(p.Reminders, func(r Reminder) bool {
		return r.State == StateSkipped && r.Reason == "merged"
	}) {
		t.Errorf("merged customer %d: %v, no reminder skipped before the merge:\n%s", keep, err, dvBrief(p.Reminders))
	}
	if _, err := s.CustomerPage(ctx, maxID+1, end); !errors.Is(err, ErrNotFound) {
		t.Errorf("a customer that is not there: %v", err)
	}
}

// The page's own readers of days and instants give what scanDay and
// parseInstant give, for any text.
func TestCustomerPageTextReaders(t *testing.T) {
	for _, s := range []string{"", "2026-06-15", "2026-02-29", "2028-02-29", "2026-13-01", "2026-6-15", " 2026-06-15",
		"2026-06-15 ", "0000-01-01", "9999-12-31", "abcd-ef-gh", "2026-06-15 10:00:00"} {
		if got, want := dayOf(s), scanDay(sql.NullString{String: s, Valid: true}); got != want {
			t.Errorf("dayOf(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"", "2026-06-15 10:00:00", "2026-06-15 23:59:59", "2026-06-15 24:00:00", "2026-06-15 10:60:00",
		"2026-06-15 10:00:60", "2026-02-30 10:00:00", "2026-06-15T10:00:00", "2026-06-15 10:00:00.5", "0000-01-01 00:00:00",
		"0001-01-01 00:00:00", "2026-06-15 1:00:00", "2026-06-15 -1:00:00", "2026-03-29 01:30:00", "2026-10-25 01:30:00"} {
		if got, want := instantOf(s), parseInstant(s); !reflect.DeepEqual(got, want) {
			t.Errorf("instantOf(%q) = %v, want %v", s, got, want)
		}
	}
}

// Plain messages are filled exactly as text/template fills them, and any
// other template is left to it.
func TestCustomerPagePlainMessages(t *testing.T) {
	long := strings.Repeat("x", maxMessageLen-40)
	fields := []MessageFields{
		SampleFields(),
		{},
		{FirstName: "  Ann ", Name: "Ann O'Neil <ann>", ShopName: "Shop & Co", LastPurchase: "{{.Name}}", Amount: "-3.50",
			Points: -12, ExpiringPoints: 1 << 40, Days: -3, Years: 99, Due: "1 June", Complaint: long},
		{Occasion: long, Promise: long},
		{Years: 1, Days: 0, Points: 1, ExpiringPoints: 1099511627776},
		{Years: 2, Days: 10, Points: 0},
		{Years: -1, Days: -1, Points: -1},
	}
	texts := []string{
		"Hello {{.FirstName}}!",
		"  {{- .Name -}}  and {{ .ShopName }} ",
		"{{.Points}} {{.ExpiringPoints}} {{.Days}} {{.Years}} {{.Amount}} {{.RewardValue}} {{.Due}} {{.ExpiresOn}}",
		"{{.Occasion}}{{.Promise}}{{.Complaint}}{{.LastPurchase}}",
		"no fields at all",
		"",
		"   ",
		"{{.Nope}}",
		"{{.}}",
		"{{.Name | printf \"%q\"}}",
		"{{printf \"%d\" .Points}}",
		"{{$x := .Name}}{{$x}}",
		"{{$x := .Name}}hi {{.FirstName}}",
		"{{if gt .Years 1}}{{.Years}} years{{else}}a year{{end}}",
		"{{if lt .Days 0}}soon{{else if eq .Days 0}}today{{else if ge .Days 10}}{{.Days}} days{{else}}a few days{{end}}!",
		"{{if ne .Points -12}}{{.Points}}{{end}}{{if le .ExpiringPoints 1099511627776}}le{{end}}{{if gt .Years +98}}old{{end}}",
		"{{if gt .Years 1 -}}  {{.Name}}  {{- end}} {{if eq .Years 99}}{{if lt .Points 0}}{{.Complaint}}{{.Complaint}}{{.Complaint}}{{end}}{{end}}",
		"{{if gt .Years 1.5}}x{{end}}",
		"{{if gt .Years 1e3}}x{{end}}",
		"{{if gt .Years 'a'}}x{{end}}",
		"{{if gt .Years 0x10}}x{{end}}",
		"{{if gt .Name 1}}x{{end}}",
		"{{if gt 1 .Years}}x{{end}}",
		"{{if eq .Years 1 99}}x{{end}}",
		"{{if .Years}}x{{end}}",
		"{{if gt .Years 1}}{{.Nope}}{{end}}",
		"{{if gt .Missing 1}}x{{end}}",
		"{{with .Promise}}{{.}}{{end}}",
		"{{/* a note */}}Hi {{.FirstName}}",
		"{{.Name.Length}}",
		strings.Repeat("{{.Complaint}}", 3),
	}
	for k := range Kinds {
		texts = append(texts, DefaultTemplate(Kinds[k]))
	}
	plainSeen := 0
	for _, text := range texts {
		tpl := templatesFrom(map[Kind]string{KindThankYou: text})
		if tpl.t[KindThankYou] != nil && plainMessageOf(tpl.t[KindThankYou]) != nil {
			plainSeen++
		}
		render := tpl.render
		for i, f := range fields {
			if got, want := render(KindThankYou, f), tpl.execute(KindThankYou, f); got != want {
				t.Errorf("template %q, fields %d:\ngot  %q\nwant %q", text, i, got, want)
			}
		}
	}
	if plainSeen < 14 {
		t.Errorf("only %d templates were filled as plain messages", plainSeen)
	}
	// Every field is known, as fmt prints it.
	f := fields[2]
	v := reflect.ValueOf(f)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		got, ok := f.text(name)
		if want := fmt.Sprint(v.Field(i).Interface()); !ok || got != want {
			t.Errorf("field %s: %q (%v), want %q", name, got, ok, want)
		}
	}
}

// Random templates of text and fields, random values: a plain message is
// what text/template writes.
func TestCustomerPagePlainMessagesProperty(t *testing.T) {
	names := []string{"FirstName", "Name", "ShopName", "LastPurchase", "Amount", "Points", "RewardValue", "Due",
		"Occasion", "Promise", "Complaint", "ExpiringPoints", "ExpiresOn", "Days", "Years", "Missing"}
	rapid.Check(t, func(rt *rapid.T) {
		var b strings.Builder
		for range rapid.IntRange(0, 8).Draw(rt, "parts") {
			switch rapid.IntRange(0, 4).Draw(rt, "part") {
			case 0:
				b.WriteString(rapid.StringMatching(`[ a-zA-Z,.!\n\t<&'"]{0,12}`).Draw(rt, "text"))
			case 1:
				fmt.Fprintf(&b, "{{.%s}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 2:
				fmt.Fprintf(&b, "{{- .%s -}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 3:
				fmt.Fprintf(&b, "{{ .%s}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 4:
				fmt.Fprintf(&b, "{{if %s .%s %d}}%s{{else}}{{.%s}}{{end}}", rapid.SampledFrom([]string{"eq", "ne", "lt", "le", "gt", "ge"}).Draw(rt, "op"),
					rapid.SampledFrom([]string{"Points", "ExpiringPoints", "Days", "Years", "Name"}).Draw(rt, "number"),
					rapid.IntRange(-2, 2).Draw(rt, "n"), rapid.StringMatching(`[a-z ]{0,5}`).Draw(rt, "then"),
					rapid.SampledFrom(names).Draw(rt, "otherwise"))
			}
		}
		text := b.String()
		str := func(label string) string {
			return rapid.StringMatching(`[ a-zA-Z0-9{}.\-]{0,10}`).Draw(rt, label)
		}
		num := func(label string) int64 {
			if rapid.IntRange(0, 3).Draw(rt, label+" small") > 0 {
				return int64(rapid.IntRange(-2, 2).Draw(rt, label))
			}
			return rapid.Int64().Draw(rt, label)
		}
		f := MessageFields{FirstName: str("first"), Name: str("name"), ShopName: str("shop"), LastPurchase: str("last"),
			Amount: str("amount"), Points: num("points"), RewardValue: str("reward"), Due: str("due"),
			Occasion: str("occasion"), Promise: str("promise"), Complaint: str("complaint"),
			ExpiringPoints: num("expiring"), ExpiresOn: str("expires"), Days: int(num("days")), Years: int(num("years"))}
		tpl := templatesFrom(map[Kind]string{KindCheckIn: text})
		if got, want := tpl.render(KindCheckIn, f), tpl.execute(KindCheckIn, f); got != want {
			rt.Fatalf("template %q:\ngot  %q\nwant %q", text, got, want)
		}
	})
}

// Pages read while sales are written each come from one moment: a sale's
// purchase and its points are both on the page or neither is. Many pages
// at once, more than there are reader connections, all finish.
func TestCustomerPageOneSnapshot(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	day := NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	id, err := s.AddCustomer(ctx, Customer{Name: "Sam Snapshot"})
	if err != nil {
		t.Fatal(err)
	}
	const sales, readers = 40, 8
	done := make(chan error, 1)
	go func() {
		for i := range sales {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: Cents(1000 + i), Staff: "Maggie"}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	errs := make(chan error, readers)
	for range readers {
		go func() {
			for {
				p, err := s.CustomerPage(ctx, id, day)
				if err != nil {
					errs <- err
					return
				}
				earned := map[ID]bool{}
				for _, l := range p.Ledger {
					if l.Kind == LedgerEarn {
						earned[l.PurchaseID] = true
					}
				}
				if len(earned) != len(p.Purchases) {
					errs <- fmt.Errorf("a page shows %d purchases and points for %d", len(p.Purchases), len(earned))
					return
				}
				for _, x := range p.Purchases {
					if !earned[x.ID] {
						errs <- fmt.Errorf("a page shows purchase %d without its points", x.ID)
						return
					}
				}
				if len(p.Purchases) == sales {
					errs <- nil
					return
				}
			}
		}()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range readers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
