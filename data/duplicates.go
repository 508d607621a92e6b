package data

import (
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
)

// SuggestDuplicates lists the pairs of customers that may be one person:
// the same phone digits, the same email, or names alike (SuggestPairs),
// less the pairs marked not the same person.
func (s *Store) SuggestDuplicates(ctx context.Context) ([]rules.DuplicatePair, error) {
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer tx.Rollback()
	var cs []rules.DuplicateCandidate
	err = s.scanEachOn(ctx, tx, `SELECT id, name, phone, email, phone_digits, email_norm FROM customers
		WHERE forgotten = 0 ORDER BY id`, nil, func(r *sql.Rows, _ *sql.RawBytes) error {
		var c rules.DuplicateCandidate
		err := r.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &c.PhoneDigits, &c.EmailNorm)
		cs = append(cs, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	not := map[[2]rules.ID]bool{}
	err = s.scanEachOn(ctx, tx, "SELECT first_id, second_id FROM not_duplicates", nil, func(r *sql.Rows, _ *sql.RawBytes) error {
		var a, b rules.ID
		err := r.Scan(&a, &b)
		not[[2]rules.ID{a, b}] = true
		return err
	})
	if err != nil {
		return nil, err
	}
	pairs := rules.SuggestPairs(cs)
	return slices.DeleteFunc(pairs, func(p rules.DuplicatePair) bool { return not[[2]rules.ID{p.A.ID, p.B.ID}] }), nil
}

// MarkNotDuplicates remembers that customers a and b are two people, so
// that they are not suggested as a pair again.
func (s *Store) MarkNotDuplicates(ctx context.Context, a, b rules.ID, staff string) error {
	if a == b {
		return fmt.Errorf("a customer cannot be told apart from themselves")
	}
	a, b = min(a, b), max(a, b)
	if staff == "" {
		staff = rules.OwnerName
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO not_duplicates(first_id, second_id, staff, marked_on) VALUES (?, ?, ?, ?)
			ON CONFLICT(first_id, second_id) DO NOTHING`, a, b, staff, s.Today().String())
		if err != nil {
			return err
		}
		return audit(ctx, tx, s.Now(), staff, "not the same person", fmt.Sprintf("%d and %d", a, b), "", "")
	})
	return s.explain(err)
}
