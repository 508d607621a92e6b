// Package rules is the shop's pure domain: the kinds of row (customers,
// purchases, occasions, promises, complaints, contacts, ledger rows), days
// and money, phone numbers and countries, the reminder kinds and their
// rules, the loyalty scheme's maths (points, rewards, lots and expiry),
// message templates, which customers may be one person, groups of
// customers and mailing lists, what the Reports page holds, a customer's
// record as handed to them, the owner's calendar file, the set-up's answers
// and the owner PIN's form, which backups rotation keeps, each locale's way
// of writing amounts and days, Today's order, and the CSV cell guard.
//
// It knows nothing of where rows are kept: no SQL, no files, no clock of
// its own. Everything here is a plain value in and a plain value out, so
// its tests are tables that run in milliseconds.
package rules
