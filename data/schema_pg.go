package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strconv"
	"strings"
)

// The schema on PostgreSQL: data/migrations_pg/NNN_*.sql, applied in order.
// The first holds the facts and the summary rows as SQLite's schema 16
// leaves them. The version applied is kept in schema_version (one row),
// PostgreSQL having no user_version.

//go:embed migrations_pg/*.sql
var pgMigrationFiles embed.FS

// pgMigrations lists the PostgreSQL migrations in order.
func pgMigrations() ([]string, error) { return migrationNames(pgMigrationFiles, "migrations_pg") }

// applyPGSchema brings a PostgreSQL database up to the newest schema in one
// transaction and returns the version it is at. Two programs doing it at
// once take turns (an advisory lock); a database of a newer Regulars is
// refused. A database made here notes createdOn as the shop's first day,
// as a new file does.
func applyPGSchema(ctx context.Context, db *sql.DB, createdOn string) (int, error) {
	names, err := pgMigrations()
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// The number is Regulars' own: "regs" in ASCII.
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(1919248243)"); err != nil {
		return 0, err
	}
	// Made only where missing: a till whose role may use the shop's
	// tables but not create any opens a shop that is up to date.
	var made bool
	if err := tx.QueryRowContext(ctx, "SELECT to_regclass('schema_version') IS NOT NULL").Scan(&made); err != nil {
		return 0, err
	}
	if !made {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"); err != nil {
			return 0, err
		}
	}
	var v int
	switch err := tx.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v); err {
	case nil:
	case sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(id, version) VALUES (1, 0)"); err != nil {
			return 0, err
		}
	default:
		return 0, err
	}
	if v > len(names) {
		return v, fmt.Errorf("%w (schema %d on PostgreSQL; this build knows up to %d)", ErrNewerSchema, v, len(names))
	}
	for i, name := range names {
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil || n != i+1 {
			return v, fmt.Errorf("the PostgreSQL migration %s is out of sequence", name)
		}
		if n <= v {
			continue
		}
		body, err := pgMigrationFiles.ReadFile("migrations_pg/" + name)
		if err != nil {
			return v, err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return v, fmt.Errorf("the PostgreSQL migration %s failed: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = $1", n); err != nil {
			return v, err
		}
	}
	if v == 0 && createdOn != "" {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ('created_on', $1)", createdOn); err != nil {
			return v, err
		}
	}
	if err := tx.Commit(); err != nil {
		return v, err
	}
	return len(names), nil
}
