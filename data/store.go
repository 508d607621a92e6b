// Package data is the shop's memory: the SQLite store, its migrations, the
// domain types, the reminder rules and the loyalty ledger. Nothing here knows
// about windows or widgets; screens and the command line speak to it through
// the Store's methods, which take and return domain values.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regulars/rules"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrNewerSchema means the file was written by a newer Regulars.
var ErrNewerSchema = errors.New("database made by a newer version of Regulars")

// ErrNotDatabase means the file is not a Regulars database at all.
var ErrNotDatabase = errors.New("not a Regulars database")

// ErrNoDatabase means a read-only command was pointed at a missing file.
var ErrNoDatabase = errors.New("no database")

// ErrBusy means another program held the database for longer than the busy timeout.
var ErrBusy = errors.New("database busy")

// ErrReadOnly means the database is open for reading only: it is being
// checked, or it failed its check and waits to be restored.
var ErrReadOnly = errors.New("the database is open read-only")

// ErrNotFound means a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// notFoundError says in one sentence what does not exist, and is ErrNotFound.
type notFoundError struct{ msg string }

func (e notFoundError) Error() string { return e.msg }
func (e notFoundError) Unwrap() error { return ErrNotFound }

func notFound(format string, a ...any) error { return notFoundError{fmt.Sprintf(format, a...)} }

// Store is the shop's database. One connection writes; reads share a small pool.
type Store struct {
	path   string
	w      *sql.DB // the one writer connection; nil while read-only
	r      *sql.DB // readers
	clock  func() time.Time
	today  rules.Day // when set, "today" is this day (the --date flag)
	closed bool
	mu     sync.Mutex   // guards w and hold, which change after Open on a read-only store
	hold   error        // when set, writes are refused with it
	pinMem *pinCounters // wrong PIN tries, when they cannot be written
	unlock func()       // lets go of the shop's lock (shoplock.go)

	// keepSummary: the schema has customer_summary (summary.go) and every
	// write transaction brings it up to date.
	keepSummary atomic.Bool
	// factsOnly: reminders are read from every customer's whole facts,
	// not from the summary rows (tests compare both ways).
	factsOnly bool
	search    customerIndex // see search.go
	today1    todayMemo     // see today_memo.go
	calendar  calendarMemo  // see today_memo.go
	upcoming  upcomingMemo  // see today_memo.go
	base      baseMemo      // see today_memo.go
	// dialect is the engine: the SQLite file, or PostgreSQL (store_pg.go),
	// where w is the one pool for writes and reads and path the address.
	dialect dialect
	// beforeCommit, when set (by tests), runs just before a write
	// transaction's COMMIT.
	beforeCommit func()
	// ownChanges counts this store's write transactions on PostgreSQL,
	// which dataVersion leaves out as SQLite's data_version does.
	ownChanges atomic.Int64
}

// Options change how a database is opened.
type Options struct {
	// MustExist refuses a missing file instead of creating it (read-only commands).
	MustExist bool
	// BusyTimeout is how long a write waits for another program; default 5 s.
	BusyTimeout time.Duration
	// Today, when set, is the day the store treats as today (the --date flag).
	Today rules.Day
	// Clock returns the current time; default time.Now.
	Clock func() time.Time
	// ReadOnly opens an existing file without writing to it at all (no
	// schema upgrade, no journal change); writes fail with ErrReadOnly
	// until AllowWrites. The read-only commands and the window's full
	// check (StartupCheck) open this way.
	ReadOnly bool

	// skipLock: the caller (a restore) holds the shop's lock itself.
	skipLock bool
}

// SchemaVersion is the newest schema this build understands.
func SchemaVersion() int {
	n, _ := migrations()
	return len(n)
}

func migrations() ([]string, error) { return migrationNames(migrationFiles, "migrations") }

// migrationNames lists the files in dir of fsys, in order: ReadDir sorts
// them by name.
func migrationNames(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

func dsn(path string, busy time.Duration, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return sqliteURI(path, q)
}

// Open opens (and, unless MustExist, creates) the database at path and
// brings its schema up to date. The store holds the shop's lock shared
// until Close (shoplock.go): a restore waits for it. A path that is a
// postgres:// or postgresql:// URL opens a shop on PostgreSQL instead
// (store_pg.go).
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if opt.BusyTimeout == 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if isPostgresURL(path) {
		return openPG(ctx, path, opt)
	}
	_, err := os.Stat(path)
	identified := false
	switch {
	case errors.Is(err, os.ErrNotExist) && (opt.MustExist || opt.ReadOnly):
		return nil, fmt.Errorf("%w at %s", ErrNoDatabase, path)
	case err == nil:
		// Known to be a shop before anything, the lock file included,
		// is written beside it.
		if err := lookAtFile(path); err != nil {
			return nil, err
		}
		if !opt.ReadOnly {
			// A file that reads as damaged may be one a restore is
			// writing this moment: the lock says so, and the file is
			// identified again under it.
			switch err := identify(ctx, path, opt.BusyTimeout); {
			case errors.Is(err, ErrDamaged) && !errors.Is(err, ErrChanged):
			case err != nil:
				return nil, err
			default:
				identified = true
			}
		}
	}
	unlock := func() {}
	if !opt.skipLock {
		if !opt.ReadOnly {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, fmt.Errorf("cannot create the folder for %s: %w", path, unwrapPath(err))
			}
		}
		var err error
		if unlock, err = useShop(path, opt.BusyTimeout, !opt.ReadOnly); err != nil {
			return nil, err
		}
	}
	s, err := openShop(ctx, path, opt, identified)
	if err != nil {
		unlock()
		return nil, err
	}
	s.unlock = unlock
	return s, nil
}

// openShop is Open once the shop's lock is held; identified says the
// file was found to be a shop before.
func openShop(ctx context.Context, path string, opt Options, identified bool) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if opt.MustExist || opt.ReadOnly {
			return nil, fmt.Errorf("%w at %s", ErrNoDatabase, path)
		}
		if err := createDatabase(ctx, path, opt); err != nil {
			return nil, err
		}
		identified = true // made here and now
	}
	// Looked at again: a restore may have put another file here meanwhile.
	if err := lookAtFile(path); err != nil {
		return nil, err
	}
	if opt.ReadOnly {
		return openReadOnly(ctx, path, opt)
	}
	if !identified {
		if err := identify(ctx, path, opt.BusyTimeout); err != nil {
			return nil, err
		}
	}
	w := openWriter(dsn(path, opt.BusyTimeout, false))
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w, clock: opt.Clock, today: opt.Today}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.startSummary(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, opt.BusyTimeout, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

// openReadOnly opens readers only, with mode=ro so that not even a
// checkpoint touches the file.
func openReadOnly(ctx context.Context, path string, opt Options) (*Store, error) {
	q := readOnlyParams(opt.BusyTimeout.Milliseconds())
	q.Add("_pragma", "foreign_keys(1)")
	r, err := sql.Open("sqlite", sqliteURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s := &Store{path: path, r: r, clock: opt.Clock, today: opt.Today, hold: ErrReadOnly}
	version, err := s.schemaVersion(ctx, r)
	if err != nil {
		r.Close()
		return nil, err
	}
	if version == 0 {
		r.Close()
		return nil, fmt.Errorf("%s is %w (it is an SQLite file with nothing of Regulars in it)", path, ErrNotDatabase)
	}
	if err := s.ownTables(ctx, r, version); err != nil {
		r.Close()
		return nil, err
	}
	s.keepSummary.Store(version >= summarySchema)
	return s, nil
}

// schemaVersion reads the file's schema version and refuses files of a
// newer Regulars or of another program.
func (s *Store) schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, s.explain(err)
	}
	if version > SchemaVersion() {
		return 0, newerSchema(s.path, version)
	}
	if version == 0 {
		// A fresh file must be empty; an SQLite file from another program is refused.
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
			return 0, s.explain(err)
		}
		if n > 0 {
			return 0, fmt.Errorf("%s is %w (it holds tables of another program)", s.path, ErrNotDatabase)
		}
	}
	return version, nil
}

// AllowWrites opens a read-only store for writing (bringing its schema up
// to date) once it has passed its check.
func (s *Store) AllowWrites(ctx context.Context) error {
	s.mu.Lock()
	if s.w != nil {
		s.hold = nil
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	w := openWriter(dsn(s.path, 5*time.Second, false))
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	m := &Store{path: s.path, w: w, clock: s.clock, today: s.today}
	if err := m.migrate(ctx); err != nil {
		w.Close()
		return err
	}
	if err := m.startSummary(ctx); err != nil {
		w.Close()
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		w.Close()
		return fmt.Errorf("%s was closed", s.path)
	}
	s.w, s.hold = w, nil
	s.keepSummary.Store(true)
	return nil
}

// HoldWrites refuses every write with reason (ErrReadOnly when nil) until
// AllowWrites.
func (s *Store) HoldWrites(reason error) {
	if reason == nil {
		reason = ErrReadOnly
	}
	s.mu.Lock()
	s.hold = reason
	s.mu.Unlock()
}

// Writable says why writes are refused, or nil when they are not.
func (s *Store) Writable() error {
	_, err := s.writer()
	return err
}

func (s *Store) writer() (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		return nil, s.hold
	}
	if s.w == nil {
		return nil, ErrReadOnly
	}
	return s.w, nil
}

// lookAtFile refuses, from the outside of the file at path alone, what
// cannot be a shop: a folder, a device, an empty file, a file that is not
// SQLite's.
func lookAtFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w at %s", ErrNoDatabase, path)
	case err != nil:
		return fmt.Errorf("cannot open %s: %w", path, unwrapPath(err))
	case st.IsDir():
		return fmt.Errorf("%s is a folder, not a database file", path)
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s is %w (it is a device or a pipe, not a file)", path, ErrNotDatabase)
	case st.Size() == 0:
		// Regulars never leaves an empty file where a shop should be
		// (createDatabase), so this is not a new shop but a lost one.
		return fmt.Errorf("%s is %w (the file is empty: 0 bytes)", path, ErrNotDatabase)
	}
	return checkHeader(path)
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	version, err := s.schemaVersion(ctx, s.w)
	if err != nil {
		return err
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFiles.ReadFile("migrations/" + names[i])
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", names[i], err)
			}
			if i == 0 {
				if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ('created_on', ?)", s.Today().String()); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return s.explain(err)
		}
	}
	if version < summarySchema && len(names) >= summarySchema {
		// The caches schema 16 dropped leave their pages free: give them
		// back, so that backups and copies carry the facts alone.
		if _, err := s.w.ExecContext(ctx, "VACUUM"); err != nil {
			return s.explain(err)
		}
	}
	return nil
}

// explain turns driver errors a person can cause into one clear sentence.
func (s *Store) explain(err error) error {
	if err == nil {
		return nil
	}
	if s.dialect == onPostgres {
		return explainPG(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%s is %w (the file is damaged or of another kind)", s.path, ErrNotDatabase)
		case sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%s is %w (%s); restore it from a backup", s.path, ErrDamaged, sqliteWords(se))
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: another program kept %s locked; try again in a moment", ErrBusy, s.path)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("%w: nothing was written to %s; free some space and try again", ErrDiskFull, s.path)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return fmt.Errorf("cannot write to %s: check the file's permissions", s.path)
		case sqlite3.SQLITE_IOERR:
			if diskFullAt(s.path) {
				return fmt.Errorf("%w: nothing was written to %s; free some space and try again", ErrDiskFull, s.path)
			}
			return fmt.Errorf("the disk failed while reading or writing %s (%s); nothing was written", s.path, ioErrorWords(se.Code()))
		}
	}
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if c := s.search.conn; c != nil {
		c.Close()
	}
	if s.r != nil {
		err = s.r.Close()
	}
	if s.w != nil {
		if e := s.w.Close(); err == nil {
			err = e
		}
	}
	if s.unlock != nil {
		s.unlock()
	}
	return err
}

// Now is the current instant; with a simulated date it is that day at the
// current time of day, so rows written are dated that day.
func (s *Store) Now() time.Time {
	t := s.clock()
	if s.today.IsZero() {
		return t
	}
	y, m, d := s.today.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, t.Location())
}

// Today is the current day (or the simulated one).
func (s *Store) Today() rules.Day {
	if !s.today.IsZero() {
		return s.today
	}
	return rules.DayOf(s.clock())
}

// SetToday sets the simulated date (zero returns to the real one).
func (s *Store) SetToday(d rules.Day) { s.today = d }

// CatchUp starts a new day for a window left open past midnight: what the
// store remembers of the old day's lists is forgotten, so the new day's
// are read from the facts.
func (s *Store) CatchUp(ctx context.Context) error {
	s.wrote(nil)
	return nil
}

// tx runs fn in one write transaction on the writer connection.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	w, err := s.writer()
	if err != nil {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return s.explain(err)
	}
	startTouching(tx)
	if err := fn(tx); err != nil {
		stopTouching(tx)
		tx.Rollback()
		return s.explain(err)
	}
	ids := stopTouching(tx)
	if err := s.updateSummaries(ctx, tx, ids); err != nil {
		tx.Rollback()
		return s.explain(err)
	}
	counted := false
	if s.dialect == onPostgres {
		// Other tills see the count move (and hear of it: watch.go);
		// this store counts its own.
		if _, err := tx.ExecContext(ctx, pgCountChange); err != nil {
			tx.Rollback()
			return s.explain(err)
		}
		counted = true
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	if err := tx.Commit(); err != nil {
		if s.dialect == onPostgres && isUnreachable(err) {
			return commitUnknownError{err}
		}
		return s.explain(err)
	}
	if counted {
		s.ownChanges.Add(1)
	}
	s.wrote(ids)
	return nil
}

// reader is the pool for queries; before Open finishes, the writer.
func (s *Store) reader() *sql.DB {
	if s.r != nil {
		return s.r
	}
	return s.w
}

// Formatting of stored values.

const instantLayout = "2006-01-02 15:04:05"

func fmtInstant(t time.Time) string { return t.Format(instantLayout) }

func parseInstant(s string) time.Time {
	t, err := time.ParseInLocation(instantLayout, s, time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

// nullDay stores the zero Day as NULL.
func nullDay(d rules.Day) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func scanDay(ns sql.NullString) rules.Day {
	if !ns.Valid || ns.String == "" {
		return 0
	}
	d, err := rules.ParseDay(ns.String)
	if err != nil {
		return 0
	}
	return d
}

func nullID(id rules.ID) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Setting reads one raw setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader().QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, s.explain(err)
}

// SetSetting writes one raw setting. Changes to the owner's settings
// (shop name, rules, loyalty scheme, templates, backup folder) are audited
// with the value before and after.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before string
		action := settingAction(key)
		if action != "" {
			if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&before); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
		if err != nil || action == "" || before == value {
			return err
		}
		return audit(ctx, tx, s.Now(), rules.OwnerName, action, key, before, value)
	})
}

// CreatedOn is the day the database was created; reports count reminders
// due from then on so imported history does not drown them.
func (s *Store) CreatedOn(ctx context.Context) (rules.Day, error) {
	v, err := s.Setting(ctx, "created_on")
	if err != nil || v == "" {
		return 0, err
	}
	return rules.ParseDay(v)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
