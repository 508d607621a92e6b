package rules

import (
	"testing"
	"time"
)

func TestAddMonthsClampsToTheMonthsEnd(t *testing.T) {
	cases := []struct {
		from   Day
		months int
		want   Day
	}{
		{NewDay(2024, time.January, 31), 1, NewDay(2024, time.February, 29)},
		{NewDay(2023, time.January, 31), 1, NewDay(2023, time.February, 28)},
		{NewDay(2024, time.March, 31), -1, NewDay(2024, time.February, 29)},
		{NewDay(2024, time.May, 31), 1, NewDay(2024, time.June, 30)},
		{NewDay(2023, time.December, 31), 2, NewDay(2024, time.February, 29)},
		{NewDay(2023, time.November, 15), 3, NewDay(2024, time.February, 15)},
		{NewDay(2024, time.January, 15), -13, NewDay(2022, time.December, 15)},
		{NewDay(2024, time.August, 31), 0, NewDay(2024, time.August, 31)},
		{NewDay(2024, time.January, 30), 25, NewDay(2026, time.February, 28)},
	}
	for _, tc := range cases {
		if got := tc.from.AddMonths(tc.months); got != tc.want {
			t.Errorf("%s + %d months = %s, want %s", tc.from, tc.months, got, tc.want)
		}
	}
}

func TestAddYearsMovesTheTwentyNinthOfFebruary(t *testing.T) {
	leap := NewDay(2024, time.February, 29)
	cases := []struct {
		years int
		want  Day
	}{
		{1, NewDay(2025, time.February, 28)},
		{-1, NewDay(2023, time.February, 28)},
		{4, NewDay(2028, time.February, 29)},
		{100, NewDay(2124, time.February, 29)},
		{76, NewDay(2100, time.February, 28)}, // 2100 is not a leap year
	}
	for _, tc := range cases {
		if got := leap.AddYears(tc.years); got != tc.want {
			t.Errorf("29 Feb 2024 + %d years = %s, want %s", tc.years, got, tc.want)
		}
	}
}

func TestParseDay(t *testing.T) {
	good := []struct {
		in   string
		want Day
	}{
		{"2024-02-29", NewDay(2024, time.February, 29)},
		{" 2024-03-01\t", NewDay(2024, time.March, 1)},
		{"0001-01-01", Day(1)},
		{"9999-12-31", NewDay(9999, time.December, 31)},
		{"2000-02-29", NewDay(2000, time.February, 29)},
	}
	for _, tc := range good {
		got, err := ParseDay(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDay(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	bad := []string{"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
		"2024-01-32", "0000-01-01", "2024-1-01", "24-01-01", "2024/01/01", "", "abcd-ef-gh",
		"+024-01-01", "2024-01-01T00:00", "2024-01-01-", "２０２４-01-01", "-2024-01-01"}
	for _, in := range bad {
		if d, err := ParseDay(in); err == nil {
			t.Errorf("ParseDay(%q) = %s, want an error", in, d)
		}
	}
}

func TestDayStringAndArithmetic(t *testing.T) {
	d := NewDay(2024, time.March, 1)
	if d.String() != "2024-03-01" || Day(0).String() != "" {
		t.Errorf("String: %q %q", d.String(), Day(0).String())
	}
	if d.AddDays(-1) != NewDay(2024, time.February, 29) || d.Sub(NewDay(2023, time.March, 1)) != 366 {
		t.Error("day arithmetic is off across a leap day")
	}
	if d.Weekday() != time.Friday || d.Year() != 2024 {
		t.Errorf("weekday %s year %d", d.Weekday(), d.Year())
	}
	if got := DayOf(time.Date(2024, time.March, 1, 23, 59, 0, 0, time.FixedZone("east", 14*3600))); got != d {
		t.Errorf("DayOf takes the date where the instant was: %s", got)
	}
	if !IsLeap(2000) || IsLeap(1900) || !IsLeap(2024) || IsLeap(2023) {
		t.Error("IsLeap")
	}
}

func TestParseYearlyDate(t *testing.T) {
	good := []struct {
		in   string
		want YearlyDate
		out  string
	}{
		{"--02-29", YearlyDate{Month: time.February, Day: 29}, "--02-29"},
		{"02-29", YearlyDate{Month: time.February, Day: 29}, "--02-29"},
		{"1990-05-17", YearlyDate{Year: 1990, Month: time.May, Day: 17}, "1990-05-17"},
		{" --12-31 ", YearlyDate{Month: time.December, Day: 31}, "--12-31"},
		{"", YearlyDate{}, ""},
	}
	for _, tc := range good {
		got, err := ParseYearlyDate(tc.in)
		if err != nil || got != tc.want || got.String() != tc.out {
			t.Errorf("ParseYearlyDate(%q) = %+v (%q), %v; want %+v", tc.in, got, got.String(), err, tc.want)
		}
	}
	for _, in := range []string{"--02-30", "13-01", "00-10", "1990-02-29", "--2-29", "2-29-1", "--0229", "12345", "---12-25", "--12-25-", "1990-5-17"} {
		if y, err := ParseYearlyDate(in); err == nil {
			t.Errorf("ParseYearlyDate(%q) = %+v, want an error", in, y)
		}
	}
}

func TestYearlyDateInFallsOnThe28thInOtherYears(t *testing.T) {
	leap := YearlyDate{Month: time.February, Day: 29}
	if got := leap.In(2023); got != NewDay(2023, time.February, 28) {
		t.Errorf("in 2023: %s", got)
	}
	if got := leap.In(2024); got != NewDay(2024, time.February, 29) {
		t.Errorf("in 2024: %s", got)
	}
	if got := (YearlyDate{Year: 1980, Month: time.July, Day: 4}).In(2030); got != NewDay(2030, time.July, 4) {
		t.Errorf("a year of birth does not move the day: %s", got)
	}
}

// TestDaysInMatchesTheCalendar compares DaysIn with the standard
// library's calendar over four centuries and months out of range.
func TestDaysInMatchesTheCalendar(t *testing.T) {
	for y := 1800; y <= 2400; y++ {
		for m := time.Month(0); m <= 13; m++ {
			want := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := DaysIn(y, m); got != want {
				t.Fatalf("DaysIn(%d, %d) = %d, want %d", y, m, got, want)
			}
		}
	}
}
