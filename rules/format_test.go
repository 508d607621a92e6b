package rules

import (
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
		w := WordingFrom(c.sign, c.locale)
		got := []string{w.Money(123450), w.Count(410976), w.DayMonth(NewDay(2026, 6, 12)), w.Date(NewDay(2024, 5, 17))}
		want := []string{c.money, c.count, c.day, c.bigDay}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q %q: got %q, want %q", c.sign, c.locale, got[i], want[i])
			}
		}
		if neg := w.Money(-250); !strings.HasPrefix(neg, "-"+c.sign) {
			t.Errorf("%q %q: a refund reads %q", c.sign, c.locale, neg)
		}
	}
}
