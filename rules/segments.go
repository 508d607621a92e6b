package rules

import (
	"encoding/csv"
	"fmt"
	"io"
)

// Groups of customers: how recently they bought, birthdays in a week or a
// month, and what a group message or a mailing list is made of.

// Band is how recently a customer last bought, as the activity report
// counts it.
type Band string

// Bands, most recent first.
const (
	BandActive   Band = "active"   // bought in the last 90 days
	BandLapsing  Band = "lapsing"  // last bought 90–179 days ago
	BandDrifting Band = "drifting" // last bought 180–364 days ago
	BandLost     Band = "lost"     // last bought a year or more ago
	BandNever    Band = "never"    // never bought
)

// BandOf is the band of a customer whose latest sale was on last, on day.
func BandOf(last, day Day) Band {
	switch age := day.Sub(last); {
	case last.IsZero():
		return BandNever
	case age < 90:
		return BandActive
	case age < 180:
		return BandLapsing
	case age < 365:
		return BandDrifting
	}
	return BandLost
}

// BirthdayWindow picks customers whose birthday falls in the week (Monday
// to Sunday) or the calendar month of the query's day.
type BirthdayWindow string

// Birthday windows; "" does not look at birthdays.
const (
	BirthdaysThisWeek  BirthdayWindow = "week"
	BirthdaysThisMonth BirthdayWindow = "month"
)

// BirthdayIn reports whether the customer's birthday falls in from..to,
// 29 Feb counting as 28 Feb in other years.
func BirthdayIn(b YearlyDate, from, to Day) bool {
	if b.IsZero() {
		return false
	}
	for yr := from.Year(); yr <= to.Year(); yr++ {
		if d := b.In(yr); d >= from && d <= to {
			return true
		}
	}
	return false
}

// Span is the first and last day the window covers around day.
func (w BirthdayWindow) Span(day Day) (Day, Day, error) {
	switch w {
	case BirthdaysThisWeek:
		monday := day.AddDays(-((int(day.Weekday()) + 6) % 7))
		return monday, monday.AddDays(6), nil
	case BirthdaysThisMonth:
		y, m, _ := day.Date()
		return NewDay(y, m, 1), NewDay(y, m, DaysIn(y, m)), nil
	}
	return 0, 0, fmt.Errorf("birthdays %q: choose this week or this month", string(w))
}

// WriteMailingList writes, for a mailing (email) or SMS service, one CSV
// row per customer who consented to that channel and can be reached on it;
// the others are left out. It returns how many rows were written.
func WriteMailingList(w io.Writer, cs []Customer, ch Channel) (int, error) {
	head := []string{"name", "first_name"}
	switch ch {
	case ChannelEmail:
		head = append(head, "email")
	case ChannelSMS:
		head = append(head, "phone")
	default:
		return 0, fmt.Errorf("a mailing list is for email or sms, not %q", string(ch))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		if !c.Reachable(ch) {
			continue
		}
		addr := CSVText(c.Email)
		if ch == ChannelSMS {
			addr = CSVPhone(c.Phone)
		}
		if err := cw.Write([]string{CSVText(c.Name), CSVText(FirstName(c.Name)), addr}); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("cannot write the mailing list: %w", err)
	}
	return n, nil
}

// GroupMessage renders a group message for one customer: the text may use
// {{.FirstName}}, {{.Name}} and {{.ShopName}} like the reminder templates.
func GroupMessage(text string, c Customer, shop string) (string, error) {
	return RenderMessage(text, MessageFields{FirstName: FirstName(c.Name), Name: c.Name, ShopName: shop})
}
