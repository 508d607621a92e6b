package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// SegmentCounts is how many customers a group holds, and how many of them
// a group message may reach by email, by SMS and by post.
type SegmentCounts struct {
	Customers, Email, SMS, Post int
}

// SegmentPageResult is a group's counts and one page of its customers, in
// Segment's order.
type SegmentPageResult struct {
	SegmentCounts
	Rows []Customer
}

// countsOf counts a whole group.
func countsOf(cs []Customer) SegmentCounts {
	var n SegmentCounts
	for _, c := range cs {
		n.Customers++
		n.Email += boolInt(c.Reachable(ChannelEmail))
		n.SMS += boolInt(c.Reachable(ChannelSMS))
		n.Post += boolInt(c.Reachable(ChannelPost))
	}
	return n
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
		case BandActive, BandLapsing, BandDrifting, BandLost, BandNever:
		default:
			return q, fmt.Errorf("%q is not active, lapsing, drifting, lost or never", string(b))
		}
	}
	return q, nil
}

// SegmentPage is the counts of the group q picks and its customers from
// offset, at most limit of them, in Segment's order. It reads the kept
// rows (segments_kept.go): the counts of a query with at most one of tag,
// bands and birthdays come from a few count rows, and the page is read
// along the kept rows' order, so neither grows with the shop. The kept
// rows count every purchase: asked about bands or top spenders as of a
// day before some purchases, it works out the customers who made them
// from their facts, and the rest from the kept rows. Where the kept rows
// cannot answer (not worked out yet, an older schema, or many customers
// with purchases after the day) it works the group out from the facts, as
// Segment does.
func (s *Store) SegmentPage(ctx context.Context, q SegmentQuery, offset, limit int) (SegmentPageResult, error) {
	var out SegmentPageResult
	q, err := s.normalizeSegment(q)
	if err != nil {
		return out, err
	}
	offset, limit = max(offset, 0), max(limit, 0)
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, s.explain(err)
	}
	defer tx.Rollback()
	if ok, err := s.segmentsUsable(ctx, tx, q); err != nil {
		return out, s.explain(err)
	} else if !ok {
		tx.Rollback()
		return s.segmentPageFromFacts(ctx, q, offset, limit)
	}
	f, err := segFilterOf(ctx, tx, q)
	if err != nil {
		return out, s.explain(err)
	}
	if err := f.except(ctx, tx, q); err != nil {
		return out, s.explain(err)
	}
	var ids []ID
	if q.Top > 0 {
		// The top spenders are read along the spending index, stopping at
		// Top: their counts come from the same rows. Customers with
		// purchases after the day are left out there and put in by what
		// they had spent by then.
		type top struct {
			id    ID
			spent Cents
			r     segRow
		}
		var tops []top
		rows, err := tx.QueryContext(ctx, `SELECT customer_id, spent, email, sms, post FROM segment_customers INDEXED BY segment_customers_spent
			WHERE spent > 0 AND `+f.where+` ORDER BY spent DESC, customer_id LIMIT ?`, append(f.args, q.Top)...)
		if err != nil {
			return out, s.explain(err)
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var t top
			if err := r.Scan(&t.id, &t.spent, &t.r.email, &t.r.sms, &t.r.post); err != nil {
				return err
			}
			tops = append(tops, t)
			return nil
		})
		if err != nil {
			return out, s.explain(err)
		}
		if len(f.plus) > 0 {
			for _, r := range f.plus {
				if sp := f.late.spent[r.id]; sp > 0 {
					tops = append(tops, top{r.id, sp, *r})
				}
			}
			slices.SortFunc(tops, func(a, b top) int { return cmp.Or(cmp.Compare(b.spent, a.spent), cmpID(a.id, b.id)) })
			tops = tops[:min(len(tops), q.Top)]
		}
		for i, t := range tops {
			out.Customers++
			out.Email += boolInt(t.r.email)
			out.SMS += boolInt(t.r.sms)
			out.Post += boolInt(t.r.post)
			if i >= offset && len(ids) < limit {
				ids = append(ids, t.id)
			}
		}
	} else {
		if out.SegmentCounts, err = f.counts(ctx, tx); err != nil {
			return out, s.explain(err)
		}
		if limit > 0 && offset < out.Customers {
			ids, err = idList(ctx, tx, `SELECT customer_id FROM segment_customers INDEXED BY segment_customers_name
				WHERE `+f.where+` ORDER BY name_key, customer_id LIMIT ? OFFSET ?`, append(f.args, limit, offset)...)
			if err != nil {
				return out, s.explain(err)
			}
		}
	}
	out.Rows, err = customersByID(ctx, tx, ids)
	return out, s.explain(err)
}

// segmentPageFromFacts is SegmentPage worked out from the whole group.
func (s *Store) segmentPageFromFacts(ctx context.Context, q SegmentQuery, offset, limit int) (SegmentPageResult, error) {
	var out SegmentPageResult
	cs, err := s.Segment(ctx, q)
	if err != nil {
		return out, err
	}
	out.SegmentCounts = countsOf(cs)
	if offset < len(cs) {
		out.Rows = cs[offset:min(len(cs), offset+limit):min(len(cs), offset+limit)]
	}
	return out, nil
}

// segLateMost is how many customers with purchases after a query's day
// SegmentPage works out from their facts; with more, it works out the
// whole group from the facts.
var segLateMost = 1000

// segmentsUsable reports whether the kept rows answer q: they are worked
// out and, when q looks at sales or spending, few customers have
// purchases dated after q's day (the kept rows count every purchase).
func (s *Store) segmentsUsable(ctx context.Context, tx *sql.Tx, q SegmentQuery) (bool, error) {
	if !s.keepDerived.Load() || s.skipDerived {
		return false, nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, "SELECT ok AND NOT EXISTS (SELECT 1 FROM segment_dirty) FROM segment_state").Scan(&ok); err != nil {
		return false, nil // a schema without the kept rows
	}
	if !ok || (len(q.Bands) == 0 && q.Top == 0) {
		return ok, nil
	}
	var late int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM segment_customers INDEXED BY segment_customers_late WHERE late > ? LIMIT ?)",
		int64(q.Day), segLateMost+1).Scan(&late)
	return late <= segLateMost, err
}

// segLate are the customers with purchases after a query's day: their
// kept rows, and their latest sale and spending as of the day.
type segLate struct {
	ids   []ID
	kept  map[ID]*segRow
	last  map[ID]Day
	spent map[ID]Cents
}

// except takes out of the filter the customers with purchases after q's
// day, and puts back those their facts as of the day let in.
func (f *segFilter) except(ctx context.Context, tx *sql.Tx, q SegmentQuery) error {
	if len(q.Bands) == 0 && q.Top == 0 {
		return nil
	}
	// Sorted here: asked to sort, SQLite would read every row in id order.
	ids, err := idList(ctx, tx, "SELECT customer_id FROM segment_customers INDEXED BY segment_customers_late WHERE late > ?", int64(q.Day))
	if err != nil || len(ids) == 0 {
		return err
	}
	slices.Sort(ids)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	l := &segLate{ids: ids, last: map[ID]Day{}, spent: map[ID]Cents{}}
	if l.kept, err = keptSegRowsWhere(ctx, tx, " WHERE customer_id IN ("+marks+")", args); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT customer_id, ifnull(max(CASE WHEN amount_cents > 0 THEN day END), ''), SUM(amount_cents - discount_cents)
		FROM purchases WHERE customer_id IN (`+marks+`) AND voided = 0 AND day <= ? GROUP BY customer_id`, append(args, q.Day.String())...)
	if err != nil {
		return err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var day string
		var sp int64
		if err := r.Scan(&id, &day, &sp); err != nil {
			return err
		}
		if day != "" {
			l.last[id] = packedDay(day)
		}
		l.spent[id] = Cents(sp)
		return nil
	})
	if err != nil {
		return err
	}
	f.late = l
	var plus []any
	for _, id := range ids {
		r := l.kept[id]
		if r == nil {
			continue
		}
		if f.passes(r, r.last) {
			f.minus = append(f.minus, r)
		}
		if f.passes(r, l.last[id]) && (q.Top == 0 || l.spent[id] > 0) {
			f.plus = append(f.plus, r)
			plus = append(plus, id)
		}
	}
	f.where = "((" + f.where + ") AND customer_id NOT IN (" + marks + "))"
	f.args = append(f.args, args...)
	if len(plus) > 0 && q.Top == 0 {
		f.where = "(" + f.where + " OR customer_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(plus)), ", ") + "))"
		f.args = append(f.args, plus...)
	}
	return nil
}

// passes reports whether a kept row, its latest sale taken as last, passes
// the filter, as the SQL of the filter and the count rows have it.
func (f *segFilter) passes(r *segRow, last Day) bool {
	switch {
	case r.dnc && !f.dncToo:
		return false
	case f.tag != "" && !slices.Contains(r.tagList, f.tag):
		return false
	case f.birthdays && !f.mds[r.md]:
		return false
	case len(f.ranges) > 0 && !slices.ContainsFunc(f.ranges, func(g [2]int64) bool { return int64(last) >= g[0] && int64(last) <= g[1] }):
		return false
	}
	return true
}

// segFilter is a query's filters as SQL on segment_customers, and which
// count rows answer them when one filter (or none) is set.
type segFilter struct {
	where string
	args  []any
	// The count rows: dim, and the keys that count (days as ranges).
	dim        string
	txts       []string
	ranges     [][2]int64
	dncToo     bool
	fromCounts bool
	// For passes: the tag, whether birthdays are asked about, and which.
	tag       string
	birthdays bool
	mds       map[string]bool
	// Customers with purchases after the day (except): the kept rows the
	// count rows count that the day's facts leave out, and those they let in.
	late        *segLate
	minus, plus []*segRow
}

func segFilterOf(ctx context.Context, tx *sql.Tx, q SegmentQuery) (segFilter, error) {
	f := segFilter{dim: "all", dncToo: q.IncludeDoNotContact}
	var conds []string
	set := 0
	if !q.IncludeDoNotContact {
		conds = append(conds, "dnc = 0")
	}
	if tag := strings.ToLower(strings.TrimSpace(q.Tag)); tag != "" {
		set++
		conds = append(conds, "EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)")
		f.args = append(f.args, tag)
		f.dim, f.txts, f.tag = "tag", []string{tag}, tag
	}
	if len(q.Bands) > 0 {
		set++
		var or []string
		for _, r := range bandRanges(q.Bands, q.Day) {
			or = append(or, "last_sale BETWEEN ? AND ?")
			f.args = append(f.args, r[0], r[1])
			f.ranges = append(f.ranges, r)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
		f.dim = "day"
	}
	if q.Birthdays != "" {
		set++
		f.birthdays, f.mds = true, map[string]bool{}
		from, to, err := q.Birthdays.Span(q.Day)
		if err != nil {
			return f, err
		}
		// The birthdays kept are few (at most every month and day): each
		// is tried against the window as Segment tries a customer's.
		rows, err := tx.QueryContext(ctx, "SELECT DISTINCT txt FROM segment_counts WHERE dim = 'md'")
		if err != nil {
			return f, err
		}
		var in []string
		err = eachRow(rows, func(r *sql.Rows) error {
			var md string
			if err := r.Scan(&md); err != nil {
				return err
			}
			if b, ok := parseMD(md); ok && birthdayIn(b, from, to) {
				in = append(in, "?")
				f.args = append(f.args, md)
				f.txts = append(f.txts, md)
				f.mds[md] = true
			}
			return nil
		})
		if err != nil {
			return f, err
		}
		if len(in) == 0 {
			conds = append(conds, "0")
		} else {
			conds = append(conds, "md IN ("+strings.Join(in, ", ")+")")
		}
		f.dim = "md"
	}
	f.fromCounts = set <= 1
	if len(conds) == 0 {
		conds = append(conds, "1")
	}
	f.where = strings.Join(conds, " AND ")
	return f, nil
}

// bandRanges are the last-sale days of bands on day, as inclusive ranges
// (never: 0); no sale is later than day.
func bandRanges(bands []Band, day Day) [][2]int64 {
	d := int64(day)
	var out [][2]int64
	seen := map[Band]bool{}
	for _, b := range bands {
		if seen[b] {
			continue
		}
		seen[b] = true
		switch b {
		case BandNever:
			out = append(out, [2]int64{0, 0})
		case BandActive:
			out = append(out, nonZero(d-89, d)...)
		case BandLapsing:
			out = append(out, nonZero(d-179, d-90)...)
		case BandDrifting:
			out = append(out, nonZero(d-364, d-180)...)
		case BandLost:
			out = append(out, nonZero(-1<<62, d-365)...)
		}
	}
	return out
}

// nonZero is from..to without day 0 (which the kept rows use for never).
func nonZero(from, to int64) [][2]int64 {
	var out [][2]int64
	if from <= min(to, -1) {
		out = append(out, [2]int64{from, min(to, -1)})
	}
	if max(from, 1) <= to {
		out = append(out, [2]int64{max(from, 1), to})
	}
	return out
}

// counts sums the count rows when they answer the filter, and else counts
// the kept rows that pass it.
func (f *segFilter) counts(ctx context.Context, tx *sql.Tx) (SegmentCounts, error) {
	var n SegmentCounts
	var q string
	var args []any
	if f.fromCounts {
		q = "SELECT ifnull(sum(n), 0), ifnull(sum(email), 0), ifnull(sum(sms), 0), ifnull(sum(post), 0) FROM segment_counts WHERE dim = ?"
		args = []any{f.dim}
		if !f.dncToo {
			q += " AND dnc = 0"
		}
		switch f.dim {
		case "tag", "md":
			if len(f.txts) == 0 {
				return n, nil
			}
			q += " AND num = 0 AND txt IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(f.txts)), ", ") + ")"
			for _, t := range f.txts {
				args = append(args, t)
			}
		case "day":
			var or []string
			for _, r := range f.ranges {
				or = append(or, "num BETWEEN ? AND ?")
				args = append(args, r[0], r[1])
			}
			q += " AND (" + strings.Join(or, " OR ") + ")"
		}
	} else {
		q = "SELECT count(*), ifnull(sum(email), 0), ifnull(sum(sms), 0), ifnull(sum(post), 0) FROM segment_customers WHERE " + f.where
		args = f.args
	}
	err := tx.QueryRowContext(ctx, q, args...).Scan(&n.Customers, &n.Email, &n.SMS, &n.Post)
	if f.fromCounts {
		for _, r := range f.minus {
			n.Customers--
			n.Email -= boolInt(r.email)
			n.SMS -= boolInt(r.sms)
			n.Post -= boolInt(r.post)
		}
		for _, r := range f.plus {
			n.Customers++
			n.Email += boolInt(r.email)
			n.SMS += boolInt(r.sms)
			n.Post += boolInt(r.post)
		}
	}
	return n, err
}

// customersBatch is how many customers customersByID reads at once.
var customersBatch = 500

// customersByID loads customers with their consents, in the order of ids,
// a batch at a time (SQLite takes only so many arguments).
func customersByID(ctx context.Context, q querier, ids []ID) ([]Customer, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	batch := customersBatch
	if len(ids) > batch {
		out := make([]Customer, 0, len(ids))
		for i := 0; i < len(ids); i += batch {
			cs, err := customersByID(ctx, q, ids[i:min(i+batch, len(ids))])
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
		return out, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	at := make(map[ID]int, len(ids))
	for i, id := range ids {
		args[i] = id
		at[id] = i
	}
	out := make([]Customer, len(ids))
	rows, err := q.QueryContext(ctx, "SELECT "+customerCols+" FROM customers WHERE id IN ("+marks+")", args...)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		c, err := scanCustomer(r)
		if err != nil {
			return err
		}
		out[at[c.ID]] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT customer_id, channel, given_on, source FROM consents WHERE customer_id IN ("+marks+") ORDER BY customer_id, channel", args...)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var k Consent
		var given sql.NullString
		if err := r.Scan(&id, &k.Channel, &given, &k.Source); err != nil {
			return err
		}
		k.GivenOn = scanDay(given)
		c := &out[at[id]]
		c.Consents = append(c.Consents, k)
		return nil
	})
	return out, err
}

// keptTags is Tags read from the kept rows: each tag the counts hold, as
// spelt by the lowest customer id that carries it. ok is false when the
// kept rows cannot answer.
func (s *Store) keptTags(ctx context.Context) (tags []string, ok bool, err error) {
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, s.explain(err)
	}
	defer tx.Rollback()
	if ok, err := s.segmentsUsable(ctx, tx, SegmentQuery{}); err != nil || !ok {
		return nil, false, s.explain(err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT txt FROM segment_counts WHERE dim = 'tag' GROUP BY txt HAVING sum(n) > 0")
	if err != nil {
		return nil, false, s.explain(err)
	}
	var keys []string
	err = eachRow(rows, func(r *sql.Rows) error {
		var t string
		if err := r.Scan(&t); err != nil {
			return err
		}
		keys = append(keys, t)
		return nil
	})
	if err != nil {
		return nil, false, s.explain(err)
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		var spelt string
		err := tx.QueryRowContext(ctx, "SELECT spelling FROM segment_tags WHERE tag = ? ORDER BY customer_id LIMIT 1", k).Scan(&spelt)
		if err != nil {
			return nil, false, s.explain(err)
		}
		out = append(out, spelt)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, true, nil
}
