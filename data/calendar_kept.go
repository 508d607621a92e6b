package data

import (
	"context"
	"database/sql"
	"encoding/json"
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
// place grp.
func dueSlot(d Day, grp int) int64 { return int64(d)*16 + int64(grp) }

// slotDay is the day and kind of a slot; ok is false for a slot no kind
// has.
func slotDay(slot int64) (d Day, k Kind, ok bool) {
	grp := int(slot & 15)
	if grp >= len(Kinds) {
		return 0, "", false
	}
	return Day(slot >> 4), Kinds[grp], true
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
	for _, slot := range slots {
		n := counts[slot]
		if n == 0 {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO reminder_due_counts(slot, n) VALUES (?, ?)
			ON CONFLICT(slot) DO UPDATE SET n = n + excluded.n`, slot, n)
		if err == nil && n < 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM reminder_due_counts WHERE slot = ? AND n <= 0", slot)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// keptDays is what one statement reads of the kept calendar rows for a
// stretch of days.
type keptDays struct {
	set   shopSettings
	texts map[Kind]string // the templates
	// view is nil when the kept rows cannot be used for the days asked.
	view   *derivedView
	dirty  []ID          // customers whose kept rows are out of date, in order
	counts map[int64]int // rows of reminder_due by slot
	rows   []keptDueRow  // a day's page, when asked for
}

// keptDueRow is a row of reminder_due as a day's page reads it.
type keptDueRow struct {
	id    ID
	named bool
	sc    storedCand
}

// calSettingKeys are the settings the calendar is worked out and worded
// with, in SQL.
var calSettingKeys = func() string {
	keys := []string{"'rules'", "'loyalty'", "'shop_name'"}
	for _, k := range Kinds {
		keys = append(keys, "'"+templateKey(k)+"'")
	}
	return strings.Join(keys, ", ")
}()

// calendarSQL reads in one statement, so that all comes from one commit,
// the settings, what says whether the kept rows can be used, the customers
// they cannot answer for and the counts of the slots ?1..?2; the day's
// statement also reads the page of day ?3 from ?5 on, at most ?4 rows.
var calendarSQL = [2]string{
	`SELECT 0, key, value, NULL FROM settings WHERE key IN (` + calSettingKeys + `)
	UNION ALL SELECT 1, fingerprint, horizon, NULL FROM reminder_cache
	UNION ALL SELECT 2, customer_id, 1, NULL FROM reminder_dirty
	UNION ALL SELECT 2, customer_id, 0, NULL FROM reminder_customers WHERE merged <> 0
	UNION ALL SELECT 3, slot, n, NULL FROM reminder_due_counts WHERE slot BETWEEN ?1 AND ?2`,
}

func init() {
	calendarSQL[1] = calendarSQL[0] + `
	UNION ALL SELECT * FROM (SELECT 4, customer_id, named, data FROM reminder_due WHERE due = ?3
		ORDER BY due, grp, name, customer_id, key LIMIT ?4 OFFSET ?5)`
}

// calendarStatement is calendarSQL[i], prepared once: the calendar reads
// it at every step, and preparing costs as much as running it.
func (s *Store) calendarStatement(ctx context.Context, i int) (*sql.Stmt, error) {
	if st := s.calStmts[i].Load(); st != nil {
		return st, nil
	}
	st, err := s.reader().PrepareContext(ctx, calendarSQL[i])
	if err != nil {
		return nil, s.explain(err)
	}
	if !s.calStmts[i].CompareAndSwap(nil, st) {
		st.Close()
		return s.calStmts[i].Load(), nil
	}
	return st, nil
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
// also the page of day from (offset, limit) in the calendar's order.
func (s *Store) readKeptDays(ctx context.Context, page bool, from, to Day, offset, limit int) (keptDays, error) {
	var k keptDays
	if !s.keepDays.Load() || s.skipDerived {
		set, err := s.readSettings(ctx, s.reader())
		k.set = set
		return k, err
	}
	i := 0
	args := []any{dueSlot(from, 0), dueSlot(to, 15)}
	if page {
		i = 1
		args = append(args, int64(from), limit, offset)
	}
	stmt, err := s.calendarStatement(ctx, i)
	if err != nil {
		return k, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return k, s.explain(err)
	}
	values := map[string]string{}
	var fingerprint string
	var horizon Day
	slow := map[ID]bool{}
	k.counts = map[int64]int{}
	var a, b, c sql.RawBytes
	err = eachRow(rows, func(r *sql.Rows) error {
		var part int
		if err := r.Scan(&part, &a, &b, &c); err != nil {
			return err
		}
		switch part {
		case 0:
			values[string(a)] = string(b)
		case 1:
			fingerprint, horizon = string(a), Day(rawInt(b))
		case 2:
			id := rawInt(a)
			slow[id] = true
			if rawInt(b) != 0 {
				k.dirty = append(k.dirty, id)
			}
		case 3:
			k.counts[rawInt(a)] += int(rawInt(b))
		case 4:
			sc, err := unpackCand(c)
			if err != nil {
				return fmt.Errorf("customer %d: %w", rawInt(a), err)
			}
			k.rows = append(k.rows, keptDueRow{id: rawInt(a), named: rawInt(b) != 0, sc: sc})
		}
		return nil
	})
	if err != nil {
		return k, s.explain(err)
	}
	if k.set, err = settingsFrom(values); err != nil {
		return k, err
	}
	k.texts = templateTexts(values)
	slices.Sort(k.dirty)
	if fingerprint == k.set.fingerprint && from >= horizon {
		k.view = &derivedView{horizon: horizon, slow: slow}
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
// that day, by kind: what a month's grid shows, without reading them.
func (s *Store) DueCounts(ctx context.Context, from, to Day) (map[Day]map[Kind]int, error) {
	if err := calendarDays(from, to); err != nil {
		return nil, err
	}
	k, err := s.readKeptDays(ctx, false, from, to, 0, 0)
	if err != nil {
		return nil, err
	}
	out := map[Day]map[Kind]int{}
	add := func(d Day, kind Kind, n int) {
		m := out[d]
		if m == nil {
			m = map[Kind]int{}
			out[d] = m
		}
		m[kind] += n
	}
	// The customers the kept rows cannot answer for (everyone without
	// them), from their facts.
	rs, _, err := s.dueCollect(ctx, k.set, k.view, from, to, false)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		add(rs[i].Due, rs[i].Kind, 1)
	}
	if k.view == nil {
		return out, nil
	}
	if err := s.dropDirtyCounts(ctx, k.counts, k.dirty, from, to); err != nil {
		return nil, err
	}
	for slot, n := range k.counts {
		d, kind, ok := slotDay(slot)
		if !ok {
			return nil, errBadDerived
		}
		if n > 0 {
			add(d, kind, n)
		}
	}
	err = s.eachYearlyDue(ctx, k.view, k.set.engine, from, to, func(y *yearlyRow, c *cand, r *Reminder) { add(r.Due, r.Kind, 1) })
	return out, err
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
	k, err := s.readKeptDays(ctx, true, d, d, offset, limit)
	if err != nil {
		return ReminderPage{}, err
	}
	v := k.view
	if v == nil || d > v.horizon.AddDays(yearlyAhead) {
		// Not all of the day is in reminder_due.
		return s.workedOutDayPage(ctx, k.set, v, d, offset, limit)
	}
	tpl := templatesFrom(k.texts)
	byKind := map[Kind]int{}
	for slot, n := range k.counts {
		_, kind, ok := slotDay(slot)
		if !ok {
			return ReminderPage{}, errBadDerived
		}
		byKind[kind] += n
	}
	p := ReminderPage{Offset: offset}
	var slowRs []Reminder
	var slowWs []words
	if len(v.slow) > 0 {
		if slowRs, slowWs, err = s.dueCollect(ctx, k.set, v, d, d, false); err != nil {
			return p, err
		}
	}
	if len(slowRs) == 0 && len(k.dirty) == 0 {
		p.Rows = make([]Reminder, len(k.rows))
		for i := range k.rows {
			k.set.wordKept(tpl, &p.Rows[i], &k.rows[i], d)
		}
		fillDayCounts(&p, byKind)
		return p, nil
	}
	return s.mergedDayPage(ctx, &k, tpl, d, offset, limit, byKind, slowRs, slowWs)
}

// wordKept makes r, with its words, of the kept row kr of day d.
func (set shopSettings) wordKept(tpl messageTemplates, r *Reminder, kr *keptDueRow, d Day) {
	*r = kr.sc.reminder(kr.id, d)
	w := kr.sc.words(d, d)
	desc := ""
	if kr.named {
		desc = kr.sc.desc
	}
	set.word(tpl, r, &w, desc)
}

// mergedDayPage is a page of day d when some customers (k.view.slow) are
// worked out from their facts (slowRs and slowWs, their reminders of d):
// the kept rows of everyone else and theirs, merged in order.
func (s *Store) mergedDayPage(ctx context.Context, k *keptDays, tpl messageTemplates, d Day, offset, limit int,
	byKind map[Kind]int, slowRs []Reminder, slowWs []words) (ReminderPage, error) {
	p := ReminderPage{Offset: offset}
	slowRs, slowWp := sortBoth(slowRs, slowWs, compareDay)
	// A message names what was bought when the day's list holds that
	// purchase's thank-you or check-in: the customer's own reminders.
	if err := s.finishNamed(ctx, k.set, slowRs, slowWp, namedPurchases(slowWp)); err != nil {
		return p, err
	}
	// The kept rows that may be on the page: each of the slow reminders
	// before one of them moves it one place on.
	lo, hi := max(0, offset-len(slowRs)), offset+limit
	var kept []Reminder
	err := s.scanEach(ctx, `SELECT customer_id, named, data FROM reminder_due
		WHERE due = ? AND customer_id NOT IN (SELECT value FROM json_each(?))
		ORDER BY due, grp, name, customer_id, key LIMIT ? OFFSET ?`,
		[]any{int64(d), idsJSON(k.dirty), hi - lo, lo}, func(r *sql.Rows, _ *sql.RawBytes) error {
			var kr keptDueRow
			var data sql.RawBytes
			if err := r.Scan(&kr.id, &kr.named, &data); err != nil {
				return err
			}
			sc, err := unpackCand(data)
			if err != nil {
				return fmt.Errorf("customer %d: %w", kr.id, err)
			}
			kr.sc = sc
			var rem Reminder
			k.set.wordKept(tpl, &rem, &kr, d)
			kept = append(kept, rem)
			return nil
		})
	if err != nil {
		return p, err
	}
	if len(k.dirty) > 0 {
		dirty := map[int64]int{}
		if err := s.dropDirtyCounts(ctx, dirty, k.dirty, d, d); err != nil {
			return p, err
		}
		for slot, n := range dirty {
			_, kind, ok := slotDay(slot)
			if !ok {
				return p, errBadDerived
			}
			byKind[kind] += n
		}
	}
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
	for slot := range union64(have, want) {
		if have[slot] == want[slot] {
			continue
		}
		d, kind, ok := slotDay(slot)
		name := string(kind)
		if !ok {
			d, name = Day(slot>>4), "no kind"
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

func union64(a, b map[int64]int) map[int64]bool {
	out := map[int64]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
