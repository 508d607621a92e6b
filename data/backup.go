package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultBackupDir is the "backups" folder beside the database.
func DefaultBackupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// Backup writes a consistent copy of the database to path. When path is a
// folder (or ends with a separator) the copy goes inside it under a dated
// name. The copy is written beside its final name, verified, and only then
// renamed into place, so a failed backup never leaves a broken file behind.
func (s *Store) Backup(ctx context.Context, path string) (string, error) {
	target := path
	if st, err := os.Stat(path); (err == nil && st.IsDir()) || strings.HasSuffix(path, string(os.PathSeparator)) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return "", fmt.Errorf("cannot create the backup folder %s: %w", path, unwrapPath(err))
		}
		target = filepath.Join(path, "regulars-"+s.Now().Format("2006-01-02-150405")+".db")
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("cannot create the backup folder %s: %w", filepath.Dir(path), unwrapPath(err))
	}
	tmp := target + ".part"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		err = s.explain(err)
		if strings.Contains(err.Error(), "full") {
			return "", fmt.Errorf("the disk is full: the backup to %s was not written; the database itself is untouched", target)
		}
		return "", fmt.Errorf("the backup to %s failed: %w; the database itself is untouched", target, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return "", err
	}
	if err := VerifyDatabaseFile(ctx, tmp); err != nil {
		return "", fmt.Errorf("the backup written to %s did not verify (%v); the database itself is untouched", target, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return "", fmt.Errorf("cannot put the backup at %s: %w", target, unwrapPath(err))
	}
	syncDir(filepath.Dir(target))
	return target, nil
}

// VerifyDatabaseFile opens a file read-only and checks that it is a whole
// Regulars database of a schema this build understands.
func VerifyDatabaseFile(ctx context.Context, path string) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if st.Size() == 0 {
		return fmt.Errorf("%s is empty", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := &Store{path: path}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return tmp.explain(err)
	}
	if version == 0 {
		return fmt.Errorf("%s is %w", path, ErrNotDatabase)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("%s: %w (schema %d; this version knows up to %d)", path, ErrNewerSchema, version, SchemaVersion())
	}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return tmp.explain(err)
	}
	if res != "ok" {
		return fmt.Errorf("%s is damaged (%s)", path, res)
	}
	return nil
}

// Restore replaces the database at dbPath with the backup at src, after
// checking the backup. The current file (and its journal) is kept aside;
// the name it was kept under is returned ("" when there was none).
func Restore(ctx context.Context, src, dbPath string) (string, error) {
	if err := VerifyDatabaseFile(ctx, src); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("there is no backup at %s", src)
		}
		return "", fmt.Errorf("cannot restore from %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return "", fmt.Errorf("cannot create the folder for %s: %w", dbPath, unwrapPath(err))
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("cannot copy %s: %w; the database is untouched", src, err)
	}
	aside := ""
	if _, err := os.Stat(dbPath); err == nil {
		aside = dbPath + ".before-restore-" + time.Now().Format("2006-01-02-150405")
		if err := os.Rename(dbPath, aside); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("cannot move the current database aside: %w; nothing was changed", unwrapPath(err))
		}
		for _, j := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(dbPath + j); err == nil {
				os.Rename(dbPath+j, aside+j)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return aside, fmt.Errorf("cannot put the restored file in place: %w; the previous database is at %s", unwrapPath(err), aside)
	}
	syncDir(filepath.Dir(dbPath))
	return aside, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return unwrapPath(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return unwrapPath(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
