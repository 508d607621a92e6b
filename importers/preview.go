package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// What the window's import shows before anything is written: a sample of
// a CSV file with a guess of what each column holds, and for CSV and
// vCard files the first rows as customers with what is wrong with each.

// CustomerFields are the fields a column of a customers file can go to.
// A file with first and last names in separate columns maps them to
// first_name and last_name, which are joined into the name.
var CustomerFields = []string{"name", "first_name", "last_name", "phone", "email", "birthday", "customer_since",
	"notes", "tags", "do_not_contact", "points"}

// CSVSample is the head of a CSV file.
type CSVSample struct {
	Header []string
	Rows   [][]string // the first data rows, as read
	Guess  []string   // per column, the field it seems to hold ("" to leave it out)
}

// fieldWords are header names (lower case, letters and digits only) that
// say which field a column holds, as spreadsheets and phone or mail
// programs name them.
var fieldWords = map[string][]string{
	"name":           {"name", "fullname", "customer", "customername", "displayname", "contactname", "client", "clientname"},
	"first_name":     {"firstname", "givenname", "forename", "first"},
	"last_name":      {"lastname", "familyname", "surname", "last"},
	"phone":          {"phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone", "telephone", "tel", "primaryphone", "homephone", "businessphone", "phone1value"},
	"email":          {"email", "emailaddress", "mail", "email1value", "emailaddress1", "primaryemail"},
	"birthday":       {"birthday", "birthdate", "dateofbirth", "dob", "born"},
	"customer_since": {"customersince", "since", "joined", "membersince", "firstvisit", "customerfrom"},
	"notes":          {"notes", "note", "comments", "comment", "remarks"},
	"tags":           {"tags", "tag", "labels", "groups", "groupmembership", "categories"},
	"do_not_contact": {"donotcontact", "optout", "optedout", "unsubscribed", "nocontact"},
	"points":         {"points", "balance", "loyaltypoints", "pointsbalance"},
}

// GuessField says which customer field a column header names, or "".
func GuessField(header string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(header) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	key := b.String()
	for _, f := range CustomerFields {
		if slices.Contains(fieldWords[f], key) {
			return f
		}
	}
	return ""
}

// guessFields maps each header to a field, each field at most once (the
// first column that names it wins).
func guessFields(header []string) []string {
	out := make([]string, len(header))
	taken := map[string]bool{}
	for i, h := range header {
		if f := GuessField(h); f != "" && !taken[f] {
			out[i], taken[f] = f, true
		}
	}
	if taken["name"] {
		// A full name beats its parts.
		for i, f := range out {
			if f == "first_name" || f == "last_name" {
				out[i] = ""
			}
		}
	}
	return out
}

// SampleCSV reads the header and up to n data rows of a CSV file.
func SampleCSV(r io.Reader, n int) (CSVSample, error) {
	br := bufio.NewReader(newCSVGuard(r, MaxCustomerRows))
	if head, _ := br.Peek(3); bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	} else if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return CSVSample{}, fmt.Errorf("the file is UTF-16 text; save it as CSV in UTF-8")
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return CSVSample{}, fmt.Errorf("the file is empty: it needs a header row naming its columns")
	}
	if stop := stopsReading(err); stop != nil {
		return CSVSample{}, stop
	}
	if err != nil {
		return CSVSample{}, fmt.Errorf("the header row cannot be read as CSV (%v)", err)
	}
	if len(header) == 1 && strings.Count(header[0], ";") > 0 {
		return CSVSample{}, fmt.Errorf("the file separates its columns with semicolons; save it as CSV with commas")
	}
	s := CSVSample{Header: header, Guess: guessFields(header)}
	for len(s.Rows) < n {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue // reported with its line when the file is checked
			}
			return s, readError(err)
		}
		s.Rows = append(s.Rows, rec)
	}
	return s, nil
}

// checkMapping says what is wrong with a column mapping.
func checkMapping(mapping []string) error {
	seen := map[string]bool{}
	for _, f := range mapping {
		if f == "" {
			continue
		}
		if !slices.Contains(CustomerFields, f) {
			return fmt.Errorf("%q is not a customer field", f)
		}
		if seen[f] {
			return fmt.Errorf("two columns go to %s; choose one", strings.ReplaceAll(f, "_", " "))
		}
		seen[f] = true
	}
	if !seen["name"] && !seen["first_name"] && !seen["last_name"] {
		return fmt.Errorf("choose the column that holds the name")
	}
	if seen["name"] && (seen["first_name"] || seen["last_name"]) {
		return fmt.Errorf("choose either a full name column or first and last name columns, not both")
	}
	return nil
}

// ignoredColumn names a column the mapping leaves out; it cannot clash
// with a field, so the file's own header never matters.
func ignoredColumn(i int) string { return "-" + strconv.Itoa(i+1) }

// remapHeader returns the file with its header row replaced by the mapped
// field names. The data rows are passed on untouched and keep their line
// numbers, so bad rows are reported on the lines the person sees.
func remapHeader(r io.Reader, mapping []string) (io.Reader, []string, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(3); bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	// The header ends at the first line break outside quotes.
	header, err := readHeaderLine(br)
	if err != nil {
		return nil, nil, err
	}
	cols, err := csv.NewReader(bytes.NewReader(header)).Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("the file is empty: it needs a header row naming its columns")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the header row cannot be read as CSV (%v)", err)
	}
	if len(cols) != len(mapping) {
		return nil, nil, fmt.Errorf("the file has %d columns but %d were mapped", len(cols), len(mapping))
	}
	known := slices.Clone(CustomerFields)
	names := make([]string, len(mapping))
	for i, f := range mapping {
		names[i] = f
		if f == "" {
			names[i] = ignoredColumn(i)
			known = append(known, names[i])
		}
	}
	var nh bytes.Buffer
	cw := csv.NewWriter(&nh)
	cw.Write(names)
	cw.Flush()
	// Line breaks inside the old header keep the rows on their lines.
	nh.Write(bytes.Repeat([]byte("\n"), bytes.Count(bytes.TrimSuffix(header, []byte("\n")), []byte("\n"))))
	return io.MultiReader(&nh, br), known, nil
}

// ParseMappedCustomers reads a customers CSV through a column mapping.
func ParseMappedCustomers(r io.Reader, mapping []string) ([]CustomerRow, []RowError, []string, error) {
	if err := checkMapping(mapping); err != nil {
		return nil, nil, nil, err
	}
	mr, known, err := remapHeader(r, mapping)
	if err != nil {
		return nil, nil, nil, err
	}
	recs, bad, warnings, err := readCSVTable(mr, known, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []CustomerRow
	for _, rec := range recs {
		if _, ok := rec.fields["name"]; !ok {
			rec.fields["name"] = strings.TrimSpace(rec.get("first_name") + " " + rec.get("last_name"))
		}
		// Spreadsheets and Shopify put an apostrophe before a number to keep it text.
		rec.fields["phone"] = strings.TrimPrefix(rec.get("phone"), "'")
		row, reasons := customerFromRecord(rec)
		if len(reasons) > 0 {
			bad = append(bad, RowError{Line: rec.line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		rows = append(rows, row)
	}
	SortRowErrors(bad)
	return rows, bad, warnings, nil
}
