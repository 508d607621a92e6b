package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
)

// maxAdjustment keeps hand-typed adjustments far from overflowing a sum.
const maxAdjustment = 1_000_000_000

// scheme is the loyalty scheme, refused when a stored one is unusable so
// that no rule below divides by zero.
func (s *Store) scheme(ctx context.Context) (Loyalty, error) {
	l, err := s.Loyalty(ctx)
	if err != nil {
		return l, err
	}
	h, err := s.loyaltyHistory(ctx)
	if err != nil {
		return l, err
	}
	l = h.on(s.Today(), l) // a sale dated before a change uses the scheme of its day
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("the loyalty scheme in Settings is not usable: %v", err)
	}
	return l, nil
}

const ledgerCols = `id, customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall, till`

func scanLedger(r rowScanner) (LedgerRow, error) {
	var l LedgerRow
	var at string
	var day sql.NullString
	var purchase sql.NullInt64
	err := r.Scan(&l.ID, &l.CustomerID, &at, &day, &l.Kind, &l.Points, &purchase, &l.Staff, &l.Reason, &l.Shortfall, &l.Till)
	l.At = parseInstant(at)
	l.Day = scanDay(day)
	l.PurchaseID = purchase.Int64
	return l, err
}

func queryLedger(ctx context.Context, q querier, query string, args ...any) ([]LedgerRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerRow
	for rows.Next() {
		l, err := scanLedger(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// customerLedger is every row of a customer, whatever its day, in the order
// the running balance is taken: by day, then as written.
func customerLedger(ctx context.Context, q querier, customerID ID) ([]LedgerRow, error) {
	return queryLedger(ctx, q, "SELECT "+ledgerCols+" FROM ledger WHERE customer_id = ? ORDER BY day, id", customerID)
}

func insertLedger(ctx context.Context, tx *sql.Tx, r LedgerRow) (ID, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall, till)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, r.CustomerID, fmtInstant(r.At), r.Day.String(), string(r.Kind), r.Points,
		nullID(r.PurchaseID), r.Staff, r.Reason, r.Shortfall, tillOr(r.Till))
	if err != nil {
		return 0, err
	}
	touch(tx, r.CustomerID)
	return res.LastInsertId()
}

func balanceTx(ctx context.Context, q querier, customerID ID, day Day) (int64, error) {
	var b int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(SUM(points), 0) FROM ledger WHERE customer_id = ? AND day <= ?",
		customerID, day.String()).Scan(&b)
	return b, err
}

// spendable is how many points a row written on day may take away. The new
// row sorts after every row of that day, so it lowers the balance from there
// on: through day, and after each row already dated later (the --date flag
// can write into the past). None of those may go below zero.
func spendable(rows []LedgerRow, day Day) int64 {
	var run int64
	free := int64(math.MaxInt64)
	seen := false
	for _, r := range rows {
		if r.Day > day && !seen {
			free, seen = run, true
		}
		run += r.Points
		if seen {
			free = min(free, run)
		}
	}
	if !seen {
		free = run
	}
	return free
}

// reversalDue is what a refund takes back of the points its sale earned:
// the earned points in proportion to the money refunded so far (of what was
// paid), rounded down, less what earlier refunds already took or noted as
// a shortfall. A full refund therefore takes back exactly what was earned.
func reversalDue(earned int64, paid, refunded Cents, reversedBefore int64) int64 {
	if earned <= 0 || paid <= 0 || refunded <= 0 {
		return 0
	}
	if refunded > paid {
		refunded = paid
	}
	hi, lo := bits.Mul64(uint64(earned), uint64(refunded))
	if hi >= uint64(paid) {
		// Only reachable with more points than paid cents; take all.
		return max(earned-reversedBefore, 0)
	}
	share, _ := bits.Div64(hi, lo, uint64(paid))
	return max(int64(share)-reversedBefore, 0)
}

// Balance is a customer's points: the sum of their ledger rows up to today.
func (s *Store) Balance(ctx context.Context, customerID ID) (int64, error) {
	b, err := balanceTx(ctx, s.reader(), customerID, s.Today())
	return b, s.explain(err)
}

// Balances is every customer's points up to today.
func (s *Store) Balances(ctx context.Context) (map[ID]int64, error) {
	var kept map[ID]int64
	var ids []ID
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
	out := make(map[ID]int64, len(ids))
	for _, id := range ids {
		out[id] = sums[id]
	}
	return out, nil
}

// PointsHolder is a customer with a points balance.
type PointsHolder struct {
	Customer Customer
	Balance  int64
}

// HoldersFrom lists the customers holding at least min points up to today,
// most points first: with the reward size, who has a reward ready.
func (s *Store) HoldersFrom(ctx context.Context, min int64) ([]PointsHolder, error) {
	var kept map[ID]int64
	var cs []Customer
	err := parallel(func() (err error) {
		// Only customers with ledger rows hold anything, even for a
		// minimum of zero or less, which summary rows cannot tell.
		if min > 0 {
			kept, err = s.summaryBalances(ctx, s.Today())
		}
		return err
	}, func() (err error) {
		cs, err = s.packedCustomers(ctx, "", nil, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]ID, len(cs))
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
func (s *Store) Ledger(ctx context.Context, customerID ID) ([]LedgerRow, error) {
	rows, err := queryLedger(ctx, s.reader(), "SELECT "+ledgerCols+` FROM ledger
		WHERE customer_id = ? AND day <= ? ORDER BY day, id`, customerID, s.Today().String())
	return rows, s.explain(err)
}

// AllLedger lists every loyalty row up to today, by customer, oldest first.
func (s *Store) AllLedger(ctx context.Context) ([]LedgerRow, error) {
	rows, err := queryLedger(ctx, s.reader(), "SELECT "+ledgerCols+` FROM ledger
		WHERE day <= ? ORDER BY customer_id, day, id`, s.Today().String())
	return rows, s.explain(err)
}

// AdjustPoints adds (or, when negative, removes) points by hand. It needs a
// reason and the staff member's name, never takes the balance below zero,
// and is written to the audit log.
func (s *Store) AdjustPoints(ctx context.Context, customerID ID, points int64, reason, staff string) (LedgerRow, error) {
	reason, staff = strings.TrimSpace(reason), strings.TrimSpace(staff)
	switch {
	case points == 0:
		return LedgerRow{}, fmt.Errorf("an adjustment must add or remove some points")
	case points > maxAdjustment || points < -maxAdjustment:
		return LedgerRow{}, fmt.Errorf("an adjustment of %d points is too large", points)
	case reason == "":
		return LedgerRow{}, fmt.Errorf("a points adjustment needs a reason")
	case staff == "":
		return LedgerRow{}, fmt.Errorf("a points adjustment needs the name of the staff member making it")
	}
	l, err := s.scheme(ctx)
	if err != nil {
		return LedgerRow{}, err
	}
	now, today := s.Now(), s.Today()
	row := LedgerRow{CustomerID: customerID, At: now, Day: today, Kind: LedgerAdjustment, Points: points, Staff: staff, Reason: reason}
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
		if free := spendable(rows, today); points < 0 && -points > free {
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
		return LedgerRow{}, err
	}
	return row, nil
}

// ApplyExpiry writes expiry rows for points whose expiry day is on or
// before asOf and that are still unspent, oldest first. Running it again
// writes nothing more. It returns the points expired.
func (s *Store) ApplyExpiry(ctx context.Context, asOf Day) (int64, error) {
	l, err := s.scheme(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = applyExpiryTx(ctx, tx, l, asOf, 0)
		return err
	})
	return n, err
}

// applyExpiryTx expires the points of one customer, or of all when
// customerID is 0.
func applyExpiryTx(ctx context.Context, tx *sql.Tx, l Loyalty, asOf Day, customerID ID) (int64, error) {
	if l.ExpiryMonths <= 0 {
		return 0, nil
	}
	var all []LedgerRow
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
		for _, r := range expiryDue(all[start:end], l.ExpiryMonths, asOf) {
			if _, err := insertLedger(ctx, tx, r); err != nil {
				return 0, err
			}
			total -= r.Points
		}
		start = end
	}
	return total, nil
}

// pointsLot is a batch of points added by one ledger row; what is left of
// it after spending (oldest lots first) expires together.
type pointsLot struct {
	Row     ID
	Earned  Day
	Expires Day // zero when points never expire
	Points  int64
	Left    int64
}

// lotQueue spends points first in, first out.
type lotQueue struct {
	lots   []pointsLot
	head   int
	months int
}

func (q *lotQueue) add(r LedgerRow) {
	l := pointsLot{Row: r.ID, Earned: r.Day, Points: r.Points, Left: r.Points}
	if q.months > 0 {
		l.Expires = r.Day.AddMonths(q.months)
	}
	q.lots = append(q.lots, l)
}

// take spends n points from the oldest lots, calling each (if not nil) with
// the lot and the points taken from it; it returns what it could not cover.
func (q *lotQueue) take(n int64, each func(l pointsLot, k int64)) int64 {
	for n > 0 && q.head < len(q.lots) {
		l := &q.lots[q.head]
		k := min(n, l.Left)
		l.Left -= k
		n -= k
		if each != nil {
			each(*l, k)
		}
		if l.Left == 0 {
			q.head++
		}
	}
	return n
}

// leftWhere sums the unspent points of lots that match.
func (q *lotQueue) leftWhere(match func(pointsLot) bool) int64 {
	var n int64
	for _, l := range q.lots[q.head:] {
		if match(l) {
			n += l.Left
		}
	}
	return n
}

func (q *lotQueue) apply(r LedgerRow) {
	if r.Points > 0 {
		q.add(r)
	} else {
		q.take(-r.Points, nil)
	}
}

func sortLedger(rows []LedgerRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Day != rows[j].Day {
			return rows[i].Day < rows[j].Day
		}
		return rows[i].ID < rows[j].ID
	})
}

// fifoLots replays one customer's rows (any order; they are taken by day,
// then id): every positive row is a lot, every negative row spends the
// oldest lots first. It returns the lots with points left.
func fifoLots(rows []LedgerRow, months int) []pointsLot {
	sorted := append([]LedgerRow(nil), rows...)
	sortLedger(sorted)
	q := lotQueue{months: months}
	for _, r := range sorted {
		q.apply(r)
	}
	var out []pointsLot
	for _, l := range q.lots[q.head:] {
		if l.Left > 0 {
			out = append(out, l)
		}
	}
	return out
}

// expiryDue computes the expiry rows one customer's ledger (sorted by
// day, id) still lacks on asOf. Each expiry day is taken in turn: the rows
// dated up to it are replayed, the lots due by then that still have points
// left expire, as far as the balance from that day on allows (a row dated
// in the past must not make a later balance negative).
func expiryDue(rows []LedgerRow, months int, asOf Day) []LedgerRow {
	if months <= 0 || len(rows) == 0 {
		return nil
	}
	n := len(rows)
	prefix := make([]int64, n+1) // prefix[k]: balance after the first k rows
	for i, r := range rows {
		prefix[i+1] = prefix[i] + r.Points
	}
	lowFrom := make([]int64, n+2) // lowFrom[k]: lowest of prefix[k..n]
	lowFrom[n+1] = math.MaxInt64
	for k := n; k >= 0; k-- {
		lowFrom[k] = min(prefix[k], lowFrom[k+1])
	}
	var days []Day
	for _, r := range rows {
		if e := r.Day.AddMonths(months); r.Points > 0 && e <= asOf {
			days = append(days, e)
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	q := lotQueue{months: months}
	var out []LedgerRow
	var expired int64
	next := 0
	for i, e := range days {
		if i > 0 && days[i-1] == e {
			continue
		}
		for next < n && rows[next].Day <= e {
			q.apply(rows[next])
			next++
		}
		due := q.leftWhere(func(l pointsLot) bool { return l.Expires <= e })
		room := lowFrom[next] - expired
		x := min(due, room)
		if x <= 0 {
			continue
		}
		expired += x
		y, m, d := e.Date()
		at := time.Date(y, m, d, 0, 0, 0, 0, time.Local)
		q.take(x, func(l pointsLot, k int64) {
			if last := len(out) - 1; last >= 0 && out[last].Day == e && out[last].Reason == expiryReason(l.Earned) {
				out[last].Points -= k
				return
			}
			out = append(out, LedgerRow{CustomerID: rows[0].CustomerID, At: at, Day: e, Kind: LedgerExpiry,
				Points: -k, Staff: "system", Reason: expiryReason(l.Earned)})
		})
	}
	return out
}

func expiryReason(earned Day) string { return "expired points earned on " + earned.String() }

// LoyaltyOverview is what the Loyalty screen's summary shows, with the
// first page of who has a reward ready.
type LoyaltyOverview struct {
	Scheme      Loyalty
	Outstanding int64 // every customer's points added up
	Holders     int   // customers holding any
	// Liability is what the points held would cost if spent, counted as
	// PointsReport counts it: whole rewards per customer.
	Liability Cents
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
			o.Liability += Cents(b/o.Scheme.RewardPoints) * o.Scheme.RewardValue
		}
	}
	o.Ready, err = s.readyPage(ctx, bal, o.Scheme.RewardPoints, 0, limit)
	return o, err
}

// ReadyPage is the customers holding at least min points (min > 0), most
// first, from offset on, at most limit of them.
func (s *Store) ReadyPage(ctx context.Context, min int64, offset, limit int) (ReadyPage, error) {
	if min <= 0 {
		// Only customers with ledger rows hold anything, even for a
		// minimum of zero or less, which the balances cannot tell.
		hs, err := s.HoldersFrom(ctx, min)
		if err != nil {
			return ReadyPage{}, err
		}
		offset, limit = max(offset, 0), max(limit, 0)
		lo, hi := min2(offset, len(hs)), min2(offset+limit, len(hs))
		return ReadyPage{Total: len(hs), Offset: offset, Rows: hs[lo:hi:hi]}, nil
	}
	bal, err := s.Balances(ctx)
	if err != nil {
		return ReadyPage{}, err
	}
	return s.readyPage(ctx, bal, min, offset, limit)
}

// readyPage is ReadyPage of the balances bal (least > 0): only the page's
// customers are read.
func (s *Store) readyPage(ctx context.Context, bal map[ID]int64, least int64, offset, limit int) (ReadyPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	var ready []ID
	for id, b := range bal {
		if b >= least {
			ready = append(ready, id)
		}
	}
	slices.SortFunc(ready, func(a, b ID) int { return cmp.Or(cmp.Compare(bal[b], bal[a]), cmpID(a, b)) })
	p := ReadyPage{Total: len(ready), Offset: offset}
	page := ready[min2(offset, len(ready)):min2(offset+limit, len(ready))]
	for start := 0; start < len(page); start += 500 {
		part := page[start:min(start+500, len(page))]
		cs, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE id IN (?"+strings.Repeat(",?", len(part)-1)+")", idArgs(part)...)
		if err != nil {
			return p, err
		}
		byID := make(map[ID]Customer, len(cs))
		for _, c := range cs {
			byID[c.ID] = c
		}
		for _, id := range part {
			// A customer merged away since the balances were read is
			// left out; the next read counts without them.
			if c, ok := byID[id]; ok {
				p.Rows = append(p.Rows, PointsHolder{Customer: c, Balance: bal[id]})
			}
		}
	}
	return p, nil
}

func min2(a, b int) int { return min(a, b) }
