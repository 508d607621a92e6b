package data

import (
	"context"
	"fmt"
	"sort"
)

// Problem is one thing `check` found wrong, as a sentence naming the row or
// customer.
type Problem struct {
	What string
}

// finding orders problems: the file first, then purchases, then the
// ledger by customer and row.
type finding struct {
	part int
	cust ID
	row  ID
	what string
}

// Check verifies the database file (integrity and foreign keys) and every
// ledger invariant of the product: the running balance never goes below
// zero, earn rows match their purchases, refund reversals match their
// refunds, redeem rows belong to sales and match their discount,
// adjustments carry a reason, expiry never takes more than was earned, and
// every row names a staff member. Dates are not limited to today: the
// whole file is checked.
func (s *Store) Check(ctx context.Context) ([]Problem, error) {
	return s.check(ctx, true)
}

// check runs the file check (the full integrity_check and the foreign keys,
// or at start-up the cheaper quick_check alone) and the ledger invariants.
func (s *Store) check(ctx context.Context, full bool) ([]Problem, error) {
	var found []finding
	add := func(part int, cust, row ID, format string, args ...any) {
		found = append(found, finding{part, cust, row, fmt.Sprintf(format, args...)})
	}
	db := s.reader()

	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	msgs, err := pragmaLines(ctx, db, pragma)
	if err != nil {
		return nil, s.explain(err)
	}
	for _, m := range msgs {
		if m != "ok" {
			add(0, 0, 0, "the database file is damaged: %s", oneLine(m))
		}
	}
	schema, err := s.schemaFindings(ctx, db)
	if err != nil {
		return nil, s.explain(err)
	}
	for _, p := range schema {
		add(0, 0, 0, "%s", p)
	}
	if !full && len(found) > 0 {
		// The rows of a damaged file cannot be trusted; say so alone.
		return []Problem{{What: found[0].what}}, nil
	}
	if full {
		fk, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return nil, s.explain(err)
		}
		for fk.Next() {
			var table, parent string
			var rowid, fkid any
			if err := fk.Scan(&table, &rowid, &parent, &fkid); err != nil {
				fk.Close()
				return nil, err
			}
			add(0, 0, 0, "%s row %v refers to a %s row that does not exist", table, rowid, parent)
		}
		fk.Close()
		if err := fk.Err(); err != nil {
			return nil, s.explain(err)
		}
	}

	l, err := s.Loyalty(ctx)
	if err == nil {
		err = l.Validate()
	}
	if err != nil {
		add(0, 0, 0, "the loyalty scheme is not usable (%v); points were checked against the default scheme", err)
		l = DefaultLoyalty()
	}
	history, err := s.loyaltyHistory(ctx)
	if err != nil {
		add(0, 0, 0, "%v", err)
	}

	all, err := queryPurchases(ctx, db, "SELECT "+purchaseCols+" FROM purchases ORDER BY id")
	if err != nil {
		return nil, s.explain(err)
	}
	rows, err := queryLedger(ctx, db, "SELECT "+ledgerCols+" FROM ledger ORDER BY customer_id, day, id")
	if err != nil {
		return nil, s.explain(err)
	}

	purchases := map[ID]Purchase{}
	refunds := map[ID][]Purchase{} // by original, in id order
	for _, p := range all {
		purchases[p.ID] = p
		if p.RefundOf != 0 {
			refunds[p.RefundOf] = append(refunds[p.RefundOf], p)
		}
	}
	for _, p := range all {
		if p.RefundOf != 0 {
			o, ok := purchases[p.RefundOf]
			switch {
			case !ok:
				continue // reported by the foreign key check
			case o.RefundOf != 0:
				add(1, p.CustomerID, p.ID, "refund %d is of purchase %d, which is itself a refund", p.ID, o.ID)
			case o.CustomerID != p.CustomerID:
				add(1, p.CustomerID, p.ID, "refund %d is for %s but purchase %d was for %s", p.ID, customerPhrase(p.CustomerID), o.ID, customerPhrase(o.CustomerID))
			case o.Voided && !p.Voided:
				add(1, p.CustomerID, p.ID, "refund %d of voided purchase %d is not voided", p.ID, o.ID)
			}
			continue
		}
		if p.Discount < 0 || p.Discount > p.Amount {
			add(1, p.CustomerID, p.ID, "purchase %d has a discount of %s on an amount of %s", p.ID, p.Discount, p.Amount)
		}
		var refunded Cents
		for _, r := range refunds[p.ID] {
			refunded -= r.Amount
		}
		if refunded > p.Amount {
			add(1, p.CustomerID, p.ID, "purchase %d of %s has %s refunded, more than it was", p.ID, p.Amount, refunded)
		}
	}

	byPurchase := map[ID]map[LedgerKind][]LedgerRow{}
	for _, r := range rows {
		if r.PurchaseID == 0 {
			continue
		}
		if byPurchase[r.PurchaseID] == nil {
			byPurchase[r.PurchaseID] = map[LedgerKind][]LedgerRow{}
		}
		byPurchase[r.PurchaseID][r.Kind] = append(byPurchase[r.PurchaseID][r.Kind], r)
	}
	sum := func(pid ID, kind LedgerKind, f func(LedgerRow) int64) int64 {
		var n int64
		for _, r := range byPurchase[pid][kind] {
			n += f(r)
		}
		return n
	}
	points := func(r LedgerRow) int64 { return r.Points }
	takenBack := func(r LedgerRow) int64 { return r.Shortfall - r.Points }

	for _, r := range rows {
		at := func(format string, args ...any) {
			add(2, r.CustomerID, r.ID, "ledger row %d (customer %d, %s %d on %s): %s", r.ID, r.CustomerID, r.Kind, r.Points, r.Day,
				fmt.Sprintf(format, args...))
		}
		if r.Staff == "" {
			at("no staff member is named")
		}
		if r.Shortfall < 0 || (r.Shortfall != 0 && r.Kind != LedgerRefundReversal && r.Kind != LedgerVoidReversal) {
			at("a shortfall of %d does not belong on it", r.Shortfall)
		}
		needsPurchase := r.Kind == LedgerEarn || r.Kind == LedgerRedeem || r.Kind == LedgerRefundReversal || r.Kind == LedgerVoidReversal
		p, ok := purchases[r.PurchaseID]
		if needsPurchase {
			switch {
			case r.PurchaseID == 0:
				at("it names no purchase")
				continue
			case !ok:
				at("purchase %d does not exist", r.PurchaseID)
				continue
			case p.CustomerID != r.CustomerID:
				at("purchase %d is %s", p.ID, customerPhrase(p.CustomerID))
			}
		}
		switch r.Kind {
		case LedgerEarn:
			if p.RefundOf != 0 {
				at("purchase %d is a refund, which earns nothing", p.ID)
				break
			}
			if want := history.on(p.Day, l).EarnedFor(p.Paid()); r.Points != want {
				at("purchase %d paid %s, which earns %d points", p.ID, p.Paid(), want)
			}
			if first := byPurchase[p.ID][LedgerEarn][0]; first.ID != r.ID {
				at("purchase %d already earned points in row %d", p.ID, first.ID)
			}
		case LedgerRedeem:
			if p.RefundOf != 0 {
				at("purchase %d is a refund, not a sale", p.ID)
				break
			}
			n := -r.Points
			if pl := history.on(p.Day, l); n <= 0 || n%pl.RewardPoints != 0 || rewardValue(n/pl.RewardPoints, pl) != p.Discount {
				at("purchase %d took %s off, which is not what %d points are worth", p.ID, p.Discount, n)
			}
			if first := byPurchase[p.ID][LedgerRedeem][0]; first.ID != r.ID {
				at("purchase %d already redeemed points in row %d", p.ID, first.ID)
			}
		case LedgerRefundReversal:
			if p.RefundOf == 0 {
				at("purchase %d is a sale, not a refund", p.ID)
			}
			if r.Points > 0 {
				at("a refund cannot add points")
			}
			if first := byPurchase[p.ID][LedgerRefundReversal][0]; first.ID != r.ID {
				at("refund %d already took back points in row %d", p.ID, first.ID)
			}
		case LedgerVoidReversal:
			if !p.Voided {
				at("purchase %d is not voided", p.ID)
			}
		case LedgerAdjustment:
			if r.Reason == "" {
				at("an adjustment needs a reason")
			}
		case LedgerExpiry:
			if r.Points >= 0 {
				at("an expiry must take points away")
			}
		}
	}

	// Refund reversals, in the order the refunds were made.
	for _, o := range all {
		rs := refunds[o.ID]
		if len(rs) == 0 || o.RefundOf != 0 || o.CustomerID == 0 {
			continue
		}
		earned := sum(o.ID, LedgerEarn, points)
		var refunded Cents
		var before int64
		for _, rf := range rs {
			refunded -= rf.Amount
			due := reversalDue(earned, o.Paid(), refunded, before)
			got := byPurchase[rf.ID][LedgerRefundReversal]
			switch {
			case len(got) == 0 && due > 0:
				add(1, rf.CustomerID, rf.ID, "refund %d of purchase %d should take back %d points but no reversal was written", rf.ID, o.ID, due)
			case len(got) > 0 && takenBack(got[0]) != due:
				r := got[0]
				add(2, r.CustomerID, r.ID, "ledger row %d (customer %d, refund_reversal %d on %s): refund %d should take back %d points, not %d with a shortfall of %d",
					r.ID, r.CustomerID, r.Points, r.Day, rf.ID, due, -r.Points, r.Shortfall)
			}
			if len(got) > 0 {
				before += takenBack(got[0])
			}
		}
	}

	// Voids give back what was redeemed and take back what was earned and
	// not already taken back by refunds.
	for _, p := range all {
		if !p.Voided || p.RefundOf != 0 || p.CustomerID == 0 {
			continue
		}
		var gave, took int64
		for _, r := range byPurchase[p.ID][LedgerVoidReversal] {
			if r.Points > 0 {
				gave += r.Points
			} else {
				took += takenBack(r)
			}
		}
		var reversed int64
		for _, rf := range refunds[p.ID] {
			reversed += sum(rf.ID, LedgerRefundReversal, takenBack)
		}
		redeemed := -sum(p.ID, LedgerRedeem, points)
		earned := sum(p.ID, LedgerEarn, points)
		if gave != redeemed || took != max(earned-reversed, 0) {
			add(1, p.CustomerID, p.ID, "voided purchase %d gave back %d and took back %d points, but should give back %d and take back %d",
				p.ID, gave, took, redeemed, max(earned-reversed, 0))
		}
	}

	// Per customer: the running balance, and expiry against what was
	// earned and still unspent (oldest points are spent first).
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].CustomerID == rows[start].CustomerID {
			end++
		}
		var run int64
		low := false
		q := lotQueue{}
		for _, r := range rows[start:end] {
			if r.Kind == LedgerExpiry && r.Points < 0 {
				day := r.Day
				if left := q.leftWhere(func(l pointsLot) bool { return l.Earned < day }); -r.Points > left {
					add(2, r.CustomerID, r.ID, "ledger row %d (customer %d, expiry %d on %s): only %d points earned before then were left to expire",
						r.ID, r.CustomerID, r.Points, r.Day, left)
				}
			}
			q.apply(r)
			run += r.Points
			if run < 0 && !low {
				low = true
				add(2, r.CustomerID, r.ID, "customer %d: the balance falls to %d at ledger row %d on %s", r.CustomerID, run, r.ID, r.Day)
			}
		}
		start = end
	}

	if full {
		// The kept reminder rows are derived: not worth holding the start up.
		derived, err := s.checkDerived(ctx)
		if err != nil {
			return nil, err
		}
		found = append(found, derived...)
		lists, err := s.checkLists(ctx)
		if err != nil {
			return nil, err
		}
		found = append(found, lists...)
	}

	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.part != b.part {
			return a.part < b.part
		}
		if a.cust != b.cust {
			return a.cust < b.cust
		}
		if a.row != b.row {
			return a.row < b.row
		}
		return a.what < b.what
	})
	out := make([]Problem, 0, len(found))
	for _, f := range found {
		out = append(out, Problem{What: f.what})
	}
	return out, nil
}

func customerPhrase(customerID ID) string {
	if customerID == 0 {
		return "a walk-in"
	}
	return fmt.Sprintf("customer %d", customerID)
}

func pragmaLines(ctx context.Context, q querier, pragma string) ([]string, error) {
	rows, err := q.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
