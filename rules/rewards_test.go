package rules

import "testing"

func TestRewardsTheTillOffers(t *testing.T) {
	l := DefaultLoyalty() // 100 points for 5.00 off
	cases := []struct {
		name       string
		balance    int64
		amount     Cents
		held, sale int64
		toNext     int64
	}{
		{"no points", 0, 1999, 0, 0, 100},
		{"short of one reward", 99, 1999, 0, 0, 1},
		{"exactly one reward", 100, 1999, 1, 1, 100},
		{"two rewards and change", 250, 1999, 2, 2, 50},
		{"the amount covers fewer than the balance", 420, 1200, 4, 2, 80},
		{"a reward worth exactly the amount", 100, 500, 1, 1, 100},
		{"an amount below one reward", 300, 499, 3, 0, 100},
		{"no amount yet", 300, 0, 3, 0, 100},
		{"a negative balance", -20, 1999, 0, 0, 120},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := l.RewardsHeld(c.balance); got != c.held {
				t.Errorf("RewardsHeld(%d) = %d, want %d", c.balance, got, c.held)
			}
			if got := l.RewardsFor(c.balance, c.amount); got != c.sale {
				t.Errorf("RewardsFor(%d, %s) = %d, want %d", c.balance, c.amount, got, c.sale)
			}
			if got := l.PointsToNextReward(c.balance); got != c.toNext {
				t.Errorf("PointsToNextReward(%d) = %d, want %d", c.balance, got, c.toNext)
			}
		})
	}
}

func TestToPayAfterRewards(t *testing.T) {
	l := DefaultLoyalty()
	cases := []struct {
		name    string
		amount  Cents
		rewards int64
		want    Cents
	}{
		{"no reward", 1999, 0, 1999},
		{"one reward", 1999, 1, 1499},
		{"three rewards", 1999, 3, 499},
		{"rewards worth the whole amount", 1000, 2, 0},
		{"rewards worth more than the amount", 700, 2, -300},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := l.ToPay(c.amount, c.rewards); got != c.want {
				t.Errorf("ToPay(%s, %d) = %s, want %s", c.amount, c.rewards, got, c.want)
			}
		})
	}
}

func TestPointsForRewards(t *testing.T) {
	cases := []struct {
		name    string
		scheme  Loyalty
		rewards int64
		want    int64
	}{
		{"no reward", DefaultLoyalty(), 0, 0},
		{"one reward", DefaultLoyalty(), 1, 100},
		{"three rewards", DefaultLoyalty(), 3, 300},
		{"a scheme of 250 points a reward", Loyalty{CentsPerPoint: 100, RewardPoints: 250, RewardValue: 1000}, 2, 500},
		{"a scheme without rewards", Loyalty{CentsPerPoint: 100}, 2, 0},
		{"fewer than none", DefaultLoyalty(), -1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.scheme.PointsForRewards(c.rewards); got != c.want {
				t.Errorf("PointsForRewards(%d) = %d, want %d", c.rewards, got, c.want)
			}
		})
	}
}

func TestBirthdayNear(t *testing.T) {
	day := func(s string) Day {
		d, err := ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		name     string
		birthday YearlyDate
		on       string
		want     string
	}{
		{"on the day", YearlyDate{1985, 6, 5}, "2026-06-05", "2026-06-05"},
		{"in three days", YearlyDate{1985, 6, 5}, "2026-06-02", "2026-06-05"},
		{"a week ahead", YearlyDate{0, 6, 9}, "2026-06-02", "2026-06-09"},
		{"eight days ahead", YearlyDate{0, 6, 10}, "2026-06-02", ""},
		{"a week ago", YearlyDate{1990, 5, 26}, "2026-06-02", "2026-05-26"},
		{"eight days ago", YearlyDate{1990, 5, 25}, "2026-06-02", ""},
		{"across new year", YearlyDate{0, 1, 2}, "2026-12-28", "2027-01-02"},
		{"last year's, across new year", YearlyDate{0, 12, 30}, "2027-01-03", "2026-12-30"},
		{"29 February in a common year", YearlyDate{2000, 2, 29}, "2027-03-01", "2027-02-28"},
		{"none", YearlyDate{}, "2026-06-02", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := BirthdayNear(c.birthday, day(c.on), 7)
			if got.String() != c.want {
				t.Errorf("BirthdayNear(%s, %s) = %q, want %q", c.birthday, c.on, got, c.want)
			}
		})
	}
}
