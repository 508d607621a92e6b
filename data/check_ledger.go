package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"sort"
	"strings"
)

// The ledger invariants are checked one customer at a time: the purchases
// (ORDER BY customer_id, id, covered by the purchases_customer index) and the
// ledger (ORDER BY customer_id, day, id, on ledger_customer) are read side
// by side in one read transaction, so a check holds one customer's rows at
// once, never the whole shop's. It takes no write lock: sales go on
// meanwhile (WAL), and the check sees the shop as it was when it began.
//
// A purchase, its refunds and the ledger rows naming any of them form a
// family, named by the purchase (its root). In a sound shop a family lies
// within one customer. A family that reaches across customers (a refund or
// a ledger row of another customer, or a walk-in's refund) is marked
// tainted: what was found about it customer by customer is dropped and the
// family is checked again at the end from its rows, read by their indexes.

// The check reads a shop of any schema, a backup made by an older Regulars
// among them: the columns it reads are those of every schema (a row's till,
// schema 17, is not read).
const (
	anySchemaLedgerCols   = `id, customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall, '' AS till`
	anySchemaPurchaseCols = `id, customer_id, at, day, amount_cents, discount_cents, description, staff,
	reference, refund_of, voided, imported, '' AS till`
)

// purchase loads one purchase as loadPurchase does, in the columns of
// every schema.
func (c *ledgerChecker) purchase(ctx context.Context, id rules.ID) (rules.Purchase, error) {
	p, err := scanPurchase(c.q.QueryRowContext(ctx, "SELECT "+anySchemaPurchaseCols+" FROM purchases WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("there is no purchase %d", id)
	}
	return p, err
}

// ledgerChecker walks the shop customer by customer.
type ledgerChecker struct {
	q       querier
	lq      querier // the ledger's rows, read beside the purchases
	l       rules.Loyalty
	history rules.LoyaltyHistory
	found   []finding
	tags    []rules.ID // for each of found, the family it is about; 0 when none
	final   bool       // the tainted families are being checked again: tags are no longer kept
	tainted map[rules.ID]bool
	strays  []rules.LedgerRow // rows naming a purchase that is not their customer's
}

// family is a purchase, its refunds and the ledger rows that name them.
type family struct {
	root    rules.ID
	orig    rules.Purchase // the purchase root names, when ok
	ok      bool
	refunds []rules.Purchase  // in id order
	rows    []rules.LedgerRow // rows of the family's purchases that need one, by customer, day and id
}

// needsPurchase says whether a ledger row of kind k must name a purchase.
func needsPurchase(k rules.LedgerKind) bool {
	return k == rules.LedgerEarn || k == rules.LedgerRedeem || k == rules.LedgerRefundReversal || k == rules.LedgerVoidReversal
}

// rootOf names the family a purchase belongs to.
func rootOf(p rules.Purchase) rules.ID {
	if p.RefundOf != 0 {
		return p.RefundOf
	}
	return p.ID
}

// checkLedger checks every ledger invariant, streaming, through q, which
// reads one snapshot of the shop. The ledger's rows, read beside the
// purchases, come through lq: q itself on SQLite, a second transaction
// reading the same snapshot on PostgreSQL, where one connection cannot
// read two queries side by side.
func (s *Store) checkLedger(ctx context.Context, q, lq querier, l rules.Loyalty, history rules.LoyaltyHistory) ([]finding, error) {
	c := &ledgerChecker{q: q, lq: lq, l: l, history: history, tainted: map[rules.ID]bool{}}
	if err := c.walk(ctx); err != nil {
		return nil, s.explain(err)
	}
	if err := c.finish(ctx); err != nil {
		return nil, s.explain(err)
	}
	return c.found, nil
}

// walk reads the purchases and the ledger side by side, customer by
// customer; walk-ins (no customer) come first, one purchase at a time.
func (c *ledgerChecker) walk(ctx context.Context) error {
	// The purchases are read from their customer index alone (it holds
	// every column the invariants need but refund_of), and which are
	// refunds from the refunds' own index: a few per hundred sales.
	refundOf := map[rules.ID]rules.ID{}
	refunds, err := c.q.QueryContext(ctx, "SELECT id, refund_of FROM purchases WHERE refund_of IS NOT NULL")
	if err != nil {
		return err
	}
	for refunds.Next() {
		var id, of rules.ID
		if err := refunds.Scan(&id, &of); err != nil {
			refunds.Close()
			return err
		}
		refundOf[id] = of
	}
	refunds.Close()
	if err := refunds.Err(); err != nil {
		return err
	}
	prows, err := c.q.QueryContext(ctx, "SELECT "+checkPurchaseCols+" FROM purchases ORDER BY customer_id, id")
	if err != nil {
		return err
	}
	defer prows.Close()
	lrows, err := c.lq.QueryContext(ctx, "SELECT "+anySchemaLedgerCols+" FROM ledger ORDER BY customer_id, day, id")
	if err != nil {
		return err
	}
	defer lrows.Close()

	var p rules.Purchase
	var r rules.LedgerRow
	pok, lok := false, false
	nextP := func() error {
		if pok = prows.Next(); pok {
			var err error
			p, err = scanCheckPurchase(prows)
			p.RefundOf = refundOf[p.ID]
			return err
		}
		return prows.Err()
	}
	nextL := func() error {
		if lok = lrows.Next(); lok {
			var err error
			r, err = scanLedger(lrows)
			return err
		}
		return lrows.Err()
	}
	if err := nextP(); err != nil {
		return err
	}
	if err := nextL(); err != nil {
		return err
	}
	var group []rules.Purchase
	var rows []rules.LedgerRow
	for pok || lok {
		if err := ctx.Err(); err != nil {
			return err
		}
		cust := r.CustomerID
		if pok && (!lok || p.CustomerID < cust) {
			cust = p.CustomerID
		}
		group, rows = group[:0], rows[:0]
		for pok && p.CustomerID == cust {
			if cust == 0 {
				c.walkIn(p) // walk-ins can be many; none has ledger rows
			} else {
				group = append(group, p)
			}
			if err := nextP(); err != nil {
				return err
			}
		}
		for lok && r.CustomerID == cust {
			rows = append(rows, r)
			if err := nextL(); err != nil {
				return err
			}
		}
		c.customer(group, rows)
	}
	return nil
}

// checkPurchaseCols are the columns of a purchase the invariants read, all
// in the purchases_customer index.
const checkPurchaseCols = "id, customer_id, day, voided, amount_cents, discount_cents"

func scanCheckPurchase(r rowScanner) (rules.Purchase, error) {
	var p rules.Purchase
	var cust sql.NullInt64
	var day sql.NullString
	var voided int
	err := r.Scan(&p.ID, &cust, &day, &voided, &p.Amount, &p.Discount)
	p.CustomerID = cust.Int64
	p.Day = scanDay(day)
	p.Voided = voided != 0
	return p, err
}

func (c *ledgerChecker) add(tag rules.ID, part int, cust, row rules.ID, format string, args ...any) {
	c.found = append(c.found, finding{part: part, cust: cust, row: row, what: fmt.Sprintf(format, args...)})
	if !c.final {
		c.tags = append(c.tags, tag)
	}
}

// walkIn checks a purchase without a customer: on its own, unless refunds
// make it a family, which is then checked at the end.
func (c *ledgerChecker) walkIn(p rules.Purchase) {
	if p.RefundOf != 0 {
		c.tainted[p.RefundOf] = true
		return
	}
	c.family(&family{root: p.ID, orig: p, ok: true}, p.ID)
}

// customer checks one customer's purchases (in id order) and ledger rows
// (in day and id order).
func (c *ledgerChecker) customer(group []rules.Purchase, rows []rules.LedgerRow) {
	byID := make(map[rules.ID]rules.Purchase, len(group))
	for _, p := range group {
		byID[p.ID] = p
	}
	fams := map[rules.ID]*family{}
	var order []rules.ID
	for _, p := range group {
		root := rootOf(p)
		o, ok := byID[root]
		if !ok {
			c.tainted[root] = true // another customer's purchase, or none
			continue
		}
		f := fams[root]
		if f == nil {
			f = &family{root: root, orig: o, ok: true}
			fams[root] = f
			order = append(order, root)
		}
		if p.RefundOf != 0 {
			f.refunds = append(f.refunds, p)
		}
	}
	for _, r := range rows {
		c.rowAlone(r)
		if !needsPurchase(r.Kind) || r.PurchaseID == 0 {
			continue
		}
		p, ok := byID[r.PurchaseID]
		if !ok {
			c.strays = append(c.strays, r)
			continue
		}
		if f := fams[rootOf(p)]; f != nil {
			f.rows = append(f.rows, r)
		}
	}
	for _, root := range order {
		c.family(fams[root], root)
	}
	c.balance(rows)
}

// ledgerAt reports a problem with one ledger row.
func (c *ledgerChecker) ledgerAt(tag rules.ID, r rules.LedgerRow, format string, args ...any) {
	c.add(tag, 2, r.CustomerID, r.ID, "ledger row %d (customer %d, %s %d on %s): %s", r.ID, r.CustomerID, r.Kind, r.Points, r.Day,
		fmt.Sprintf(format, args...))
}

// rowAlone checks what a ledger row says of itself.
func (c *ledgerChecker) rowAlone(r rules.LedgerRow) {
	if r.Staff == "" {
		c.ledgerAt(0, r, "no staff member is named")
	}
	if r.Shortfall < 0 || (r.Shortfall != 0 && r.Kind != rules.LedgerRefundReversal && r.Kind != rules.LedgerVoidReversal) {
		c.ledgerAt(0, r, "a shortfall of %d does not belong on it", r.Shortfall)
	}
	switch {
	case needsPurchase(r.Kind) && r.PurchaseID == 0:
		c.ledgerAt(0, r, "it names no purchase")
	case r.Kind == rules.LedgerAdjustment && r.Reason == "":
		c.ledgerAt(0, r, "an adjustment needs a reason")
	case r.Kind == rules.LedgerExpiry && r.Points >= 0:
		c.ledgerAt(0, r, "an expiry must take points away")
	}
}

// family checks a purchase with its refunds and the ledger rows naming
// them; what it finds is tagged tag (0: kept whatever happens).
func (c *ledgerChecker) family(f *family, tag rules.ID) {
	c.familyRefunds(f, tag)
	o := f.orig
	sale := f.ok && o.RefundOf == 0
	if sale {
		c.saleAmounts(f, tag)
	}
	if len(f.rows) == 0 && (!sale || o.CustomerID == 0 || (!o.Voided && len(f.refunds) == 0)) {
		return // no row to compare, none missing
	}
	ledger := familyLedgerOf(f.rows)
	members := familyMembers(f, sale)
	for _, r := range f.rows {
		if p, ok := members[r.PurchaseID]; ok {
			c.familyRow(tag, r, p, ledger)
		}
	}
	if !sale || o.CustomerID == 0 {
		return
	}
	if len(f.refunds) > 0 {
		c.refundReversals(f, tag, ledger)
	}
	if o.Voided {
		c.voidReversal(f, tag, ledger)
	}
}

// familyRefunds checks each refund against the purchase it refunds.
func (c *ledgerChecker) familyRefunds(f *family, tag rules.ID) {
	o := f.orig
	for _, p := range f.refunds {
		switch {
		case !f.ok:
			// reported by the foreign key check
		case o.RefundOf != 0:
			c.add(tag, 1, p.CustomerID, p.ID, "refund %d is of purchase %d, which is itself a refund", p.ID, o.ID)
		case o.CustomerID != p.CustomerID:
			c.add(tag, 1, p.CustomerID, p.ID, "refund %d is for %s but purchase %d was for %s", p.ID, customerPhrase(p.CustomerID), o.ID, customerPhrase(o.CustomerID))
		case o.Voided && !p.Voided:
			c.add(tag, 1, p.CustomerID, p.ID, "refund %d of voided purchase %d is not voided", p.ID, o.ID)
		}
	}
}

// saleAmounts checks a sale's discount and that its refunds do not add up
// to more than it was.
func (c *ledgerChecker) saleAmounts(f *family, tag rules.ID) {
	o := f.orig
	if o.Discount < 0 || o.Discount > o.Amount {
		c.add(tag, 1, o.CustomerID, o.ID, "purchase %d has a discount of %s on an amount of %s", o.ID, o.Discount, o.Amount)
	}
	var refunded rules.Cents
	for _, r := range f.refunds {
		refunded -= r.Amount
	}
	if refunded > o.Amount {
		c.add(tag, 1, o.CustomerID, o.ID, "purchase %d of %s has %s refunded, more than it was", o.ID, o.Amount, refunded)
	}
}

// familyMembers is the family's purchases by id: its refunds, and the
// original when it is a sale.
func familyMembers(f *family, sale bool) map[rules.ID]rules.Purchase {
	members := make(map[rules.ID]rules.Purchase, len(f.refunds)+1)
	if sale {
		members[f.orig.ID] = f.orig
	}
	for _, p := range f.refunds {
		members[p.ID] = p
	}
	return members
}

// familyLedger is a family's ledger rows by purchase and kind, each list in
// the family's row order.
type familyLedger map[rules.ID]map[rules.LedgerKind][]rules.LedgerRow

func familyLedgerOf(rows []rules.LedgerRow) familyLedger {
	l := familyLedger{}
	for _, r := range rows {
		if l[r.PurchaseID] == nil {
			l[r.PurchaseID] = map[rules.LedgerKind][]rules.LedgerRow{}
		}
		l[r.PurchaseID][r.Kind] = append(l[r.PurchaseID][r.Kind], r)
	}
	return l
}

// sum adds up f of the rows of one kind naming purchase pid.
func (l familyLedger) sum(pid rules.ID, kind rules.LedgerKind, f func(rules.LedgerRow) int64) int64 {
	var n int64
	for _, r := range l[pid][kind] {
		n += f(r)
	}
	return n
}

func rowPoints(r rules.LedgerRow) int64 { return r.Points }

// takenBack is how many points a reversal took back, counting those it could
// not take because they were already spent.
func takenBack(r rules.LedgerRow) int64 { return r.Shortfall - r.Points }

// familyRow checks one ledger row against the purchase p it names.
func (c *ledgerChecker) familyRow(tag rules.ID, r rules.LedgerRow, p rules.Purchase, ledger familyLedger) {
	at := func(format string, args ...any) { c.ledgerAt(tag, r, format, args...) }
	switch r.Kind {
	case rules.LedgerEarn:
		if p.RefundOf != 0 {
			at("purchase %d is a refund, which earns nothing", p.ID)
			break
		}
		if want := c.history.On(p.Day, c.l).EarnedFor(p.Paid()); r.Points != want {
			at("purchase %d paid %s, which earns %d points", p.ID, p.Paid(), want)
		}
		if first := ledger[p.ID][rules.LedgerEarn][0]; first.ID != r.ID {
			at("purchase %d already earned points in row %d", p.ID, first.ID)
		}
	case rules.LedgerRedeem:
		if p.RefundOf != 0 {
			at("purchase %d is a refund, not a sale", p.ID)
			break
		}
		n := -r.Points
		if pl := c.history.On(p.Day, c.l); n <= 0 || n%pl.RewardPoints != 0 || rules.RewardValue(n/pl.RewardPoints, pl) != p.Discount {
			at("purchase %d took %s off, which is not what %d points are worth", p.ID, p.Discount, n)
		}
		if first := ledger[p.ID][rules.LedgerRedeem][0]; first.ID != r.ID {
			at("purchase %d already redeemed points in row %d", p.ID, first.ID)
		}
	case rules.LedgerRefundReversal:
		if p.RefundOf == 0 {
			at("purchase %d is a sale, not a refund", p.ID)
		}
		if r.Points > 0 {
			at("a refund cannot add points")
		}
		if first := ledger[p.ID][rules.LedgerRefundReversal][0]; first.ID != r.ID {
			at("refund %d already took back points in row %d", p.ID, first.ID)
		}
	case rules.LedgerVoidReversal:
		if !p.Voided {
			at("purchase %d is not voided", p.ID)
		}
	}
}

// refundReversals checks the points each refund took back, in the order the
// refunds were made.
func (c *ledgerChecker) refundReversals(f *family, tag rules.ID, ledger familyLedger) {
	o := f.orig
	earned := ledger.sum(o.ID, rules.LedgerEarn, rowPoints)
	var refunded rules.Cents
	var before int64
	for _, rf := range f.refunds {
		refunded -= rf.Amount
		due := rules.ReversalDue(earned, o.Paid(), refunded, before)
		got := ledger[rf.ID][rules.LedgerRefundReversal]
		switch {
		case len(got) == 0 && due > 0:
			c.add(tag, 1, rf.CustomerID, rf.ID, "refund %d of purchase %d should take back %d points but no reversal was written", rf.ID, o.ID, due)
		case len(got) > 0 && takenBack(got[0]) != due:
			r := got[0]
			c.add(tag, 2, r.CustomerID, r.ID, "ledger row %d (customer %d, refund_reversal %d on %s): refund %d should take back %d points, not %d with a shortfall of %d",
				r.ID, r.CustomerID, r.Points, r.Day, rf.ID, due, -r.Points, r.Shortfall)
		}
		if len(got) > 0 {
			before += takenBack(got[0])
		}
	}
}

// voidReversal checks a voided sale: a void gives back what was redeemed and
// takes back what was earned and not already taken back by refunds.
func (c *ledgerChecker) voidReversal(f *family, tag rules.ID, ledger familyLedger) {
	o := f.orig
	var gave, took int64
	for _, r := range ledger[o.ID][rules.LedgerVoidReversal] {
		if r.Points > 0 {
			gave += r.Points
		} else {
			took += takenBack(r)
		}
	}
	var reversed int64
	for _, rf := range f.refunds {
		reversed += ledger.sum(rf.ID, rules.LedgerRefundReversal, takenBack)
	}
	redeemed := -ledger.sum(o.ID, rules.LedgerRedeem, rowPoints)
	earned := ledger.sum(o.ID, rules.LedgerEarn, rowPoints)
	if gave != redeemed || took != max(earned-reversed, 0) {
		c.add(tag, 1, o.CustomerID, o.ID, "voided purchase %d gave back %d and took back %d points, but should give back %d and take back %d",
			o.ID, gave, took, redeemed, max(earned-reversed, 0))
	}
}

// balance checks one customer's rows in order: the running balance, and
// expiry against what was earned and still unspent (oldest points are
// spent first).
func (c *ledgerChecker) balance(rows []rules.LedgerRow) {
	var run int64
	low := false
	q := rules.LotQueue{}
	for _, r := range rows {
		if r.Kind == rules.LedgerExpiry && r.Points < 0 {
			day := r.Day
			if left := q.LeftWhere(func(l rules.PointsLot) bool { return l.Earned < day }); -r.Points > left {
				c.add(0, 2, r.CustomerID, r.ID, "ledger row %d (customer %d, expiry %d on %s): only %d points earned before then were left to expire",
					r.ID, r.CustomerID, r.Points, r.Day, left)
			}
		}
		q.Apply(r)
		run += r.Points
		if run < 0 && !low {
			low = true
			c.add(0, 2, r.CustomerID, r.ID, "customer %d: the balance falls to %d at ledger row %d on %s", r.CustomerID, run, r.ID, r.Day)
		}
	}
}

// finish looks up the purchases stray rows name, then checks the tainted
// families again from their own rows.
func (c *ledgerChecker) finish(ctx context.Context) error {
	for _, r := range c.strays {
		p, err := c.purchase(ctx, r.PurchaseID)
		switch {
		case errors.Is(err, ErrNotFound):
			c.ledgerAt(0, r, "purchase %d does not exist", r.PurchaseID)
			continue
		case err != nil:
			return err
		}
		if p.CustomerID != r.CustomerID {
			c.ledgerAt(0, r, "purchase %d is %s", p.ID, customerPhrase(p.CustomerID))
		}
		c.tainted[rootOf(p)] = true
	}
	if len(c.tainted) == 0 {
		return nil
	}
	kept := c.found[:0]
	for i, f := range c.found {
		if c.tags[i] == 0 || !c.tainted[c.tags[i]] {
			kept = append(kept, f)
		}
	}
	c.found, c.tags, c.final = kept, nil, true // what is found from here on stays
	roots := make([]rules.ID, 0, len(c.tainted))
	for root := range c.tainted {
		roots = append(roots, root)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i] < roots[j] })
	for _, root := range roots {
		f, err := c.loadFamily(ctx, root)
		if err != nil {
			return err
		}
		c.family(f, 0)
	}
	return nil
}

// loadFamily reads a family by its indexes: the purchase, its refunds and
// the rows naming any of them.
func (c *ledgerChecker) loadFamily(ctx context.Context, root rules.ID) (*family, error) {
	f := &family{root: root}
	o, err := c.purchase(ctx, root)
	switch {
	case err == nil:
		f.orig, f.ok = o, true
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	if f.refunds, err = queryPurchases(ctx, c.q, "SELECT "+anySchemaPurchaseCols+" FROM purchases WHERE refund_of = ? ORDER BY id", root); err != nil {
		return nil, err
	}
	var ids []any
	if f.ok && o.RefundOf == 0 {
		ids = append(ids, root)
	}
	for _, p := range f.refunds {
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 {
		return f, nil
	}
	q := "SELECT " + anySchemaLedgerCols + " FROM ledger WHERE purchase_id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")" +
		" AND kind IN ('earn', 'redeem', 'refund_reversal', 'void_reversal') ORDER BY customer_id, day, id"
	f.rows, err = queryLedger(ctx, c.q, q, ids...)
	return f, err
}
