package data

import (
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
	"time"
)

// SegmentQuery says which customers a group message goes to. Zero fields
// pick everyone; each field set narrows the group.
type SegmentQuery struct {
	Day       rules.Day            // as of this day; today when zero
	Tag       string               // carries this tag (any case)
	Bands     []rules.Band         // last bought within one of these bands
	Birthdays rules.BirthdayWindow // birthday in this week or month of Day
	Top       int                  // of those left, the n who spent most (paid, less refunds)
	// IncludeDoNotContact keeps "do not contact" customers in; they are
	// left out unless it is set. Forgotten customers are always left out.
	IncludeDoNotContact bool
}

// SegmentCounts is how many customers a group holds, and how many of them
// a group message may reach by email, by SMS and by post.
type SegmentCounts struct {
	Customers, Email, SMS, Post int
}

// SegmentPageResult is a group's counts and one page of its customers, in
// Segment's order.
type SegmentPageResult struct {
	SegmentCounts
	Rows []rules.Customer
}

// Segment lists the customers a query picks: by spending (most first) when
// Top is set, else by name.
func (s *Store) Segment(ctx context.Context, q SegmentQuery) ([]rules.Customer, error) {
	p, err := s.segmentPage(ctx, q, 0, -1)
	return p.Rows, err
}

// SegmentPage is the counts of the group q picks and its customers from
// offset, at most limit of them, in Segment's order.
func (s *Store) SegmentPage(ctx context.Context, q SegmentQuery, offset, limit int) (SegmentPageResult, error) {
	return s.segmentPage(ctx, q, max(offset, 0), max(limit, 0))
}

// segmentPage is SegmentPage; a negative limit reads the whole group.
func (s *Store) segmentPage(ctx context.Context, q SegmentQuery, offset, limit int) (SegmentPageResult, error) {
	var out SegmentPageResult
	q, err := s.normalizeSegment(q)
	if err != nil {
		return out, err
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, s.explain(err)
	}
	defer tx.Rollback()
	var ids []rules.ID
	out.SegmentCounts, ids, err = segmentGroup(ctx, tx, q, offset, limit)
	if err != nil {
		return out, s.explain(err)
	}
	byID, err := customersByID(ctx, tx, ids)
	if err != nil {
		return out, s.explain(err)
	}
	for _, id := range ids {
		out.Rows = append(out.Rows, byID[id])
	}
	return out, nil
}

// segmentMember is what a group's order and counts need of one customer
// in it.
type segmentMember struct {
	id               rules.ID
	name             string      // name_fold: the group's order
	spent            rules.Cents // as of the query's day, read only for Top
	email, sms, post bool        // Customer.Reachable on each channel
}

func (n *SegmentCounts) add(m *segmentMember) {
	n.Customers++
	n.Email += boolInt(m.email)
	n.SMS += boolInt(m.sms)
	n.Post += boolInt(m.post)
}

// segmentGroup counts the group q (normalized) picks and lists the ids of
// its members from offset, at most limit of them (all when limit is
// negative), in Segment's order. It reads the customers once (those born
// in the window's months, along the birthday index, when birthdays are
// asked for), with their latest sale or spending as of q's day along the
// purchases' customer index, which holds every column those read.
func segmentGroup(ctx context.Context, tx *sql.Tx, q SegmentQuery, offset, limit int) (SegmentCounts, []rules.ID, error) {
	var counts SegmentCounts
	f := segmentFilter{q: q, tag: strings.ToLower(strings.TrimSpace(q.Tag))}
	if q.Birthdays != "" {
		f.bFrom, f.bTo, _ = q.Birthdays.Span(q.Day) // normalizeSegment checked it
	}
	consents, err := messageConsents(ctx, tx)
	if err != nil {
		return counts, nil, err
	}
	var r segmentRow
	query, args, dest := f.query(&r)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return counts, nil, err
	}
	var top []segmentMember
	page := firstByName{k: offset + limit}
	switch {
	case limit < 0:
		page.k = -1
	case limit == 0:
		page.k = 0
	}
	err = eachRow(rows, func(rs *sql.Rows) error {
		if err := rs.Scan(dest...); err != nil {
			return err
		}
		if !f.picks(&r) {
			return nil
		}
		// As Customer.Reachable has it: post needs no consent.
		dnc := r.flags&rowDoNotContact != 0
		m := segmentMember{id: r.id, spent: rules.Cents(r.spent.Int64)}
		m.email = !dnc && r.flags&rowEmail != 0 && consents[m.id]&consentEmail != 0
		m.sms = !dnc && r.flags&rowPhone != 0 && consents[m.id]&consentSMS != 0
		m.post = !dnc && len(bytes.TrimSpace(r.address)) > 0
		if q.Top > 0 {
			top = append(top, m)
			return nil
		}
		counts.add(&m)
		page.offer(m, r.name)
		return nil
	})
	if err != nil {
		return counts, nil, err
	}
	members := page.sorted()
	if q.Top > 0 {
		slices.SortFunc(top, func(a, b segmentMember) int { return cmp.Or(cmp.Compare(b.spent, a.spent), cmpID(a.id, b.id)) })
		members = top[:min(q.Top, len(top))]
		for i := range members {
			counts.add(&members[i])
		}
	}
	var ids []rules.ID
	for i := offset; i < len(members) && (limit < 0 || i < offset+limit); i++ {
		ids = append(ids, members[i].id)
	}
	return counts, ids, nil
}

// firstByName keeps the first k members of a group by name, then id (all
// of them when k is negative), so that a page near the top of a large
// group sorts only what it shows: rows is a heap with the last of them
// on top until sorted.
type firstByName struct {
	k    int
	rows []segmentMember
}

func byNameThenID(a, b *segmentMember) int {
	return cmp.Or(strings.Compare(a.name, b.name), cmpID(a.id, b.id))
}

func (p *firstByName) Len() int           { return len(p.rows) }
func (p *firstByName) Less(i, j int) bool { return byNameThenID(&p.rows[i], &p.rows[j]) > 0 }
func (p *firstByName) Swap(i, j int)      { p.rows[i], p.rows[j] = p.rows[j], p.rows[i] }
func (p *firstByName) Push(x any)         { p.rows = append(p.rows, x.(segmentMember)) }
func (p *firstByName) Pop() any {
	m := p.rows[len(p.rows)-1]
	p.rows = p.rows[:len(p.rows)-1]
	return m
}

// offer keeps m, named name (read as raw bytes), if it is among the first k.
func (p *firstByName) offer(m segmentMember, name []byte) {
	switch {
	case p.k < 0:
		m.name = string(name)
		p.rows = append(p.rows, m)
	case len(p.rows) < p.k:
		m.name = string(name)
		heap.Push(p, m)
	case p.k > 0:
		last := &p.rows[0]
		if string(name) < last.name || string(name) == last.name && m.id < last.id {
			m.name = string(name)
			p.rows[0] = m
			heap.Fix(p, 0)
		}
	}
}

// sorted is the rows p holds, in order.
func (p *firstByName) sorted() []segmentMember {
	slices.SortFunc(p.rows, func(a, b segmentMember) int { return byNameThenID(&a, &b) })
	return p.rows
}

// segmentFilter is a query's filters, checked on each customer read.
type segmentFilter struct {
	q          SegmentQuery
	tag        string    // lower case
	bFrom, bTo rules.Day // the birthday window, when asked for
}

// segmentRow is a customer as a group's query reads them: only what its
// filters look at is read.
type segmentRow struct {
	id                  rules.ID
	name, tags, address sql.RawBytes
	flags               int64 // rowDoNotContact, rowEmail, rowPhone
	month, day          int64 // the birthday
	spent               sql.NullInt64
}

const (
	rowDoNotContact = 1 << iota
	rowEmail        // an email address
	rowPhone        // a phone number with digits
)

// bandSQL is the band (bandNumber) of a customer's latest sale as of a
// day: its arguments are the first days of active, lapsing and drifting,
// then the day.
const bandSQL = `(SELECT CASE WHEN max(p.day) IS NULL THEN 0 WHEN max(p.day) >= ? THEN 1
	WHEN max(p.day) >= ? THEN 2 WHEN max(p.day) >= ? THEN 3 ELSE 4 END
	FROM purchases p WHERE p.customer_id = c.id AND p.voided = 0 AND p.amount_cents > 0 AND p.day <= ?)`

// bandNumber is a band as bandSQL gives it.
var bandNumber = map[rules.Band]int{rules.BandNever: 0, rules.BandActive: 1, rules.BandLapsing: 2, rules.BandDrifting: 3, rules.BandLost: 4}

// query is the statement of the customers f may pick, and where to scan
// its columns in r. The bands are checked in SQL, the rest by picks.
// Reachability reads the stored phone digits (those of the phone).
func (f *segmentFilter) query(r *segmentRow) (string, []any, []any) {
	cols := "c.id, c.name_fold, c.do_not_contact + CASE WHEN c.email <> '' THEN 2 ELSE 0 END + CASE WHEN c.phone_digits <> '' THEN 4 ELSE 0 END, c.address"
	dest := []any{&r.id, &r.name, &r.flags, &r.address}
	var args, whereArgs []any
	where := "c.forgotten = 0"
	if !f.q.IncludeDoNotContact {
		where += " AND c.do_not_contact = 0"
	}
	if f.tag != "" {
		cols += ", c.tags"
		dest = append(dest, &r.tags)
		where += " AND c.tags <> ''"
	}
	if f.q.Birthdays != "" {
		_, from, _ := f.bFrom.Date()
		_, to, _ := f.bTo.Date()
		cols += ", c.birthday_month, c.birthday_day"
		dest = append(dest, &r.month, &r.day)
		where += " AND c.birthday_month IN (?, ?)"
		whereArgs = append(whereArgs, int(from), int(to))
	}
	if len(f.q.Bands) > 0 {
		d := f.q.Day
		whereArgs = append(whereArgs, d.AddDays(-89).String(), d.AddDays(-179).String(), d.AddDays(-364).String(), d.String())
		var in []string
		for _, b := range f.q.Bands {
			in = append(in, "?")
			whereArgs = append(whereArgs, bandNumber[b])
		}
		where += " AND " + bandSQL + " IN (" + strings.Join(in, ", ") + ")"
	}
	if f.q.Top > 0 {
		cols += `, (SELECT sum(p.amount_cents - p.discount_cents) FROM purchases p
			WHERE p.customer_id = c.id AND p.voided = 0 AND p.day <= ?)`
		dest = append(dest, &r.spent)
		args = append(args, f.q.Day.String())
	}
	return "SELECT " + cols + " FROM customers c WHERE " + where, append(args, whereArgs...), dest
}

// picks reports whether f picks the customer read into r (the query
// checked the bands).
func (f *segmentFilter) picks(r *segmentRow) bool {
	switch {
	case r.flags&rowDoNotContact != 0 && !f.q.IncludeDoNotContact:
		return false
	case f.tag != "" && !hasTag(r.tags, f.tag):
		return false
	case f.q.Birthdays != "" && !rules.BirthdayIn(rules.YearlyDate{Month: time.Month(r.month), Day: int(r.day)}, f.bFrom, f.bTo):
		return false
	case f.q.Top > 0 && r.spent.Int64 <= 0:
		return false
	}
	return true
}

// hasTag reports whether tags, ';'-joined as stored, hold tag (lower
// case) in any case.
func hasTag(tags []byte, tag string) bool {
	for _, t := range bytes.Split(tags, []byte(";")) {
		if t = bytes.TrimSpace(t); len(t) > 0 && strings.ToLower(string(t)) == tag {
			return true
		}
	}
	return false
}

// The consents a group message looks at, as bits.
const (
	consentEmail = 1 << iota
	consentSMS
)

// messageConsents reads who consented to email and to SMS.
func messageConsents(ctx context.Context, tx *sql.Tx) (map[rules.ID]uint8, error) {
	rows, err := tx.QueryContext(ctx, "SELECT customer_id, channel FROM consents WHERE channel IN ('email', 'sms')")
	if err != nil {
		return nil, err
	}
	out := make(map[rules.ID]uint8, 1024)
	var channel sql.RawBytes
	err = eachRow(rows, func(r *sql.Rows) error {
		var id rules.ID
		if err := r.Scan(&id, &channel); err != nil {
			return err
		}
		if string(channel) == string(rules.ChannelEmail) {
			out[id] |= consentEmail
		} else {
			out[id] |= consentSMS
		}
		return nil
	})
	return out, err
}

// normalizeSegment fills in the day and refuses what Segment refuses.
func (s *Store) normalizeSegment(q SegmentQuery) (SegmentQuery, error) {
	if q.Day.IsZero() {
		q.Day = s.Today()
	}
	if q.Top < 0 {
		return q, fmt.Errorf("the number of top spenders cannot be negative")
	}
	if q.Birthdays != "" {
		if _, _, err := q.Birthdays.Span(q.Day); err != nil {
			return q, err
		}
	}
	for _, b := range q.Bands {
		switch b {
		case rules.BandActive, rules.BandLapsing, rules.BandDrifting, rules.BandLost, rules.BandNever:
		default:
			return q, fmt.Errorf("%q is not active, lapsing, drifting, lost or never", string(b))
		}
	}
	return q, nil
}

// customersBatch is how many customers customersByID reads at once.
var customersBatch = 500

// customersByID reads the customers ids with their consents through q, a
// batch at a time (SQLite takes only so many arguments).
func customersByID(ctx context.Context, q querier, ids []rules.ID) (map[rules.ID]rules.Customer, error) {
	out := make(map[rules.ID]rules.Customer, len(ids))
	for start := 0; start < len(ids); start += customersBatch {
		part := idArgs(ids[start:min(start+customersBatch, len(ids))])
		in := " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		rows, err := q.QueryContext(ctx, "SELECT "+customerCols+" FROM customers WHERE id"+in, part...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			c, err := scanCustomer(r)
			if err == nil {
				out[c.ID] = c
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		rows, err = q.QueryContext(ctx, "SELECT customer_id, channel, given_on, source FROM consents WHERE customer_id"+in+" ORDER BY customer_id, channel", part...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var id rules.ID
			var k rules.Consent
			var given sql.NullString
			if err := r.Scan(&id, &k.Channel, &given, &k.Source); err != nil {
				return err
			}
			k.GivenOn = scanDay(given)
			c := out[id]
			c.Consents = append(c.Consents, k)
			out[id] = c
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Tags lists the tags customers carry, each once whatever its case (the
// spelling of the lowest customer id wins), in alphabetical order.
func (s *Store) Tags(ctx context.Context) ([]string, error) {
	seen := map[string]string{}
	err := s.eachRow(ctx, "SELECT tags FROM customers WHERE tags <> '' AND forgotten = 0 ORDER BY id", nil, func(r *sql.Rows) error {
		var tags string
		if err := r.Scan(&tags); err != nil {
			return err
		}
		for _, t := range rules.SplitTags(tags) {
			if _, ok := seen[strings.ToLower(t)]; !ok {
				seen[strings.ToLower(t)] = t
			}
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for _, t := range seen {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, err
}
