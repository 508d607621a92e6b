package data

import (
	"context"
	"strings"
	"testing"
)

func TestLocaleStylesWriteAmountsCountsAndDays(t *testing.T) {
	cases := []struct {
		sign, locale              string
		money, count, day, bigDay string
	}{
		{"", "", "1234.50", "410976", "12 June", "17 May 2024"},
		{"£", "", "£1234.50", "410976", "12 June", "17 May 2024"},
		{"£", "en-GB", "£1,234.50", "410,976", "12 June", "17 May 2024"},
		{"$", "en-US", "$1,234.50", "410,976", "June 12", "May 17, 2024"},
		{"€", "de-DE", "€1.234,50", "410.976", "12. June", "17. May 2024"},
		{"€", "fr-FR", "€1\u00a0234,50", "410\u00a0976", "12 June", "17 May 2024"},
	}
	for _, c := range cases {
		w := wordingFrom(c.sign, c.locale)
		got := []string{w.money(123450), w.count(410976), w.dayMonth(NewDay(2026, 6, 12)), w.date(NewDay(2024, 5, 17))}
		want := []string{c.money, c.count, c.day, c.bigDay}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q %q: got %q, want %q", c.sign, c.locale, got[i], want[i])
			}
		}
		if neg := w.money(-250); !strings.HasPrefix(neg, "-"+c.sign) {
			t.Errorf("%q %q: a refund reads %q", c.sign, c.locale, neg)
		}
	}
}

// The reminders' words follow the shop's currency sign and locale, the
// kept lists as much as the lists computed for another day; a shop that
// chose neither keeps the plain forms.
func TestRemindersWordAmountsAndDaysTheShopsWay(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-10")
	id, err := s.AddCustomer(ctx, Customer{Name: "Ann Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetTemplate(ctx, KindThankYou, "Thanks {{.FirstName}} for {{.Amount}}, reward {{.RewardValue}}"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 123450, Description: "tent"}); err != nil {
		t.Fatal(err)
	}
	day := NewDay(2026, 6, 11)
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
		r := findKind(list, KindThankYou, "purchase:")
		if r == nil {
			t.Fatalf("%s %s: no thank-you on %s: %+v", c.sign, c.locale, day, list)
		}
		if r.Why != c.why || r.Message != c.message {
			t.Errorf("%s %s: %q / %q, want %q / %q", c.sign, c.locale, r.Why, r.Message, c.why, c.message)
		}
		// The page the Today screen shows says the same.
		p, err := s.TodayPage(ctx, day, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if r := findKind(p.Rows, KindThankYou, "purchase:"); r == nil || r.Why != c.why || r.Message != c.message {
			t.Errorf("%s %s: Today's page reads %+v", c.sign, c.locale, r)
		}
	}
}
