package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
	"sort"
	"strings"
)

// maxAdjustment keeps hand-typed adjustments far from overflowing a sum.
const maxAdjustment = 1_000_000_000

// scheme is the loyalty scheme, refused when a stored one is unusable so
// that no rule below divides by zero.
func (s *Store) scheme(ctx context.Context) (rules.Loyalty, error) {
	l, err := s.Loyalty(ctx)
	if err != nil {
		return l, err
	}
	h, err := s.loyaltyHistory(ctx)
	if err != nil {
		return l, err
	}
	l = h.On(s.Today(), l) // a sale dated before a change uses the scheme of its day
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("the loyalty scheme in Settings is not usable: %v", err)
	}
	return l, nil
}

const ledgerCols = `id, customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall, till`

func scanLedger(r rowScanner) (rules.LedgerRow, error) {
	var l rules.LedgerRow
	var at string
	var day sql.NullString
	var purchase sql.NullInt64
	err := r.Scan(&l.ID, &l.CustomerID, &at, &day, &l.Kind, &l.Points, &purchase, &l.Staff, &l.Reason, &l.Shortfall, &l.Till)
	l.At = parseInstant(at)
	l.Day = scanDay(day)
	l.PurchaseID = purchase.Int64
	return l, err
}

func queryLedger(ctx context.Context, q querier, query string, args ...any) ([]rules.LedgerRow, error) {
	return queryRows(ctx, q, scanLedger, query, args...)
}

// customerLedger is every row of a customer, whatever its day, in the order
// the running balance is taken: by day, then as written.
func customerLedger(ctx context.Context, q querier, customerID rules.ID) ([]rules.LedgerRow, error) {
	return queryLedger(ctx, q, "SELECT "+ledgerCols+" FROM ledger WHERE customer_id = ? ORDER BY day, id", customerID)
}

func insertLedger(ctx context.Context, tx *sql.Tx, r rules.LedgerRow) (rules.ID, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall, till)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, r.CustomerID, fmtInstant(r.At), r.Day.String(), string(r.Kind), r.Points,
		nullID(r.PurchaseID), r.Staff, r.Reason, r.Shortfall, tillOr(r.Till))
	if err != nil {
		return 0, err
	}
	touch(tx, r.CustomerID)
	return res.LastInsertId()
}

func balanceTx(ctx context.Context, q querier, customerID rules.ID, day rules.Day) (int64, error) {
	var b int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(SUM(points), 0) FROM ledger WHERE customer_id = ? AND day <= ?",
		customerID, day.String()).Scan(&b)
	return b, err
}

// Balance is a customer's points: the sum of their ledger rows up to today.
func (s *Store) Balance(ctx context.Context, customerID rules.ID) (int64, error) {
	b, err := balanceTx(ctx, s.reader(), customerID, s.Today())
	return b, s.explain(err)
}

// Balances is every customer's points up to today.
func (s *Store) Balances(ctx context.Context) (map[rules.ID]int64, error) {
	var kept map[rules.ID]int64
	var ids []rules.ID
	err := parallel(func() (err error) {
		kept, err = s.summaryBalances(ctx, s.Today())
		return err
	}, func() (err error) {
		ids, err = s.customerIDs(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	sums, err := s.balancesFor(ctx, ids, kept, s.Today())
	if err != nil {
		return nil, err
	}
	out := make(map[rules.ID]int64, len(ids))
	for _, id := range ids {
		out[id] = sums[id]
	}
	return out, nil
}

// PointsHolder is a customer with a points balance.
type PointsHolder struct {
	Customer rules.Customer
	Balance  int64
}

// HoldersFrom lists the customers holding at least min points up to today,
// most points first: with the reward size, who has a reward ready.
func (s *Store) HoldersFrom(ctx context.Context, min int64) ([]PointsHolder, error) {
	var kept map[rules.ID]int64
	var cs []rules.Customer
	err := parallel(func() (err error) {
		// Only customers with ledger rows hold anything, even for a
		// minimum of zero or less, which summary rows cannot tell.
		if min > 0 {
			kept, err = s.summaryBalances(ctx, s.Today())
		}
		return err
	}, func() (err error) {
		cs, err = s.Customers(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]rules.ID, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	sums, err := s.balancesFor(ctx, ids, kept, s.Today())
	if err != nil {
		return nil, err
	}
	var out []PointsHolder
	for _, c := range cs {
		if b, ok := sums[c.ID]; ok && b >= min {
			out = append(out, PointsHolder{Customer: c, Balance: b})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Balance > out[j].Balance })
	return out, nil
}

// Ledger lists a customer's loyalty rows up to today, oldest first.
func (s *Store) Ledger(ctx context.Context, customerID rules.ID) ([]rules.LedgerRow, error) {
	rows, err := queryLedger(ctx, s.reader(), "SELECT "+ledgerCols+` FROM ledger
		WHERE customer_id = ? AND day <= ? ORDER BY day, id`, customerID, s.Today().String())
	return rows, s.explain(err)
}

// AdjustPoints adds (or, when negative, removes) points by hand. It needs a
// reason and the staff member's name, never takes the balance below zero,
// and is written to the audit log.
func (s *Store) AdjustPoints(ctx context.Context, customerID rules.ID, points int64, reason, staff string) (rules.LedgerRow, error) {
	reason, staff = strings.TrimSpace(reason), strings.TrimSpace(staff)
	switch {
	case points == 0:
		return rules.LedgerRow{}, fmt.Errorf("an adjustment must add or remove some points")
	case points > maxAdjustment || points < -maxAdjustment:
		return rules.LedgerRow{}, fmt.Errorf("an adjustment of %d points is too large", points)
	case reason == "":
		return rules.LedgerRow{}, fmt.Errorf("a points adjustment needs a reason")
	case staff == "":
		return rules.LedgerRow{}, fmt.Errorf("a points adjustment needs the name of the staff member making it")
	}
	l, err := s.scheme(ctx)
	if err != nil {
		return rules.LedgerRow{}, err
	}
	now, today := s.Now(), s.Today()
	row := rules.LedgerRow{CustomerID: customerID, At: now, Day: today, Kind: rules.LedgerAdjustment, Points: points, Staff: staff, Reason: reason}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := customerExists(ctx, tx, customerID); err != nil {
			return err
		}
		if _, err := applyExpiryTx(ctx, tx, l, today, customerID); err != nil {
			return err
		}
		rows, err := customerLedger(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if free := rules.Spendable(rows, today); points < 0 && -points > free {
			return fmt.Errorf("removing %d points would take the balance below zero (it is %d)", -points, max(free, 0))
		}
		before, err := balanceTx(ctx, tx, customerID, today)
		if err != nil {
			return err
		}
		if err := recordStaffName(ctx, tx, staff); err != nil {
			return err
		}
		if row.ID, err = insertLedger(ctx, tx, row); err != nil {
			return err
		}
		return audit(ctx, tx, now, staff, "adjust points", fmt.Sprintf("customer %d: %s", customerID, reason),
			itoa(before), itoa(before+points))
	})
	if err != nil {
		return rules.LedgerRow{}, err
	}
	return row, nil
}

// applyExpiryTx expires the points of one customer, or of all when
// customerID is 0.
func applyExpiryTx(ctx context.Context, tx *sql.Tx, l rules.Loyalty, asOf rules.Day, customerID rules.ID) (int64, error) {
	if l.ExpiryMonths <= 0 {
		return 0, nil
	}
	var all []rules.LedgerRow
	var err error
	if customerID != 0 {
		all, err = customerLedger(ctx, tx, customerID)
	} else {
		all, err = queryLedger(ctx, tx, "SELECT "+ledgerCols+" FROM ledger ORDER BY customer_id, day, id")
	}
	if err != nil {
		return 0, err
	}
	var total int64
	for start := 0; start < len(all); {
		end := start
		for end < len(all) && all[end].CustomerID == all[start].CustomerID {
			end++
		}
		for _, r := range rules.ExpiryDue(all[start:end], l.ExpiryMonths, asOf) {
			if _, err := insertLedger(ctx, tx, r); err != nil {
				return 0, err
			}
			total -= r.Points
		}
		start = end
	}
	return total, nil
}

// LoyaltyOverview is what the Loyalty screen's summary shows, with the
// first page of who has a reward ready.
type LoyaltyOverview struct {
	Scheme      rules.Loyalty
	Outstanding int64 // every customer's points added up
	Holders     int   // customers holding any
	// Liability is what the points held would cost if spent, counted as
	// PointsReport counts it: whole rewards per customer.
	Liability rules.Cents
	Ready     ReadyPage
}

// ReadyPage is a stretch of the customers holding at least a reward's
// points, most points first (HoldersFrom's order), with how many there are.
type ReadyPage struct {
	Total  int
	Offset int
	Rows   []PointsHolder
}

// LoyaltyOverview reads the Loyalty screen's summary and the first limit
// customers with a reward ready.
func (s *Store) LoyaltyOverview(ctx context.Context, limit int) (LoyaltyOverview, error) {
	var o LoyaltyOverview
	var err error
	if o.Scheme, err = s.Loyalty(ctx); err != nil {
		return o, err
	}
	if err := o.Scheme.Validate(); err != nil {
		return o, fmt.Errorf("the loyalty scheme in Settings is not usable: %v", err)
	}
	bal, err := s.Balances(ctx)
	if err != nil {
		return o, err
	}
	for _, b := range bal {
		o.Outstanding += b
		if b > 0 {
			o.Holders++
			o.Liability += rules.Cents(b/o.Scheme.RewardPoints) * o.Scheme.RewardValue
		}
	}
	o.Ready, err = s.readyPage(ctx, bal, o.Scheme.RewardPoints, 0, limit)
	return o, err
}

// ReadyPage is the customers holding least points or more (least > 0), most
// first, from offset on, at most limit of them.
func (s *Store) ReadyPage(ctx context.Context, least int64, offset, limit int) (ReadyPage, error) {
	if least <= 0 {
		// Only customers with ledger rows hold anything, even for a
		// minimum of zero or less, which the balances cannot tell.
		hs, err := s.HoldersFrom(ctx, least)
		if err != nil {
			return ReadyPage{}, err
		}
		offset, limit = max(offset, 0), max(limit, 0)
		lo, hi := min(offset, len(hs)), min(offset+limit, len(hs))
		return ReadyPage{Total: len(hs), Offset: offset, Rows: hs[lo:hi:hi]}, nil
	}
	bal, err := s.Balances(ctx)
	if err != nil {
		return ReadyPage{}, err
	}
	return s.readyPage(ctx, bal, least, offset, limit)
}

// readyPage is ReadyPage of the balances bal (least > 0): only the page's
// customers are read.
func (s *Store) readyPage(ctx context.Context, bal map[rules.ID]int64, least int64, offset, limit int) (ReadyPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	var ready []rules.ID
	for id, b := range bal {
		if b >= least {
			ready = append(ready, id)
		}
	}
	slices.SortFunc(ready, func(a, b rules.ID) int { return cmp.Or(cmp.Compare(bal[b], bal[a]), cmpID(a, b)) })
	p := ReadyPage{Total: len(ready), Offset: offset}
	// A customer merged away since the balances were read is left out;
	// the next read counts without them.
	cs, err := s.customersInOrder(ctx, ready[min(offset, len(ready)):min(offset+limit, len(ready))])
	for _, c := range cs {
		p.Rows = append(p.Rows, PointsHolder{Customer: c, Balance: bal[c.ID]})
	}
	return p, err
}
