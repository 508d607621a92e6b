package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"

	"github.com/jackc/pgx/v5"
)

// A backup of a shop on PostgreSQL is a Regulars file like any other: the
// shop is copied, from one snapshot of the database (a REPEATABLE READ,
// READ ONLY transaction: CopyTo), into a new shop file beside the backup,
// which is then written out as a file backup is (VACUUM INTO) and checked
// as one. `regulars restore` and `regulars migrate` bring it back into a
// file or a database.

// pgBackupInto writes the shop s, on PostgreSQL, into the new file dst.
func (s *Store) pgBackupInto(ctx context.Context, dst string) error {
	dir, err := os.MkdirTemp(filepath.Dir(dst), ".regulars-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	scratch := filepath.Join(dir, "shop.db")
	t, err := Open(ctx, scratch, Options{Today: s.today, Clock: s.clock})
	if err != nil {
		return err
	}
	_, err = s.CopyTo(ctx, t)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return vacuumInto(ctx, scratch, dst)
}

// pgDatabaseName is the name of the database a PostgreSQL address names,
// in letters, digits, '-' and '_' only (it goes into file names).
func pgDatabaseName(where string) string {
	name := "postgres"
	if cfg, err := pgx.ParseConfig(where); err == nil && cfg.Database != "" {
		name = cfg.Database
	}
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '-'
	}, name)
}

// restoreIntoPostgres replaces the contents of the shop on PostgreSQL at
// where with the backup src, and returns the backup the shop's previous
// contents were kept in ("" when it held no customer and no sale). The
// backup is checked first, as for a shop in a file (restorable,
// checkedCopy): a backup that fails changes nothing. The replacement is
// one transaction: the tills see the shop before it or after it, never
// half of it.
func restoreIntoPostgres(ctx context.Context, src, where string) (string, error) {
	if err := restorable(ctx, src, where); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "regulars-restore-")
	if err != nil {
		return "", fmt.Errorf("cannot restore from %s: no folder for its copy (%w); nothing was changed", src, unwrapPath(err))
	}
	defer os.RemoveAll(dir)
	work := filepath.Join(dir, "restoring.db")
	if err := checkedCopy(ctx, src, work); err != nil {
		return "", err
	}
	// Opened for writing, the copy of a backup made by an older Regulars
	// is brought up to this one's schema first, as a restored file is.
	from, err := Open(ctx, work, Options{MustExist: true, skipLock: true})
	if err != nil {
		return "", fmt.Errorf("cannot restore from %s: %w", src, err)
	}
	defer from.Close()
	target, err := Open(ctx, where, Options{})
	if err != nil {
		return "", err
	}
	defer target.Close()
	aside := ""
	if empty, err := IsEmptyShop(ctx, where); err != nil {
		return "", err
	} else if !empty {
		// What the shop held is kept, as a file's previous copy is.
		if aside, err = target.Backup(ctx, DefaultBackupDir(where)+string(os.PathSeparator)); err != nil {
			return "", fmt.Errorf("the shop's contents could not be kept before the restore (%w); nothing was changed", err)
		}
	}
	if err := from.replaceInto(ctx, target, src, aside); err != nil {
		return aside, fmt.Errorf("cannot restore from %s: %w; nothing was changed", src, err)
	}
	return aside, nil
}

// replaceInto replaces every row of the shop target on PostgreSQL with the
// rows of s, in one transaction, and records the restore in the audit log.
// The ledger and the audit log refuse to lose rows; their guards stand
// aside inside the transaction alone.
func (s *Store) replaceInto(ctx context.Context, target *Store, src, aside string) error {
	rd, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.explain(err)
	}
	defer rd.Rollback()
	return target.tx(ctx, func(tx *sql.Tx) error {
		for _, stmt := range []string{
			"ALTER TABLE ledger DISABLE TRIGGER USER",
			"ALTER TABLE audit DISABLE TRIGGER USER",
			"TRUNCATE " + strings.Join(copyOrder, ", "),
		} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		if err := copyRows(ctx, rd, tx, s.dialect, target.dialect, Migrated{}); err != nil {
			return err
		}
		for _, stmt := range []string{"ALTER TABLE ledger ENABLE TRIGGER USER", "ALTER TABLE audit ENABLE TRIGGER USER"} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return audit(ctx, tx, target.Now(), rules.OwnerName, "restore from backup", src, aside, target.Path())
	})
}
