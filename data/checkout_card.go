package data

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"regulars/rules"
)

// CheckoutCard is what the till should know about a customer before a sale
// is recorded: their points, and what to say or put right while they are at
// the counter.
type CheckoutCard struct {
	Customer  rules.Customer
	Scheme    rules.Loyalty
	Balance   int64
	LastVisit rules.Day // the day of their latest sale; zero when none
	// OpenComplaints are the complaints still open on the day, oldest first.
	OpenComplaints []rules.Complaint
	// Promises are those not yet kept that are late or due by the next day,
	// soonest first.
	Promises []rules.Promise
	// Birthday is their birthday when it falls within a week of the day,
	// before or after; zero otherwise.
	Birthday rules.Day
	// ExpiringPoints are the points that expire first, on ExpiresOn, when the
	// scheme's points expire; zero when none are left to expire.
	ExpiringPoints int64
	ExpiresOn      rules.Day
	// ExpiryDue says the day is within the points_expiring rule's days
	// before ExpiresOn, the rule being on: the till mentions them (to a
	// "do not contact" customer too, who is at the counter).
	ExpiryDue bool
}

// RewardsHeld is how many whole rewards the customer's balance pays for.
func (c CheckoutCard) RewardsHeld() int64 { return c.Scheme.RewardsHeld(c.Balance) }

// Within these many days of the day, a birthday is mentioned at the till.
const cardBirthdayDays = 7

// A promise is mentioned from this many days before it is due.
const cardPromiseDays = 1

// CheckoutCard reads a customer's card as of day d, from one snapshot.
func (s *Store) CheckoutCard(ctx context.Context, id rules.ID, d rules.Day) (CheckoutCard, error) {
	var card CheckoutCard
	scheme, err := s.scheme(ctx)
	if err != nil {
		return card, err
	}
	card.Scheme = scheme
	var ruleSet rules.Rules
	if scheme.ExpiryMonths > 0 {
		if ruleSet, err = s.Rules(ctx); err != nil {
			return card, err
		}
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return card, s.explain(err)
	}
	defer tx.Rollback()
	err = readCard(ctx, tx, id, d, &card)
	if err == nil && scheme.ExpiryMonths > 0 {
		err = readExpiry(ctx, tx, id, d, &card)
		r := ruleSet[rules.KindPointsExpiring]
		card.ExpiryDue = card.ExpiringPoints > 0 && r.On && d >= card.ExpiresOn.AddDays(-r.AfterDays)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = s.explain(err)
	}
	return card, err
}

// readExpiry finds the customer's next points to expire after day d. The
// ledger is written lazily: points whose expiry day has passed are taken
// off only when the next sale (or adjustment) writes the expiry rows. The
// card counts those rows as written, so its balance and rewards are what
// the sale will find.
func readExpiry(ctx context.Context, tx *sql.Tx, id rules.ID, d rules.Day, card *CheckoutCard) error {
	all, err := customerLedger(ctx, tx, id)
	if err != nil {
		return err
	}
	months := card.Scheme.ExpiryMonths
	pending := rules.ExpiryDue(all, months, d)
	var rows []rules.LedgerRow
	for _, r := range all {
		if r.Day <= d {
			rows = append(rows, r)
		}
	}
	for i, r := range pending {
		card.Balance += r.Points
		r.ID = math.MaxInt64 - rules.ID(len(pending)-i) // written after the rows of its day
		rows = append(rows, r)
	}
	for _, l := range rules.PointsLots(rows, months) {
		switch {
		case l.Left <= 0 || l.Expires <= d:
		case card.ExpiresOn.IsZero() || l.Expires < card.ExpiresOn:
			card.ExpiresOn, card.ExpiringPoints = l.Expires, l.Left
		case l.Expires == card.ExpiresOn:
			card.ExpiringPoints += l.Left
		}
	}
	return nil
}

func readCard(ctx context.Context, tx *sql.Tx, id rules.ID, d rules.Day, card *CheckoutCard) error {
	var err error
	if card.Customer, err = customerOn(ctx, tx, id); err != nil {
		return err
	}
	card.Birthday = rules.BirthdayNear(card.Customer.Birthday, d, cardBirthdayDays)
	if card.Balance, err = balanceTx(ctx, tx, id, d); err != nil {
		return err
	}
	var last sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT MAX(day) FROM purchases
		WHERE customer_id = ? AND day <= ? AND voided = 0 AND refund_of IS NULL`, id, d.String()).Scan(&last)
	if err != nil {
		return err
	}
	card.LastVisit = scanDay(last)
	card.OpenComplaints, err = queryRows(ctx, tx, scanComplaint, "SELECT "+complaintCols+` FROM complaints
		WHERE customer_id = ? AND received_on <= ? AND (resolved_on IS NULL OR resolved_on > ?)
		ORDER BY received_at, id`, id, d.String(), d.String())
	if err != nil {
		return err
	}
	card.Promises, err = queryRows(ctx, tx, scanPromise, "SELECT "+promiseCols+` FROM promises
		WHERE customer_id = ? AND made_on <= ? AND (kept_on IS NULL OR kept_on > ?) AND due <= ?
		ORDER BY due, id`, id, d.String(), d.String(), d.AddDays(cardPromiseDays).String())
	return err
}
