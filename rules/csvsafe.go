package rules

import "strings"

// A spreadsheet opening a CSV file runs a cell that starts with =, +, - or
// @ as a formula (and a tab or carriage return can hide such a start): a
// customer named =HYPERLINK(…) would run in the owner's spreadsheet. Every
// CSV the app writes passes its text cells through CSVText, which puts an
// apostrophe before such a start, as OWASP recommends; a spreadsheet shows
// the text as it is. Numbers (a refund's -12.34, a redeem's -100 points)
// are written as they are: only text is neutralised. The importer takes
// the apostrophe off again (FromCSVText), so an exported file imports
// unchanged.

// FormulaStart reports whether a cell starting with s would be read as a formula.
func FormulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// CSVText is s made safe as a CSV cell. Text already starting with
// apostrophes before a formula character gets one more, so that
// FromCSVText gives back exactly s.
func CSVText(s string) string {
	if FormulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// FromCSVText undoes CSVText.
func FromCSVText(s string) string {
	if strings.HasPrefix(s, "'") && FormulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

// CSVPhone is a phone number as a CSV cell: a number that passes CheckPhone
// (digits and a few signs, no letters) cannot hold a formula and stays as
// it is, "+44 …" included; anything else is text.
func CSVPhone(s string) string {
	if CheckPhone(s) == nil {
		return s
	}
	return CSVText(s)
}
