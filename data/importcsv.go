package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"regulars/importers"
	"regulars/rules"
	"strconv"
	"strings"
	"time"
)

// ImportOptions say how an import treats bad rows and points.
type ImportOptions struct {
	DryRun     bool   // check everything and report, write nothing
	SkipBad    bool   // write the good rows even when some are bad
	EarnPoints bool   // imported purchases earn points (history before the scheme earns none)
	Staff      string // recorded on the rows written; OwnerName when empty

	// Columns says which column of a customers CSV holds what; nil to
	// recognise the file by its header (see RecogniseCustomers).
	Columns importers.ColumnMap
}

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	Added    int                  // rows written (or that would be written on a dry run)
	Skipped  int                  // purchases whose reference is already present
	Bad      []importers.RowError // every bad row, in line order
	Warnings []string             // such as columns that were ignored
	Written  bool                 // rows were committed to the database

	// Format is the kind of customers file recognised; zero when it was
	// read through ImportOptions.Columns.
	Format importers.CustomerFormat
}

// checkStaff applies the name rules to the staff member an import is
// recorded under.
func (o ImportOptions) checkStaff() error {
	if o.Staff == "" {
		return nil
	}
	if err := rules.CheckName(o.Staff); err != nil {
		return fmt.Errorf("the staff name: %w", err)
	}
	return nil
}

func (o ImportOptions) staff() string {
	if s := strings.TrimSpace(o.Staff); s != "" {
		return s
	}
	return rules.OwnerName
}

// Customers.

func (s *Store) knownCustomers(ctx context.Context) (importers.KnownCustomers, error) {
	k := importers.KnownCustomers{ByPhone: map[string]importers.KnownCustomer{}, ByEmail: map[string]importers.KnownCustomer{}}
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name, phone_digits, email_norm FROM customers ORDER BY id")
	if err != nil {
		return k, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kc importers.KnownCustomer
		var phone, email string
		if err := rows.Scan(&kc.ID, &kc.Name, &phone, &email); err != nil {
			return k, s.explain(err)
		}
		if _, ok := k.ByPhone[phone]; phone != "" && !ok {
			k.ByPhone[phone] = kc
		}
		if _, ok := k.ByEmail[email]; email != "" && !ok {
			k.ByEmail[email] = kc
		}
	}
	return k, s.explain(rows.Err())
}

// ImportCustomersCSV adds the customers of a CSV file (see PRODUCT.md,
// "Files in and out"). With bad rows and without SkipBad nothing is
// written and the error wraps ErrBadRows; the report lists every bad row.
func (s *Store) ImportCustomersCSV(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if err := opt.checkStaff(); err != nil {
		return ImportReport{}, err
	}
	rows, bad, warnings, format, err := importers.ParseCustomersFile(r, opt.Columns)
	if err != nil {
		return ImportReport{}, err
	}
	rep, err := s.importCustomers(ctx, "customers CSV", "row", rows, bad, warnings, opt)
	rep.Format = format
	return rep, err
}

// importCustomers checks rows read from a file (each a "row" or a "card")
// against the database and writes the good ones.
func (s *Store) importCustomers(ctx context.Context, source, noun string, rows []importers.CustomerRow, bad []importers.RowError, warnings []string, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Warnings: warnings}
	known, err := s.knownCustomers(ctx)
	if err != nil {
		return rep, err
	}
	rows, ahead := importers.DatedAhead(rows, s.Today())
	bad = append(bad, ahead...)
	kept, dups := importers.ScreenCustomers(rows, known)
	rep.Bad = append(bad, dups...)
	importers.SortRowErrors(rep.Bad)
	if len(rep.Bad) > 0 && !opt.SkipBad {
		return rep, importers.RefuseBadRows(rep.Bad, noun)
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
			res, err := insCustomer.ExecContext(ctx, append(customerArgs(row.Customer), today.String())...)
			if err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			touch(tx, id)
			if row.Points > 0 {
				if _, err := insLedger.ExecContext(ctx, id, fmtInstant(now), today.String(), string(rules.LedgerAdjustment),
					row.Points, staff, "opening balance from import", TillName()); err != nil {
					return fmt.Errorf("line %d: %w", row.Line, err)
				}
			}
			for _, o := range row.Occasions {
				var year any
				if o.Date.Year != 0 {
					year = o.Date.Year
				}
				if _, err := insOccasion.ExecContext(ctx, id, o.Label, year, int(o.Date.Month), o.Date.Day,
					boolInt(o.Yearly), o.LeadDays); err != nil {
					return fmt.Errorf("line %d: %w", row.Line, err)
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

// Purchases.

// dbPurchase is what a refund needs to know of a purchase already stored.
type dbPurchase struct {
	id         rules.ID
	customerID rules.ID
	day        rules.Day
	amount     rules.Cents
	refundOf   rules.ID
	voided     bool
	refunded   rules.Cents // refunds so far, as a positive amount
	earned     int64       // points its earn rows gave
}

// plannedPurchase is a row that will be written.
type plannedPurchase struct {
	row        importers.PurchaseRow
	customerID rules.ID
	refundDB   rules.ID    // the stored purchase a refund refunds
	refundIdx  int         // or the planned row it refunds; -1 when none
	refunded   rules.Cents // refunds of this row planned so far
	// For a refund: the original's amount, how much of it was refunded
	// before this refund, and the points a stored original earned.
	origAmount   rules.Cents
	origRefunded rules.Cents
	origEarned   int64
	earned       int64 // points this row earned, once written
	newID        rules.ID
}

// fileTarget is what a value of the file's id column stands for.
type fileTarget struct {
	planned int      // index into the plan, or -1
	dbID    rules.ID // a stored purchase (the row was skipped as already present)
	badLine int      // the row was bad
	twice   bool
}

// ImportPurchasesCSV adds the purchase lines of a CSV file (see PRODUCT.md,
// "Files in and out"). Rows whose reference is already present are skipped.
func (s *Store) ImportPurchasesCSV(ctx context.Context, r io.Reader, opt ImportOptions) (ImportReport, error) {
	if err := opt.checkStaff(); err != nil {
		return ImportReport{}, err
	}
	rows, bad, warnings, err := importers.ParsePurchasesCSV(r)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Warnings: warnings}
	plan, more, skipped, err := s.planPurchases(ctx, rows)
	if err != nil {
		return rep, err
	}
	rep.Bad = append(bad, more...)
	importers.SortRowErrors(rep.Bad)
	rep.Skipped = skipped
	if len(rep.Bad) > 0 && !opt.SkipBad {
		return rep, importers.RefuseBadRows(rep.Bad, "row")
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
func (s *Store) planPurchases(ctx context.Context, rows []importers.PurchaseRow) ([]plannedPurchase, []importers.RowError, int, error) {
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
	today   rules.Day
	refs    map[string]rules.ID     // stored purchases by reference
	stored  map[rules.ID]dbPurchase // stored purchases a row may name
	matcher customerMatcher
	matches map[string]customerMatch         // MatchCustomer's answers, for values several customers share
	ids     map[string]*fileTarget           // what each value of the file's id column stands for
	planned map[string]int                   // references claimed by planned rows
	refLine map[string]importers.PurchaseRow // the first row of the file with each reference

	plan    []plannedPurchase
	bad     []importers.RowError
	skipped int
}

type customerMatch struct {
	c   rules.Customer
	err error
}

func (s *Store) newPurchasePlanner(ctx context.Context, rows []importers.PurchaseRow) (*purchasePlanner, error) {
	refs, err := s.storedReferences(ctx)
	if err != nil {
		return nil, err
	}
	// Every stored purchase a refund might name: numeric refund_of values
	// and rows already present under their reference.
	var wanted []rules.ID
	for _, p := range rows {
		if id, err := strconv.ParseInt(p.RefundOf, 10, 64); err == nil && id > 0 {
			wanted = append(wanted, id)
		}
		if id, ok := refs[p.Reference]; ok && p.Reference != "" {
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
		refLine: map[string]importers.PurchaseRow{},
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
func (pl *purchasePlanner) fail(p importers.PurchaseRow, reason string) {
	pl.bad = append(pl.bad, importers.RowError{Line: p.Line, Reason: reason})
	pl.setID(p.FileID, fileTarget{planned: -1, badLine: p.Line})
}

// add plans one row, skips it as already present, or marks it bad. Only a
// failure to read the database is an error.
func (pl *purchasePlanner) add(ctx context.Context, p importers.PurchaseRow) error {
	if p.Bad {
		pl.setID(p.FileID, fileTarget{planned: -1, badLine: p.Line})
		return nil
	}
	if p.Day > importers.AheadLimit(pl.today) {
		pl.fail(p, fmt.Sprintf("date %s is more than a year after today (%s)", p.Day, pl.today))
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
	id, reason, err := pl.customerOf(ctx, p.Customer)
	if err != nil {
		return err
	}
	if reason != "" {
		pl.fail(p, reason)
		return nil
	}
	pp.customerID = id
	if p.Amount < 0 {
		if reason := pl.planRefund(p, &pp); reason != "" {
			pl.fail(p, reason)
			return nil
		}
	}
	if p.Reference != "" {
		pl.planned[p.Reference] = len(pl.plan)
	}
	pl.setID(p.FileID, fileTarget{planned: len(pl.plan)})
	pl.plan = append(pl.plan, pp)
	return nil
}

// checkReference looks for a row's reference among earlier rows and stored
// purchases. The same receipt again is skipped (present); another sale under
// its number is a mistake, not something already present (the reason).
func (pl *purchasePlanner) checkReference(p importers.PurchaseRow) (present bool, reason string) {
	if p.Reference == "" {
		return false, ""
	}
	if first, ok := pl.refLine[p.Reference]; ok && (first.Amount != p.Amount || first.Day != p.Day || first.Customer != p.Customer) {
		return false, fmt.Sprintf("reference %s is already on line %d, with %s", p.Reference, first.Line, importers.PurchaseDiff(first.Amount, first.Day, p))
	} else if !ok {
		pl.refLine[p.Reference] = p
	}
	if id, ok := pl.refs[p.Reference]; ok {
		if o, ok := pl.stored[id]; ok && (o.amount != p.Amount || o.day != p.Day) {
			return false, fmt.Sprintf("reference %s is already purchase %d, with %s", p.Reference, id, importers.PurchaseDiff(o.amount, o.day, p))
		}
		pl.skipped++
		pl.setID(p.FileID, fileTarget{planned: -1, dbID: id})
		return true, ""
	}
	if i, ok := pl.planned[p.Reference]; ok {
		pl.skipped++
		pl.setID(p.FileID, fileTarget{planned: i})
		return true, ""
	}
	return false, ""
}

// customerOf finds the customer a row's phone, email or id names; 0 for a
// walk-in. A value that names no one, or several, comes back as the reason.
func (pl *purchasePlanner) customerOf(ctx context.Context, value string) (rules.ID, string, error) {
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
func (pl *purchasePlanner) planRefund(p importers.PurchaseRow, pp *plannedPurchase) string {
	orig, name, reason := pl.refundOriginal(p, pp)
	if reason != "" {
		return reason
	}
	switch {
	case orig.voided:
		return fmt.Sprintf("%s was voided and cannot be refunded", name)
	case orig.amount < 0:
		return fmt.Sprintf("%s is itself a refund", name)
	case p.Customer == "":
		pp.customerID = orig.customerID
	case pp.customerID != orig.customerID:
		if orig.customerID == 0 {
			return fmt.Sprintf("%s was a walk-in sale, not a sale to customer %d", name, pp.customerID)
		}
		return fmt.Sprintf("%s belongs to customer %d, not to customer %d", name, orig.customerID, pp.customerID)
	}
	if p.Day < orig.day {
		return fmt.Sprintf("the refund is dated before %s (%s)", name, orig.day)
	}
	if left := orig.amount - orig.refunded; -p.Amount > left {
		return fmt.Sprintf("the refund of %s is more than the %s left to refund of %s", -p.Amount, left, name)
	}
	pp.origAmount, pp.origRefunded, pp.origEarned = orig.amount, orig.refunded, orig.earned
	if pp.refundIdx >= 0 {
		pl.plan[pp.refundIdx].refunded += -p.Amount
	} else {
		o := pl.stored[pp.refundDB]
		o.refunded += -p.Amount
		pl.stored[pp.refundDB] = o
	}
	return ""
}

// refundOriginal finds the purchase a refund names, an earlier row of the
// file, else a stored purchase, and how to name it in a reason.
func (pl *purchasePlanner) refundOriginal(p importers.PurchaseRow, pp *plannedPurchase) (orig dbPurchase, name, reason string) {
	if t, ok := pl.ids[p.RefundOf]; ok {
		switch {
		case t.twice:
			return dbPurchase{}, "", fmt.Sprintf("refund_of %s names more than one earlier row of the file", p.RefundOf)
		case t.badLine != 0:
			return dbPurchase{}, "", fmt.Sprintf("refund_of %s names the row on line %d, which is bad", p.RefundOf, t.badLine)
		case t.planned >= 0:
			o := pl.plan[t.planned]
			pp.refundIdx = t.planned
			return dbPurchase{customerID: o.customerID, day: o.row.Day, amount: o.row.Amount,
				refunded: o.refunded, earned: o.earned}, fmt.Sprintf("the purchase on line %d", o.row.Line), ""
		default:
			pp.refundDB = t.dbID
			return pl.stored[t.dbID], fmt.Sprintf("purchase %d", t.dbID), ""
		}
	}
	id, err := strconv.ParseInt(p.RefundOf, 10, 64)
	o, ok := pl.stored[id]
	if err != nil || !ok {
		return dbPurchase{}, "", fmt.Sprintf("refund_of %q names no earlier row of the file and no stored purchase", p.RefundOf)
	}
	pp.refundDB = id
	return o, "purchase " + p.RefundOf, ""
}

// customerMatcher answers MatchCustomer's question from memory, by the same
// rules in the same order, so a file of thousands of rows needs no query per
// row; a value matching several customers still goes to MatchCustomer, whose
// error lists them.
type customerMatcher struct {
	byPhone map[string][]rules.ID
	byEmail map[string][]rules.ID
	ids     map[rules.ID]bool
}

func (s *Store) customerMatcher(ctx context.Context) (customerMatcher, error) {
	m := customerMatcher{byPhone: map[string][]rules.ID{}, byEmail: map[string][]rules.ID{}, ids: map[rules.ID]bool{}}
	err := s.eachRow(ctx, "SELECT id, phone_digits, email_norm FROM customers ORDER BY id", nil, func(r *sql.Rows) error {
		var id rules.ID
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
func (m customerMatcher) match(value string) (rules.ID, int) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, 0
	}
	if d := rules.PhoneDigits(v); d != "" && rules.CheckPhone(v) == nil {
		if ids := m.byPhone[d]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if strings.Contains(v, "@") {
		if ids := m.byEmail[rules.NormEmail(v)]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && m.ids[id] {
		return id, 1
	}
	return 0, 0
}

func (s *Store) storedReferences(ctx context.Context) (map[string]rules.ID, error) {
	refs := map[string]rules.ID{}
	rows, err := s.reader().QueryContext(ctx, "SELECT reference, id FROM purchases WHERE reference IS NOT NULL AND reference <> ''")
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var id rules.ID
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, s.explain(err)
		}
		refs[ref] = id
	}
	return refs, s.explain(rows.Err())
}

// storedPurchases loads the given purchases with what was refunded of them
// and the points they earned, in three queries whatever their number.
func (s *Store) storedPurchases(ctx context.Context, ids []rules.ID) (map[rules.ID]dbPurchase, error) {
	out := map[rules.ID]dbPurchase{}
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
			var id rules.ID
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
		func(p *dbPurchase, v int64) { p.refunded = rules.Cents(v) }); err != nil {
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
			y, m, d := p.Day.Date()
			refundOf := pp.refundDB
			if pp.refundIdx >= 0 {
				refundOf = plan[pp.refundIdx].newID
			}
			id, err := importPurchaseTx(ctx, tx, l, today, rules.Purchase{CustomerID: pp.customerID, At: time.Date(y, m, d, 12, 0, 0, 0, time.Local),
				Day: p.Day, Amount: p.Amount, Description: p.Description, Staff: staff, Reference: p.Reference, RefundOf: refundOf}, opt.EarnPoints)
			if err != nil {
				return fmt.Errorf("line %d: %w", p.Line, err)
			}
			pp.newID = id
		}
		return audit(ctx, tx, now, staff, "import purchases", "purchases CSV", "", fmt.Sprintf("%d purchases", len(plan)))
	})
}
