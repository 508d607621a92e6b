package data

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"time"
)

// The Reports page needs, for every customer, their sales, their points and
// what the reminder rules make of their facts. Asking SQL customer by
// customer follows an index and looks every row up (seconds at 50,000
// customers), and working out every reminder with its words costs more
// still. So each table is read once, in storage order, on several reader
// connections at once; the rows are grouped by customer in Go and every
// report is worked out from the same groups.

// slotIndex numbers customers densely, so that per-customer figures live in
// slices rather than maps.
type slotIndex struct {
	dense []int32 // id → slot+1, when ids are small enough
	m     map[ID]int32
	ids   []ID // slot → id
}

func newSlotIndex(ids []ID) slotIndex {
	x := slotIndex{ids: make([]ID, 0, len(ids))}
	var top ID
	for _, id := range ids {
		top = max(top, id)
	}
	if top >= 0 && top < ID(4*len(ids)+1024) {
		x.dense = make([]int32, top+1)
	} else {
		x.m = make(map[ID]int32, len(ids))
	}
	for _, id := range ids {
		x.add(id)
	}
	return x
}

func (x *slotIndex) get(id ID) (int32, bool) {
	if x.m == nil {
		if id >= 0 && id < ID(len(x.dense)) && x.dense[id] != 0 {
			return x.dense[id] - 1, true
		}
		return 0, false
	}
	i, ok := x.m[id]
	return i, ok
}

// add returns the slot of id, giving it the next one when it has none.
func (x *slotIndex) add(id ID) int32 {
	if i, ok := x.get(id); ok {
		return i
	}
	i := int32(len(x.ids))
	x.ids = append(x.ids, id)
	if x.m == nil && id >= 0 && id < ID(len(x.dense)) {
		x.dense[id] = i + 1
		return i
	}
	if x.m == nil {
		x.m = make(map[ID]int32, len(x.ids))
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

// parallel runs fns at once and returns the first error in their order.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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
	spent   []Cents
	visits  []int32
	balance []int64
	hasLine []bool // the customer has a purchase line (a sale or refund) up to day

	// The points redeemed on sales not voided from redeemFrom to day, and
	// the money off those sales; per slot too, walk-ins' money off apart.
	redeemFrom    Day
	redeemed      int64
	redeemedValue Cents
	redeemedBy    []int64
	valueBy       []Cents
	walkInValue   Cents
	redeemOwners  map[ID]int64 // points redeemed by the ledger rows' owner
}

// redeemRow is a redeem ledger row and the sale it belongs to.
type redeemRow struct {
	purchase ID
	points   int64
	owner    ID
}

// countRedeemed adds up the redeem rows whose sale is not voided: those
// among ps (the sales up to day not voided, in id order) and, asked of the
// database, any other.
func (s *Store) countRedeemed(ctx context.Context, db querier, rf *reportFacts, ps []factPurchase, redeems []redeemRow) error {
	rf.redeemOwners = map[ID]int64{}
	ids := make([]ID, len(ps))
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
	var asked []ID
	for _, r := range others {
		asked = append(asked, r.purchase)
	}
	slices.Sort(asked)
	asked = slices.Compact(asked)
	live := map[ID]bool{}
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

func idArgs(ids []ID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// factsWanted says what readReportFacts reads: the sales alone, or
// everything the reminder rules and the points need too.
type factsWanted struct {
	rules      bool    // everything the reminder rules read
	ledger     bool    // balances
	redeemFrom Day     // money off from this day on (zero: not needed)
	db         querier // where to read; nil: the readers
	ids        []ID    // when not nil, only the rows of these ids
}

// readReportFacts reads the shop as of day.
func (s *Store) readReportFacts(ctx context.Context, day Day, want factsWanted) (*reportFacts, error) {
	rf := &reportFacts{redeemFrom: want.redeemFrom}
	text := day.String()
	var db querier = s.reader()
	if want.db != nil {
		db = want.db
	}
	// in restricts a query to the ids wanted, if any.
	in := func(col string) (string, []any) {
		if want.ids == nil {
			return "", nil
		}
		if len(want.ids) == 0 {
			return " AND 0", nil
		}
		return " AND " + col + " IN (?" + strings.Repeat(",?", len(want.ids)-1) + ")", idArgs(want.ids)
	}

	var custIDs []ID
	var custs []Customer
	var forgotten []bool
	var pOwner, lOwner []ID
	var ps []factPurchase
	var disc []Cents
	var ls []factLedger
	var redeems []redeemRow
	contactLast := map[ID]Day{}
	var occasions []Occasion
	var promises []Promise
	var complaints []Complaint

	readCustomers := func() error {
		fields := []string{"id", "forgotten"}
		if want.rules {
			fields = append(fields, "birthday_year", "birthday_month", "birthday_day", "do_not_contact", "customer_since", "added_on")
		}
		return s.eachPacked(ctx, packedQuery{table: "customers", fields: fields, db: want.db, ids: want.ids, idCol: "id"}, func(f []string) error {
			var c Customer
			var gone int64
			var err error
			if c.ID, err = packedInt(f[0]); err != nil {
				return err
			}
			if gone, err = packedInt(f[1]); err != nil {
				return err
			}
			c.Forgotten = gone != 0
			custIDs = append(custIDs, c.ID)
			forgotten = append(forgotten, c.Forgotten)
			if !want.rules {
				return nil
			}
			var n [4]int64
			for i := range n {
				if n[i], err = packedInt(f[2+i]); err != nil {
					return err
				}
			}
			if len(f[3]) > 0 && len(f[4]) > 0 {
				c.Birthday = YearlyDate{Year: int(n[0]), Month: time.Month(n[1]), Day: int(n[2])}
			}
			c.DoNotContact = n[3] != 0
			c.CustomerSince = scanDay(sql.NullString{String: f[6], Valid: true})
			c.AddedOn = scanDay(sql.NullString{String: f[7], Valid: true})
			custs = append(custs, c)
			return nil
		})
	}

	// Purchases and ledger rows in storage order: following the customer
	// index would look every row up.
	readPurchases := func() error {
		if !want.rules && want.redeemFrom.IsZero() {
			return s.eachPacked(ctx, packedQuery{table: "purchases", fields: []string{"customer_id", "day"},
				where: "customer_id IS NOT NULL AND amount_cents > 0 AND voided = 0 AND day <= ?", args: []any{text},
				db: want.db, ids: want.ids, idCol: "customer_id"},
				func(f []string) error {
					owner, err := packedInt(f[0])
					if err != nil {
						return err
					}
					pOwner = append(pOwner, owner)
					ps = append(ps, factPurchase{Day: packedDay(f[1]), Amount: 1})
					disc = append(disc, 0)
					return nil
				})
		}
		var n [5]int64
		return s.eachPacked(ctx, packedQuery{table: "purchases", fields: []string{"customer_id", "id", "day", "amount_cents", "discount_cents", "refund_of"},
			where: "voided = 0 AND day <= ?", args: []any{text}, db: want.db, ids: want.ids, idCol: "customer_id"}, func(f []string) error {
			for i, k := range [5]int{0, 1, 3, 4, 5} {
				var err error
				if n[i], err = packedInt(f[k]); err != nil {
					return err
				}
			}
			p := factPurchase{ID: n[1], Day: packedDay(f[2]), Amount: Cents(n[2]), RefundOf: n[4]}
			discount := Cents(n[3])
			if discount > 0 && !want.redeemFrom.IsZero() && p.Day >= want.redeemFrom {
				rf.redeemedValue += discount
				if len(f[0]) == 0 {
					rf.walkInValue += discount
				}
			}
			if len(f[0]) == 0 {
				return nil // a walk-in
			}
			pOwner = append(pOwner, n[0])
			ps = append(ps, p)
			disc = append(disc, discount)
			return nil
		})
	}

	// Ledger rows come in id order, which the running balance keeps for
	// rows of one day; their position stands in for the id. The last field
	// is the sale a redeem row belongs to (0 for none), empty for other
	// rows.
	readLedger := func() error {
		if !want.rules && !want.ledger {
			return nil
		}
		var n [3]int64
		return s.eachPacked(ctx, packedQuery{table: "ledger", fields: []string{"customer_id", "day", "points", "CASE WHEN kind = 'redeem' THEN ifnull(purchase_id, 0) END"},
			where: "day <= ?", args: []any{text}, db: want.db, ids: want.ids, idCol: "customer_id"}, func(f []string) error {
			for i, k := range [3]int{0, 2, 3} {
				var err error
				if n[i], err = packedInt(f[k]); err != nil {
					return err
				}
			}
			l := factLedger{ID: ID(len(ls)), Day: packedDay(f[1]), Points: n[1], Redeem: len(f[3]) > 0}
			if l.Redeem && n[2] != 0 && !want.redeemFrom.IsZero() && l.Day >= want.redeemFrom {
				redeems = append(redeems, redeemRow{purchase: n[2], points: l.Points, owner: n[0]})
			}
			lOwner = append(lOwner, n[0])
			ls = append(ls, l)
			return nil
		})
	}

	// The rules read only the latest contact of a customer; the index on
	// (customer, day) gives it without touching the table.
	readSmall := func() error {
		if !want.rules {
			return nil
		}
		cond, args := in("customer_id")
		err := s.scanEachOn(ctx, db, `SELECT customer_id, max(day) FROM contacts WHERE day <= ?`+cond+` GROUP BY customer_id`, append([]any{text}, args...),
			func(r *sql.Rows, d *sql.RawBytes) error {
				var owner ID
				if err := r.Scan(&owner, d); err != nil {
					return err
				}
				contactLast[owner] = dayFromBytes(*d)
				return nil
			})
		if err != nil {
			return err
		}
		if occasions, err = queryFactsOn(ctx, s, db, scanOccasion, "SELECT "+occasionCols+" FROM occasions WHERE 1"+cond+" ORDER BY customer_id, id", args...); err != nil {
			return err
		}
		if promises, err = queryFactsOn(ctx, s, db, scanPromise, "SELECT "+promiseCols+" FROM promises WHERE made_on <= ?"+cond+" ORDER BY customer_id, id", append([]any{text}, args...)...); err != nil {
			return err
		}
		complaints, err = queryFactsOn(ctx, s, db, scanComplaint, "SELECT "+complaintCols+" FROM complaints WHERE received_on <= ?"+cond+" ORDER BY customer_id, id", append([]any{text}, args...)...)
		return err
	}

	if err := parallel(readPurchases, readLedger, readCustomers, readSmall); err != nil {
		return nil, err
	}

	if !want.redeemFrom.IsZero() {
		if err := s.countRedeemed(ctx, db, rf, ps, redeems); err != nil {
			return nil, err
		}
	}

	rf.slots = newSlotIndex(custIDs)
	rf.known = len(custIDs)
	rf.forgotten = forgotten
	slotsOf := func(owners []ID) []int32 {
		out := make([]int32, len(owners))
		for i, id := range owners {
			out[i] = rf.slots.add(id)
		}
		return out
	}
	pSlots := slotsOf(pOwner)
	lSlots := slotsOf(lOwner)
	n := len(rf.slots.ids)
	rf.facts = make([]customerFacts, n)
	for i, c := range custs {
		rf.facts[i].Customer = c
	}

	rf.spent = make([]Cents, n)
	rf.visits = make([]int32, n)
	rf.hasLine = make([]bool, n)
	rf.valueBy = make([]Cents, n)
	rf.redeemedBy = make([]int64, n)
	for i, p := range ps {
		sl := pSlots[i]
		rf.spent[sl] += p.Amount - disc[i]
		rf.hasLine[sl] = true
		if p.Amount > 0 {
			rf.visits[sl]++
		}
		if disc[i] > 0 && !want.redeemFrom.IsZero() && p.Day >= want.redeemFrom {
			rf.valueBy[sl] += disc[i]
		}
	}
	for id, points := range rf.redeemOwners {
		rf.redeemedBy[rf.slots.add(id)] += points
	}
	grouped, start := groupBySlot(pSlots, ps, n)
	for sl := range n {
		g := grouped[start[sl]:start[sl+1]:start[sl+1]]
		if !slices.IsSortedFunc(g, comparePurchaseFacts) {
			slices.SortFunc(g, comparePurchaseFacts)
		}
		rf.facts[sl].Purchases = g
	}

	if want.rules || want.ledger {
		rf.balance = make([]int64, n)
		for i, l := range ls {
			rf.balance[lSlots[i]] += l.Points
		}
	}
	if want.rules {
		groupedL, startL := groupBySlot(lSlots, ls, n)
		for sl := range n {
			g := groupedL[startL[sl]:startL[sl+1]:startL[sl+1]]
			if !slices.IsSortedFunc(g, compareLedgerFacts) {
				slices.SortFunc(g, compareLedgerFacts)
			}
			rf.facts[sl].Ledger = g
		}
		for id, d := range contactLast {
			if sl, ok := rf.slots.get(id); ok && sl < int32(rf.known) {
				rf.facts[sl].ContactDays = []Day{d}
			}
		}
		for _, o := range occasions {
			if f := rf.customer(o.CustomerID); f != nil {
				f.Occasions = append(f.Occasions, o)
			}
		}
		for _, p := range promises {
			if f := rf.customer(p.CustomerID); f != nil {
				f.Promises = append(f.Promises, p)
			}
		}
		for _, c := range complaints {
			if f := rf.customer(c.CustomerID); f != nil {
				f.Complaints = append(f.Complaints, c)
			}
		}
	}
	return rf, nil
}

// customer is the facts of a customer on the books, nil for any other id.
func (rf *reportFacts) customer(id ID) *customerFacts {
	if sl, ok := rf.slots.get(id); ok && int(sl) < rf.known {
		return &rf.facts[sl]
	}
	return nil
}
