package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// createDatabase makes a new, empty shop at path. The schema is written
// into a file of its own beside path, and that file is linked into place
// only once it is whole: a database that exists is always one Regulars
// finished making, so an empty file is never taken for a new shop. A
// creation cut off (the program killed) leaves only its own file behind,
// which the next one removes.
func createDatabase(ctx context.Context, path string, opt Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the folder for %s: %w", path, unwrapPath(err))
	}
	prefix := "." + filepath.Base(path) + ".new-"
	if old, _ := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*")); len(old) > 0 {
		for _, p := range old {
			if !strings.HasSuffix(p, "-journal") && !strings.HasSuffix(p, "-wal") && !strings.HasSuffix(p, "-shm") && abandoned(p) {
				removeWithJournals(p)
			}
		}
	}
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", path, unwrapPath(err))
	}
	tmp := f.Name()
	f.Close()
	defer removeWithJournals(tmp)
	release, err := holdFile(tmp)
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", path, err)
	}
	defer release()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opt.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	w := openWriter(sqliteURI(tmp, q))
	w.SetMaxOpenConns(1)
	m := &Store{path: path, w: w, clock: opt.Clock, today: opt.Today}
	if err := m.migrate(ctx); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return m.explain(err)
	}
	// In WAL mode before it is linked in (see Restore): the switch would
	// otherwise happen at the first open, leaving a hot journal if killed.
	if err := setWAL(ctx, tmp); err != nil {
		return m.explain(err)
	}
	switch err := os.Link(tmp, path); {
	case err == nil, errors.Is(err, os.ErrExist):
		// Linked; or another program made the shop meanwhile, and that one is opened.
	default:
		// A file system without hard links: rename, unless the shop appeared.
		if _, serr := os.Lstat(path); serr == nil {
			break
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("cannot create %s: %w", path, unwrapPath(err))
		}
	}
	syncDir(dir)
	return nil
}

// globEscape quotes the characters filepath.Match treats specially.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// identify checks, through a read-only connection, that the file at path
// is a Regulars database this build can open for writing: a known schema
// version, and exactly the tables, indexes, views and triggers Regulars
// makes at that version. Nothing is written to a file before it passes:
// not even the switch to WAL, which would change another program's file.
func identify(ctx context.Context, path string, busy time.Duration) error {
	db, err := sql.Open("sqlite", sqliteURI(path, readOnlyParams(busy.Milliseconds())))
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	s := &Store{path: path}
	version, err := s.schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if version == 0 {
		return fmt.Errorf("%s is %w (it is an SQLite file with nothing of Regulars in it)", path, ErrNotDatabase)
	}
	problems, err := schemaProblems(ctx, db, version)
	if err != nil {
		return s.explain(err)
	}
	if len(problems) > 0 {
		return schemaError{path, problems}
	}
	return nil
}

// ErrChanged means the file's schema was changed by something other than
// Regulars. Such a file is ErrDamaged too, so the window offers a backup.
var ErrChanged = errors.New("not as Regulars made it")

type schemaError struct {
	path     string
	problems []string
}

func (e schemaError) Error() string {
	return fmt.Sprintf("%s is %v: %s; restore it from a backup", e.path, ErrChanged, morePhrase(e.problems, "change"))
}

func (e schemaError) Is(target error) bool { return target == ErrChanged || target == ErrDamaged }

// morePhrase is the first of a list, and how many more there are.
func morePhrase(list []string, noun string) string {
	switch n := len(list) - 1; {
	case n == 0:
		return list[0]
	case n == 1:
		return list[0] + " (and 1 more " + noun + ")"
	default:
		return fmt.Sprintf("%s (and %d more %ss)", list[0], n, noun)
	}
}
