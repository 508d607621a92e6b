package printing

import (
	"regulars/rules"
)

// Format writes the dates, amounts and counts of a printout the way the
// shop's window does (its locale and currency sign), so that a printout
// never says "06/16/2026" beside "16 June 2026". Each field left nil writes
// the British way with no currency sign.
type Format struct {
	Date    func(rules.Day) string   // a day in a sentence: "16 June 2026"
	Weekday func(rules.Day) string   // a day with its weekday: "Tuesday 16 June 2026"
	Month   func(rules.Day) string   // a month under a chart: "Jun 2026"
	Money   func(rules.Cents) string // an amount: "£1,234.50"
	Number  func(int64) string       // a count: "410,976"
}

func (f Format) date(d rules.Day) string {
	if f.Date != nil {
		return f.Date(d)
	}
	return d.Time().Format("2 January 2006")
}

func (f Format) weekday(d rules.Day) string {
	if f.Weekday != nil {
		return f.Weekday(d)
	}
	return d.Time().Format("Monday 2 January 2006")
}

func (f Format) month(d rules.Day) string {
	if f.Month != nil {
		return f.Month(d)
	}
	return d.Time().Format("Jan 2006")
}

func (f Format) money(c rules.Cents) string {
	if f.Money != nil {
		return f.Money(c)
	}
	if c < 0 {
		return "-" + f.money(-c)
	}
	return britishStyle.Grouped(c)
}

func (f Format) number(n int64) string {
	if f.Number != nil {
		return f.Number(n)
	}
	return britishStyle.Count(n)
}

// britishStyle writes what a Format leaves unset.
var britishStyle = rules.LocaleStyles["en-GB"]

// count is a whole number of things.
func (f Format) count(n int) string { return f.number(int64(n)) }
