package data

import (
	"context"
	"regulars/rules"
	"slices"
	"testing"
)

// TestQueueFromTheStore: a small shop whose customers drifted away; the
// queue puts the one who spent most over the last year first (refunds
// taken off, voids and older sales left out), and the share shrinks by
// those done today.
func TestQueueFromTheStore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2025-03-01")
	add := func(name string) rules.ID {
		id, err := s.AddCustomer(ctx, rules.Customer{Name: name, CustomerSince: mustParseDay("2025-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	sell := func(id rules.ID, cents rules.Cents) rules.Purchase {
		r, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: cents, Staff: "Sam"})
		if err != nil {
			t.Fatal(err)
		}
		return r.Purchase
	}
	old, refunded, voided, plain := add("Old Spender"), add("Refunded"), add("Voided"), add("Plain")
	// More than a year before the day: does not count.
	sell(old, 900_00)
	s.SetToday(mustParseDay("2025-06-01"))
	sell(old, 10_00)
	big := sell(refunded, 300_00)
	if _, err := s.Refund(ctx, big.ID, 250_00, "Sam", "returned"); err != nil {
		t.Fatal(err)
	}
	v := sell(voided, 400_00)
	if err := s.VoidPurchase(ctx, v.ID, "Sam", "wrong customer"); err != nil {
		t.Fatal(err)
	}
	sell(voided, 20_00)
	sell(plain, 60_00)

	day := mustParseDay("2026-03-15")
	s.SetToday(day)
	spend, err := s.YearSpend(ctx, day, []rules.ID{old, refunded, voided, plain})
	if err != nil {
		t.Fatal(err)
	}
	want := map[rules.ID]rules.Cents{old: 10_00, refunded: 50_00, voided: 20_00, plain: 60_00}
	for id, c := range want {
		if spend[id] != c {
			t.Errorf("customer %d spent %d over the year, want %d", id, spend[id], c)
		}
	}

	if err := s.SetDriftingShare(ctx, 3); err != nil {
		t.Fatal(err)
	}
	q, err := s.TodayQueue(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	drift := q.Part(rules.QueueDrifting)
	if got := queueNames(drift.Rows); !slices.Equal(got, []string{"stay_in_touch:Plain", "stay_in_touch:Refunded", "stay_in_touch:Voided"}) {
		t.Fatalf("drifting %v, rest %v", got, queueNames(drift.Rest))
	}
	if len(drift.Rest) != 1 || drift.Rest[0].CustomerName != "Old Spender" {
		t.Errorf("behind show all: %v", queueNames(drift.Rest))
	}
	// The queue holds every reminder of the today command, none twice.
	all, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(rs []rules.Reminder) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Key)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(q.All()), keys(all)) {
		t.Errorf("the queue holds %d reminders, the today command %d", len(q.All()), len(all))
	}

	// Calling the first one: done today, and the share has two left.
	if _, err := s.CompleteReminder(ctx, drift.Rows[0].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Sam", Outcome: "happy"}); err != nil {
		t.Fatal(err)
	}
	q, err = s.TodayQueue(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	drift = q.Part(rules.QueueDrifting)
	if got := queueNames(drift.Rows); !slices.Equal(got, []string{"stay_in_touch:Refunded", "stay_in_touch:Voided"}) || drift.Done != 1 {
		t.Errorf("after one call: drifting %v, done %d", got, drift.Done)
	}
	if q.Done() != 1 || q.Open() != len(q.Work()) {
		t.Errorf("done %d, open %d for %d rows of work", q.Done(), q.Open(), len(q.Work()))
	}
}

func TestQueueDriftingShareSetting(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	if n, err := s.DriftingShare(ctx); err != nil || n != rules.DefaultDriftingShare {
		t.Fatalf("default share %d, %v", n, err)
	}
	for _, bad := range []int{-1, maxDriftingShare + 1} {
		if err := s.SetDriftingShare(ctx, bad); err == nil {
			t.Errorf("a share of %d was taken", bad)
		}
	}
	if err := s.SetDriftingShare(ctx, 25); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DriftingShare(ctx); n != 25 {
		t.Errorf("share %d, want 25", n)
	}
}

func mustParseDay(s string) rules.Day {
	d, err := rules.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// queueNames lists "kind:c<id>" for each reminder, short enough to read in a failure.
func queueNames(rs []rules.Reminder) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Kind) + ":" + r.CustomerName
	}
	return out
}
