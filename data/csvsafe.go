package data

import "strings"

// A spreadsheet opening a CSV file runs a cell that starts with =, +, - or
// @ as a formula (and a tab or carriage return can hide such a start): a
// customer named =HYPERLINK(…) would run in the owner's spreadsheet. Every
// CSV the app writes passes its text cells through csvText, which puts an
// apostrophe before such a start, as OWASP recommends; a spreadsheet shows
// the text as it is. Numbers (a refund's -12.34, a redeem's -100 points)
// are written as they are: only text is neutralised. The importer takes
// the apostrophe off again (fromCSVText), so an exported file imports
// unchanged.

// formulaStart reports whether a cell starting with s would be read as a formula.
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// csvText is s made safe as a CSV cell. Text already starting with
// apostrophes before a formula character gets one more, so that
// fromCSVText gives back exactly s.
func csvText(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// fromCSVText undoes csvText.
func fromCSVText(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

// csvPhone is a phone number as a CSV cell: a number that passes CheckPhone
// (digits and a few signs, no letters) cannot hold a formula and stays as
// it is, "+44 …" included; anything else is text.
func csvPhone(s string) string {
	if CheckPhone(s) == nil {
		return s
	}
	return csvText(s)
}

// CSVText is csvText for the writers of other packages (the command
// line's today --format csv).
func CSVText(s string) string { return csvText(s) }
