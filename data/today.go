package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// What the reminder rules make of the database: Today, the calendar, a
// customer's history, and what people do with reminders.

// factSet is the facts as of a day of the customers read, grouped per
// customer.
type factSet struct {
	customers []customerFacts // in id order
	index     map[rules.ID]int
	states    map[string]reminderState
	engine    engine
	shop      string

	// Only filled when asked for: every purchase's description, the latest
	// day a customer's reminder state changed, and the customers holding
	// states moved to them by a merge.
	desc      map[rules.ID]string
	stateLast map[rules.ID]rules.Day
	stateKeys map[rules.ID][]string
	merged    map[rules.ID]bool

	// only, when set, limits a history to the reminders of these customers
	// due on these days: a page of Done today needs no more.
	only map[rules.ID]map[rules.Day]bool
}

// shopSettings are what reminders are computed and worded with.
type shopSettings struct {
	engine      engine
	shop        string
	rewardValue string // the scheme's, for messages
	words       rules.Wording
}

// readSettings reads the rules, the loyalty scheme and the shop's name.
func (s *Store) readSettings(ctx context.Context, q querier) (shopSettings, error) {
	rows, err := q.QueryContext(ctx, "SELECT key, value FROM settings WHERE key IN ('rules', 'loyalty', 'shop_name', 'currency', 'locale')")
	if err != nil {
		return shopSettings{}, s.explain(err)
	}
	v := map[string]string{}
	for rows.Next() {
		var k, x string
		if err := rows.Scan(&k, &x); err != nil {
			rows.Close()
			return shopSettings{}, s.explain(err)
		}
		v[k] = x
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return shopSettings{}, s.explain(err)
	}
	return settingsFrom(v)
}

// settingsFrom works the settings out from their stored values.
func settingsFrom(v map[string]string) (shopSettings, error) {
	ruleSet, err := rules.RulesFrom(v["rules"])
	if err != nil {
		return shopSettings{}, err
	}
	loyalty, err := rules.LoyaltyFrom(v["loyalty"])
	if err != nil {
		return shopSettings{}, err
	}
	shop := v["shop_name"]
	if shop == "" {
		shop = "our shop"
	}
	words := rules.WordingFrom(v["currency"], v["locale"])
	return shopSettings{engine: engine{ruleSet, loyalty}, shop: shop, rewardValue: words.Money(loyalty.RewardValue), words: words}, nil
}

// loadFacts reads every fact dated up to asOf in a few bulk queries (one per
// table, grouped in Go) so that the cost does not grow with one query per
// customer. With only set, just that customer is read.
func (s *Store) loadFacts(ctx context.Context, asOf rules.Day, only rules.ID) (*factSet, error) {
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	var ids []rules.ID
	if only != 0 {
		ids = []rules.ID{only}
	}
	return s.readFacts(ctx, s.reader(), set, asOf, ids, false)
}

// inListShare: up to one in inListShare of the shop's customers are read
// through the customer indexes; for more, reading whole tables in storage
// order is quicker (at 50,000 customers, 24,000 read for a Today a month
// back: 3.2–3.4 s along the indexes, 2.5–2.6 s whole).
const inListShare = 3

// readFacts reads, through q, the facts dated up to asOf of the customers
// in ids (in increasing order; nil means every customer, and an empty list
// none). With all set it also fills desc, stateLast and merged.
func (s *Store) readFacts(ctx context.Context, q querier, set shopSettings, asOf rules.Day, ids []rules.ID, all bool) (*factSet, error) {
	fs := &factSet{engine: set.engine, shop: set.shop, index: map[rules.ID]int{}, states: map[string]reminderState{}}
	if all {
		fs.desc, fs.stateLast, fs.stateKeys, fs.merged = map[rules.ID]string{}, map[rules.ID]rules.Day{}, map[rules.ID][]string{}, map[rules.ID]bool{}
	}
	if ids != nil && len(ids) == 0 {
		return fs, nil
	}
	whole := ids == nil
	if !whole && len(ids) > 500 {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil {
			return nil, s.explain(err)
		}
		whole = len(ids) > n/inListShare
	}
	if whole {
		var keep map[rules.ID]bool
		if ids != nil {
			keep = make(map[rules.ID]bool, len(ids))
			for _, id := range ids {
				keep[id] = true
			}
		}
		return fs, s.readFactsPart(ctx, q, fs, asOf, "", nil, keep, " ORDER BY rowid")
	}
	return fs, inBatches(ids, func(part []rules.ID) error {
		return s.readFactsPart(ctx, q, fs, asOf, " IN ("+marks(len(part))+")", idArgs(part), nil, "")
	})
}

// readFactsPart adds to fs the customers whose id is in (in, args), or
// every customer (in "") kept by keep (nil keeps all). Dated tables are
// read in order, which for a whole table is storage order: far quicker
// than following the customer index and looking each row up; Go sorts
// after. The customers come in increasing id order after those in fs.
func (s *Store) readFactsPart(ctx context.Context, q querier, fs *factSet, asOf rules.Day, in string, args []any, keep map[rules.ID]bool, order string) error {
	p := &factPart{s: s, q: q, fs: fs, in: in, args: args, keep: keep, order: order, first: len(fs.customers)}
	if err := p.readCustomers(ctx); err != nil {
		return err
	}
	if len(fs.customers) == p.first {
		return nil
	}
	p.dated = append([]any{asOf.String()}, args...)
	reads := []func(context.Context) error{
		p.readPurchases, p.readStates, p.readLedger, p.readContacts,
		p.readOccasions, p.readPromises, p.readComplaints,
	}
	// Each read fills its own part of every customer's facts, so on a pool
	// of connections two run at once: on two cores that halves the wait.
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(1)
	if _, pool := q.(*sql.DB); pool {
		g.SetLimit(2)
	}
	for _, read := range reads {
		g.Go(func() error { return read(ctx) })
	}
	return g.Wait()
}

// factPart is one read of readFactsPart: the customers asked for and where
// their facts go. Each dated table is read into one shared slice, sorted
// by (customer, day, id), and each customer gets a window of it: few
// allocations for hundreds of thousands of rows.
type factPart struct {
	s     *Store
	q     querier
	fs    *factSet
	in    string // " IN (?,...)" on the customer column, or "" for every customer
	args  []any  // the ids in in
	dated []any  // the as-of day, then args
	keep  map[rules.ID]bool
	order string // how whole dated tables are read
	first int    // the first customer of fs read by this part
	// of, when set, is where the rows go instead of fs (partial facts).
	of func(rules.ID) *customerFacts
}

// where limits a query to the customers asked for, by column col.
func (p *factPart) where(col string) string {
	if p.in == "" {
		return ""
	}
	return " AND " + col + p.in
}

// group is the facts of customer owner if this part read them, else nil.
func (p *factPart) group(owner rules.ID) *customerFacts {
	if p.of != nil {
		return p.of(owner)
	}
	if k, ok := p.fs.index[owner]; ok && k >= p.first {
		return &p.fs.customers[k]
	}
	return nil
}

// readCustomers adds the customers asked for. Forgotten customers have been
// erased and are never reminded.
func (p *factPart) readCustomers(ctx context.Context) error {
	fs := p.fs
	rows, err := p.q.QueryContext(ctx, "SELECT "+customerCols+" FROM customers WHERE forgotten = 0"+p.where("id")+" ORDER BY id", p.args...)
	if err != nil {
		return p.s.explain(err)
	}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			rows.Close()
			return p.s.explain(err)
		}
		if p.keep != nil && !p.keep[c.ID] {
			continue
		}
		fs.index[c.ID] = len(fs.customers)
		fs.customers = append(fs.customers, customerFacts{Customer: c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p.s.explain(err)
	}
	return nil
}

// readPurchases gives each customer its purchases up to the day, and fills
// fs.desc when it is asked for.
func (p *factPart) readPurchases(ctx context.Context) error {
	fs := p.fs
	var purchases []factPurchase
	var owners []rules.ID
	descCol := ""
	if fs.desc != nil {
		descCol = ", description"
	}
	err := p.s.scanEachOn(ctx, p.q, `SELECT customer_id, id, day, amount_cents, COALESCE(refund_of, 0)`+descCol+` FROM purchases
		WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ?`+p.where("customer_id")+p.order,
		p.dated, func(r *sql.Rows, day *sql.RawBytes) error {
			var cust rules.ID
			var fp factPurchase
			var desc string
			dest := []any{&cust, &fp.ID, day, &fp.Amount, &fp.RefundOf}
			if fs.desc != nil {
				dest = append(dest, &desc)
			}
			if err := r.Scan(dest...); err != nil {
				return err
			}
			if p.group(cust) == nil {
				return nil
			}
			fp.Day = dayFromBytes(*day)
			purchases = append(purchases, fp)
			owners = append(owners, cust)
			if desc != "" {
				fs.desc[fp.ID] = desc
			}
			return nil
		})
	if err != nil {
		return err
	}
	sortByOwner(owners, purchases, comparePurchaseFacts)
	groupRows(p.group, owners, purchases, func(f *customerFacts, v []factPurchase) { f.Purchases = v })
	return nil
}

// readContacts gives each customer the days it was contacted up to the day.
func (p *factPart) readContacts(ctx context.Context) error {
	var days []rules.Day
	var owners []rules.ID
	err := p.s.scanEachOn(ctx, p.q, `SELECT customer_id, day FROM contacts WHERE day <= ?`+p.where("customer_id")+p.order,
		p.dated, func(r *sql.Rows, day *sql.RawBytes) error {
			var cust rules.ID
			if err := r.Scan(&cust, day); err != nil {
				return err
			}
			if p.group(cust) == nil {
				return nil
			}
			days = append(days, dayFromBytes(*day))
			owners = append(owners, cust)
			return nil
		})
	if err != nil {
		return err
	}
	sortByOwner(owners, days, func(a, b rules.Day) int { return int(a) - int(b) })
	groupRows(p.group, owners, days, func(f *customerFacts, v []rules.Day) { f.ContactDays = v })
	return nil
}

// readLedger gives each customer its points ledger up to the day.
func (p *factPart) readLedger(ctx context.Context) error {
	var ledger []factLedger
	var owners []rules.ID
	err := p.s.scanEachOn(ctx, p.q, `SELECT customer_id, id, day, points, kind = 'redeem' FROM ledger WHERE day <= ?`+p.where("customer_id")+p.order,
		p.dated, func(r *sql.Rows, day *sql.RawBytes) error {
			var cust rules.ID
			var l factLedger
			if err := r.Scan(&cust, &l.ID, day, &l.Points, &l.Redeem); err != nil {
				return err
			}
			if p.group(cust) == nil {
				return nil
			}
			l.Day = dayFromBytes(*day)
			ledger = append(ledger, l)
			owners = append(owners, cust)
			return nil
		})
	if err != nil {
		return err
	}
	sortByOwner(owners, ledger, compareLedgerFacts)
	groupRows(p.group, owners, ledger, func(f *customerFacts, v []factLedger) { f.Ledger = v })
	return nil
}

// readOccasions gives each customer its occasions, whatever their day.
func (p *factPart) readOccasions(ctx context.Context) error {
	occasions, err := queryFactsOn(ctx, p.s, p.q, scanOccasion, "SELECT "+occasionCols+" FROM occasions WHERE 1=1"+p.where("customer_id")+" ORDER BY customer_id, id", p.args...)
	if err != nil {
		return err
	}
	groupRows(p.group, ownersOf(occasions, func(o rules.Occasion) rules.ID { return o.CustomerID }), occasions,
		func(f *customerFacts, v []rules.Occasion) { f.Occasions = v })
	return nil
}

// readPromises gives each customer the promises made to it up to the day.
func (p *factPart) readPromises(ctx context.Context) error {
	promises, err := queryFactsOn(ctx, p.s, p.q, scanPromise, "SELECT "+promiseCols+" FROM promises WHERE made_on <= ?"+p.where("customer_id")+" ORDER BY customer_id, id",
		p.dated...)
	if err != nil {
		return err
	}
	groupRows(p.group, ownersOf(promises, func(pr rules.Promise) rules.ID { return pr.CustomerID }), promises,
		func(f *customerFacts, v []rules.Promise) { f.Promises = v })
	return nil
}

// readComplaints gives each customer the complaints received up to the day.
func (p *factPart) readComplaints(ctx context.Context) error {
	complaints, err := queryFactsOn(ctx, p.s, p.q, scanComplaint, "SELECT "+complaintCols+" FROM complaints WHERE received_on <= ?"+p.where("customer_id")+" ORDER BY customer_id, id",
		p.dated...)
	if err != nil {
		return err
	}
	groupRows(p.group, ownersOf(complaints, func(c rules.Complaint) rules.ID { return c.CustomerID }), complaints,
		func(f *customerFacts, v []rules.Complaint) { f.Complaints = v })
	return nil
}

// readStates files the reminder states changed up to the day.
//
// A merge moves state rows to the surviving customer but keeps their
// keys, which name the customer merged away; they are found under the
// key the survivor's reminder has now. A row keyed for the survivor
// itself wins; of rows moved onto the same key, the latest change
// does (by day of change, then state, kind, customer, due, key). The rows are read in
// storage order, not along an index: that visits each row once.
func (p *factPart) readStates(ctx context.Context) error {
	stateOrder := " ORDER BY rowid"
	if p.in != "" {
		stateOrder = " ORDER BY customer_id, rowid"
	}
	filer := stateFiler{fs: p.fs}
	err := p.s.scanEachOn(ctx, p.q, `SELECT `+stateCols+` FROM reminder_states WHERE changed_on <= ?`+p.where("customer_id")+stateOrder, p.dated,
		func(r *sql.Rows, _ *sql.RawBytes) error {
			key, cust, st, err := scanStateRow(r)
			if err == nil && (p.keep == nil || p.group(cust) != nil) {
				filer.add(key, cust, st)
			}
			return err
		})
	if err != nil {
		return err
	}
	filer.done()
	return nil
}

// stateCols are the columns of a reminder state row scanStateRow reads.
const stateCols = "key, customer_id, state, snoozed_until, reason, staff, changed_on, COALESCE(contact_id, 0)"

// scanStateRow reads a reminder state row (stateCols): key, customer_id,
// state, snoozed_until, reason, staff, changed_on and the contact (0 for
// none).
func scanStateRow(r *sql.Rows) (string, rules.ID, reminderState, error) {
	var key, state string
	var cust rules.ID
	var until, changed sql.NullString
	var st reminderState
	err := r.Scan(&key, &cust, &state, &until, &st.Reason, &st.Staff, &changed, &st.ContactID)
	st.State, st.SnoozedUntil, st.ChangedOn = rules.State(state), scanDay(until), scanDay(changed)
	return key, cust, st, err
}

// scanEach runs q and calls fn for every row, with a reusable buffer for a
// day column so that reading days allocates nothing.
func (s *Store) scanEach(ctx context.Context, q string, args []any, fn func(r *sql.Rows, day *sql.RawBytes) error) error {
	return s.scanEachOn(ctx, s.reader(), q, args, fn)
}

// scanEachOn is scanEach through db.
func (s *Store) scanEachOn(ctx context.Context, db querier, q string, args []any, fn func(r *sql.Rows, day *sql.RawBytes) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return s.explain(err)
	}
	var day sql.RawBytes
	return s.explain(eachRow(rows, func(r *sql.Rows) error { return fn(r, &day) }))
}

// queryFactsOn is queryRows with the store's sentence for an error.
func queryFactsOn[T any](ctx context.Context, s *Store, q querier, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := queryRows(ctx, q, scan, query, args...)
	return rows, s.explain(err)
}

// dayFromBytes reads YYYY-MM-DD without allocating; anything else is no day.
func dayFromBytes(b []byte) rules.Day {
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
	if !rules.ValidDate(y, time.Month(m), d) {
		return 0
	}
	return rules.NewDay(y, time.Month(m), d)
}

// byOwner sorts rows and their owners together.
type byOwner[T any] struct {
	owners []rules.ID
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
func sortByOwner[T any](owners []rules.ID, rows []T, cmp func(a, b T) int) {
	b := byOwner[T]{owners, rows, cmp}
	if !sort.IsSorted(b) {
		sort.Sort(b)
	}
}

func ownersOf[T any](v []T, owner func(T) rules.ID) []rules.ID {
	out := make([]rules.ID, len(v))
	for i, x := range v {
		out[i] = owner(x)
	}
	return out
}

// groupRows hands each customer its run of rows; rows come grouped by
// owner, and owners group does not know are left out.
func groupRows[T any](group func(rules.ID) *customerFacts, owners []rules.ID, rows []T, set func(*customerFacts, []T)) {
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && owners[j] == owners[i] {
			j++
		}
		if f := group(owners[i]); f != nil {
			set(f, rows[i:j:j])
		}
		i = j
	}
}

// reminder builds the Reminder of candidate c with its state as seen on d.
func (fs *factSet) reminder(f *customerFacts, c *cand, d rules.Day) rules.Reminder {
	r := c.reminder(&f.Customer)
	st, has := fs.states[r.Key]
	applyState(&r, st, has, d)
	return r
}

// messageParts is what a reminder's Why and Message are made from, kept beside it
// until the list is sorted, so only the reminders returned get words.
type messageParts struct {
	c      cand
	name   string // the customer's
	asOf   rules.Day
	shown  rules.Day // the day the words are for
	points int64     // the balance as of asOf
	// last is what was bought last as of asOf; for a purchase's own
	// reminder, that purchase.
	last factPurchase
	// desc is last's description when it came with the reminder (known);
	// otherwise it is read when the words are made.
	desc  string
	known bool
}

// factWords is what words need from the facts of f.
func factWords(f *customerFacts, c *cand, asOf, shown rules.Day) messageParts {
	return factWordsWith(f, c, asOf, shown, balanceAsOf(f.Ledger, asOf), lastPurchase(f.Purchases, asOf))
}

// factWordsWith is factWords with f's balance and latest sale as of asOf
// already computed, for the many words of one customer and day.
func factWordsWith(f *customerFacts, c *cand, asOf, shown rules.Day, points int64, last factPurchase) messageParts {
	w := messageParts{c: *c, name: f.Customer.Name, asOf: asOf, shown: shown, points: points, last: last}
	if c.tag == "purchase" {
		w.last = factPurchase{ID: c.id, Day: c.event, Amount: c.amount}
	}
	return w
}

// lastPurchase is the latest sale (not refund) dated up to asOf.
func lastPurchase(ps []factPurchase, asOf rules.Day) factPurchase {
	var last factPurchase
	for _, p := range ps {
		if p.Amount > 0 && p.RefundOf == 0 && p.Day <= asOf {
			last = p
		}
	}
	return last
}

// finish fills Why and Message of every reminder.
func (s *Store) finish(ctx context.Context, set shopSettings, rs []rules.Reminder, ws []*messageParts) error {
	return s.finishNamed(ctx, set, rs, ws, namedPurchases(ws))
}

// namedPurchases are the purchases whose description messages name: what
// was bought is named for the purchases the list's thank-yous and
// check-ins are about; a message about anything else names the latest
// purchase only when it is one of those.
func namedPurchases(ws []*messageParts) map[rules.ID]bool {
	named := map[rules.ID]bool{}
	for _, w := range ws {
		if w.c.tag == "purchase" {
			named[w.c.id] = true
		}
	}
	return named
}

// finishNamed is finish with the purchases to name given.
func (s *Store) finishNamed(ctx context.Context, set shopSettings, rs []rules.Reminder, ws []*messageParts, named map[rules.ID]bool) error {
	tpl, err := s.messageTemplates(ctx)
	if err != nil {
		return err
	}
	desc, err := s.purchaseDescriptions(ctx, unknownNamed(ws, named))
	if err != nil {
		return err
	}
	set.wordAll(tpl.Render, rs, ws, named, desc)
	return nil
}

// unknownNamed are the named purchases whose descriptions did not come
// with the words.
func unknownNamed(ws []*messageParts, named map[rules.ID]bool) []rules.ID {
	var ids []rules.ID
	for _, w := range ws {
		if !w.known && named[w.last.ID] {
			ids = append(ids, w.last.ID)
		}
	}
	return ids
}

// wordAll fills Why and Message (by render) of every reminder from its
// words, with the descriptions (desc) of the named purchases.
func (set shopSettings) wordAll(render func(rules.Kind, rules.MessageFields) string, rs []rules.Reminder, ws []*messageParts, named map[rules.ID]bool, desc map[rules.ID]string) {
	word := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			w := ws[i]
			d := ""
			if named[w.last.ID] {
				if w.known {
					d = w.desc
				} else {
					d = desc[w.last.ID]
				}
			}
			fields := set.fields(w, d)
			rs[i].Why = set.why(&w.c, w.shown, fields)
			rs[i].Message = render(rs[i].Kind, fields)
		}
	}
	// Templates are the bulk of a long list's cost; they share nothing.
	parts := runtime.GOMAXPROCS(0)
	if len(rs) < 512 || parts < 2 {
		word(0, len(rs))
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := len(rs)*p/parts, len(rs)*(p+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			word(lo, hi)
		}()
	}
	wg.Wait()
}

// purchaseDescriptions reads what was bought, only for the purchases named:
// descriptions are the bulk of the purchases table and rarely needed.
func (s *Store) purchaseDescriptions(ctx context.Context, ids []rules.ID) (map[rules.ID]string, error) {
	return s.purchaseDescriptionsOn(ctx, s.reader(), ids)
}

// purchaseDescriptionsOn is purchaseDescriptions through db.
func (s *Store) purchaseDescriptionsOn(ctx context.Context, db querier, ids []rules.ID) (map[rules.ID]string, error) {
	out := map[rules.ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return out, inBatches(ids, func(part []rules.ID) error {
		q := "SELECT id, description FROM purchases WHERE id IN (" + marks(len(part)) + ")"
		return s.scanEachOn(ctx, db, q, idArgs(part), func(r *sql.Rows, _ *sql.RawBytes) error {
			var id rules.ID
			var d string
			err := r.Scan(&id, &d)
			out[id] = d
			return err
		})
	})
}

// fields are the template fields of one reminder; desc is what was
// bought, when it is to be named.
func (set shopSettings) fields(w *messageParts, desc string) rules.MessageFields {
	c := &w.c
	f := rules.MessageFields{
		FirstName: rules.FirstName(w.name), Name: w.name, ShopName: set.shop,
		Points:      w.points,
		RewardValue: set.rewardValue,
		Due:         set.words.DayMonth(c.due),
		Years:       c.years,
	}
	if f.FirstName == "" {
		f.FirstName = "there"
	}
	f.LastPurchase = "purchase"
	if w.last.ID != 0 {
		f.Amount = set.words.Money(w.last.Amount)
		if d := strings.TrimSpace(desc); d != "" {
			f.LastPurchase = d
		}
	}
	switch c.kind {
	case rules.KindOccasion:
		f.Occasion = c.text
	case rules.KindPromise:
		f.Promise = c.text
	case rules.KindCheckIn:
		if c.tag == "promise" {
			f.Promise = c.text
		}
	case rules.KindComplaintFollowup:
		f.Complaint = c.text
	case rules.KindPointsExpiring:
		f.ExpiringPoints = c.points
		f.ExpiresOn = set.words.DayMonth(c.event)
	}
	if c.event != 0 && c.event <= w.shown {
		f.Days = w.shown.Sub(c.event)
	}
	return f
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
func (set shopSettings) why(c *cand, d rules.Day, f rules.MessageFields) string {
	w := set.words
	switch c.kind {
	case rules.KindThankYou, rules.KindCheckIn:
		if c.tag == "promise" {
			return fmt.Sprintf("promise kept %s: %s", agoWords(d.Sub(c.event)), c.text)
		}
		s := "bought " + w.Money(c.amount)
		if f.LastPurchase != "purchase" && f.LastPurchase != "" {
			s += " (" + f.LastPurchase + ")"
		}
		return s + " " + agoWords(d.Sub(c.event))
	case rules.KindBirthday:
		s := "birthday on " + w.DayMonth(c.due)
		if c.years > 0 {
			s += fmt.Sprintf(" (%d)", c.years)
		}
		return s
	case rules.KindAnniversary:
		years := "1 year"
		if c.years != 1 {
			years = fmt.Sprintf("%d years", c.years)
		}
		return fmt.Sprintf("customer for %s on %s", years, w.DayMonth(c.due))
	case rules.KindOccasion:
		return c.text + " on " + w.DayMonth(c.due)
	case rules.KindPromise:
		return "promised: " + c.text
	case rules.KindComplaintFollowup:
		if c.suffix == "open" {
			return fmt.Sprintf("complaint open since %s: %s", w.DayMonth(c.event), c.text)
		}
		return fmt.Sprintf("complaint resolved on %s: %s", w.DayMonth(c.event), c.text)
	case rules.KindStayInTouch:
		if c.never {
			return "no purchase or contact since " + w.Date(c.event)
		}
		return "last seen " + agoWords(d.Sub(c.event))
	case rules.KindRewardReady:
		return fmt.Sprintf("%s points: a reward of %s is ready", w.Count(c.points), f.RewardValue)
	case rules.KindPointsExpiring:
		return fmt.Sprintf("%s points expire on %s", w.Count(c.points), w.DayMonth(c.event))
	}
	return ""
}

// sortToday orders reminders as the today command's contract says.
func sortToday(rs []rules.Reminder, ws []messageParts) ([]rules.Reminder, []*messageParts) {
	return sortBoth(rs, ws, compareToday)
}

// sortBoth sorts reminders and returns their words in the same order.
func sortBoth(rs []rules.Reminder, ws []messageParts, cmp func(a, b *rules.Reminder) int) ([]rules.Reminder, []*messageParts) {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp(&rs[i], &rs[j]) })
	r2 := make([]rules.Reminder, len(rs))
	w2 := make([]*messageParts, len(ws))
	for to, from := range idx {
		r2[to], w2[to] = rs[from], &ws[from]
	}
	return r2, w2
}

// TodayList lists what is on Today on d, in the order of the today command:
// most overdue first, then by due day, customer name and kind. It writes
// nothing; facts dated after d and actions taken after d are ignored. (It
// is not called Today because Store.Today is the current day.)
func (s *Store) TodayList(ctx context.Context, d rules.Day) ([]rules.Reminder, error) {
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	rs, ws, err := s.todayRemembered(ctx, set, d)
	if err != nil {
		return nil, err
	}
	rs, wp := sortToday(rs, ws)
	if err := s.finish(ctx, set, rs, wp); err != nil {
		return nil, err
	}
	return rs, nil
}

// collectToday gathers, unsorted and without words, what is on Today on
// d of the customers of fs.
func collectToday(fs *factSet, d rules.Day) ([]rules.Reminder, []messageParts) {
	var rs []rules.Reminder
	var ws []messageParts
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, d, func(c *cand) {
			if c.shownFrom > d || (c.until != 0 && d > c.until) {
				return
			}
			r := fs.reminder(f, c, d)
			if onToday(&r, d) {
				rs = append(rs, r)
				ws = append(ws, factWords(f, c, d, d))
			}
		})
	}
	return rs, ws
}

// upcomingKeeps applies Upcoming's test on d up to end to r, c's reminder
// with its state as seen on d.
func upcomingKeeps(c *cand, r *rules.Reminder, d, end rules.Day) bool {
	inRange := func(x rules.Day) bool { return x > d && x <= end }
	snoozedInto := c.shownFrom <= d && r.State == rules.StateSnoozed && r.SnoozedUntil > d && r.SnoozedUntil <= end &&
		(r.Until == 0 || r.SnoozedUntil <= r.Until)
	if !inRange(c.shownFrom) && !inRange(c.due) && !snoozedInto {
		return false
	}
	if onToday(r, d) || r.State == rules.StateDone || r.State == rules.StateSkipped || r.State == rules.StateMissed {
		return false
	}
	r.OverdueDays = 0
	return true
}

// collectUpcoming gathers, unsorted and without words, what Upcoming on d
// lists up to end of the customers of fs.
func collectUpcoming(fs *factSet, d, end rules.Day) ([]rules.Reminder, []messageParts) {
	var rs []rules.Reminder
	var ws []messageParts
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, end, func(c *cand) {
			r := fs.reminder(f, c, d)
			if upcomingKeeps(c, &r, d, end) {
				rs = append(rs, r)
				ws = append(ws, factWords(f, c, d, max(c.shownFrom, d)))
			}
		})
	}
	return rs, ws
}

// compareByDue orders by due day, customer name, kind, then id and key.
func compareByDue(a, b *rules.Reminder) int {
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
// computes each day from the facts as they stood on it.
func (s *Store) DueOn(ctx context.Context, from, to rules.Day) (map[rules.Day][]rules.Reminder, error) {
	return s.dueOn(ctx, from, to, true)
}

func (s *Store) dueOn(ctx context.Context, from, to rules.Day, worded bool) (map[rules.Day][]rules.Reminder, error) {
	if err := calendarDays(from, to); err != nil {
		return nil, err
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	rs, ws, err := s.dueRemembered(ctx, set, from, to)
	if err != nil {
		return nil, err
	}
	rs, wp := sortBoth(rs, ws, compareByDue)
	if worded {
		if err := s.finish(ctx, set, rs, wp); err != nil {
			return nil, err
		}
	}
	// rs is by due day, so each day's list is a run of it.
	out := map[rules.Day][]rules.Reminder{}
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].Due == rs[i].Due {
			j++
		}
		out[rs[i].Due] = rs[i:j:j]
		i = j
	}
	// Each day's list is in Today's order; all are due that day, so that
	// is by name, kind and customer.
	for _, list := range out {
		sorted := true
		for i := 1; i < len(list) && sorted; i++ {
			sorted = compareToday(&list[i-1], &list[i]) <= 0
		}
		if !sorted {
			slices.SortStableFunc(list, func(a, b rules.Reminder) int { return compareToday(&a, &b) })
		}
	}
	return out, nil
}

// compareToday is the today command's order: most overdue first, then by
// due day, customer name and kind; id and key make it total.
func compareToday(a, b *rules.Reminder) int {
	if a.OverdueDays != b.OverdueDays {
		return b.OverdueDays - a.OverdueDays
	}
	return compareByDue(a, b)
}

// CustomerReminders is one customer's reminders as of d, due up to 30 days
// ahead, in every state (open, done, snoozed, skipped, missed), newest due
// first: the history on the customer page.
func (s *Store) CustomerReminders(ctx context.Context, id rules.ID, d rules.Day) ([]rules.Reminder, error) {
	if _, err := s.Customer(ctx, id); err != nil {
		return nil, err
	}
	return s.history(ctx, d, d.AddDays(historyAhead), id, newestDueFirst)
}

// AllReminders is every reminder of every customer due on or before d, in
// every state as seen on d, by due day, customer and kind.
func (s *Store) AllReminders(ctx context.Context, d rules.Day) ([]rules.Reminder, error) {
	return s.history(ctx, d, d, 0, func(a, b *rules.Reminder) int {
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

func (s *Store) history(ctx context.Context, d, dueBy rules.Day, only rules.ID, cmp func(a, b *rules.Reminder) int) ([]rules.Reminder, error) {
	var ids []rules.ID
	if only != 0 {
		ids = []rules.ID{only}
	}
	return s.historyOnly(ctx, d, dueBy, ids, nil, cmp, nil)
}

// historyOnly is history for the customers in ids (nil: everyone), limited
// to the reminders of only (see factSet) when it is set. With keep set,
// only the reminders it keeps get words and are returned; the words are
// those the whole list would give them.
func (s *Store) historyOnly(ctx context.Context, d, dueBy rules.Day, ids []rules.ID, only map[rules.ID]map[rules.Day]bool, cmp func(a, b *rules.Reminder) int, keep func(r *rules.Reminder) bool) ([]rules.Reminder, error) {
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	fs, err := s.readFacts(ctx, s.reader(), set, d, ids, false)
	if err != nil {
		return nil, err
	}
	fs.only = only
	rs, wp, named := fs.history(d, dueBy, cmp, keep)
	if err := s.finishNamed(ctx, set, rs, wp, named); err != nil {
		return nil, err
	}
	return rs, nil
}

// ErrUnknownReminder means a key names no reminder the rules give.
var ErrUnknownReminder = errors.New("no such reminder")

// findReminder checks that key names a reminder of its customer as of
// today (due up to a year ahead, so one can be handled early).
func (s *Store) findReminder(ctx context.Context, key string) (rules.ReminderKey, error) {
	k, err := rules.ParseReminderKey(key)
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
func (s *Store) putState(ctx context.Context, tx *sql.Tx, k rules.ReminderKey, st reminderState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reminder_states(key, kind, customer_id, due, state, snoozed_until, reason, staff, changed_at, changed_on, contact_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(key) DO UPDATE SET state = excluded.state, snoozed_until = excluded.snoozed_until, reason = excluded.reason,
			staff = excluded.staff, changed_at = excluded.changed_at, changed_on = excluded.changed_on, contact_id = excluded.contact_id`,
		k.String(), string(k.Kind), k.CustomerID, k.Due.String(), string(st.State), nullDay(st.SnoozedUntil), st.Reason,
		staffOrOwnerName(st.Staff), fmtInstant(s.Now()), s.Today().String(), nullID(st.ContactID))
	if err != nil {
		return err
	}
	// The state's customer: the key's, or the customer a merge moved it to.
	var owner rules.ID
	if err := tx.QueryRowContext(ctx, "SELECT customer_id FROM reminder_states WHERE key = ?", k.String()).Scan(&owner); err != nil {
		return err
	}
	touch(tx, owner)
	return nil
}

func staffOrOwnerName(name string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return rules.OwnerName
}

// subjectID reads the id out of a subject such as "promise:12".
func subjectID(subject, tag string) (rules.ID, bool) {
	rest, ok := strings.CutPrefix(subject, tag+":")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ":")
	var id rules.ID
	if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// CompleteReminder marks a reminder done and logs the contact that did it,
// in one transaction. Completing a promise's reminder keeps the promise.
func (s *Store) CompleteReminder(ctx context.Context, key string, c rules.Contact) (rules.ID, error) {
	k, err := s.findReminder(ctx, key)
	if err != nil {
		return 0, err
	}
	if c.CustomerID != 0 && c.CustomerID != k.CustomerID {
		return 0, fmt.Errorf("reminder %s is for customer %d, not %d", key, k.CustomerID, c.CustomerID)
	}
	c.CustomerID = k.CustomerID
	c.ReminderKey = k.String()
	var contactID rules.ID
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if contactID, err = s.insertContact(ctx, tx, c); err != nil {
			return err
		}
		if k.Kind == rules.KindPromise {
			if id, ok := subjectID(k.Subject, "promise"); ok {
				if _, err := keepPromise(ctx, tx, id, s.Today(), s.Now(), c.Staff); err != nil {
					return err
				}
			}
		}
		return s.putState(ctx, tx, k, reminderState{State: rules.StateDone, Staff: c.Staff, ContactID: contactID})
	})
	if err != nil {
		return 0, err
	}
	return contactID, nil
}

// SnoozeReminder hides a reminder until a later day. It comes back on that
// day, but snoozing never moves the last day it stays on Today.
func (s *Store) SnoozeReminder(ctx context.Context, key string, until rules.Day, staff string) error {
	if until <= s.Today() {
		return fmt.Errorf("snooze until a day after today (%s)", s.Today())
	}
	k, err := s.findReminder(ctx, key)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.putState(ctx, tx, k, reminderState{State: rules.StateSnoozed, SnoozedUntil: until, Staff: staff})
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
		return s.putState(ctx, tx, k, reminderState{State: rules.StateSkipped, Reason: reason, Staff: staff})
	})
}

// ReopenReminder undoes done, snoozed or skipped. The contact logged stays
// (it happened); a promise kept by completing its reminder is owed again.
func (s *Store) ReopenReminder(ctx context.Context, key, staff string) error {
	k, err := rules.ParseReminderKey(key)
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
		if k.Kind == rules.KindPromise && rules.State(state) == rules.StateDone {
			if id, ok := subjectID(k.Subject, "promise"); ok {
				if _, err := tx.ExecContext(ctx, "UPDATE promises SET kept_on = NULL WHERE id = ?", id); err != nil {
					return err
				}
				touch(tx, k.CustomerID)
			}
		}
		return s.putState(ctx, tx, k, reminderState{State: rules.StateOpen, Staff: staff})
	})
}
