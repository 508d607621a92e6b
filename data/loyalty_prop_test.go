package data

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regulars/rules"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// lyMachine drives a shop through random sales, refunds, voids, moves,
// redemptions, adjustments, expiry and days passing.
type lyMachine struct {
	s     *Store
	l     rules.Loyalty
	custs []rules.ID
}

var lyCtx = context.Background()

func (m *lyMachine) customer(t *rapid.T, label string) rules.ID {
	return rapid.SampledFrom(m.custs).Draw(t, label)
}

func (m *lyMachine) purchases(t *rapid.T) []rules.Purchase {
	ps, err := m.s.RecentPurchases(lyCtx, 100000)
	if err != nil {
		t.Fatalf("purchases: %v", err)
	}
	return ps
}

// sales are the lines that are not refunds and not voided, with how much of
// each is left to refund.
func (m *lyMachine) sales(t *rapid.T) ([]rules.Purchase, map[rules.ID]rules.Cents) {
	ps := m.purchases(t)
	left := map[rules.ID]rules.Cents{}
	var out []rules.Purchase
	for _, p := range ps {
		if p.RefundOf == 0 && !p.Voided {
			out = append(out, p)
			left[p.ID] += p.Amount
		}
	}
	for _, p := range ps {
		if p.RefundOf != 0 {
			left[p.RefundOf] += p.Amount
		}
	}
	return out, left
}

// balanceAfterExpiry is the balance once everything due to expire today has.
func (m *lyMachine) balanceAfterExpiry(t *rapid.T, c rules.ID) int64 {
	if _, err := m.s.ApplyExpiry(lyCtx, m.s.Today()); err != nil {
		t.Fatalf("expiry: %v", err)
	}
	return lyBalance(t, m.s, c)
}

func (m *lyMachine) Sale(t *rapid.T) {
	c := rapid.SampledFrom(append([]rules.ID{0}, m.custs...)).Draw(t, "customer (0 walk-in)")
	amount := rules.Cents(rapid.Int64Range(1, 20000).Draw(t, "amount"))
	if rapid.Bool().Draw(t, "a big sale") {
		amount += 5000
	}
	var redeem int64
	if c != 0 {
		most := min(lyBalance(t, m.s, c)/m.l.RewardPoints, int64(amount/m.l.RewardValue))
		rewards := max(most, 0)
		if !rapid.Bool().Draw(t, "all the rewards there are") {
			rewards = rapid.Int64Range(0, rewards).Draw(t, "rewards")
		}
		redeem = rewards * m.l.RewardPoints
	}
	res, err := m.s.RecordSale(lyCtx, Sale{CustomerID: c, Amount: amount, RedeemPoints: redeem})
	if errors.Is(err, ErrRedeemTooMuch) {
		// Only points expiring today can explain it.
		if b := m.balanceAfterExpiry(t, c); b >= redeem {
			t.Fatalf("redeeming %d refused with a balance of %d", redeem, b)
		}
		return
	}
	if err != nil {
		t.Fatalf("sale: %v", err)
	}
	discount := rules.Cents(redeem/m.l.RewardPoints) * m.l.RewardValue
	earned := m.l.EarnedFor(amount - discount)
	if c == 0 {
		earned = 0
	}
	if res.Purchase.Discount != discount || res.Earned != earned || res.Redeemed != redeem {
		t.Fatalf("sale of %s redeeming %d: %+v", amount, redeem, res)
	}
	if c == 0 {
		return
	}
	if b := lyBalance(t, m.s, c); res.Balance != b || res.RewardReady != (b >= m.l.RewardPoints) {
		t.Fatalf("sale says balance %d (ready %v), the ledger %d", res.Balance, res.RewardReady, b)
	}
	var got int64
	rows, _ := m.s.Ledger(lyCtx, c)
	for _, r := range rows {
		if r.PurchaseID == res.Purchase.ID {
			got += r.Points
		}
	}
	if got != res.Earned-redeem {
		t.Fatalf("the sale's rows add up to %d, want %d", got, res.Earned-redeem)
	}
}

func (m *lyMachine) RedeemTooMuch(t *rapid.T) {
	c := m.customer(t, "customer")
	b := m.balanceAfterExpiry(t, c)
	rewards := b/m.l.RewardPoints + rapid.Int64Range(1, 3).Draw(t, "rewards over")
	amount := rules.Cents(rewards)*m.l.RewardValue + rules.Cents(rapid.Int64Range(0, 5000).Draw(t, "extra"))
	before := lyCounts(t, m.s)
	_, err := m.s.RecordSale(lyCtx, Sale{CustomerID: c, Amount: amount, RedeemPoints: rewards * m.l.RewardPoints})
	if !errors.Is(err, ErrRedeemTooMuch) {
		t.Fatalf("redeeming %d rewards with %d points: %v", rewards, b, err)
	}
	if after := lyCounts(t, m.s); after["purchases"] != before["purchases"] || after["ledger"] != before["ledger"] {
		t.Fatalf("a refused sale wrote rows: %v then %v", before, after)
	}
}

func (m *lyMachine) Refund(t *rapid.T) {
	sales, left := m.sales(t)
	var open []rules.Purchase
	for _, p := range sales {
		if left[p.ID] > 0 {
			open = append(open, p)
		}
	}
	if len(open) == 0 {
		t.Skip("nothing to refund")
	}
	p := rapid.SampledFrom(open).Draw(t, "sale")
	amount := rules.Cents(rapid.Int64Range(1, int64(left[p.ID])).Draw(t, "refund"))
	if _, err := m.s.Refund(lyCtx, p.ID, amount, "Sam", ""); err != nil {
		t.Fatalf("refund %s of purchase %d: %v", amount, p.ID, err)
	}
	if _, err := m.s.Refund(lyCtx, p.ID, left[p.ID]-amount+1, "Sam", ""); err == nil {
		t.Fatalf("refunded more than purchase %d was", p.ID)
	}
}

func (m *lyMachine) Void(t *rapid.T) {
	sales, _ := m.sales(t)
	if len(sales) == 0 {
		t.Skip("nothing to void")
	}
	p := rapid.SampledFrom(sales).Draw(t, "sale")
	if err := m.s.VoidPurchase(lyCtx, p.ID, "Sam", "mistake"); err != nil {
		t.Fatalf("void %d: %v", p.ID, err)
	}
	if err := m.s.VoidPurchase(lyCtx, p.ID, "Sam", "mistake"); err == nil {
		t.Fatalf("voided %d twice", p.ID)
	}
}

func (m *lyMachine) Move(t *rapid.T) {
	sales, left := m.sales(t)
	var movable []rules.Purchase
	for _, p := range sales {
		if left[p.ID] == p.Amount {
			movable = append(movable, p)
		}
	}
	if len(movable) == 0 {
		t.Skip("nothing to move")
	}
	p := rapid.SampledFrom(movable).Draw(t, "sale")
	to := m.customer(t, "to")
	if to == p.CustomerID {
		t.Skip("already there")
	}
	np, err := m.s.MovePurchase(lyCtx, p.ID, to, "Sam")
	if err != nil {
		t.Fatalf("move %d to %d: %v", p.ID, to, err)
	}
	if np.CustomerID != to || np.Amount != p.Amount || np.Day != p.Day || np.Discount != 0 {
		t.Fatalf("moved %+v to %+v", p, np)
	}
}

func (m *lyMachine) Adjust(t *rapid.T) {
	c := m.customer(t, "customer")
	pts := rapid.Int64Range(-300, 300).Filter(func(n int64) bool { return n != 0 }).Draw(t, "points")
	_, err := m.s.AdjustPoints(lyCtx, c, pts, "by hand", "Sam")
	if err == nil {
		return
	}
	if b := m.balanceAfterExpiry(t, c); pts > 0 || -pts <= b {
		t.Fatalf("adjusting %d with a balance of %d: %v", pts, b, err)
	}
}

func (m *lyMachine) NextDays(t *rapid.T) {
	m.s.SetToday(m.s.Today().AddDays(rapid.IntRange(1, 120).Draw(t, "days")))
}

func (m *lyMachine) Expire(t *rapid.T) {
	if _, err := m.s.ApplyExpiry(lyCtx, m.s.Today()); err != nil {
		t.Fatalf("expiry: %v", err)
	}
	if n, err := m.s.ApplyExpiry(lyCtx, m.s.Today()); n != 0 || err != nil {
		t.Fatalf("expiry again took %d more: %v", n, err)
	}
}

func (m *lyMachine) Check(t *rapid.T) {
	all, err := m.s.Balances(lyCtx)
	if err != nil {
		t.Fatalf("balances: %v", err)
	}
	rows, err := m.s.AllLedger(lyCtx)
	if err != nil {
		t.Fatalf("ledger: %v", err)
	}
	sum := map[rules.ID]int64{}
	for _, r := range rows {
		sum[r.CustomerID] += r.Points
		if sum[r.CustomerID] < 0 {
			t.Fatalf("customer %d: the running balance is %d at row %d", r.CustomerID, sum[r.CustomerID], r.ID)
		}
	}
	for _, c := range m.custs {
		if all[c] != sum[c] {
			t.Fatalf("customer %d: balance %d, ledger sum %d", c, all[c], sum[c])
		}
	}
	lyCheckClean(t, m.s)
}

// lyRapidChecks runs fewer rapid cases than its default unless the person
// running the tests asked for a number: every case is a fresh database, and
// the race detector makes the SQLite engine many times slower.
func lyRapidChecks(t *testing.T, plain, race int) {
	if os.Getenv("RAPID_CHECKS") != "" {
		return
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	f := flag.Lookup("rapid.checks")
	if set || f == nil {
		return
	}
	n := plain
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				n = race
			}
		}
	}
	old := f.Value.String()
	f.Value.Set(strconv.Itoa(n))
	t.Cleanup(func() { f.Value.Set(old) })
}

func TestLedgerProperties(t *testing.T) {
	runBeside(t)
	lyRapidChecks(t, 60, 8)
	dir := t.TempDir()
	run := 0
	rapid.Check(t, func(t *rapid.T) {
		run++
		sub := filepath.Join(dir, strconv.Itoa(run))
		if err := os.Mkdir(sub, 0o700); err != nil {
			t.Fatalf("%v", err)
		}
		s := lyOpenIn(t, sub, lyDay(2023, time.January, 30))
		defer s.Close()
		// Durability is not what is tested here; waiting for the disk is slow.
		if _, err := s.w.Exec("PRAGMA synchronous = OFF"); err != nil {
			t.Fatalf("%v", err)
		}
		l := rules.Loyalty{
			CentsPerPoint: rules.Cents(rapid.SampledFrom([]int64{100, 250}).Draw(t, "cents per point")),
			RewardPoints:  rapid.SampledFrom([]int64{100, 30}).Draw(t, "reward points"),
			RewardValue:   500,
			ExpiryMonths:  rapid.SampledFrom([]int{0, 1, 6}).Draw(t, "expiry months"),
		}
		lySetLoyalty(t, s, l)
		m := &lyMachine{s: s, l: l}
		for _, name := range []string{"Ann Lee", "Bob Ray", "Cy Oh"} {
			m.custs = append(m.custs, lyCustomer(t, s, name))
		}
		t.Repeat(rapid.StateMachineActions(m))
	})
}
