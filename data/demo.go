package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/demo"
	"regulars/rules"
	"strings"
	"time"
)

// DemoOptions say what demo shop to make.
type DemoOptions struct {
	Customers int       // how many customers; 0 means 2000
	Seed      int64     // 0 means 1
	End       rules.Day // the history ends on this day; zero means s.Today()
}

// DemoReport counts what GenerateDemo wrote. Purchases are sales (walk-ins
// included); refunds are counted apart.
type DemoReport struct {
	Customers, Purchases, Refunds, Contacts, Complaints, Promises, Occasions, LedgerRows int
}

// ErrHasCustomers means demo was pointed at a database that is in use.
var ErrHasCustomers = errors.New("already has customers")

// DemoMaxCustomers bounds the demo: the fictional phone numbers run out past it.
const DemoMaxCustomers = 200_000

// GenerateDemo fills an empty database with three years of a believable
// shop's history ending on opt.End. The same options give the same bytes:
// everything comes from one seeded generator and is dated from End.
func (s *Store) GenerateDemo(ctx context.Context, opt DemoOptions) (DemoReport, error) {
	if opt.Customers == 0 {
		opt.Customers = 2000
	}
	if err := s.notOnPostgres("the demo shop"); err != nil {
		return DemoReport{}, err
	}
	if opt.Customers < 0 || opt.Customers > DemoMaxCustomers {
		return DemoReport{}, fmt.Errorf("the demo needs between 1 and %d customers, not %d", DemoMaxCustomers, opt.Customers)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.End.IsZero() {
		opt.End = s.Today()
	}
	if y := opt.End.Year(); y < 1900 || y > 9000 {
		return DemoReport{}, fmt.Errorf("the demo cannot end on %s", opt.End)
	}
	n, err := s.CountCustomers(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	if n > 0 {
		return DemoReport{}, fmt.Errorf("%s %w; give demo a new file", s.path, ErrHasCustomers)
	}
	var sales int
	if err := s.reader().QueryRowContext(ctx, "SELECT count(*) FROM purchases").Scan(&sales); err != nil {
		return DemoReport{}, s.explain(err)
	}
	if sales > 0 {
		return DemoReport{}, fmt.Errorf("%s already has sales; give demo a new file", s.path)
	}
	loy, err := s.Loyalty(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	ruleSet, err := s.Rules(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	g := demoWriter{demo.NewShop(opt.Customers, opt.Seed, opt.End, loy, ruleSet), s.path}
	g.Generate()
	if err := s.writeDemo(ctx, g); err != nil {
		return DemoReport{}, err
	}
	return g.report(), nil
}

// demoWriter writes a generated demo shop into the file at path.
type demoWriter struct {
	*demo.Shop
	path string
}

func (g demoWriter) report() DemoReport {
	r := DemoReport{Customers: len(g.Customers), Contacts: len(g.Contacts), Complaints: len(g.Complaints),
		Promises: len(g.Promises), Occasions: len(g.Occasions), LedgerRows: len(g.Ledger)}
	for i := range g.Purchases {
		if g.Purchases[i].RefundOf < 0 {
			r.Purchases++
		} else {
			r.Refunds++
		}
	}
	return r
}

// Customers.

// Sales, refunds and the ledger, one customer at a time in time order.

// Reminder history.

// Writing.

func (s *Store) writeDemo(ctx context.Context, g demoWriter) (err error) {
	w, err := s.writer()
	if err != nil {
		return err
	}
	conn, err := w.Conn(ctx)
	if err != nil {
		return s.explain(err)
	}
	defer conn.Close()
	defer func() {
		_, e1 := conn.ExecContext(context.Background(), "PRAGMA synchronous=FULL")
		_, e2 := conn.ExecContext(context.Background(), "PRAGMA cache_size=-2000")
		_, e3 := conn.ExecContext(context.Background(), "PRAGMA temp_store=DEFAULT")
		if err == nil {
			err = s.explain(errors.Join(e1, e2, e3))
		}
		if err == nil {
			var busy, logged, done int
			err = s.explain(conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done))
		}
	}()
	// The file is brand new (demo refuses one with customers), so a crash
	// part-way loses nothing that a second run cannot make again; skipping
	// the fsyncs for the one big transaction makes a large demo much
	// faster. FULL is restored (above) before anything else writes, and the
	// checkpoint under FULL then makes the finished demo durable.
	// Multi-row INSERTs keep a statement journal: in memory it costs no
	// system calls. A larger cache (up to 64 MiB) keeps SQLite from writing
	// the same index pages out again and again while the transaction grows.
	for _, p := range []string{"PRAGMA synchronous=OFF", "PRAGMA temp_store=MEMORY",
		fmt.Sprintf("PRAGMA cache_size=-%d", max(2000, min(5*len(g.Customers), 65536)))} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return s.explain(err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.explain(err)
	}
	if err := g.write(ctx, tx); err != nil {
		tx.Rollback()
		return s.explain(err)
	}
	if err := s.rebuildSummariesOf(ctx, tx); err != nil {
		tx.Rollback()
		return s.explain(err)
	}
	if err := tx.Commit(); err != nil {
		return s.explain(err)
	}
	s.wrote(nil)
	s.customersRewritten()
	return nil
}

// demoBatchRows is how many rows one INSERT carries: far fewer statement
// runs for the half million rows of a large demo.
const demoBatchRows = 64

// demoInsert writes the rows of one table through prepared INSERTs,
// demoBatchRows rows at a time; the few left over go one by one.
type demoInsert struct {
	ctx        context.Context
	tx         *sql.Tx
	head, row  string
	batch, one *sql.Stmt
	args       []any
	rows       int
	err        error
}

func newDemoInsert(ctx context.Context, tx *sql.Tx, table, cols string) *demoInsert {
	n := strings.Count(cols, ",") + 1
	return &demoInsert{ctx: ctx, tx: tx, head: "INSERT INTO " + table + "(" + cols + ") VALUES ",
		row: "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"}
}

func (d *demoInsert) add(args ...any) {
	if d.err != nil {
		return
	}
	d.args = append(d.args, args...)
	d.rows++
	if d.rows < demoBatchRows {
		return
	}
	if d.batch == nil {
		q := d.head + strings.TrimSuffix(strings.Repeat(d.row+",", demoBatchRows), ",")
		if d.batch, d.err = d.tx.PrepareContext(d.ctx, q); d.err != nil {
			return
		}
	}
	_, d.err = d.batch.ExecContext(d.ctx, d.args...)
	d.args, d.rows = d.args[:0], 0
}

// close writes what is left and says whether every row went in.
func (d *demoInsert) close() error {
	if d.err == nil && d.rows > 0 {
		d.one, d.err = d.tx.PrepareContext(d.ctx, d.head+d.row)
		per := len(d.args) / d.rows
		for i := 0; d.err == nil && i < len(d.args); i += per {
			_, d.err = d.one.ExecContext(d.ctx, d.args[i:i+per]...)
		}
	}
	for _, st := range []*sql.Stmt{d.batch, d.one} {
		if st != nil {
			st.Close()
		}
	}
	return d.err
}

// write puts the demo shop into the new file through tx.
func (g demoWriter) write(ctx context.Context, tx *sql.Tx) error {
	if err := g.checkNoCustomers(ctx, tx); err != nil {
		return err
	}
	if err := g.writeSettings(ctx, tx); err != nil {
		return err
	}
	// Each table is closed before the next, so every row a foreign key
	// names is already written.
	for _, write := range []func(context.Context, *sql.Tx) error{
		g.writeCustomers, g.writeConsents, g.writePurchases, g.writeLedger, g.writeContacts, g.writeStates,
	} {
		if err := write(ctx, tx); err != nil {
			return err
		}
	}
	occ, prom, comp := g.addOccasions(ctx, tx), g.addPromises(ctx, tx), g.addComplaints(ctx, tx)
	return errors.Join(occ.close(), prom.close(), comp.close())
}

// checkNoCustomers checks again, inside the transaction, that the file has
// no customers: another program may have added someone since the first look.
func (g demoWriter) checkNoCustomers(ctx context.Context, tx *sql.Tx) error {
	var used bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM customers)").Scan(&used); err != nil {
		return err
	}
	if used {
		return fmt.Errorf("%s %w; give demo a new file", g.path, ErrHasCustomers)
	}
	return nil
}

// writeSettings writes the shop's name, the day it was made, its money and
// date ways and its staff.
func (g demoWriter) writeSettings(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES ('created_on', ?), ('shop_name', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, g.CreatedOn.String(), demo.ShopName); err != nil {
		return err
	}
	// The demo shop is a British one, unless its file already says
	// otherwise: pounds, and dates and amounts written the British way.
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES ('currency', '£'), ('locale', 'en-GB')
		ON CONFLICT(key) DO NOTHING`); err != nil {
		return err
	}
	for _, name := range demo.Staff {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO staff(name) VALUES (?)", name); err != nil {
			return err
		}
	}
	return nil
}

func (g demoWriter) writeCustomers(ctx context.Context, tx *sql.Tx) error {
	cust := newDemoInsert(ctx, tx, "customers", `id, name, name_fold, phone, phone_digits, email, email_norm,
		birthday_year, birthday_month, birthday_day, address, notes, tags, preferred_channel,
		do_not_contact, customer_since, added_on`)
	for i := range g.Customers {
		c := &g.Customers[i]
		args := append([]any{c.ID}, customerArgs(c.Customer)...)
		cust.add(append(args, c.AddedOn.String())...)
	}
	return cust.close()
}

func (g demoWriter) writeConsents(ctx context.Context, tx *sql.Tx) error {
	cons := newDemoInsert(ctx, tx, "consents", "customer_id, channel, given_on, source")
	for i := range g.Customers {
		c := &g.Customers[i]
		for _, k := range c.Consents {
			cons.add(c.ID, string(k.Channel), k.GivenOn.String(), k.Source)
		}
	}
	return cons.close()
}

// writePurchases writes the purchases in id order.
func (g demoWriter) writePurchases(ctx context.Context, tx *sql.Tx) error {
	purch := newDemoInsert(ctx, tx, "purchases", `id, customer_id, at, day, amount_cents, discount_cents, description,
		staff, reference, refund_of, imported`)
	byID := make([]int32, len(g.Purchases))
	for i := range g.Purchases {
		byID[g.Purchases[i].ID-1] = int32(i)
	}
	for _, i := range byID {
		p := &g.Purchases[i]
		var custID, refundOf rules.ID
		if p.Cust >= 0 {
			custID = g.Customers[p.Cust].ID
		}
		if p.RefundOf >= 0 {
			refundOf = g.Purchases[p.RefundOf].ID
		}
		purch.add(p.ID, nullID(custID), demoInstant(p.Day, p.Sec), p.Day.String(), int64(p.Amount),
			int64(p.Discount), p.Desc, p.Staff, nullString(p.Ref), nullID(refundOf), boolInt(p.Imported))
	}
	return purch.close()
}

// writeLedger writes the ledger in the order it happened, numbering the
// rows in that order.
func (g demoWriter) writeLedger(ctx context.Context, tx *sql.Tx) error {
	ledger := newDemoInsert(ctx, tx, "ledger", "id, customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall")
	for k, i := range g.LedgerOrder() {
		l := &g.Ledger[i]
		var pid rules.ID
		reason := l.Reason
		if l.Purchase >= 0 {
			p := &g.Purchases[l.Purchase]
			pid = p.ID
			if l.Kind == rules.LedgerRefundReversal {
				reason = fmt.Sprintf("refund of purchase %d", g.Purchases[p.RefundOf].ID)
			}
		}
		ledger.add(k+1, g.Customers[l.Cust].ID, demoInstant(l.Day, l.Sec), l.Day.String(), string(l.Kind),
			l.Points, nullID(pid), l.Staff, reason, l.Shortfall)
	}
	return ledger.close()
}

// writeContacts writes the contacts in id order.
func (g demoWriter) writeContacts(ctx context.Context, tx *sql.Tx) error {
	contact := newDemoInsert(ctx, tx, "contacts", "id, customer_id, at, day, channel, staff, outcome, note, reminder_key")
	byID := make([]int32, len(g.Contacts))
	for i := range g.Contacts {
		byID[g.Contacts[i].ID-1] = int32(i)
	}
	for _, i := range byID {
		c := &g.Contacts[i]
		contact.add(c.ID, g.Customers[c.Cust].ID, demoInstant(c.Day, c.Sec), c.Day.String(), string(c.Channel),
			c.Staff, c.Outcome, c.Note, c.Key)
	}
	return contact.close()
}

// writeStates writes what was done with the reminders.
func (g demoWriter) writeStates(ctx context.Context, tx *sql.Tx) error {
	state := newDemoInsert(ctx, tx, "reminder_states", `key, kind, customer_id, due, state, reason, staff,
		changed_at, changed_on, contact_id`)
	for i := range g.States {
		st := &g.States[i]
		var cid rules.ID
		if st.Contact >= 0 {
			cid = g.Contacts[st.Contact].ID
		}
		state.add(st.Key, string(st.Kind), g.Customers[st.Cust].ID, st.Due.String(), string(st.State), st.Reason,
			st.Staff, demoInstant(st.Day, st.Sec), st.Day.String(), nullID(cid))
	}
	return state.close()
}

// addOccasions starts writing the occasions; the caller closes it.
func (g demoWriter) addOccasions(ctx context.Context, tx *sql.Tx) *demoInsert {
	occ := newDemoInsert(ctx, tx, "occasions", "id, customer_id, label, year, month, day, yearly, lead_days")
	for _, o := range g.Occasions {
		var year any
		if o.Date.Year != 0 {
			year = o.Date.Year
		}
		occ.add(o.ID, o.CustomerID, o.Label, year, int(o.Date.Month), o.Date.Day, boolInt(o.Yearly), o.LeadDays)
	}
	return occ
}

// addPromises starts writing the promises; the caller closes it.
func (g demoWriter) addPromises(ctx context.Context, tx *sql.Tx) *demoInsert {
	prom := newDemoInsert(ctx, tx, "promises", "id, customer_id, what, due, staff, made_on, kept_on")
	for _, p := range g.Promises {
		prom.add(p.ID, p.CustomerID, p.What, p.Due.String(), p.Staff, p.MadeOn.String(), nullDay(p.KeptOn))
	}
	return prom
}

// addComplaints starts writing the complaints; the caller closes it.
func (g demoWriter) addComplaints(ctx context.Context, tx *sql.Tx) *demoInsert {
	comp := newDemoInsert(ctx, tx, "complaints", `id, customer_id, what, received_at, received_on, severity, staff,
		resolved_on, resolved_at, resolution`)
	for _, c := range g.Complaints {
		var resolvedAt any
		if !c.ResolvedOn.IsZero() {
			resolvedAt = demoInstant(c.ResolvedOn, c.ResolvedSec)
		}
		comp.add(c.ID, c.CustomerID, c.What, demoInstant(c.Received, c.Sec), c.Received.String(), string(c.Severity),
			c.Staff, nullDay(c.ResolvedOn), resolvedAt, c.Resolution)
	}
	return comp
}

func demoInstant(d rules.Day, sec int32) string {
	return fmtInstant(d.Time().Add(time.Duration(sec) * time.Second))
}
