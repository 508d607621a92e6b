package data

import (
	"context"
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
