package data

import (
	"context"
	"reflect"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

// summaryReference works every customer's summary row out in Go from the
// facts as the rules read them: the plain reference the stored rows (and
// the SQL that makes them) are held to.
func summaryReference(t *testing.T, s *Store) map[rules.ID]CustomerSummary {
	t.Helper()
	ctx := context.Background()
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.readFacts(ctx, s.reader(), set, lastDay, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	need := set.engine.loyalty.RewardPoints
	out := map[rules.ID]CustomerSummary{}
	for i := range fs.customers {
		f := fs.customers[i].sorted()
		sum := CustomerSummary{CustomerID: f.Customer.ID, LastFactDay: f.lastFactDay()}
		var crossed, redeemed rules.Day
		for _, r := range f.Ledger {
			before := sum.Balance
			sum.Balance += r.Points
			if before < need && sum.Balance >= need {
				crossed = r.Day
			}
			if r.Redeem && r.Points < 0 {
				redeemed = r.Day
			}
		}
		if need > 0 && sum.Balance >= need && !crossed.IsZero() && redeemed <= crossed {
			sum.RewardReadyOn = crossed
		}
		if p := lastPurchase(f.Purchases, lastDay); p.ID != 0 {
			sum.LastSaleID, sum.LastSaleDay, sum.LastSaleCents = p.ID, p.Day, p.Amount
		}
		for _, d := range f.ContactDays {
			sum.LastContactDay = max(sum.LastContactDay, d)
		}
		out[f.Customer.ID] = sum
	}
	return out
}

// sameSummaries compares the stored rows of the customers the rules read
// (forgotten ones aside) with the reference, and asks check too.
func sameSummaries(t *testing.T, step string, s *Store) {
	t.Helper()
	ctx := context.Background()
	want := summaryReference(t, s)
	rows, err := summaries(ctx, s.reader(), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[rules.ID]CustomerSummary{}
	for _, r := range rows {
		got[r.CustomerID] = r
	}
	for id, w := range want {
		if g := got[id]; !reflect.DeepEqual(g, w) {
			t.Errorf("after %s, customer %d's summary is\n%+v\nwant\n%+v", step, id, g, w)
		}
	}
	var n int
	if err := s.reader().QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Errorf("after %s there are %d summary rows for %d customers", step, len(got), n)
	}
	found, err := summaryFindings(ctx, s.reader())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("after %s, check: %s", step, f.what)
	}
}

func TestTheSummaryRowFollowsEveryWrite(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 60, Seed: 5, End: end}); err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, "the demo", s)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"a sale", func() {
			_, err := s.RecordSale(ctx, Sale{CustomerID: 5, Amount: 12000, Description: "coat", Staff: "Maggie"})
			must(err)
		}},
		{"a sale with a reward", func() {
			ps, err := s.HoldersFrom(ctx, 100)
			must(err)
			if len(ps) == 0 {
				t.Fatal("no one holds a reward")
			}
			_, err = s.RecordSale(ctx, Sale{CustomerID: ps[0].Customer.ID, Amount: 9000, RedeemPoints: 100, Staff: "Maggie"})
			must(err)
		}},
		{"a walk-in sale", func() {
			_, err := s.RecordSale(ctx, Sale{Amount: 4000, Staff: "Maggie"})
			must(err)
		}},
		{"a refund", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 7, Amount: 5000, Staff: "Maggie"})
			must(err)
			_, err = s.Refund(ctx, p.Purchase.ID, 5000, "Maggie", "did not fit")
			must(err)
		}},
		{"a void of the latest sale", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 9, Amount: 3000, Staff: "Maggie"})
			must(err)
			must(s.VoidPurchase(ctx, p.Purchase.ID, "Maggie", "wrong till"))
		}},
		{"a move", func() {
			p, err := s.RecordSale(ctx, Sale{CustomerID: 11, Amount: 16000, Staff: "Maggie"})
			must(err)
			_, err = s.MovePurchase(ctx, p.Purchase.ID, 12, "Maggie")
			must(err)
		}},
		{"a contact", func() {
			_, err := s.LogContact(ctx, rules.Contact{CustomerID: 13, Channel: rules.ChannelPhone, Staff: "Priya"})
			must(err)
		}},
		{"complaints", func() {
			id, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: 14, What: "button came off", Received: end.AddDays(-3)})
			must(err)
			s.SetToday(end.AddDays(2))
			must(s.ResolveComplaint(ctx, id, "sewn back", "Priya"))
			s.SetToday(end)
		}},
		{"promises", func() {
			id, err := s.AddPromise(ctx, rules.Promise{CustomerID: 16, What: "order the blue one", Due: end.AddDays(4)})
			must(err)
			s.SetToday(end.AddDays(3))
			must(s.KeepPromise(ctx, id, "Priya"))
			s.SetToday(end)
			rs, err := s.CustomerReminders(ctx, 16, end.AddDays(3))
			must(err)
			for _, r := range rs {
				if r.Kind == rules.KindPromise && r.State == rules.StateDone {
					must(s.ReopenReminder(ctx, r.Key, "Priya"))
				}
			}
		}},
		{"points", func() {
			_, err := s.AdjustPoints(ctx, 23, 150, "goodwill", "Owner")
			must(err)
		}},
		{"a new customer", func() {
			_, err := s.AddCustomer(ctx, rules.Customer{Name: "Newcomer Nina"})
			must(err)
		}},
		{"a merge", func() {
			must(s.MergeCustomers(ctx, 2, 3, "Owner"))
		}},
		{"an import", func() {
			_, err := s.ImportCustomersCSV(ctx, strings.NewReader("name,phone,points\nIvy Import,+44 7000 111222,140\n"), ImportOptions{})
			must(err)
			_, err = s.ImportPurchasesCSV(ctx, strings.NewReader("customer,date,amount,description\n"+
				"+44 7000 111222,2026-06-02,80.00,old till coat\n"), ImportOptions{})
			must(err)
		}},
		{"a scheme with a smaller reward", func() {
			l := rules.DefaultLoyalty()
			l.RewardPoints = 40
			l.ExpiryMonths = 12
			must(s.SetLoyalty(ctx, l))
		}},
		{"expiry", func() {
			_, err := s.ApplyExpiry(ctx, end)
			must(err)
		}},
		{"forgetting a customer", func() {
			must(s.ForgetCustomer(ctx, 30, "Owner"))
		}},
	}
	for _, st := range steps {
		st.do()
		sameSummaries(t, st.name, s)
	}
}

func TestCheckFindsASummaryRowThatDiffersFromTheFacts(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-01-01")
	a, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddCustomer(ctx, rules.Customer{Name: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: a, Amount: 2500}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("a sound shop: %v %v", p, err)
	}
	if _, err := s.w.Exec("UPDATE customer_summary SET balance = balance + 1 WHERE customer_id = ?", a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("DELETE FROM customer_summary WHERE customer_id = ?", b); err != nil {
		t.Fatal(err)
	}
	p, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range p {
		got = append(got, x.What)
	}
	if len(got) != 2 || !strings.Contains(got[0], "customer 1: the summary row") || !strings.Contains(got[1], "customer 2 has no summary row") {
		t.Errorf("check found %q", got)
	}
	// Any change to the customer works the row out again.
	if _, err := s.RecordSale(ctx, Sale{CustomerID: a, Amount: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogContact(ctx, rules.Contact{CustomerID: b, Channel: rules.ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("after the next changes check finds %v %v", p, err)
	}
}

func TestASaleFailsWhenItsSummaryRowCannotBeWorkedOut(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-01-01")
	a, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("ALTER TABLE customer_summary RENAME TO summary_gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: a, Amount: 2500}); err == nil {
		t.Fatal("the sale was taken without its summary row")
	}
	var n int
	if err := s.reader().QueryRow("SELECT count(*) FROM purchases").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d purchases stayed (%v)", n, err)
	}
}
