package rules

import (
	"fmt"
	"io"
	"time"

	ics "github.com/arran4/golang-ical"
)

// CalendarEvent is one all-day event of the owner's calendar.
type CalendarEvent struct {
	UID     string // stable, so that a calendar program updates the event
	Summary string
	First   Day
	Yearly  bool
}

// WriteCalendar writes events as an iCalendar file, stamped at stamp.
func WriteCalendar(w io.Writer, stamp time.Time, events []CalendarEvent) error {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Regulars//Regulars//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("Regulars")
	for _, ev := range events {
		e := cal.AddEvent(ev.UID)
		e.SetDtStampTime(stamp)
		e.SetAllDayStartAt(ev.First.Time())
		e.SetAllDayEndAt(ev.First.AddDays(1).Time())
		e.SetSummary(ev.Summary)
		e.SetTimeTransparency(ics.TransparencyTransparent)
		if ev.Yearly {
			_, m, d := ev.First.Date()
			if m == time.February && d == 29 {
				// A 29 Feb date falls on 28 Feb in other years, as on Today.
				e.AddRrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1")
			} else {
				e.AddRrule("FREQ=YEARLY")
			}
		}
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("cannot write the calendar: %w", err)
	}
	return nil
}

// FirstOccurrence is the day a yearly date starts on: its own year, or 2000
// (a leap year, so 29 Feb exists) when the year is unknown.
func FirstOccurrence(y, m, d int) (Day, bool) {
	if y == 0 {
		y = 2000
	}
	if !ValidDate(y, time.Month(m), d) {
		return 0, false
	}
	return NewDay(y, time.Month(m), d), true
}
