package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Months far ahead at any shop size (schema 8, migrations/008_yearly.sql).
//
// Past the 400 days reminder_due keeps for everyone (farFrom), a day's
// birthdays, customer-since days and occasions were worked out from every
// row of reminder_yearly with its month and day: a month's grid decoded a
// twelfth of the shop's dates. On a day far ahead a yearly reminder
// depends only on its date, its kind's rule, the customer's do-not-contact
// and the states kept for that one day, never on the customer's other
// facts. So each row of reminder_yearly also keeps, worked out under the
// rules of the kept rows, whether it is ever on a day far ahead (grp) and
// in which years (first_year, last_year); reminder_yearly_counts counts
// the rows by month-day, kind and years, and reminder_yearly_off holds the
// days far ahead a state takes one off. A far day's counts are then a few
// rows of each, and its page a stretch of an index in the calendar's order,
// only its rows decoded and worded.
//
// A yearly reminder on a day far ahead is the same whether reminder_due
// keeps it (the customer's latest fact is recent) or not: nothing but the
// customer, the date and the states goes into it. So far ahead the yearly
// kinds come from these tables for everyone, and the other kinds from
// reminder_due as before.

// yearlySchema is the first schema keeping days far ahead.
const yearlySchema = 8

// farFrom is the first day far ahead: reminder_due keeps the yearly
// reminders of every customer up to the day before.
func farFrom(horizon Day) Day { return horizon.AddDays(yearlyAhead + 1) }

// yearlyFar is what a day far ahead needs of a row of reminder_yearly.
type yearlyFar struct {
	on          bool // ever on a day far ahead; the rest is set only then
	grp         int  // the kind's place in a day's list
	name, stem  string
	first, last int   // due in years first..last; 0: from farFrom's year, no end
	off         []Day // days far ahead a state takes it off, in order
}

// farProfile works out yf for the yearly row y of kind on month-day md,
// whose reminders' keys start with stem, under e for rows kept from
// horizon.
func farProfile(e engine, horizon Day, kind Kind, md int, y *yearlyRow, stem string) yearlyFar {
	var yf yearlyFar
	cu := &y.f.Customer
	if !e.on(kind, cu) {
		return yf
	}
	r := e.rules[kind]
	before, stay := r.BeforeDays, r.StayDays
	first, last := 0, 0
	switch kind {
	case KindBirthday:
		if cu.Birthday.IsZero() {
			return yf
		}
		first = cu.Birthday.Year
	case KindAnniversary:
		if cu.CustomerSince.IsZero() {
			return yf
		}
		first = cu.CustomerSince.Year() + 1
	case KindOccasion:
		if len(y.f.Occasions) != 1 {
			return yf
		}
		o := &y.f.Occasions[0]
		if o.Date.IsZero() || (!o.Yearly && o.Date.Year == 0) {
			return yf
		}
		before, first = o.LeadDays, o.Date.Year
		if !o.Yearly {
			last = o.Date.Year
		}
	default:
		return yf
	}
	// A reminder shown after its day, or gone before it, is never on the
	// calendar.
	if before < 0 || stay < 0 {
		return yf
	}
	far := farFrom(horizon)
	minYear := far.Year()
	if last != 0 && last < minYear {
		return yf
	}
	if first <= minYear {
		first = 0
	}
	yf = yearlyFar{on: true, grp: kindPlace(kind), name: cu.Name, stem: stem, first: first, last: last}
	// A state kept for one day's reminder takes it off that day when it
	// is done, skipped or snoozed past it (applyState): those days far
	// ahead are kept apart.
	for _, k := range y.states {
		d, err := ParseDay(strings.TrimPrefix(k.key, stem))
		if err != nil || !strings.HasPrefix(k.key, stem) || d < far || !yf.dueOn(d, md) {
			continue
		}
		rem := Reminder{Due: d, Until: d.AddDays(stay)}
		applyState(&rem, k.st, true, d)
		if rem.State != StateOpen {
			yf.off = append(yf.off, d)
		}
	}
	slices.Sort(yf.off)
	yf.off = slices.Compact(yf.off)
	return yf
}

// dueOn says whether the reminder of the row on month-day md falls on day
// d far ahead, states aside.
func (yf *yearlyFar) dueOn(d Day, md int) bool {
	yr, m, dd := d.Date()
	if lo, hi := farMonthDays(d); md < lo || md > hi || md/100 != int(m) || dd < 1 {
		return false
	}
	return yf.on && yf.first <= yr && (yf.last == 0 || yf.last >= yr)
}

// farMonthDays are the month-days whose yearly reminders fall on d: its
// own, and on the last day of a month the days past it (29 February in
// other years).
func farMonthDays(d Day) (lo, hi int) {
	y, m, dd := d.Date()
	lo = int(m)*100 + dd
	if dd == DaysIn(y, m) {
		return lo, int(m)*100 + 99
	}
	return lo, lo
}

// yearlyCount is a row of reminder_yearly_counts.
type yearlyCount struct{ md, grp, first, last int }

// addYearlyCounts adds counts (changes) to reminder_yearly_counts inside
// tx; fresh means the table is empty.
func addYearlyCounts(ctx context.Context, tx *sql.Tx, counts map[yearlyCount]int, fresh bool) error {
	keys := slices.SortedFunc(maps.Keys(counts), func(a, b yearlyCount) int {
		return cmpInts(a.md, b.md, a.grp, b.grp, a.first, b.first, a.last, b.last)
	})
	keys = slices.DeleteFunc(keys, func(c yearlyCount) bool { return counts[c] == 0 })
	if fresh {
		ins := newDemoInsert(ctx, tx, "reminder_yearly_counts", "md, grp, first_year, last_year, n")
		for _, c := range keys {
			if n := counts[c]; n > 0 {
				ins.add(c.md, c.grp, c.first, c.last, n)
			}
		}
		return ins.close()
	}
	const batch = 150
	for start := 0; start < len(keys); start += batch {
		part := keys[start:min(start+batch, len(keys))]
		args := make([]any, 0, 5*len(part))
		gone := false
		for _, c := range part {
			args = append(args, c.md, c.grp, c.first, c.last, counts[c])
			gone = gone || counts[c] < 0
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO reminder_yearly_counts(md, grp, first_year, last_year, n) VALUES (?, ?, ?, ?, ?)"+
			strings.Repeat(", (?, ?, ?, ?, ?)", len(part)-1)+
			" ON CONFLICT(md, grp, first_year, last_year) DO UPDATE SET n = n + excluded.n", args...)
		if err != nil {
			return err
		}
		if gone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM reminder_yearly_counts WHERE n <= 0"); err != nil {
				return err
			}
		}
	}
	return nil
}

// cmpInts compares pairs in turn: a1 with b1, then a2 with b2...
func cmpInts(pairs ...int) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != pairs[i+1] {
			if pairs[i] < pairs[i+1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// yearlySlot marks the rows of calendarSQL counting yearly reminders far
// ahead: their slot plus yearlySlot.
const yearlySlot = int64(1) << 52

// farDaysJSON lists, for each day of from..to, the day, its month-days
// (farMonthDays) and its year, for calendarSQL.
func farDaysJSON(from, to Day) string {
	b := make([]byte, 0, 32*(to.Sub(from)+1))
	b = append(b, '[')
	for d := from; d <= to; d++ {
		if d > from {
			b = append(b, ',')
		}
		lo, hi := farMonthDays(d)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(lo), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(hi), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d.Year()), 10)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// yearlyCountsSQL reads, as rows of calendarSQL, how many yearly
// reminders each day far ahead among those of ?8 (farDaysJSON) holds of
// each kind, less those states take off (?9..?10 are the days).
const yearlyCountsSQL = `
	UNION ALL SELECT (j.value ->> 0) * 16 + c.grp + 4503599627370496, sum(c.n)
		FROM json_each(?8) AS j JOIN reminder_yearly_counts AS c
		ON c.md BETWEEN j.value ->> 1 AND j.value ->> 2 AND c.first_year <= j.value ->> 3
			AND (c.last_year = 0 OR c.last_year >= j.value ->> 3)
		WHERE j.value ->> 0 >= (SELECT horizon FROM reminder_cache) + ` + "401" + `
		GROUP BY 1
	UNION ALL SELECT due * 16 + grp + 4503599627370496, -count(*) FROM reminder_yearly_off
		WHERE due BETWEEN ?9 AND ?10 GROUP BY 1`

func init() {
	if yearlySlot != 4503599627370496 || yearlyAhead+1 != 401 {
		panic("yearlyCountsSQL is out of step")
	}
}

// useYearlyCounts puts the counts of the yearly kinds on days far ahead
// (yearly, by slot) in place of those of reminder_due in k.counts, when
// the kept rows answer for every customer but those merged into.
func (k *keptDays) useYearlyCounts(yearly []slotCount) {
	if k.view == nil || len(k.dirty) > 0 {
		return
	}
	far := farFrom(k.view.horizon)
	isFar := func(slot int64) bool {
		d, kind, ok := slotDay(slot)
		return ok && d >= far && slices.Contains(yearlyKinds, kind)
	}
	k.counts = slices.DeleteFunc(k.counts, func(c slotCount) bool { return isFar(c.slot) })
	for _, c := range yearly {
		if isFar(c.slot) {
			k.counts = append(k.counts, c)
		}
	}
	k.yearly = true
}

// errFarMismatch says a kept yearly row did not give the reminder its
// counts promised: the day is worked out from every row instead.
var errFarMismatch = errors.New("a kept yearly row does not give its reminder")

// farKeptRows reads rows lo..lo+n of the list of day d far ahead (k.yearly
// set) of everyone but the customers worked out from their facts, in the
// calendar's order, words and all: each kind's part from its own table.
func (s *Store) farKeptRows(ctx context.Context, k *keptDays, set shopSettings, wording *dueWording, d Day, lo, n int) ([]Reminder, error) {
	byKind := countsByKind(k.counts, d, nil)
	var out []Reminder
	at := 0
	for _, kind := range Kinds {
		cnt := byKind[kind]
		start, end := max(lo, at), min(lo+n, at+cnt)
		if start < end {
			var rs []Reminder
			var err error
			if slices.Contains(yearlyKinds, kind) {
				rs, err = s.farYearlyRows(ctx, set, d, kind, start-at, end-start)
			} else {
				rs, err = s.farDueRows(ctx, wording, d, kind, start-at, end-start)
			}
			if err != nil {
				return nil, err
			}
			if len(rs) != end-start {
				return nil, errFarMismatch
			}
			out = append(out, rs...)
		}
		at += cnt
	}
	return out, nil
}

// farDueRows reads a stretch of the reminders of kind on day d kept in
// reminder_due, worded by wording when set (else as kept).
func (s *Store) farDueRows(ctx context.Context, wording *dueWording, d Day, kind Kind, offset, limit int) ([]Reminder, error) {
	var out []Reminder
	err := s.scanPrepared(ctx, `SELECT customer_id, named, data, worded FROM reminder_due WHERE due = ? AND grp = ?
		ORDER BY due, grp, name, customer_id, key LIMIT ? OFFSET ?`,
		[]any{int64(d), kindPlace(kind), limit, offset}, func(r *sql.Rows) error {
			rem, err := scanDueRow(r, wording, d)
			out = append(out, rem)
			return err
		})
	return out, err
}

// scanDueRow turns a row of reminder_due read as customer_id, named, data,
// worded into the reminder its day d lists: worded by wording when set,
// else as kept.
func scanDueRow(r *sql.Rows, wording *dueWording, d Day) (Reminder, error) {
	var id ID
	var named bool
	var data, worded sql.RawBytes
	if err := r.Scan(&id, &named, &data, &worded); err != nil {
		return Reminder{}, err
	}
	if wording == nil {
		return unpackListRow(worded)
	}
	sc, err := unpackCand(data)
	if err != nil {
		return Reminder{}, fmt.Errorf("customer %d: %w", id, err)
	}
	return wording.worded(id, &sc, named, d), nil
}

// farYearlySQL reads a stretch of a far day's yearly reminders of one kind
// in the calendar's order: [0] for one month-day, [1] for a month's last
// day (and those past it).
var farYearlySQL = func() [2]string {
	q := `SELECT customer_id, data FROM reminder_yearly AS y WHERE %s AND grp = ?3
		AND first_year <= ?4 AND (last_year = 0 OR last_year >= ?4)
		AND NOT EXISTS (SELECT 1 FROM reminder_yearly_off AS o WHERE o.due = ?5 AND o.customer_id = y.customer_id AND o.stem = y.stem)
		ORDER BY grp, name, customer_id, stem LIMIT ?6 OFFSET ?7`
	return [2]string{fmt.Sprintf(q, "md = ?1 AND ?2 = ?2"), fmt.Sprintf(q, "md BETWEEN ?1 AND ?2")}
}()

// farYearlyRows reads a stretch of the reminders of yearly kind on day d
// far ahead from reminder_yearly, working out and wording only those.
func (s *Store) farYearlyRows(ctx context.Context, set shopSettings, d Day, kind Kind, offset, limit int) ([]Reminder, error) {
	lo, hi := farMonthDays(d)
	q := farYearlySQL[0]
	if hi != lo {
		q = farYearlySQL[1]
	}
	var rs []Reminder
	var ws []words
	var data sql.RawBytes
	err := s.scanPrepared(ctx, q, []any{lo, hi, kindPlace(kind), d.Year(), int64(d), limit, offset}, func(r *sql.Rows) error {
		var id ID
		if err := r.Scan(&id, &data); err != nil {
			return err
		}
		y, err := unpackYearly(id, data)
		if err != nil {
			return fmt.Errorf("customer %d: %w", id, err)
		}
		// As eachYearly: occurrences over before d are of no use.
		if y.f.Customer.AddedOn < d {
			y.f.Customer.AddedOn = d
		}
		found := 0
		set.engine.yearlyOnly(&y.f, d, d, func(c *cand) {
			if c.kind != kind || c.due != d || c.shownFrom > d || (c.until != 0 && d > c.until) {
				return
			}
			rem := y.reminder(c, d)
			if onToday(&rem, d) {
				found++
				rs = append(rs, rem)
				ws = append(ws, y.words(c, d, d))
			}
		})
		if found != 1 {
			return errFarMismatch
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A message names what was bought when the day's list holds that
	// purchase's thank-you or check-in: the customer's own, kept in
	// reminder_due.
	ids := make([]ID, len(rs))
	for i := range rs {
		ids[i] = rs[i].CustomerID
	}
	named := map[ID]bool{}
	if len(ids) > 0 {
		err = s.scanPrepared(ctx, "SELECT data FROM reminder_due WHERE due = ? AND grp IN (?, ?) AND customer_id IN (SELECT value FROM json_each(?))",
			[]any{int64(d), kindPlace(KindThankYou), kindPlace(KindCheckIn), idsJSON(ids)}, func(r *sql.Rows) error {
				var b sql.RawBytes
				if err := r.Scan(&b); err != nil {
					return err
				}
				sc, err := unpackCand(b)
				if err != nil {
					return err
				}
				if sc.c.tag == "purchase" {
					named[sc.c.id] = true
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	wp := make([]*words, len(ws))
	for i := range ws {
		wp[i] = &ws[i]
	}
	if err := s.finishNamed(ctx, set, rs, wp, named); err != nil {
		return nil, err
	}
	return rs, nil
}

// scanPrepared runs q, prepared once on the readers, and calls fn for
// every row.
func (s *Store) scanPrepared(ctx context.Context, q string, args []any, fn func(r *sql.Rows) error) error {
	stmt, err := s.prepared(ctx, q)
	if err != nil {
		return err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return s.explain(err)
	}
	return s.explain(eachRow(rows, fn))
}

// checkYearlyCounts compares reminder_yearly_counts with the rows of
// reminder_yearly, in one statement so that both are of one commit.
func (s *Store) checkYearlyCounts(ctx context.Context, db querier) ([]finding, error) {
	have, want := map[yearlyCount]int{}, map[yearlyCount]int{}
	err := s.scanEachOn(ctx, db, `SELECT 0, md, grp, first_year, last_year, n FROM reminder_yearly_counts
		UNION ALL SELECT 1, md, grp, first_year, last_year, count(*) FROM reminder_yearly WHERE grp IS NOT NULL GROUP BY 2, 3, 4, 5`, nil,
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var part, n int
			var c yearlyCount
			if err := r.Scan(&part, &c.md, &c.grp, &c.first, &c.last, &n); err != nil {
				return err
			}
			if part == 0 {
				have[c] += n
			} else {
				want[c] += n
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	keys := map[yearlyCount]bool{}
	for c := range have {
		keys[c] = true
	}
	for c := range want {
		keys[c] = true
	}
	var diffs []string
	for _, c := range slices.SortedFunc(maps.Keys(keys), func(a, b yearlyCount) int {
		return cmpInts(a.md, b.md, a.grp, b.grp, a.first, b.first, a.last, b.last)
	}) {
		if have[c] == want[c] {
			continue
		}
		name := "no kind"
		if c.grp >= 0 && c.grp < len(Kinds) {
			name = string(Kinds[c.grp])
		}
		when := fmt.Sprintf("%02d-%02d", c.md/100, c.md%100)
		switch {
		case c.last != 0:
			when += fmt.Sprintf(" in %d", c.last)
		case c.first != 0:
			when += fmt.Sprintf(" from %d", c.first)
		}
		diffs = append(diffs, fmt.Sprintf("%s on %s %d counted, %d kept", name, when, have[c], want[c]))
	}
	if len(diffs) == 0 {
		return nil, nil
	}
	return []finding{{3, 0, 0, fmt.Sprintf("the calendar's counts of birthdays, anniversaries and occasions far ahead do not match the dates kept (%s); changing the reminder rules works them out again",
		strings.Join(diffs, "; "))}}, nil
}
