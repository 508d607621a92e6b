package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"regulars/importers"
	"regulars/rules"
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
	err := s.eachRow(ctx, "SELECT id, name, phone_digits, email_norm FROM customers ORDER BY id", nil, func(r *sql.Rows) error {
		var kc importers.KnownCustomer
		var phone, email string
		if err := r.Scan(&kc.ID, &kc.Name, &phone, &email); err != nil {
			return err
		}
		if _, ok := k.ByPhone[phone]; phone != "" && !ok {
			k.ByPhone[phone] = kc
		}
		if _, ok := k.ByEmail[email]; email != "" && !ok {
			k.ByEmail[email] = kc
		}
		return nil
	})
	return k, err
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
func (s *Store) planPurchases(ctx context.Context, rows []importers.PurchaseRow) ([]importers.PlannedPurchase, []importers.RowError, int, error) {
	refs, err := s.storedReferences(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	stored, err := s.storedPurchases(ctx, importers.RefundTargets(rows, refs))
	if err != nil {
		return nil, nil, 0, err
	}
	matcher, err := s.customerMatcher(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	// MatchCustomer's answers, for values several customers share.
	type match struct {
		id  rules.ID
		err error
	}
	matches := map[string]match{}
	several := func(value string) (rules.ID, string, error) {
		m, ok := matches[value]
		if !ok {
			c, err := s.MatchCustomer(ctx, value)
			m = match{c.ID, err}
			matches[value] = m
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
		return m.id, "", nil
	}
	pl := importers.NewPurchasePlanner(s.Today(), refs, stored, matcher, several)
	for _, p := range rows {
		if err := pl.Add(p); err != nil {
			return nil, nil, 0, err
		}
	}
	return pl.Plan, pl.Bad, pl.Skipped, nil
}

// customerMatcher knows every customer by id, phone digits and email.
func (s *Store) customerMatcher(ctx context.Context) (importers.CustomerMatcher, error) {
	m := importers.NewCustomerMatcher()
	err := s.eachRow(ctx, "SELECT id, phone_digits, email_norm FROM customers ORDER BY id", nil, func(r *sql.Rows) error {
		var id rules.ID
		var phone, email string
		if err := r.Scan(&id, &phone, &email); err != nil {
			return err
		}
		m.Add(id, phone, email)
		return nil
	})
	return m, err
}

func (s *Store) storedReferences(ctx context.Context) (map[string]rules.ID, error) {
	refs := map[string]rules.ID{}
	err := s.eachRow(ctx, "SELECT reference, id FROM purchases WHERE reference IS NOT NULL AND reference <> ''", nil, func(r *sql.Rows) error {
		var ref string
		var id rules.ID
		if err := r.Scan(&ref, &id); err != nil {
			return err
		}
		refs[ref] = id
		return nil
	})
	if err != nil {
		return nil, err
	}
	return refs, nil
}

// storedPurchases loads the given purchases with what was refunded of them
// in two queries whatever their number.
func (s *Store) storedPurchases(ctx context.Context, ids []rules.ID) (map[rules.ID]importers.StoredPurchase, error) {
	out := map[rules.ID]importers.StoredPurchase{}
	if len(ids) == 0 {
		return out, nil
	}
	arg := jsonIDs(ids)
	err := s.eachRow(ctx, `SELECT id, coalesce(customer_id, 0), day, amount_cents, voided
		FROM purchases WHERE id IN (SELECT value FROM json_each(?))`, []any{arg}, func(r *sql.Rows) error {
		var p importers.StoredPurchase
		var day sql.NullString
		var voided int
		if err := r.Scan(&p.ID, &p.CustomerID, &day, &p.Amount, &voided); err != nil {
			return err
		}
		p.Day = scanDay(day)
		p.Voided = voided != 0
		out[p.ID] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT refund_of, -sum(amount_cents) FROM purchases
		WHERE voided = 0 AND refund_of IN (SELECT value FROM json_each(?)) GROUP BY refund_of`, []any{arg}, func(r *sql.Rows) error {
		var id rules.ID
		var v rules.Cents
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		if p, ok := out[id]; ok {
			p.Refunded = v
			out[id] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// writePurchases writes the planned rows in one transaction through
// importPurchaseTx, so imported refunds take back points exactly like
// refunds at the till.
func (s *Store) writePurchases(ctx context.Context, plan []importers.PlannedPurchase, opt ImportOptions) error {
	staff := opt.staff()
	now := s.Now()
	l, err := s.scheme(ctx)
	if err != nil {
		return err
	}
	today := s.Today()
	return s.tx(ctx, func(tx *sql.Tx) error {
		newIDs := make([]rules.ID, len(plan))
		for i, pp := range plan {
			p := pp.Row
			y, m, d := p.Day.Date()
			refundOf := pp.RefundDB
			if pp.RefundIdx >= 0 {
				refundOf = newIDs[pp.RefundIdx]
			}
			id, err := importPurchaseTx(ctx, tx, l, today, rules.Purchase{CustomerID: pp.CustomerID, At: time.Date(y, m, d, 12, 0, 0, 0, time.Local),
				Day: p.Day, Amount: p.Amount, Description: p.Description, Staff: staff, Reference: p.Reference, RefundOf: refundOf}, opt.EarnPoints)
			if err != nil {
				return fmt.Errorf("line %d: %w", p.Line, err)
			}
			newIDs[i] = id
		}
		return audit(ctx, tx, now, staff, "import purchases", "purchases CSV", "", fmt.Sprintf("%d purchases", len(plan)))
	})
}
