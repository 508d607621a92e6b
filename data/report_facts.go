package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"strings"
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
// among ps (the sales up to day not voided, in id order) and, asked of the
// database, any other.
func (s *Store) countRedeemed(ctx context.Context, db querier, rf *reportFacts, ps []factPurchase, redeems []redeemRow) error {
	rf.redeemOwners = map[rules.ID]int64{}
	ids := make([]rules.ID, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
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

	custIDs   []rules.ID // the customers table, in id order
	forgotten []bool     // per row of custIDs
	custs     []rules.Customer

	pOwner []rules.ID // per purchase
	ps     []factPurchase
	disc   []rules.Cents
	// The money off on sales not voided from redeemFrom on; walk-ins'
	// apart too.
	redeemedValue, walkInValue rules.Cents

	lOwner  []rules.ID // per ledger row
	ls      []factLedger
	redeems []redeemRow

	contactLast map[rules.ID]rules.Day // the latest contact of each customer
	occasions   []rules.Occasion
	promises    []rules.Promise
	complaints  []rules.Complaint
}

// readReportFacts reads the shop as of day: all the rules read but the
// smaller tables (addSmallFacts), the points, and the money off from
// redeemFrom on.
func (s *Store) readReportFacts(ctx context.Context, day, redeemFrom rules.Day) (*reportFacts, error) {
	r := &factRows{redeemFrom: redeemFrom, day: day.String(), contactLast: map[rules.ID]rules.Day{}}
	err := parallel(func() error { return s.readPurchaseRows(ctx, r) }, func() error { return s.readLedgerRows(ctx, r) },
		func() error { return s.readCustomerRows(ctx, r) })
	if err != nil {
		return nil, err
	}
	rf := &reportFacts{redeemFrom: redeemFrom, redeemedValue: r.redeemedValue, walkInValue: r.walkInValue}
	if !redeemFrom.IsZero() {
		if err := s.countRedeemed(ctx, s.reader(), rf, r.ps, r.redeems); err != nil {
			return nil, err
		}
	}
	rf.slots = newSlotIndex(r.custIDs)
	rf.known = len(r.custIDs)
	rf.forgotten = r.forgotten
	pSlots := rf.slotsOf(r.pOwner)
	lSlots := rf.slotsOf(r.lOwner)
	rf.facts = make([]customerFacts, len(rf.slots.ids))
	for i, c := range r.custs {
		rf.facts[i].Customer = c
	}
	rf.addPurchases(r, pSlots)
	rf.addLedger(r, lSlots)
	return rf, nil
}

// slotsOf gives the slot of each of owners, numbering ids met for the
// first time.
func (rf *reportFacts) slotsOf(owners []rules.ID) []int32 {
	out := make([]int32, len(owners))
	for i, id := range owners {
		out[i] = rf.slots.add(id)
	}
	return out
}

// readCustomerRows reads the customers table: every id, whether it was
// forgotten, and what the rules read.
func (s *Store) readCustomerRows(ctx context.Context, r *factRows) error {
	cols := "id, forgotten, birthday_year, birthday_month, birthday_day, do_not_contact, customer_since, added_on"
	return s.eachTableRow(ctx, "customers", cols, "", nil, func(rows *sql.Rows, _ *sql.RawBytes) error {
		var id, gone, dnc int64
		var y, m, d sql.NullInt64
		var since, added sql.NullString
		if err := rows.Scan(&id, &gone, &y, &m, &d, &dnc, &since, &added); err != nil {
			return err
		}
		r.custIDs, r.forgotten = append(r.custIDs, id), append(r.forgotten, gone != 0)
		c := rules.Customer{ID: id, Forgotten: gone != 0, DoNotContact: dnc != 0, CustomerSince: scanDay(since), AddedOn: scanDay(added)}
		if m.Valid && d.Valid {
			c.Birthday = rules.YearlyDate{Year: int(y.Int64), Month: time.Month(m.Int64), Day: int(d.Int64)}
		}
		r.custs = append(r.custs, c)
		return nil
	})
}

// readPurchaseRows reads the purchases up to the day in storage order:
// following the customer index would look every row up.
func (s *Store) readPurchaseRows(ctx context.Context, r *factRows) error {
	from := r.redeemFrom
	return s.eachTableRow(ctx, "purchases", "customer_id, id, day, amount_cents, discount_cents, refund_of",
		"voided = 0 AND day <= ?", []any{r.day}, func(rows *sql.Rows, day *sql.RawBytes) error {
			var owner, refundOf sql.NullInt64
			var id, amount, discount int64
			if err := rows.Scan(&owner, &id, day, &amount, &discount, &refundOf); err != nil {
				return err
			}
			p := factPurchase{ID: id, Day: dayFromBytes(*day), Amount: rules.Cents(amount), RefundOf: refundOf.Int64}
			if discount > 0 && !from.IsZero() && p.Day >= from {
				r.redeemedValue += rules.Cents(discount)
				if !owner.Valid {
					r.walkInValue += rules.Cents(discount)
				}
			}
			if !owner.Valid {
				return nil // a walk-in
			}
			r.pOwner = append(r.pOwner, owner.Int64)
			r.ps = append(r.ps, p)
			r.disc = append(r.disc, rules.Cents(discount))
			return nil
		})
}

// readLedgerRows reads the ledger up to the day in id order, which the
// running balance keeps for rows of one day; a row's position stands in
// for its id. The last column is the sale a redeem row belongs to (0 for
// none), NULL for other rows.
func (s *Store) readLedgerRows(ctx context.Context, r *factRows) error {
	from := r.redeemFrom
	return s.eachTableRow(ctx, "ledger", "customer_id, day, points, CASE WHEN kind = 'redeem' THEN COALESCE(purchase_id, 0) END",
		"day <= ?", []any{r.day}, func(rows *sql.Rows, day *sql.RawBytes) error {
			var owner, points int64
			var redeem sql.NullInt64
			if err := rows.Scan(&owner, day, &points, &redeem); err != nil {
				return err
			}
			l := factLedger{ID: rules.ID(len(r.ls)), Day: dayFromBytes(*day), Points: points, Redeem: redeem.Valid}
			if l.Redeem && redeem.Int64 != 0 && !from.IsZero() && l.Day >= from {
				r.redeems = append(r.redeems, redeemRow{purchase: redeem.Int64, points: l.Points, owner: owner})
			}
			r.lOwner = append(r.lOwner, owner)
			r.ls = append(r.ls, l)
			return nil
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

// addSmallFacts reads the smaller tables the rules read, as of day, into
// facts read without them (readReportFacts).
func (s *Store) addSmallFacts(ctx context.Context, rf *reportFacts, day rules.Day) error {
	r := &factRows{day: day.String(), contactLast: map[rules.ID]rules.Day{}}
	if err := s.readRuleFacts(ctx, r); err != nil {
		return err
	}
	rf.addRuleFacts(r)
	return nil
}

// addPurchases groups the purchases by slot, in (day, id) order, and adds
// up what each slot spent, its visits and its money off.
func (rf *reportFacts) addPurchases(r *factRows, pSlots []int32) {
	n := len(rf.slots.ids)
	rf.spent = make([]rules.Cents, n)
	rf.visits = make([]int32, n)
	rf.hasLine = make([]bool, n)
	rf.valueBy = make([]rules.Cents, n)
	rf.redeemedBy = make([]int64, n)
	from := r.redeemFrom
	for i, p := range r.ps {
		sl := pSlots[i]
		rf.spent[sl] += p.Amount - r.disc[i]
		rf.hasLine[sl] = true
		if p.Amount > 0 {
			rf.visits[sl]++
		}
		if r.disc[i] > 0 && !from.IsZero() && p.Day >= from {
			rf.valueBy[sl] += r.disc[i]
		}
	}
	for id, points := range rf.redeemOwners {
		rf.redeemedBy[rf.slots.add(id)] += points
	}
	grouped, start := groupBySlot(pSlots, r.ps, n)
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
func (rf *reportFacts) addLedger(r *factRows, lSlots []int32) {
	n := len(rf.slots.ids)
	rf.balance = make([]int64, n)
	for i, l := range r.ls {
		rf.balance[lSlots[i]] += l.Points
	}
	grouped, start := groupBySlot(lSlots, r.ls, n)
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
