package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The calendar at any shop size (schema 5, migrations/005_calendar.sql).
//
// A month's grid of a large shop holds tens of thousands of reminders, and
// a busy day hundreds. So the grid reads how many rows reminder_due holds
// for each day and kind (reminder_due_counts, kept with reminder_due by
// every write transaction), and the chosen day's list is read a page at a
// time along an index in the calendar's order. What the kept rows cannot
// answer is worked out as DueOn works it out: the customers waiting to be
// worked out again or holding states moved to them by a merge come from
// their facts and are merged into the counts and the page; days before the
// horizon, or rows kept under other rules or by another version, mean
// everything comes from the facts; yearly reminders past what reminder_due
// keeps come from reminder_yearly.

// daysSchema is the first schema with the calendar's counts and order.
const daysSchema = 5

// kindPlace is k's place in Kinds: the order of a calendar day's groups.
func kindPlace(k Kind) int {
	if i := slices.Index(Kinds, k); i >= 0 {
		return i
	}
	return len(Kinds)
}

// dueSlot is the row of reminder_due_counts for day d and the kind in
// place grp (the SQL says due * 16 + grp: kindSlots).
func dueSlot(d Day, grp int) int64 { return int64(d)*kindSlots + int64(grp) }

// slotDay is the day and kind of a slot; ok is false for a slot no kind
// has.
func slotDay(slot int64) (d Day, k Kind, ok bool) {
	d, grp := Day(slot/kindSlots), int(slot%kindSlots)
	if grp >= len(Kinds) {
		return d, "", false
	}
	return d, Kinds[grp], true
}

// compareDay is a calendar day's order: by kind in the order of Kinds,
// each as DueOn lists the day.
func compareDay(a, b *Reminder) int {
	if x, y := kindPlace(a.Kind), kindPlace(b.Kind); x != y {
		return x - y
	}
	return compareToday(a, b)
}

// addDueCounts adds counts (changes by slot) to reminder_due_counts inside
// tx; fresh means the table is empty.
func addDueCounts(ctx context.Context, tx *sql.Tx, counts map[int64]int, fresh bool) error {
	// In order, so that the same shop gives the same bytes.
	slots := slices.Sorted(maps.Keys(counts))
	if fresh {
		ins := newDemoInsert(ctx, tx, "reminder_due_counts", "slot, n")
		for _, slot := range slots {
			if n := counts[slot]; n > 0 {
				ins.add(slot, n)
			}
		}
		return ins.close()
	}
	// A write changes a few dozen slots: one statement for them all, and
	// one to drop those left at nothing.
	changed := slices.DeleteFunc(slots, func(slot int64) bool { return counts[slot] == 0 })
	const batch = 250
	for start := 0; start < len(changed); start += batch {
		part := changed[start:min(start+batch, len(changed))]
		args := make([]any, 0, 2*len(part))
		var gone []any
		for _, slot := range part {
			args = append(args, slot, counts[slot])
			if counts[slot] < 0 {
				gone = append(gone, slot)
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO reminder_due_counts(slot, n) VALUES (?, ?)"+strings.Repeat(", (?, ?)", len(part)-1)+
			" ON CONFLICT(slot) DO UPDATE SET n = n + excluded.n", args...)
		if err == nil && len(gone) > 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM reminder_due_counts WHERE n <= 0 AND slot IN (?"+strings.Repeat(", ?", len(gone)-1)+")", gone...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dueWordsVersion changes whenever the words kept in reminder_due.worded
// or the way they are worded change. The version and the settings they
// were worded under are kept in reminder_cache.due_words.
const dueWordsVersion = derivedVersion + ", calendar words 3\n"

// dueWording is what reminder_due.worded is worded with: the settings and
// the templates.
type dueWording struct {
	set   shopSettings
	words pageWords
}

// dueWordingOn reads, through q, what reminder_due.worded is to be worded
// with now, whether the words kept are, and the day of the kept lists.
func (s *Store) dueWordingOn(ctx context.Context, q querier, set shopSettings) (*dueWording, bool, Day, error) {
	texts, err := s.templatesOn(ctx, q)
	if err != nil {
		return nil, false, 0, err
	}
	var current bool
	var listDay Day
	err = q.QueryRowContext(ctx, "SELECT due_words IS ? || "+listSettingsSQL+", list_day FROM reminder_cache", dueWordsVersion).Scan(&current, &listDay)
	if err != nil {
		return nil, false, 0, err
	}
	return &dueWording{set: set, words: newPageWords(texts)}, current, listDay, nil
}

// worded is the reminder of kept row sc of customer id as DueOn lists it
// on its day d, words and all; named says whether its message names what
// was bought.
func (dw *dueWording) worded(id ID, sc *storedCand, named bool, d Day) Reminder {
	r := sc.reminder(id, d)
	w := sc.words(d, d)
	desc := ""
	if named {
		desc = sc.desc
	}
	dw.words.word(dw.set, &r, &w, desc)
	return r
}

// rewordDue words every row of reminder_due again inside tx, after the
// templates, the shop's name or the version of the words changed.
func (s *Store) rewordDue(ctx context.Context, tx *sql.Tx, dw *dueWording) error {
	// Rows are written a few hundred to a statement: a large shop has
	// hundreds of thousands.
	const per = 200
	update, err := tx.PrepareContext(ctx, "UPDATE reminder_due SET worded = v.column2 FROM (VALUES (?, ?)"+
		strings.Repeat(", (?, ?)", per-1)+") AS v WHERE reminder_due.rowid = v.column1")
	if err != nil {
		return err
	}
	defer update.Close()
	type reworded struct {
		rowid  int64
		worded []byte
	}
	var after int64
	for {
		var batch []reworded
		err := s.scanEachOn(ctx, tx, "SELECT rowid, customer_id, due, named, data FROM reminder_due WHERE rowid > ? ORDER BY rowid LIMIT 2000",
			[]any{after}, func(r *sql.Rows, _ *sql.RawBytes) error {
				var rowid int64
				var id ID
				var due Day
				var named bool
				var data sql.RawBytes
				if err := r.Scan(&rowid, &id, &due, &named, &data); err != nil {
					return err
				}
				sc, err := unpackCand(data)
				if err != nil {
					return fmt.Errorf("customer %d: %w", id, err)
				}
				rem := dw.worded(id, &sc, named, due)
				batch = append(batch, reworded{rowid, packListRow(&rem)})
				return nil
			})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		args := make([]any, 0, 2*per)
		for i, b := range batch {
			args = append(args, b.rowid, b.worded)
			if i == len(batch)-1 {
				// The last few: the statement's other places name no row.
				for len(args) < 2*per {
					args = append(args, nil, nil)
				}
			}
			if len(args) == 2*per {
				if _, err := update.ExecContext(ctx, args...); err != nil {
					return err
				}
				args = args[:0]
			}
		}
		after = batch[len(batch)-1].rowid
	}
	return s.markDueWorded(ctx, tx)
}

// markDueWorded notes that reminder_due.worded is worded under the
// settings there are now.
func (s *Store) markDueWorded(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE reminder_cache SET due_words = ? || "+listSettingsSQL, dueWordsVersion)
	return err
}

// keptDays is what one statement reads of the kept calendar rows for a
// stretch of days.
type keptDays struct {
	// view is nil when the kept rows cannot be used for the days asked.
	view   *derivedView
	dirty  []ID        // customers whose kept rows are out of date, in order
	counts []slotCount // rows of reminder_due by slot, in order
	// A day's: whether the words kept are of the settings there are now,
	// and the page, words and all.
	worded bool
	rows   []Reminder
	// yearly says that the counts of the yearly kinds on days far ahead
	// (from farFrom on) are those of reminder_yearly_counts, for everyone
	// but the customers in view.slow (calendar_yearly.go).
	yearly bool
}

// slotCount is a row of reminder_due_counts.
type slotCount struct {
	slot int64
	n    int
}

// calendarSQL reads in one statement, so that all comes from one commit,
// whether the kept rows were worked out under the rules and scheme there
// are now (?3 is derivedVersion) and from which day they hold, the
// customers they cannot answer for and the counts of the slots ?1..?2.
// The day's statement also reads whether the words kept are of the
// settings there are now (?7 is dueWordsVersion) and the page of day ?4
// from ?6 on, at most ?5 rows, words and all. Each row is two columns, the
// first saying what the row is (see readKeptDays): the driver's cost grows
// with the columns read.
// With yearly (the second index), the counts of yearly reminders far
// ahead come too (yearlyCountsSQL).
var calendarSQL = [2][2]string{}

func init() {
	usable := `fingerprint = ?3 || char(10) || COALESCE((SELECT value FROM settings WHERE key = 'rules'), '')
			|| char(10) || COALESCE((SELECT value FROM settings WHERE key = 'loyalty'), '')`
	rest := `
	UNION ALL SELECT -3, customer_id FROM reminder_dirty
	UNION ALL SELECT -4, customer_id FROM reminder_customers WHERE merged <> 0
	UNION ALL SELECT slot, n FROM reminder_due_counts WHERE slot BETWEEN ?1 AND ?2`
	page := `
	UNION ALL SELECT * FROM (SELECT -16, worded FROM reminder_due WHERE due = ?4
		ORDER BY due, grp, name, customer_id, key LIMIT ?5 OFFSET ?6)`
	for y, more := range []string{"", yearlyCountsSQL} {
		calendarSQL[0][y] = `SELECT -1, horizon * 4 + (` + usable + `) FROM reminder_cache` + rest + more
		calendarSQL[1][y] = `SELECT -1, horizon * 4 + (` + usable + `) + 2 * (due_words IS ?7 || ` + listSettingsSQL + `) FROM reminder_cache` + rest + page + more
	}
}

// rawInt reads an integer column read as bytes.
func rawInt(b []byte) int64 {
	var n int64
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// readKeptDays reads what the kept rows say about from..to; with page set,
// also the page of day (offset, limit) in the calendar's order.
func (s *Store) readKeptDays(ctx context.Context, from, to Day, page bool, day Day, offset, limit int) (keptDays, error) {
	var k keptDays
	if !s.keepDays.Load() || s.skipDerived {
		return k, nil
	}
	i, y := 0, 0
	args := []any{dueSlot(from, 0), dueSlot(to, kindSlots-1), derivedVersion, nil, nil, nil, nil}
	if page {
		i = 1
		args[3], args[4], args[5], args[6] = int64(day), limit, offset, dueWordsVersion
		k.rows = make([]Reminder, 0, min(limit, 200))
	}
	if s.keepYearly.Load() && !s.skipYearly {
		y = 1
		args = append(args, farDaysJSON(from, to), int64(from), int64(to))
	} else if !page {
		args = args[:3]
	}
	var yearly []slotCount
	stmt, err := s.prepared(ctx, calendarSQL[i][y])
	if err != nil {
		return k, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return k, s.explain(err)
	}
	var horizon Day
	var usable bool
	var slow map[ID]bool // read only when there are some
	k.counts = make([]slotCount, 0, (to.Sub(from)+1)*8)
	var b sql.RawBytes
	err = eachRow(rows, func(r *sql.Rows) error {
		var what int64
		if err := r.Scan(&what, &b); err != nil {
			return err
		}
		switch what {
		case -1: // the horizon, four times, whether the rows are usable, and twice whether their words are
			n := rawInt(b)
			horizon, usable, k.worded = Day(n/4), n&1 != 0, n&2 != 0
		case -3, -4: // a customer waiting to be worked out, or merged into
			id := rawInt(b)
			if slow == nil {
				slow = map[ID]bool{}
			}
			slow[id] = true
			if what == -3 {
				k.dirty = append(k.dirty, id)
			}
		case -16: // a reminder of the page
			rem, err := unpackListRow(b)
			if err != nil {
				return err
			}
			k.rows = append(k.rows, rem)
		default: // a count: the slot, then how many
			if what >= yearlySlot {
				yearly = append(yearly, slotCount{what - yearlySlot, int(rawInt(b))})
				break
			}
			k.counts = append(k.counts, slotCount{what, int(rawInt(b))})
		}
		return nil
	})
	if err != nil {
		return k, s.explain(err)
	}
	slices.Sort(k.dirty)
	if usable && from >= horizon {
		k.view = &derivedView{horizon: horizon, slow: slow}
		if y == 1 {
			k.useYearlyCounts(yearly)
		}
	}
	return k, nil
}

// idsJSON is ids as a JSON array, for json_each.
func idsJSON(ids []ID) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// dropDirtyCounts takes the kept rows of the customers in dirty due
// from..to off counts: they are out of date.
func (s *Store) dropDirtyCounts(ctx context.Context, counts map[int64]int, dirty []ID, from, to Day) error {
	if len(dirty) == 0 {
		return nil
	}
	return s.scanEach(ctx, `SELECT due * 16 + grp, count(*) FROM reminder_due
		WHERE customer_id IN (SELECT value FROM json_each(?)) AND due BETWEEN ? AND ? GROUP BY 1`,
		[]any{idsJSON(dirty), int64(from), int64(to)}, func(r *sql.Rows, _ *sql.RawBytes) error {
			var slot int64
			var n int
			if err := r.Scan(&slot, &n); err != nil {
				return err
			}
			counts[slot] -= n
			return nil
		})
}

// calendarDays checks the days a calendar asks for.
func calendarDays(from, to Day) error {
	if to < from {
		return fmt.Errorf("the calendar ends (%s) before it starts (%s)", to, from)
	}
	if to.Sub(from) > 3660 {
		return fmt.Errorf("a calendar covers at most ten years")
	}
	return nil
}

// DueCounts counts, for each day in [from, to], the reminders DueOn lists
// that day, by kind: what a month's grid shows, without reading them. Days
// with none are left out.
func (s *Store) DueCounts(ctx context.Context, from, to Day) (map[Day]DayCounts, error) {
	if err := calendarDays(from, to); err != nil {
		return nil, err
	}
	k, err := s.readKeptDays(ctx, from, to, false, 0, 0, 0)
	if err != nil {
		return nil, err
	}
	return s.dueCounts(ctx, &k, from, to)
}

// DueDayPage is the list DueOn(d, d) gives for d in the calendar's order
// (by kind in the order of Kinds, each in DueOn's order) from offset on, at
// most limit reminders, with the counts of the whole day: Total, Counts,
// and Groups, one for each kind.
func (s *Store) DueDayPage(ctx context.Context, d Day, offset, limit int) (ReminderPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	if err := calendarDays(d, d); err != nil {
		return ReminderPage{}, err
	}
	k, err := s.readKeptDays(ctx, d, d, true, d, offset, limit)
	if err != nil {
		return ReminderPage{}, err
	}
	return s.dueDayPage(ctx, &k, d, offset, limit)
}

// DueMonth is DueCounts(from, to) and DueDayPage(d, offset, limit) of a
// day d among them, read together: what the calendar shows of a month,
// the day's list agreeing with its count on the grid.
func (s *Store) DueMonth(ctx context.Context, from, to, d Day, offset, limit int) (map[Day]DayCounts, ReminderPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	if err := calendarDays(from, to); err != nil {
		return nil, ReminderPage{}, err
	}
	if d < from || d > to {
		return nil, ReminderPage{}, fmt.Errorf("the day chosen (%s) is not among the calendar's days (%s to %s)", d, from, to)
	}
	k, err := s.readKeptDays(ctx, from, to, true, d, offset, limit)
	if err != nil {
		return nil, ReminderPage{}, err
	}
	counts, err := s.dueCounts(ctx, &k, from, to)
	if err != nil {
		return nil, ReminderPage{}, err
	}
	p, err := s.dueDayPage(ctx, &k, d, offset, limit)
	return counts, p, err
}

// dueCounts is DueCounts from k, read for from..to.
func (s *Store) dueCounts(ctx context.Context, k *keptDays, from, to Day) (map[Day]DayCounts, error) {
	var err error
	var set shopSettings
	if k.view == nil || len(k.view.slow) > 0 || (to > k.view.horizon.AddDays(yearlyAhead) && !k.yearly) {
		if set, err = s.readSettings(ctx, s.reader()); err != nil {
			return nil, err
		}
	}
	days := make([]DayCounts, to.Sub(from)+1)
	add := func(d Day, grp int, n int) {
		if d >= from && d <= to && grp < kindSlots {
			days[d.Sub(from)][grp] += n
		}
	}
	// The customers the kept rows cannot answer for (everyone without
	// them), from their facts.
	if k.view == nil || len(k.view.slow) > 0 {
		rs, _, err := s.dueCollect(ctx, set, k.view, from, to, false)
		if err != nil {
			return nil, err
		}
		for i := range rs {
			add(rs[i].Due, kindPlace(rs[i].Kind), 1)
		}
	}
	if k.view != nil {
		for _, c := range k.counts {
			d, _, ok := slotDay(c.slot)
			if !ok {
				return nil, errBadDerived
			}
			add(d, int(c.slot%kindSlots), c.n)
		}
		// The kept rows of customers waiting to be worked out are out of
		// date: off the counts.
		dirty := map[int64]int{}
		if err := s.dropDirtyCounts(ctx, dirty, k.dirty, from, to); err != nil {
			return nil, err
		}
		for slot, n := range dirty {
			add(Day(slot/kindSlots), int(slot%kindSlots), n)
		}
		if !k.yearly {
			err = s.eachYearlyDue(ctx, k.view, set.engine, from, to, func(y *yearlyRow, c *cand, r *Reminder) { add(r.Due, kindPlace(r.Kind), 1) })
			if err != nil {
				return nil, err
			}
		}
	}
	out := make(map[Day]DayCounts, len(days))
	for i, c := range days {
		if c.Total() > 0 {
			out[from.AddDays(i)] = c
		}
	}
	return out, nil
}

// kindSlots is how many kinds a DayCounts, and a day's slots of
// reminder_due_counts, have room for.
const kindSlots = 16

// DayCounts counts a day's reminders by kind: DayCounts[i] is of Kinds[i].
type DayCounts [kindSlots]int

// Of is how many reminders of kind k the day holds.
func (c DayCounts) Of(k Kind) int {
	if i := kindPlace(k); i < kindSlots {
		return c[i]
	}
	return 0
}

// Total is how many reminders the day holds.
func (c DayCounts) Total() int {
	n := 0
	for _, x := range c {
		n += x
	}
	return n
}

// dueDayPage is DueDayPage from k, read with the page of d.
func (s *Store) dueDayPage(ctx context.Context, k *keptDays, d Day, offset, limit int) (ReminderPage, error) {
	v := k.view
	if v != nil && len(v.slow) == 0 && k.worded && d <= v.horizon.AddDays(yearlyAhead) {
		p := ReminderPage{Offset: offset, Rows: k.rows}
		fillDayCounts(&p, countsByKind(k.counts, d, nil))
		return p, nil
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return ReminderPage{}, err
	}
	if v != nil && d > v.horizon.AddDays(yearlyAhead) && k.yearly {
		// The yearly kinds from reminder_yearly, the rest from
		// reminder_due.
		p, err := s.mergedDayPage(ctx, k, set, d, offset, limit)
		if !errors.Is(err, errFarMismatch) {
			return p, err
		}
	}
	if v == nil || d > v.horizon.AddDays(yearlyAhead) {
		// Not all of the day is in reminder_due.
		return s.workedOutDayPage(ctx, set, v, d, offset, limit)
	}
	return s.mergedDayPage(ctx, k, set, d, offset, limit)
}

// countsByKind adds up the counts (rows by slot) of day d by kind, less
// drop (rows by slot, out of date).
func countsByKind(counts []slotCount, d Day, drop map[int64]int) map[Kind]int {
	byKind := make(map[Kind]int, len(Kinds))
	add := func(slot int64, n int) {
		if day, kind, ok := slotDay(slot); ok && day == d {
			byKind[kind] += n
		}
	}
	for _, c := range counts {
		add(c.slot, c.n)
	}
	for slot, n := range drop {
		add(slot, n)
	}
	return byKind
}

// mergedDayPage is a page of day d when some customers (k.view.slow) are
// worked out from their facts, or the words kept are of other settings:
// the kept rows of everyone else and the reminders of those customers,
// merged in order.
func (s *Store) mergedDayPage(ctx context.Context, k *keptDays, set shopSettings, d Day, offset, limit int) (ReminderPage, error) {
	p := ReminderPage{Offset: offset}
	var slowRs []Reminder
	var slowWs []words
	var err error
	if len(k.view.slow) > 0 {
		if slowRs, slowWs, err = s.dueCollect(ctx, set, k.view, d, d, false); err != nil {
			return p, err
		}
	}
	slowRs, slowWp := sortBoth(slowRs, slowWs, compareDay)
	// A message names what was bought when the day's list holds that
	// purchase's thank-you or check-in: the customer's own reminders.
	if err := s.finishNamed(ctx, set, slowRs, slowWp, namedPurchases(slowWp)); err != nil {
		return p, err
	}
	var wording *dueWording
	if !k.worded {
		if wording, _, _, err = s.dueWordingOn(ctx, s.reader(), set); err != nil {
			return p, err
		}
	}
	// The kept rows that may be on the page: each of the slow reminders
	// before one of them moves it one place on.
	lo, hi := max(0, offset-len(slowRs)), offset+limit
	var kept []Reminder
	if far := farFrom(k.view.horizon); k.yearly && d >= far {
		kept, err = s.farKeptRows(ctx, k, set, wording, d, lo, hi-lo)
	} else {
		err = s.scanEach(ctx, `SELECT customer_id, named, data, worded FROM reminder_due
		WHERE due = ? AND customer_id NOT IN (SELECT value FROM json_each(?))
		ORDER BY due, grp, name, customer_id, key LIMIT ? OFFSET ?`,
			[]any{int64(d), idsJSON(k.dirty), hi - lo, lo}, func(r *sql.Rows, _ *sql.RawBytes) error {
				rem, err := scanDueRow(r, wording, d)
				kept = append(kept, rem)
				return err
			})
	}
	if err != nil {
		return p, err
	}
	drop := map[int64]int{}
	if err := s.dropDirtyCounts(ctx, drop, k.dirty, d, d); err != nil {
		return p, err
	}
	byKind := countsByKind(k.counts, d, drop)
	for i := range slowRs {
		byKind[slowRs[i].Kind]++
	}
	fillDayCounts(&p, byKind)

	type placed struct {
		at int
		r  *Reminder
	}
	var on []placed
	in := func(at int) bool { return at >= offset && at < offset+limit }
	// before counts the reminders of list (in order) that come before r.
	before := func(list []Reminder, r *Reminder) int {
		n, _ := slices.BinarySearchFunc(list, r, func(a Reminder, b *Reminder) int { return compareDay(&a, b) })
		return n
	}
	for t := range kept {
		if at := lo + t + before(slowRs, &kept[t]); in(at) {
			on = append(on, placed{at, &kept[t]})
		}
	}
	// Of a slow reminder before the first kept row read (when rows come
	// before it) or after the last (when more follow), the count falls
	// short; it still places it before the page or after it, as it is.
	for i := range slowRs {
		if at := lo + before(kept, &slowRs[i]) + i; in(at) {
			on = append(on, placed{at, &slowRs[i]})
		}
	}
	slices.SortFunc(on, func(a, b placed) int { return a.at - b.at })
	p.Rows = make([]Reminder, len(on))
	for i, x := range on {
		p.Rows[i] = *x.r
	}
	return p, nil
}

// workedOutDayPage cuts a page of day d from its whole list, worked out
// as DueOn works it out (with the kept rows of v, when set); only the
// page's reminders get words, those the whole list gives them.
func (s *Store) workedOutDayPage(ctx context.Context, set shopSettings, v *derivedView, d Day, offset, limit int) (ReminderPage, error) {
	p := ReminderPage{Offset: offset}
	rs, ws, err := s.dueCollect(ctx, set, v, d, d, true)
	if err != nil {
		return p, err
	}
	rs, wp := sortBoth(rs, ws, compareDay)
	byKind := map[Kind]int{}
	for i := range rs {
		byKind[rs[i].Kind]++
	}
	fillDayCounts(&p, byKind)
	named := namedPurchases(wp)
	lo, hi := min(offset, len(rs)), min(offset+limit, len(rs))
	rs, wp = rs[lo:hi:hi], wp[lo:hi:hi]
	if err := s.finishNamed(ctx, set, rs, wp, named); err != nil {
		return p, err
	}
	p.Rows = rs
	return p, nil
}

// fillDayCounts puts the counts of a day's list by kind into p.
func fillDayCounts(p *ReminderPage, byKind map[Kind]int) {
	p.Counts = map[Kind]int{}
	for _, k := range Kinds {
		if n := byKind[k]; n > 0 {
			p.Total += n
			p.Counts[k] = n
			p.Groups = append(p.Groups, ReminderGroup{Kind: k, Count: n})
		}
	}
}

// checkDueCounts compares reminder_due_counts with the rows of
// reminder_due, in one statement so that both are of one commit.
func (s *Store) checkDueCounts(ctx context.Context, db querier) ([]finding, error) {
	have, want := map[int64]int{}, map[int64]int{}
	err := s.scanEachOn(ctx, db, `SELECT 0, slot, n FROM reminder_due_counts
		UNION ALL SELECT 1, due * 16 + grp, count(*) FROM reminder_due GROUP BY due, grp`, nil,
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var part int
			var slot int64
			var n int
			if err := r.Scan(&part, &slot, &n); err != nil {
				return err
			}
			if part == 0 {
				have[slot] += n
			} else {
				want[slot] += n
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	type diff struct{ kinds []string }
	days := map[Day]*diff{}
	for slot := range union(have, want) {
		if have[slot] == want[slot] {
			continue
		}
		d, kind, ok := slotDay(slot)
		name := string(kind)
		if !ok {
			name = "no kind"
		}
		if days[d] == nil {
			days[d] = &diff{}
		}
		days[d].kinds = append(days[d].kinds, fmt.Sprintf("%s %d counted, %d kept", name, have[slot], want[slot]))
	}
	var found []finding
	for _, d := range slices.Sorted(maps.Keys(days)) {
		slices.Sort(days[d].kinds)
		found = append(found, finding{3, 0, ID(d), fmt.Sprintf("the calendar's counts for %s do not match the reminders kept for that day (%s); changing the reminder rules works them out again",
			d, strings.Join(days[d].kinds, "; "))})
	}
	return found, nil
}
