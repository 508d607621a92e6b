package data

import (
	"context"
	"database/sql"
	"errors"
	"regulars/rules"
	"slices"
	"strings"
	"sync"
	"time"
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
	// Prepared before the transaction holds a connection: preparing takes
	// one of its own.
	if err := s.preparePage(ctx); err != nil {
		return CustomerPage{}, err
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return CustomerPage{}, s.explain(err)
	}
	defer tx.Rollback()
	return s.customerPage(ctx, preparedTx{s, tx}, id, d)
}

// The page's statements.
var (
	customerSQL  = "SELECT " + customerCols + " FROM customers WHERE id = ?"
	consentsSQL  = "SELECT channel, given_on, source FROM consents WHERE customer_id = ? ORDER BY channel"
	purchasesSQL = "SELECT " + purchaseCols + " FROM purchases WHERE customer_id = ? AND day <= ?"
	contactsSQL  = "SELECT " + contactCols + " FROM contacts WHERE customer_id = ?"
	complaintSQL = "SELECT " + complaintCols + " FROM complaints WHERE customer_id = ? ORDER BY received_at DESC, id DESC"
	promisesSQL  = "SELECT " + promiseCols + " FROM promises WHERE customer_id = ? ORDER BY due, id"
	occasionsSQL = "SELECT " + occasionCols + " FROM occasions WHERE customer_id = ? ORDER BY month, day, id"
	ledgerSQL    = "SELECT " + ledgerCols + " FROM ledger WHERE customer_id = ? AND day <= ? ORDER BY day, id"
	statesSQL    = `SELECT key, customer_id, state, snoozed_until, reason, staff, changed_on, COALESCE(contact_id, 0)
		FROM reminder_states WHERE changed_on <= ? AND customer_id = ? ORDER BY customer_id, rowid`
	// The settings reminders are computed and worded with: the rules,
	// the scheme, the shop's name and the templates.
	pageSettingsSQL = func() string {
		keys := []string{"'rules'", "'loyalty'", "'shop_name'", "'currency'", "'locale'"}
		for _, k := range rules.Kinds {
			keys = append(keys, "'"+rules.TemplateKey(k)+"'")
		}
		return "SELECT key, value FROM settings WHERE key IN (" + strings.Join(keys, ", ") + ")"
	}()
	pageSQL = []string{customerSQL, consentsSQL, pageSettingsSQL, purchasesSQL, contactsSQL, complaintSQL,
		promisesSQL, occasionsSQL, ledgerSQL, statesSQL}
)

// preparePage prepares the page's statements on the readers, once: the
// page runs ten short statements, and preparing one costs about as much as
// running it.
func (s *Store) preparePage(ctx context.Context) error {
	for _, q := range pageSQL {
		if _, err := s.prepared(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// prepared is q prepared on the readers, once for each text: the screens'
// short statements run often, and preparing one costs about as much as
// running it.
func (s *Store) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.readStmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.reader().PrepareContext(ctx, q)
	if err != nil {
		return nil, s.explain(err)
	}
	if had, loaded := s.readStmts.LoadOrStore(q, st); loaded {
		st.Close()
		return had.(*sql.Stmt), nil
	}
	return st, nil
}

// preparedTx runs the page's statements in tx, as prepared by preparePage
// (on tx's connection too, the first time it runs them); any other text
// runs unprepared.
type preparedTx struct {
	s  *Store
	tx *sql.Tx
}

func (p preparedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st, ok := p.s.readStmts.Load(q); ok {
		return p.tx.StmtContext(ctx, st.(*sql.Stmt)).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, q, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, ok := p.s.readStmts.Load(q); ok {
		return p.tx.StmtContext(ctx, st.(*sql.Stmt)).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, q, args...)
}

func (s *Store) customerPage(ctx context.Context, q preparedTx, id rules.ID, d rules.Day) (CustomerPage, error) {
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
	sc := pageScratches.Get().(*pageScratch)
	defer sc.release()
	purchases, ledger, err := s.readPageFacts(ctx, q, sc, &p, id, upTo)
	if err != nil {
		return p, err
	}
	fs := &factSet{engine: set.engine, shop: set.shop, index: map[rules.ID]int{}, states: map[string]reminderState{}}
	if err := s.readPageStates(ctx, q, sc, fs, id, d); err != nil {
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
func (s *Store) pageSettings(ctx context.Context, q preparedTx) (map[string]string, shopSettings, error) {
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
func (s *Store) readPageFacts(ctx context.Context, q preparedTx, sc *pageScratch, p *CustomerPage, id rules.ID, upTo string) ([]rules.Purchase, []rules.LedgerRow, error) {
	// The two longest lists are put in order here rather than by SQLite's
	// sorter, which costs more than the rows: they come along the customer
	// indexes oldest first, so reversed they are almost always in order.
	err := s.scanEachOn(ctx, q, purchasesSQL, []any{id, upTo}, func(r *sql.Rows, _ *sql.RawBytes) error {
		x, k, err := sc.ps.scan(r)
		sc.purchases, sc.keys = append(sc.purchases, x), append(sc.keys, k)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	newestFirst(sc.purchases, sc.keys) // ORDER BY day DESC, at DESC, id DESC
	purchases := exactly(sc.purchases)
	sc.keys = sc.keys[:0]
	err = s.scanEachOn(ctx, q, contactsSQL, []any{id}, func(r *sql.Rows, _ *sql.RawBytes) error {
		x, k, err := sc.cs.scan(r)
		sc.contacts, sc.keys = append(sc.contacts, x), append(sc.keys, k)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	newestFirst(sc.contacts, sc.keys) // ORDER BY at DESC, id DESC
	p.Contacts = exactly(sc.contacts)
	if p.Complaints, err = queryFactsOn(ctx, s, q, scanComplaint, complaintSQL, id); err != nil {
		return nil, nil, err
	}
	if p.Promises, err = queryFactsOn(ctx, s, q, scanPromise, promisesSQL, id); err != nil {
		return nil, nil, err
	}
	if p.Occasions, err = queryFactsOn(ctx, s, q, scanOccasion, occasionsSQL, id); err != nil {
		return nil, nil, err
	}
	err = s.scanEachOn(ctx, q, ledgerSQL, []any{id, upTo}, func(r *sql.Rows, _ *sql.RawBytes) error {
		x, err := sc.ls.scan(r)
		sc.ledger = append(sc.ledger, x)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return purchases, exactly(sc.ledger), nil
}

// readPageStates files the customer's reminder states as of d into fs.
func (s *Store) readPageStates(ctx context.Context, q preparedTx, sc *pageScratch, fs *factSet, id rules.ID, d rules.Day) error {
	filer := stateFiler{fs: fs}
	err := s.scanEachOn(ctx, q, statesSQL, []any{d.String(), id}, func(r *sql.Rows, _ *sql.RawBytes) error {
		key, cust, st, err := sc.ss.scan(r)
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
func (s *Store) pageReminders(ctx context.Context, q preparedTx, fs *factSet, set shopSettings, values map[string]string, purchases []rules.Purchase, d rules.Day) ([]rules.Reminder, error) {
	rs, ws, named := fs.history(d, d.AddDays(historyAhead), newestDueFirst, nil)
	desc, err := s.pageDescriptions(ctx, q.tx, purchases, unknownNamed(ws, named))
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

// pageScratch is what a page's longest lists are read into, to be copied
// out at their length: growing them row by row cost more than the copy.
// It is kept from page to page.
type pageScratch struct {
	purchases []rules.Purchase
	contacts  []rules.Contact
	ledger    []rules.LedgerRow
	keys      []rowKey
	ps        purchaseScan
	cs        contactScan
	ls        ledgerScan
	ss        stateScan
}

var pageScratches = sync.Pool{New: func() any { return new(pageScratch) }}

// release empties sc, so that it holds on to no page's texts, and gives it
// back.
func (sc *pageScratch) release() {
	clear(sc.purchases)
	clear(sc.contacts)
	clear(sc.ledger)
	clear(sc.keys)
	sc.purchases, sc.contacts, sc.ledger, sc.keys = sc.purchases[:0], sc.contacts[:0], sc.ledger[:0], sc.keys[:0]
	pageScratches.Put(sc)
}

// exactly is a copy of rows at their length, and nil for no rows, as a
// query that found none gives.
func exactly[T any](rows []T) []T {
	if len(rows) == 0 {
		return nil
	}
	return slices.Clone(rows)
}

// The page's longest lists are read with scanners that give what
// scanPurchase, scanContact and scanLedger give, with less work: days and
// instants are not read through time.Parse, integers not through
// reflection, and the values are scanned into destinations made once per
// statement (a local variable handed to Scan escapes, one allocation a
// column). On the page these cost more than the rows.

type purchaseScan struct {
	id, amount, discount, voided, imported int64
	cust, refundOf                         sql.NullInt64
	at, desc, staff, till                  string
	day, ref                               sql.NullString
	dest                                   []any
}

func (x *purchaseScan) scan(r *sql.Rows) (rules.Purchase, rowKey, error) {
	if x.dest == nil {
		x.dest = []any{&x.id, &x.cust, &x.at, &x.day, &x.amount, &x.discount, &x.desc, &x.staff, &x.ref, &x.refundOf, &x.voided, &x.imported, &x.till}
	}
	if err := r.Scan(x.dest...); err != nil {
		return rules.Purchase{}, rowKey{}, err
	}
	p := rules.Purchase{ID: x.id, CustomerID: x.cust.Int64, At: instantOf(x.at), Day: scanDayText(x.day),
		Amount: rules.Cents(x.amount), Discount: rules.Cents(x.discount), Description: x.desc, Staff: x.staff,
		Reference: x.ref.String, RefundOf: x.refundOf.Int64, Voided: x.voided != 0, Imported: x.imported != 0, Till: x.till}
	return p, rowKey{x.day.String, x.at, x.id}, nil
}

type contactScan struct {
	id, cust                          int64
	at, ch, staff, outcome, note, key string
	till                              string
	day                               sql.NullString
	dest                              []any
}

func (x *contactScan) scan(r *sql.Rows) (rules.Contact, rowKey, error) {
	if x.dest == nil {
		x.dest = []any{&x.id, &x.cust, &x.at, &x.day, &x.ch, &x.staff, &x.outcome, &x.note, &x.key, &x.till}
	}
	if err := r.Scan(x.dest...); err != nil {
		return rules.Contact{}, rowKey{}, err
	}
	c := rules.Contact{ID: x.id, CustomerID: x.cust, At: instantOf(x.at), Day: scanDayText(x.day), Channel: rules.Channel(x.ch),
		Staff: x.staff, Outcome: x.outcome, Note: x.note, ReminderKey: x.key, Till: x.till}
	return c, rowKey{x.at, "", x.id}, nil
}

type ledgerScan struct {
	id, cust, points, shortfall int64
	at, kind, staff, reason     string
	till                        string
	day                         sql.NullString
	purchase                    sql.NullInt64
	dest                        []any
}

func (x *ledgerScan) scan(r *sql.Rows) (rules.LedgerRow, error) {
	if x.dest == nil {
		x.dest = []any{&x.id, &x.cust, &x.at, &x.day, &x.kind, &x.points, &x.purchase, &x.staff, &x.reason, &x.shortfall, &x.till}
	}
	if err := r.Scan(x.dest...); err != nil {
		return rules.LedgerRow{}, err
	}
	return rules.LedgerRow{ID: x.id, CustomerID: x.cust, At: instantOf(x.at), Day: scanDayText(x.day), Kind: rules.LedgerKind(x.kind),
		Points: x.points, PurchaseID: x.purchase.Int64, Staff: x.staff, Reason: x.reason, Shortfall: x.shortfall, Till: x.till}, nil
}

type stateScan struct {
	key, state, reason, staff string
	cust, contact             int64
	until, changed            sql.NullString
	dest                      []any
}

func (x *stateScan) scan(r *sql.Rows) (string, rules.ID, reminderState, error) {
	if x.dest == nil {
		x.dest = []any{&x.key, &x.cust, &x.state, &x.until, &x.reason, &x.staff, &x.changed, &x.contact}
	}
	if err := r.Scan(x.dest...); err != nil {
		return "", 0, reminderState{}, err
	}
	return x.key, x.cust, reminderState{State: rules.State(x.state), SnoozedUntil: scanDayText(x.until), Reason: x.reason,
		Staff: x.staff, ChangedOn: scanDayText(x.changed), ContactID: x.contact}, nil
}

// rowKey is what a list is ordered by: two texts, compared as SQLite
// compares them, and the row's id.
type rowKey struct {
	a, b string
	id   rules.ID
}

func compareNewestFirst(x, y rowKey) int {
	if c := strings.Compare(y.a, x.a); c != 0 {
		return c
	}
	if c := strings.Compare(y.b, x.b); c != 0 {
		return c
	}
	return cmpID(y.id, x.id)
}

// newestFirst puts rows, read in any order with their keys, in descending
// order of their keys.
func newestFirst[T any](rows []T, keys []rowKey) {
	slices.Reverse(rows)
	slices.Reverse(keys)
	if slices.IsSortedFunc(keys, compareNewestFirst) {
		return
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return compareNewestFirst(keys[i], keys[j]) })
	sorted := make([]T, len(rows))
	for to, from := range idx {
		sorted[to] = rows[from]
	}
	copy(rows, sorted)
}

// scanDayText is scanDay, through dayOf.
func scanDayText(ns sql.NullString) rules.Day {
	if !ns.Valid {
		return 0
	}
	return dayOf(ns.String)
}

// dayOf is scanDay of a day read as text, without ParseDay's allocations
// for a well-formed day.
func dayOf(s string) rules.Day {
	if d := dayFromBytes([]byte(s)); d != 0 || s == "" {
		return d
	}
	return scanDay(sql.NullString{String: s, Valid: true})
}

// instantOf is parseInstant, without time.Parse for a well-formed
// instant.
func instantOf(s string) time.Time {
	if len(s) == len(instantLayout) && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' {
		num := func(p string) int {
			n := 0
			for _, c := range []byte(p) {
				if c < '0' || c > '9' {
					return -1
				}
				n = n*10 + int(c-'0')
			}
			return n
		}
		y, mo, d := num(s[:4]), num(s[5:7]), num(s[8:10])
		h, mi, sec := num(s[11:13]), num(s[14:16]), num(s[17:])
		if rules.ValidDate(y, time.Month(mo), d) && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.Local)
		}
	}
	return parseInstant(s)
}
