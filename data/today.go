package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// What the reminder rules make of the database: Today, the calendar, a
// customer's history, and what people do with reminders.

// factSet is the whole shop's facts as of a day, grouped per customer.
type factSet struct {
	customers []customerFacts // in id order
	index     map[ID]int
	states    map[string]reminderState
	engine    engine
	shop      string
}

// loadFacts reads every fact dated up to asOf in a few bulk queries (one per
// table, grouped in Go) so that the cost does not grow with one query per
// customer. With only set, just that customer is read.
func (s *Store) loadFacts(ctx context.Context, asOf Day, only ID) (*factSet, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	loyalty, err := s.Loyalty(ctx)
	if err != nil {
		return nil, err
	}
	shop, err := s.ShopName(ctx)
	if err != nil {
		return nil, err
	}
	fs := &factSet{engine: engine{rules, loyalty}, shop: shop, index: map[ID]int{}, states: map[string]reminderState{}}
	db := s.reader()
	where := func(col string) (string, []any) {
		if only != 0 {
			return " AND " + col + " = ?", []any{only}
		}
		return "", nil
	}

	// Customers. Forgotten customers have been erased and are never reminded.
	w, a := where("id")
	rows, err := db.QueryContext(ctx, "SELECT "+customerCols+" FROM customers WHERE forgotten = 0"+w+" ORDER BY id", a...)
	if err != nil {
		return nil, s.explain(err)
	}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			rows.Close()
			return nil, s.explain(err)
		}
		fs.index[c.ID] = len(fs.customers)
		fs.customers = append(fs.customers, customerFacts{Customer: c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}

	asOfText := asOf.String()
	// Each dated table is read into one shared slice, sorted by (customer,
	// day, id), and each customer gets a window of it: few allocations for
	// hundreds of thousands of rows.
	w, a = where("customer_id")
	var purchases []factPurchase
	var purchaseOwner []ID
	err = s.scanEach(ctx, `SELECT customer_id, id, day, amount_cents, COALESCE(refund_of, 0) FROM purchases
		WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ?`+w+tableOrder(only),
		append([]any{asOfText}, a...), func(r *sql.Rows, day *sql.RawBytes) error {
			var cust ID
			var p factPurchase
			if err := r.Scan(&cust, &p.ID, day, &p.Amount, &p.RefundOf); err != nil {
				return err
			}
			p.Day = dayFromBytes(*day)
			purchases = append(purchases, p)
			purchaseOwner = append(purchaseOwner, cust)
			return nil
		})
	if err != nil {
		return nil, err
	}
	sortByOwner(purchaseOwner, purchases, comparePurchaseFacts)
	groupInto(fs, purchaseOwner, purchases, func(f *customerFacts, v []factPurchase) { f.Purchases = v })

	var contactDays []Day
	var contactOwner []ID
	err = s.scanEach(ctx, `SELECT customer_id, day FROM contacts WHERE day <= ?`+w+tableOrder(only),
		append([]any{asOfText}, a...), func(r *sql.Rows, day *sql.RawBytes) error {
			var cust ID
			if err := r.Scan(&cust, day); err != nil {
				return err
			}
			contactDays = append(contactDays, dayFromBytes(*day))
			contactOwner = append(contactOwner, cust)
			return nil
		})
	if err != nil {
		return nil, err
	}
	sortByOwner(contactOwner, contactDays, func(a, b Day) int { return int(a) - int(b) })
	groupInto(fs, contactOwner, contactDays, func(f *customerFacts, v []Day) { f.ContactDays = v })

	var ledger []factLedger
	var ledgerOwner []ID
	err = s.scanEach(ctx, `SELECT customer_id, id, day, points, kind = 'redeem' FROM ledger WHERE day <= ?`+w+tableOrder(only),
		append([]any{asOfText}, a...), func(r *sql.Rows, day *sql.RawBytes) error {
			var cust ID
			var l factLedger
			if err := r.Scan(&cust, &l.ID, day, &l.Points, &l.Redeem); err != nil {
				return err
			}
			l.Day = dayFromBytes(*day)
			ledger = append(ledger, l)
			ledgerOwner = append(ledgerOwner, cust)
			return nil
		})
	if err != nil {
		return nil, err
	}
	sortByOwner(ledgerOwner, ledger, compareLedgerFacts)
	groupInto(fs, ledgerOwner, ledger, func(f *customerFacts, v []factLedger) { f.Ledger = v })

	occasions, err := queryFacts(ctx, s, scanOccasion, "SELECT "+occasionCols+" FROM occasions WHERE 1=1"+w+" ORDER BY customer_id, id", a...)
	if err != nil {
		return nil, err
	}
	groupInto(fs, ownersOf(occasions, func(o Occasion) ID { return o.CustomerID }), occasions,
		func(f *customerFacts, v []Occasion) { f.Occasions = v })

	promises, err := queryFacts(ctx, s, scanPromise, "SELECT "+promiseCols+" FROM promises WHERE made_on <= ?"+w+" ORDER BY customer_id, id",
		append([]any{asOfText}, a...)...)
	if err != nil {
		return nil, err
	}
	groupInto(fs, ownersOf(promises, func(p Promise) ID { return p.CustomerID }), promises,
		func(f *customerFacts, v []Promise) { f.Promises = v })

	complaints, err := queryFacts(ctx, s, scanComplaint, "SELECT "+complaintCols+" FROM complaints WHERE received_on <= ?"+w+" ORDER BY customer_id, id",
		append([]any{asOfText}, a...)...)
	if err != nil {
		return nil, err
	}
	groupInto(fs, ownersOf(complaints, func(c Complaint) ID { return c.CustomerID }), complaints,
		func(f *customerFacts, v []Complaint) { f.Complaints = v })

	// A merge moves state rows to the surviving customer but keeps their
	// keys, which name the customer merged away; they are found under the
	// key the survivor's reminder has now. A row keyed for the survivor
	// itself wins.
	moved := map[string]bool{}
	err = s.scanEach(ctx, `SELECT key, customer_id, state, snoozed_until, reason, staff, changed_on, COALESCE(contact_id, 0)
		FROM reminder_states WHERE changed_on <= ?`+w, append([]any{asOfText}, a...),
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var key, state string
			var cust ID
			var until, changed sql.NullString
			var st reminderState
			if err := r.Scan(&key, &cust, &state, &until, &st.Reason, &st.Staff, &changed, &st.ContactID); err != nil {
				return err
			}
			st.State, st.SnoozedUntil, st.ChangedOn = State(state), scanDay(until), scanDay(changed)
			if k, err := ParseReminderKey(key); err == nil && k.CustomerID != cust {
				k.CustomerID = cust
				key = k.String()
				if _, taken := fs.states[key]; taken && !moved[key] {
					return nil
				}
				moved[key] = true
			} else {
				delete(moved, key)
			}
			fs.states[key] = st
			return nil
		})
	if err != nil {
		return nil, err
	}
	return fs, nil
}

// scanEach runs q and calls fn for every row, with a reusable buffer for a
// day column so that reading days allocates nothing.
func (s *Store) scanEach(ctx context.Context, q string, args []any, fn func(r *sql.Rows, day *sql.RawBytes) error) error {
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return s.explain(err)
	}
	defer rows.Close()
	var day sql.RawBytes
	for rows.Next() {
		if err := fn(rows, &day); err != nil {
			return s.explain(err)
		}
	}
	return s.explain(rows.Err())
}

// dayFromBytes reads YYYY-MM-DD without allocating; anything else is no day.
func dayFromBytes(b []byte) Day {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0
	}
	num := func(p []byte) int {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(b[:4]), num(b[5:7]), num(b[8:])
	if !ValidDate(y, time.Month(m), d) {
		return 0
	}
	return NewDay(y, time.Month(m), d)
}

// tableOrder reads a whole table in storage order, which is far quicker
// than following the customer index and looking each row up; Go sorts
// after. For one customer the index is the quick way.
func tableOrder(only ID) string {
	if only != 0 {
		return ""
	}
	return " ORDER BY rowid"
}

// byOwner sorts rows and their owners together.
type byOwner[T any] struct {
	owners []ID
	rows   []T
	cmp    func(a, b T) int
}

func (b byOwner[T]) Len() int { return len(b.rows) }
func (b byOwner[T]) Less(i, j int) bool {
	if b.owners[i] != b.owners[j] {
		return b.owners[i] < b.owners[j]
	}
	return b.cmp(b.rows[i], b.rows[j]) < 0
}
func (b byOwner[T]) Swap(i, j int) {
	b.owners[i], b.owners[j] = b.owners[j], b.owners[i]
	b.rows[i], b.rows[j] = b.rows[j], b.rows[i]
}

// sortByOwner puts rows in (owner, cmp) order.
func sortByOwner[T any](owners []ID, rows []T, cmp func(a, b T) int) {
	b := byOwner[T]{owners, rows, cmp}
	if !sort.IsSorted(b) {
		sort.Sort(b)
	}
}

func ownersOf[T any](v []T, owner func(T) ID) []ID {
	out := make([]ID, len(v))
	for i, x := range v {
		out[i] = owner(x)
	}
	return out
}

// groupInto hands each customer its run of rows; rows come grouped by owner.
func groupInto[T any](fs *factSet, owners []ID, rows []T, set func(*customerFacts, []T)) {
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && owners[j] == owners[i] {
			j++
		}
		if k, ok := fs.index[owners[i]]; ok {
			set(&fs.customers[k], rows[i:j:j])
		}
		i = j
	}
}

// reminder builds the Reminder of candidate c with its state as seen on d.
func (fs *factSet) reminder(f *customerFacts, c *cand, d Day) Reminder {
	r := c.reminder(&f.Customer)
	st, has := fs.states[r.Key]
	applyState(&r, st, has, d)
	return r
}

// words is what a reminder's Why and Message are made from, kept beside it
// until the list is sorted, so only the reminders returned get words.
type words struct {
	c     cand
	f     *customerFacts
	asOf  Day
	shown Day // the day the words are for
}

// finish fills Why and Message of every reminder.
func (s *Store) finish(ctx context.Context, fs *factSet, rs []Reminder, ws []words) error {
	tpl, err := s.messageTemplates(ctx)
	if err != nil {
		return err
	}
	var ids []ID
	for i := range ws {
		if ws[i].c.tag == "purchase" {
			ids = append(ids, ws[i].c.id)
		}
	}
	desc, err := s.purchaseDescriptions(ctx, ids)
	if err != nil {
		return err
	}
	for i := range rs {
		w := &ws[i]
		fields := fs.fields(w, desc)
		rs[i].Why = why(&w.c, w.shown, fields)
		rs[i].Message = tpl.render(rs[i].Kind, fields)
	}
	return nil
}

// purchaseDescriptions reads what was bought, only for the purchases named:
// descriptions are the bulk of the purchases table and rarely needed.
func (s *Store) purchaseDescriptions(ctx context.Context, ids []ID) (map[ID]string, error) {
	out := map[ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		q := "SELECT id, description FROM purchases WHERE id IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		err := s.scanEach(ctx, q, args, func(r *sql.Rows, _ *sql.RawBytes) error {
			var id ID
			var d string
			if err := r.Scan(&id, &d); err != nil {
				return err
			}
			out[id] = d
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fields are the template fields of one reminder.
func (fs *factSet) fields(w *words, desc map[ID]string) MessageFields {
	cu := &w.f.Customer
	l := fs.engine.loyalty
	c := &w.c
	f := MessageFields{
		FirstName: FirstName(cu.Name), Name: cu.Name, ShopName: fs.shop,
		Points:      balanceAsOf(w.f.Ledger, w.asOf),
		RewardValue: l.RewardValue.String(),
		Due:         dayWords(c.due),
		Years:       c.years,
	}
	if f.FirstName == "" {
		f.FirstName = "there"
	}
	// What was bought last, for any kind: messages may mention it.
	var last factPurchase
	for _, p := range w.f.Purchases {
		if p.Amount > 0 && p.RefundOf == 0 && p.Day <= w.asOf {
			last = p
		}
	}
	if c.tag == "purchase" {
		last = factPurchase{ID: c.id, Day: c.event, Amount: c.amount}
	}
	f.LastPurchase = "purchase"
	if last.ID != 0 {
		f.Amount = last.Amount.String()
		if d := strings.TrimSpace(desc[last.ID]); d != "" {
			f.LastPurchase = d
		}
	}
	switch c.kind {
	case KindOccasion:
		f.Occasion = c.text
	case KindPromise:
		f.Promise = c.text
	case KindCheckIn:
		if c.tag == "promise" {
			f.Promise = c.text
		}
	case KindComplaintFollowup:
		f.Complaint = c.text
	case KindPointsExpiring:
		f.ExpiringPoints = c.points
		f.ExpiresOn = dayWords(c.event)
	}
	if c.event != 0 && c.event <= w.shown {
		f.Days = w.shown.Sub(c.event)
	}
	return f
}

// dayWords is a day for people: "12 June".
func dayWords(d Day) string {
	if d.IsZero() {
		return ""
	}
	_, m, dd := d.Date()
	return fmt.Sprintf("%d %s", dd, m)
}

func agoWords(n int) string {
	switch {
	case n <= 0:
		return "today"
	case n == 1:
		return "yesterday"
	}
	return fmt.Sprintf("%d days ago", n)
}

// why says in a few words why the reminder is there.
func why(c *cand, d Day, f MessageFields) string {
	switch c.kind {
	case KindThankYou, KindCheckIn:
		if c.tag == "promise" {
			return fmt.Sprintf("promise kept %s: %s", agoWords(d.Sub(c.event)), c.text)
		}
		s := "bought " + c.amount.String()
		if f.LastPurchase != "purchase" && f.LastPurchase != "" {
			s += " (" + f.LastPurchase + ")"
		}
		return s + " " + agoWords(d.Sub(c.event))
	case KindBirthday:
		s := "birthday on " + dayWords(c.due)
		if c.years > 0 {
			s += fmt.Sprintf(" (%d)", c.years)
		}
		return s
	case KindAnniversary:
		years := "1 year"
		if c.years != 1 {
			years = fmt.Sprintf("%d years", c.years)
		}
		return fmt.Sprintf("customer for %s on %s", years, dayWords(c.due))
	case KindOccasion:
		return c.text + " on " + dayWords(c.due)
	case KindPromise:
		return "promised: " + c.text
	case KindComplaintFollowup:
		if c.suffix == "open" {
			return fmt.Sprintf("complaint open since %s: %s", dayWords(c.event), c.text)
		}
		return fmt.Sprintf("complaint resolved on %s: %s", dayWords(c.event), c.text)
	case KindStayInTouch:
		if c.never {
			return fmt.Sprintf("no purchase or contact since %s %d", dayWords(c.event), c.event.Year())
		}
		return "last seen " + agoWords(d.Sub(c.event))
	case KindRewardReady:
		return fmt.Sprintf("%d points: a reward of %s is ready", c.points, f.RewardValue)
	case KindPointsExpiring:
		return fmt.Sprintf("%d points expire on %s", c.points, dayWords(c.event))
	}
	return ""
}

// sortToday orders reminders as the today command's contract says.
func sortToday(rs []Reminder, ws []words) { sortBoth(rs, ws, compareToday) }

// sortBoth sorts reminders and keeps their words beside them.
func sortBoth(rs []Reminder, ws []words, cmp func(a, b *Reminder) int) {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp(&rs[i], &rs[j]) })
	r2 := make([]Reminder, len(rs))
	w2 := make([]words, len(ws))
	for to, from := range idx {
		r2[to], w2[to] = rs[from], ws[from]
	}
	copy(rs, r2)
	copy(ws, w2)
}

// TodayList lists what is on Today on d, in the order of the today command:
// most overdue first, then by due day, customer name and kind. It writes
// nothing; facts dated after d and actions taken after d are ignored. (It
// is not called Today because Store.Today is the current day.)
func (s *Store) TodayList(ctx context.Context, d Day) ([]Reminder, error) {
	fs, err := s.loadFacts(ctx, d, 0)
	if err != nil {
		return nil, err
	}
	var rs []Reminder
	var ws []words
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, d, func(c *cand) {
			if c.shownFrom > d || (c.until != 0 && d > c.until) {
				return
			}
			r := fs.reminder(f, c, d)
			if onToday(&r, d) {
				rs = append(rs, r)
				ws = append(ws, words{c: *c, f: f, asOf: d, shown: d})
			}
		})
	}
	sortToday(rs, ws)
	if err := s.finish(ctx, fs, rs, ws); err != nil {
		return nil, err
	}
	return rs, nil
}

// Upcoming lists reminders not on Today on d that are shown or due in the
// next days days, as the facts stand on d, soonest first.
func (s *Store) Upcoming(ctx context.Context, d Day, days int) ([]Reminder, error) {
	if days < 0 {
		return nil, fmt.Errorf("the number of days ahead must not be negative")
	}
	end := d.AddDays(days)
	fs, err := s.loadFacts(ctx, d, 0)
	if err != nil {
		return nil, err
	}
	var rs []Reminder
	var ws []words
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, end, func(c *cand) {
			inRange := func(x Day) bool { return x > d && x <= end }
			if !inRange(c.shownFrom) && !inRange(c.due) && !fs.snoozedInto(f, c, d, end) {
				return
			}
			r := fs.reminder(f, c, d)
			if onToday(&r, d) || r.State == StateDone || r.State == StateSkipped {
				return
			}
			if r.State == StateMissed {
				return
			}
			r.OverdueDays = 0
			shown := max(c.shownFrom, d)
			rs = append(rs, r)
			ws = append(ws, words{c: *c, f: f, asOf: d, shown: shown})
		})
	}
	sortBoth(rs, ws, compareByDue)
	if err := s.finish(ctx, fs, rs, ws); err != nil {
		return nil, err
	}
	return rs, nil
}

// snoozedInto reports whether a reminder already shown is snoozed until a
// day in (d, end]: it comes back then, so it belongs to Upcoming.
func (fs *factSet) snoozedInto(f *customerFacts, c *cand, d, end Day) bool {
	if c.shownFrom > d {
		return false
	}
	r := fs.reminder(f, c, d)
	return r.State == StateSnoozed && r.SnoozedUntil > d && r.SnoozedUntil <= end && (r.Until == 0 || r.SnoozedUntil <= r.Until)
}

// compareByDue orders by due day, customer name, kind, then id and key.
func compareByDue(a, b *Reminder) int {
	switch {
	case a.Due != b.Due:
		return int(a.Due) - int(b.Due)
	case a.CustomerName != b.CustomerName:
		return strings.Compare(a.CustomerName, b.CustomerName)
	case a.Kind != b.Kind:
		return strings.Compare(string(a.Kind), string(b.Kind))
	case a.CustomerID != b.CustomerID:
		return cmpID(a.CustomerID, b.CustomerID)
	}
	return strings.Compare(a.Key, b.Key)
}

// DueOn gives, for each day X in [from, to], the reminders Today(X) lists
// that are due on X: what a calendar shows. It reads the database once and
// works out each day from the facts as they stood on it.
func (s *Store) DueOn(ctx context.Context, from, to Day) (map[Day][]Reminder, error) {
	if to < from {
		return nil, fmt.Errorf("the calendar ends (%s) before it starts (%s)", to, from)
	}
	if to.Sub(from) > 3660 {
		return nil, fmt.Errorf("a calendar covers at most ten years")
	}
	fs, err := s.loadFacts(ctx, to, 0)
	if err != nil {
		return nil, err
	}
	var rs []Reminder
	var ws []words
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.dueOn(f, from, to, func(x Day, c *cand) {
			r := fs.reminder(f, c, x)
			if onToday(&r, x) {
				rs = append(rs, r)
				ws = append(ws, words{c: *c, f: f, asOf: x, shown: x})
			}
		})
	}
	sortBoth(rs, ws, compareByDue)
	if err := s.finish(ctx, fs, rs, ws); err != nil {
		return nil, err
	}
	out := map[Day][]Reminder{}
	for _, r := range rs {
		out[r.Due] = append(out[r.Due], r)
	}
	// Each day's list is in Today's order; all are due that day, so that
	// is by name, kind and customer.
	for day := range out {
		list := out[day]
		slices.SortStableFunc(list, func(a, b Reminder) int { return compareToday(&a, &b) })
	}
	return out, nil
}

// compareToday is the today command's order: most overdue first, then by
// due day, customer name and kind; id and key make it total.
func compareToday(a, b *Reminder) int {
	if a.OverdueDays != b.OverdueDays {
		return b.OverdueDays - a.OverdueDays
	}
	return compareByDue(a, b)
}

// CustomerReminders is one customer's reminders as of d, due up to 30 days
// ahead, in every state (open, done, snoozed, skipped, missed), newest due
// first: the history on the customer page.
func (s *Store) CustomerReminders(ctx context.Context, id ID, d Day) ([]Reminder, error) {
	if _, err := s.Customer(ctx, id); err != nil {
		return nil, err
	}
	return s.history(ctx, d, d.AddDays(30), id, func(a, b *Reminder) int { return -compareByDue(a, b) })
}

// AllReminders is every reminder of every customer due on or before d, in
// every state as seen on d, by due day, customer and kind.
func (s *Store) AllReminders(ctx context.Context, d Day) ([]Reminder, error) {
	return s.history(ctx, d, d, 0, func(a, b *Reminder) int {
		switch {
		case a.Due != b.Due:
			return int(a.Due) - int(b.Due)
		case a.CustomerID != b.CustomerID:
			return cmpID(a.CustomerID, b.CustomerID)
		case a.Kind != b.Kind:
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		return strings.Compare(a.Key, b.Key)
	})
}

func (s *Store) history(ctx context.Context, d, dueBy Day, only ID, cmp func(a, b *Reminder) int) ([]Reminder, error) {
	fs, err := s.loadFacts(ctx, d, only)
	if err != nil {
		return nil, err
	}
	var rs []Reminder
	var ws []words
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, dueBy, func(c *cand) {
			if c.due > dueBy {
				return
			}
			rs = append(rs, fs.reminder(f, c, d))
			ws = append(ws, words{c: *c, f: f, asOf: d, shown: d})
		})
	}
	sortBoth(rs, ws, cmp)
	if err := s.finish(ctx, fs, rs, ws); err != nil {
		return nil, err
	}
	return rs, nil
}

// ErrUnknownReminder means a key names no reminder the rules give.
var ErrUnknownReminder = errors.New("no such reminder")

// findReminder checks that key names a reminder of its customer as of
// today (due up to a year ahead, so one can be handled early).
func (s *Store) findReminder(ctx context.Context, key string) (ReminderKey, error) {
	k, err := ParseReminderKey(key)
	if err != nil {
		return k, err
	}
	if _, err := s.Customer(ctx, k.CustomerID); err != nil {
		return k, fmt.Errorf("reminder %s: %w", key, err)
	}
	today := s.Today()
	fs, err := s.loadFacts(ctx, today, k.CustomerID)
	if err != nil {
		return k, err
	}
	found := false
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, today, today.AddDays(366), func(c *cand) {
			if !found && c.due == k.Due && c.kind == k.Kind && c.subjectString() == k.Subject {
				found = true
			}
		})
	}
	if !found {
		return k, fmt.Errorf("reminder %s: %w (it may have been handled or its facts changed)", key, ErrUnknownReminder)
	}
	return k, nil
}

// putState stores what was done with a reminder.
func (s *Store) putState(ctx context.Context, tx *sql.Tx, k ReminderKey, st reminderState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reminder_states(key, kind, customer_id, due, state, snoozed_until, reason, staff, changed_at, changed_on, contact_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(key) DO UPDATE SET state = excluded.state, snoozed_until = excluded.snoozed_until, reason = excluded.reason,
			staff = excluded.staff, changed_at = excluded.changed_at, changed_on = excluded.changed_on, contact_id = excluded.contact_id`,
		k.String(), string(k.Kind), k.CustomerID, k.Due.String(), string(st.State), nullDay(st.SnoozedUntil), st.Reason,
		staffOrOwnerName(st.Staff), fmtInstant(s.Now()), s.Today().String(), nullID(st.ContactID))
	return err
}

func staffOrOwnerName(name string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return OwnerName
}

// subjectID reads the id out of a subject such as "promise:12".
func subjectID(subject, tag string) (ID, bool) {
	rest, ok := strings.CutPrefix(subject, tag+":")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ":")
	var id ID
	if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// CompleteReminder marks a reminder done and logs the contact that did it,
// in one transaction. Completing a promise's reminder keeps the promise.
func (s *Store) CompleteReminder(ctx context.Context, key string, c Contact) (ID, error) {
	k, err := s.findReminder(ctx, key)
	if err != nil {
		return 0, err
	}
	if c.CustomerID != 0 && c.CustomerID != k.CustomerID {
		return 0, fmt.Errorf("reminder %s is for customer %d, not %d", key, k.CustomerID, c.CustomerID)
	}
	c.CustomerID = k.CustomerID
	c.ReminderKey = k.String()
	var contactID ID
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if contactID, err = s.insertContact(ctx, tx, c); err != nil {
			return err
		}
		if k.Kind == KindPromise {
			if id, ok := subjectID(k.Subject, "promise"); ok {
				if _, err := keepPromise(ctx, tx, id, s.Today(), s.Now(), c.Staff); err != nil {
					return err
				}
			}
		}
		return s.putState(ctx, tx, k, reminderState{State: StateDone, Staff: c.Staff, ContactID: contactID})
	})
	if err != nil {
		return 0, err
	}
	return contactID, nil
}

// SnoozeReminder hides a reminder until a later day. It comes back on that
// day, but snoozing never moves the last day it stays on Today.
func (s *Store) SnoozeReminder(ctx context.Context, key string, until Day, staff string) error {
	if until <= s.Today() {
		return fmt.Errorf("snooze until a day after today (%s)", s.Today())
	}
	k, err := s.findReminder(ctx, key)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.putState(ctx, tx, k, reminderState{State: StateSnoozed, SnoozedUntil: until, Staff: staff})
	})
}

// SkipReminder closes a reminder without doing it; the reason is kept.
func (s *Store) SkipReminder(ctx context.Context, key, reason, staff string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("say why the reminder is skipped")
	}
	k, err := s.findReminder(ctx, key)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.putState(ctx, tx, k, reminderState{State: StateSkipped, Reason: reason, Staff: staff})
	})
}

// ReopenReminder undoes done, snoozed or skipped. The contact logged stays
// (it happened); a promise kept by completing its reminder is owed again.
func (s *Store) ReopenReminder(ctx context.Context, key, staff string) error {
	k, err := ParseReminderKey(key)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, "SELECT state FROM reminder_states WHERE key = ?", k.String()).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reminder %s: %w (nothing was done with it)", key, ErrUnknownReminder)
		}
		if err != nil {
			return err
		}
		if k.Kind == KindPromise && State(state) == StateDone {
			if id, ok := subjectID(k.Subject, "promise"); ok {
				if _, err := tx.ExecContext(ctx, "UPDATE promises SET kept_on = NULL WHERE id = ?", id); err != nil {
					return err
				}
			}
		}
		return s.putState(ctx, tx, k, reminderState{State: StateOpen, Staff: staff})
	})
}
