package rules

import (
	"math"
	"math/bits"
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

// PointsLot is a batch of points added by one ledger row; what is left of
// it after spending (oldest lots first) expires together.
type PointsLot struct {
	Row     ID
	Earned  Day
	Expires Day // zero when points never expire
	Points  int64
	Left    int64
}

// LotQueue spends points first in, first out.
type LotQueue struct {
	lots   []PointsLot
	head   int
	months int
}

func (q *LotQueue) Add(r LedgerRow) {
	l := PointsLot{Row: r.ID, Earned: r.Day, Points: r.Points, Left: r.Points}
	if q.months > 0 {
		l.Expires = r.Day.AddMonths(q.months)
	}
	q.lots = append(q.lots, l)
}

// take spends n points from the oldest lots, calling each (if not nil) with
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

// leftWhere sums the unspent points of lots that match.
func (q *LotQueue) LeftWhere(match func(PointsLot) bool) int64 {
	var n int64
	for _, l := range q.lots[q.head:] {
		if match(l) {
			n += l.Left
		}
	}
	return n
}

func (q *LotQueue) Apply(r LedgerRow) {
	if r.Points > 0 {
		q.Add(r)
	} else {
		q.Take(-r.Points, nil)
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
func fifoLots(rows []LedgerRow, months int) []PointsLot {
	sorted := append([]LedgerRow(nil), rows...)
	sortLedger(sorted)
	q := LotQueue{months: months}
	for _, r := range sorted {
		q.Apply(r)
	}
	var out []PointsLot
	for _, l := range q.lots[q.head:] {
		if l.Left > 0 {
			out = append(out, l)
		}
	}
	return out
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
