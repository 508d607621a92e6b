package data

import (
	"context"
	"io"
	"regulars/importers"
	"regulars/rules"
	"slices"
)

// PreviewCustomersCSV shows what ImportCustomersCSV would do with the same
// columns, with the file's first n rows.
func (s *Store) PreviewCustomersCSV(ctx context.Context, r io.Reader, columns importers.ColumnMap, n int) (ImportPreview, error) {
	rows, bad, warnings, format, err := importers.ParseCustomersFile(r, columns)
	if err != nil {
		return ImportPreview{}, err
	}
	p, err := s.preview(ctx, "row", rows, bad, warnings, n)
	p.Report.Format = format
	return p, err
}

// ImportVCard adds the contacts of a vCard file (one or many cards, as
// phones and mail programs export them) as customers. Duplicates and bad
// cards follow the customers CSV rules; a bad card's line is the line its
// BEGIN:VCARD is on.
func (s *Store) ImportVCard(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if err := opt.checkStaff(); err != nil {
		return ImportReport{}, err
	}
	rows, bad, warnings, err := importers.ParseVCards(r)
	if err != nil {
		return ImportReport{}, err
	}
	return s.importCustomers(ctx, "vCard file", "card", rows, bad, warnings, opt)
}

// ImportCustomersMapped adds the customers of a CSV file whose columns go
// to fields as mapping says: one entry per column of the file, a field of
// CustomerFields or "" to leave the column out. Otherwise it works as
// ImportCustomersCSV: all or nothing unless SkipBad, and duplicates of
// each other or of customers already known are bad rows.
func (s *Store) ImportCustomersMapped(ctx context.Context, r io.Reader, mapping []string, opt ImportOptions) (ImportReport, error) {
	rows, bad, warnings, err := importers.ParseMappedCustomers(r, mapping)
	if err != nil {
		return ImportReport{}, err
	}
	return s.importCustomers(ctx, "customers CSV", "row", rows, bad, warnings, opt)
}

// PreviewRow is one row (or card) of a file as it would be imported.
type PreviewRow struct {
	Line     int // where the row or card starts
	Customer rules.Customer
	Problem  string // why it would not be imported; "" when it would
}

// ImportPreview is what importing a file would do, written before anything is.
type ImportPreview struct {
	Rows   []PreviewRow // the first rows of the file
	Report ImportReport // as a dry run that skips bad rows: Added is how many would be added
}

// PreviewCustomersMapped shows what ImportCustomersMapped would do, with
// the file's first n rows.
func (s *Store) PreviewCustomersMapped(ctx context.Context, r io.Reader, mapping []string, n int) (ImportPreview, error) {
	rows, bad, warnings, err := importers.ParseMappedCustomers(r, mapping)
	if err != nil {
		return ImportPreview{}, err
	}
	return s.preview(ctx, "row", rows, bad, warnings, n)
}

// PreviewVCard shows what ImportVCard would do, with the first n cards.
func (s *Store) PreviewVCard(ctx context.Context, r io.Reader, n int) (ImportPreview, error) {
	rows, bad, warnings, err := importers.ParseVCards(r)
	if err != nil {
		return ImportPreview{}, err
	}
	return s.preview(ctx, "card", rows, bad, warnings, n)
}

func (s *Store) preview(ctx context.Context, noun string, rows []importers.CustomerRow, bad []importers.RowError, warnings []string, n int) (ImportPreview, error) {
	rep, err := s.importCustomers(ctx, "", noun, rows, slices.Clone(bad), warnings, ImportOptions{DryRun: true, SkipBad: true})
	if err != nil {
		return ImportPreview{}, err
	}
	problem := map[int]string{}
	for _, b := range rep.Bad {
		problem[b.Line] = b.Reason
	}
	var out []PreviewRow
	for _, row := range rows {
		out = append(out, PreviewRow{Line: row.Line, Customer: row.Customer, Problem: problem[row.Line]})
	}
	for _, b := range bad {
		out = append(out, PreviewRow{Line: b.Line, Problem: b.Reason})
	}
	slices.SortStableFunc(out, func(a, b PreviewRow) int { return a.Line - b.Line })
	return ImportPreview{Rows: out[:min(n, len(out))], Report: rep}, nil
}
