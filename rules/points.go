package rules

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sort"
	"time"
)

// Spendable is how many points a row written on day may take away. The new
// row sorts after every row of that day, so it lowers the balance from there
// on: through day, and after each row already dated later (the --date flag
// can write into the past). None of those may go below zero.
func Spendable(rows []LedgerRow, day Day) int64 {
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

// ReversalDue is what a refund takes back of the points its sale earned:
// the earned points in proportion to the money refunded so far (of what was
// paid), rounded down, less what earlier refunds already took or noted as
// a shortfall. A full refund therefore takes back exactly what was earned.
func ReversalDue(earned int64, paid, refunded Cents, reversedBefore int64) int64 {
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

// PointsLot is the points given in one ledger row and what is left of them
// after the negative rows spent points, oldest lots first; what is left
// expires together.
type PointsLot struct {
	Row     ID
	Earned  Day
	Expires Day // zero when points never expire (months 0)
	Points  int64
	Left    int64
}

// LotQueue spends points first in, first out.
type LotQueue struct {
	lots   []PointsLot
	head   int
	months int
}

// Take spends n points from the oldest lots, calling each (if not nil) with
// the lot and the points taken from it; it returns what it could not cover.
func (q *LotQueue) Take(n int64, each func(l PointsLot, k int64)) int64 {
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

// LeftWhere sums the unspent points of lots that match.
func (q *LotQueue) LeftWhere(match func(PointsLot) bool) int64 {
	var n int64
	for _, l := range q.lots[q.head:] {
		if match(l) {
			n += l.Left
		}
	}
	return n
}

// Apply adds a positive row as a lot and spends a negative one from the
// oldest lots.
func (q *LotQueue) Apply(r LedgerRow) { q.put(r.ID, r.Day, r.Points) }

func (q *LotQueue) put(id ID, day Day, points int64) {
	if points <= 0 {
		q.Take(-points, nil)
		return
	}
	l := PointsLot{Row: id, Earned: day, Points: points, Left: points}
	if q.months > 0 {
		l.Expires = day.AddMonths(q.months)
	}
	q.lots = append(q.lots, l)
}

// PointsLots spends the negative rows (redeems, reversals, expiry) from the
// positive ones, oldest first, and returns every positive row as a lot. Rows
// may come in any order; they are taken by (day, id). A lot expires months
// after it was earned (clamped to the month's end); months 0 means never.
func PointsLots(rows []LedgerRow, months int) []PointsLot {
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b LedgerRow) int { return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.ID, b.ID)) })
	lots, _ := SpendLots(sorted, months, func(r LedgerRow) (ID, Day, int64) { return r.ID, r.Day, r.Points })
	return lots
}

// SpendLots is PointsLots on rows already in (day, id) order, each read by
// fact. It also returns, for each lot, what was left of it when it expired:
// rows dated on or after the expiry day do not count against it.
func SpendLots[R any](rows []R, months int, fact func(R) (ID, Day, int64)) (lots []PointsLot, leftAtExpiry []int64) {
	q := LotQueue{months: months}
	for _, r := range rows {
		id, day, points := fact(r)
		// Lots expire in the order they were earned, since adding months
		// never moves a later day before an earlier one.
		for months > 0 && len(leftAtExpiry) < len(q.lots) && q.lots[len(leftAtExpiry)].Expires <= day {
			leftAtExpiry = append(leftAtExpiry, q.lots[len(leftAtExpiry)].Left)
		}
		q.put(id, day, points)
	}
	for _, l := range q.lots[len(leftAtExpiry):] {
		leftAtExpiry = append(leftAtExpiry, l.Left)
	}
	return q.lots, leftAtExpiry
}

// ExpiryDue computes the expiry rows one customer's ledger (sorted by
// day, id) still lacks on asOf. Each expiry day is taken in turn: the rows
// dated up to it are replayed, the lots due by then that still have points
// left expire, as far as the balance from that day on allows (a row dated
// in the past must not make a later balance negative).
func ExpiryDue(rows []LedgerRow, months int, asOf Day) []LedgerRow {
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
	q := LotQueue{months: months}
	var out []LedgerRow
	var expired int64
	next := 0
	for i, e := range days {
		if i > 0 && days[i-1] == e {
			continue
		}
		for next < n && rows[next].Day <= e {
			q.Apply(rows[next])
			next++
		}
		due := q.LeftWhere(func(l PointsLot) bool { return l.Expires <= e })
		room := lowFrom[next] - expired
		x := min(due, room)
		if x <= 0 {
			continue
		}
		expired += x
		y, m, d := e.Date()
		at := time.Date(y, m, d, 0, 0, 0, 0, time.Local)
		q.Take(x, func(l PointsLot, k int64) {
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
