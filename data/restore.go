package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regulars/rules"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Restore replaces the database at dbPath with the backup at src and
// returns the name the current file was kept under ("" when there was
// none). The caller holds the window's lock (LockWindow); Restore takes
// the shop's lock exclusively for the whole of its work, so no command
// writes to the file while it is checked, set aside and replaced.
//
// Each step leaves a usable shop if the program is killed there:
//
//  1. The backup is copied into "<shop>.restoring" and that copy passes
//     every check `regulars check` makes (SQLite's integrity, the schema
//     exactly as the app makes it, every ledger rule); otherwise nothing is
//     changed.
//  2. The current file, when it is a shop, has its WAL checkpointed into
//     it, and gets a second name, "<shop>.before-restore-…" (a hard link:
//     the shop stays where it is). A WAL that could not be checkpointed
//     is kept beside that name too.
//  3. The current file's -wal and -shm go: they belong to it, and SQLite
//     would read them as the restored file's.
//  4. The copy is renamed over the shop, in one step.
//  5. The restored file gets an audit row saying where it came from.
func Restore(ctx context.Context, src, dbPath string) (string, error) {
	if isPostgresURL(dbPath) {
		return restoreIntoPostgres(ctx, src, dbPath)
	}
	if err := restorable(ctx, src, dbPath); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return "", fmt.Errorf("cannot create the folder for %s: %w", dbPath, unwrapPath(err))
	}
	work, release, err := lockForRestore(dbPath, restoreWait)
	if err != nil {
		return "", err
	}
	defer release()
	placed := false
	defer func() {
		if !placed {
			removeWithJournals(work)
		}
	}()

	// 1. The copy, checked as `regulars check` checks.
	if err := checkedCopy(ctx, src, work); err != nil {
		return "", err
	}
	// In WAL mode before it takes the shop's name: switching a file's
	// journal mode writes a rollback journal, which a kill would leave
	// hot beside the shop, and then no read-only command could read it.
	if err := setWAL(ctx, work); err != nil {
		return "", fmt.Errorf("cannot restore from %s: %w; nothing was changed", src, (&Store{path: work}).explain(err))
	}
	if err := syncFile(work); err != nil {
		return "", fmt.Errorf("cannot restore from %s: %w; nothing was changed", src, err)
	}

	// 2, 3. The current file kept aside, its WAL dealt with.
	aside := ""
	if _, err := os.Lstat(dbPath); err == nil {
		checkpoint(ctx, dbPath)
		if aside, err = keepAside(dbPath); err != nil {
			return "", err
		}
		for _, j := range []string{"-wal", "-shm", "-journal"} {
			if err := os.Remove(dbPath + j); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("cannot remove %s%s: %w; the database is unchanged, and also kept as %s", dbPath, j, unwrapPath(err), aside)
			}
		}
	}

	// 4. The copy in place.
	if err := os.Rename(work, dbPath); err != nil {
		return aside, fmt.Errorf("cannot put the restored file in place: %w; the previous database is at %s", unwrapPath(err), aside)
	}
	placed = true
	syncDir(filepath.Dir(dbPath))

	// 5. The restored file says itself that it was restored, and from what.
	s, err := Open(ctx, dbPath, Options{MustExist: true, skipLock: true})
	if err != nil {
		return aside, err
	}
	defer s.Close()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.Now(), rules.OwnerName, "restore from backup", src, aside, dbPath)
	})
	return aside, err
}

// checkedCopy copies the backup src into the new file work and runs every
// check of `regulars check` on the copy.
func checkedCopy(ctx context.Context, src, work string) error {
	if err := vacuumInto(ctx, src, work); err != nil {
		if diskFull(err) || diskFullAt(work) {
			return fmt.Errorf("%w: %s was not restored; nothing was changed", ErrDiskFull, src)
		}
		var se *sqlite.Error
		if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB) {
			return fmt.Errorf("cannot restore from %s: it is damaged (%s); nothing was changed", src, sqliteWords(se))
		}
		return fmt.Errorf("cannot restore from %s: %w; nothing was changed", src, (&Store{path: src}).explain(unwrapPath(err)))
	}
	return checkRestoreCopy(ctx, src, work)
}

// restorable looks at the backup before anything is locked: it must be a
// Regulars database of a schema this build knows, and not the shop itself.
func restorable(ctx context.Context, src, dbPath string) error {
	st, err := os.Stat(src)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("there is no backup at %s", src)
	case err != nil:
		return fmt.Errorf("cannot read %s: %w", src, unwrapPath(err))
	case st.IsDir():
		return fmt.Errorf("%s is a folder; name the backup file in it", src)
	}
	if cur, err := os.Stat(dbPath); err == nil && os.SameFile(st, cur) {
		return fmt.Errorf("%s is the database itself, not a backup of it", src)
	}
	if err := verifyHeader(ctx, src); err != nil {
		return fmt.Errorf("cannot restore from %s: %w", src, err)
	}
	return nil
}

// checkRestoreCopy runs every check of `regulars check` on the copy about
// to become the shop.
func checkRestoreCopy(ctx context.Context, src, work string) error {
	s, err := Open(ctx, work, Options{ReadOnly: true, skipLock: true})
	if err != nil {
		return fmt.Errorf("cannot restore from %s: %w", src, err)
	}
	defer s.Close()
	problems, err := s.Check(ctx)
	if err != nil {
		return fmt.Errorf("cannot restore from %s: %w", src, err)
	}
	if len(problems) > 0 {
		list := make([]string, len(problems))
		for i, p := range problems {
			list[i] = p.What
		}
		return fmt.Errorf("cannot restore from %s: it fails the check (%s); nothing was changed", src, morePhrase(list, "problem"))
	}
	return nil
}

// checkpoint moves what the shop's WAL holds into the shop's file, so that
// the file set aside is whole by itself. A file that is not a healthy shop
// is left as it is: its WAL is kept beside it (keepAside).
func checkpoint(ctx context.Context, dbPath string) {
	if identify(ctx, dbPath, time.Second) != nil {
		return
	}
	db, err := sql.Open("sqlite", sqliteURI(dbPath, nil))
	if err != nil {
		return
	}
	defer db.Close()
	var busy, logged, moved int
	db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved)
}

// keepAside gives the current file a second name (and its WAL, when it
// still holds anything), so that it is kept whatever happens next.
func keepAside(dbPath string) (string, error) {
	base := dbPath + ".before-restore-" + time.Now().Format("2006-01-02-150405")
	aside := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(aside); errors.Is(err, os.ErrNotExist) {
			break
		}
		aside = base + "-" + strconv.Itoa(i)
	}
	if err := linkOrCopy(dbPath, aside); err != nil {
		return "", fmt.Errorf("cannot keep the current database as %s: %w; nothing was changed", aside, err)
	}
	if st, err := os.Stat(dbPath + "-wal"); err == nil && st.Size() > 0 {
		if err := linkOrCopy(dbPath+"-wal", aside+"-wal"); err != nil {
			return "", fmt.Errorf("cannot keep the current database's journal as %s-wal: %w; nothing was changed", aside, err)
		}
	}
	syncDir(filepath.Dir(dbPath))
	return aside, nil
}

// linkOrCopy gives the file src the name dst too: a hard link, or a copy
// where the file system has none.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	if err := copyFile(src, dst); err != nil {
		os.Remove(dst)
		return err
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return unwrapPath(err)
	}
	defer f.Close()
	return f.Sync()
}

// setWAL switches the database file at path to WAL mode, the mode a shop
// is used in.
func setWAL(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", sqliteURI(path, url.Values{"_pragma": {"busy_timeout(5000)", "synchronous(FULL)"}}))
	if err != nil {
		return err
	}
	defer db.Close()
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("the file stayed in %s mode", mode)
	}
	return db.Close()
}

// removeWithJournals removes a database file SQLite was writing, and the
// journals it may have beside it.
func removeWithJournals(path string) {
	for _, j := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + j)
	}
}
