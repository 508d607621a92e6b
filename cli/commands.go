package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"regulars/data"
	"regulars/importers"
	"regulars/rules"
)

// badRowsError means the rows were already reported line by line.
type badRowsError struct{ n int }

func (e badRowsError) Error() string { return fmt.Sprintf("%d bad rows", e.n) }

func runDemo(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "demo"); err != nil {
		return err
	}
	if !a.has("db") && e.Getenv("REGULARS_DB") == "" {
		return usageErr("demo needs --db FILE: a demo shop goes in a file of its own")
	}
	opt := data.DemoOptions{Customers: 2000, Seed: 1}
	if v, ok := a.vals["customers"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return usageErr("--customers must be a whole number between 1 and 1000000")
		}
		opt.Customers = n
	}
	if v, ok := a.vals["seed"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return usageErr("--seed must be a whole number")
		}
		opt.Seed = n
	}
	s, err := open(ctx, e, a, mayCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	opt.End = s.Today()
	r, err := s.GenerateDemo(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "demo shop in %s: %d customers, %d purchases, %d refunds, %d contacts, %d complaints, %d promises, history up to %s\n",
		s.Path(), r.Customers, r.Purchases, r.Refunds, r.Contacts, r.Complaints, r.Promises, opt.End)
	return nil
}

// todayRow is one reminder in the contract's JSON and CSV shape.
type todayRow struct {
	CustomerID   rules.ID `json:"customer_id"`
	CustomerName string   `json:"customer_name"`
	Kind         string   `json:"kind"`
	Due          string   `json:"due"`
	OverdueDays  int      `json:"overdue_days"`
	Message      string   `json:"message"`
}

func runToday(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "today"); err != nil {
		return err
	}
	format := a.vals["format"]
	switch format {
	case "", "text", "json", "csv":
	default:
		return usageErr("--format must be text, json or csv")
	}
	s, err := open(ctx, e, a, readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	day := s.Today()
	rs, err := s.TodayList(ctx, day)
	if err != nil {
		return err
	}
	rows := make([]todayRow, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, todayRow{r.CustomerID, r.CustomerName, string(r.Kind), r.Due.String(), r.OverdueDays, r.Message})
	}
	switch format {
	case "json":
		enc := json.NewEncoder(e.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		w := csv.NewWriter(e.Stdout)
		w.Write([]string{"customer_id", "customer_name", "kind", "due", "overdue_days", "message"})
		for _, r := range rows {
			w.Write([]string{strconv.FormatInt(r.CustomerID, 10), rules.CSVText(r.CustomerName), r.Kind, r.Due, strconv.Itoa(r.OverdueDays), rules.CSVText(r.Message)})
		}
		w.Flush()
		return w.Error()
	}
	return printTodayText(e.Stdout, day, rs)
}

func printTodayText(w io.Writer, day rules.Day, rs []rules.Reminder) error {
	// Thousands of lines in a large shop: one write each would cost more
	// than working the list out.
	out := bufio.NewWriter(w)
	date := day.Time().Format("Monday 2 January 2006")
	if len(rs) == 0 {
		fmt.Fprintf(out, "Nothing to do on %s.\n", date)
		return out.Flush()
	}
	overdue := 0
	for _, r := range rs {
		if r.OverdueDays > 0 {
			overdue++
		}
	}
	fmt.Fprintf(out, "%s: %d to do, %d overdue\n", date, len(rs), overdue)
	for _, r := range rs {
		when := "due today"
		switch {
		case r.OverdueDays == 1:
			when = "1 day late"
		case r.OverdueDays > 1:
			when = fmt.Sprintf("%d days late", r.OverdueDays)
		case r.Due > day:
			when = "due " + r.Due.String()
		}
		who := fmt.Sprintf("%s (%d)", r.CustomerName, r.CustomerID)
		if r.Phone != "" {
			who += "  " + r.Phone
		} else if r.Email != "" {
			who += "  " + r.Email
		}
		fmt.Fprintf(out, "\n%-13s %-19s %s\n", when, strings.ReplaceAll(string(r.Kind), "_", " "), who)
		if r.Why != "" {
			fmt.Fprintf(out, "%34s%s\n", "", r.Why)
		}
		fmt.Fprintf(out, "%34s%s\n", "", oneLine(r.Message))
	}
	return out.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func runSale(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "sale"); err != nil {
		return err
	}
	who, ok := a.vals["customer"]
	if !ok || strings.TrimSpace(who) == "" {
		return usageErr("sale needs --customer PHONE|EMAIL|ID")
	}
	av, ok := a.vals["amount"]
	if !ok {
		return usageErr("sale needs --amount, such as --amount 12.34")
	}
	amount, err := rules.ParseCents(av)
	if err != nil {
		return fmt.Errorf("--amount: %w", err)
	}
	if amount <= 0 {
		return fmt.Errorf("--amount must be more than 0.00")
	}
	var redeem int64
	if v, ok := a.vals["redeem"]; ok {
		redeem, err = strconv.ParseInt(v, 10, 64)
		if err != nil || redeem < 0 {
			return fmt.Errorf("--redeem must be a whole number of points, such as 100")
		}
	}
	staff := rules.OwnerName
	if v, ok := a.vals["staff"]; ok {
		if err := rules.CheckName(v); err != nil {
			return fmt.Errorf("--staff: %w", err)
		}
		staff = strings.TrimSpace(v)
	}
	s, err := open(ctx, e, a, mustExist)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.MatchCustomer(ctx, who)
	if err != nil {
		return err
	}
	res, err := s.RecordSale(ctx, data.Sale{CustomerID: c.ID, Amount: amount, RedeemPoints: redeem, Staff: staff})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "purchase %d customer %d points %d balance %d\n", res.Purchase.ID, c.ID, res.Earned, res.Balance)
	return nil
}

func runImport(ctx context.Context, e *Env, a args) (err error) {
	what, file, columns, err := importArgs(a)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", file, unwrapPathErr(err))
	}
	defer f.Close()
	opt := data.ImportOptions{DryRun: a.bools["dry-run"], SkipBad: a.bools["skip-bad"], EarnPoints: a.bools["earn-points"], Staff: rules.OwnerName,
		Columns: columns}
	if v, ok := a.vals["staff"]; ok {
		if err := rules.CheckName(v); err != nil {
			return fmt.Errorf("--staff: %w", err)
		}
		opt.Staff = strings.TrimSpace(v)
	}
	path, err := dbPath(e, a)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(path)
	if data.IsPostgresURL(path) {
		statErr = nil // a database on a server is never removed here
	}
	s, err := open(ctx, e, a, mayCreate)
	if err != nil {
		return err
	}
	defer func() {
		closeImported(ctx, s, path, errors.Is(statErr, os.ErrNotExist) && (err != nil || opt.DryRun))
	}()
	rep, first, err := importFile(ctx, s, f, what, opt)
	printImportReport(e.Stderr, rep, first)
	if err = importError(e.Stderr, file, rep, err); err != nil {
		return err
	}
	printImportSummary(e.Stdout, what, opt.DryRun, rep)
	return nil
}

// importArgs reads what is imported, from which file, and --map.
func importArgs(a args) (what, file string, columns importers.ColumnMap, err error) {
	if len(a.pos) != 2 {
		return "", "", nil, usageErr("import needs what and a file: import customers|purchases FILE.csv, or import vcard FILE.vcf")
	}
	what, file = a.pos[0], a.pos[1]
	switch what {
	case "customers", "purchases", "vcard":
	default:
		return "", "", nil, usageErr("import takes customers, purchases or vcard, not %q", what)
	}
	if what == "vcard" && a.bools["earn-points"] {
		return "", "", nil, usageErr("--earn-points is for purchases")
	}
	if spec, ok := a.vals["map"]; ok {
		if what != "customers" {
			return "", "", nil, usageErr("--map is for customers")
		}
		m, err := importers.ParseColumnMap(spec)
		if err != nil {
			return "", "", nil, fmt.Errorf("--map: %w", err)
		}
		columns = m
	}
	return what, file, columns, nil
}

// closeImported closes the shop; one this import made, and then wrote
// nothing into (a dry run, a refused file), goes again: nothing was
// imported.
func closeImported(ctx context.Context, s *data.Store, path string, madeForNothing bool) {
	n, cerr := s.CountCustomers(ctx)
	s.Close()
	if madeForNothing && cerr == nil && n == 0 {
		for _, f := range []string{"", "-wal", "-shm", ".in-use"} {
			os.Remove(path + f)
		}
	}
}

// importFile imports f as what says. On a dry run of customers, first is the
// first rows as they will be stored.
func importFile(ctx context.Context, s *data.Store, f io.Reader, what string, opt data.ImportOptions) (rep data.ImportReport, first []data.PreviewRow, err error) {
	switch what {
	case "customers":
		if !opt.DryRun {
			rep, err = s.ImportCustomersCSV(ctx, f, opt)
			return rep, nil, err
		}
		pre, err := s.PreviewCustomersCSV(ctx, f, opt.Columns, math.MaxInt)
		rep = pre.Report
		if err == nil && len(rep.Bad) > 0 && !opt.SkipBad {
			err = importers.ErrBadRows
		}
		for _, r := range pre.Rows {
			if r.Problem == "" && len(first) < dryRunRows {
				first = append(first, r)
			}
		}
		return rep, first, err
	case "purchases":
		rep, err = s.ImportPurchasesCSV(ctx, f, opt)
	case "vcard":
		rep, err = s.ImportVCard(ctx, f, opt)
	}
	return rep, nil, err
}

// printImportReport tells what the import found in the file: its format,
// warnings, bad rows, and the first rows of a dry run.
func printImportReport(w io.Writer, rep data.ImportReport, first []data.PreviewRow) {
	if rep.Format.Foreign() {
		fmt.Fprintf(w, "recognised %s\n", rep.Format.WithArticle())
	}
	for _, warning := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warning)
	}
	for _, b := range rep.Bad {
		fmt.Fprintf(w, "line %d: %s\n", b.Line, b.Reason)
	}
	if len(first) > 0 {
		printStoredRows(w, first, rep.Added)
	}
}

// importError is the error the command ends with when the import failed,
// saying that nothing was imported.
func importError(stderr io.Writer, file string, rep data.ImportReport, err error) error {
	if errors.Is(err, importers.ErrBadRows) {
		fmt.Fprintf(stderr, "regulars: %d bad %s in %s; nothing was imported (fix them, or use --skip-bad to import the good rows).\n", len(rep.Bad), [2]string{"row", "rows"}[plural(len(rep.Bad))], file)
		return badRowsError{len(rep.Bad)}
	}
	if errors.Is(err, importers.ErrNotText) {
		return fmt.Errorf("%s: %w; nothing was imported", file, err)
	}
	var stop *importers.LineError
	if errors.As(err, &stop) {
		return fmt.Errorf("%w; nothing was imported", err)
	}
	return err
}

// printImportSummary says how many rows were (or would be) imported,
// skipped and left out.
func printImportSummary(w io.Writer, what string, dryRun bool, rep data.ImportReport) {
	noun := map[string][2]string{"customers": {"customer", "customers"}, "purchases": {"purchase", "purchases"}, "vcard": {"contact", "contacts"}}[what]
	verb := "imported"
	if dryRun {
		verb = "would import"
	}
	fmt.Fprintf(w, "%s %d %s", verb, rep.Added, noun[plural(rep.Added)])
	if rep.Skipped > 0 {
		fmt.Fprintf(w, ", %d already present skipped", rep.Skipped)
	}
	if len(rep.Bad) > 0 {
		fmt.Fprintf(w, ", %d bad %s left out", len(rep.Bad), [2]string{"row", "rows"}[plural(len(rep.Bad))])
	}
	fmt.Fprintln(w)
}

// dryRunRows is how many customers a dry run shows as they will be stored.
const dryRunRows = 5

// printStoredRows shows customers read from a file in the columns of the
// customers export, one line each, so a person can see what the import
// made of the file's columns before anything is written.
func printStoredRows(w io.Writer, rows []data.PreviewRow, added int) {
	fmt.Fprintf(w, "the first %d of %d %s as they will be stored:\n", len(rows), added, [2]string{"customer", "customers"}[plural(added)])
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "line\tname\tphone\temail\tbirthday\tcustomer_since\ttags\tdo_not_contact\tnotes")
	for _, r := range rows {
		c := r.Customer
		notes := oneLine(c.Notes)
		if n := []rune(notes); len(n) > 40 {
			notes = string(n[:39]) + "…"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%t\t%s\n", r.Line, oneLine(c.Name), c.Phone, c.Email, c.Birthday, c.CustomerSince,
			strings.Join(c.Tags, ";"), c.DoNotContact, notes)
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		fmt.Fprint(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n")))
	}
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func runExport(ctx context.Context, e *Env, a args) error {
	if len(a.pos) != 1 {
		return usageErr("export needs what: customers, purchases, ledger, contacts, reminders, complaints or ics")
	}
	what := a.pos[0]
	switch what {
	case "customers", "purchases", "ledger", "contacts", "reminders", "complaints", "ics":
	default:
		return usageErr("export takes customers, purchases, ledger, contacts, reminders, complaints or ics, not %q", what)
	}
	s, err := open(ctx, e, a, readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	out := a.vals["out"]
	write := func(w io.Writer) error {
		if what == "ics" {
			return s.ExportICS(ctx, w)
		}
		return s.ExportCSV(ctx, what, w)
	}
	if out == "" || out == "-" {
		return write(e.Stdout)
	}
	return writeFileAtomic(out, write)
}

// writeFileAtomic writes a new file beside path and renames it over path
// once it is whole, so a failed export never leaves half a file where a
// good one was. What stands at path must be a plain file, or nothing: a
// link, a device or a folder is refused, not replaced or written through.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		kind := "a folder"
		switch {
		case st.Mode()&os.ModeSymlink != 0:
			kind = "a link"
		case st.Mode()&(os.ModeDevice|os.ModeCharDevice) != 0:
			kind = "a device"
		case st.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0:
			kind = "a pipe"
		}
		return fmt.Errorf("%s is %s, not a file; give --out the name of a new or ordinary file", path, kind)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathErr(err))
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".regulars-export-*") // 0600, and new
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, unwrapPathErr(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathErr(err))
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func runBackup(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "backup"); err != nil {
		return err
	}
	s, err := open(ctx, e, a, readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	to := a.vals["to"]
	if to == "" {
		to = data.DefaultBackupDir(s.Path()) + string(os.PathSeparator)
	}
	path, err := s.Backup(ctx, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "backup written to %s\n", path)
	return nil
}

func runRestore(ctx context.Context, e *Env, a args) error {
	if len(a.pos) != 1 {
		return usageErr("restore needs the backup file: regulars restore PATH")
	}
	path, err := dbPath(e, a)
	if err != nil {
		return err
	}
	if !data.IsPostgresURL(path) {
		// A window open on the file would go on writing to the copy moved
		// aside. A shop on PostgreSQL has no lock file: its restore is one
		// transaction the tills wait for.
		release, err := data.LockWindow(path)
		if err != nil {
			return err
		}
		defer release()
	}
	aside, err := data.Restore(ctx, a.pos[0], path)
	if err != nil {
		return err
	}
	if aside != "" {
		fmt.Fprintf(e.Stdout, "restored %s from %s; the previous file was kept as %s\n", data.PlaceName(path), a.pos[0], aside)
	} else {
		fmt.Fprintf(e.Stdout, "restored %s from %s\n", data.PlaceName(path), a.pos[0])
	}
	return nil
}

func runCheck(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "check"); err != nil {
		return err
	}
	s, err := open(ctx, e, a, readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	problems, err := s.Check(ctx)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(e.Stdout, "problem: %s\n", p.What)
	}
	switch len(problems) {
	case 0:
	case 1:
		return fmt.Errorf("%s has 1 problem", s.Path())
	default:
		return fmt.Errorf("%s has %d problems", s.Path(), len(problems))
	}
	n, err := s.CountCustomers(ctx)
	if err != nil {
		return err
	}
	if s.OnPostgres() {
		fmt.Fprintf(e.Stdout, "ok: %s passes the reference check, every ledger invariant and the summary check (%d customers); the integrity check of the file is for a shop in a file only\n", s.Path(), n)
		return nil
	}
	fmt.Fprintf(e.Stdout, "ok: %s passes the integrity check and every ledger invariant (%d customers)\n", s.Path(), n)
	return nil
}

// plural picks the word form for n: 0 for one, 1 for any other number.
func plural(n int) int {
	if n == 1 {
		return 0
	}
	return 1
}
