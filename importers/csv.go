package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regulars/rules"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// RowError is one bad row (or card) of an imported file. Line is the
// physical line on which the record starts; the header is line 1.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ErrBadRows means an import was refused because some rows are bad; the
// report lists them. Nothing was written.
var ErrBadRows = errors.New("import refused")

func RefuseBadRows(bad []RowError, noun string) error {
	if len(bad) == 1 {
		return fmt.Errorf("%w: 1 %s is bad, so nothing was written", ErrBadRows, noun)
	}
	return fmt.Errorf("%w: %d %ss are bad, so nothing was written", ErrBadRows, len(bad), noun)
}

func SortRowErrors(bad []RowError) {
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
}

// AheadLimit is how far after today an imported date may be: a till
// export dated tomorrow passes, 9999-12-31 does not.
func AheadLimit(today rules.Day) rules.Day { return today.AddYears(1) }

// csvRecord is one data row, its fields keyed by lower-case column name.
type csvRecord struct {
	line   int
	fields map[string]string
}

func (r csvRecord) get(col string) string { return strings.TrimSpace(r.fields[col]) }

// text is a text column of our own CSV files, with the apostrophe our
// exports put before a formula-like start taken off (csvsafe.go).
func (r csvRecord) text(col string) string { return rules.FromCSVText(r.get(col)) }

// readCSVTable reads a CSV file with a header row. Columns not in known are
// named in one warning and ignored; a missing required column, or a file that
// is not CSV text at all, is an error. Rows that cannot be used come back as
// bad rows so the rest of the file can still be checked.
func readCSVTable(r io.Reader, known, required []string) ([]csvRecord, []RowError, []string, error) {
	cr, err := newCSVReader(r)
	if err != nil {
		return nil, nil, nil, err
	}
	header, err := readCSVHeaderRow(cr, required)
	if err != nil {
		return nil, nil, nil, err
	}
	index, warnings, err := csvColumns(header, known, required)
	if err != nil {
		return nil, nil, nil, err
	}
	recs, bad, err := readCSVRecords(cr, index, len(header))
	if err != nil {
		return nil, nil, nil, err
	}
	return recs, bad, warnings, nil
}

// newCSVReader skips a UTF-8 byte order mark and refuses UTF-16 text, which
// spreadsheets offer as "Unicode text" and which reads as nonsense.
func newCSVReader(r io.Reader) (*csv.Reader, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return nil, fmt.Errorf("the file is UTF-16 text; save it as CSV in UTF-8")
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	return cr, nil
}

// readCSVHeaderRow reads the first row, which names the columns.
func readCSVHeaderRow(cr *csv.Reader, required []string) ([]string, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the file is empty: it needs a header row naming its columns")
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("the header row cannot be read as CSV (%s)", csvReason(pe))
		}
		return nil, readError(err)
	}
	if len(header) == 1 && strings.Count(header[0], ";") >= len(required) && len(required) > 0 {
		// Spreadsheets set up for a decimal comma save "CSV" with semicolons.
		return nil, fmt.Errorf("the file separates its columns with semicolons; save it as CSV with commas")
	}
	return header, nil
}

// csvColumns maps each known column of the header to its position. Unknown
// columns come back as one warning; a missing required column is an error.
func csvColumns(header, known, required []string) (map[string]int, []string, error) {
	index := map[string]int{}
	var unknown []string
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, nil, fmt.Errorf("the header row is not UTF-8 text; save the file as CSV in UTF-8")
		}
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(known, name) {
			if name == "" {
				unknown = append(unknown, fmt.Sprintf("number %d (it has no name)", i+1))
			} else {
				unknown = append(unknown, strconv.Quote(strings.TrimSpace(h)))
			}
			continue
		}
		if _, dup := index[name]; dup {
			return nil, nil, fmt.Errorf("the column %q appears twice in the header row", name)
		}
		index[name] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) == 1 {
		return nil, nil, fmt.Errorf("the file has no %q column in its header row", missing[0])
	}
	if len(missing) > 1 {
		return nil, nil, fmt.Errorf("the file lacks the columns %s in its header row", strings.Join(missing, ", "))
	}
	var warnings []string
	if len(unknown) == 1 {
		warnings = append(warnings, fmt.Sprintf("the column %s is unknown and was ignored", unknown[0]))
	} else if len(unknown) > 1 {
		warnings = append(warnings, fmt.Sprintf("the columns %s are unknown and were ignored", strings.Join(unknown, ", ")))
	}
	return index, warnings, nil
}

// readCSVRecords reads the data rows after the header. A row that cannot be
// used is a bad row and reading carries on; only a failure to read the file
// itself is an error.
func readCSVRecords(cr *csv.Reader, index map[string]int, width int) ([]csvRecord, []RowError, error) {
	var recs []csvRecord
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, readError(err)
			}
			// The reader has consumed the broken record's lines, so
			// checking carries on with the next one.
			bad = append(bad, RowError{Line: pe.StartLine, Reason: csvReason(pe)})
			continue
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		if reason := csvRecordFault(rec, width); reason != "" {
			bad = append(bad, RowError{Line: line, Reason: reason})
			continue
		}
		fields := make(map[string]string, len(index))
		for name, i := range index {
			fields[name] = rec[i]
		}
		recs = append(recs, csvRecord{line: line, fields: fields})
	}
	return recs, bad, nil
}

// csvRecordFault says why a data row cannot be used, or "" when it can.
func csvRecordFault(rec []string, width int) string {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return "the row is not UTF-8 text (save the file as CSV in UTF-8)"
		}
	}
	if len(rec) != width {
		return fmt.Sprintf("the row has %d fields but the header has %d", len(rec), width)
	}
	return ""
}

// blankRecord reports a row with nothing in it, such as ",,,": spreadsheets
// write those for empty lines, and they are skipped like empty lines are.
func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvReason(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`a quote mark stands inside a field that does not start with one (line %d, column %d); inside a quoted field write it as ""`, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		if pe.Line != pe.StartLine {
			return fmt.Sprintf("a quoted field is not closed properly (the record runs to line %d)", pe.Line)
		}
		return fmt.Sprintf("a quoted field is not closed properly (column %d)", pe.Column)
	}
	return pe.Err.Error()
}

var customerColumns = []string{"id", "name", "phone", "email", "birthday", "customer_since", "notes", "tags", "do_not_contact", "points"}

// MaxOpeningPoints keeps opening balances far from overflow when summed.
const MaxOpeningPoints = 1_000_000_000

// CustomerRow is a customer read from a file, not yet checked against the
// database.
type CustomerRow struct {
	Line      int
	Customer  rules.Customer
	Points    int64            // opening balance
	Occasions []rules.Occasion // from vCards: anniversaries
}

// ParseCustomersCSV reads and checks a customers CSV without a database:
// ours, or an export the recogniser knows (see importformats.go). Rows come
// back in file order; duplicates are not looked for yet (see
// ScreenCustomers).
func ParseCustomersCSV(r io.Reader) ([]CustomerRow, []RowError, []string, error) {
	rows, bad, warnings, _, err := ParseCustomersFile(r, nil)
	return rows, bad, warnings, err
}

// parseOwnCustomersCSV reads a customers CSV with our own column names.
func parseOwnCustomersCSV(r io.Reader) ([]CustomerRow, []RowError, []string, error) {
	recs, bad, warnings, err := readCSVTable(r, customerColumns, []string{"name"})
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []CustomerRow
	for _, rec := range recs {
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

func customerFromRecord(rec csvRecord) (CustomerRow, []string) {
	row := CustomerRow{Line: rec.line}
	c := &row.Customer
	var reasons []string
	c.Name = rec.text("name")
	if err := rules.CheckName(c.Name); err != nil {
		reasons = append(reasons, err.Error())
	}
	c.Phone = rec.text("phone")
	if err := rules.CheckPhone(c.Phone); err != nil {
		reasons = append(reasons, err.Error())
	}
	c.Email = rec.text("email")
	if err := rules.CheckEmail(c.Email); err != nil {
		reasons = append(reasons, err.Error())
	}
	if v := rec.get("birthday"); v != "" {
		b, err := rules.ParseYearlyDate(v)
		if err != nil {
			reasons = append(reasons, "birthday "+err.Error())
		}
		c.Birthday = b
	}
	if v := rec.get("customer_since"); v != "" {
		d, err := rules.ParseDay(v)
		if err != nil {
			reasons = append(reasons, "customer_since "+err.Error())
		}
		c.CustomerSince = d
	}
	c.Notes = keepText(rules.FromCSVText(rec.fields["notes"]))
	c.Tags = rules.SplitTags(rec.text("tags"))
	if v := rec.get("do_not_contact"); v != "" {
		b, ok := parseYesNo(v)
		if !ok {
			reasons = append(reasons, fmt.Sprintf("do_not_contact %q is not true/false, yes/no or 1/0", v))
		}
		c.DoNotContact = b
	}
	if v := rec.get("points"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil && errors.Is(err, strconv.ErrRange), err == nil && n > MaxOpeningPoints:
			reasons = append(reasons, fmt.Sprintf("points %q is too large an opening balance", v))
		case err != nil:
			reasons = append(reasons, fmt.Sprintf("points %q is not a whole number", v))
		case n < 0:
			reasons = append(reasons, fmt.Sprintf("points %q is negative; an opening balance is 0 or more", v))
		}
		row.Points = n
	}
	return row, reasons
}

// keepText keeps free text as written, so an exported file imports
// unchanged; only a field of nothing but spaces counts as empty.
func keepText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}

// DatedAhead turns customers who became customers more than a year after
// today into bad rows: a date such as 9999-12-31 is a typing mistake, and
// reminders counted from it would never come.
func DatedAhead(rows []CustomerRow, today rules.Day) ([]CustomerRow, []RowError) {
	var kept []CustomerRow
	var bad []RowError
	limit := AheadLimit(today)
	for _, row := range rows {
		if since := row.Customer.CustomerSince; since > limit {
			bad = append(bad, RowError{Line: row.Line, Reason: fmt.Sprintf("customer_since %s is more than a year after today (%s)", since, today)})
			continue
		}
		kept = append(kept, row)
	}
	return kept, bad
}

var purchaseColumns = []string{"id", "customer", "date", "amount", "description", "reference", "refund_of"}

// PurchaseRow is a purchase line read from a file. Bad rows are kept (with
// bad set) so that a refund naming one can say so.
type PurchaseRow struct {
	Line        int
	FileID      string // the file's own id column, which refund_of may name
	Customer    string // phone, email or id; "" for a walk-in
	Day         rules.Day
	Amount      rules.Cents
	Description string
	Reference   string
	RefundOf    string
	Bad         bool
}

// ParsePurchasesCSV reads and checks a purchases CSV without a database.
// Every data row comes back, the bad ones marked and listed.
func ParsePurchasesCSV(r io.Reader) ([]PurchaseRow, []RowError, []string, error) {
	recs, bad, warnings, err := readCSVTable(newCSVGuard(r, maxPurchaseRows), purchaseColumns, []string{"customer", "date", "amount"})
	if err != nil {
		return nil, nil, nil, err
	}
	rows := make([]PurchaseRow, 0, len(recs))
	for _, rec := range recs {
		p := PurchaseRow{
			Line:        rec.line,
			FileID:      rec.get("id"),
			Customer:    rec.get("customer"),
			Description: keepText(rules.FromCSVText(rec.fields["description"])),
			Reference:   rec.text("reference"),
			RefundOf:    rec.get("refund_of"),
		}
		var reasons []string
		d, err := rules.ParseDay(rec.get("date"))
		if err != nil {
			if rec.get("date") == "" {
				reasons = append(reasons, "the date is empty")
			} else {
				reasons = append(reasons, "date "+err.Error())
			}
		}
		p.Day = d
		a, err := rules.ParseCents(rec.get("amount"))
		switch {
		case err != nil:
			reasons = append(reasons, err.Error())
		case a == 0:
			reasons = append(reasons, "the amount is zero")
		case a < 0 && p.RefundOf == "":
			reasons = append(reasons, "a negative amount is a refund and needs refund_of naming the purchase it refunds")
		case a > 0 && p.RefundOf != "":
			reasons = append(reasons, "refund_of is set but the amount is not negative")
		}
		p.Amount = a
		if len(reasons) > 0 {
			p.Bad = true
			bad = append(bad, RowError{Line: rec.line, Reason: strings.Join(reasons, "; ")})
		}
		rows = append(rows, p)
	}
	SortRowErrors(bad)
	return rows, bad, warnings, nil
}

// PurchaseDiff says how a row differs from the purchase of the same
// reference: another amount, or another date.
func PurchaseDiff(amount rules.Cents, day rules.Day, p PurchaseRow) string {
	switch {
	case amount != p.Amount:
		return fmt.Sprintf("the amount %s, not %s", amount, p.Amount)
	case day != p.Day:
		return fmt.Sprintf("the date %s, not %s", day, p.Day)
	}
	return "another customer"
}

// KnownCustomer names the customer already holding a phone or email.
type KnownCustomer struct {
	ID   rules.ID
	Name string
}

// KnownCustomers indexes the database's customers by phone digits and
// normalised email, so duplicates are found without a query per row.
type KnownCustomers struct {
	ByPhone map[string]KnownCustomer
	ByEmail map[string]KnownCustomer
}

// ScreenCustomers keeps the first row with a given phone or email and turns
// later ones, and rows matching a customer already in the database, into bad
// rows. Only rows that are kept claim their phone and email.
func ScreenCustomers(rows []CustomerRow, known KnownCustomers) ([]CustomerRow, []RowError) {
	var kept []CustomerRow
	var bad []RowError
	phoneLine := map[string]int{}
	emailLine := map[string]int{}
	for _, row := range rows {
		d, e := rules.PhoneDigits(row.Customer.Phone), rules.NormEmail(row.Customer.Email)
		reason := ""
		switch kc, ok := known.ByPhone[d]; {
		case d != "" && ok:
			reason = fmt.Sprintf("phone %s already belongs to customer %d %s", row.Customer.Phone, kc.ID, kc.Name)
		case d != "" && phoneLine[d] != 0:
			reason = fmt.Sprintf("phone %s is already on line %d", row.Customer.Phone, phoneLine[d])
		}
		if reason == "" {
			switch kc, ok := known.ByEmail[e]; {
			case e != "" && ok:
				reason = fmt.Sprintf("email %s already belongs to customer %d %s", row.Customer.Email, kc.ID, kc.Name)
			case e != "" && emailLine[e] != 0:
				reason = fmt.Sprintf("email %s is already on line %d", row.Customer.Email, emailLine[e])
			}
		}
		if reason != "" {
			bad = append(bad, RowError{Line: row.Line, Reason: reason})
			continue
		}
		if d != "" {
			phoneLine[d] = row.Line
		}
		if e != "" {
			emailLine[e] = row.Line
		}
		kept = append(kept, row)
	}
	return kept, bad
}
