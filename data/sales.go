package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"strings"
	"time"
)

// Refusals of a sale. Each is a sentence on its own; the error returned adds
// the numbers.
var (
	ErrRedeemTooMuch  = errors.New("the customer does not have that many points to redeem")
	ErrRewardTooBig   = errors.New("the reward is worth more than the sale")
	ErrRedeemNotWhole = errors.New("points can only be redeemed in whole rewards")
	ErrWalkInRedeem   = errors.New("a walk-in sale cannot redeem points")
)

// Sale is what the checkout records.
type Sale struct {
	CustomerID   rules.ID // 0 for a walk-in: no points
	Amount       rules.Cents
	RedeemPoints int64
	Description  string
	Staff        string
	Reference    string
}

// SaleResult is what the checkout shows after a sale.
type SaleResult struct {
	Purchase    rules.Purchase
	Earned      int64 // points earned on the amount paid; redeemed points are not counted
	Redeemed    int64
	Balance     int64
	RewardReady bool // the balance covers a reward after the sale
}

const purchaseCols = `id, customer_id, at, day, amount_cents, discount_cents, description, staff,
	reference, refund_of, voided, imported, till`

func scanPurchase(r rowScanner) (rules.Purchase, error) {
	var p rules.Purchase
	var cust, refundOf sql.NullInt64
	var at string
	var day, ref sql.NullString
	var voided, imported int
	err := r.Scan(&p.ID, &cust, &at, &day, &p.Amount, &p.Discount, &p.Description, &p.Staff,
		&ref, &refundOf, &voided, &imported, &p.Till)
	if err != nil {
		return p, err
	}
	p.CustomerID = cust.Int64
	p.At = parseInstant(at)
	p.Day = scanDay(day)
	p.Reference = ref.String
	p.RefundOf = refundOf.Int64
	p.Voided = voided != 0
	p.Imported = imported != 0
	return p, nil
}

// querier is what both a transaction and the reader pool can answer.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func loadPurchase(ctx context.Context, q querier, id rules.ID) (rules.Purchase, error) {
	p, err := scanPurchase(q.QueryRowContext(ctx, "SELECT "+purchaseCols+" FROM purchases WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("there is no purchase %d", id)
	}
	return p, err
}

func queryPurchases(ctx context.Context, q querier, query string, args ...any) ([]rules.Purchase, error) {
	return queryRows(ctx, q, scanPurchase, query, args...)
}

func insertPurchase(ctx context.Context, tx *sql.Tx, p rules.Purchase) (rules.ID, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO purchases(customer_id, at, day, amount_cents, discount_cents,
		description, staff, reference, refund_of, voided, imported, till) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		nullID(p.CustomerID), fmtInstant(p.At), p.Day.String(), int64(p.Amount), int64(p.Discount),
		p.Description, p.Staff, nullString(p.Reference), nullID(p.RefundOf), boolInt(p.Voided), boolInt(p.Imported), tillOr(p.Till))
	if err != nil {
		return 0, err
	}
	touch(tx, p.CustomerID)
	return res.LastInsertId()
}

// customerExists refuses ids that name no customer, in one sentence.
func customerExists(ctx context.Context, q querier, id rules.ID) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM customers WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("there is no customer %d", id)
	}
	return err
}

// referenceFree refuses a till reference another purchase already has.
func referenceFree(ctx context.Context, q querier, ref string) error {
	if ref == "" {
		return nil
	}
	var other rules.ID
	err := q.QueryRowContext(ctx, "SELECT id FROM purchases WHERE reference = ? AND reference <> ''", ref).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("the till reference %q is already on purchase %d", ref, other)
}

// recordStaffName makes sure a name written on a row appears in the staff
// list; a former member stays former.
func recordStaffName(ctx context.Context, tx *sql.Tx, name string) error {
	if name == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO staff(name) VALUES (?)", name)
	return err
}

// checkSale refuses what can be refused without looking at the database.
func checkSale(sale Sale, l rules.Loyalty) error {
	switch {
	case sale.Amount <= 0:
		return fmt.Errorf("the amount must be more than 0.00")
	case sale.Amount > rules.MaxCents:
		return fmt.Errorf("the amount %s is too large", sale.Amount)
	case sale.RedeemPoints != 0 && sale.CustomerID == 0:
		return ErrWalkInRedeem
	case sale.RedeemPoints < 0 || sale.RedeemPoints%l.RewardPoints != 0:
		return fmt.Errorf("%w (a reward is %d points, %d asked)", ErrRedeemNotWhole, l.RewardPoints, sale.RedeemPoints)
	case sale.RedeemPoints/l.RewardPoints > int64(sale.Amount/l.RewardValue):
		return fmt.Errorf("%w (%d points are worth %s off a sale of %s)", ErrRewardTooBig,
			sale.RedeemPoints, rules.RewardValue(sale.RedeemPoints/l.RewardPoints, l), sale.Amount)
	}
	return nil
}

// RecordSale records a sale at the till, redeeming rewards and earning
// points, all in one transaction: a refused sale writes nothing.
func (s *Store) RecordSale(ctx context.Context, sale Sale) (SaleResult, error) {
	l, err := s.scheme(ctx)
	if err != nil {
		return SaleResult{}, err
	}
	if err := checkSale(sale, l); err != nil {
		return SaleResult{}, err
	}
	now, today := s.Now(), s.Today()
	discount := rules.RewardValue(sale.RedeemPoints/l.RewardPoints, l)
	p := rules.Purchase{
		CustomerID:  sale.CustomerID,
		At:          now,
		Day:         today,
		Amount:      sale.Amount,
		Discount:    discount,
		Description: strings.TrimSpace(sale.Description),
		Staff:       staffOrOwnerName(sale.Staff),
		Reference:   strings.TrimSpace(sale.Reference),
		Till:        TillName(),
	}
	res := SaleResult{Redeemed: sale.RedeemPoints}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Two tills selling to one customer take turns from here.
		if err := s.lockCustomer(ctx, tx, p.CustomerID); err != nil {
			return err
		}
		if err := referenceFree(ctx, tx, p.Reference); err != nil {
			return err
		}
		if p.CustomerID != 0 {
			if err := customerExists(ctx, tx, p.CustomerID); err != nil {
				return err
			}
			// Points due to expire go first, so the balance printed is right.
			if _, err := applyExpiryTx(ctx, tx, l, today, p.CustomerID); err != nil {
				return err
			}
			rows, err := customerLedger(ctx, tx, p.CustomerID)
			if err != nil {
				return err
			}
			if free := rules.Spendable(rows, today); sale.RedeemPoints > free {
				return fmt.Errorf("%w (balance %d, %d asked)", ErrRedeemTooMuch, max(free, 0), sale.RedeemPoints)
			}
		}
		if err := recordStaffName(ctx, tx, p.Staff); err != nil {
			return err
		}
		id, err := insertPurchase(ctx, tx, p)
		if err != nil {
			return err
		}
		p.ID = id
		if p.CustomerID == 0 {
			return nil
		}
		if sale.RedeemPoints > 0 {
			_, err := insertLedger(ctx, tx, rules.LedgerRow{CustomerID: p.CustomerID, At: now, Day: today, Kind: rules.LedgerRedeem,
				Points: -sale.RedeemPoints, PurchaseID: id, Staff: p.Staff,
				Reason: fmt.Sprintf("%s off purchase %d", discount, id)})
			if err != nil {
				return err
			}
		}
		res.Earned = l.EarnedFor(p.Paid())
		if res.Earned > 0 {
			_, err := insertLedger(ctx, tx, rules.LedgerRow{CustomerID: p.CustomerID, At: now, Day: today, Kind: rules.LedgerEarn,
				Points: res.Earned, PurchaseID: id, Staff: p.Staff})
			if err != nil {
				return err
			}
		}
		res.Balance, err = balanceTx(ctx, tx, p.CustomerID, today)
		return err
	})
	if err != nil {
		return SaleResult{}, err
	}
	res.Purchase = p
	res.RewardReady = p.CustomerID != 0 && res.Balance >= l.RewardPoints
	return res, nil
}

// importPurchaseTx writes one purchase brought in from a file, inside the
// importer's transaction, with the scheme and today already known, so a
// file of many rows reads them once. It is marked imported; earn adds the
// points a sale would have earned, dated the purchase's day. A refund line
// (RefundOf set, negative amount) takes back its share of the points the
// original earned.
func importPurchaseTx(ctx context.Context, tx *sql.Tx, l rules.Loyalty, today rules.Day, p rules.Purchase, earn bool) (rules.ID, error) {
	var err error
	switch {
	case p.Day.IsZero() && p.At.IsZero():
		return 0, fmt.Errorf("the purchase has no date")
	case p.At.IsZero():
		y, m, d := p.Day.Date()
		p.At = time.Date(y, m, d, 0, 0, 0, 0, time.Local)
	case p.Day.IsZero():
		p.Day = rules.DayOf(p.At)
	}
	if p.Amount == 0 || p.Amount > rules.MaxCents || p.Amount < -rules.MaxCents {
		return 0, fmt.Errorf("the amount %s is not a usable purchase amount", p.Amount)
	}
	if p.RefundOf == 0 && p.Amount < 0 {
		return 0, fmt.Errorf("a negative amount must be a refund of an earlier purchase")
	}
	if p.Discount < 0 || (p.Amount > 0 && p.Discount > p.Amount) || (p.Amount < 0 && p.Discount != 0) {
		return 0, fmt.Errorf("the discount %s does not fit the amount %s", p.Discount, p.Amount)
	}
	p.Description = strings.TrimSpace(p.Description)
	p.Reference = strings.TrimSpace(p.Reference)
	p.Staff = staffOrOwnerName(p.Staff)
	p.Imported = true
	p.Voided = false
	if p.CustomerID != 0 {
		if err := customerExists(ctx, tx, p.CustomerID); err != nil {
			return 0, err
		}
	}
	if err := referenceFree(ctx, tx, p.Reference); err != nil {
		return 0, err
	}
	var orig rules.Purchase
	if p.RefundOf != 0 {
		if p.Amount > 0 {
			return 0, fmt.Errorf("a refund must have a negative amount")
		}
		if orig, err = refundable(ctx, tx, p.RefundOf, -p.Amount); err != nil {
			return 0, err
		}
		if orig.CustomerID != p.CustomerID {
			return 0, fmt.Errorf("the refund is for a different customer than purchase %d", orig.ID)
		}
	}
	if err := recordStaffName(ctx, tx, p.Staff); err != nil {
		return 0, err
	}
	id, err := insertPurchase(ctx, tx, p)
	if err != nil {
		return 0, err
	}
	if p.CustomerID == 0 {
		return id, nil
	}
	if p.RefundOf != 0 {
		if _, err := reverseRefund(ctx, tx, orig, id, -p.Amount, p.At, p.Day, p.Staff, ""); err != nil {
			return 0, err
		}
	} else if pts := l.EarnedFor(p.Paid()); earn && pts > 0 {
		if _, err := insertLedger(ctx, tx, rules.LedgerRow{CustomerID: p.CustomerID, At: p.At, Day: p.Day, Kind: rules.LedgerEarn,
			Points: pts, PurchaseID: id, Staff: p.Staff}); err != nil {
			return 0, err
		}
	}
	if _, err := applyExpiryTx(ctx, tx, l, today, p.CustomerID); err != nil {
		return 0, err
	}
	return id, nil
}

// refundable loads a sale that may take a refund of amount more.
func refundable(ctx context.Context, q querier, id rules.ID, amount rules.Cents) (rules.Purchase, error) {
	orig, err := loadPurchase(ctx, q, id)
	if err != nil {
		return orig, err
	}
	switch {
	case orig.RefundOf != 0:
		return orig, fmt.Errorf("purchase %d is itself a refund; refund the original sale %d", id, orig.RefundOf)
	case orig.Voided:
		return orig, fmt.Errorf("purchase %d was voided and cannot be refunded", id)
	}
	refunded, err := refundedSoFar(ctx, q, id)
	if err != nil {
		return orig, err
	}
	if left := orig.Amount - refunded; amount > left {
		return orig, fmt.Errorf("only %s of purchase %d is left to refund", left, id)
	}
	return orig, nil
}

func refundedSoFar(ctx context.Context, q querier, id rules.ID) (rules.Cents, error) {
	var c rules.Cents
	err := q.QueryRowContext(ctx, "SELECT COALESCE(-SUM(amount_cents), 0) FROM purchases WHERE refund_of = ?", id).Scan(&c)
	return c, err
}

// Refund records money given back on a sale: a new purchase line with a
// negative amount, and the share of the sale's points it takes back.
func (s *Store) Refund(ctx context.Context, purchaseID rules.ID, amount rules.Cents, staff, reason string) (rules.Purchase, error) {
	if amount <= 0 {
		return rules.Purchase{}, fmt.Errorf("the refund must be more than 0.00")
	}
	l, err := s.scheme(ctx)
	if err != nil {
		return rules.Purchase{}, err
	}
	now, today := s.Now(), s.Today()
	staff = staffOrOwnerName(staff)
	reason = strings.TrimSpace(reason)
	var p rules.Purchase
	err = s.tx(ctx, func(tx *sql.Tx) error {
		orig, err := refundable(ctx, tx, purchaseID, amount)
		if err != nil {
			return err
		}
		if today < orig.Day {
			return fmt.Errorf("a refund cannot be dated before its sale on %s", orig.Day)
		}
		desc := reason
		if desc == "" {
			desc = fmt.Sprintf("refund of purchase %d", orig.ID)
		}
		p = rules.Purchase{CustomerID: orig.CustomerID, At: now, Day: today, Amount: -amount,
			Description: desc, Staff: staff, RefundOf: orig.ID}
		if err := recordStaffName(ctx, tx, staff); err != nil {
			return err
		}
		if p.ID, err = insertPurchase(ctx, tx, p); err != nil {
			return err
		}
		if orig.CustomerID == 0 {
			return nil
		}
		if _, err := applyExpiryTx(ctx, tx, l, today, orig.CustomerID); err != nil {
			return err
		}
		_, err = reverseRefund(ctx, tx, orig, p.ID, amount, now, today, staff, reason)
		return err
	})
	if err != nil {
		return rules.Purchase{}, err
	}
	return p, nil
}

// reverseRefund writes the refund_reversal row for refund line refundID of
// orig: the points earned on orig in proportion to the money refunded so far
// (rounded down), less what earlier refunds took back. Points already spent
// are not taken: the balance goes to zero and the rest is the shortfall.
func reverseRefund(ctx context.Context, tx *sql.Tx, orig rules.Purchase, refundID rules.ID, amount rules.Cents, at time.Time, day rules.Day, staff, reason string) (rules.LedgerRow, error) {
	var earned, reversed int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(points), 0) FROM ledger WHERE kind = 'earn' AND purchase_id = ?", orig.ID).Scan(&earned)
	if err != nil {
		return rules.LedgerRow{}, err
	}
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(shortfall - points), 0) FROM ledger
		WHERE kind = 'refund_reversal' AND purchase_id IN (SELECT id FROM purchases WHERE refund_of = ? AND id <> ?)`,
		orig.ID, refundID).Scan(&reversed)
	if err != nil {
		return rules.LedgerRow{}, err
	}
	refunded, err := refundedSoFar(ctx, tx, orig.ID)
	if err != nil {
		return rules.LedgerRow{}, err
	}
	due := rules.ReversalDue(earned, orig.Paid(), refunded, reversed)
	if due <= 0 {
		return rules.LedgerRow{}, nil
	}
	rows, err := customerLedger(ctx, tx, orig.CustomerID)
	if err != nil {
		return rules.LedgerRow{}, err
	}
	take := min(due, max(rules.Spendable(rows, day), 0))
	if reason == "" {
		reason = fmt.Sprintf("refund of purchase %d", orig.ID)
	}
	r := rules.LedgerRow{CustomerID: orig.CustomerID, At: at, Day: day, Kind: rules.LedgerRefundReversal, Points: -take,
		PurchaseID: refundID, Staff: staff, Reason: reason, Shortfall: due - take}
	r.ID, err = insertLedger(ctx, tx, r)
	return r, err
}

// VoidPurchase cancels a mistake at the till: the sale and its refunds are
// marked voided and its points are reversed (redeemed points come back,
// earned points go, as far as the balance allows). A void is not a refund.
func (s *Store) VoidPurchase(ctx context.Context, id rules.ID, staff, reason string) error {
	l, err := s.scheme(ctx)
	if err != nil {
		return err
	}
	staff = staffOrOwnerName(staff)
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPurchase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.voidTx(ctx, tx, l, p, staff, strings.TrimSpace(reason)); err != nil {
			return err
		}
		return audit(ctx, tx, s.Now(), staff, "void purchase", fmt.Sprintf("purchase %d", id), p.Amount.String(), reason)
	})
}

func (s *Store) voidTx(ctx context.Context, tx *sql.Tx, l rules.Loyalty, p rules.Purchase, staff, reason string) error {
	now, today := s.Now(), s.Today()
	switch {
	case p.Voided:
		return fmt.Errorf("purchase %d is already voided", p.ID)
	case p.RefundOf != 0:
		return fmt.Errorf("purchase %d is a refund; void the original sale %d, which voids its refunds too", p.ID, p.RefundOf)
	case today < p.Day:
		return fmt.Errorf("purchase %d cannot be voided before the day it was made, %s", p.ID, p.Day)
	}
	if err := recordStaffName(ctx, tx, staff); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE purchases SET voided = 1 WHERE id = ? OR refund_of = ?", p.ID, p.ID); err != nil {
		return err
	}
	touch(tx, p.CustomerID)
	if p.CustomerID == 0 {
		return nil
	}
	if _, err := applyExpiryTx(ctx, tx, l, today, p.CustomerID); err != nil {
		return err
	}
	earned, redeemed, reversed, err := purchasePoints(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	if reason == "" {
		reason = fmt.Sprintf("purchase %d voided", p.ID)
	}
	row := rules.LedgerRow{CustomerID: p.CustomerID, At: now, Day: today, Kind: rules.LedgerVoidReversal, PurchaseID: p.ID, Staff: staff, Reason: reason}
	// Redeemed points come back first, so they can cover the earned ones.
	if redeemed > 0 {
		back := row
		back.Points = redeemed
		if _, err := insertLedger(ctx, tx, back); err != nil {
			return err
		}
	}
	if due := earned - reversed; due > 0 {
		rows, err := customerLedger(ctx, tx, p.CustomerID)
		if err != nil {
			return err
		}
		take := min(due, max(rules.Spendable(rows, today), 0))
		row.Points, row.Shortfall = -take, due-take
		if _, err := insertLedger(ctx, tx, row); err != nil {
			return err
		}
	}
	return nil
}

// purchasePoints sums what a sale did to the ledger: points earned on it,
// points redeemed on it, and points its refunds have taken back (or noted
// as a shortfall).
func purchasePoints(ctx context.Context, q querier, id rules.ID) (earned, redeemed, reversed int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN kind = 'earn' AND purchase_id = ?1 THEN points END), 0),
		COALESCE(SUM(CASE WHEN kind = 'redeem' AND purchase_id = ?1 THEN -points END), 0),
		COALESCE(SUM(CASE WHEN kind = 'refund_reversal' AND purchase_id <> ?1 THEN shortfall - points END), 0)
		FROM ledger WHERE purchase_id = ?1 OR purchase_id IN (SELECT id FROM purchases WHERE refund_of = ?1)`, id).
		Scan(&earned, &redeemed, &reversed)
	return
}

// MovePurchase puts a sale rung up on the wrong customer (or as a walk-in)
// onto the right one: the old line is voided with its points, and a new
// line on the same day earns the points for the right customer.
func (s *Store) MovePurchase(ctx context.Context, id rules.ID, to rules.ID, staff string) (rules.Purchase, error) {
	l, err := s.scheme(ctx)
	if err != nil {
		return rules.Purchase{}, err
	}
	staff = staffOrOwnerName(staff)
	var np rules.Purchase
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPurchase(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case to <= 0:
			return fmt.Errorf("a purchase can only be moved to a customer")
		case p.CustomerID == to:
			return fmt.Errorf("purchase %d already belongs to customer %d", id, to)
		case p.RefundOf != 0:
			return fmt.Errorf("purchase %d is a refund; move the original sale %d instead", id, p.RefundOf)
		case p.Voided:
			return fmt.Errorf("purchase %d is voided and cannot be moved", id)
		}
		if err := customerExists(ctx, tx, to); err != nil {
			return err
		}
		refunded, err := refundedSoFar(ctx, tx, id)
		if err != nil {
			return err
		}
		if refunded != 0 {
			return fmt.Errorf("purchase %d has refunds and cannot be moved; void it and record the sale again", id)
		}
		if err := s.voidTx(ctx, tx, l, p, staff, fmt.Sprintf("moved to customer %d", to)); err != nil {
			return err
		}
		if p.Reference != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE purchases SET reference = NULL WHERE id = ?", id); err != nil {
				return err
			}
		}
		np = p
		np.ID, np.CustomerID, np.Discount, np.Voided = 0, to, 0, false
		if np.ID, err = insertPurchase(ctx, tx, np); err != nil {
			return err
		}
		from := "a walk-in sale"
		if p.CustomerID != 0 {
			from = fmt.Sprintf("customer %d", p.CustomerID)
		}
		if pts := l.EarnedFor(np.Paid()); pts > 0 {
			_, err := insertLedger(ctx, tx, rules.LedgerRow{CustomerID: to, At: p.At, Day: p.Day, Kind: rules.LedgerEarn, Points: pts,
				PurchaseID: np.ID, Staff: staff, Reason: fmt.Sprintf("purchase %d moved from %s", id, from)})
			if err != nil {
				return err
			}
		}
		if _, err := applyExpiryTx(ctx, tx, l, s.Today(), to); err != nil {
			return err
		}
		return audit(ctx, tx, s.Now(), staff, "move purchase", fmt.Sprintf("purchase %d", id), from,
			fmt.Sprintf("customer %d as purchase %d", to, np.ID))
	})
	if err != nil {
		return rules.Purchase{}, err
	}
	return np, nil
}

// Purchase loads one purchase line.
func (s *Store) Purchase(ctx context.Context, id rules.ID) (rules.Purchase, error) {
	p, err := loadPurchase(ctx, s.reader(), id)
	return p, s.explain(err)
}

// Purchases lists a customer's purchase lines up to today, newest first,
// refunds and voided lines included.
func (s *Store) Purchases(ctx context.Context, customerID rules.ID) ([]rules.Purchase, error) {
	ps, err := queryPurchases(ctx, s.reader(), "SELECT "+purchaseCols+` FROM purchases
		WHERE customer_id = ? AND day <= ? ORDER BY day DESC, at DESC, id DESC`, customerID, s.Today().String())
	return ps, s.explain(err)
}

// RecentPurchases lists the latest purchase lines of anyone, newest first,
// for the checkout screen.
func (s *Store) RecentPurchases(ctx context.Context, limit int) ([]rules.Purchase, error) {
	if limit <= 0 {
		limit = 20
	}
	ps, err := queryPurchases(ctx, s.reader(), "SELECT "+purchaseCols+` FROM purchases
		WHERE day <= ? ORDER BY day DESC, id DESC LIMIT ?`, s.Today().String(), limit)
	return ps, s.explain(err)
}

// TopCustomers lists the n customers who spent most up to today.
func (s *Store) TopCustomers(ctx context.Context, n int) ([]rules.TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	return s.topCustomers(ctx, n)
}
