package data

import (
	"context"
	"database/sql"
	"errors"
	"regulars/rules"
	"slices"
	"strings"
)

// CustomerPage is everything the customer page shows of one customer.
type CustomerPage struct {
	Customer   rules.Customer    // with its consents, as Customer gives it
	Purchases  []rules.Purchase  // as Purchases: up to today, newest first
	Contacts   []rules.Contact   // as Contacts
	Complaints []rules.Complaint // as Complaints
	Promises   []rules.Promise   // as Promises
	Occasions  []rules.Occasion  // as Occasions
	Reminders  []rules.Reminder  // as CustomerReminders gives them for the day asked
	Ledger     []rules.LedgerRow // as Ledger: up to today, oldest first
	Balance    int64             // as Balance
}

// CustomerPage reads what the customer page shows of customer id, with the
// reminders as of d, from one snapshot of the database. Each table is read
// once: the reminders are computed from the rows the page lists, where
// CustomerReminders would read them all again.
func (s *Store) CustomerPage(ctx context.Context, id rules.ID, d rules.Day) (CustomerPage, error) {
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return CustomerPage{}, s.explain(err)
	}
	defer tx.Rollback()
	return s.customerPage(ctx, tx, id, d)
}

// The page's statements.
var (
	customerSQL  = "SELECT " + customerCols + " FROM customers WHERE id = ?"
	consentsSQL  = "SELECT channel, given_on, source FROM consents WHERE customer_id = ? ORDER BY channel"
	purchasesSQL = "SELECT " + purchaseCols + " FROM purchases WHERE customer_id = ? AND day <= ? ORDER BY day DESC, at DESC, id DESC"
	contactsSQL  = "SELECT " + contactCols + " FROM contacts WHERE customer_id = ? ORDER BY at DESC, id DESC"
	complaintSQL = "SELECT " + complaintCols + " FROM complaints WHERE customer_id = ? ORDER BY received_at DESC, id DESC"
	promisesSQL  = "SELECT " + promiseCols + " FROM promises WHERE customer_id = ? ORDER BY due, id"
	occasionsSQL = "SELECT " + occasionCols + " FROM occasions WHERE customer_id = ? ORDER BY month, day, id"
	ledgerSQL    = "SELECT " + ledgerCols + " FROM ledger WHERE customer_id = ? AND day <= ? ORDER BY day, id"
	statesSQL    = "SELECT " + stateCols + " FROM reminder_states WHERE changed_on <= ? AND customer_id = ? ORDER BY customer_id, rowid"
	// The settings reminders are computed and worded with: the rules,
	// the scheme, the shop's name and the templates.
	pageSettingsSQL = func() string {
		keys := []string{"'rules'", "'loyalty'", "'shop_name'", "'currency'", "'locale'"}
		for _, k := range rules.Kinds {
			keys = append(keys, "'"+rules.TemplateKey(k)+"'")
		}
		return "SELECT key, value FROM settings WHERE key IN (" + strings.Join(keys, ", ") + ")"
	}()
)

func (s *Store) customerPage(ctx context.Context, q *sql.Tx, id rules.ID, d rules.Day) (CustomerPage, error) {
	var p CustomerPage
	var err error
	if p.Customer, err = customerOn(ctx, q, id); err != nil {
		return p, s.explain(err)
	}
	values, set, err := s.pageSettings(ctx, q)
	if err != nil {
		return p, err
	}

	// The lists are as of today, the reminders as of d: whichever is later
	// bounds what is read.
	today := s.Today()
	upTo := max(today, d).String()
	purchases, ledger, err := s.readPageFacts(ctx, q, &p, id, upTo)
	if err != nil {
		return p, err
	}
	fs := &factSet{engine: set.engine, shop: set.shop, index: map[rules.ID]int{}, states: map[string]reminderState{}}
	if err := s.readPageStates(ctx, q, fs, id, d); err != nil {
		return p, err
	}
	p.upToToday(purchases, ledger, today)

	// Forgotten customers have been erased and are never reminded.
	if !p.Customer.Forgotten {
		fs.index[id] = 0
		fs.customers = []customerFacts{pageFacts(&p, purchases, ledger, d)}
	}
	if p.Reminders, err = s.pageReminders(ctx, q, fs, set, values, purchases, d); err != nil {
		return p, err
	}
	return p, nil
}

// pageSettings reads the settings the page's reminders are computed and
// worded with, as stored and as settings.
func (s *Store) pageSettings(ctx context.Context, q *sql.Tx) (map[string]string, shopSettings, error) {
	values := map[string]string{}
	err := s.scanEachOn(ctx, q, pageSettingsSQL, nil, func(r *sql.Rows, _ *sql.RawBytes) error {
		var k, v string
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		values[k] = v
		return nil
	})
	if err != nil {
		return nil, shopSettings{}, err
	}
	set, err := settingsFrom(values)
	if err != nil {
		return nil, shopSettings{}, err
	}
	return values, set, nil
}

// readPageFacts reads the customer's facts into p: contacts, complaints,
// promises and occasions as the page lists them. The purchases (newest
// first) and the ledger (oldest first) come back up to upTo, for the
// reminders; upToToday cuts them for the page.
func (s *Store) readPageFacts(ctx context.Context, q *sql.Tx, p *CustomerPage, id rules.ID, upTo string) ([]rules.Purchase, []rules.LedgerRow, error) {
	purchases, err := queryFactsOn(ctx, s, q, scanPurchase, purchasesSQL, id, upTo)
	if err != nil {
		return nil, nil, err
	}
	if p.Contacts, err = queryFactsOn(ctx, s, q, scanContact, contactsSQL, id); err != nil {
		return nil, nil, err
	}
	if p.Complaints, err = queryFactsOn(ctx, s, q, scanComplaint, complaintSQL, id); err != nil {
		return nil, nil, err
	}
	if p.Promises, err = queryFactsOn(ctx, s, q, scanPromise, promisesSQL, id); err != nil {
		return nil, nil, err
	}
	if p.Occasions, err = queryFactsOn(ctx, s, q, scanOccasion, occasionsSQL, id); err != nil {
		return nil, nil, err
	}
	ledger, err := queryFactsOn(ctx, s, q, scanLedger, ledgerSQL, id, upTo)
	return purchases, ledger, err
}

// readPageStates files the customer's reminder states as of d into fs.
func (s *Store) readPageStates(ctx context.Context, q *sql.Tx, fs *factSet, id rules.ID, d rules.Day) error {
	filer := stateFiler{fs: fs}
	err := s.scanEachOn(ctx, q, statesSQL, []any{d.String(), id}, func(r *sql.Rows, _ *sql.RawBytes) error {
		key, cust, st, err := scanStateRow(r)
		if err == nil {
			filer.add(key, cust, st)
		}
		return err
	})
	filer.done()
	return err
}

// upToToday sets the page's purchases, ledger and balance from the rows read
// for the reminders: rows dated after today lead the purchases (newest
// first) and end the ledger (oldest first), and the page leaves them out.
func (p *CustomerPage) upToToday(purchases []rules.Purchase, ledger []rules.LedgerRow, today rules.Day) {
	first := 0
	for first < len(purchases) && purchases[first].Day > today {
		first++
	}
	if first < len(purchases) {
		p.Purchases = purchases[first:]
	}
	last := len(ledger)
	for last > 0 && ledger[last-1].Day > today {
		last--
	}
	if last > 0 {
		p.Ledger = ledger[:last:last]
	}
	for _, l := range p.Ledger {
		p.Balance += l.Points
	}
}

// pageReminders computes and words the reminders of the customer in fs as
// of d.
func (s *Store) pageReminders(ctx context.Context, q *sql.Tx, fs *factSet, set shopSettings, values map[string]string, purchases []rules.Purchase, d rules.Day) ([]rules.Reminder, error) {
	rs, ws, named := fs.history(d, d.AddDays(historyAhead), newestDueFirst, nil)
	desc, err := s.pageDescriptions(ctx, q, purchases, unknownNamed(ws, named))
	if err != nil {
		return nil, err
	}
	set.wordAll(rules.TemplatesFrom(rules.TemplateTexts(values)).Render, rs, ws, named, desc)
	return rs, nil
}

// pageDescriptions are the descriptions of the purchases in ids: of those
// the page read, and read through q for the others (moved to another
// customer since they were named by a reminder, or dated after the day).
func (s *Store) pageDescriptions(ctx context.Context, q querier, purchases []rules.Purchase, ids []rules.ID) (map[rules.ID]string, error) {
	desc := make(map[rules.ID]string, len(purchases))
	for i := range purchases {
		desc[purchases[i].ID] = purchases[i].Description
	}
	var others []rules.ID
	for _, id := range ids {
		if _, ok := desc[id]; !ok {
			others = append(others, id)
		}
	}
	if len(others) == 0 {
		return desc, nil
	}
	more, err := s.purchaseDescriptionsOn(ctx, q, others)
	for id, text := range more {
		desc[id] = text
	}
	return desc, err
}

// customerOn is Customer read through q: the customer with its consents.
func customerOn(ctx context.Context, q querier, id rules.ID) (rules.Customer, error) {
	c, err := scanCustomer(q.QueryRowContext(ctx, customerSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("there is no customer %d", id)
	}
	if err != nil {
		return c, err
	}
	rows, err := q.QueryContext(ctx, consentsSQL, id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var k rules.Consent
		var given sql.NullString
		if err := rows.Scan(&k.Channel, &given, &k.Source); err != nil {
			return c, err
		}
		k.GivenOn = scanDay(given)
		c.Consents = append(c.Consents, k)
	}
	return c, rows.Err()
}

// pageFacts are the facts of the page's customer as of d, as readFacts
// gives them, taken from the rows the page read (purchases and ledger up
// to the later of today and d).
func pageFacts(p *CustomerPage, purchases []rules.Purchase, ledger []rules.LedgerRow, d rules.Day) customerFacts {
	f := customerFacts{Customer: p.Customer, Purchases: make([]factPurchase, 0, len(purchases)),
		ContactDays: make([]rules.Day, 0, len(p.Contacts)), Ledger: make([]factLedger, 0, len(ledger))}
	f.Customer.Consents = nil
	for i := len(purchases) - 1; i >= 0; i-- {
		x := &purchases[i]
		if !x.Voided && x.Day <= d {
			f.Purchases = append(f.Purchases, factPurchase{ID: x.ID, Day: x.Day, Amount: x.Amount, RefundOf: x.RefundOf})
		}
	}
	slices.SortFunc(f.Purchases, comparePurchaseFacts)
	for i := range p.Contacts {
		if day := p.Contacts[i].Day; day <= d {
			f.ContactDays = append(f.ContactDays, day)
		}
	}
	slices.Sort(f.ContactDays)
	for i := range ledger {
		if l := &ledger[i]; l.Day <= d {
			f.Ledger = append(f.Ledger, factLedger{ID: l.ID, Day: l.Day, Points: l.Points, Redeem: l.Kind == rules.LedgerRedeem})
		}
	}
	f.Occasions = slices.Clone(p.Occasions)
	slices.SortFunc(f.Occasions, func(a, b rules.Occasion) int { return cmpID(a.ID, b.ID) })
	for _, x := range p.Promises {
		if x.MadeOn <= d {
			f.Promises = append(f.Promises, x)
		}
	}
	slices.SortFunc(f.Promises, func(a, b rules.Promise) int { return cmpID(a.ID, b.ID) })
	for _, x := range p.Complaints {
		if x.Received <= d {
			f.Complaints = append(f.Complaints, x)
		}
	}
	slices.SortFunc(f.Complaints, func(a, b rules.Complaint) int { return cmpID(a.ID, b.ID) })
	return f
}

// dayOf is scanDay of a day read as text, without ParseDay's allocations
// for a well-formed day.
func dayOf(s string) rules.Day {
	if d := dayFromBytes([]byte(s)); d != 0 || s == "" {
		return d
	}
	return scanDay(sql.NullString{String: s, Valid: true})
}
