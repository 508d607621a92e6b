package screens

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"regulars/rules"
)

// Dates typed in a form are read by parseDate, parseYearly and parseStamp;
// the checks here refuse days that parse but cannot be meant, with a
// sentence saying what is allowed.

// longestSnooze is how far ahead a reminder can be put off: further than a
// year is a typing slip (2027 for 2026), and the reminder would be lost.
const longestSnooze = 12 // months

// oldestBirthday is how many years back a birthday with its year may be.
const oldestBirthday = 120

// checkSnoozeUntil refuses a snooze that does not end after today or ends
// more than a year from it.
func checkSnoozeUntil(until, today rules.Day) error {
	if until <= today {
		return fmt.Errorf(lang.L("Pick a day after today, %s."), longDate(today))
	}
	if last := today.AddMonths(longestSnooze); until > last {
		return fmt.Errorf(lang.L("A snooze lasts a year at most: pick a day up to %s."), longDate(last))
	}
	return nil
}

// checkComplaintReceived refuses a complaint received later than now or
// before the shop's first record (firstRecord; zero when unknown).
func checkComplaintReceived(at, now time.Time, firstRecord rules.Day) error {
	if at.After(now.Add(time.Minute)) {
		return fmt.Errorf(lang.L("A complaint cannot be received later than now, %s."), stamp(now))
	}
	if firstRecord != 0 && rules.DayOf(at) < firstRecord {
		return fmt.Errorf(lang.L("The records start on %s: no complaint can come before."), longDate(firstRecord))
	}
	return nil
}

// checkBirthday refuses a birthday with its year in the future or more
// than oldestBirthday years back; one without the year is always fine.
func checkBirthday(b rules.YearlyDate, today rules.Day) error {
	if b.IsZero() || b.Year == 0 {
		return nil
	}
	day := rules.NewDay(b.Year, b.Month, b.Day)
	if day > today {
		return fmt.Errorf(lang.L("A birthday cannot be in the future: %s is after today."), longDate(day))
	}
	if day < today.AddMonths(-12*oldestBirthday) {
		return fmt.Errorf(lang.L("%s is more than %d years ago: leave the year out if it is not known."), longDate(day), oldestBirthday)
	}
	return nil
}

// checkCustomerSince refuses a first purchase in the future.
func checkCustomerSince(d, today rules.Day) error {
	if d > today {
		return fmt.Errorf(lang.L("A customer cannot be one since a day after today (%s)."), longDate(d))
	}
	return nil
}

// firstRecordFor is the earliest day the shop has a record of for a
// customer: the day the database was created or, for imported history, the
// customer's first purchase if earlier.
func firstRecordFor(created rules.Day, c rules.Customer) rules.Day {
	first := created
	if s := c.CustomerSince; s != 0 && (first == 0 || s < first) {
		first = s
	}
	return first
}
