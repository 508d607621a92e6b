package data

import (
	"context"
	"reflect"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

func TestAdjustPoints(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")

	row, err := s.AdjustPoints(ctx, ann, 120, " goodwill for a late order ", " Sam ")
	if err != nil {
		t.Fatal(err)
	}
	if row.ID == 0 || row.Kind != rules.LedgerAdjustment || row.Points != 120 || row.Reason != "goodwill for a late order" ||
		row.Staff != "Sam" || row.Day != lyToday || row.CustomerID != ann {
		t.Errorf("row = %+v", row)
	}
	var action, subject, before, after string
	if err := s.w.QueryRow("SELECT action, subject, before, after FROM audit ORDER BY id DESC LIMIT 1").Scan(&action, &subject, &before, &after); err != nil {
		t.Fatal(err)
	}
	if action != "adjust points" || !strings.Contains(subject, "customer 1") || before != "0" || after != "120" {
		t.Errorf("audit row %q %q %q %q", action, subject, before, after)
	}
	if _, err := s.AdjustPoints(ctx, ann, -120, "typo", "Sam"); err != nil {
		t.Errorf("taking the balance to exactly zero: %v", err)
	}

	cases := []struct {
		name    string
		cust    rules.ID
		points  int64
		reason  string
		staff   string
		wantMsg string
	}{
		{"below zero", ann, -1, "typo", "Sam", "below zero"},
		{"no points", ann, 0, "typo", "Sam", "add or remove"},
		{"no reason", ann, 10, "  ", "Sam", "needs a reason"},
		{"no staff", ann, 10, "typo", "", "staff member"},
		{"absurdly many", ann, 2_000_000_000, "typo", "Sam", "too large"},
		{"unknown customer", 42, 10, "typo", "Sam", "there is no customer 42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := lyCounts(t, s)
			_, err := s.AdjustPoints(ctx, tc.cust, tc.points, tc.reason, tc.staff)
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
		})
	}
	lyCheckClean(t, s)
}

func TestAdjustmentCannotMakeALaterBalanceNegative(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	lyAdjust(t, s, ann, 100)
	s.SetToday(lyToday.AddDays(5))
	lyAdjust(t, s, ann, -80)
	// Back on a day between: the balance reads 100 there, but only 20 may go
	// without the later balance dropping below zero.
	s.SetToday(lyToday.AddDays(2))
	if b := lyBalance(t, s, ann); b != 100 {
		t.Fatalf("balance on the earlier day %d, want 100", b)
	}
	if _, err := s.AdjustPoints(ctx, ann, -21, "typo", "Sam"); err == nil || !strings.Contains(err.Error(), "it is 20") {
		t.Errorf("error %v", err)
	}
	if _, err := s.AdjustPoints(ctx, ann, -20, "typo", "Sam"); err != nil {
		t.Error(err)
	}
	lyCheckClean(t, s)
}

func TestBalanceLedgerAndBalancesUpToToday(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	lyCustomer(t, s, "Cy Oh")
	lySale(t, s, ann, 1000, 0)
	s.SetToday(lyToday.AddDays(1))
	lySale(t, s, ann, 2000, 0)
	lySale(t, s, bob, 500, 0)

	if b := lyBalance(t, s, ann); b != 30 {
		t.Errorf("balance %d, want 30", b)
	}
	all, _ := s.Balances(ctx)
	if !reflect.DeepEqual(all, map[rules.ID]int64{1: 30, 2: 5, 3: 0}) {
		t.Errorf("balances %v", all)
	}
	s.SetToday(lyToday)
	if b := lyBalance(t, s, ann); b != 10 {
		t.Errorf("balance on the first day %d, want 10", b)
	}
	rows, _ := s.Ledger(ctx, ann)
	if len(rows) != 1 || rows[0].Points != 10 {
		t.Errorf("ledger on the first day %+v", rows)
	}
	all, _ = s.Balances(ctx)
	if !reflect.DeepEqual(all, map[rules.ID]int64{1: 10, 2: 0, 3: 0}) {
		t.Errorf("balances on the first day %v", all)
	}
	every, _ := s.AllLedger(ctx)
	if len(every) != 1 {
		t.Errorf("all ledger on the first day %+v", every)
	}
	s.SetToday(lyToday.AddDays(1))
	every, _ = s.AllLedger(ctx)
	if len(every) != 3 || every[0].CustomerID != ann || every[2].CustomerID != bob {
		t.Errorf("all ledger %+v", every)
	}
}

func TestApplyExpiry(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2023, time.January, 31))
	lySetLoyalty(t, s, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 12})
	ann := lyCustomer(t, s, "Ann Lee")
	lySale(t, s, ann, 10000, 0) // lot of 100, expires 2024-01-31
	s.SetToday(lyDay(2023, time.June, 1))
	lySale(t, s, ann, 5000, 0) // lot of 50, expires 2024-06-01
	s.SetToday(lyDay(2023, time.September, 1))
	lySale(t, s, ann, 1000, 100) // spends the oldest lot; earns 5

	steps := []struct {
		asOf        rules.Day
		wantExpired int64
		wantBalance int64
	}{
		{lyDay(2024, time.January, 31), 0, 55}, // the oldest lot was spent
		{lyDay(2024, time.May, 31), 0, 55},
		{lyDay(2024, time.June, 1), 50, 5},
		{lyDay(2024, time.June, 1), 0, 5}, // again: nothing more
		{lyDay(2024, time.September, 1), 5, 0},
	}
	for _, st := range steps {
		s.SetToday(st.asOf)
		n, err := s.ApplyExpiry(ctx, st.asOf)
		if err != nil {
			t.Fatal(err)
		}
		if n != st.wantExpired || lyBalance(t, s, ann) != st.wantBalance {
			t.Errorf("on %s expired %d balance %d, want %d and %d", st.asOf, n, lyBalance(t, s, ann), st.wantExpired, st.wantBalance)
		}
	}
	rows, _ := s.Ledger(ctx, ann)
	var got []string
	for _, r := range rows {
		if r.Kind == rules.LedgerExpiry {
			got = append(got, r.Day.String()+" "+itoa(r.Points)+" "+r.Reason+" by "+r.Staff)
		}
	}
	want := []string{
		"2024-06-01 -50 expired points earned on 2023-06-01 by system",
		"2024-09-01 -5 expired points earned on 2023-09-01 by system",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expiry rows\n got %q\nwant %q", got, want)
	}
	lyCheckClean(t, s)
}

func TestApplyExpiryClampsToTheMonthsEnd(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2023, time.January, 31))
	lySetLoyalty(t, s, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 1})
	ann := lyCustomer(t, s, "Ann Lee")
	lySale(t, s, ann, 700, 0)
	if n, err := s.ApplyExpiry(ctx, lyDay(2023, time.February, 27)); err != nil || n != 0 {
		t.Errorf("expired %d on 27 Feb (%v)", n, err)
	}
	s.SetToday(lyDay(2023, time.March, 10))
	if n, _ := s.ApplyExpiry(ctx, lyDay(2023, time.March, 10)); n != 7 {
		t.Errorf("expired %d, want 7", n)
	}
	rows, _ := s.Ledger(ctx, ann)
	if last := rows[len(rows)-1]; last.Day != lyDay(2023, time.February, 28) {
		t.Errorf("expiry dated %s, want 2023-02-28", last.Day)
	}
}

func TestApplyExpiryOffWritesNothing(t *testing.T) {
	s := lyOpen(t, lyDay(2020, time.January, 1))
	ann := lyCustomer(t, s, "Ann Lee")
	lySale(t, s, ann, 700, 0)
	if n, err := s.ApplyExpiry(context.Background(), lyDay(2030, time.January, 1)); n != 0 || err != nil {
		t.Errorf("expired %d, %v", n, err)
	}
}

// Turning expiry on late must not expire points that were already spent
// after they would have expired.
func TestApplyExpiryNeverMakesALaterBalanceNegative(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2023, time.January, 10))
	ann := lyCustomer(t, s, "Ann Lee")
	lySale(t, s, ann, 10000, 0)
	s.SetToday(lyDay(2024, time.March, 1))
	lySale(t, s, ann, 1000, 100) // balance 5
	lySetLoyalty(t, s, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 12})
	if n, err := s.ApplyExpiry(ctx, lyDay(2024, time.March, 1)); n != 0 || err != nil {
		t.Errorf("expired %d, %v", n, err)
	}
	lyCheckClean(t, s)
}

func TestApplyExpiryAllCustomers(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2023, time.January, 10))
	lySetLoyalty(t, s, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 6})
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	lySale(t, s, ann, 1000, 0)
	lySale(t, s, bob, 2000, 0)
	s.SetToday(lyDay(2023, time.July, 10))
	if n, err := s.ApplyExpiry(ctx, s.Today()); n != 30 || err != nil {
		t.Errorf("expired %d, %v", n, err)
	}
	if lyBalance(t, s, ann) != 0 || lyBalance(t, s, bob) != 0 {
		t.Error("points left")
	}
	lyCheckClean(t, s)
}

func TestUnusableSchemeIsRefused(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	if err := s.SetSetting(ctx, "loyalty", `{"cents_per_point":100,"reward_points":0,"reward_value":500}`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 100, RedeemPoints: 100}); err == nil || !strings.Contains(err.Error(), "not usable") {
		t.Errorf("error %v", err)
	}
	probs, err := s.Check(ctx)
	if err != nil || len(probs) != 1 || !strings.Contains(probs[0].What, "loyalty scheme is not usable") {
		t.Errorf("check: %v %v", probs, err)
	}
}
