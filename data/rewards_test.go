package data

import (
	"regulars/rules"
	"testing"
)

// What the card offers, the store accepts; one more is refused.
func TestRewardsForIsWhatASaleAccepts(t *testing.T) {
	l := rules.DefaultLoyalty()
	for _, c := range []struct {
		balance int64
		amount  rules.Cents
	}{{250, 1999}, {420, 1200}, {300, 499}, {100, 500}, {1000, 100000}} {
		n := l.RewardsFor(c.balance, c.amount)
		sale := Sale{CustomerID: 1, Amount: c.amount, RedeemPoints: l.PointsForRewards(n)}
		if err := checkSale(sale, l); err != nil {
			t.Errorf("%d rewards on %s: %v", n, c.amount, err)
		}
		if n < l.RewardsHeld(c.balance) {
			sale.RedeemPoints = l.PointsForRewards(n + 1)
			if err := checkSale(sale, l); err == nil {
				t.Errorf("%d rewards on %s were accepted", n+1, c.amount)
			}
		}
	}
}
