package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"regulars/rules"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// Today from the facts and the summary rows, without the reminder caches.
//
// A customer's reminders on a day come from a few facts near it, from the
// small tables of promises, complaints and occasions, and from what their
// summary row holds. So Today reads, for the whole shop:
//   - the customer rows, occasions, promises, complaints and summary rows;
//   - the sales and refunds of the last three months, enough to give each
//     thank-you and check-in that can be shown (a thank-you depends on the
//     one before it, so each customer's sales are read back to a sale that
//     came a whole gap after the one before: from there the rule gives what
//     it gives on their whole history; those who buy more often are read
//     back further, a few times, then whole);
//   - stay in touch from the latest sale and contact, reward ready from the
//     balance and the day it reached a reward (the summary row).
//
// The busy customers have their facts read in full instead: those with
// points that may expire in the days asked, with reminder states moved to
// them by a merge, with a refund dated before its sale (written by hand),
// or, for a span of days, with a fact dated after its first (the summary
// is as the facts stand; for one day, it is taken back to it).

// partialFacts is what Today, Upcoming and the calendar read of the whole
// shop; the busy customers among them are read from their facts instead.
type partialFacts struct {
	customers []customerFacts // Purchases hold only what the rules need
	sums      []CustomerSummary
	busy      map[rules.ID]bool // to be read in full, not from these
	recent    recentSales       // the sales the purchases were cut from
}

// busyList is the busy customers in increasing order; nil, for everyone,
// when pf holds no one (a file made before the summary rows).
func (pf *partialFacts) busyList() []rules.ID {
	if pf.customers == nil {
		return nil
	}
	ids := slices.AppendSeq(make([]rules.ID, 0, len(pf.busy)), maps.Keys(pf.busy)) // empty, not nil
	slices.Sort(ids)
	return ids
}

// purchaseWindow is how far back a sale can still give a thank-you or
// check-in on a day: the longest after plus stay of the two rules.
func purchaseWindow(e engine) int {
	n := 0
	for _, k := range []rules.Kind{rules.KindThankYou, rules.KindCheckIn} {
		n = max(n, e.rules[k].AfterDays+e.rules[k].StayDays)
	}
	return n
}

// readPartial reads, as of d, what Today and Upcoming up to end need of
// every customer (forgotten ones aside), and which are busy. For Today (end
// is d), the customers with facts dated after d have their summary rows
// taken back to d (summariesAsOf); for a span, they are busy.
func (s *Store) readPartial(ctx context.Context, q querier, e engine, d, end rules.Day) (*partialFacts, error) {
	// The busy customers are found on other connections meanwhile.
	var busy map[rules.ID]bool
	var later []rules.ID
	var base *partialFacts
	var g errgroup.Group
	g.Go(func() (err error) { busy, err = s.busyIDs(ctx, q, e, d, end); return err })
	g.Go(func() (err error) {
		later, err = idList(ctx, q, "SELECT customer_id FROM customer_summary WHERE last_fact_day > ? ORDER BY customer_id", d.String())
		return err
	})
	g.Go(func() (err error) { base, err = s.partialBase(ctx, q, e, d); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	pf := &partialFacts{customers: base.customers, sums: base.sums, busy: busy}
	if d != end {
		for _, id := range later {
			busy[id] = true
		}
		return pf, nil
	}
	return pf, s.summariesAsOf(ctx, q, e, pf, base.recent, later, d)
}

// summariesAsOf takes the summary rows of the customers later (in
// increasing order), who have facts dated after d, back to d: the balance
// less the points dated after d, the latest sale up to d from the recent
// sales, the latest contact up to d. A reward ready now and already on d
// was ready since the same day (the balance has stayed at a reward since,
// or it would have reached it again later); any other balance at a reward
// on d is worked out from the customer's ledger up to d, and a latest sale
// before the recent ones is read.
func (s *Store) summariesAsOf(ctx context.Context, q querier, e engine, pf *partialFacts, recent recentSales, later []rules.ID, d rules.Day) error {
	if len(later) == 0 {
		return nil
	}
	pf.sums = slices.Clone(pf.sums) // the base's rows are shared
	after := map[rules.ID]int64{}   // points dated after d
	contact := map[rules.ID]rules.Day{}
	var g errgroup.Group
	g.Go(func() error {
		return s.eachOfIDs(ctx, q, later, "SELECT customer_id, points FROM ledger WHERE customer_id IN (%s) AND day > ?",
			func(r *sql.Rows, _ *sql.RawBytes) error {
				var id rules.ID
				var n int64
				err := r.Scan(&id, &n)
				after[id] += n
				return err
			}, d.String())
	})
	g.Go(func() error {
		return s.eachOfIDs(ctx, q, later, "SELECT customer_id, MAX(day) FROM contacts WHERE customer_id IN (%s) AND day <= ? GROUP BY customer_id",
			func(r *sql.Rows, day *sql.RawBytes) error {
				var id rules.ID
				err := r.Scan(&id, day)
				contact[id] = dayFromBytes(*day)
				return err
			}, d.String())
	})
	if err := g.Wait(); err != nil {
		return err
	}
	need := e.loyalty.RewardPoints
	var walk, older []rules.ID // whose ledger up to d, or sales before the recent ones, are read
	for _, id := range later {
		sum := pf.sumOf(id)
		if sum == nil || pf.busy[id] {
			continue
		}
		sum.Balance -= after[id]
		if sum.RewardReadyOn > d {
			sum.RewardReadyOn = 0
		}
		if sum.RewardReadyOn.IsZero() && need > 0 && sum.Balance >= need {
			walk = append(walk, id)
		}
		if sum.LastContactDay > d {
			sum.LastContactDay = contact[id]
		}
		if sum.LastSaleDay > d {
			sale, ok := recent.lastSale(id, d)
			if !ok {
				older = append(older, id)
			}
			sum.LastSaleID, sum.LastSaleDay, sum.LastSaleCents = sale.ID, sale.Day, sale.Amount
		}
	}
	g.Go(func() error { return s.readyOn(ctx, q, pf, walk, need, d) })
	g.Go(func() error {
		// The latest sale up to d came before the recent ones.
		sales, err := s.purchasesOfSpan(ctx, q, older, 0, recent.lo)
		for id, ps := range sales {
			sale := lastPurchase(ps, d)
			sum := pf.sumOf(id)
			sum.LastSaleID, sum.LastSaleDay, sum.LastSaleCents = sale.ID, sale.Day, sale.Amount
		}
		return err
	})
	return g.Wait()
}

// readyOn sets the day a reward became ready as of d for the customers
// ids of pf, whose balance on d is at a reward of need points, from their
// ledger up to d. Their points alone are read (an index holds them); a
// drop after the day the balance reached the reward may be a redeem, which
// ends it: for those few, the redeems are read too.
func (s *Store) readyOn(ctx context.Context, q querier, pf *partialFacts, ids []rules.ID, need int64, d rules.Day) error {
	var rows []factLedger
	var owner rules.ID
	unsure := map[rules.ID]rules.Day{} // the day reached, unless a redeem came after it
	reached := func() {
		if len(rows) == 0 {
			return
		}
		slices.SortFunc(rows, compareLedgerFacts)
		day, _ := readySince(rows, need) // no row marked a redeem
		for i := range rows {
			rows[i].Redeem = rows[i].Points < 0
		}
		pf.sumOf(owner).RewardReadyOn = day
		if sure, _ := readySince(rows, need); sure != day {
			unsure[owner] = day
		}
	}
	err := s.eachOfIDs(ctx, q, ids, "SELECT customer_id, id, day, points FROM ledger WHERE customer_id IN (%s) AND day <= ? ORDER BY customer_id",
		func(r *sql.Rows, day *sql.RawBytes) error {
			var id rules.ID
			var l factLedger
			if err := r.Scan(&id, &l.ID, day, &l.Points); err != nil {
				return err
			}
			if id != owner {
				reached()
				owner, rows = id, rows[:0]
			}
			l.Day = dayFromBytes(*day)
			rows = append(rows, l)
			return nil
		}, d.String())
	reached()
	if err != nil || len(unsure) == 0 {
		return err
	}
	return s.eachOfIDs(ctx, q, slices.Sorted(maps.Keys(unsure)), "SELECT customer_id, MAX(day) FROM ledger WHERE customer_id IN (%s) AND day <= ? AND kind = 'redeem' AND points < 0 GROUP BY customer_id",
		func(r *sql.Rows, day *sql.RawBytes) error {
			var id rules.ID
			err := r.Scan(&id, day)
			if dayFromBytes(*day) > unsure[id] {
				pf.sumOf(id).RewardReadyOn = 0
			}
			return err
		}, d.String())
}

// at is where customer id is in pf (its customers are in id order), and
// whether it is there.
func (pf *partialFacts) at(id rules.ID) (int, bool) {
	return slices.BinarySearchFunc(pf.customers, id, func(f customerFacts, id rules.ID) int { return cmpID(f.Customer.ID, id) })
}

// sumOf is the summary row of customer id in pf, nil for one it does not
// hold.
func (pf *partialFacts) sumOf(id rules.ID) *CustomerSummary {
	if i, ok := pf.at(id); ok {
		return &pf.sums[i]
	}
	return nil
}

// lastSale is the latest sale (lastPurchase) of customer id among the
// recent sales, if any.
func (r recentSales) lastSale(id rules.ID, d rules.Day) (factPurchase, bool) {
	lo, _ := slices.BinarySearch(r.owners, id)
	hi, _ := slices.BinarySearch(r.owners, id+1)
	p := lastPurchase(r.rows[lo:hi], d)
	return p, p.ID != 0
}

// eachOfIDs runs query through q with its %s the ids, a few hundred at a
// time, and its parameters args, and calls fn for every row (with a buffer
// for a day, as scanEach).
func (s *Store) eachOfIDs(ctx context.Context, q querier, ids []rules.ID, query string, fn func(r *sql.Rows, day *sql.RawBytes) error, args ...any) error {
	return inBatches(ids, func(part []rules.ID) error {
		return s.scanEachOn(ctx, q, fmt.Sprintf(query, idListSQL(part)), args, fn)
	})
}

// readPartialBase reads, as of d, the partial facts of every customer
// (forgotten ones aside) and their summary rows; readPartial leaves out
// the busy ones. Nothing in it may be changed: a store shares it between
// reads until its next write (partialBase).
func (s *Store) readPartialBase(ctx context.Context, q querier, e engine, d rules.Day) (*partialFacts, error) {
	// The customers' numbers are given in turn: the highest one sizes the
	// lists, so reading 50,000 rows does not grow them step by step.
	var top rules.ID
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM customers`).Scan(&top); err != nil {
		return nil, s.explain(err)
	}
	size := int(min(max(top, 0), 1<<20))
	// The summary rows and the recent sales are read on other connections
	// meanwhile: on two cores that is most of their time saved.
	var sums []CustomerSummary
	var recent recentSales
	var g errgroup.Group
	g.Go(func() (err error) { sums, err = summaries(ctx, q, size); return err })
	g.Go(func() (err error) { recent, err = s.readRecentSales(ctx, q, e, d); return err })
	defer g.Wait()
	pf := &partialFacts{customers: make([]customerFacts, 0, size)}
	// Only what the rules and a reminder read of a customer.
	err := s.scanEachOn(ctx, q, `SELECT id, name, phone, email, birthday_year, birthday_month, birthday_day,
		do_not_contact, customer_since, added_on FROM customers WHERE forgotten = 0 ORDER BY id`, nil,
		func(r *sql.Rows, since *sql.RawBytes) error {
			var c rules.Customer
			var by, bm, bd sql.NullInt64
			var added sql.RawBytes
			if err := r.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &by, &bm, &bd, &c.DoNotContact, since, &added); err != nil {
				return err
			}
			if bm.Valid && bd.Valid {
				c.Birthday = rules.YearlyDate{Year: int(by.Int64), Month: time.Month(bm.Int64), Day: int(bd.Int64)}
			}
			c.CustomerSince, c.AddedOn = dayFromBytes(*since), dayFromBytes(added)
			pf.customers = append(pf.customers, customerFacts{Customer: c})
			return nil
		})
	if err != nil {
		return nil, err
	}
	of := func(id rules.ID) *customerFacts {
		if i, ok := pf.at(id); ok {
			return &pf.customers[i]
		}
		return nil
	}
	if err := s.readPartialTables(ctx, q, d, of); err != nil {
		return nil, err
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	pf.recent = recent
	dense, err := s.slicePurchases(ctx, q, recent, of)
	if err != nil {
		return nil, err
	}
	if err := s.readWholePurchases(ctx, q, d, dense, of); err != nil {
		return nil, err
	}
	// Both lists are in id order: each customer's row is met in turn.
	pf.sums = make([]CustomerSummary, len(pf.customers))
	j := 0
	for i := range pf.customers {
		id := pf.customers[i].Customer.ID
		for j < len(sums) && sums[j].CustomerID < id {
			j++
		}
		if j < len(sums) && sums[j].CustomerID == id {
			pf.sums[i] = sums[j]
		}
	}
	return pf, nil
}

// busyIDs finds the customers whose facts are read in full for d to end:
// points that may expire, states moved by a merge, or a refund dated before
// its sale.
func (s *Store) busyIDs(ctx context.Context, q querier, e engine, d, end rules.Day) (map[rules.ID]bool, error) {
	// One query each, along its own index: joined by UNION, SQLite reads
	// the reminder states whole.
	queries := []struct {
		sql  string
		args []any
	}{
		{`SELECT customer_id FROM reminder_states
			WHERE substr(key, 1, length(kind) + ` + s.dialect.numberLength("customer_id") + ` + 2) <> kind || ':' || customer_id || ':'`, nil},
		// A refund dated before its sale cannot be recorded, only written
		// in by hand; the weeks of sales read would miss it.
		// Asked per refund, not as a join: PostgreSQL would hash the whole
		// table of purchases for a join (about 200 ms at 50,000
		// customers), where each refund's sale is one look-up.
		{`SELECT r.customer_id FROM purchases r WHERE r.refund_of IS NOT NULL AND r.customer_id IS NOT NULL
			AND r.day < (SELECT p.day FROM purchases p WHERE p.id = r.refund_of)`, nil},
	}
	if months := e.loyalty.ExpiryMonths; months > 0 && e.rules[rules.KindPointsExpiring].On {
		// A lot earned on x expires on x plus months (clamped to the
		// month's end) and is shown from after days before that up to the
		// day before: lots expiring from d+1 to end+after, with a margin.
		queries = append(queries, struct {
			sql  string
			args []any
		}{"SELECT customer_id FROM ledger WHERE points > 0 AND day >= ? AND day <= ?", []any{
			d.AddDays(1).AddMonths(-months).AddDays(-4).String(),
			end.AddDays(e.rules[rules.KindPointsExpiring].AfterDays).AddMonths(-months).AddDays(4).String()}})
	}
	busy := map[rules.ID]bool{}
	for _, x := range queries {
		ids, err := idList(ctx, q, x.sql, x.args...)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			busy[id] = true
		}
	}
	return busy, nil
}

// readPartialTables adds the occasions, and the promises and complaints
// made by d, of the customers of.
func (s *Store) readPartialTables(ctx context.Context, q querier, d rules.Day, of func(rules.ID) *customerFacts) error {
	p := &factPart{s: s, q: q, dated: []any{d.String()}, of: of}
	return errors.Join(p.readOccasions(ctx), p.readPromises(ctx), p.readComplaints(ctx))
}

// recentSales are the sales and refunds of the weeks before a day, with
// their owners, in (owner, day, id) order: what slicePurchases cuts.
type recentSales struct {
	owners   []rules.ID
	rows     []factPurchase
	lo, from rules.Day // read from lo; the first that can be shown are from from on
	gap      int       // the thank-you rule's gap
}

// readRecentSales reads the sales and refunds the purchase rules need as of
// d: over the window a sale can be shown in and two thank-you gaps before.
func (s *Store) readRecentSales(ctx context.Context, q querier, e engine, d rules.Day) (recentSales, error) {
	r := recentSales{gap: max(0, e.rules[rules.KindThankYou].GapDays)}
	r.from = d.AddDays(-purchaseWindow(e) - 1)
	r.lo = r.from.AddDays(-chainGaps * r.gap)
	err := s.scanEachOn(ctx, q, `SELECT customer_id, id, day, amount_cents, COALESCE(refund_of, 0) FROM purchases
		WHERE day >= ? AND day <= ? AND voided = 0 AND customer_id IS NOT NULL`, []any{r.lo.String(), d.String()},
		func(row *sql.Rows, day *sql.RawBytes) error {
			var cust rules.ID
			var p factPurchase
			if err := row.Scan(&cust, &p.ID, day, &p.Amount, &p.RefundOf); err != nil {
				return err
			}
			p.Day = dayFromBytes(*day)
			r.owners, r.rows = append(r.owners, cust), append(r.rows, p)
			return nil
		})
	if err != nil {
		return r, err
	}
	sortByOwner(r.owners, r.rows, comparePurchaseFacts)
	return r, nil
}

// slicePurchases gives each customer of the sales and refunds the purchase
// rules need: cut at the latest sale that starts a fresh thank-you chain at
// or before the first one that can still be shown. Customers with no such
// sale in what was read are read back further, a few times; it returns
// those still without one, whose whole history the rules need.
func (s *Store) slicePurchases(ctx context.Context, q querier, r recentSales, of func(rules.ID) *customerFacts) (map[rules.ID]bool, error) {
	rows, owners, lo := r.rows, r.owners, r.lo
	dense := map[rules.ID][]factPurchase{} // the rows read of customers with no fresh start in them
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && owners[j] == owners[i] {
			j++
		}
		if f := of(owners[i]); f != nil {
			cut, ok := chainStart(rows[i:j], lo, r.from, r.gap)
			if !ok {
				dense[owners[i]] = rows[i:j:j]
			} else if cut >= 0 {
				f.Purchases = rows[i+cut : j : j]
			}
		}
		i = j
	}
	// Those who buy often: further back, a few times, for them alone.
	for round := 0; round < 3 && len(dense) > 0; round++ {
		hi := lo
		lo = hi.AddDays(-4 * r.gap)
		older, err := s.purchasesOfSpan(ctx, q, slices.Sorted(maps.Keys(dense)), lo, hi)
		if err != nil {
			return nil, err
		}
		for id, read := range dense {
			all := append(older[id], read...)
			cut, ok := chainStart(all, lo, r.from, r.gap)
			switch {
			case !ok:
				dense[id] = all
				continue
			case cut >= 0:
				of(id).Purchases = all[cut:]
			}
			delete(dense, id)
		}
	}
	left := make(map[rules.ID]bool, len(dense))
	for id := range dense {
		left[id] = true
	}
	return left, nil
}

// purchasesOfSpan reads the sales and refunds of the customers ids dated
// from lo (zero: the first) up to the day before hi, in (day, id) order for
// each.
func (s *Store) purchasesOfSpan(ctx context.Context, q querier, ids []rules.ID, lo, hi rules.Day) (map[rules.ID][]factPurchase, error) {
	out := map[rules.ID][]factPurchase{}
	return out, s.eachOfIDs(ctx, q, ids, `SELECT customer_id, id, day, amount_cents, COALESCE(refund_of, 0) FROM purchases
		WHERE customer_id IN (%s) AND day >= ? AND day < ? AND voided = 0 ORDER BY customer_id, day, id`,
		func(r *sql.Rows, day *sql.RawBytes) error {
			var cust rules.ID
			var p factPurchase
			err := r.Scan(&cust, &p.ID, day, &p.Amount, &p.RefundOf)
			p.Day = dayFromBytes(*day)
			out[cust] = append(out[cust], p)
			return err
		}, lo.String(), hi.String())
}

// chainStart finds in ps, one customer's sales and refunds dated from lo
// on in (day, id) order, where the rules can start reading: the latest sale
// at or before the first one dated from on that is a fresh start for the
// thank-you chain (no sale that counts in the gap before it). It returns -1
// when no sale dated from on counts, and false when no fresh start is in
// ps.
func chainStart(ps []factPurchase, lo, from rules.Day, gap int) (int, bool) {
	refunded := map[rules.ID]rules.Cents{}
	for _, p := range ps {
		if p.RefundOf != 0 {
			refunded[p.RefundOf] -= p.Amount
		}
	}
	start, prev := -1, -1
	for i, p := range ps {
		if p.Amount <= 0 || p.RefundOf != 0 || refunded[p.ID] >= p.Amount {
			continue // refunds and sales refunded in full do not count
		}
		fresh := (prev < 0 && p.Day.Sub(lo) >= gap) || (prev >= 0 && p.Day.Sub(ps[prev].Day) >= gap)
		if fresh {
			start = i
		}
		if p.Day >= from {
			return start, start >= 0
		}
		prev = i
	}
	return -1, true
}

// readWholePurchases gives the customers ids every sale and refund dated up
// to d: they bought so often that the thank-you chain needs all of them.
func (s *Store) readWholePurchases(ctx context.Context, q querier, d rules.Day, ids map[rules.ID]bool, of func(rules.ID) *customerFacts) error {
	all, err := s.purchasesOfSpan(ctx, q, slices.Sorted(maps.Keys(ids)), 0, d.AddDays(1))
	for id, ps := range all {
		of(id).Purchases = ps
	}
	return err
}

// remindersRead is how one list reads the reminders of the customers
// that are not busy: which candidates it looks at, the day its state is
// seen on and its words are for, and whether it keeps the reminder then.
type remindersRead struct {
	look  func(id rules.ID, c *cand) bool
	day   func(c *cand) (on, shown, asOf rules.Day) // the state's day, the words' day and their facts' day
	keep  func(c *cand, r *rules.Reminder) bool
	asOf  rules.Day // the facts as of this day
	until rules.Day // yearly reminders up to this day
	// standing: every reminder of the standing kinds is looked at (Today),
	// so their states are read whole rather than by key.
	standing bool
}

// collectPartial gathers, unsorted and without words, what rd keeps of the
// customers of pf. On a pool, it is gathered in two halves at once, each
// looking up its candidates' states on a connection of its own, while a
// third reads the states of the standing kinds (rd.standing): on two cores
// that is nearly half the time.
func (s *Store) collectPartial(ctx context.Context, q querier, e engine, pf *partialFacts, rd remindersRead, stateTo rules.Day) ([]rules.Reminder, []messageParts, error) {
	n := len(pf.customers)
	halves := [][2]int{{0, n}}
	var g errgroup.Group
	run := func(f func() error) { _ = f() } // a transaction runs one query at a time
	if _, pool := q.(*sql.DB); pool {
		run, halves = g.Go, [][2]int{{0, n / 2}, {n / 2, n}}
	}
	var standing map[string]reminderState
	var errStanding error
	read := make(chan struct{}) // closed once standing is read
	run(func() error {
		defer close(read)
		if rd.standing {
			standing, errStanding = s.standingStates(ctx, q, stateTo)
		}
		return errStanding
	})
	rs, ws := make([][]rules.Reminder, len(halves)), make([][]messageParts, len(halves))
	errs := make([]error, len(halves))
	for i, h := range halves {
		run(func() error {
			part, err := s.gather(ctx, q, e, pf, h[0], h[1], rd, stateTo)
			<-read
			if err == nil && errStanding == nil {
				rs[i], ws[i] = part.keep(pf, rd, standing)
			}
			errs[i] = err
			return err
		})
	}
	if err := errors.Join(append(errs, g.Wait(), errStanding)...); err != nil {
		return nil, nil, err
	}
	return slices.Concat(rs...), slices.Concat(ws...), nil
}

// gathered are the candidate reminders of some customers before their states
// are applied, with the states found by key.
type gathered struct {
	cs     []candidate
	states map[string]reminderState
}

// candidate is a reminder before its state: its key, and its customer's
// place in the partial facts.
type candidate struct {
	c   cand
	key string
	i   int
}

// gather finds the candidates of the customers of pf from lo up to hi that
// rd looks at, and the states, by key, of those whose states are not read
// whole (rd.standing).
func (s *Store) gather(ctx context.Context, q querier, e engine, pf *partialFacts, lo, hi int, rd remindersRead, stateTo rules.Day) (gathered, error) {
	cs := gathered{cs: make([]candidate, 0, (hi-lo)+(hi-lo)/8+16)} // about one a customer
	var look []string
	for i := lo; i < hi; i++ {
		f := &pf.customers[i]
		if pf.busy[f.Customer.ID] {
			continue
		}
		e.partial(f, &pf.sums[i], rd.asOf, rd.until, func(c *cand) {
			if rd.look(f.Customer.ID, c) {
				key := c.key(f.Customer.ID)
				cs.cs = append(cs.cs, candidate{*c, key, i})
				if !rd.standing || !slices.Contains(standingKinds, c.kind) {
					look = append(look, key)
				}
			}
		})
	}
	var err error
	cs.states, err = s.statesOfKeys(ctx, q, look, stateTo)
	return cs, err
}

// keep is the candidates their state leaves in, as rd keeps them: most
// candidates are handled already, and only those left become reminders.
func (cs *gathered) keep(pf *partialFacts, rd remindersRead, standing map[string]reminderState) ([]rules.Reminder, []messageParts) {
	rs := make([]rules.Reminder, 0, len(cs.cs)/4+16) // about a fifth are kept
	ws := make([]messageParts, 0, cap(rs))
	for k := range cs.cs {
		c, f, sum := &cs.cs[k].c, &pf.customers[cs.cs[k].i], &pf.sums[cs.cs[k].i]
		r := c.reminderKeyed(&f.Customer, cs.cs[k].key)
		st, has := cs.states[r.Key]
		if !has { // read whole with the standing kinds', if at all
			st, has = standing[r.Key]
		}
		on, shown, asOf := rd.day(c)
		applyState(&r, st, has, on)
		if rd.keep(c, &r) {
			last := factPurchase{ID: sum.LastSaleID, Day: sum.LastSaleDay, Amount: sum.LastSaleCents}
			rs, ws = append(rs, r), append(ws, factWordsWith(f, c, asOf, shown, sum.Balance, last))
		}
	}
	return rs, ws
}

// todayFromFacts gathers, unsorted and without words, what is on Today on
// d: the busy customers from their facts, everyone else from partial facts
// and their summary rows. A file made before the summary rows has
// everyone read from their facts.
func (s *Store) todayFromFacts(ctx context.Context, set shopSettings, d rules.Day) ([]rules.Reminder, []messageParts, error) {
	q := s.reader()
	pf, err := s.partialOrAll(ctx, q, set.engine, d, d)
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.readFacts(ctx, q, set, d, pf.busyList(), false)
	if err != nil {
		return nil, nil, err
	}
	rs, ws := collectToday(fs, d)
	prs, pws, err := s.collectPartial(ctx, q, set.engine, pf, remindersRead{
		look: func(_ rules.ID, c *cand) bool { return c.shownFrom <= d && (c.until == 0 || d <= c.until) },
		day:  func(*cand) (rules.Day, rules.Day, rules.Day) { return d, d, d },
		keep: func(_ *cand, r *rules.Reminder) bool { return onToday(r, d) },
		asOf: d, until: d, standing: true,
	}, d)
	return append(rs, prs...), append(ws, pws...), err
}

// upcomingFromFacts is todayFromFacts for Upcoming on d up to end.
func (s *Store) upcomingFromFacts(ctx context.Context, set shopSettings, d, end rules.Day) ([]rules.Reminder, []messageParts, error) {
	q := s.reader()
	pf, err := s.partialOrAll(ctx, q, set.engine, d, end)
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.readFacts(ctx, q, set, d, pf.busyList(), false)
	if err != nil {
		return nil, nil, err
	}
	rs, ws := collectUpcoming(fs, d, end)
	// Besides those shown or due in the days ahead, Upcoming lists those
	// snoozed into them: few, found by their states.
	snoozed, err := idKeys(ctx, q, `SELECT key FROM reminder_states WHERE state = 'snoozed'
		AND snoozed_until > ? AND snoozed_until <= ? AND changed_on <= ?`, d.String(), end.String(), d.String())
	if err != nil {
		return nil, nil, err
	}
	snoozedFor := map[rules.ID]bool{}
	for key := range snoozed {
		if k, err := rules.ParseReminderKey(key); err == nil {
			snoozedFor[k.CustomerID] = true
		}
	}
	inRange := func(x rules.Day) bool { return x > d && x <= end }
	prs, pws, err := s.collectPartial(ctx, q, set.engine, pf, remindersRead{
		look: func(id rules.ID, c *cand) bool {
			return inRange(c.shownFrom) || inRange(c.due) || (c.shownFrom <= d && snoozedFor[id] && snoozed[c.key(id)])
		},
		day:  func(c *cand) (rules.Day, rules.Day, rules.Day) { return d, max(c.shownFrom, d), d },
		keep: func(c *cand, r *rules.Reminder) bool { return upcomingKeeps(c, r, d, end) },
		asOf: d, until: end,
	}, d)
	return append(rs, prs...), append(ws, pws...), err
}

// dueFromFacts gathers, unsorted and without words, what DueOn lists for
// from..to: each reminder due on a day of it that Today lists that day. The
// customers with facts dated after from have their days computed one by
// one from their facts; for the others the facts as of from stand all
// through.
func (s *Store) dueFromFacts(ctx context.Context, set shopSettings, from, to rules.Day) ([]rules.Reminder, []messageParts, error) {
	q := s.reader()
	pf, err := s.partialOrAll(ctx, q, set.engine, from, to)
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.readFacts(ctx, q, set, to, pf.busyList(), false)
	if err != nil {
		return nil, nil, err
	}
	rs, ws := dueOfFacts(fs, from, to)
	prs, pws, err := s.collectPartial(ctx, q, set.engine, pf, remindersRead{
		look: func(_ rules.ID, c *cand) bool {
			return c.due >= from && c.due <= to && c.shownFrom <= c.due && (c.until == 0 || c.due <= c.until)
		},
		day:  func(c *cand) (rules.Day, rules.Day, rules.Day) { return c.due, c.due, c.due },
		keep: func(c *cand, r *rules.Reminder) bool { return onToday(r, c.due) },
		asOf: from, until: to,
	}, to)
	return append(rs, prs...), append(ws, pws...), err
}

// dueOfFacts is what is due on each day from..to of the customers whose
// whole facts fs holds.
func dueOfFacts(fs *factSet, from, to rules.Day) ([]rules.Reminder, []messageParts) {
	var rs []rules.Reminder
	var ws []messageParts
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.dueOn(f, from, to, func(x rules.Day, c *cand) {
			r := fs.reminder(f, c, x)
			if onToday(&r, x) {
				rs = append(rs, r)
				ws = append(ws, factWords(f, c, x, x))
			}
		})
	}
	return rs, ws
}

// partialOrAll is readPartial, or everyone busy in a file made before the
// summary rows.
func (s *Store) partialOrAll(ctx context.Context, q querier, e engine, d, end rules.Day) (*partialFacts, error) {
	if s.keepSummary.Load() && !s.factsOnly {
		return s.readPartial(ctx, q, e, d, end)
	}
	return &partialFacts{}, nil // no customers: readFacts reads everyone
}

// statesOfKeys looks up, through q, the stored states of the reminders
// rs as of d, by key, 500 at a time. Their customers hold no state moved
// by a merge (those are busy), so each state is under its reminder's own
// key.
func (s *Store) statesOfKeys(ctx context.Context, q querier, keys []string, d rules.Day) (map[string]reminderState, error) {
	out := make(map[string]reminderState, len(keys)/2) // about half have one
	return out, inBatches(keys, func(part []string) error {
		args := make([]any, 0, len(part)+1)
		args = append(args, d.String())
		for _, k := range part {
			args = append(args, k)
		}
		return s.scanEachOn(ctx, q, `SELECT `+stateCols+` FROM reminder_states WHERE changed_on <= ? AND key IN (`+marks(len(part))+`)`, args,
			func(r *sql.Rows, _ *sql.RawBytes) error {
				key, _, st, err := scanStateRow(r)
				out[key] = st
				return err
			})
	})
}

// standingKinds are the reminders a customer has one of at a time, each
// standing until it is handled: a reward ready, stay in touch. Most
// customers of a large shop are a candidate for one, most of them handled
// already, and these states are few beside the other kinds': read whole in
// key order, not looked up one by one (at 50,000 customers, 30 ms against
// 85 ms for 23,000 rewards).
var standingKinds = []rules.Kind{rules.KindRewardReady, rules.KindStayInTouch}

// standingStates reads, through q, the stored states of the standing kinds
// as of d, by key: a key starts with its kind.
func (s *Store) standingStates(ctx context.Context, q querier, d rules.Day) (map[string]reminderState, error) {
	out := map[string]reminderState{}
	for _, k := range standingKinds {
		err := s.scanEachOn(ctx, q, `SELECT `+stateCols+` FROM reminder_states WHERE changed_on <= ? AND key >= ? AND key < ?`,
			[]any{d.String(), string(k) + ":", string(k) + ";"}, func(r *sql.Rows, _ *sql.RawBytes) error {
				key, _, st, err := scanStateRow(r)
				out[key] = st
				return err
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// chainGaps is how many thank-you gaps before the purchase window the
// sales are read back for a fresh start of the chain: further back finds
// more, but reads more for everyone.
const chainGaps = 2

// idKeys runs query, whose rows are one reminder key each, and returns the
// keys as a set.
func idKeys(ctx context.Context, q querier, query string, args ...any) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}
