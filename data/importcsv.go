package data

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ImportOptions say how an import treats bad rows and points.
type ImportOptions struct {
	DryRun     bool   // check everything and report, write nothing
	SkipBad    bool   // write the good rows even when some are bad
	EarnPoints bool   // imported purchases earn points (history before the scheme earns none)
	Staff      string // recorded on the rows written; OwnerName when empty

	// Columns says which column of a customers CSV holds what; nil to
	// recognise the file by its header (see RecogniseCustomers).
	Columns ColumnMap
}

// RowError is one bad row (or card) of an imported file. Line is the
// physical line on which the record starts; the header is line 1.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	Added    int        // rows written (or that would be written on a dry run)
	Skipped  int        // purchases whose reference is already present
	Bad      []RowError // every bad row, in line order
	Warnings []string   // such as columns that were ignored
	Written  bool       // rows were committed to the database

	// Format is the kind of customers file recognised; zero when it was
	// read through ImportOptions.Columns.
	Format CustomerFormat
}

// ErrBadRows means an import was refused because some rows are bad; the
// report lists them. Nothing was written.
var ErrBadRows = errors.New("import refused")

func refuseBadRows(bad []RowError, noun string) error {
	if len(bad) == 1 {
		return fmt.Errorf("%w: 1 %s is bad, so nothing was written", ErrBadRows, noun)
	}
	return fmt.Errorf("%w: %d %ss are bad, so nothing was written", ErrBadRows, len(bad), noun)
}

func sortRowErrors(bad []RowError) {
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
}

// checkStaff applies the name rules to the staff member an import is
// recorded under.
func (o ImportOptions) checkStaff() error {
	if o.Staff == "" {
		return nil
	}
	if err := CheckName(o.Staff); err != nil {
		return fmt.Errorf("the staff name: %w", err)
	}
	return nil
}

// aheadLimit is how far after today an imported date may be: a till
// export dated tomorrow passes, 9999-12-31 does not.
func aheadLimit(today Day) Day { return today.AddYears(1) }

func (o ImportOptions) staff() string {
	if s := strings.TrimSpace(o.Staff); s != "" {
		return s
	}
	return OwnerName
}

// csvRecord is one data row, its fields keyed by lower-case column name.
type csvRecord struct {
	line   int
	fields map[string]string
}

func (r csvRecord) get(col string) string { return strings.TrimSpace(r.fields[col]) }

// text is a text column of our own CSV files, with the apostrophe our
// exports put before a formula-like start taken off (csvsafe.go).
func (r csvRecord) text(col string) string { return fromCSVText(r.get(col)) }

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

// Customers.

var customerColumns = []string{"id", "name", "phone", "email", "birthday", "customer_since", "notes", "tags", "do_not_contact", "points"}

// maxOpeningPoints keeps opening balances far from overflow when summed.
const maxOpeningPoints = 1_000_000_000

// customerRow is a customer read from a file, not yet checked against the
// database.
type customerRow struct {
	line      int
	c         Customer
	points    int64      // opening balance
	occasions []Occasion // from vCards: anniversaries
}

// parseCustomersCSV reads and checks a customers CSV without a database:
// ours, or an export the recogniser knows (see importformats.go). Rows come
// back in file order; duplicates are not looked for yet (see
// screenCustomers).
func parseCustomersCSV(r io.Reader) ([]customerRow, []RowError, []string, error) {
	rows, bad, warnings, _, err := parseCustomersFile(r, nil)
	return rows, bad, warnings, err
}

// parseOwnCustomersCSV reads a customers CSV with our own column names.
func parseOwnCustomersCSV(r io.Reader) ([]customerRow, []RowError, []string, error) {
	recs, bad, warnings, err := readCSVTable(r, customerColumns, []string{"name"})
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []customerRow
	for _, rec := range recs {
		row, reasons := customerFromRecord(rec)
		if len(reasons) > 0 {
			bad = append(bad, RowError{Line: rec.line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		rows = append(rows, row)
	}
	sortRowErrors(bad)
	return rows, bad, warnings, nil
}

func customerFromRecord(rec csvRecord) (customerRow, []string) {
	row := customerRow{line: rec.line}
	c := &row.c
	var reasons []string
	c.Name = rec.text("name")
	if err := CheckName(c.Name); err != nil {
		reasons = append(reasons, err.Error())
	}
	c.Phone = rec.text("phone")
	if err := CheckPhone(c.Phone); err != nil {
		reasons = append(reasons, err.Error())
	}
	c.Email = rec.text("email")
	if err := CheckEmail(c.Email); err != nil {
		reasons = append(reasons, err.Error())
	}
	if v := rec.get("birthday"); v != "" {
		b, err := ParseYearlyDate(v)
		if err != nil {
			reasons = append(reasons, "birthday "+err.Error())
		}
		c.Birthday = b
	}
	if v := rec.get("customer_since"); v != "" {
		d, err := ParseDay(v)
		if err != nil {
			reasons = append(reasons, "customer_since "+err.Error())
		}
		c.CustomerSince = d
	}
	c.Notes = keepText(fromCSVText(rec.fields["notes"]))
	c.Tags = splitTags(rec.text("tags"))
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
		case err != nil && errors.Is(err, strconv.ErrRange), err == nil && n > maxOpeningPoints:
			reasons = append(reasons, fmt.Sprintf("points %q is too large an opening balance", v))
		case err != nil:
			reasons = append(reasons, fmt.Sprintf("points %q is not a whole number", v))
		case n < 0:
			reasons = append(reasons, fmt.Sprintf("points %q is negative; an opening balance is 0 or more", v))
		}
		row.points = n
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

// knownCustomer names the customer already holding a phone or email.
type knownCustomer struct {
	id   ID
	name string
}

// knownCustomers indexes the database's customers by phone digits and
// normalised email, so duplicates are found without a query per row.
type knownCustomers struct {
	byPhone map[string]knownCustomer
	byEmail map[string]knownCustomer
}

func (s *Store) knownCustomers(ctx context.Context) (knownCustomers, error) {
	k := knownCustomers{byPhone: map[string]knownCustomer{}, byEmail: map[string]knownCustomer{}}
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name, phone_digits, email_norm FROM customers ORDER BY id")
	if err != nil {
		return k, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kc knownCustomer
		var phone, email string
		if err := rows.Scan(&kc.id, &kc.name, &phone, &email); err != nil {
			return k, s.explain(err)
		}
		if _, ok := k.byPhone[phone]; phone != "" && !ok {
			k.byPhone[phone] = kc
		}
		if _, ok := k.byEmail[email]; email != "" && !ok {
			k.byEmail[email] = kc
		}
	}
	return k, s.explain(rows.Err())
}

// screenCustomers keeps the first row with a given phone or email and turns
// later ones, and rows matching a customer already in the database, into bad
// rows. Only rows that are kept claim their phone and email.
func screenCustomers(rows []customerRow, known knownCustomers) ([]customerRow, []RowError) {
	var kept []customerRow
	var bad []RowError
	phoneLine := map[string]int{}
	emailLine := map[string]int{}
	for _, row := range rows {
		d, e := PhoneDigits(row.c.Phone), NormEmail(row.c.Email)
		reason := ""
		switch kc, ok := known.byPhone[d]; {
		case d != "" && ok:
			reason = fmt.Sprintf("phone %s already belongs to customer %d %s", row.c.Phone, kc.id, kc.name)
		case d != "" && phoneLine[d] != 0:
			reason = fmt.Sprintf("phone %s is already on line %d", row.c.Phone, phoneLine[d])
		}
		if reason == "" {
			switch kc, ok := known.byEmail[e]; {
			case e != "" && ok:
				reason = fmt.Sprintf("email %s already belongs to customer %d %s", row.c.Email, kc.id, kc.name)
			case e != "" && emailLine[e] != 0:
				reason = fmt.Sprintf("email %s is already on line %d", row.c.Email, emailLine[e])
			}
		}
		if reason != "" {
			bad = append(bad, RowError{Line: row.line, Reason: reason})
			continue
		}
		if d != "" {
			phoneLine[d] = row.line
		}
		if e != "" {
			emailLine[e] = row.line
		}
		kept = append(kept, row)
	}
	return kept, bad
}

// ImportCustomersCSV adds the customers of a CSV file (see PRODUCT.md,
// "Files in and out"). With bad rows and without SkipBad nothing is
// written and the error wraps ErrBadRows; the report lists every bad row.
func (s *Store) ImportCustomersCSV(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if err := opt.checkStaff(); err != nil {
		return ImportReport{}, err
	}
	rows, bad, warnings, format, err := parseCustomersFile(r, opt.Columns)
	if err != nil {
		return ImportReport{}, err
	}
	rep, err := s.importCustomers(ctx, "customers CSV", "row", rows, bad, warnings, opt)
	rep.Format = format
	return rep, err
}

// importCustomers checks rows read from a file (each a "row" or a "card")
// against the database and writes the good ones.
func (s *Store) importCustomers(ctx context.Context, source, noun string, rows []customerRow, bad []RowError, warnings []string, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Warnings: warnings}
	known, err := s.knownCustomers(ctx)
	if err != nil {
		return rep, err
	}
	rows, ahead := datedAhead(rows, s.Today())
	bad = append(bad, ahead...)
	kept, dups := screenCustomers(rows, known)
	rep.Bad = append(bad, dups...)
	sortRowErrors(rep.Bad)
	if len(rep.Bad) > 0 && !opt.SkipBad {
		return rep, refuseBadRows(rep.Bad, noun)
	}
	if opt.DryRun || len(kept) == 0 {
		rep.Added = len(kept)
		return rep, nil
	}
	staff := opt.staff()
	now, today := s.Now(), s.Today()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		insCustomer, err := tx.PrepareContext(ctx, `INSERT INTO customers(name, name_fold, phone, phone_digits, email, email_norm,
			birthday_year, birthday_month, birthday_day, address, notes, tags, preferred_channel,
			do_not_contact, customer_since, added_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer insCustomer.Close()
		insLedger, err := tx.PrepareContext(ctx, `INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason, till)
			VALUES (?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer insLedger.Close()
		insOccasion, err := tx.PrepareContext(ctx, `INSERT INTO occasions(customer_id, label, year, month, day, yearly, lead_days)
			VALUES (?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer insOccasion.Close()
		for _, row := range kept {
			res, err := insCustomer.ExecContext(ctx, append(customerArgs(row.c), today.String())...)
			if err != nil {
				return fmt.Errorf("line %d: %w", row.line, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			touch(tx, id)
			if row.points > 0 {
				if _, err := insLedger.ExecContext(ctx, id, fmtInstant(now), today.String(), string(LedgerAdjustment),
					row.points, staff, "opening balance from import", TillName()); err != nil {
					return fmt.Errorf("line %d: %w", row.line, err)
				}
			}
			for _, o := range row.occasions {
				var year any
				if o.Date.Year != 0 {
					year = o.Date.Year
				}
				if _, err := insOccasion.ExecContext(ctx, id, o.Label, year, int(o.Date.Month), o.Date.Day,
					boolInt(o.Yearly), o.LeadDays); err != nil {
					return fmt.Errorf("line %d: %w", row.line, err)
				}
			}
		}
		return audit(ctx, tx, now, staff, "import customers", source, "", fmt.Sprintf("%d customers", len(kept)))
	})
	if err != nil {
		return rep, err
	}
	s.customersRewritten()
	rep.Added = len(kept)
	rep.Written = true
	return rep, nil
}

// datedAhead turns customers who became customers more than a year after
// today into bad rows: a date such as 9999-12-31 is a typing mistake, and
// reminders counted from it would never come.
func datedAhead(rows []customerRow, today Day) ([]customerRow, []RowError) {
	var kept []customerRow
	var bad []RowError
	limit := aheadLimit(today)
	for _, row := range rows {
		if since := row.c.CustomerSince; since > limit {
			bad = append(bad, RowError{Line: row.line, Reason: fmt.Sprintf("customer_since %s is more than a year after today (%s)", since, today)})
			continue
		}
		kept = append(kept, row)
	}
	return kept, bad
}

// Purchases.

var purchaseColumns = []string{"id", "customer", "date", "amount", "description", "reference", "refund_of"}

// purchaseRow is a purchase line read from a file. Bad rows are kept (with
// bad set) so that a refund naming one can say so.
type purchaseRow struct {
	line        int
	fileID      string // the file's own id column, which refund_of may name
	customer    string // phone, email or id; "" for a walk-in
	day         Day
	amount      Cents
	description string
	reference   string
	refundOf    string
	bad         bool
}

// parsePurchasesCSV reads and checks a purchases CSV without a database.
// Every data row comes back, the bad ones marked and listed.
func parsePurchasesCSV(r io.Reader) ([]purchaseRow, []RowError, []string, error) {
	recs, bad, warnings, err := readCSVTable(newCSVGuard(r, maxPurchaseRows), purchaseColumns, []string{"customer", "date", "amount"})
	if err != nil {
		return nil, nil, nil, err
	}
	rows := make([]purchaseRow, 0, len(recs))
	for _, rec := range recs {
		p := purchaseRow{
			line:        rec.line,
			fileID:      rec.get("id"),
			customer:    rec.get("customer"),
			description: keepText(fromCSVText(rec.fields["description"])),
			reference:   rec.text("reference"),
			refundOf:    rec.get("refund_of"),
		}
		var reasons []string
		d, err := ParseDay(rec.get("date"))
		if err != nil {
			if rec.get("date") == "" {
				reasons = append(reasons, "the date is empty")
			} else {
				reasons = append(reasons, "date "+err.Error())
			}
		}
		p.day = d
		a, err := ParseCents(rec.get("amount"))
		switch {
		case err != nil:
			reasons = append(reasons, err.Error())
		case a == 0:
			reasons = append(reasons, "the amount is zero")
		case a < 0 && p.refundOf == "":
			reasons = append(reasons, "a negative amount is a refund and needs refund_of naming the purchase it refunds")
		case a > 0 && p.refundOf != "":
			reasons = append(reasons, "refund_of is set but the amount is not negative")
		}
		p.amount = a
		if len(reasons) > 0 {
			p.bad = true
			bad = append(bad, RowError{Line: rec.line, Reason: strings.Join(reasons, "; ")})
		}
		rows = append(rows, p)
	}
	sortRowErrors(bad)
	return rows, bad, warnings, nil
}

// dbPurchase is what a refund needs to know of a purchase already stored.
type dbPurchase struct {
	id         ID
	customerID ID
	day        Day
	amount     Cents
	refundOf   ID
	voided     bool
	refunded   Cents // refunds so far, as a positive amount
	earned     int64 // points its earn rows gave
}

// plannedPurchase is a row that will be written.
type plannedPurchase struct {
	row        purchaseRow
	customerID ID
	refundDB   ID    // the stored purchase a refund refunds
	refundIdx  int   // or the planned row it refunds; -1 when none
	refunded   Cents // refunds of this row planned so far
	// For a refund: the original's amount, how much of it was refunded
	// before this refund, and the points a stored original earned.
	origAmount   Cents
	origRefunded Cents
	origEarned   int64
	earned       int64 // points this row earned, once written
	newID        ID
}

// fileTarget is what a value of the file's id column stands for.
type fileTarget struct {
	planned int // index into the plan, or -1
	dbID    ID  // a stored purchase (the row was skipped as already present)
	badLine int // the row was bad
	twice   bool
}

// ImportPurchasesCSV adds the purchase lines of a CSV file (see PRODUCT.md,
// "Files in and out"). Rows whose reference is already present are skipped.
func (s *Store) ImportPurchasesCSV(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if err := opt.checkStaff(); err != nil {
		return ImportReport{}, err
	}
	rows, bad, warnings, err := parsePurchasesCSV(r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Warnings: warnings}
	plan, more, skipped, err := s.planPurchases(ctx, rows)
	if err != nil {
		return rep, err
	}
	rep.Bad = append(bad, more...)
	sortRowErrors(rep.Bad)
	rep.Skipped = skipped
	if len(rep.Bad) > 0 && !opt.SkipBad {
		return rep, refuseBadRows(rep.Bad, "row")
	}
	if opt.DryRun || len(plan) == 0 {
		rep.Added = len(plan)
		return rep, nil
	}
	if err := s.writePurchases(ctx, plan, opt); err != nil {
		return rep, err
	}
	rep.Added = len(plan)
	rep.Written = true
	return rep, nil
}

// planPurchases resolves customers, references and refunds against the
// database, loading what it needs up front rather than querying per row.
func (s *Store) planPurchases(ctx context.Context, rows []purchaseRow) ([]plannedPurchase, []RowError, int, error) {
	pl, err := s.newPurchasePlanner(ctx, rows)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, p := range rows {
		if err := pl.add(ctx, p); err != nil {
			return nil, nil, 0, err
		}
	}
	return pl.plan, pl.bad, pl.skipped, nil
}

// purchasePlanner is planPurchases part way through a file: what it loaded
// from the database and what the rows so far have planned or claimed.
type purchasePlanner struct {
	s       *Store
	today   Day
	refs    map[string]ID     // stored purchases by reference
	stored  map[ID]dbPurchase // stored purchases a row may name
	matcher customerMatcher
	matches map[string]customerMatch // MatchCustomer's answers, for values several customers share
	ids     map[string]*fileTarget   // what each value of the file's id column stands for
	planned map[string]int           // references claimed by planned rows
	refLine map[string]purchaseRow   // the first row of the file with each reference

	plan    []plannedPurchase
	bad     []RowError
	skipped int
}

type customerMatch struct {
	c   Customer
	err error
}

func (s *Store) newPurchasePlanner(ctx context.Context, rows []purchaseRow) (*purchasePlanner, error) {
	refs, err := s.storedReferences(ctx)
	if err != nil {
		return nil, err
	}
	// Every stored purchase a refund might name: numeric refund_of values
	// and rows already present under their reference.
	var wanted []ID
	for _, p := range rows {
		if id, err := strconv.ParseInt(p.refundOf, 10, 64); err == nil && id > 0 {
			wanted = append(wanted, id)
		}
		if id, ok := refs[p.reference]; ok && p.reference != "" {
			wanted = append(wanted, id)
		}
	}
	stored, err := s.storedPurchases(ctx, wanted)
	if err != nil {
		return nil, err
	}
	matcher, err := s.customerMatcher(ctx)
	if err != nil {
		return nil, err
	}
	return &purchasePlanner{
		s:       s,
		today:   s.Today(),
		refs:    refs,
		stored:  stored,
		matcher: matcher,
		matches: map[string]customerMatch{},
		ids:     map[string]*fileTarget{},
		planned: map[string]int{},
		refLine: map[string]purchaseRow{},
	}, nil
}

// setID records what a value of the file's id column stands for; a value
// used twice stands for nothing a refund may name.
func (pl *purchasePlanner) setID(fileID string, t fileTarget) {
	if fileID == "" {
		return
	}
	if old, ok := pl.ids[fileID]; ok {
		old.twice = true
		return
	}
	pl.ids[fileID] = &t
}

// fail marks a row bad.
func (pl *purchasePlanner) fail(p purchaseRow, reason string) {
	pl.bad = append(pl.bad, RowError{Line: p.line, Reason: reason})
	pl.setID(p.fileID, fileTarget{planned: -1, badLine: p.line})
}

// add plans one row, skips it as already present, or marks it bad. Only a
// failure to read the database is an error.
func (pl *purchasePlanner) add(ctx context.Context, p purchaseRow) error {
	if p.bad {
		pl.setID(p.fileID, fileTarget{planned: -1, badLine: p.line})
		return nil
	}
	if p.day > aheadLimit(pl.today) {
		pl.fail(p, fmt.Sprintf("date %s is more than a year after today (%s)", p.day, pl.today))
		return nil
	}
	present, reason := pl.checkReference(p)
	if reason != "" {
		pl.fail(p, reason)
		return nil
	}
	if present {
		return nil
	}
	pp := plannedPurchase{row: p, refundIdx: -1}
	id, reason, err := pl.customerOf(ctx, p.customer)
	if err != nil {
		return err
	}
	if reason != "" {
		pl.fail(p, reason)
		return nil
	}
	pp.customerID = id
	if p.amount < 0 {
		if reason := pl.planRefund(p, &pp); reason != "" {
			pl.fail(p, reason)
			return nil
		}
	}
	if p.reference != "" {
		pl.planned[p.reference] = len(pl.plan)
	}
	pl.setID(p.fileID, fileTarget{planned: len(pl.plan)})
	pl.plan = append(pl.plan, pp)
	return nil
}

// checkReference looks for a row's reference among earlier rows and stored
// purchases. The same receipt again is skipped (present); another sale under
// its number is a mistake, not something already present (the reason).
func (pl *purchasePlanner) checkReference(p purchaseRow) (present bool, reason string) {
	if p.reference == "" {
		return false, ""
	}
	if first, ok := pl.refLine[p.reference]; ok && (first.amount != p.amount || first.day != p.day || first.customer != p.customer) {
		return false, fmt.Sprintf("reference %s is already on line %d, with %s", p.reference, first.line, purchaseDiff(first.amount, first.day, p))
	} else if !ok {
		pl.refLine[p.reference] = p
	}
	if id, ok := pl.refs[p.reference]; ok {
		if o, ok := pl.stored[id]; ok && (o.amount != p.amount || o.day != p.day) {
			return false, fmt.Sprintf("reference %s is already purchase %d, with %s", p.reference, id, purchaseDiff(o.amount, o.day, p))
		}
		pl.skipped++
		pl.setID(p.fileID, fileTarget{planned: -1, dbID: id})
		return true, ""
	}
	if i, ok := pl.planned[p.reference]; ok {
		pl.skipped++
		pl.setID(p.fileID, fileTarget{planned: i})
		return true, ""
	}
	return false, ""
}

// customerOf finds the customer a row's phone, email or id names; 0 for a
// walk-in. A value that names no one, or several, comes back as the reason.
func (pl *purchasePlanner) customerOf(ctx context.Context, value string) (ID, string, error) {
	if value == "" {
		return 0, "", nil
	}
	switch id, n := pl.matcher.match(value); n {
	case 1:
		return id, "", nil
	case 0:
		return 0, fmt.Sprintf("no customer has the phone, email or id %q", value), nil
	}
	// Several customers: MatchCustomer lists them.
	m, ok := pl.matches[value]
	if !ok {
		m.c, m.err = pl.s.MatchCustomer(ctx, value)
		pl.matches[value] = m
	}
	var amb *AmbiguousError
	switch {
	case errors.As(m.err, &amb):
		return 0, amb.Error(), nil
	case errors.Is(m.err, ErrNotFound):
		return 0, fmt.Sprintf("no customer has the phone, email or id %q", value), nil
	case m.err != nil:
		return 0, "", m.err
	}
	return m.c.ID, "", nil
}

// planRefund checks a refund against the purchase it refunds and counts it
// against what is left of that purchase; it says why when it cannot.
func (pl *purchasePlanner) planRefund(p purchaseRow, pp *plannedPurchase) string {
	orig, name, reason := pl.refundOriginal(p, pp)
	if reason != "" {
		return reason
	}
	switch {
	case orig.voided:
		return fmt.Sprintf("%s was voided and cannot be refunded", name)
	case orig.amount < 0:
		return fmt.Sprintf("%s is itself a refund", name)
	case p.customer == "":
		pp.customerID = orig.customerID
	case pp.customerID != orig.customerID:
		if orig.customerID == 0 {
			return fmt.Sprintf("%s was a walk-in sale, not a sale to customer %d", name, pp.customerID)
		}
		return fmt.Sprintf("%s belongs to customer %d, not to customer %d", name, orig.customerID, pp.customerID)
	}
	if p.day < orig.day {
		return fmt.Sprintf("the refund is dated before %s (%s)", name, orig.day)
	}
	if left := orig.amount - orig.refunded; -p.amount > left {
		return fmt.Sprintf("the refund of %s is more than the %s left to refund of %s", -p.amount, left, name)
	}
	pp.origAmount, pp.origRefunded, pp.origEarned = orig.amount, orig.refunded, orig.earned
	if pp.refundIdx >= 0 {
		pl.plan[pp.refundIdx].refunded += -p.amount
	} else {
		o := pl.stored[pp.refundDB]
		o.refunded += -p.amount
		pl.stored[pp.refundDB] = o
	}
	return ""
}

// refundOriginal finds the purchase a refund names, an earlier row of the
// file, else a stored purchase, and how to name it in a reason.
func (pl *purchasePlanner) refundOriginal(p purchaseRow, pp *plannedPurchase) (orig dbPurchase, name, reason string) {
	if t, ok := pl.ids[p.refundOf]; ok {
		switch {
		case t.twice:
			return dbPurchase{}, "", fmt.Sprintf("refund_of %s names more than one earlier row of the file", p.refundOf)
		case t.badLine != 0:
			return dbPurchase{}, "", fmt.Sprintf("refund_of %s names the row on line %d, which is bad", p.refundOf, t.badLine)
		case t.planned >= 0:
			o := pl.plan[t.planned]
			pp.refundIdx = t.planned
			return dbPurchase{customerID: o.customerID, day: o.row.day, amount: o.row.amount,
				refunded: o.refunded, earned: o.earned}, fmt.Sprintf("the purchase on line %d", o.row.line), ""
		default:
			pp.refundDB = t.dbID
			return pl.stored[t.dbID], fmt.Sprintf("purchase %d", t.dbID), ""
		}
	}
	id, err := strconv.ParseInt(p.refundOf, 10, 64)
	o, ok := pl.stored[id]
	if err != nil || !ok {
		return dbPurchase{}, "", fmt.Sprintf("refund_of %q names no earlier row of the file and no stored purchase", p.refundOf)
	}
	pp.refundDB = id
	return o, "purchase " + p.refundOf, ""
}

// purchaseDiff says how a row differs from the purchase of the same
// reference: another amount, or another date.
func purchaseDiff(amount Cents, day Day, p purchaseRow) string {
	switch {
	case amount != p.amount:
		return fmt.Sprintf("the amount %s, not %s", amount, p.amount)
	case day != p.day:
		return fmt.Sprintf("the date %s, not %s", day, p.day)
	}
	return "another customer"
}

// customerMatcher answers MatchCustomer's question from memory, by the same
// rules in the same order, so a file of thousands of rows needs no query per
// row; a value matching several customers still goes to MatchCustomer, whose
// error lists them.
type customerMatcher struct {
	byPhone map[string][]ID
	byEmail map[string][]ID
	ids     map[ID]bool
}

func (s *Store) customerMatcher(ctx context.Context) (customerMatcher, error) {
	m := customerMatcher{byPhone: map[string][]ID{}, byEmail: map[string][]ID{}, ids: map[ID]bool{}}
	err := s.eachRow(ctx, "SELECT id, phone_digits, email_norm FROM customers ORDER BY id", nil, func(r *sql.Rows) error {
		var id ID
		var phone, email string
		if err := r.Scan(&id, &phone, &email); err != nil {
			return err
		}
		m.ids[id] = true
		if phone != "" {
			m.byPhone[phone] = append(m.byPhone[phone], id)
		}
		if email != "" {
			m.byEmail[email] = append(m.byEmail[email], id)
		}
		return nil
	})
	return m, err
}

// match returns the customer a value names and how many it matches at the
// first rule that matches any: 1, 0 (none at all), or more (ambiguous).
func (m customerMatcher) match(value string) (ID, int) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, 0
	}
	if d := PhoneDigits(v); d != "" && CheckPhone(v) == nil {
		if ids := m.byPhone[d]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if strings.Contains(v, "@") {
		if ids := m.byEmail[NormEmail(v)]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && m.ids[id] {
		return id, 1
	}
	return 0, 0
}

func (s *Store) storedReferences(ctx context.Context) (map[string]ID, error) {
	refs := map[string]ID{}
	rows, err := s.reader().QueryContext(ctx, "SELECT reference, id FROM purchases WHERE reference IS NOT NULL AND reference <> ''")
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var id ID
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, s.explain(err)
		}
		refs[ref] = id
	}
	return refs, s.explain(rows.Err())
}

// storedPurchases loads the given purchases with what was refunded of them
// and the points they earned, in three queries whatever their number.
func (s *Store) storedPurchases(ctx context.Context, ids []ID) (map[ID]dbPurchase, error) {
	out := map[ID]dbPurchase{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = itoa(id)
	}
	arg := "[" + strings.Join(list, ",") + "]"
	rows, err := s.reader().QueryContext(ctx, `SELECT id, coalesce(customer_id, 0), day, amount_cents, coalesce(refund_of, 0), voided
		FROM purchases WHERE id IN (SELECT value FROM json_each(?))`, arg)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p dbPurchase
		var day sql.NullString
		var voided int
		if err := rows.Scan(&p.id, &p.customerID, &day, &p.amount, &p.refundOf, &voided); err != nil {
			return nil, s.explain(err)
		}
		p.day = scanDay(day)
		p.voided = voided != 0
		out[p.id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	sums := func(q string, apply func(p *dbPurchase, v int64)) error {
		rows, err := s.reader().QueryContext(ctx, q, arg)
		if err != nil {
			return s.explain(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id ID
			var v int64
			if err := rows.Scan(&id, &v); err != nil {
				return s.explain(err)
			}
			if p, ok := out[id]; ok {
				apply(&p, v)
				out[id] = p
			}
		}
		return s.explain(rows.Err())
	}
	if err := sums(`SELECT refund_of, -sum(amount_cents) FROM purchases
		WHERE voided = 0 AND refund_of IN (SELECT value FROM json_each(?)) GROUP BY refund_of`,
		func(p *dbPurchase, v int64) { p.refunded = Cents(v) }); err != nil {
		return nil, err
	}
	if err := sums(`SELECT purchase_id, sum(points) FROM ledger
		WHERE kind = 'earn' AND purchase_id IN (SELECT value FROM json_each(?)) GROUP BY purchase_id`,
		func(p *dbPurchase, v int64) { p.earned = v }); err != nil {
		return nil, err
	}
	return out, nil
}

// writePurchases writes the planned rows in one transaction through the
// same ImportPurchase the rest of the store uses, so imported refunds take
// back points exactly like refunds at the till.
func (s *Store) writePurchases(ctx context.Context, plan []plannedPurchase, opt ImportOptions) error {
	staff := opt.staff()
	now := s.Now()
	l, err := s.scheme(ctx)
	if err != nil {
		return err
	}
	today := s.Today()
	return s.tx(ctx, func(tx *sql.Tx) error {
		for i := range plan {
			pp := &plan[i]
			p := pp.row
			y, m, d := p.day.Date()
			refundOf := pp.refundDB
			if pp.refundIdx >= 0 {
				refundOf = plan[pp.refundIdx].newID
			}
			id, err := importPurchaseTx(ctx, tx, l, today, Purchase{CustomerID: pp.customerID, At: time.Date(y, m, d, 12, 0, 0, 0, time.Local),
				Day: p.day, Amount: p.amount, Description: p.description, Staff: staff, Reference: p.reference, RefundOf: refundOf}, opt.EarnPoints)
			if err != nil {
				return fmt.Errorf("line %d: %w", p.line, err)
			}
			pp.newID = id
		}
		return audit(ctx, tx, now, staff, "import purchases", "purchases CSV", "", fmt.Sprintf("%d purchases", len(plan)))
	})
}
