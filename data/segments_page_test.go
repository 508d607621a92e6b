package data

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// segmentQueries are the filter combinations the equivalence tests try:
// every tag choice, band choice, birthday window, top and do-not-contact
// setting the screen offers, and a few more.
func segmentQueries(day Day, tags []string) []SegmentQuery {
	tagChoices := []string{""}
	if len(tags) > 0 {
		tagChoices = append(tagChoices, " "+strings.ToUpper(tags[0])+" ")
	}
	tagChoices = append(tagChoices, "no such tag")
	bandChoices := [][]Band{nil, {BandActive}, {BandLapsing, BandDrifting, BandLost}, {BandLost}, {BandNever, BandActive}}
	var out []SegmentQuery
	for _, tag := range tagChoices {
		for _, bands := range bandChoices {
			for _, bd := range []BirthdayWindow{"", BirthdaysThisWeek, BirthdaysThisMonth} {
				for _, top := range []int{0, 10} {
					for _, dnc := range []bool{false, true} {
						out = append(out, SegmentQuery{Day: day, Tag: tag, Bands: bands, Birthdays: bd, Top: top, IncludeDoNotContact: dnc})
					}
				}
			}
		}
	}
	return out
}

// segmentPagesSame compares SegmentPage's counts and pages with Segment
// for every query (or, with every > 1, every every-th from phase: the
// steps after the first take turns, to stay quick), and (fast) says the
// kept rows must answer them.
func segmentPagesSame(t *testing.T, step string, s *Store, day Day, fast bool, every, phase int) {
	t.Helper()
	ctx := context.Background()
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want, err := s.tagsFromFacts(ctx); err != nil || !reflect.DeepEqual(tags, want) {
		t.Errorf("%s: tags %q, want %q (%v)", step, tags, want, err)
	}
	if fast {
		tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		ok, err := s.segmentsUsable(ctx, tx, SegmentQuery{Day: day, Top: 1})
		tx.Rollback()
		if err != nil || !ok {
			t.Fatalf("%s: the kept segment rows are not in use (%v)", step, err)
		}
	}
	nonEmpty := 0
	for i, q := range segmentQueries(day, tags) {
		if i%every != phase%every {
			continue
		}
		want, err := s.Segment(ctx, q)
		if err != nil {
			t.Fatalf("%s, %+v: Segment: %v", step, q, err)
		}
		if len(want) > 0 {
			nonEmpty++
		}
		n := len(want)
		// The first page, and one other in turn: the middle, the end, all
		// but the first.
		others := [][2]int{{n / 3, 7}, {max(n-3, 0), 10}, {1, 1 << 20}}
		for _, pg := range [][2]int{{0, 50}, others[i%len(others)]} {
			got, err := s.SegmentPage(ctx, q, pg[0], pg[1])
			if err != nil {
				t.Fatalf("%s, %+v: SegmentPage: %v", step, q, err)
			}
			if got.SegmentCounts != countsOf(want) {
				t.Errorf("%s, %+v: counts %+v, want %+v", step, q, got.SegmentCounts, countsOf(want))
			}
			var page []Customer
			if pg[0] < n {
				page = want[pg[0]:min(n, pg[0]+pg[1])]
			}
			if len(page) == 0 && len(got.Rows) == 0 {
				continue
			}
			if !reflect.DeepEqual(page, got.Rows) {
				t.Errorf("%s, %+v, page %v:\n got %s\nwant %s", step, q, pg, segNames(got.Rows), segNames(page))
			}
		}
	}
	if nonEmpty < 30/every {
		t.Fatalf("%s: only %d queries pick anyone: the comparison proves little", step, nonEmpty)
	}
	problems, err := s.checkSegments(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("%s: check of the kept segment rows: %v %v", step, problems, err)
	}
}

func segNames(cs []Customer) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%d:%s ", c.ID, c.Name)
	}
	return b.String()
}

// SegmentPage gives what Segment gives, a page at a time, on a demo shop
// after every kind of write that moves a customer in or out of a group.
func TestSegmentPageMatchesSegmentAfterEveryWrite(t *testing.T) {
	ctx := context.Background()
	end := NewDay(2026, time.June, 15)
	now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 150, Seed: 7, End: end}); err != nil {
		t.Fatal(err)
	}
	// Names that sort differently by case, tags in mixed case, twice.
	if _, err := s.w.Exec(`UPDATE customers SET name = 'zed ' || name, tags = tags || ';Vip;VIP' WHERE id % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	segmentPagesSame(t, "demo", s, end, true, 4, 0)
	// Days before some sales: the customers who made them are worked out
	// from their facts; with too many of them, everyone is.
	var late int
	if err := s.w.QueryRow("SELECT count(*) FROM segment_customers WHERE late > ?", int64(end.AddDays(-40))).Scan(&late); err != nil || late < 10 {
		t.Fatalf("%d customers with purchases in the last 40 days (%v): the test needs some", late, err)
	}
	segmentPagesSame(t, "an earlier day", s, end.AddDays(-40), true, 4, 1)
	segmentPagesSame(t, "a year before", s, end.AddDays(-365), true, 6, 2)
	segLateMost = 5
	t.Cleanup(func() { segLateMost = 1000 })
	segmentPagesSame(t, "an earlier day, too many late", s, end.AddDays(-40), false, 9, 1)
	segLateMost = 1000

	customer := func(id ID) Customer {
		c, err := s.Customer(ctx, id)
		must(err)
		return c
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"customers added", func() {
			_, err := s.AddCustomer(ctx, Customer{Name: "Aaron New", Email: "a@example.com", Tags: []string{"Vip"},
				Birthday: YearlyDate{Month: 6, Day: 16}, Consents: []Consent{{Channel: ChannelEmail}}})
			must(err)
			_, err = s.AddCustomer(ctx, Customer{Name: "leap Day", Phone: "07700 900123", Birthday: YearlyDate{Month: 2, Day: 29},
				Consents: []Consent{{Channel: ChannelSMS}}, DoNotContact: true})
			must(err)
		}},
		{"customers edited: name, tags, birthday, do not contact, address", func() {
			c := customer(3)
			c.Name, c.Tags, c.Birthday, c.DoNotContact, c.Address = "Abe Renamed", []string{"walker", "VIP"}, YearlyDate{Month: 6, Day: 20}, !c.DoNotContact, "2 Low Rd"
			must(s.UpdateCustomer(ctx, c))
			c = customer(4)
			c.Tags, c.Birthday, c.Address = nil, YearlyDate{}, ""
			must(s.UpdateCustomer(ctx, c))
		}},
		{"consents given and withdrawn", func() {
			c := customer(5)
			c.Consents = nil
			must(s.UpdateCustomer(ctx, c))
			c = customer(6)
			c.Email, c.Phone, c.Address = "six@example.com", "07700 900006", "6 Mill Lane"
			c.Consents = []Consent{{Channel: ChannelEmail}, {Channel: ChannelSMS}, {Channel: ChannelPost}}
			must(s.UpdateCustomer(ctx, c))
		}},
		{"a sale", func() {
			_, err := s.RecordSale(ctx, Sale{CustomerID: 8, Amount: 99000, Description: "coat", Staff: "Maggie"})
			must(err)
		}},
		{"a refund", func() {
			ps, err := s.Purchases(ctx, 8)
			must(err)
			for _, p := range ps {
				if p.RefundOf == 0 && !p.Voided && p.Amount > 0 {
					_, err := s.Refund(ctx, p.ID, p.Amount, "Maggie", "did not fit")
					must(err)
					break
				}
			}
		}},
		{"a void", func() {
			ps, err := s.Purchases(ctx, 9)
			must(err)
			for _, p := range ps {
				if p.RefundOf == 0 && !p.Voided && p.Amount > 0 {
					must(s.VoidPurchase(ctx, p.ID, "Maggie", "wrong till"))
					break
				}
			}
		}},
		{"a purchase moved", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 11, Amount: 6000, Staff: "Maggie"})
			must(err)
			_, err = s.MovePurchase(ctx, p.Purchase.ID, 12, "Maggie")
			must(err)
		}},
		{"customers merged", func() {
			must(s.MergeCustomers(ctx, 20, 21, "Owner"))
			must(s.MergeCustomers(ctx, 22, 23, "Owner"))
		}},
		{"a customer forgotten", func() {
			must(s.ForgetCustomer(ctx, 30, "Owner"))
		}},
		{"customers imported", func() {
			csv := "name,email,phone,tags,birthday\nImported One,one@example.com,,Vip;new,1990-06-17\nimported two,,07700 900222,New,--06-01\n"
			_, err := s.ImportCustomersCSV(ctx, strings.NewReader(csv), ImportOptions{SkipBad: true})
			must(err)
		}},
		{"purchases imported", func() {
			csv := "customer,date,amount\n40,2026-06-01,120.00\n"
			_, err := s.ImportPurchasesCSV(ctx, strings.NewReader(csv), ImportOptions{SkipBad: true})
			must(err)
		}},
		{"a refund dated after the day asked about", func() {
			// The customer's latest sale stays in its band; their
			// spending as of the day does not count the refund.
			_, err := s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of, description)
				SELECT customer_id, '2026-06-20 10:00:00', '2026-06-20', -amount_cents, id, 'late refund' FROM purchases
				WHERE customer_id IN (SELECT customer_id FROM segment_customers WHERE dnc = 0 AND spent > 0 ORDER BY spent DESC LIMIT 3)
				AND amount_cents > 0 AND voided = 0 AND refund_of IS NULL AND day < '2026-03-01'
				AND id NOT IN (SELECT refund_of FROM purchases WHERE refund_of IS NOT NULL) GROUP BY customer_id`)
			must(err)
			must(s.CatchUp(ctx))
		}},
		{"raw writes", func() {
			_, err := s.w.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, description) VALUES (50, '2026-06-14 10:00:00', '2026-06-14', 7000, 'raw')`)
			must(err)
			// Consents alone, the customer's row untouched.
			_, err = s.w.Exec(`DELETE FROM consents WHERE customer_id IN (SELECT customer_id FROM consents WHERE channel = 'email' LIMIT 3)`)
			must(err)
			_, err = s.w.Exec(`INSERT OR IGNORE INTO consents(customer_id, channel, given_on, source)
				SELECT id, 'post', '2026-06-01', 'raw' FROM customers WHERE address <> '' AND forgotten = 0 LIMIT 3`)
			must(err)
			_, err = s.w.Exec(`UPDATE consents SET customer_id = 61 WHERE customer_id = 60 AND channel = 'sms'`)
			must(err)
			must(s.CatchUp(ctx))
		}},
	}
	for i, st := range steps {
		st.do()
		segmentPagesSame(t, st.name, s, end, true, 12, 5*i)
	}
	segmentPagesSame(t, "every write", s, end, true, 4, 2)
	customersBatch = 7
	t.Cleanup(func() { customersBatch = 500 })
	segmentPagesSame(t, "read in small batches", s, end, true, 18, 0)
}

// Check compares the kept segment rows and counts with the facts.
func TestCheckComparesTheKeptSegmentRows(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 120, Seed: 5, End: demoEnd})
	ctx := context.Background()
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var kept int
	if err := s.reader().QueryRow("SELECT count(*) FROM segment_customers").Scan(&kept); err != nil || kept < 100 {
		t.Fatalf("%d segment rows kept (%v): the test needs them", kept, err)
	}
	problems, err := s.Check(ctx)
	if err != nil || len(problems) != 0 {
		t.Fatalf("a sound shop: %v, %v", problems, err)
	}
	// One row's email flipped, one row lost, one count changed by hand.
	var flipped, lost ID
	if err := s.w.QueryRow("SELECT min(customer_id), max(customer_id) FROM segment_customers").Scan(&flipped, &lost); err != nil {
		t.Fatal(err)
	}
	var respelt ID
	if err := s.w.QueryRow("SELECT min(customer_id) FROM segment_tags WHERE customer_id > ?", flipped).Scan(&respelt); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		fmt.Sprintf("UPDATE segment_customers SET email = 1 - email WHERE customer_id = %d", flipped),
		fmt.Sprintf("DELETE FROM segment_customers WHERE customer_id = %d", lost),
		"UPDATE segment_counts SET post = post + 1 WHERE dim = 'all' AND dnc = 0",
		fmt.Sprintf("UPDATE segment_tags SET spelling = 'x' || spelling WHERE customer_id = %d", respelt),
	} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	problems, err = s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, p := range problems {
		text = append(text, p.What)
	}
	want := []string{
		"1 counts the Segments screen keeps do not match its rows",
		fmt.Sprintf("customer %d: the row the Segments screen keeps does not match the facts", flipped),
		fmt.Sprintf("customer %d: the tags the Segments screen keeps do not match the facts", respelt),
		fmt.Sprintf("customer %d: the row the Segments screen keeps does not match the facts", lost),
	}
	if !reflect.DeepEqual(text, want) {
		t.Errorf("check gave %q, want %q", text, want)
	}
}
