package data

import (
	"context"
	"errors"
	"reflect"
	"regulars/rules"
	"testing"
	"time"
)

// TestTodayFromTheSummaryEqualsTodayFromTheFacts lists Today on many days of
// demo shops read both ways: the busy customers from their facts and the
// others from their summary rows, and everyone from the facts alone.
func TestTodayFromTheSummaryEqualsTodayFromTheFacts(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	for _, loyalty := range []rules.Loyalty{rules.DefaultLoyalty(), {CentsPerPoint: 100, RewardPoints: 60, RewardValue: 500, ExpiryMonths: 6}} {
		s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
			Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.SetLoyalty(ctx, loyalty); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 150, Seed: 11, End: end}); err != nil {
			t.Fatal(err)
		}
		// A merge moves states; a forgotten customer is never reminded.
		rs, err := s.TodayList(ctx, end)
		if err != nil || len(rs) < 3 {
			t.Fatalf("Today: %d reminders, %v", len(rs), err)
		}
		if err := s.SkipReminder(ctx, rs[0].Key, "moved", "Owner"); err != nil {
			t.Fatal(err)
		}
		if err := s.MergeCustomers(ctx, 40, rs[0].CustomerID, "Owner"); err != nil {
			t.Fatal(err)
		}
		if err := s.ForgetCustomer(ctx, 41, "Owner"); err != nil {
			t.Fatal(err)
		}
		facts := dvSlowTwin(t, s)

		for _, d := range []rules.Day{rules.NewDay(2025, 12, 24), rules.NewDay(2026, 3, 1), rules.NewDay(2026, 5, 20), end.AddDays(-3), end,
			end.AddDays(1), end.AddDays(30), rules.NewDay(2026, 12, 31), rules.NewDay(2027, 6, 15)} {
			sumsAsTheFacts(t, s, d)
			got, err := s.TodayList(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			want, err := facts.TodayList(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("scheme %+v, Today on %s: %d reminders from the summary, %d from the facts\n%s\nwant\n%s",
					loyalty, d, len(got), len(want), dvBrief(got), dvBrief(want))
			}
		}
	}
}

// TestTodayOnAnEarlierDayTakesTheSummaryBack lists Today on days before
// later facts of customers whose summary row must be taken back to the
// day: a reward reached before a drop that is not a redeem, one redeemed
// after the day, one redeemed before it, a latest sale long before the day,
// and a contact after it. Read from the summary rows and from the facts
// alone, the lists are equal.
func TestTodayOnAnEarlierDayTakesTheSummaryBack(t *testing.T) {
	ctx := context.Background()
	start := rules.NewDay(2026, time.January, 5)
	day := start
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{
		Clock: func() time.Time { return day.Time().Add(11 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetLoyalty(ctx, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500}); err != nil {
		t.Fatal(err)
	}
	on := func(n int, what string, f func() error) {
		t.Helper()
		day = start.AddDays(n)
		if err := f(); err != nil {
			t.Fatalf("day %d, %s: %v", n, what, err)
		}
	}
	customer := func(name string) rules.ID {
		t.Helper()
		id, err := s.AddCustomer(ctx, rules.Customer{Name: name, Phone: "+44 7700 900" + name[:3]})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	sale := func(id rules.ID, pounds int64, redeem int64) func() error {
		return func() error {
			_, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: rules.Cents(pounds * 100), RedeemPoints: redeem, Staff: "Owner"})
			return err
		}
	}
	ann, bea, cal, dan, eve := customer("100 Ann"), customer("200 Bea"), customer("300 Cal"), customer("400 Dan"), customer("500 Eve")
	on(0, "sales", func() error {
		for _, id := range []rules.ID{ann, bea, dan, eve} {
			if err := sale(id, 120, 0)(); err != nil {
				return err
			}
		}
		return sale(cal, 250, 0)()
	})
	on(5, "a drop that is not a redeem", func() error { _, err := s.AdjustPoints(ctx, ann, -5, "typo", "Owner"); return err })
	on(6, "redeems before the day", func() error { return errors.Join(sale(bea, 10, 100)(), sale(cal, 10, 100)()) })
	on(8, "back at a reward", sale(bea, 110, 0))
	on(10, "a contact before the day", func() error {
		_, err := s.LogContact(ctx, rules.Contact{CustomerID: eve, Channel: rules.ChannelPhone, Staff: "Owner"})
		return err
	})
	on(30, "redeems after the day", func() error {
		return errors.Join(sale(ann, 10, 100)(), sale(bea, 10, 100)(), sale(cal, 10, 100)())
	})
	on(31, "a contact after the day", func() error {
		_, err := s.LogContact(ctx, rules.Contact{CustomerID: eve, Channel: rules.ChannelPhone, Staff: "Owner"})
		return err
	})
	on(200, "later sales", func() error {
		for _, id := range []rules.ID{ann, bea, dan} {
			if err := sale(id, 20, 0)(); err != nil {
				return err
			}
		}
		return nil
	})
	for _, d := range []rules.Day{start.AddDays(20), start.AddDays(150)} {
		sumsAsTheFacts(t, s, d)
	}
	facts := dvSlowTwin(t, s)
	dvSame(t, "taken back", s, facts, start.AddDays(20), start.AddDays(150), start.AddDays(199))
	rs, err := s.TodayList(ctx, start.AddDays(20))
	if err != nil {
		t.Fatal(err)
	}
	ready := map[rules.ID]bool{}
	for _, r := range rs {
		if r.Kind == rules.KindRewardReady {
			ready[r.CustomerID] = true
		}
	}
	// Cal's reward was redeemed on day 6 and his balance has stayed at a
	// reward since: no new one.
	if want := map[rules.ID]bool{ann: true, bea: true, dan: true, eve: true}; !reflect.DeepEqual(ready, want) {
		t.Errorf("rewards ready on day 20: %v, want %v", ready, want)
	}
}

// sumsAsTheFacts fails unless the summary rows Today reads on d, taken back
// to d where a customer has later facts, are those the customer's facts
// up to d give, for every customer not busy.
func sumsAsTheFacts(t *testing.T, s *Store, d rules.Day) {
	t.Helper()
	pf, set := dvPartial(t, s, d)
	fs, err := s.readFacts(context.Background(), s.reader(), set, d, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := range fs.customers {
		f := &fs.customers[i]
		got := pf.sumOf(f.Customer.ID)
		if got == nil || pf.busy[f.Customer.ID] {
			continue
		}
		sale := lastPurchase(f.Purchases, d)
		want := CustomerSummary{CustomerID: f.Customer.ID, Balance: balanceAsOf(f.Ledger, d),
			LastSaleID: sale.ID, LastSaleDay: sale.Day, LastSaleCents: sale.Amount, LastFactDay: got.LastFactDay}
		if need := set.engine.loyalty.RewardPoints; need > 0 {
			want.RewardReadyOn, _ = readySince(ledgerAsOf(f.Ledger, d), need)
		}
		for _, c := range f.ContactDays {
			want.LastContactDay = max(want.LastContactDay, c)
		}
		if *got != want {
			t.Errorf("on %s, customer %d's summary row:\n%+v, from the facts\n%+v", d, f.Customer.ID, *got, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatalf("on %s no customer was checked", d)
	}
}
