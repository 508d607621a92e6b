package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is a calendar date without a time of day. The zero value means
// "no date"; any other value counts days so that Day(1) is 0001-01-01.
type Day int32

// EpochOffset is the Day of 1970-01-01.
const EpochOffset = 719163

// DayOf returns the calendar day of t in t's location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return NewDay(y, m, d)
}

// NewDay builds a Day; out-of-range days and months are normalised the way
// time.Date does, so callers that need validation use ValidDate first.
func NewDay(y int, m time.Month, d int) Day {
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	return Day(u/86400 + EpochOffset)
}

// ValidDate reports whether y-m-d is a real calendar date.
func ValidDate(y int, m time.Month, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= DaysIn(y, m)
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if IsLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	case time.January, time.March, time.May, time.July, time.August, time.October, time.December:
		return 31
	}
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() // a month out of range, as time.Date reads it
}

// IsLeap reports whether y is a leap year.
func IsLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// IsZero reports whether d is "no date".
func (d Day) IsZero() bool { return d == 0 }

// Time returns midnight UTC of d.
func (d Day) Time() time.Time {
	return time.Unix(int64(d-EpochOffset)*86400, 0).UTC()
}

// Date returns the year, month and day of d.
func (d Day) Date() (int, time.Month, int) { return d.Time().Date() }

// Year returns the year of d.
func (d Day) Year() int { y, _, _ := d.Date(); return y }

// AddDays returns d moved by n days.
func (d Day) AddDays(n int) Day { return d + Day(n) }

// AddMonths adds n months, clamping to the month's end: 31 Jan + 1 month is
// 28 or 29 Feb.
func (d Day) AddMonths(n int) Day {
	y, m, dd := d.Date()
	total := int(m) - 1 + n
	ny := y + floorDiv(total, 12)
	nm := time.Month(total - floorDiv(total, 12)*12 + 1)
	if last := DaysIn(ny, nm); dd > last {
		dd = last
	}
	return NewDay(ny, nm, dd)
}

// AddYears adds n years; 29 Feb falls on 28 Feb in non-leap years.
func (d Day) AddYears(n int) Day { return d.AddMonths(12 * n) }

// Sub returns the number of days from e to d (d - e).
func (d Day) Sub(e Day) int { return int(d - e) }

// Weekday returns the day of the week.
func (d Day) Weekday() time.Weekday { return d.Time().Weekday() }

// String formats d as YYYY-MM-DD, or "" for the zero Day.
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// ParseDay reads a YYYY-MM-DD date.
func ParseDay(s string) (Day, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 2 || len(parts[2]) != 2 {
		return 0, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	y, e1 := AtoiDigits(parts[0])
	m, e2 := AtoiDigits(parts[1])
	dd, e3 := AtoiDigits(parts[2])
	if e1 != nil || e2 != nil || e3 != nil {
		return 0, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if !ValidDate(y, time.Month(m), dd) {
		return 0, fmt.Errorf("%q is not a real calendar date", s)
	}
	return NewDay(y, time.Month(m), dd), nil
}

func AtoiDigits(s string) (int, error) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not digits")
		}
	}
	return strconv.Atoi(s)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// YearlyDate is a date that comes back every year, such as a birthday. Year
// is 0 when unknown ("birthdays without a year work the same").
type YearlyDate struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether no date is set.
func (y YearlyDate) IsZero() bool { return y.Month == 0 }

// In returns the occurrence in year yr; 29 Feb falls on 28 Feb in non-leap years.
func (y YearlyDate) In(yr int) Day {
	d := y.Day
	if last := DaysIn(yr, y.Month); d > last {
		d = last
	}
	return NewDay(yr, y.Month, d)
}

// String formats as YYYY-MM-DD, or --MM-DD without a year, or "" when unset.
func (y YearlyDate) String() string {
	if y.IsZero() {
		return ""
	}
	if y.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", int(y.Month), y.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y.Year, int(y.Month), y.Day)
}

// ParseYearlyDate reads YYYY-MM-DD, MM-DD or --MM-DD.
func ParseYearlyDate(s string) (YearlyDate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return YearlyDate{}, nil
	}
	md := strings.TrimPrefix(s, "--")
	if md != s || len(s) == 5 {
		parts := strings.Split(md, "-")
		if len(parts) == 2 && len(parts[0]) == 2 && len(parts[1]) == 2 {
			m, e1 := AtoiDigits(parts[0])
			d, e2 := AtoiDigits(parts[1])
			if e1 == nil && e2 == nil && ValidDate(2000, time.Month(m), d) {
				return YearlyDate{Month: time.Month(m), Day: d}, nil
			}
			return YearlyDate{}, fmt.Errorf("%q is not a real day of the year", s)
		}
		return YearlyDate{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD, MM-DD or --MM-DD", s)
	}
	d, err := ParseDay(s)
	if err != nil {
		if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 && len(parts[1]) == 2 && len(parts[2]) == 2 {
			return YearlyDate{}, err // the right form, but no such day
		}
		return YearlyDate{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD, MM-DD or --MM-DD", s)
	}
	yy, m, dd := d.Date()
	return YearlyDate{Year: yy, Month: m, Day: dd}, nil
}

// BirthdayNear is the occurrence of a yearly date that falls within days of
// d, before or after (the nearest, should two), or zero when none does. A 29
// February falls on the 28th in other years, as the birthday reminder does.
func BirthdayNear(b YearlyDate, d Day, days int) Day {
	if b.IsZero() || d.IsZero() {
		return 0
	}
	gap := func(x Day) int { return max(x.Sub(d), d.Sub(x)) }
	var best Day
	for yr := d.Year() - 1; yr <= d.Year()+1; yr++ {
		if occ := b.In(yr); gap(occ) <= days && (best.IsZero() || gap(occ) < gap(best)) {
			best = occ
		}
	}
	return best
}
