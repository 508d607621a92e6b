package data

import (
	"context"
	"regulars/rules"
	"testing"
)

// Changing the scheme must not make earlier points look wrong to check, and
// sales follow the scheme in force on their day.
func TestSchemeChangeKeepsHistoryValid(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-01")
	id, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	r1, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 5000})
	if err != nil || r1.Earned != 50 {
		t.Fatalf("first sale: %+v %v", r1, err)
	}
	s.SetToday(mustParse(t, "2026-04-01"))
	if err := s.SetLoyalty(ctx, rules.Loyalty{CentsPerPoint: 50, RewardPoints: 200, RewardValue: 1000}); err != nil {
		t.Fatal(err)
	}
	r2, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 5000})
	if err != nil || r2.Earned != 100 {
		t.Fatalf("sale under the new scheme: %+v %v", r2, err)
	}
	// A sale entered for a day before the change uses the old scheme.
	s.SetToday(mustParse(t, "2026-03-15"))
	r3, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 1000})
	if err != nil || r3.Earned != 10 {
		t.Fatalf("back-dated sale: %+v %v", r3, err)
	}
	s.SetToday(mustParse(t, "2026-04-02"))
	if probs, err := s.Check(ctx); err != nil || len(probs) != 0 {
		t.Fatalf("check after a scheme change: %v %v", probs, err)
	}
	cur, _ := s.Loyalty(ctx)
	if cur.CentsPerPoint != 50 {
		t.Errorf("current scheme %+v", cur)
	}
}

func mustParse(t *testing.T, s string) rules.Day {
	t.Helper()
	d, err := rules.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
