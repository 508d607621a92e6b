package data

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
)

// CustomerPage is everything the customer page shows of one customer.
type CustomerPage struct {
	Customer   Customer    // with its consents, as Customer gives it
	Purchases  []Purchase  // as Purchases: up to today, newest first
	Contacts   []Contact   // as Contacts
	Complaints []Complaint // as Complaints
	Promises   []Promise   // as Promises
	Occasions  []Occasion  // as Occasions
	Reminders  []Reminder  // as CustomerReminders gives them for the day asked
	Ledger     []LedgerRow // as Ledger: up to today, oldest first
	Balance    int64       // as Balance
}

// CustomerPage reads what the customer page shows of customer id, with the
// reminders as of d, from one snapshot of the database. Each table is read
// once: the reminders are worked out from the rows the page lists, where
// CustomerReminders would read them all again.
func (s *Store) CustomerPage(ctx context.Context, id ID, d Day) (CustomerPage, error) {
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return CustomerPage{}, s.explain(err)
	}
	defer tx.Rollback()
	return s.customerPage(ctx, preparedTx{s, tx}, id, d)
}

// preparedTx runs queries in tx through statements prepared once on the
// readers: the page runs ten short statements, and preparing one costs
// about as much as running it. Only the page's fixed texts come here.
type preparedTx struct {
	s  *Store
	tx *sql.Tx
}

func (p preparedTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := p.s.readStmts.Load(q); ok {
		return p.tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	st, err := p.s.reader().PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := p.s.readStmts.LoadOrStore(q, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return p.tx.StmtContext(ctx, st), nil
}

func (p preparedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, q)
	if err != nil {
		return p.tx.QueryRowContext(ctx, q, args...) // which fails the same way
	}
	return st.QueryRowContext(ctx, args...)
}

// pageSettingsSQL reads the settings reminders are worked out and worded
// with: the rules, the scheme, the shop's name and the templates.
var pageSettingsSQL = func() string {
	keys := []string{"'rules'", "'loyalty'", "'shop_name'"}
	for _, k := range Kinds {
		keys = append(keys, "'"+templateKey(k)+"'")
	}
	return "SELECT key, value FROM settings WHERE key IN (" + strings.Join(keys, ", ") + ")"
}()

func (s *Store) customerPage(ctx context.Context, q preparedTx, id ID, d Day) (CustomerPage, error) {
	var p CustomerPage
	var err error
	if p.Customer, err = customerOn(ctx, q, id); err != nil {
		return p, s.explain(err)
	}
	values := map[string]string{}
	err = s.scanEachOn(ctx, q, pageSettingsSQL, nil, func(r *sql.Rows, _ *sql.RawBytes) error {
		var k, v string
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		values[k] = v
		return nil
	})
	if err != nil {
		return p, err
	}
	set, err := settingsFrom(values)
	if err != nil {
		return p, err
	}

	// The lists are as of today, the reminders as of d: whichever is later
	// bounds what is read.
	today := s.Today()
	upTo := max(today, d).String()
	// The two longest lists are put in order here rather than by SQLite's
	// sorter, which costs more than the rows: they come along the customer
	// indexes oldest first, so reversed they are almost always in order.
	var purchases []Purchase
	var keys []rowKey
	err = s.scanEachOn(ctx, q, "SELECT "+purchaseCols+" FROM purchases WHERE customer_id = ? AND day <= ?", []any{id, upTo},
		func(r *sql.Rows, _ *sql.RawBytes) error {
			x, k, err := scanPurchaseRow(r)
			purchases, keys = append(purchases, x), append(keys, k)
			return err
		})
	if err != nil {
		return p, err
	}
	newestFirst(purchases, keys) // ORDER BY day DESC, at DESC, id DESC
	keys = keys[:0]
	err = s.scanEachOn(ctx, q, "SELECT "+contactCols+" FROM contacts WHERE customer_id = ?", []any{id},
		func(r *sql.Rows, _ *sql.RawBytes) error {
			x, k, err := scanContactRow(r)
			p.Contacts, keys = append(p.Contacts, x), append(keys, k)
			return err
		})
	if err != nil {
		return p, err
	}
	newestFirst(p.Contacts, keys) // ORDER BY at DESC, id DESC
	if p.Complaints, err = queryFactsOn(ctx, s, q, scanComplaint,
		"SELECT "+complaintCols+" FROM complaints WHERE customer_id = ? ORDER BY received_at DESC, id DESC", id); err != nil {
		return p, err
	}
	if p.Promises, err = queryFactsOn(ctx, s, q, scanPromise,
		"SELECT "+promiseCols+" FROM promises WHERE customer_id = ? ORDER BY due, id", id); err != nil {
		return p, err
	}
	if p.Occasions, err = queryFactsOn(ctx, s, q, scanOccasion,
		"SELECT "+occasionCols+" FROM occasions WHERE customer_id = ? ORDER BY month, day, id", id); err != nil {
		return p, err
	}
	var ledger []LedgerRow
	err = s.scanEachOn(ctx, q, "SELECT "+ledgerCols+` FROM ledger
		WHERE customer_id = ? AND day <= ? ORDER BY day, id`, []any{id, upTo},
		func(r *sql.Rows, _ *sql.RawBytes) error {
			x, err := scanLedgerRow(r)
			ledger = append(ledger, x)
			return err
		})
	if err != nil {
		return p, err
	}
	fs := &factSet{engine: set.engine, shop: set.shop, index: map[ID]int{}, states: map[string]reminderState{}}
	moved := map[string]bool{}
	err = s.scanEachOn(ctx, q, `SELECT key, customer_id, state, snoozed_until, reason, staff, changed_on, COALESCE(contact_id, 0)
		FROM reminder_states WHERE changed_on <= ? AND customer_id = ? ORDER BY customer_id, rowid`, []any{d.String(), id},
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var key, state string
			var cust ID
			var until, changed sql.NullString
			var st reminderState
			if err := r.Scan(&key, &cust, &state, &until, &st.Reason, &st.Staff, &changed, &st.ContactID); err != nil {
				return err
			}
			st.State, st.SnoozedUntil, st.ChangedOn = State(state), scanDayText(until), scanDayText(changed)
			fs.addState(key, cust, st, moved)
			return nil
		})
	if err != nil {
		return p, err
	}

	// Rows dated after today, read for the reminders, lead the purchases
	// (newest first) and end the ledger (oldest first).
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

	// Forgotten customers have been erased and are never reminded.
	if !p.Customer.Forgotten {
		fs.index[id] = 0
		fs.customers = []customerFacts{pageFacts(&p, purchases, ledger, d)}
	}
	rs, ws, named := fs.history(d, d.AddDays(historyAhead), newestDueFirst, nil)
	tpl := templatesFrom(templateTexts(values))
	desc := make(map[ID]string, len(purchases))
	for _, x := range purchases {
		desc[x.ID] = x.Description
	}
	var others []ID
	for _, pid := range unknownNamed(ws, named) {
		if _, ok := desc[pid]; !ok {
			others = append(others, pid) // moved to another customer since, or dated after d
		}
	}
	if len(others) > 0 {
		more, err := s.purchaseDescriptionsOn(ctx, q.tx, others)
		if err != nil {
			return p, err
		}
		for pid, text := range more {
			desc[pid] = text
		}
	}
	set.wordAll(tpl, rs, ws, named, desc)
	p.Reminders = rs
	return p, nil
}

// customerOn is Customer read through q.
func customerOn(ctx context.Context, q querier, id ID) (Customer, error) {
	c, err := scanCustomer(q.QueryRowContext(ctx, "SELECT "+customerCols+" FROM customers WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("there is no customer %d", id)
	}
	if err != nil {
		return c, err
	}
	rows, err := q.QueryContext(ctx, "SELECT channel, given_on, source FROM consents WHERE customer_id = ? ORDER BY channel", id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var k Consent
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
func pageFacts(p *CustomerPage, purchases []Purchase, ledger []LedgerRow, d Day) customerFacts {
	f := customerFacts{Customer: p.Customer}
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
			f.Ledger = append(f.Ledger, factLedger{ID: l.ID, Day: l.Day, Points: l.Points, Redeem: l.Kind == LedgerRedeem})
		}
	}
	f.Occasions = slices.Clone(p.Occasions)
	slices.SortFunc(f.Occasions, func(a, b Occasion) int { return cmpID(a.ID, b.ID) })
	for _, x := range p.Promises {
		if x.MadeOn <= d {
			f.Promises = append(f.Promises, x)
		}
	}
	slices.SortFunc(f.Promises, func(a, b Promise) int { return cmpID(a.ID, b.ID) })
	for _, x := range p.Complaints {
		if x.Received <= d {
			f.Complaints = append(f.Complaints, x)
		}
	}
	slices.SortFunc(f.Complaints, func(a, b Complaint) int { return cmpID(a.ID, b.ID) })
	return f
}

// The page's longest lists are read with scanners that give what
// scanPurchase, scanContact and scanLedger give, without their costlier
// conversions (days and instants parsed from text, integers through
// reflection): on the page they cost more than the rows.

func scanPurchaseRow(r *sql.Rows) (Purchase, rowKey, error) {
	var p Purchase
	var cust, refundOf sql.NullInt64
	var ref sql.NullString
	var at string
	var day sql.NullString
	var amount, discount, voided, imported int64
	err := r.Scan(&p.ID, &cust, &at, &day, &amount, &discount, &p.Description, &p.Staff,
		&ref, &refundOf, &voided, &imported)
	if err != nil {
		return p, rowKey{}, err
	}
	p.CustomerID = cust.Int64
	p.At = instantOf(at)
	p.Day = scanDayText(day)
	p.Amount, p.Discount = Cents(amount), Cents(discount)
	p.Reference = ref.String
	p.RefundOf = refundOf.Int64
	p.Voided = voided != 0
	p.Imported = imported != 0
	return p, rowKey{day.String, at, p.ID}, nil
}

func scanContactRow(r *sql.Rows) (Contact, rowKey, error) {
	var c Contact
	var at, ch string
	var day sql.NullString
	if err := r.Scan(&c.ID, &c.CustomerID, &at, &day, &ch, &c.Staff, &c.Outcome, &c.Note, &c.ReminderKey); err != nil {
		return c, rowKey{}, err
	}
	c.At = instantOf(at)
	c.Day = scanDayText(day)
	c.Channel = Channel(ch)
	return c, rowKey{at, "", c.ID}, nil
}

// rowKey is what a list is ordered by: two texts, compared as SQLite
// compares them, and the row's id.
type rowKey struct {
	a, b string
	id   ID
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

func scanLedgerRow(r *sql.Rows) (LedgerRow, error) {
	var l LedgerRow
	var at, kind string
	var day sql.NullString
	var purchase sql.NullInt64
	err := r.Scan(&l.ID, &l.CustomerID, &at, &day, &kind, &l.Points, &purchase, &l.Staff, &l.Reason, &l.Shortfall)
	l.At = instantOf(at)
	l.Day = scanDayText(day)
	l.Kind = LedgerKind(kind)
	l.PurchaseID = purchase.Int64
	return l, err
}

// scanDayText is scanDay, through dayOf.
func scanDayText(ns sql.NullString) Day {
	if !ns.Valid {
		return 0
	}
	return dayOf(ns.String)
}

// dayOf is scanDay of a day read as text, without ParseDay's allocations
// for a well-formed day.
func dayOf(s string) Day {
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
		if ValidDate(y, time.Month(mo), d) && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.Local)
		}
	}
	return parseInstant(s)
}
