package rules

import (
	"strings"
	"testing"
)

// Seeds live in testdata/fuzz/<target>; `go test` runs them as cases.

func FuzzParseCents(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCents(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseCents(%q): an empty error", s)
			}
			return
		}
		if c > MaxCents || c < -MaxCents {
			t.Fatalf("ParseCents(%q) = %d, beyond the limit", s, c)
		}
		for _, r := range strings.TrimSpace(s) {
			if !strings.ContainsRune("0123456789.+-", r) {
				t.Fatalf("ParseCents(%q) accepted %q", s, r)
			}
		}
		back, err := ParseCents(c.String())
		if err != nil || back != c {
			t.Fatalf("ParseCents(%q) = %d, which prints as %q and reads back as %d, %v", s, c, c.String(), back, err)
		}
	})
}

func FuzzParseDay(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s)
		if err != nil {
			return
		}
		y, m, dd := d.Date()
		if !ValidDate(y, m, dd) {
			t.Fatalf("ParseDay(%q) = %d, not a real date", s, d)
		}
		if d.String() != strings.TrimSpace(s) {
			t.Fatalf("ParseDay(%q) prints as %q", s, d.String())
		}
		if d.AddMonths(12) != d.AddYears(1) || d.AddDays(1).Sub(d) != 1 {
			t.Fatalf("arithmetic on %s disagrees", d)
		}
	})
}

func FuzzParseYearlyDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		y, err := ParseYearlyDate(s)
		if err != nil {
			return
		}
		if y.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("ParseYearlyDate(%q) is empty", s)
			}
			return
		}
		year := y.Year
		if year == 0 {
			year = 2000
		}
		if !ValidDate(year, y.Month, y.Day) {
			t.Fatalf("ParseYearlyDate(%q) = %+v, not a real date", s, y)
		}
		back, err := ParseYearlyDate(y.String())
		if err != nil || back != y {
			t.Fatalf("ParseYearlyDate(%q) = %+v, which prints as %q and reads back as %+v, %v", s, y, y.String(), back, err)
		}
		if d := y.In(2023); d.IsZero() || d.Year() != 2023 {
			t.Fatalf("%+v in 2023 is %s", y, d)
		}
	})
}
