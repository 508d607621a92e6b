package data

import (
	"context"
	"regulars/rules"
	"testing"
)

// The reminders' words follow the shop's currency sign and locale, the
// kept lists as much as the lists computed for another day; a shop that
// chose neither keeps the plain forms.
func TestRemindersWordAmountsAndDaysTheShopsWay(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-10")
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetTemplate(ctx, rules.KindThankYou, "Thanks {{.FirstName}} for {{.Amount}}, reward {{.RewardValue}}"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 123450, Description: "tent"}); err != nil {
		t.Fatal(err)
	}
	day := rules.NewDay(2026, 6, 11)
	s.SetToday(day)
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sign, locale, why, message string
	}{
		{"", "", "bought 1234.50 (tent) yesterday", "Thanks Ann for 1234.50, reward 5.00"},
		{"£", "en-GB", "bought £1,234.50 (tent) yesterday", "Thanks Ann for £1,234.50, reward £5.00"},
		{"€", "de-DE", "bought €1.234,50 (tent) yesterday", "Thanks Ann for €1.234,50, reward €5,00"},
		{"", "", "bought 1234.50 (tent) yesterday", "Thanks Ann for 1234.50, reward 5.00"},
	} {
		if err := s.SetSetting(ctx, "currency", c.sign); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, "locale", c.locale); err != nil {
			t.Fatal(err)
		}
		list, err := s.TodayList(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		r := findKind(list, rules.KindThankYou, "purchase:")
		if r == nil {
			t.Fatalf("%s %s: no thank-you on %s: %+v", c.sign, c.locale, day, list)
		}
		if r.Why != c.why || r.Message != c.message {
			t.Errorf("%s %s: %q / %q, want %q / %q", c.sign, c.locale, r.Why, r.Message, c.why, c.message)
		}
		// The queue the Today screen shows says the same.
		q, err := s.TodayQueue(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		if r := findKind(q.All(), rules.KindThankYou, "purchase:"); r == nil || r.Why != c.why || r.Message != c.message {
			t.Errorf("%s %s: Today's page reads %+v", c.sign, c.locale, r)
		}
	}
}
