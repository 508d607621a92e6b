package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The Segments screen's kept rows (schema 10, migrations/010_segments.sql): one row per
// customer not forgotten with what the filters look at, and counts of
// those rows by one filter at a time. Every write transaction works out
// again, before it commits, the customers its triggers noted
// (segment_dirty), and moves the counts by the difference.

// segRow is a customer's kept row.
type segRow struct {
	id               ID
	name             string // lower case: the list's order
	last             Day    // latest sale, 0 when none
	spent            Cents
	late             Day    // latest purchase or refund not voided, 0 when none
	md               string // birthday "M-D", "" when none
	dnc              bool
	email, sms, post bool
	tags             string // JSON array of lower-case tags, each once
	tagList          []string
	spelled          string // JSON array of those tags as the customer first spells them
	spellings        []string
}

// segKey is one count row of segment_counts.
type segKey struct {
	dim string
	num int64
	txt string
	dnc bool
}

// segTally is what one count row holds.
type segTally struct{ n, email, sms, post int64 }

func (t *segTally) add(r *segRow, sign int64) {
	t.n += sign
	t.email += sign * boolInt64(r.email)
	t.sms += sign * boolInt64(r.sms)
	t.post += sign * boolInt64(r.post)
}

func boolInt64(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// keys are the count rows r counts in.
func (r *segRow) keys() []segKey {
	ks := []segKey{{dim: "all", dnc: r.dnc}, {dim: "day", num: int64(r.last), dnc: r.dnc}}
	if r.md != "" {
		ks = append(ks, segKey{dim: "md", txt: r.md, dnc: r.dnc})
	}
	for _, t := range r.tagList {
		ks = append(ks, segKey{dim: "tag", txt: t, dnc: r.dnc})
	}
	if r.spent > 0 {
		ks = append(ks, segKey{dim: "spent", dnc: r.dnc})
	}
	return ks
}

// same reports whether two rows hold the same kept values.
func (r *segRow) same(o *segRow) bool {
	return r.name == o.name && r.last == o.last && r.spent == o.spent && r.late == o.late && r.md == o.md && r.dnc == o.dnc &&
		r.email == o.email && r.sms == o.sms && r.post == o.post && r.tags == o.tags && r.spelled == o.spelled
}

// mdKey is a birthday's kept month and day.
func mdKey(month, day int64) string { return fmt.Sprintf("%d-%d", month, day) }

// parseMD reads mdKey's text back.
func parseMD(s string) (YearlyDate, bool) {
	var m, d int
	if _, err := fmt.Sscanf(s, "%d-%d", &m, &d); err != nil {
		return YearlyDate{}, false
	}
	return YearlyDate{Month: time.Month(m), Day: d}, true
}

// segRowOf is the kept row of a customer read with its consents.
func segRowOf(c *Customer, last, late Day, spent Cents) segRow {
	r := segRow{id: c.ID, name: strings.ToLower(c.Name), last: last, late: late, spent: spent, dnc: c.DoNotContact,
		email: c.Reachable(ChannelEmail), sms: c.Reachable(ChannelSMS), post: c.Reachable(ChannelPost)}
	if !c.Birthday.IsZero() {
		r.md = mdKey(int64(c.Birthday.Month), int64(c.Birthday.Day))
	}
	seen := map[string]bool{}
	r.tagList, r.spellings = []string{}, []string{}
	for _, spelt := range c.Tags {
		if t := strings.ToLower(spelt); !seen[t] {
			seen[t] = true
			r.tagList = append(r.tagList, t)
			r.spellings = append(r.spellings, spelt)
		}
	}
	b, _ := json.Marshal(r.tagList)
	r.tags = string(b)
	b, _ = json.Marshal(r.spellings)
	r.spelled = string(b)
	return r
}

// segFacts works out the kept rows from the facts, read through q: of
// every customer not forgotten, or (dirty) of those in segment_dirty.
func segFacts(ctx context.Context, q querier, dirty bool) (map[ID]*segRow, error) {
	custWhere, ownWhere := "forgotten = 0", "customer_id IS NOT NULL"
	if dirty {
		custWhere += " AND id IN (SELECT customer_id FROM segment_dirty)"
		ownWhere = "customer_id IN (SELECT customer_id FROM segment_dirty)"
	}
	cs := map[ID]*Customer{}
	var order []ID
	// Only what the kept row is made of, as scanCustomer reads it.
	rows, err := q.QueryContext(ctx, "SELECT id, name, phone, email, birthday_month, birthday_day, address, tags, do_not_contact FROM customers WHERE "+custWhere)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var c Customer
		var bm, bd sql.NullInt64
		var tags string
		if err := r.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &bm, &bd, &c.Address, &tags, &c.DoNotContact); err != nil {
			return err
		}
		if bm.Valid && bd.Valid {
			c.Birthday = YearlyDate{Month: time.Month(bm.Int64), Day: int(bd.Int64)}
		}
		c.Tags = splitTags(tags)
		cs[c.ID] = &c
		order = append(order, c.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT customer_id, channel FROM consents WHERE "+ownWhere)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var k Consent
		if err := r.Scan(&id, &k.Channel); err != nil {
			return err
		}
		if c := cs[id]; c != nil {
			c.Consents = append(c.Consents, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	last, late := map[ID]Day{}, map[ID]Day{}
	spent := map[ID]Cents{}
	rows, err = q.QueryContext(ctx, `SELECT customer_id, ifnull(max(CASE WHEN amount_cents > 0 THEN day END), ''), SUM(amount_cents - discount_cents), max(day)
		FROM purchases WHERE `+ownWhere+` AND voided = 0 GROUP BY customer_id`)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var day, newest string
		var sp int64
		if err := r.Scan(&id, &day, &sp, &newest); err != nil {
			return err
		}
		if day != "" {
			last[id] = packedDay(day)
		}
		late[id] = packedDay(newest)
		spent[id] = Cents(sp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[ID]*segRow, len(cs))
	for _, id := range order {
		r := segRowOf(cs[id], last[id], late[id], spent[id])
		out[id] = &r
	}
	return out, nil
}

// keptSegRows reads the kept rows: every one, or (dirty) those of the
// customers in segment_dirty.
func keptSegRows(ctx context.Context, q querier, dirty bool) (map[ID]*segRow, error) {
	where := ""
	if dirty {
		where = " WHERE customer_id IN (SELECT customer_id FROM segment_dirty)"
	}
	return keptSegRowsWhere(ctx, q, where, nil)
}

// keptSegRowsWhere reads the kept rows where says.
func keptSegRowsWhere(ctx context.Context, q querier, where string, args []any) (map[ID]*segRow, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+segRowCols+" FROM segment_customers"+where, args...)
	if err != nil {
		return nil, err
	}
	out := map[ID]*segRow{}
	err = eachRow(rows, func(rs *sql.Rows) error {
		var r segRow
		if err := rs.Scan(&r.id, &r.name, &r.last, &r.spent, &r.late, &r.md, &r.dnc, &r.email, &r.sms, &r.post, &r.tags, &r.spelled); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(r.tags), &r.tagList); err != nil {
			return fmt.Errorf("customer %d: kept tags %q: %w", r.id, r.tags, err)
		}
		if err := json.Unmarshal([]byte(r.spelled), &r.spellings); err != nil || len(r.spellings) != len(r.tagList) {
			return fmt.Errorf("customer %d: kept spellings %q do not go with the tags %q", r.id, r.spelled, r.tags)
		}
		out[r.id] = &r
		return nil
	})
	return out, err
}

// syncSegments brings the kept rows up to date inside tx. Like
// syncDerived it never fails the write: on trouble it marks the rows
// unusable (readers then work from the facts) and the next write works
// them all out afresh.
func (s *Store) syncSegments(ctx context.Context, tx *sql.Tx) {
	if err := s.refreshSegments(ctx, tx); err != nil {
		tx.ExecContext(ctx, "UPDATE segment_state SET ok = 0")
	}
}

func (s *Store) refreshSegments(ctx context.Context, tx *sql.Tx) error {
	var ok, rebuild bool
	var dirty int
	// A bulk write drops the triggers and clears the reminders'
	// fingerprint: then every row is worked out again.
	err := tx.QueryRowContext(ctx, `SELECT ok, (SELECT fingerprint = '' FROM reminder_cache),
		(SELECT count(*) FROM segment_dirty) FROM segment_state`).Scan(&ok, &rebuild, &dirty)
	if err != nil {
		return err
	}
	if ok && !rebuild && dirty == 0 {
		return nil
	}
	if !ok || rebuild {
		return s.rebuildSegments(ctx, tx)
	}
	want, err := segFacts(ctx, tx, true)
	if err != nil {
		return err
	}
	have, err := keptSegRows(ctx, tx, true)
	if err != nil {
		return err
	}
	delta := map[segKey]*segTally{}
	move := func(r *segRow, sign int64) {
		for _, k := range r.keys() {
			t := delta[k]
			if t == nil {
				t = &segTally{}
				delta[k] = t
			}
			t.add(r, sign)
		}
	}
	ins := newDemoInsert(ctx, tx, "segment_customers", segRowCols)
	tags := newDemoInsert(ctx, tx, "segment_tags", "tag, customer_id, spelling")
	for id, h := range have {
		if w := want[id]; w == nil || !w.same(h) {
			move(h, -1)
			if _, err := tx.ExecContext(ctx, "DELETE FROM segment_customers WHERE customer_id = ?", id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM segment_tags WHERE customer_id = ?", id); err != nil {
				return err
			}
		}
	}
	for id, w := range want {
		if h := have[id]; h == nil || !w.same(h) {
			move(w, 1)
			ins.add(w.args()...)
			w.addTags(tags)
		}
	}
	if err := ins.close(); err != nil {
		return err
	}
	if err := tags.close(); err != nil {
		return err
	}
	for k, t := range delta {
		if *t == (segTally{}) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO segment_counts(dim, num, txt, dnc, n, email, sms, post) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dim, num, txt, dnc) DO UPDATE SET n = n + excluded.n, email = email + excluded.email,
			sms = sms + excluded.sms, post = post + excluded.post`, k.dim, k.num, k.txt, k.dnc, t.n, t.email, t.sms, t.post); err != nil {
			return err
		}
		if t.n < 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM segment_counts WHERE dim = ? AND num = ? AND txt = ? AND dnc = ? AND n = 0",
				k.dim, k.num, k.txt, k.dnc); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM segment_dirty")
	return err
}

const segRowCols = "customer_id, name_key, last_sale, spent, late, md, dnc, email, sms, post, tags, spelled"

func (r *segRow) args() []any {
	return []any{r.id, r.name, int64(r.last), int64(r.spent), int64(r.late), r.md, r.dnc, r.email, r.sms, r.post, r.tags, r.spelled}
}

// addTags adds r's rows of segment_tags to ins.
func (r *segRow) addTags(ins *demoInsert) {
	for i, t := range r.tagList {
		ins.add(t, r.id, r.spellings[i])
	}
}

// segCounts counts rows by one filter at a time.
func segCounts(rows map[ID]*segRow) map[segKey]segTally {
	out := map[segKey]segTally{}
	for _, r := range rows {
		for _, k := range r.keys() {
			t := out[k]
			t.add(r, 1)
			out[k] = t
		}
	}
	return out
}

// rebuildSegments works every kept row and count out afresh.
func (s *Store) rebuildSegments(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{"DELETE FROM segment_customers", "DELETE FROM segment_tags", "DELETE FROM segment_counts", "DELETE FROM segment_dirty"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	rows, err := segFacts(ctx, tx, false)
	if err != nil {
		return err
	}
	// In order, so that the same shop makes the same file.
	ids := make([]ID, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ins := newDemoInsert(ctx, tx, "segment_customers", segRowCols)
	tags := newDemoInsert(ctx, tx, "segment_tags", "tag, customer_id, spelling")
	for _, id := range ids {
		ins.add(rows[id].args()...)
		rows[id].addTags(tags)
	}
	if err := ins.close(); err != nil {
		return err
	}
	if err := tags.close(); err != nil {
		return err
	}
	counts := newDemoInsert(ctx, tx, "segment_counts", "dim, num, txt, dnc, n, email, sms, post")
	tally := segCounts(rows)
	keys := make([]segKey, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b segKey) int {
		return cmp.Or(strings.Compare(a.dim, b.dim), cmp.Compare(a.num, b.num), strings.Compare(a.txt, b.txt), cmp.Compare(boolInt(a.dnc), boolInt(b.dnc)))
	})
	for _, k := range keys {
		t := tally[k]
		counts.add(k.dim, k.num, k.txt, k.dnc, t.n, t.email, t.sms, t.post)
	}
	if err := counts.close(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE segment_state SET ok = 1")
	return err
}

// segmentsStale counts, in SQL, what makes the kept rows out of date: a
// store that opens with them so works them out.
const segmentsStale = "(SELECT count(*) FROM segment_dirty) + (SELECT ok = 0 FROM segment_state)"
