package rules

import "testing"

func mustDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestMonthEnds(t *testing.T) {
	for _, tc := range []struct {
		day         string
		n           int
		first, last string
	}{
		{"2026-06-15", 12, "2025-06-30", "2026-05-31"},
		{"2026-05-31", 12, "2025-06-30", "2026-05-31"}, // a month-end counts itself
		{"2024-03-01", 2, "2024-01-31", "2024-02-29"},
		{"2026-01-01", 1, "2025-12-31", "2025-12-31"},
	} {
		got := MonthEnds(mustDay(tc.day), tc.n)
		if len(got) != tc.n || got[0] != mustDay(tc.first) || got[len(got)-1] != mustDay(tc.last) {
			t.Errorf("MonthEnds(%s, %d) = %v, want %s … %s", tc.day, tc.n, got, tc.first, tc.last)
		}
	}
}
