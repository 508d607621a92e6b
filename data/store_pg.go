package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// A shop on PostgreSQL: data.Open("postgres://…") opens it here. The
// connection settings are PostgreSQL's own (the URL, then PGHOST, PGUSER,
// PGSSLMODE, ~/.pgpass, as pgx reads them); Regulars stores no password.
// The store's SQL is SQLite's: every statement passes through pgConn,
// which rewrites it (pgSQL) on its way to the server.

// pgHostRule refuses a URL that would talk to a remote server without
// TLS: a host other than a socket folder or this machine must say
// sslmode=require, verify-ca or verify-full, or sslmode=disable on
// purpose. It returns the settings pgx will connect with.
func pgHostRule(where string) (*pgx.ConnConfig, error) {
	u, err := url.Parse(where)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read as a PostgreSQL address: %v", redactURL(where), errors.Unwrap(err))
	}
	cfg, err := pgx.ParseConfig(where)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read as a PostgreSQL address: %v", redactURL(where), err)
	}
	mode := u.Query().Get("sslmode")
	if mode == "" {
		mode = os.Getenv("PGSSLMODE")
	}
	switch mode {
	case "require", "verify-ca", "verify-full", "disable":
		return cfg, nil
	}
	hosts := []string{cfg.Host}
	for _, f := range cfg.Fallbacks {
		hosts = append(hosts, f.Host)
	}
	for _, h := range hosts {
		if !strings.HasPrefix(h, "/") && !isLocalHost(h) {
			return nil, fmt.Errorf("Regulars will not send a shop to the PostgreSQL server at %s unencrypted: add sslmode=require (or verify-full) to the address, or sslmode=disable if the network is trusted", h)
		}
	}
	return cfg, nil
}

func isLocalHost(h string) bool {
	switch strings.ToLower(strings.Trim(h, "[]")) {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// redactURL is where without its password, for messages and Path.
func redactURL(where string) string {
	u, err := url.Parse(where)
	if err != nil {
		return "the address given"
	}
	return u.Redacted()
}

// openPG opens the shop on PostgreSQL at where and brings its schema up to
// date. The writer and the readers are one pool: the server keeps
// transactions apart.
func openPG(ctx context.Context, where string, opt Options) (*Store, error) {
	cfg, err := pgHostRule(where)
	if err != nil {
		return nil, err
	}
	name := redactURL(where)
	for param, value := range map[string]string{
		// The store's statements are short, and compiling a plan to
		// machine code costs more than it saves on them (20 ms on a
		// whole-shop read, which then runs no quicker).
		"jit": "off",
		// Statements are prepared once per connection (pgx's cache).
		// After five runs PostgreSQL may plan one for any values; for a
		// list of 500 customers that plan read every purchase (1.4 s for
		// the year's spend of Today's drifting customers, not 5 ms).
		"plan_cache_mode": "force_custom_plan",
	} {
		if _, set := cfg.RuntimeParams[param]; !set {
			cfg.RuntimeParams[param] = value
		}
	}
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach the shop's PostgreSQL at %s: %w", name, err)
	}
	if opt.ReadOnly || opt.MustExist {
		// A read-only command needs a shop there already: an empty
		// database is not one.
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'").Scan(&n); err != nil || n == 0 {
			db.Close()
			if err == nil {
				err = fmt.Errorf("%w at %s", ErrNoDatabase, name)
			}
			return nil, err
		}
	}
	s := &Store{path: name, w: db, clock: opt.Clock, today: opt.Today, dialect: onPostgres}
	if opt.ReadOnly {
		s.hold = ErrReadOnly
		s.keepSummary.Store(true)
		return s, nil
	}
	if _, err := applyPGSchema(ctx, db, s.Today().String()); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", name, explainPG(err))
	}
	if err := s.startSummary(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// pgVersions stands in for the count of a database without shop_changes
// (opened read-only before its schema came up to date): every read takes a
// new number, so what a store remembers of the shop is read again each
// time.
var pgVersions atomic.Int64

// dataVersion is PRAGMA data_version on the connection db, or on
// PostgreSQL the count of the shop's write transactions less those of this
// store (shop_changes; a number never read before where the database has
// no count yet).
func (s *Store) dataVersion(ctx context.Context, q querier) (int64, error) {
	if s.dialect == onPostgres {
		var n int64
		err := q.QueryRowContext(ctx, "SELECT n FROM shop_changes").Scan(&n)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
			return pgVersions.Add(1) + 1<<62, nil
		}
		if err != nil {
			return 0, explainPG(err)
		}
		return n - s.ownChanges.Load(), nil
	}
	var v int64
	err := q.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, s.explain(err)
}

// pgConnector makes connections through pgx whose statements are
// rewritten by pgSQL.
type pgConnector struct{ c driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.c.Driver() }

// pgConn is one connection to PostgreSQL. Statements are rewritten; an
// INSERT into a table that makes ids reads the id back (RETURNING id), so
// that Result.LastInsertId answers as on SQLite; a read-only transaction
// reads one snapshot (REPEATABLE READ), as SQLite's do.
type pgConn struct{ c driver.Conn }

func (p *pgConn) Prepare(query string) (driver.Stmt, error) {
	return p.PrepareContext(context.Background(), query)
}

func (p *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	q := pgSQL(query)
	r := pgReturningID(q)
	if r == "" {
		return p.c.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	}
	st, err := p.c.(driver.ConnPrepareContext).PrepareContext(ctx, r)
	if err != nil {
		return nil, err
	}
	return pgReturningStmt{st}, nil
}

// pgReturningStmt is a prepared INSERT that reads its id back (RETURNING
// id): Exec runs it as a query, so that Result.LastInsertId answers.
type pgReturningStmt struct{ driver.Stmt }

func (s pgReturningStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return returned(rows)
}

func (s pgReturningStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (p *pgConn) Close() error { return p.c.Close() }

func (p *pgConn) Begin() (driver.Tx, error) {
	return p.BeginTx(context.Background(), driver.TxOptions{})
}

func (p *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly && opts.Isolation == driver.IsolationLevel(sql.LevelDefault) {
		opts.Isolation = driver.IsolationLevel(sql.LevelRepeatableRead)
	}
	return p.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (p *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q := pgSQL(query)
	if r := pgReturningID(q); r != "" {
		rows, err := p.c.(driver.QueryerContext).QueryContext(ctx, r, args)
		if err != nil {
			return nil, err
		}
		return returned(rows)
	}
	return p.c.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (p *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return p.c.(driver.QueryerContext).QueryContext(ctx, pgSQL(query), args)
}

func (p *pgConn) Ping(ctx context.Context) error { return p.c.(driver.Pinger).Ping(ctx) }

func (p *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	return p.c.(driver.NamedValueChecker).CheckNamedValue(v)
}

func (p *pgConn) ResetSession(ctx context.Context) error {
	return p.c.(driver.SessionResetter).ResetSession(ctx)
}

func (p *pgConn) IsValid() bool {
	if v, ok := p.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// returned reads and closes the ids an INSERT … RETURNING id gave back.
func returned(rows driver.Rows) (driver.Result, error) {
	defer rows.Close()
	var res pgResult
	dest := make([]driver.Value, 1)
	for {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		res.rows++
		if id, ok := dest[0].(int64); ok {
			res.id = id
		}
	}
	return res, rows.Close()
}

// pgResult is an INSERT's result read back through RETURNING id: the last
// id made, as SQLite's last_insert_rowid.
type pgResult struct{ id, rows int64 }

func (r pgResult) LastInsertId() (int64, error) { return r.id, nil }
func (r pgResult) RowsAffected() (int64, error) { return r.rows, nil }

// explainPG says in one sentence that the server cannot be reached, or
// that the role connected as lacks a right, where that is why err
// happened; other errors are left as they are.
func explainPG(err error) error {
	var u unreachableError
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &u):
		return err
	case errors.As(err, &pe) && pe.Code == "42501": // insufficient_privilege
		return fmt.Errorf("%w (%s): connect as the role that owns the shop's tables, the one that ran regulars migrate", ErrNoRight, pe.Message)
	case isUnreachable(err):
		return unreachableError{err}
	}
	return err
}

// ErrNoRight means the PostgreSQL role a till connects as may not do what
// was asked (replace the shop's tables in a restore, say).
var ErrNoRight = errors.New("the PostgreSQL role Regulars connects as may not do this")

// unreachableError is a statement that failed because the server could
// not be reached: a write transaction that fails so wrote nothing.
type unreachableError struct{ cause error }

func (e unreachableError) Error() string {
	return ErrUnreachable.Error() + ", so nothing was saved: try again once it is back"
}

func (e unreachableError) Unwrap() []error { return []error{ErrUnreachable, e.cause} }

// ErrMaybeSaved means the server stopped answering after it was asked to
// commit a write: the write may or may not have been kept.
var ErrMaybeSaved = errors.New("the write may or may not have been saved")

// commitUnknownError is a COMMIT whose answer never came: the server may
// have kept the write before the connection broke, or not.
type commitUnknownError struct{ cause error }

func (e commitUnknownError) Error() string {
	return "the shop's database server stopped answering just as this was being saved, so it may or may not have been kept: once the server is back, look at the customer's history before doing it again"
}

func (e commitUnknownError) Unwrap() []error {
	return []error{ErrUnreachable, ErrMaybeSaved, e.cause}
}

// isUnreachable says whether err comes from a server that cannot be
// reached: no connection could be made, the connection broke, or the
// server is shutting down or starting up.
func isUnreachable(err error) bool {
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe):
		// Class 08: connection exceptions; 57P01-03: the server is
		// shutting down, crashed, or not yet accepting connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	return strings.Contains(err.Error(), "conn closed")
}
