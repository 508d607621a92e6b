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
	rows, err := tx.QueryContext(ctx, `SELECT id, name, phone, email, phone_digits, email_norm FROM customers
		WHERE forgotten = 0 ORDER BY id`)
	if err != nil {
		return nil, s.explain(err)
	}
	var cs []rules.DuplicateCandidate
	for rows.Next() {
		var c rules.DuplicateCandidate
		if err := rows.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &c.PhoneDigits, &c.EmailNorm); err != nil {
			rows.Close()
			return nil, s.explain(err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
	}
	not := map[[2]rules.ID]bool{}
	rows, err = tx.QueryContext(ctx, "SELECT first_id, second_id FROM not_duplicates")
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b rules.ID
		if err := rows.Scan(&a, &b); err != nil {
			return nil, s.explain(err)
		}
		not[[2]rules.ID{a, b}] = true
	}
	if err := rows.Err(); err != nil {
		return nil, s.explain(err)
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
