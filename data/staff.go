package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strings"
)

// StaffNames lists the active staff, owner first, then by name.
func (s *Store) StaffNames(ctx context.Context) ([]string, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT name FROM staff WHERE active = 1 ORDER BY name = ? DESC, name COLLATE NOCASE", rules.OwnerName)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddStaff adds a staff member (or makes a former one active again).
func (s *Store) AddStaff(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if err := rules.CheckName(name); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return ensureStaff(ctx, tx, name) })
}

// RemoveStaff marks a staff member as no longer working here; their name
// stays on the rows they made.
func (s *Store) RemoveStaff(ctx context.Context, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE staff SET active = 0 WHERE name = ?", strings.TrimSpace(name))
		return err
	})
}

func ensureStaff(ctx context.Context, tx *sql.Tx, name string) error {
	if name == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO staff(name) VALUES (?) ON CONFLICT(name) DO UPDATE SET active = 1", name)
	return err
}
