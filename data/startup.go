package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// ErrDamaged means the database file is damaged or breaks the ledger's rules.
var ErrDamaged = errors.New("damaged")

// CheckError is a database that did not pass its start-up check.
type CheckError struct {
	Path     string
	Problems []Problem
}

func (e *CheckError) Error() string {
	msg := fmt.Sprintf("%s did not pass its start-up check: %s", filepath.Base(e.Path), e.Problems[0].What)
	if n := len(e.Problems) - 1; n == 1 {
		msg += " (and 1 more problem)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", n)
	}
	return msg
}

func (e *CheckError) Unwrap() error { return ErrDamaged }

// StartupCheck is the full check the window runs in the background on
// its first start of a day (DailyCheckDue): the file must be a Regulars
// database of a schema this build knows, pass SQLite's integrity_check over
// every page and the foreign key check, and keep every ledger invariant. It
// opens a read-only connection of its own and reads the ledger one customer
// at a time in one read transaction, so it holds no lock that stops a sale
// and little memory. A failed check is a *CheckError; a file that cannot be
// read at all gives the sentence Open gives.
func StartupCheck(ctx context.Context, path string) error {
	s, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	problems, err := s.check(ctx, false)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return &CheckError{Path: path, Problems: problems}
	}
	return nil
}

// NewestGoodBackup finds the newest backup of the database at dbPath in
// dirs that verifies (a whole database of a known schema, passing the
// integrity check). It is ErrNotFound when there is none.
func NewestGoodBackup(ctx context.Context, dbPath string, dirs ...string) (BackupFile, error) {
	for _, b := range Backups(dbPath, dirs...) {
		if err := ctx.Err(); err != nil {
			return BackupFile{}, err
		}
		if VerifyDatabaseFile(ctx, b.Path) == nil {
			return b, nil
		}
	}
	return BackupFile{}, notFound("there is no good backup to restore from")
}

// oneLine folds SQLite's multi-line integrity messages into one line,
// without the banner naming the schema.
func oneLine(m string) string {
	m = strings.ReplaceAll(m, "*** in database main ***", "")
	return strings.Join(strings.Fields(m), " ")
}
