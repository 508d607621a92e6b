package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
)

// When a statement fails with a full disk, an I/O error or a lack of
// memory, SQLite rolls the whole transaction back by itself. Whatever the
// code then runs "in the transaction" runs in autocommit mode instead,
// each statement committed on its own: half a write lands in the file and
// the final COMMIT fails with "no transaction is active". The writer's
// connections therefore go through guardConn, which stops a transaction at
// its first failed statement: every later statement returns that same
// error without running, and the commit rolls back and returns it. That
// holds for every transaction on the writer, whoever opened it and
// whatever it ignores.

// sqliteDriver is the driver database/sql knows as "sqlite".
var sqliteDriver = func() driver.Driver {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	return db.Driver()
}()

// openWriter opens the pool of the one writer connection.
func openWriter(dsn string) *sql.DB {
	return sql.OpenDB(guardConnector{dsn})
}

type guardConnector struct{ dsn string }

func (c guardConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := sqliteDriver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &guardConn{c: conn}, nil
}

func (c guardConnector) Driver() driver.Driver { return sqliteDriver }

// guardConn is one writer connection. database/sql uses a connection from
// one goroutine at a time, so its fields need no lock.
type guardConn struct {
	c      driver.Conn
	inTx   bool
	failed error // the first failure in the open transaction
}

func (g *guardConn) stopped() error {
	if g.inTx && g.failed != nil {
		return g.failed
	}
	return nil
}

func (g *guardConn) note(err error) {
	if err != nil && g.inTx && g.failed == nil && !errors.Is(err, driver.ErrSkip) {
		g.failed = err
	}
}

func (g *guardConn) Prepare(query string) (driver.Stmt, error) {
	return g.PrepareContext(context.Background(), query)
}

func (g *guardConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := g.stopped(); err != nil {
		return nil, err
	}
	st, err := g.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		g.note(err)
		return nil, err
	}
	return &guardStmt{st, g}, nil
}

func (g *guardConn) Close() error { return g.c.Close() }

func (g *guardConn) Begin() (driver.Tx, error) {
	return g.BeginTx(context.Background(), driver.TxOptions{})
}

func (g *guardConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := g.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	g.inTx, g.failed = true, nil
	return &guardTx{tx, g}, nil
}

func (g *guardConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := g.stopped(); err != nil {
		return nil, err
	}
	r, err := g.c.(driver.ExecerContext).ExecContext(ctx, query, args)
	g.note(err)
	return r, err
}

func (g *guardConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := g.stopped(); err != nil {
		return nil, err
	}
	rows, err := g.c.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		g.note(err)
		return nil, err
	}
	return &guardRows{rows, g}, nil
}

func (g *guardConn) Ping(ctx context.Context) error {
	if p, ok := g.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (g *guardConn) ResetSession(ctx context.Context) error {
	if r, ok := g.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (g *guardConn) IsValid() bool {
	if v, ok := g.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

type guardTx struct {
	tx driver.Tx
	g  *guardConn
}

func (t *guardTx) Commit() error {
	g := t.g
	defer func() { g.inTx, g.failed = false, nil }()
	if g.failed != nil {
		t.tx.Rollback() // SQLite may have rolled back already; then this fails, harmlessly
		return g.failed
	}
	if err := t.tx.Commit(); err != nil {
		t.tx.Rollback() // a failed COMMIT can leave the transaction open
		return err
	}
	return nil
}

func (t *guardTx) Rollback() error {
	g := t.g
	defer func() { g.inTx, g.failed = false, nil }()
	err := t.tx.Rollback()
	if g.failed != nil {
		return nil // SQLite rolled back on its own; nothing is left open
	}
	return err
}

type guardStmt struct {
	st driver.Stmt
	g  *guardConn
}

func (s *guardStmt) Close() error  { return s.st.Close() }
func (s *guardStmt) NumInput() int { return s.st.NumInput() }

func (s *guardStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *guardStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *guardStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.g.stopped(); err != nil {
		return nil, err
	}
	r, err := s.st.(driver.StmtExecContext).ExecContext(ctx, args)
	s.g.note(err)
	return r, err
}

func (s *guardStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.g.stopped(); err != nil {
		return nil, err
	}
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		s.g.note(err)
		return nil, err
	}
	return &guardRows{rows, s.g}, nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

type guardRows struct {
	rows driver.Rows
	g    *guardConn
}

func (r *guardRows) Columns() []string { return r.rows.Columns() }
func (r *guardRows) Close() error      { return r.rows.Close() }

func (r *guardRows) Next(dest []driver.Value) error {
	err := r.rows.Next(dest)
	if err != nil && !errors.Is(err, io.EOF) {
		r.g.note(err)
	}
	return err
}
