package data

import (
	"context"
	"testing"
)

func TestHandledOnListsOnlyThatDaysWork(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	ann, _ := s.AddCustomer(ctx, Customer{Name: "Ann Lee", Phone: "07700 900123"})
	bob, _ := s.AddCustomer(ctx, Customer{Name: "Bob Roy", Phone: "07700 900456"})
	s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 8000})
	s.RecordSale(ctx, Sale{CustomerID: bob, Amount: 1000})
	s.SetToday(mustParse(t, "2026-06-02"))
	today, err := s.TodayList(ctx, s.Today())
	if err != nil || len(today) != 2 {
		t.Fatalf("today = %d reminders, %v", len(today), err)
	}
	if _, err := s.CompleteReminder(ctx, today[0].Key, Contact{Channel: ChannelPhone, Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SkipReminder(ctx, today[1].Key, "spoke yesterday", "Sam"); err != nil {
		t.Fatal(err)
	}
	got, err := s.HandledOn(ctx, s.Today())
	if err != nil || len(got) != 2 {
		t.Fatalf("handled = %+v, %v", got, err)
	}
	if prev, _ := s.HandledOn(ctx, mustParse(t, "2026-06-01")); len(prev) != 0 {
		t.Errorf("nothing was handled the day before, got %d", len(prev))
	}
}
