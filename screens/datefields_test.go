package screens

import (
	"strings"
	"testing"
	"time"

	"regulars/rules"
)

func TestSnoozeDaysAfterTodayAndWithinAYear(t *testing.T) {
	inLocale(t, "en-GB")
	today := rules.NewDay(2026, time.December, 7)
	for _, tc := range []struct {
		typed string
		want  rules.Day
		err   string // a part of the sentence; "" when accepted
	}{
		{"08/12/2026", rules.NewDay(2026, time.December, 8), ""},
		{"2026-12-08", rules.NewDay(2026, time.December, 8), ""},
		{"07/12/2027", rules.NewDay(2027, time.December, 7), ""},
		{"08/12/2027", 0, "a year at most: pick a day up to 7 December 2027"},
		{"2036-12-08", 0, "a year at most"},
		{"07/12/2026", 0, "Pick a day after today, 7 December 2026."},
		{"01/01/2020", 0, "Pick a day after today"},
		{"", 0, "Type the day"},
		{"31/02/2027", 0, "is not a day on the calendar"},
		{"next week", 0, "is not a date: write it like 23/11/2026 or 2026-11-23"},
	} {
		got, err := snoozeUntil(tc.typed, today)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %v, %v; want %v", tc.typed, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one saying %q", tc.typed, err, tc.err)
		}
	}
}

func TestSnoozeReadsTheShopsFormat(t *testing.T) {
	today := rules.NewDay(2026, time.December, 7)
	for tag, typed := range map[string]string{"en-US": "01/02/2027", "de-DE": "02.01.2027", "fr-FR": "02/01/2027"} {
		inLocale(t, tag)
		if got, err := snoozeUntil(typed, today); err != nil || got != rules.NewDay(2027, time.January, 2) {
			t.Errorf("%s %q: %v, %v", tag, typed, got, err)
		}
	}
}

func TestComplaintsAreReceivedBetweenTheFirstRecordAndNow(t *testing.T) {
	inLocale(t, "en-GB")
	now := time.Date(2026, time.December, 7, 14, 5, 0, 0, time.Local)
	first := rules.NewDay(2025, time.December, 7)
	for _, tc := range []struct {
		name string
		at   time.Time
		err  string
	}{
		{"now", now, ""},
		{"this morning", now.Add(-5 * time.Hour), ""},
		{"on the first day", time.Date(2025, time.December, 7, 9, 0, 0, 0, time.Local), ""},
		{"a clock a little fast", now.Add(30 * time.Second), ""},
		{"tomorrow", now.Add(24 * time.Hour), "cannot be received later than now, 7 Dec 2026 14:05."},
		{"an hour ahead", now.Add(time.Hour), "later than now"},
		{"the day before the first record", time.Date(2025, time.December, 6, 17, 0, 0, 0, time.Local),
			"The records start on 7 December 2025: no complaint can come before."},
		{"a typo in the year", time.Date(2002, time.December, 7, 14, 0, 0, 0, time.Local), "records start on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkComplaintReceived(tc.at, now, first)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
	if err := checkComplaintReceived(time.Date(1990, 1, 1, 9, 0, 0, 0, time.Local), now, 0); err != nil {
		t.Errorf("an unknown first record refuses nothing in the past: %v", err)
	}
}

func TestTheFirstRecordIsTheEarlierOfTheShopAndTheCustomer(t *testing.T) {
	created := rules.NewDay(2025, time.December, 7)
	imported := rules.NewDay(2023, time.March, 1)
	for _, tc := range []struct {
		name    string
		created rules.Day
		since   rules.Day
		want    rules.Day
	}{
		{"new customer", created, created.AddDays(30), created},
		{"imported history", created, imported, imported},
		{"no creation day", 0, imported, imported},
		{"nothing known", 0, 0, 0},
	} {
		if got := firstRecordFor(tc.created, rules.Customer{CustomerSince: tc.since}); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBirthdaysAreNotInTheFuture(t *testing.T) {
	inLocale(t, "en-GB")
	today := rules.NewDay(2026, time.December, 7)
	for _, tc := range []struct {
		typed, err string
	}{
		{"", ""},
		{"23/11/1980", ""},
		{"07/12/2026", ""}, // born today
		{"24/12", ""},      // no year: every year
		{"1980-11-23", ""},
		{"08/12/2026", "A birthday cannot be in the future: 8 December 2026 is after today."},
		{"23/11/2080", "cannot be in the future"},
		{"23/11/1880", "more than 120 years ago: leave the year out"},
	} {
		b, err := parseYearly(tc.typed)
		if err == nil {
			err = checkBirthday(b, today)
		}
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: error %v, want %q", tc.typed, err, tc.err)
		}
	}
	if err := checkCustomerSince(today.AddDays(1), today); err == nil {
		t.Error("a customer since tomorrow is accepted")
	}
	if err := checkCustomerSince(today, today); err != nil {
		t.Errorf("a customer since today: %v", err)
	}
}
