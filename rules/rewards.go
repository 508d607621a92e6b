package rules

// The reward rules the till shows before a sale; RecordSale holds to the same
// ones (checkSale), so what the card offers is what the store accepts.

// RewardsHeld is how many whole rewards a balance pays for.
func (l Loyalty) RewardsHeld(balance int64) int64 {
	if l.RewardPoints <= 0 || balance <= 0 {
		return 0
	}
	return balance / l.RewardPoints
}

// RewardsFor is how many rewards can be redeemed on a sale of amount: as many
// as the balance pays for, but never worth more than the amount.
func (l Loyalty) RewardsFor(balance int64, amount Cents) int64 {
	if l.RewardValue <= 0 || amount <= 0 {
		return 0
	}
	return min(l.RewardsHeld(balance), int64(amount/l.RewardValue))
}

// PointsToNextReward is how many more points the balance needs for one more
// whole reward.
func (l Loyalty) PointsToNextReward(balance int64) int64 {
	if l.RewardPoints <= 0 {
		return 0
	}
	if balance < 0 {
		return l.RewardPoints - balance
	}
	return l.RewardPoints - balance%l.RewardPoints
}

// PointsForRewards is what n rewards take from the balance: the points a
// sale redeeming them asks for.
func (l Loyalty) PointsForRewards(n int64) int64 {
	if n <= 0 || l.RewardPoints <= 0 {
		return 0
	}
	return n * l.RewardPoints
}

// RewardsOff is the money off for n rewards.
func (l Loyalty) RewardsOff(n int64) Cents {
	if n <= 0 || l.RewardValue <= 0 {
		return 0
	}
	return RewardValue(n, l)
}

// ToPay is what is left to pay on amount after n rewards. Below zero, the
// rewards are worth more than the sale, which the store refuses.
func (l Loyalty) ToPay(amount Cents, n int64) Cents {
	return amount - l.RewardsOff(n)
}

// RewardValue is the money off for n rewards; callers keep n within the sale.
func RewardValue(n int64, l Loyalty) Cents {
	if n > int64(MaxCents/l.RewardValue) {
		return MaxCents
	}
	return Cents(n) * l.RewardValue
}
