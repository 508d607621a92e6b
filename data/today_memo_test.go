package data

import (
	"context"
	"reflect"
	"regulars/rules"
	"testing"
	"time"
)

// TestTodayIsPatchedAfterEachWriteAndReadAgainAfterAnotherProgramsWrite
// reads Today after writes of this store (patched customer by customer),
// of another store on the same file (read again whole) and of settings,
// and compares each with Today computed from every customer's facts.
func TestTodayIsPatchedAfterEachWriteAndReadAgainAfterAnotherProgramsWrite(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 120, Seed: 7, End: end}); err != nil {
		t.Fatal(err)
	}
	facts := dvSlowTwin(t, s)
	same := func(step string) {
		t.Helper()
		got, err := s.TodayList(ctx, end)
		if err != nil {
			t.Fatal(err)
		}
		want, err := facts.TodayList(ctx, end)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Today differs:\nremembered %s\nfacts      %s", step, dvBrief(got), dvBrief(want))
		}
		if !s.today1.valid || len(s.today1.changed) != 0 {
			t.Fatalf("%s: Today is not remembered after the read", step)
		}
	}
	same("the first read")
	rs, err := s.TodayList(ctx, end)
	if err != nil || len(rs) < 2 {
		t.Fatalf("Today: %d, %v", len(rs), err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: rs[0].CustomerID, Amount: 30000, Staff: "Maggie"}); err != nil {
		t.Fatal(err)
	}
	if !s.today1.valid || !s.today1.changed[rs[0].CustomerID] {
		t.Fatal("a sale did not note its customer for Today")
	}
	same("a sale")
	if _, err := s.CompleteReminder(ctx, rs[1].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Priya"}); err != nil {
		t.Fatal(err)
	}
	same("a reminder done")
	// Another program writes: Today is read again whole.
	other, err := Open(ctx, s.Path(), Options{Today: end, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 3 {
		t.Fatal("too few reminders on Today")
	}
	if err := other.SkipReminder(ctx, rs[2].Key, "moved away", "Maggie"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	same("another program's write")
	// A change of the rules reads it again whole.
	r := rules.DefaultRules()
	r[rules.KindStayInTouch] = rules.Rule{On: true, AfterDays: 30}
	if err := s.SetRules(ctx, r); err != nil {
		t.Fatal(err)
	}
	if s.today1.valid {
		t.Fatal("a change of the rules left Today remembered")
	}
	same("new rules")
}
