package data

import (
	"context"
	"fmt"
	"reflect"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
	"time"
)

// segmentQueries are the filter combinations the equivalence tests try:
// every tag choice, band choice, birthday window, top and do-not-contact
// setting the screen offers, and a few more.
func segmentQueries(day rules.Day, tags []string) []SegmentQuery {
	tagChoices := []string{""}
	if len(tags) > 0 {
		tagChoices = append(tagChoices, " "+strings.ToUpper(tags[0])+" ")
	}
	tagChoices = append(tagChoices, "no such tag")
	bandChoices := [][]rules.Band{nil, {rules.BandActive}, {rules.BandLapsing, rules.BandDrifting, rules.BandLost}, {rules.BandLost}, {rules.BandNever, rules.BandActive}}
	var out []SegmentQuery
	for _, tag := range tagChoices {
		for _, bands := range bandChoices {
			for _, bd := range []rules.BirthdayWindow{"", rules.BirthdaysThisWeek, rules.BirthdaysThisMonth} {
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

// refTags is Tags as the reference reads it: every customer's tags, the
// first spelling of each (by customer id) kept.
func (s *Store) refTags(ctx context.Context) ([]string, error) {
	all, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE forgotten = 0 ORDER BY id")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range all {
		for _, t := range c.Tags {
			if !seen[strings.ToLower(t)] {
				seen[strings.ToLower(t)] = true
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}

// segmentPagesSame compares Segment and SegmentPage's counts and pages
// with the reference for every query (or, with every > 1, every every-th
// from phase: the steps after the first take turns, to stay quick).
func segmentPagesSame(t *testing.T, step string, s *Store, day rules.Day, every, phase int) {
	t.Helper()
	ctx := context.Background()
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want, err := s.refTags(ctx); err != nil || !reflect.DeepEqual(tags, want) {
		t.Errorf("%s: tags %q, want %q (%v)", step, tags, want, err)
	}
	nonEmpty := 0
	for i, q := range segmentQueries(day, tags) {
		if i%every != phase%every {
			continue
		}
		want, err := s.refSegment(ctx, q)
		if err != nil {
			t.Fatalf("%s, %+v: reference: %v", step, q, err)
		}
		if got, err := s.Segment(ctx, q); err != nil || len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("%s, %+v: Segment (%v):\n got %s\nwant %s", step, q, err, segNames(got), segNames(want))
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
			var page []rules.Customer
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
}

// countsOf counts a whole group as the reference has it.
func countsOf(cs []rules.Customer) SegmentCounts {
	var n SegmentCounts
	for _, c := range cs {
		n.Customers++
		n.Email += boolInt(c.Reachable(rules.ChannelEmail))
		n.SMS += boolInt(c.Reachable(rules.ChannelSMS))
		n.Post += boolInt(c.Reachable(rules.ChannelPost))
	}
	return n
}

func segNames(cs []rules.Customer) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%d:%s ", c.ID, c.Name)
	}
	return b.String()
}

// Segment and SegmentPage give what the reference gives, on a demo shop,
// as of its last day and earlier days, after every kind of write that
// moves a customer in or out of a group.
func TestSegmentsMatchTheReferenceAfterEveryWrite(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
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
	if _, err := s.w.Exec(`UPDATE customers SET name = 'zed ' || name, name_fold = 'zed ' || name_fold, tags = tags || ';Vip;VIP' WHERE id % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	segmentPagesSame(t, "demo", s, end, 4, 0)
	segmentPagesSame(t, "an earlier day", s, end.AddDays(-40), 4, 1)
	segmentPagesSame(t, "a year before", s, end.AddDays(-365), 6, 2)

	customer := func(id rules.ID) rules.Customer {
		c, err := s.Customer(ctx, id)
		must(err)
		return c
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"customers added", func() {
			_, err := s.AddCustomer(ctx, rules.Customer{Name: "Aaron New", Email: "a@example.com", Tags: []string{"Vip"},
				Birthday: rules.YearlyDate{Month: 6, Day: 16}, Consents: []rules.Consent{{Channel: rules.ChannelEmail}}})
			must(err)
			_, err = s.AddCustomer(ctx, rules.Customer{Name: "leap Day", Phone: "07700 900123", Birthday: rules.YearlyDate{Month: 2, Day: 29},
				Consents: []rules.Consent{{Channel: rules.ChannelSMS}}, DoNotContact: true})
			must(err)
		}},
		{"customers edited: name, tags, birthday, do not contact, address", func() {
			c := customer(3)
			c.Name, c.Tags, c.Birthday, c.DoNotContact, c.Address = "Abe Renamed", []string{"walker", "VIP"}, rules.YearlyDate{Month: 6, Day: 20}, !c.DoNotContact, "2 Low Rd"
			must(s.UpdateCustomer(ctx, c))
			c = customer(4)
			c.Tags, c.Birthday, c.Address = nil, rules.YearlyDate{}, ""
			must(s.UpdateCustomer(ctx, c))
		}},
		{"consents given and withdrawn", func() {
			c := customer(5)
			c.Consents = nil
			must(s.UpdateCustomer(ctx, c))
			c = customer(6)
			c.Email, c.Phone, c.Address = "six@example.com", "07700 900006", "6 Mill Lane"
			c.Consents = []rules.Consent{{Channel: rules.ChannelEmail}, {Channel: rules.ChannelSMS}, {Channel: rules.ChannelPost}}
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
				WHERE customer_id IN (SELECT customer_id FROM purchases WHERE voided = 0 AND customer_id IS NOT NULL
					GROUP BY customer_id ORDER BY sum(amount_cents - discount_cents) DESC LIMIT 3)
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
		segmentPagesSame(t, st.name, s, end, 12, 5*i)
	}
	segmentPagesSame(t, "every write", s, end, 4, 2)
	segmentPagesSame(t, "every write, an earlier day", s, end.AddDays(-3), 4, 3)
	customersBatch = 7
	t.Cleanup(func() { customersBatch = 500 })
	segmentPagesSame(t, "read in small batches", s, end, 18, 0)
}
