package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// The Reports page needs, for every customer, their sales, their points and
// what the reminder rules make of their facts. Asking SQL customer by
// customer follows an index and looks every row up (seconds at 50,000
// customers), and working out every reminder with its words costs more
// still. So each table is read once, in storage order, on several reader
// connections at once; the rows are grouped by customer in Go and every
// report is computed from the same groups.

// slotIndex numbers customers densely, so that per-customer figures live in
// slices rather than maps.
type slotIndex struct {
	dense []int32 // id → slot+1, when ids are small enough
	m     map[rules.ID]int32
	ids   []rules.ID // slot → id
}

func newSlotIndex(ids []rules.ID) slotIndex {
	x := slotIndex{ids: make([]rules.ID, 0, len(ids))}
	var top rules.ID
	for _, id := range ids {
		top = max(top, id)
	}
	if top >= 0 && top < rules.ID(4*len(ids)+1024) {
		x.dense = make([]int32, top+1)
	} else {
		x.m = make(map[rules.ID]int32, len(ids))
	}
	for _, id := range ids {
		x.add(id)
	}
	return x
}

func (x *slotIndex) get(id rules.ID) (int32, bool) {
	if x.m == nil {
		if id >= 0 && id < rules.ID(len(x.dense)) && x.dense[id] != 0 {
			return x.dense[id] - 1, true
		}
		return 0, false
	}
	i, ok := x.m[id]
	return i, ok
}

// add returns the slot of id, giving it the next one when it has none.
func (x *slotIndex) add(id rules.ID) int32 {
	if i, ok := x.get(id); ok {
		return i
	}
	i := int32(len(x.ids))
	x.ids = append(x.ids, id)
	if x.m == nil && id >= 0 && id < rules.ID(len(x.dense)) {
		x.dense[id] = i + 1
		return i
	}
	if x.m == nil {
		x.m = make(map[rules.ID]int32, len(x.ids))
		for j, id := range x.ids[:i] {
			x.m[id] = int32(j)
		}
		x.dense = nil
	}
	x.m[id] = i
	return i
}

// groupBySlot orders rows by slot, keeping the order they came in within a
// slot (a counting sort: two passes, no comparisons); rows of slot s are
// out[start[s]:start[s+1]].
func groupBySlot[T any](slots []int32, rows []T, n int) (out []T, start []int32) {
	start = make([]int32, n+1)
	for _, s := range slots {
		start[s+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	next := slices.Clone(start[:n])
	out = make([]T, len(rows))
	for i, s := range slots {
		out[next[s]] = rows[i]
		next[s]++
	}
	return out, start
}

// groupPile is groupBySlot for the rows of a pile, keeping of each the
// part pick gives; rows of a negative slot are left out.
func groupPile[T, R any](slots []int32, p *pile[T], n int, pick func(*T) R) (out []R, start []int32) {
	start = make([]int32, n+1)
	for _, s := range slots {
		if s >= 0 {
			start[s+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	next := slices.Clone(start[:n])
	out = make([]R, start[n])
	p.each(func(i int, v *T) {
		if s := slots[i]; s >= 0 {
			out[next[s]] = pick(v)
			next[s]++
		}
	})
	return out, start
}

// maxWorkers is the most processors atOnce keeps busy.
const maxWorkers = 4

// atOnce calls fn(w, from, to) for stretches [from, to) that cover [0, n),
// on up to maxWorkers processors at once; w (below maxWorkers) tells the
// workers apart. A stretch goes to whichever worker is free: customers
// differ in how much history they hold, so equal parts are not equal work.
func atOnce(n int, fn func(w, from, to int)) {
	const stretch = 512
	workers := max(1, min(runtime.GOMAXPROCS(0), maxWorkers, n/stretch+1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(stretch)) - stretch
				if from >= n {
					return
				}
				fn(w, from, min(from+stretch, n))
			}
		}()
	}
	wg.Wait()
}

// parallel runs fns at once and returns the first error.
func parallel(fns ...func() error) error {
	var g errgroup.Group
	for _, fn := range fns {
		g.Go(fn)
	}
	return g.Wait()
}

// reportFacts is the shop as of a day, grouped by customer.
type reportFacts struct {
	slots slotIndex
	// The first known slots are the rows of the customers table, in id
	// order; later ones are ids only other tables name.
	known     int
	forgotten []bool // per known slot

	// Per slot: the facts the reminder rules read (customer rows only,
	// forgotten ones left out) and their purchases and ledger rows as of
	// day, in (day, id) order.
	facts []customerFacts

	// What the Top customers and points reports add up, per slot, as of
	// day: paid less discounts, sales, points.
	spent   []rules.Cents
	visits  []int32
	balance []int64
	hasLine []bool // the customer has a purchase line (a sale or refund) up to day

	// The points redeemed on sales not voided from redeemFrom to day, and
	// the money off those sales; per slot too, walk-ins' money off apart.
	redeemFrom    rules.Day
	redeemed      int64
	redeemedValue rules.Cents
	redeemedBy    []int64
	valueBy       []rules.Cents
	walkInValue   rules.Cents
	redeemOwners  map[rules.ID]int64 // points redeemed by the ledger rows' owner
}

// redeemRow is a redeem ledger row and the sale it belongs to.
type redeemRow struct {
	purchase rules.ID
	points   int64
	owner    rules.ID
}

// countRedeemed adds up the redeem rows whose sale is not voided: those
// among the sales up to day not voided (ps) and, asked of the database,
// any other.
func (s *Store) countRedeemed(ctx context.Context, db querier, rf *reportFacts, ps *pile[purchaseRow], redeems []redeemRow) error {
	rf.redeemOwners = map[rules.ID]int64{}
	ids := make([]rules.ID, ps.len())
	ps.each(func(i int, p *purchaseRow) { ids[i] = p.p.ID })
	if !slices.IsSorted(ids) {
		slices.Sort(ids)
	}
	var others []redeemRow
	for _, r := range redeems {
		if _, ok := slices.BinarySearch(ids, r.purchase); ok {
			rf.redeemed -= r.points
			rf.redeemOwners[r.owner] -= r.points
		} else {
			others = append(others, r)
		}
	}
	if len(others) == 0 {
		return nil
	}
	var asked []rules.ID
	for _, r := range others {
		asked = append(asked, r.purchase)
	}
	slices.Sort(asked)
	asked = slices.Compact(asked)
	live := map[rules.ID]bool{}
	const batch = 500
	for start := 0; start < len(asked); start += batch {
		part := asked[start:min(start+batch, len(asked))]
		found, err := idList(ctx, db, "SELECT id FROM purchases WHERE voided = 0 AND id IN (?"+strings.Repeat(",?", len(part)-1)+")", idArgs(part)...)
		if err != nil {
			return s.explain(err)
		}
		for _, id := range found {
			live[id] = true
		}
	}
	for _, r := range others {
		if live[r.purchase] {
			rf.redeemed -= r.points
			rf.redeemOwners[r.owner] -= r.points
		}
	}
	return nil
}

func idArgs(ids []rules.ID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// factRows are the rows readReportFacts reads, in the order the tables
// hold them, before they are grouped by customer. Each table's reader
// fills its own fields, so the readers run at once.
type factRows struct {
	redeemFrom rules.Day // money off from this day on (zero: not needed)
	day        string    // the report's day, as the tables write days

	custs pile[rules.Customer] // the customers table, in id order

	purchases pile[purchaseRow]
	// The money off on sales not voided from redeemFrom on; walk-ins'
	// apart too.
	redeemedValue, walkInValue rules.Cents

	ledger  pile[ledgerRow]
	redeems []redeemRow

	contactLast map[rules.ID]rules.Day // the latest contact of each customer
	occasions   []rules.Occasion
	promises    []rules.Promise
	complaints  []rules.Complaint
}

// purchaseRow is a purchase of a customer, not voided, with its money off.
type purchaseRow struct {
	owner rules.ID
	p     factPurchase
	disc  rules.Cents
}

// ledgerRow is a ledger row and its customer.
type ledgerRow struct {
	owner rules.ID
	l     factLedger
}

// newFactRows is where the readers of the shop as of day put their rows;
// the money off is counted from redeemFrom on.
func newFactRows(day, redeemFrom rules.Day) *factRows {
	return &factRows{redeemFrom: redeemFrom, day: day.String(), contactLast: map[rules.ID]rules.Day{}}
}

// reportFactsOf groups by customer what readPurchaseRows, readLedgerRows
// and readCustomerRows read: all the rules read but the smaller tables
// (addRuleFacts), the points, and the money off.
func (s *Store) reportFactsOf(ctx context.Context, r *factRows) (*reportFacts, error) {
	rf := &reportFacts{redeemFrom: r.redeemFrom, redeemedValue: r.redeemedValue, walkInValue: r.walkInValue}
	if !r.redeemFrom.IsZero() {
		if err := s.countRedeemed(ctx, s.reader(), rf, &r.purchases, r.redeems); err != nil {
			return nil, err
		}
	}
	ids := make([]rules.ID, r.custs.len())
	rf.forgotten = make([]bool, len(ids))
	r.custs.each(func(i int, c *rules.Customer) { ids[i], rf.forgotten[i] = c.ID, c.Forgotten })
	rf.slots = newSlotIndex(ids)
	rf.known = len(ids)
	pSlots := make([]int32, r.purchases.len())
	r.purchases.each(func(i int, p *purchaseRow) { pSlots[i] = rf.slots.add(p.owner) })
	lSlots := make([]int32, r.ledger.len())
	r.ledger.each(func(i int, l *ledgerRow) { lSlots[i] = rf.slots.add(l.owner) })
	for id := range rf.redeemOwners {
		rf.slots.add(id)
	}
	n := len(rf.slots.ids)
	rf.facts = make([]customerFacts, n)
	r.custs.each(func(i int, c *rules.Customer) { rf.facts[i].Customer = *c })
	// Each fills its own fields of rf; no slot is added from here on.
	err := parallel(func() error {
		rf.addPurchases(r, pSlots, n)
		return nil
	}, func() error {
		rf.addLedger(r, lSlots, n)
		return nil
	})
	return rf, err
}

// readCustomerRows reads the customers table: every id, whether it was
// forgotten, and what the rules read.
func (s *Store) readCustomerRows(ctx context.Context, r *factRows) error {
	cols := "id, forgotten, birthday_year, birthday_month, birthday_day, do_not_contact, customer_since, added_on"
	var v [8]any
	var c cells
	// A day that is no day, NULL included, reads as none.
	day := func(v any) rules.Day {
		if v == nil {
			return 0
		}
		return scanDay(sql.NullString{String: c.text(v), Valid: true})
	}
	return s.eachTableRow(ctx, "customers", cols, "", nil, func(rows *sql.Rows, _ *sql.RawBytes) error {
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]); err != nil {
			return err
		}
		cu := rules.Customer{ID: c.int(v[0]), Forgotten: c.int(v[1]) != 0, DoNotContact: c.int(v[5]) != 0,
			CustomerSince: day(v[6]), AddedOn: day(v[7])}
		if v[3] != nil && v[4] != nil {
			cu.Birthday = rules.YearlyDate{Year: int(c.nullInt(v[2])), Month: time.Month(c.int(v[3])), Day: int(c.int(v[4]))}
		}
		r.custs.add(cu)
		return c.err
	})
}

// readPurchaseRows reads the purchases up to the day in storage order:
// following the customer index would look every row up.
func (s *Store) readPurchaseRows(ctx context.Context, r *factRows) error {
	from := r.redeemFrom
	var v [6]any
	var c cells
	return s.eachTableRow(ctx, "purchases", "customer_id, id, day, amount_cents, discount_cents, refund_of",
		"voided = 0 AND day <= ?", []any{r.day}, func(rows *sql.Rows, _ *sql.RawBytes) error {
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
				return err
			}
			p := factPurchase{ID: c.int(v[1]), Day: c.dayOf(v[2]), Amount: rules.Cents(c.int(v[3])), RefundOf: c.nullInt(v[5])}
			discount := rules.Cents(c.int(v[4]))
			if discount > 0 && !from.IsZero() && p.Day >= from {
				r.redeemedValue += discount
				if v[0] == nil {
					r.walkInValue += discount
				}
			}
			if v[0] != nil { // else a walk-in
				r.purchases.add(purchaseRow{owner: c.int(v[0]), p: p, disc: discount})
			}
			return c.err
		})
}

// readLedgerRows reads the ledger up to the day in id order, which the
// running balance keeps for rows of one day; a row's position stands in
// for its id. The last column is the sale a redeem row belongs to (0 for
// none), NULL for other rows.
func (s *Store) readLedgerRows(ctx context.Context, r *factRows) error {
	from := r.redeemFrom
	var v [4]any
	var c cells
	return s.eachTableRow(ctx, "ledger", "customer_id, day, points, CASE WHEN kind = 'redeem' THEN COALESCE(purchase_id, 0) END",
		"day <= ?", []any{r.day}, func(rows *sql.Rows, _ *sql.RawBytes) error {
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3]); err != nil {
				return err
			}
			owner := c.int(v[0])
			l := factLedger{ID: rules.ID(r.ledger.len()), Day: c.dayOf(v[1]), Points: c.int(v[2]), Redeem: v[3] != nil}
			if l.Redeem && !from.IsZero() && l.Day >= from {
				if sale := c.int(v[3]); sale != 0 {
					r.redeems = append(r.redeems, redeemRow{purchase: sale, points: l.Points, owner: owner})
				}
			}
			r.ledger.add(ledgerRow{owner: owner, l: l})
			return c.err
		})
}

// readRuleFacts reads the smaller tables the rules read. The rules read
// only the latest contact of a customer; the index on (customer, day)
// gives it without touching the table.
func (s *Store) readRuleFacts(ctx context.Context, r *factRows) error {
	db := s.reader()
	if err := s.readLastContacts(ctx, r); err != nil {
		return err
	}
	var err error
	if r.occasions, err = queryFactsOn(ctx, s, db, scanOccasion, "SELECT "+occasionCols+" FROM occasions ORDER BY customer_id, id"); err != nil {
		return err
	}
	if r.promises, err = queryFactsOn(ctx, s, db, scanPromise, "SELECT "+promiseCols+" FROM promises WHERE made_on <= ? ORDER BY customer_id, id", r.day); err != nil {
		return err
	}
	r.complaints, err = queryFactsOn(ctx, s, db, scanComplaint, "SELECT "+complaintCols+" FROM complaints WHERE received_on <= ? ORDER BY customer_id, id", r.day)
	return err
}

// readLastContacts reads the day of each customer's latest contact up to
// the day.
func (s *Store) readLastContacts(ctx context.Context, r *factRows) error {
	const q = `SELECT customer_id, max(day) FROM contacts WHERE day <= ? GROUP BY customer_id`
	return s.scanEach(ctx, q, []any{r.day}, func(rows *sql.Rows, d *sql.RawBytes) error {
		var owner rules.ID
		if err := rows.Scan(&owner, d); err != nil {
			return err
		}
		r.contactLast[owner] = dayFromBytes(*d)
		return nil
	})
}

// addPurchases groups the purchases by slot, in (day, id) order, and adds
// up what each slot spent, its visits and its money off.
func (rf *reportFacts) addPurchases(r *factRows, pSlots []int32, n int) {
	rf.spent = make([]rules.Cents, n)
	rf.visits = make([]int32, n)
	rf.hasLine = make([]bool, n)
	rf.valueBy = make([]rules.Cents, n)
	rf.redeemedBy = make([]int64, n)
	from := r.redeemFrom
	r.purchases.each(func(i int, row *purchaseRow) {
		sl, p := pSlots[i], &row.p
		rf.spent[sl] += p.Amount - row.disc
		rf.hasLine[sl] = true
		if p.Amount > 0 {
			rf.visits[sl]++
		}
		if row.disc > 0 && !from.IsZero() && p.Day >= from {
			rf.valueBy[sl] += row.disc
		}
	})
	for id, points := range rf.redeemOwners {
		sl, _ := rf.slots.get(id)
		rf.redeemedBy[sl] += points
	}
	grouped, start := groupPile(pSlots, &r.purchases, n, func(row *purchaseRow) factPurchase { return row.p })
	for sl := range n {
		g := grouped[start[sl]:start[sl+1]:start[sl+1]]
		if !slices.IsSortedFunc(g, comparePurchaseFacts) {
			slices.SortFunc(g, comparePurchaseFacts)
		}
		rf.facts[sl].Purchases = g
	}
}

// addLedger adds up each slot's balance and, for the rules, groups the
// ledger rows by slot in (day, id) order.
func (rf *reportFacts) addLedger(r *factRows, lSlots []int32, n int) {
	rf.balance = make([]int64, n)
	r.ledger.each(func(i int, row *ledgerRow) { rf.balance[lSlots[i]] += row.l.Points })
	grouped, start := groupPile(lSlots, &r.ledger, n, func(row *ledgerRow) factLedger { return row.l })
	for sl := range n {
		g := grouped[start[sl]:start[sl+1]:start[sl+1]]
		if !slices.IsSortedFunc(g, compareLedgerFacts) {
			slices.SortFunc(g, compareLedgerFacts)
		}
		rf.facts[sl].Ledger = g
	}
}

// addRuleFacts gives the customers on the books their latest contact,
// occasions, promises and complaints.
func (rf *reportFacts) addRuleFacts(r *factRows) {
	for id, d := range r.contactLast {
		if f := rf.customer(id); f != nil {
			f.ContactDays = []rules.Day{d}
		}
	}
	for _, o := range r.occasions {
		if f := rf.customer(o.CustomerID); f != nil {
			f.Occasions = append(f.Occasions, o)
		}
	}
	for _, p := range r.promises {
		if f := rf.customer(p.CustomerID); f != nil {
			f.Promises = append(f.Promises, p)
		}
	}
	for _, c := range r.complaints {
		if f := rf.customer(c.CustomerID); f != nil {
			f.Complaints = append(f.Complaints, c)
		}
	}
}

// customer is the facts of a customer on the books, nil for any other id.
func (rf *reportFacts) customer(id rules.ID) *customerFacts {
	if sl, ok := rf.slots.get(id); ok && int(sl) < rf.known {
		return &rf.facts[sl]
	}
	return nil
}
