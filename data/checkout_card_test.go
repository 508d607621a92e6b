package data

import (
	"context"
	"errors"
	"fmt"
	"regulars/rules"
	"testing"
)

func TestCheckoutCardSaysWhatTheTillShouldKnow(t *testing.T) {
	s := newTestStore(t, "2026-05-20")
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ann, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Notes: "pays by card",
		Birthday: rules.YearlyDate{Year: 1985, Month: 6, Day: 5}})
	must(nil, err)
	bob, err := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Birthday: rules.YearlyDate{Year: 0, Month: 7, Day: 1}})
	must(nil, err)
	// Ann: 250 points from two sales, the second on 1 June.
	must(s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 150_00}))
	s.SetToday(mustParseDay("2026-06-01"))
	must(s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 100_00}))
	// One complaint still open, one put right.
	must(s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "zip broke on the coat", Received: mustParseDay("2026-05-30")}))
	fixed, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "late delivery", Received: mustParseDay("2026-05-21")})
	must(nil, err)
	must(nil, s.ResolveComplaint(ctx, fixed, "refunded the postage", "Sam"))
	// Promises: one late, one due tomorrow, one next week, one kept.
	for _, p := range []rules.Promise{
		{What: "order floor mats", Due: mustParseDay("2026-05-31")},
		{What: "call when the part arrives", Due: mustParseDay("2026-06-03")},
		{What: "fit bumper", Due: mustParseDay("2026-06-09")},
	} {
		p.CustomerID = ann
		must(s.AddPromise(ctx, p))
	}
	kept, err := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "clean seats", Due: mustParseDay("2026-06-02")})
	must(nil, err)
	must(nil, s.KeepPromise(ctx, kept, "Sam"))
	// A complaint made after the card's day does not show yet.
	s.SetToday(mustParseDay("2026-06-05"))
	must(s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "wrong size", Received: mustParseDay("2026-06-05")}))

	card, err := s.CheckoutCard(ctx, ann, mustParseDay("2026-06-02"))
	if err != nil {
		t.Fatal(err)
	}
	var complaints, promises []string
	for _, k := range card.OpenComplaints {
		complaints = append(complaints, k.What)
	}
	for _, p := range card.Promises {
		promises = append(promises, p.What+" "+p.Due.String())
	}
	got := fmt.Sprintf("%s %d rewards=%d last=%s birthday=%s note=%q complaints=%q promises=%q",
		card.Customer.Name, card.Balance, card.RewardsHeld(), card.LastVisit, card.Birthday, card.Customer.Notes, complaints, promises)
	want := `Ann Lee 250 rewards=2 last=2026-06-01 birthday=2026-06-05 note="pays by card" ` +
		`complaints=["zip broke on the coat"] promises=["order floor mats 2026-05-31" "call when the part arrives 2026-06-03"]`
	if got != want {
		t.Errorf("card\n got %s\nwant %s", got, want)
	}
	if card.Scheme != rules.DefaultLoyalty() {
		t.Errorf("scheme %+v", card.Scheme)
	}

	card, err = s.CheckoutCard(ctx, bob, mustParseDay("2026-06-02"))
	if err != nil {
		t.Fatal(err)
	}
	if card.Balance != 0 || card.RewardsHeld() != 0 || !card.LastVisit.IsZero() || !card.Birthday.IsZero() ||
		len(card.OpenComplaints)+len(card.Promises) != 0 {
		t.Errorf("a customer with nothing to say has a card %+v", card)
	}
	if _, err := s.CheckoutCard(ctx, 999, mustParseDay("2026-06-02")); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such customer: %v", err)
	}
}

func TestCheckoutCardSaysWhichPointsExpireFirst(t *testing.T) {
	s := newTestStore(t, "2025-03-01")
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	l := rules.DefaultLoyalty()
	l.ExpiryMonths = 12
	must(nil, s.SetLoyalty(ctx, l))
	ann, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123"})
	must(nil, err)
	sale := func(day string, amount rules.Cents, redeem int64) SaleResult {
		t.Helper()
		s.SetToday(mustParseDay(day))
		r, err := s.RecordSale(ctx, Sale{CustomerID: ann, Amount: amount, RedeemPoints: redeem})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	type want struct {
		balance, expiring int64
		on                string
		due               bool
	}
	check := func(name, day string, w want) {
		t.Helper()
		card, err := s.CheckoutCard(ctx, ann, mustParseDay(day))
		if err != nil {
			t.Fatal(err)
		}
		got := want{card.Balance, card.ExpiringPoints, "", card.ExpiryDue}
		if !card.ExpiresOn.IsZero() {
			got.on = card.ExpiresOn.String()
		}
		if got != w {
			t.Errorf("%s (%s): got %+v, want %+v", name, day, got, w)
		}
	}

	sale("2025-03-10", 80_00, 0) // 80 points, expire 2026-03-10
	sale("2025-09-15", 50_00, 0) // 50 and 20 points, expire 2026-09-15
	sale("2025-09-15", 20_00, 0)
	check("the oldest points go first", "2026-02-07", want{150, 80, "2026-03-10", false})
	check("mentioned from the reminder's 30 days before", "2026-02-08", want{150, 80, "2026-03-10", true})
	check("points past their day count as gone before any sale writes it", "2026-03-10", want{70, 70, "2026-09-15", false})

	// A reward spends the oldest points: 80 from March's, 20 from September's;
	// the 5.00 paid earns 5 points, expiring 2027-03-01.
	sale("2026-03-01", 10_00, 100)
	check("after a reward, what is left of the next lots", "2026-03-01", want{55, 50, "2026-09-15", false})
	check("lots expiring the same day add up", "2026-08-16", want{55, 50, "2026-09-15", true})
	check("then the next lot", "2026-09-15", want{5, 5, "2027-03-01", false})
	if r := sale("2026-09-15", 1_00, 0); r.Balance != 6 {
		t.Errorf("the sale found a balance of %d, the card said 5 (+1 earned)", r.Balance)
	}

	ruleSet := rules.DefaultRules()
	ruleSet[rules.KindPointsExpiring] = rules.Rule{On: false, AfterDays: 30}
	must(nil, s.SetRules(ctx, ruleSet))
	check("the rule off: said on the card, not mentioned", "2027-02-20", want{6, 5, "2027-03-01", false})

	l.ExpiryMonths = 0
	must(nil, s.SetLoyalty(ctx, l))
	check("points that never expire", "2027-02-20", want{6, 0, "", false})
}
