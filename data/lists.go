package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Today and Upcoming a page at a time (schema 4, migrations/004_lists.sql).
//
// A large shop has thousands of reminders on Today; a screen shows a few
// dozen at once. So the Today and Upcoming lists of the current day are
// kept in their order beside their counts, and a screen reads the counts
// and the page it shows: the cost no longer grows with the list. Every
// write transaction works the lists of the customers it touched out again
// (a customer's reminders, their words included, depend on nothing but the
// customer's own facts, the rules, the scheme, the templates and the
// shop's name); a new day or a change to any of the others works the whole
// lists out again. For any other day, or while customers wait to be worked
// out again, a page is cut from the whole list.

// The lists kept, in reminder_lists.list.
const (
	listToday    = 0
	listUpcoming = 1
)

// listsSchema is the first schema with kept lists (004_lists.sql).
const listsSchema = 4

// upcomingDays is how far ahead the kept Upcoming list looks: the Today
// screen's seven days.
const upcomingDays = 7

// ReminderGroup is one group of a list as the Today screen shows it: for
// Today, the open complaints, the overdue, then each kind; for Upcoming,
// each day.
type ReminderGroup struct {
	OpenComplaints bool // Today: follow-ups of complaints still open
	Overdue        bool // Today: overdue, but not an open complaint
	Kind           Kind // Today: the kind of every other group
	Day            Day  // Upcoming: the day they are due
	Count          int
}

// ReminderPage is a stretch of a reminder list with the counts of the
// whole list.
type ReminderPage struct {
	Total          int
	Counts         map[Kind]int
	Overdue        int // Today: reminders overdue, open complaints among them
	OpenComplaints int // Today: follow-ups of complaints still open
	// Groups are the list's groups in the screen's order, with their sizes.
	Groups []ReminderGroup
	Offset int
	Rows   []Reminder
}

// TodayPage is TodayList(d) from offset on, at most limit reminders, with
// the counts of the whole list.
func (s *Store) TodayPage(ctx context.Context, d Day, offset, limit int) (ReminderPage, error) {
	return s.listPage(ctx, listToday, d, 0, false, offset, limit)
}

// TodayGroupedPage is TodayPage in the Today screen's order: its groups
// one after the other (Groups), each in TodayList's order.
func (s *Store) TodayGroupedPage(ctx context.Context, d Day, offset, limit int) (ReminderPage, error) {
	return s.listPage(ctx, listToday, d, 0, true, offset, limit)
}

// UpcomingPage is Upcoming(d, days) from offset on, at most limit
// reminders, with the counts of the whole list; Groups are its days.
func (s *Store) UpcomingPage(ctx context.Context, d Day, days, offset, limit int) (ReminderPage, error) {
	if days < 0 {
		return ReminderPage{}, fmt.Errorf("the number of days ahead must not be negative")
	}
	return s.listPage(ctx, listUpcoming, d, days, true, offset, limit)
}

// listClass is the group of r in list: for Today 0 for overdue open
// complaints, 1 for the other open complaints, 2 for the other overdue and
// 3 on for the kinds in their order; for Upcoming its due day. Ordering
// by class and then by the list's order gives the screen's order.
func listClass(list int, r *Reminder) int {
	if list == listUpcoming {
		return int(r.Due)
	}
	switch {
	case r.OpenComplaint && r.OverdueDays > 0:
		return 0
	case r.OpenComplaint:
		return 1
	case r.OverdueDays > 0:
		return 2
	}
	if i := slices.Index(Kinds, r.Kind); i >= 0 {
		return 3 + i
	}
	return 3 + len(Kinds)
}

// listCounts adds up the counts of a list from its (class, kind) counts.
type listCounts struct {
	list int
	n    map[listCount]int
}

type listCount struct {
	class int
	kind  Kind
}

func compareListCounts(a, b listCount) int {
	if a.class != b.class {
		return a.class - b.class
	}
	return strings.Compare(string(a.kind), string(b.kind))
}

func (c listCounts) add(r *Reminder, n int) {
	c.n[listCount{listClass(c.list, r), r.Kind}] += n
}

// fill puts the counts into p.
func (c listCounts) fill(p *ReminderPage) {
	p.Counts = map[Kind]int{}
	keys := make([]listCount, 0, len(c.n))
	for k, n := range c.n {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareListCounts)
	for _, k := range keys {
		n := c.n[k]
		p.Total += n
		p.Counts[k.kind] += n
		g := ReminderGroup{Count: n}
		if c.list == listUpcoming {
			g.Day = Day(k.class)
		} else {
			switch k.class {
			case 0:
				p.Overdue += n
				p.OpenComplaints += n
				g.OpenComplaints = true
			case 1:
				p.OpenComplaints += n
				g.OpenComplaints = true
			case 2:
				p.Overdue += n
				g.Overdue = true
			default:
				g.Kind = k.kind
			}
		}
		if last := len(p.Groups) - 1; last >= 0 && sameGroup(p.Groups[last], g) {
			p.Groups[last].Count += n
			continue
		}
		p.Groups = append(p.Groups, g)
	}
}

func sameGroup(a, b ReminderGroup) bool {
	a.Count, b.Count = 0, 0
	return a == b
}

// listPage reads a page of list on d: from the kept lists when they are
// for d, otherwise cut from the whole list.
func (s *Store) listPage(ctx context.Context, list int, d Day, days int, grouped bool, offset, limit int) (ReminderPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	if list == listToday || days == upcomingDays {
		p, ok, err := s.keptPage(ctx, list, d, grouped, offset, limit)
		if err != nil || ok {
			return p, err
		}
	}
	return s.cutPage(ctx, list, d, days, grouped, offset, limit)
}

// cutPage is listPage cut from the whole list, worked out for the page.
func (s *Store) cutPage(ctx context.Context, list int, d Day, days int, grouped bool, offset, limit int) (ReminderPage, error) {
	set, v, fs, err := s.dayFacts(ctx, d)
	if err != nil {
		return ReminderPage{}, err
	}
	var rs []Reminder
	var ws []words
	cmp := compareToday
	if list == listToday {
		rs, ws, err = s.collectToday(ctx, s.reader(), v, fs, d)
	} else {
		rs, ws, err = s.collectUpcoming(ctx, s.reader(), v, fs, d, d.AddDays(days))
		cmp = compareByDue
	}
	if err != nil {
		return ReminderPage{}, err
	}
	if grouped {
		order := cmp
		cmp = func(a, b *Reminder) int {
			if x, y := listClass(list, a), listClass(list, b); x != y {
				return x - y
			}
			return order(a, b)
		}
	}
	rs, wp := sortBoth(rs, ws, cmp)
	p := ReminderPage{Offset: offset}
	counts := listCounts{list, map[listCount]int{}}
	for i := range rs {
		counts.add(&rs[i], 1)
	}
	counts.fill(&p)
	named := namedPurchases(wp)
	lo, hi := min(offset, len(rs)), min(offset+limit, len(rs))
	rs, wp = rs[lo:hi:hi], wp[lo:hi:hi]
	if err := s.finishNamed(ctx, set, rs, wp, named); err != nil {
		return ReminderPage{}, err
	}
	p.Rows = rs
	return p, nil
}

// keptPage reads a page from the kept lists; ok is false when they are not
// those of d. One statement checks that they are of d and were worked out
// under the settings there are now, and reads the counts and the page, so
// that all come from the same commit. Each row is two columns, the first
// saying what the row is, and the counts come as one row: the driver's
// cost grows with the columns and rows read.
func (s *Store) keptPage(ctx context.Context, list int, d Day, grouped bool, offset, limit int) (p ReminderPage, ok bool, err error) {
	if !s.keepLists.Load() || s.skipDerived {
		return p, false, nil
	}
	order := "due, name, kind, customer_id, key"
	if grouped {
		order = "grp, " + order
	}
	q := `SELECT 1, list_day || ',' || (fingerprint <> '' AND NOT EXISTS (SELECT 1 FROM reminder_dirty) AND list_settings IS ?4 || ` + listSettingsSQL + `)
		FROM reminder_cache
		UNION ALL SELECT 2, group_concat(grp || ',' || kind || ',' || n, ';') FROM reminder_list_counts WHERE list = ?1
		UNION ALL SELECT * FROM (SELECT 3, data FROM reminder_lists WHERE list = ?1 ORDER BY list, ` + order + ` LIMIT ?2 OFFSET ?3)`
	stmt, err := s.prepared(ctx, q)
	if err != nil {
		return p, false, err
	}
	rows, err := stmt.QueryContext(ctx, list, limit, offset, listsVersion)
	if err != nil {
		return p, false, s.explain(err)
	}
	p.Rows = make([]Reminder, 0, min(limit, 200))
	var day Day
	var usable bool
	counts := listCounts{list, map[listCount]int{}}
	var part int
	var c sql.RawBytes
	err = eachRow(rows, func(r *sql.Rows) error {
		if err := r.Scan(&part, &c); err != nil {
			return err
		}
		switch part {
		case 1:
			n, same, _ := strings.Cut(string(c), ",")
			k, _ := strconv.Atoi(n)
			day, usable = Day(k), same == "1"
		case 2:
			return parseListCounts(string(c), &counts)
		case 3:
			rem, err := unpackListRow(c)
			if err != nil {
				return err
			}
			p.Rows = append(p.Rows, rem)
		}
		return nil
	})
	if err != nil {
		return p, false, s.explain(err)
	}
	if !usable || day != d {
		return ReminderPage{}, false, nil
	}
	p.Offset = offset
	counts.fill(&p)
	return p, true, nil
}

// parseListCounts adds to counts the kept counts of a list as keptPage
// reads them: "class,kind,n" for each row, joined by ";".
func parseListCounts(text string, counts *listCounts) error {
	for text != "" {
		var row string
		row, text, _ = strings.Cut(text, ";")
		class, rest, ok1 := strings.Cut(row, ",")
		kind, num, ok2 := strings.Cut(rest, ",")
		c, err1 := strconv.Atoi(class)
		n, err2 := strconv.Atoi(num)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			return fmt.Errorf("a kept count %q is damaged", row)
		}
		counts.n[listCount{c, Kind(kind)}] += n
	}
	return nil
}

// listsVersion changes whenever what the kept lists hold or how it is
// worked out changes: lists of another version are worked out again.
const listsVersion = derivedVersion + ", lists 3\n"

// listSettingsSQL is, in SQL on reminder_cache, what stands for every
// setting the kept lists are worked out from (the rules, the scheme, the
// shop's name and the templates): a count the settings' triggers raise at
// every change to them (schema 7). The lists keep it with listsVersion
// before it (reminder_cache.list_settings), and are used only while it is
// the same.
const listSettingsSQL = "settings_gen"

// eachRow calls fn for every row and closes rows.
func eachRow(rows *sql.Rows, fn func(r *sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// word fills Why and Message of r from its words w; desc is what was
// bought, when it is named.
func (set shopSettings) word(tpl messageTemplates, r *Reminder, w *words, desc string) {
	fields := set.fields(w, desc)
	r.Why = set.why(&w.c, w.shown, fields)
	r.Message = tpl.render(r.Kind, fields)
}

// refreshLists works the kept lists out again inside tx, after the other
// derived rows (facts, when set, holds the facts of the customers in ids
// as the other rows were worked out from): the whole lists when all is set, they are of another day
// or their words were rendered with another shop name or other templates;
// otherwise those of the customers in ids.
func (s *Store) refreshLists(ctx context.Context, tx *sql.Tx, set shopSettings, ids []ID, facts *factSet, all bool) error {
	var day Day
	var same bool
	err := tx.QueryRowContext(ctx, "SELECT list_day, list_settings IS ? || "+listSettingsSQL+" FROM reminder_cache", listsVersion).Scan(&day, &same)
	if err != nil {
		return err
	}
	d := s.Today()
	all = all || day != d || !same
	if !all && len(ids) == 0 {
		return nil
	}
	texts, err := s.templatesOn(ctx, tx)
	if err != nil {
		return err
	}
	counts := map[int]listCounts{
		listToday:    {listToday, map[listCount]int{}},
		listUpcoming: {listUpcoming, map[listCount]int{}},
	}
	var v *derivedView
	if all {
		for _, q := range []string{"UPDATE reminder_cache SET list_day = 0", "DELETE FROM reminder_lists", "DELETE FROM reminder_list_counts"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if v, err = s.viewOn(ctx, tx, set, d); err != nil || v == nil {
			return err // no view: the lists are not kept
		}
		ids = v.slowIDs()
	} else {
		if err := s.dropListRows(ctx, tx, ids, counts); err != nil {
			return err
		}
	}
	fs := facts
	if all || !factsBy(facts, d) {
		if fs, err = s.readFacts(ctx, tx, set, d, ids, false); err != nil {
			return err
		}
	}
	tpl := templatesFrom(texts)
	rows := newDemoInsert(ctx, tx, "reminder_lists", "list, grp, due, name, kind, customer_id, key, data")
	for _, list := range []int{listToday, listUpcoming} {
		var rs []Reminder
		var ws []words
		if list == listToday {
			rs, ws, err = s.collectToday(ctx, tx, v, fs, d)
		} else {
			rs, ws, err = s.collectUpcoming(ctx, tx, v, fs, d, d.AddDays(upcomingDays))
		}
		if err != nil {
			return err
		}
		wp := make([]*words, len(ws))
		for i := range ws {
			wp[i] = &ws[i]
		}
		descs, err := s.namedDescriptions(ctx, tx, wp, namedPurchases(wp))
		if err != nil {
			return err
		}
		for i := range rs {
			r := &rs[i]
			set.word(tpl, r, wp[i], descs[i])
			counts[list].add(r, 1)
			rows.add(list, listClass(list, r), int64(r.Due), r.CustomerName, string(r.Kind), r.CustomerID, r.Key, packListRow(r))
		}
	}
	if err := rows.close(); err != nil {
		return err
	}
	drop := false
	for _, list := range []int{listToday, listUpcoming} {
		c := counts[list]
		// In order, so that the same shop gives the same bytes.
		keys := slices.SortedFunc(maps.Keys(c.n), compareListCounts)
		for _, k := range keys {
			n := c.n[k]
			if n == 0 {
				continue
			}
			drop = drop || n < 0
			_, err := tx.ExecContext(ctx, `INSERT INTO reminder_list_counts(list, grp, kind, n) VALUES (?, ?, ?, ?)
				ON CONFLICT(list, grp, kind) DO UPDATE SET n = n + excluded.n`, c.list, k.class, string(k.kind), n)
			if err != nil {
				return err
			}
		}
	}
	if drop {
		if _, err := tx.ExecContext(ctx, "DELETE FROM reminder_list_counts WHERE n <= 0"); err != nil {
			return err
		}
	}
	if !all {
		return nil
	}
	_, err = tx.ExecContext(ctx, "UPDATE reminder_cache SET list_day = ?, list_settings = ? || "+listSettingsSQL, int64(d), listsVersion)
	return err
}

// factsBy says whether fs (the facts of the customers in hand, read
// whatever their day) holds nothing dated after d: then they are the facts
// as of d too.
func factsBy(fs *factSet, d Day) bool {
	if fs == nil || fs.stateLast == nil {
		return false
	}
	for i := range fs.customers {
		f := &fs.customers[i]
		if max(f.lastFactDay(), fs.stateLast[f.Customer.ID]) > d {
			return false
		}
	}
	return true
}

// dropListRows removes the list rows of the customers in ids and takes
// them off counts.
func (s *Store) dropListRows(ctx context.Context, tx *sql.Tx, ids []ID, counts map[int]listCounts) error {
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		err := s.scanEachOn(ctx, tx, "SELECT list, grp, kind, count(*) FROM reminder_lists WHERE customer_id"+in+" GROUP BY list, grp, kind", args,
			func(r *sql.Rows, _ *sql.RawBytes) error {
				var list, n int
				var k listCount
				if err := r.Scan(&list, &k.class, &k.kind, &n); err != nil {
					return err
				}
				if c, ok := counts[list]; ok {
					c.n[k] -= n
				}
				return nil
			})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM reminder_lists WHERE customer_id"+in, args...); err != nil {
			return err
		}
	}
	return nil
}

// namedDescriptions is, for each of ws, what was bought as its message
// names it (finishNamed's choice), read through q.
func (s *Store) namedDescriptions(ctx context.Context, q querier, ws []*words, named map[ID]bool) ([]string, error) {
	var ids []ID
	for _, w := range ws {
		if !w.known && named[w.last.ID] {
			ids = append(ids, w.last.ID)
		}
	}
	desc, err := s.purchaseDescriptionsOn(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		if !named[w.last.ID] {
			continue
		}
		if w.known {
			out[i] = w.desc
		} else {
			out[i] = desc[w.last.ID]
		}
	}
	return out, nil
}

// packListRow packs a listed reminder, words and all.
func packListRow(r *Reminder) []byte {
	p := packer{b: make([]byte, 0, 320)}
	p.str(r.Key)
	p.str(string(r.Kind))
	p.int(r.CustomerID)
	p.str(r.CustomerName)
	p.str(r.Phone)
	p.str(r.Email)
	p.str(r.Subject)
	p.day(r.Due)
	p.day(r.ShownFrom)
	p.day(r.Until)
	p.str(string(r.State))
	p.day(r.SnoozedUntil)
	p.day(r.DoneOn)
	p.str(r.Staff)
	p.str(r.Reason)
	p.int(int64(r.OverdueDays))
	p.str(r.Why)
	p.str(r.Message)
	p.bool(r.OpenComplaint)
	return p.b
}

func unpackListRow(b []byte) (Reminder, error) {
	// One string holds every text of the row: one allocation, not ten.
	u := rowUnpacker{unpacker: unpacker{b: b}, s: string(b)}
	var r Reminder
	r.Key = u.str()
	r.Kind = Kind(u.word())
	r.CustomerID = u.int()
	r.CustomerName = u.str()
	r.Phone = u.str()
	r.Email = u.str()
	r.Subject = u.str()
	r.Due = u.day()
	r.ShownFrom = u.day()
	r.Until = u.day()
	r.State = State(u.word())
	r.SnoozedUntil = u.day()
	r.DoneOn = u.day()
	r.Staff = u.str()
	r.Reason = u.str()
	r.OverdueDays = int(u.int())
	r.Why = u.str()
	r.Message = u.str()
	r.OpenComplaint = u.bool()
	if u.err == nil && len(u.b) != 0 {
		u.err = errBadDerived
	}
	return r, u.err
}

// rowUnpacker takes the strings of a row from s, the row as one string.
type rowUnpacker struct {
	unpacker
	s string
}

func (u *rowUnpacker) str() string {
	n, k := binary.Uvarint(u.b)
	if k <= 0 || uint64(len(u.b)-k) < n {
		u.err, u.b = errBadDerived, nil
		return ""
	}
	at := len(u.s) - len(u.b) + k
	u.b = u.b[k+int(n):]
	return u.s[at : at+int(n)]
}
