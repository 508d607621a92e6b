package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Derived reminder rows (schema 3, migrations/003_derived.sql).
//
// Working out Today from every fact of a large shop takes seconds, while a
// day's changes touch a handful of customers. So what the rules make of
// each customer's facts is kept in the database: triggers note the
// customers a write touches, and every write transaction works them out
// again before it commits. Readers take the derived rows of the customers
// they can and work the rest out from the facts as before:
//   - customers not yet worked out again (written outside a transaction
//     of the Store), and those holding reminder states moved to them by a
//     merge, whose states depend on the day asked in ways the rows do not
//     keep;
//   - for Today and Upcoming, customers with facts dated after the day
//     asked (the rows hold the facts as they stand).
// When the rules or the loyalty scheme change, every row is worked out
// again in the transaction that changed them.
//
// Birthdays, anniversaries and occasions need nothing but the customer and
// the occasions, so they are worked out for the days asked, from indexes on
// their month and day; only those due before a customer's latest fact are
// kept (their words depend on the balance and purchases of their day).

// derivedVersion changes whenever the rows' contents or the way they are
// worked out change: rows of another version are worked out again.
const derivedVersion = "derived 6"

// yearlyAhead is how far past a customer's latest fact (or the horizon,
// when later) the calendar rows hold birthdays, anniversaries and
// occasions; further on they are worked out when asked for.
const yearlyAhead = 400

func yearlyKeptTo(last, horizon Day) Day { return max(last, horizon).AddDays(yearlyAhead) }

// derivedSchema is the first schema with derived rows (003_derived.sql).
const derivedSchema = 3

// derivedHorizon is the first day the calendar rows cover when all rows are
// worked out on today: three months back, so that paging back through the
// last two months (whose grids start a few days before the 1st) stays
// quick. Earlier months are worked out from the facts.
func derivedHorizon(today Day) Day {
	y, m, _ := today.Date()
	return NewDay(y, m, 1).AddMonths(-3)
}

// storedCand is one derived reminder: the candidate, its customer, the
// stored state of its key, and what its words read.
type storedCand struct {
	c                  cand
	name, phone, email string
	st                 reminderState
	has                bool // a state is stored for its key
	points             int64
	last               factPurchase
	desc               string // last's description
}

// customerSummary is what words read of a customer whose facts all lie on
// or before the day asked: the balance and the latest purchase.
type customerSummary struct {
	points int64
	last   factPurchase
	desc   string
}

// Rows are packed into one blob per row: reading a few columns is much
// quicker than many when thousands of rows are read.

type packer struct{ b []byte }

func (p *packer) int(v int64) { p.b = binary.AppendVarint(p.b, v) }
func (p *packer) str(v string) {
	p.b = binary.AppendUvarint(p.b, uint64(len(v)))
	p.b = append(p.b, v...)
}
func (p *packer) bool(v bool) { p.int(int64(boolInt(v))) }
func (p *packer) day(v Day)   { p.int(int64(v)) }
func (p *packer) purchase(v factPurchase) {
	p.int(v.ID)
	p.day(v.Day)
	p.int(int64(v.Amount))
	p.int(v.RefundOf)
}

type unpacker struct {
	b   []byte
	err error
}

var errBadDerived = errors.New("a derived reminder row is damaged")

func (u *unpacker) int() int64 {
	v, n := binary.Varint(u.b)
	if n <= 0 {
		u.err, u.b = errBadDerived, nil
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) str() string {
	n, k := binary.Uvarint(u.b)
	if k <= 0 || uint64(len(u.b)-k) < n {
		u.err, u.b = errBadDerived, nil
		return ""
	}
	s := string(u.b[k : k+int(n)])
	u.b = u.b[k+int(n):]
	return s
}

func (u *unpacker) bool() bool { return u.int() != 0 }
func (u *unpacker) day() Day   { return Day(u.int()) }
func (u *unpacker) purchase() factPurchase {
	return factPurchase{ID: u.int(), Day: u.day(), Amount: Cents(u.int()), RefundOf: u.int()}
}

func (sc *storedCand) pack() []byte {
	p := packer{b: make([]byte, 0, 96)}
	c := &sc.c
	p.str(string(c.kind))
	p.str(c.subject)
	p.str(c.tag)
	p.int(c.id)
	p.str(c.suffix)
	p.day(c.due)
	p.day(c.shownFrom)
	p.day(c.until)
	p.bool(c.openComplaint)
	p.day(c.event)
	p.int(int64(c.amount))
	p.int(c.points)
	p.str(c.text)
	p.int(int64(c.years))
	p.bool(c.never)
	p.str(sc.name)
	p.str(sc.phone)
	p.str(sc.email)
	p.bool(sc.has)
	p.str(string(sc.st.State))
	p.day(sc.st.SnoozedUntil)
	p.str(sc.st.Reason)
	p.str(sc.st.Staff)
	p.day(sc.st.ChangedOn)
	p.int(sc.st.ContactID)
	p.int(sc.points)
	p.purchase(sc.last)
	p.str(sc.desc)
	return p.b
}

// word reads a string that is nearly always one of a few: those come
// without an allocation.
func (u *unpacker) word() string {
	n, k := binary.Uvarint(u.b)
	if k <= 0 || uint64(len(u.b)-k) < n {
		u.err, u.b = errBadDerived, nil
		return ""
	}
	b := u.b[k : k+int(n)]
	u.b = u.b[k+int(n):]
	if w, ok := commonWords[string(b)]; ok {
		return w
	}
	return string(b)
}

var commonWords = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{"", "purchase", "promise", "complaint", "occasion", "expiry", "open", "resolved",
		"touch", "reward", "birthday", "anniversary", "done", "snoozed", "skipped"} {
		m[w] = w
	}
	for _, k := range Kinds {
		m[string(k)] = string(k)
	}
	return m
}()

func unpackCand(b []byte) (storedCand, error) {
	u := unpacker{b: b}
	var sc storedCand
	c := &sc.c
	c.kind = Kind(u.word())
	c.subject = u.word()
	c.tag = u.word()
	c.id = u.int()
	c.suffix = u.word()
	c.due = u.day()
	c.shownFrom = u.day()
	c.until = u.day()
	c.openComplaint = u.bool()
	c.event = u.day()
	c.amount = Cents(u.int())
	c.points = u.int()
	c.text = u.str()
	c.years = int(u.int())
	c.never = u.bool()
	sc.name = u.str()
	sc.phone = u.str()
	sc.email = u.str()
	sc.has = u.bool()
	sc.st.State = State(u.word())
	sc.st.SnoozedUntil = u.day()
	sc.st.Reason = u.str()
	sc.st.Staff = u.str()
	sc.st.ChangedOn = u.day()
	sc.st.ContactID = u.int()
	sc.points = u.int()
	sc.last = u.purchase()
	sc.desc = u.str()
	return sc, u.err
}

func (m *customerSummary) pack() []byte {
	p := packer{}
	p.int(m.points)
	p.purchase(m.last)
	p.str(m.desc)
	return p.b
}

func unpackSummary(b []byte) (customerSummary, error) {
	u := unpacker{b: b}
	var m customerSummary
	m.points = u.int()
	m.last = u.purchase()
	m.desc = u.str()
	return m, u.err
}

// reminder is the stored candidate as a Reminder of its customer, with its
// state as seen on d.
func (sc *storedCand) reminder(id ID, d Day) Reminder {
	cu := Customer{ID: id, Name: sc.name, Phone: sc.phone, Email: sc.email}
	r := sc.c.reminder(&cu)
	applyState(&r, sc.st, sc.has, d)
	return r
}

// words are the stored candidate's words as of asOf, for the day shown.
func (sc *storedCand) words(asOf, shown Day) words {
	return words{c: sc.c, name: sc.name, asOf: asOf, shown: shown, points: sc.points, last: sc.last, desc: sc.desc, known: true}
}

// derivedSink receives the rows worked out for customers.
type derivedSink interface {
	customer(id ID, last Day, merged bool, data []byte)
	now(id ID, due, shownFrom, until Day, snoozed bool, data []byte)
	due(id ID, row *dueRow)
	yearly(id ID, kind Kind, md int, data []byte, far *yearlyFar)
}

// dueRow is one row of reminder_due: a reminder listed on its due day,
// with what the day's list is ordered by and whether its message names
// the purchase it speaks of.
type dueRow struct {
	due   Day
	kind  Kind
	name  string
	key   string
	named bool
	data  []byte
	// worded is the reminder as DueOn lists it on its day, words and
	// all, when derive is given what to word it with (else empty).
	worded []byte
}

// derive works out the rows of every customer of fs (read as of lastDay,
// with descriptions, state days and merges) for calendar rows from horizon.
func derive(fs *factSet, horizon Day, sink derivedSink, wording *dueWording) {
	e := fs.engine
	var rows []dueRow
	var rems []Reminder
	var ws []words
	bought := map[dayPurchase]bool{}
	for i := range fs.customers {
		f := &fs.customers[i]
		id := f.Customer.ID
		last := max(f.lastFactDay(), fs.stateLast[id])
		sum := customerSummary{points: balanceAsOf(f.Ledger, lastDay), last: lastPurchase(f.Purchases, lastDay)}
		sum.desc = fs.desc[sum.last.ID]
		merged := fs.merged[id]
		sink.customer(id, last, merged, sum.pack())
		if merged {
			continue
		}
		yearlyRows(f, last, sum, fs.stateKeys[id], fs.states, func(kind Kind, md int, y *yearlyRow, stem string) {
			far := farProfile(e, horizon, kind, md, y, stem)
			sink.yearly(id, kind, md, y.pack(), &far)
		})
		stored := func(c *cand, st reminderState, has bool, w words) []byte {
			sc := storedCand{c: *c, name: f.Customer.Name, phone: f.Customer.Phone, email: f.Customer.Email,
				st: st, has: has, points: w.points, last: w.last, desc: fs.desc[w.last.ID]}
			return sc.pack()
		}
		e.dated(f, lastDay, func(c *cand) {
			// Past its last day before the latest fact, it is never on
			// Today again for any day the rows are read for.
			if c.until != 0 && c.until < last {
				return
			}
			st, has := fs.states[c.key(id)]
			if has && (st.State == StateDone || st.State == StateSkipped) {
				return
			}
			w := words{points: sum.points, last: sum.last}
			if c.tag == "purchase" {
				w.last = factPurchase{ID: c.id, Day: c.event, Amount: c.amount}
			}
			sink.now(id, c.due, c.shownFrom, c.until, has && st.State == StateSnoozed, stored(c, st, has, w))
		})
		// A message names what was bought only when the day's list holds
		// a thank-you or check-in of that purchase (namedPurchases), and
		// those are the customer's own: so it is known here, day by day.
		rows, rems, ws = rows[:0], rems[:0], ws[:0]
		clear(bought)
		e.dueHistory(f, horizon, last, yearlyKeptTo(last, horizon), func(x Day, c *cand) {
			r := c.reminder(&f.Customer)
			st, has := fs.states[r.Key]
			applyState(&r, st, has, x)
			if !onToday(&r, x) {
				return
			}
			w := factWords(f, c, x, x)
			if c.tag == "purchase" {
				bought[dayPurchase{x, c.id}] = true
			}
			rows = append(rows, dueRow{due: x, kind: c.kind, name: r.CustomerName, key: r.Key, data: stored(c, st, has, w)})
			rems, ws = append(rems, r), append(ws, w)
		})
		for i := range rows {
			lastID := ws[i].last.ID
			rows[i].named = lastID != 0 && bought[dayPurchase{rows[i].due, lastID}]
			if wording != nil {
				desc := ""
				if rows[i].named {
					desc = fs.desc[lastID]
				}
				wording.words.word(wording.set, &rems[i], &ws[i], desc)
				rows[i].worded = packListRow(&rems[i])
			}
			sink.due(id, &rows[i])
		}
	}
}

// dayPurchase is a purchase a reminder due on a day speaks of.
type dayPurchase struct {
	day Day
	id  ID
}

// rowWriter puts derived rows into their tables, and adds the rows of
// reminder_due it writes to counts (by slot).
type rowWriter struct {
	custRows, nowRows, dueRows, yearlyRows, yearlyOff *demoInsert
	counts                                            map[int64]int
	yearlyCounts                                      map[yearlyCount]int
}

func (w *rowWriter) yearly(id ID, kind Kind, md int, data []byte, far *yearlyFar) {
	if !far.on {
		w.yearlyRows.add(id, string(kind), md, data, nil, "", "", 0, 0)
		return
	}
	w.yearlyRows.add(id, string(kind), md, data, far.grp, far.name, far.stem, far.first, far.last)
	w.yearlyCounts[yearlyCount{md, far.grp, far.first, far.last}]++
	for _, d := range far.off {
		w.yearlyOff.add(int64(d), far.grp, id, far.stem)
	}
}

func (w *rowWriter) customer(id ID, last Day, merged bool, data []byte) {
	w.custRows.add(id, int64(last), boolInt(merged), data)
}

func (w *rowWriter) now(id ID, due, shownFrom, until Day, snoozed bool, data []byte) {
	w.nowRows.add(id, int64(due), int64(shownFrom), int64(until), boolInt(snoozed), data)
}

func (w *rowWriter) due(id ID, r *dueRow) {
	grp := kindPlace(r.kind)
	w.dueRows.add(id, int64(r.due), string(r.kind), grp, r.name, r.key, boolInt(r.named), r.data, r.worded)
	if w.counts != nil {
		w.counts[dueSlot(r.due, grp)]++
	}
}

// syncDerived works out again, inside tx, the customers whose facts tx
// changed (or everyone, when the rules or the scheme changed). When that
// fails the write fails with it: the caller rolls tx back, so the facts and
// the rows derived from them never part.
func (s *Store) syncDerived(ctx context.Context, tx *sql.Tx) error {
	if !s.keepDerived.Load() {
		return nil
	}
	if err := s.refreshDerived(ctx, tx); err != nil {
		return fmt.Errorf("the reminder lists could not be brought up to date, so nothing was saved: %w", err)
	}
	return nil
}

func (s *Store) refreshDerived(ctx context.Context, tx *sql.Tx) error {
	set, err := s.readSettings(ctx, tx)
	if err != nil {
		return err
	}
	var fingerprint string
	var horizon Day
	if err := tx.QueryRowContext(ctx, "SELECT fingerprint, horizon FROM reminder_cache").Scan(&fingerprint, &horizon); err != nil {
		return err
	}
	// The calendar's rows are worded under the settings there are now.
	// When the templates or the shop's name change, the rows of a large
	// shop take seconds to word again: that waits for the next day's
	// lists, and meanwhile the calendar words its rows when it reads them.
	wording, worded, listDay, err := s.dueWordingOn(ctx, tx, set)
	if err != nil {
		return err
	}
	reword := !worded && listDay != s.Today()
	var ids []ID              // nil: everyone
	counts := map[int64]int{} // what the write changes in reminder_due_counts
	yearlyCounts := map[yearlyCount]int{}
	if fingerprint == set.fingerprint {
		if ids, err = idList(ctx, tx, "SELECT customer_id FROM reminder_dirty ORDER BY customer_id"); err != nil {
			return err
		}
		if len(ids) == 0 {
			if reword {
				if err := s.rewordDue(ctx, tx, wording); err != nil {
					return err
				}
			}
			return s.syncLists(ctx, tx, set, nil, nil, false)
		}
		if err := deleteDerived(ctx, tx, ids, counts, yearlyCounts); err != nil {
			return err
		}
	} else {
		horizon = derivedHorizon(s.Today())
		for _, q := range []string{"DELETE FROM reminder_now", "DELETE FROM reminder_due", "DELETE FROM reminder_due_counts",
			"DELETE FROM reminder_yearly", "DELETE FROM reminder_yearly_counts", "DELETE FROM reminder_yearly_off", "DELETE FROM reminder_customers"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reminder_cache SET fingerprint = ?, horizon = ?", set.fingerprint, int64(horizon)); err != nil {
			return err
		}
	}
	fs, err := s.readFacts(ctx, tx, set, lastDay, ids, true)
	if err != nil {
		return err
	}
	w := rowWriter{
		custRows:     newKeptInsert(ctx, tx, "reminder_customers", "customer_id, last_fact, merged, data"),
		nowRows:      newKeptInsert(ctx, tx, "reminder_now", "customer_id, due, shown_from, until, snoozed, data"),
		dueRows:      newKeptInsert(ctx, tx, "reminder_due", "customer_id, due, kind, grp, name, key, named, data, worded"),
		yearlyRows:   newKeptInsert(ctx, tx, "reminder_yearly", "customer_id, kind, md, data, grp, name, stem, first_year, last_year"),
		yearlyOff:    newKeptInsert(ctx, tx, "reminder_yearly_off", "due, grp, customer_id, stem"),
		counts:       counts,
		yearlyCounts: yearlyCounts,
	}
	derive(fs, horizon, &w, wording)
	for _, ins := range []*demoInsert{w.custRows, w.nowRows, w.dueRows, w.yearlyRows, w.yearlyOff} {
		if err := ins.close(); err != nil {
			return err
		}
	}
	if err := addDueCounts(ctx, tx, counts, ids == nil); err != nil {
		return err
	}
	if err := addYearlyCounts(ctx, tx, yearlyCounts, ids == nil); err != nil {
		return err
	}
	switch {
	case ids == nil && !worded:
		err = s.markDueWorded(ctx, tx) // every row was worded just now
	case reword:
		err = s.rewordDue(ctx, tx, wording)
	}
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, "DELETE FROM reminder_dirty"); err != nil {
		return err
	}
	return s.syncLists(ctx, tx, set, ids, fs, ids == nil)
}

// newKeptInsert is newDemoInsert for the kept rows, as INSERT OR FAIL: a
// statement that may stop half done once it has written a row makes
// SQLite journal every page it touches, to undo them; the kept rows need
// no undoing, for any trouble rolls the whole write back (syncDerived).
func newKeptInsert(ctx context.Context, tx *sql.Tx, table, cols string) *demoInsert {
	ins := newDemoInsert(ctx, tx, table, cols)
	ins.head = strings.Replace(ins.head, "INSERT INTO", "INSERT OR FAIL INTO", 1)
	return ins
}

// syncLists is refreshLists where the schema keeps the lists.
func (s *Store) syncLists(ctx context.Context, tx *sql.Tx, set shopSettings, ids []ID, facts *factSet, all bool) error {
	if !s.keepLists.Load() {
		return nil
	}
	return s.refreshLists(ctx, tx, set, ids, facts, all)
}

// deleteDerived removes the rows of the customers in ids, taking their
// rows of reminder_due off counts and those of reminder_yearly off
// yearlyCounts.
func deleteDerived(ctx context.Context, tx *sql.Tx, ids []ID, counts map[int64]int, yearlyCounts map[yearlyCount]int) error {
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		// One statement for both kinds of counts: a sale works out one
		// customer, and each statement costs about as much as its rows.
		var num strings.Builder
		for i := range part {
			if i > 0 {
				num.WriteByte(',')
			}
			num.WriteString("?" + strconv.Itoa(i+1))
		}
		same := " IN (" + num.String() + ")"
		rows, err := tx.QueryContext(ctx, "SELECT 0, due * 16 + grp, 0, 0, 0, count(*) FROM reminder_due WHERE customer_id"+same+" GROUP BY 2"+
			" UNION ALL SELECT 1, md, grp, first_year, last_year, count(*) FROM reminder_yearly WHERE grp IS NOT NULL AND customer_id"+same+" GROUP BY 2, 3, 4, 5", args...)
		if err != nil {
			return err
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var part int
			var slot int64
			var c yearlyCount
			var n int
			if err := r.Scan(&part, &slot, &c.grp, &c.first, &c.last, &n); err != nil {
				return err
			}
			if part == 0 {
				counts[slot] -= n
			} else {
				c.md = int(slot)
				yearlyCounts[c] -= n
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, table := range []string{"reminder_now", "reminder_due", "reminder_yearly", "reminder_yearly_off", "reminder_customers"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE customer_id"+in, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// idList runs a query of ids.
func idList(ctx context.Context, q querier, query string, args ...any) ([]ID, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []ID{}
	for rows.Next() {
		var id ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// startDerived turns the derived rows on once the schema has them, and
// works them out when they are missing or out of date. A store that only
// reads (write false) leaves out-of-date rows alone unless they were never
// worked out: readers work them out from the facts instead.
func (s *Store) startDerived(ctx context.Context, write bool) error {
	s.keepDerived.Store(true)
	s.keepLists.Store(true)
	s.keepDays.Store(true)
	s.keepYearly.Store(true)
	var fingerprint string
	var dirty int
	var listDay Day
	err := s.w.QueryRowContext(ctx, "SELECT fingerprint, (SELECT count(*) FROM reminder_dirty), list_day FROM reminder_cache").Scan(&fingerprint, &dirty, &listDay)
	if err != nil {
		return s.explain(err)
	}
	if fingerprint != "" && !write {
		return nil
	}
	set, err := s.readSettings(ctx, s.w)
	if err != nil || (set.fingerprint == fingerprint && dirty == 0 && listDay == s.Today()) {
		return nil // damaged settings are reported by whatever reads them
	}
	return s.tx(ctx, func(*sql.Tx) error { return nil })
}

// bulkWrite runs fn, which writes a whole shop's worth of rows in tx,
// without the triggers that note changed customers and names: firing them
// for every row would cost more than the rows. Every derived row is worked
// out afresh when tx commits instead.
func (s *Store) bulkWrite(ctx context.Context, tx *sql.Tx, fn func() error) error {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
		AND name LIKE '%\_dirty\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return err
		}
		names, defs = append(names, n), append(defs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
			return err
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, d := range defs {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		return nil // a schema without derived rows
	}
	_, err = tx.ExecContext(ctx, "UPDATE reminder_cache SET fingerprint = ''")
	return err
}

// derivedView says which customers a read can take from the derived rows:
// all but those in slow. It is nil when the rows cannot be used at all.
type derivedView struct {
	horizon Day
	slow    map[ID]bool
}

// slowIDs lists the customers to work out from their facts, in order; nil
// (everyone) without a view.
func (v *derivedView) slowIDs() []ID {
	if v == nil {
		return nil
	}
	ids := make([]ID, 0, len(v.slow))
	for id := range v.slow {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// view reads which customers must be worked out from their facts; with
// lateAfter set, also those with facts dated after it.
func (s *Store) view(ctx context.Context, set shopSettings, lateAfter Day) (*derivedView, error) {
	return s.viewOn(ctx, s.reader(), set, lateAfter)
}

// viewOn is view through db.
func (s *Store) viewOn(ctx context.Context, db querier, set shopSettings, lateAfter Day) (*derivedView, error) {
	if !s.keepDerived.Load() || s.skipDerived {
		return nil, nil
	}
	var fingerprint string
	var horizon Day
	if err := db.QueryRowContext(ctx, "SELECT fingerprint, horizon FROM reminder_cache").Scan(&fingerprint, &horizon); err != nil {
		return nil, s.explain(err)
	}
	if fingerprint != set.fingerprint {
		return nil, nil
	}
	q := "SELECT customer_id FROM reminder_dirty UNION SELECT customer_id FROM reminder_customers WHERE merged <> 0"
	var args []any
	if lateAfter != 0 {
		q += " UNION SELECT customer_id FROM reminder_customers WHERE last_fact > ?"
		args = append(args, int64(lateAfter))
	}
	ids, err := idList(ctx, db, q, args...)
	if err != nil {
		return nil, s.explain(err)
	}
	v := &derivedView{horizon: horizon, slow: make(map[ID]bool, len(ids))}
	for _, id := range ids {
		v.slow[id] = true
	}
	return v, nil
}

// eachStored calls fn with each stored candidate of a customer not in
// v.slow that q finds; q selects customer_id and data.
func (s *Store) eachStored(ctx context.Context, v *derivedView, q string, args []any, fn func(id ID, sc *storedCand)) error {
	return s.eachStoredOn(ctx, s.reader(), v, q, args, fn)
}

// eachStoredOn is eachStored through db.
func (s *Store) eachStoredOn(ctx context.Context, db querier, v *derivedView, q string, args []any, fn func(id ID, sc *storedCand)) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return s.explain(err)
	}
	defer rows.Close()
	var data sql.RawBytes
	for rows.Next() {
		var id ID
		if err := rows.Scan(&id, &data); err != nil {
			return s.explain(err)
		}
		if v.slow[id] {
			continue
		}
		sc, err := unpackCand(data)
		if err != nil {
			return fmt.Errorf("customer %d: %w", id, err)
		}
		fn(id, &sc)
	}
	return s.explain(rows.Err())
}

// yearlyRow is one kept birthday, customer-since day or occasion: the
// customer with only that date (so that the engine gives only its
// reminders), the day of the customer's latest fact, what words read, and
// the stored states of its reminders.
type yearlyRow struct {
	f      customerFacts
	last   Day
	sum    customerSummary
	states []keyedState
}

type keyedState struct {
	key string
	st  reminderState
}

// yearlyKinds are the kinds kept in reminder_yearly.
var yearlyKinds = []Kind{KindBirthday, KindAnniversary, KindOccasion}

func (y *yearlyRow) pack() []byte {
	p := packer{b: make([]byte, 0, 128)}
	cu := &y.f.Customer
	p.str(cu.Name)
	p.str(cu.Phone)
	p.str(cu.Email)
	p.bool(cu.DoNotContact)
	p.day(cu.AddedOn)
	p.day(cu.CustomerSince)
	p.int(int64(cu.Birthday.Year))
	p.int(int64(cu.Birthday.Month))
	p.int(int64(cu.Birthday.Day))
	p.int(int64(len(y.f.Occasions)))
	for _, o := range y.f.Occasions {
		p.int(o.ID)
		p.str(o.Label)
		p.int(int64(o.Date.Year))
		p.int(int64(o.Date.Month))
		p.int(int64(o.Date.Day))
		p.bool(o.Yearly)
		p.int(int64(o.LeadDays))
	}
	p.day(y.last)
	p.int(y.sum.points)
	p.purchase(y.sum.last)
	p.str(y.sum.desc)
	p.int(int64(len(y.states)))
	for _, k := range y.states {
		p.str(k.key)
		p.str(string(k.st.State))
		p.day(k.st.SnoozedUntil)
		p.str(k.st.Reason)
		p.str(k.st.Staff)
		p.day(k.st.ChangedOn)
		p.int(k.st.ContactID)
	}
	return p.b
}

func unpackYearly(id ID, b []byte) (yearlyRow, error) {
	u := unpacker{b: b}
	var y yearlyRow
	cu := &y.f.Customer
	cu.ID = id
	cu.Name = u.str()
	cu.Phone = u.str()
	cu.Email = u.str()
	cu.DoNotContact = u.bool()
	cu.AddedOn = u.day()
	cu.CustomerSince = u.day()
	cu.Birthday.Year = int(u.int())
	cu.Birthday.Month = time.Month(u.int())
	cu.Birthday.Day = int(u.int())
	for n := u.int(); n > 0 && u.err == nil; n-- {
		o := Occasion{CustomerID: id}
		o.ID = u.int()
		o.Label = u.str()
		o.Date.Year = int(u.int())
		o.Date.Month = time.Month(u.int())
		o.Date.Day = int(u.int())
		o.Yearly = u.bool()
		o.LeadDays = int(u.int())
		y.f.Occasions = append(y.f.Occasions, o)
	}
	y.last = u.day()
	y.sum.points = u.int()
	y.sum.last = u.purchase()
	y.sum.desc = u.str()
	for n := u.int(); n > 0 && u.err == nil; n-- {
		var k keyedState
		k.key = u.str()
		k.st.State = State(u.str())
		k.st.SnoozedUntil = u.day()
		k.st.Reason = u.str()
		k.st.Staff = u.str()
		k.st.ChangedOn = u.day()
		k.st.ContactID = u.int()
		y.states = append(y.states, k)
	}
	return y, u.err
}

// yearlyRows gives the kept yearly rows of customer f: one per date.
func yearlyRows(f *customerFacts, last Day, sum customerSummary, stateKeys []string, states map[string]reminderState, fn func(kind Kind, md int, y *yearlyRow, stem string)) {
	cu := f.Customer
	base := Customer{ID: cu.ID, Name: cu.Name, Phone: cu.Phone, Email: cu.Email, DoNotContact: cu.DoNotContact, AddedOn: cu.AddedOn}
	row := func(kind Kind, md int, c Customer, occasions []Occasion, prefix string) {
		y := yearlyRow{f: customerFacts{Customer: c, Occasions: occasions}, last: last, sum: sum}
		for _, k := range stateKeys {
			if strings.HasPrefix(k, prefix) {
				y.states = append(y.states, keyedState{k, states[k]})
			}
		}
		// In the order of their keys: the facts of one customer and of
		// the whole shop list the states in different orders.
		slices.SortFunc(y.states, func(a, b keyedState) int { return strings.Compare(a.key, b.key) })
		fn(kind, md, &y, prefix)
	}
	id := strconv.FormatInt(cu.ID, 10)
	if !cu.Birthday.IsZero() {
		c := base
		c.Birthday = cu.Birthday
		row(KindBirthday, int(cu.Birthday.Month)*100+cu.Birthday.Day, c, nil, "birthday:"+id+":birthday:")
	}
	if !cu.CustomerSince.IsZero() {
		c := base
		c.CustomerSince = cu.CustomerSince
		_, m, d := cu.CustomerSince.Date()
		row(KindAnniversary, int(m)*100+d, c, nil, "anniversary:"+id+":anniversary:")
	}
	for _, o := range f.Occasions {
		if o.Date.IsZero() {
			continue
		}
		row(KindOccasion, int(o.Date.Month)*100+o.Date.Day, base, []Occasion{o}, "occasion:"+id+":occasion:"+strconv.FormatInt(o.ID, 10)+":")
	}
}

// reminder is c, one of y's reminders, with its state as seen on d.
func (y *yearlyRow) reminder(c *cand, d Day) Reminder {
	r := c.reminder(&y.f.Customer)
	var st reminderState
	has := false
	for _, k := range y.states {
		if k.key == r.Key {
			st, has = k.st, true
			break
		}
	}
	applyState(&r, st, has, d)
	return r
}

// words are the words of c, one of y's reminders, as of asOf, which is on
// or after y's latest fact.
func (y *yearlyRow) words(c *cand, asOf, shown Day) words {
	return words{c: *c, name: y.f.Customer.Name, asOf: asOf, shown: shown, points: y.sum.points, last: y.sum.last, desc: y.sum.desc, known: true}
}

// mdRange is a stretch of month-days (month*100+day) within a year.
type mdRange struct{ lo, hi int }

// monthDays are the month-days of the days lo..hi as at most two stretches
// (the year's end splits one); 29 February goes with 28 February, its day
// in other years.
func monthDays(lo, hi Day) []mdRange {
	if hi.Sub(lo) >= 365 {
		return []mdRange{{101, 1231}}
	}
	md := func(d Day) int {
		_, m, dd := d.Date()
		return int(m)*100 + dd
	}
	fix := func(r mdRange) mdRange {
		if r.hi == 228 {
			r.hi = 229
		}
		return r
	}
	if lo.Year() == hi.Year() {
		return []mdRange{fix(mdRange{md(lo), md(hi)})}
	}
	return []mdRange{fix(mdRange{md(lo), 1231}), fix(mdRange{101, md(hi)})}
}

// maxOccasionLead reads the longest lead of any occasion.
func (s *Store) maxOccasionLead(ctx context.Context, q querier) (int, error) {
	var n sql.NullInt64
	err := q.QueryRowContext(ctx, "SELECT max(lead_days) FROM occasions").Scan(&n)
	return int(max(n.Int64, 0)), s.explain(err)
}

// eachYearlyAfter is eachYearly for the calendar, which keeps the yearly
// reminders up to yearlyKeptTo: only those due later come.
func (s *Store) eachYearlyAfter(ctx context.Context, v *derivedView, e engine, from, to Day, fn func(y *yearlyRow, c *cand)) error {
	if to <= v.horizon.AddDays(yearlyAhead) {
		return nil // kept for everyone
	}
	return s.eachYearly(ctx, v, e, from, to, true, fn)
}

// eachYearly calls fn with the yearly reminders that each(f, asOf, through)
// gives, for customers not in v.slow, among those shown, due or within
// their stay on some day of asOf..through; with after set, only those due
// after the calendar rows keep them (yearlyKeptTo).
func (s *Store) eachYearly(ctx context.Context, v *derivedView, e engine, asOf, through Day, after bool, fn func(y *yearlyRow, c *cand)) error {
	return s.eachYearlyOn(ctx, s.reader(), v, e, asOf, through, after, fn)
}

// eachYearlyOn is eachYearly through q.
func (s *Store) eachYearlyOn(ctx context.Context, q querier, v *derivedView, e engine, asOf, through Day, after bool, fn func(y *yearlyRow, c *cand)) error {
	lead, err := s.maxOccasionLead(ctx, q)
	if err != nil {
		return err
	}
	windows := map[Kind][2]Day{}
	for _, k := range yearlyKinds {
		r := e.rules[k]
		if !r.On {
			continue
		}
		before := r.BeforeDays
		if k == KindOccasion {
			before = lead
		}
		windows[k] = [2]Day{asOf.AddDays(-r.StayDays), through.AddDays(before)}
	}
	for _, k := range yearlyKinds {
		w, ok := windows[k]
		if !ok {
			continue
		}
		for _, r := range monthDays(w[0], w[1]) {
			rows, err := q.QueryContext(ctx, "SELECT customer_id, data FROM reminder_yearly WHERE kind = ? AND md BETWEEN ? AND ?",
				string(k), r.lo, r.hi)
			if err != nil {
				return s.explain(err)
			}
			var data sql.RawBytes
			for rows.Next() {
				var id ID
				if err := rows.Scan(&id, &data); err != nil {
					rows.Close()
					return s.explain(err)
				}
				if v.slow[id] {
					continue
				}
				y, err := unpackYearly(id, data)
				if err != nil {
					rows.Close()
					return fmt.Errorf("customer %d: %w", id, err)
				}
				// Occurrences over before asOf are of no use to any
				// caller; starting there saves going through the years.
				if y.f.Customer.AddedOn < asOf {
					y.f.Customer.AddedOn = asOf
				}
				e.yearlyOnly(&y.f, asOf, through, func(c *cand) {
					if !after || c.due > yearlyKeptTo(y.last, v.horizon) {
						fn(&y, c)
					}
				})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return s.explain(err)
			}
		}
	}
	return nil
}

// checkDerived compares the derived rows of every customer worked out
// since its last change with what its facts give now.
func (s *Store) checkDerived(ctx context.Context) ([]finding, error) {
	if !s.keepDerived.Load() {
		return nil, nil
	}
	db := s.reader()
	set, err := s.readSettings(ctx, db)
	if err != nil {
		return nil, nil // the settings' own trouble is reported where they are read
	}
	var fingerprint string
	var horizon Day
	if err := db.QueryRowContext(ctx, "SELECT fingerprint, horizon FROM reminder_cache").Scan(&fingerprint, &horizon); err != nil {
		return nil, s.explain(err)
	}
	if fingerprint != set.fingerprint {
		return nil, nil // not in use: the next write works every row out again
	}
	dirty, err := idList(ctx, db, "SELECT customer_id FROM reminder_dirty")
	if err != nil {
		return nil, s.explain(err)
	}
	skip := map[ID]bool{}
	for _, id := range dirty {
		skip[id] = true
	}
	fs, err := s.readFacts(ctx, db, set, lastDay, nil, true)
	if err != nil {
		return nil, err
	}
	// The calendar's words are compared when they are of the settings
	// there are now; otherwise the next day's lists word them again.
	var wording *dueWording
	worded := "x''"
	if s.keepDays.Load() {
		w, current, _, err := s.dueWordingOn(ctx, db, set)
		if err != nil {
			return nil, s.explain(err)
		}
		if current {
			wording, worded = w, "worded"
		}
	}
	want := derivedRows{}
	derive(fs, horizon, want, wording)
	have := derivedRows{}
	for _, t := range []struct{ table, cols string }{
		{"reminder_customers", "customer_id, 'customer', last_fact, merged, 0, 0, data"},
		{"reminder_now", "customer_id, 'now', due, shown_from, until, snoozed, data"},
		{"reminder_due", "customer_id, 'due', due, kind || ' ' || grp || ' ' || named || ' ' || key || ' ' || name || ' ' || lower(hex(" + worded + ")), 0, 0, data"},
		{"reminder_yearly", "customer_id, 'yearly ' || kind || ' ' || ifnull(grp, '-') || ' ' || first_year || ' ' || last_year || ' ' || stem || ' ' || name, md, 0, 0, 0, data"},
		{"reminder_yearly_off", "customer_id, 'off ' || grp || ' ' || stem, due, 0, 0, 0, x''"},
	} {
		rows, err := db.QueryContext(ctx, "SELECT "+t.cols+" FROM "+t.table)
		if err != nil {
			return nil, s.explain(err)
		}
		for rows.Next() {
			var id ID
			var what string
			var a, c, d int64
			var b any
			var data []byte
			if err := rows.Scan(&id, &what, &a, &b, &c, &d, &data); err != nil {
				rows.Close()
				return nil, s.explain(err)
			}
			if bs, ok := b.([]byte); ok {
				b = string(bs)
			}
			have.add(id, fmt.Sprintf("%s %d %v %d %d %x", what, a, b, c, d, data))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.explain(err)
		}
	}
	var found []finding
	for id := range union(want, have) {
		if skip[id] {
			continue
		}
		w, h := want[id], have[id]
		slices.Sort(w)
		slices.Sort(h)
		if !slices.Equal(w, h) {
			found = append(found, finding{3, id, 0, fmt.Sprintf("customer %d: the reminders kept for Today and the calendar do not match the facts (%d rows kept, %d expected); any change to the customer works them out again", id, len(h), len(w))})
		}
	}
	if !s.keepDays.Load() {
		return found, nil
	}
	counts, err := s.checkDueCounts(ctx, db)
	if err != nil || !s.keepYearly.Load() {
		return append(found, counts...), err
	}
	yearly, err := s.checkYearlyCounts(ctx, db)
	return append(append(found, counts...), yearly...), err
}

// derivedRows collects rows per customer as text, for comparing.
type derivedRows map[ID][]string

func (d derivedRows) add(id ID, row string) { d[id] = append(d[id], row) }

func (d derivedRows) customer(id ID, last Day, merged bool, data []byte) {
	d.add(id, fmt.Sprintf("customer %d %d 0 0 %x", int64(last), boolInt(merged), data))
}

func (d derivedRows) now(id ID, due, shownFrom, until Day, snoozed bool, data []byte) {
	d.add(id, fmt.Sprintf("now %d %d %d %d %x", int64(due), int64(shownFrom), int64(until), boolInt(snoozed), data))
}

func (d derivedRows) due(id ID, r *dueRow) {
	d.add(id, fmt.Sprintf("due %d %s %d %d %s %s %x 0 0 %x", int64(r.due), r.kind, kindPlace(r.kind), boolInt(r.named), r.key, r.name, r.worded, r.data))
}

func (d derivedRows) yearly(id ID, kind Kind, md int, data []byte, far *yearlyFar) {
	grp := "-"
	if far.on {
		grp = strconv.Itoa(far.grp)
	}
	d.add(id, fmt.Sprintf("yearly %s %s %d %d %s %s %d 0 0 0 %x", kind, grp, far.first, far.last, far.stem, far.name, md, data))
	for _, x := range far.off {
		d.add(id, fmt.Sprintf("off %d %s %d 0 0 0 ", far.grp, far.stem, int64(x)))
	}
}

// union is the set of keys of a and b.
func union[K comparable, V any, M ~map[K]V](a, b M) map[K]bool {
	out := map[K]bool{}
	for id := range a {
		out[id] = true
	}
	for id := range b {
		out[id] = true
	}
	return out
}
