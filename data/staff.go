package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"sync"
)

// StaffNames lists the active staff, owner first, then by name.
func (s *Store) StaffNames(ctx context.Context) ([]string, error) {
	names, err := column[string](ctx, s.reader(), "SELECT name FROM staff WHERE active = 1 ORDER BY name = ? DESC, name COLLATE NOCASE", rules.OwnerName)
	if err != nil {
		return nil, s.explain(err)
	}
	return names, nil
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

// The till. Each PC selling for the shop is a till with a name, set once
// in Settings and kept on that PC, not in the shop: in a small file,
// TillFile, which the window and the command line both read. REGULARS_TILL,
// when set, names the till instead (a PC with two windows, a script).
// Sales, ledger rows, contacts and the audit log record the till they are
// made at.

// TillEnv is the variable that names the till instead of TillFile.
const TillEnv = "REGULARS_TILL"

var thisTill struct {
	sync.Mutex
	name  string
	known bool
}

// TillFile is where this PC keeps its till's name:
// <the user's settings folder>/regulars/till ($XDG_CONFIG_HOME or
// ~/.config on Linux).
func TillFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot tell where this PC keeps its settings (%v), so the till's name cannot be kept", err)
	}
	return filepath.Join(dir, "regulars", "till"), nil
}

// TillName is this PC's till: REGULARS_TILL, else the name in TillFile,
// read once; "" when none was set.
func TillName() string {
	thisTill.Lock()
	defer thisTill.Unlock()
	if !thisTill.known {
		thisTill.name, thisTill.known = readTillName(), true
	}
	return thisTill.name
}

func readTillName() string {
	if v := strings.TrimSpace(os.Getenv(TillEnv)); v != "" && rules.CheckName(v) == nil {
		return v
	}
	p, err := TillFile()
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	if v := strings.TrimSpace(string(b)); rules.CheckName(v) == nil {
		return v
	}
	return ""
}

// SetTillName keeps name as this PC's till in TillFile, from now on and
// after the next start; "" forgets it.
func SetTillName(name string) error {
	name = strings.TrimSpace(name)
	if name != "" {
		if err := rules.CheckName(name); err != nil {
			return fmt.Errorf("the till's name: %w", err)
		}
	}
	p, err := TillFile()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("cannot keep the till's name in %s: %w", p, unwrapPath(err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".till-*")
	if err != nil {
		return fmt.Errorf("cannot keep the till's name in %s: %w", p, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(name + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		return fmt.Errorf("cannot keep the till's name in %s: %w", p, unwrapPath(err))
	}
	thisTill.Lock()
	thisTill.name, thisTill.known = name, true
	thisTill.Unlock()
	return nil
}

// tillOr is till, or this PC's till when it is "".
func tillOr(till string) string {
	if till != "" {
		return till
	}
	return TillName()
}
