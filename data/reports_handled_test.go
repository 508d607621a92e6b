package data

import (
	"context"
	"regulars/rules"
	"testing"
)

func TestHandledOnListsOnlyThatDaysWork(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	ann, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123"})
	bob, _ := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "07700 900456"})
	s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 8000})
	s.RecordSale(ctx, Sale{CustomerID: bob, Amount: 1000})
	s.SetToday(mustParse(t, "2026-06-02"))
	today, err := s.TodayList(ctx, s.Today())
	if err != nil || len(today) != 2 {
		t.Fatalf("today = %d reminders, %v", len(today), err)
	}
	if _, err := s.CompleteReminder(ctx, today[0].Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SkipReminder(ctx, today[1].Key, "spoke yesterday", "Sam"); err != nil {
		t.Fatal(err)
	}
	got, err := s.HandledOn(ctx, s.Today())
	if err != nil || len(got) != 2 {
		t.Fatalf("handled = %+v, %v", got, err)
	}
	if prev, err := s.HandledOn(ctx, mustParse(t, "2026-06-01")); err != nil || len(prev) != 0 {
		t.Errorf("nothing was handled the day before, got %d (%v)", len(prev), err)
	}
}

func TestHoldersFrom(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	ann, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	bob, _ := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy"})
	s.AddCustomer(ctx, rules.Customer{Name: "Cy Nil"})
	s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 15000})
	s.RecordSale(ctx, Sale{CustomerID: bob, Amount: 9900})
	got, err := s.HoldersFrom(ctx, 100)
	if err != nil || len(got) != 1 || got[0].Customer.Name != "Ann Lee" || got[0].Balance != 150 {
		t.Fatalf("holders from 100 = %+v, %v", got, err)
	}
	got, _ = s.HoldersFrom(ctx, 1)
	if len(got) != 2 || got[1].Customer.ID != bob || got[1].Balance != 99 {
		t.Errorf("holders from 1 = %+v", got)
	}
}
