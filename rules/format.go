package rules

import (
	"fmt"
	"strings"
)

// LocaleStyle is how one of Locales writes dates and amounts. The window,
// the printouts and the reminders' words all write them this way; files
// and the command line's own fields keep YYYY-MM-DD and 1234.50.
type LocaleStyle struct {
	MonthFirst bool   // "November 23, 2026" rather than "23 November 2026"
	DateSep    string // between a numeric date's parts
	DayDot     bool   // "23. November" rather than "23 November"
	Decimal    byte   // '.' or ','
	Group      string // thousands: ",", "." or a no-break space
}

// LocaleStyles has one entry for each of Locales.
var LocaleStyles = map[string]LocaleStyle{
	"en-GB": {DateSep: "/", Decimal: '.', Group: ","},
	"en-US": {MonthFirst: true, DateSep: "/", Decimal: '.', Group: ","},
	"de-DE": {DateSep: ".", DayDot: true, Decimal: ',', Group: "."},
	"fr-FR": {DateSep: "/", Decimal: ',', Group: "\u00a0"},
}

// Grouped writes a non-negative amount with the style's separators:
// 1,234.50.
func (l LocaleStyle) Grouped(c Cents) string {
	whole, frac, _ := strings.Cut(c.String(), ".")
	return l.groupDigits(whole) + string(l.Decimal) + frac
}

// Count writes a whole number with the style's thousands separator.
func (l LocaleStyle) Count(n int64) string {
	if n < 0 {
		return "-" + l.Count(-n)
	}
	return l.groupDigits(fmt.Sprint(n))
}

func (l LocaleStyle) groupDigits(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(l.Group)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// DayMonth writes a day of the year with its month as month names it:
// "23 November", "November 23", "23. November".
func (l LocaleStyle) DayMonth(month string, d int) string {
	switch {
	case l.MonthFirst:
		return fmt.Sprintf("%s %d", month, d)
	case l.DayDot:
		return fmt.Sprintf("%d. %s", d, month)
	}
	return fmt.Sprintf("%d %s", d, month)
}

// Wording is how the reminders' words write amounts, counts and days: the
// shop's currency sign and style (settings "currency" and "locale"). A shop
// that set neither keeps the plain forms: "12.50", "1500", "12 June".
type Wording struct {
	sign  string
	style LocaleStyle
	plain bool // no locale chosen
}

func WordingFrom(sign, locale string) Wording {
	style, ok := LocaleStyles[strings.TrimSpace(locale)]
	return Wording{sign: strings.TrimSpace(sign), style: style, plain: !ok}
}

func (w Wording) Money(c Cents) string {
	if c < 0 {
		return "-" + w.Money(-c)
	}
	if w.plain {
		return w.sign + c.String()
	}
	return w.sign + w.style.Grouped(c)
}

func (w Wording) Count(n int64) string {
	if w.plain {
		return fmt.Sprint(n)
	}
	return w.style.Count(n)
}

func (w Wording) DayMonth(d Day) string {
	if d.IsZero() {
		return ""
	}
	_, m, dd := d.Date()
	return w.style.DayMonth(m.String(), dd)
}

// date is a day with its year: "17 May 2024", "May 17, 2024".
func (w Wording) Date(d Day) string {
	if d.IsZero() {
		return ""
	}
	if w.style.MonthFirst {
		return fmt.Sprintf("%s, %d", w.DayMonth(d), d.Year())
	}
	return fmt.Sprintf("%s %d", w.DayMonth(d), d.Year())
}
