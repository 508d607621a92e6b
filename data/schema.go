package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// schemaObject is one row of sqlite_master: a table, index, view or trigger.
type schemaObject struct {
	kind, name, table, sql string
}

// referenceSchemas holds, by schema version, sqlite_master as the
// migrations up to that version make it in an empty database.
var referenceSchemas sync.Map // int -> map[string]schemaObject

// referenceSchema is the schema of the given version exactly as Regulars
// makes it: the migrations run in an empty database in memory.
func referenceSchema(ctx context.Context, version int) (map[string]schemaObject, error) {
	if v, ok := referenceSchemas.Load(version); ok {
		return v.(map[string]schemaObject), nil
	}
	names, err := migrations()
	if err != nil {
		return nil, err
	}
	if version < 0 || version > len(names) {
		return nil, fmt.Errorf("there is no schema %d", version)
	}
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection, one database in memory
	for _, n := range names[:version] {
		body, err := migrationFiles.ReadFile("migrations/" + n)
		if err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			return nil, fmt.Errorf("migration %s: %w", n, err)
		}
	}
	s, err := readSchema(ctx, db)
	if err != nil {
		return nil, err
	}
	referenceSchemas.Store(version, s)
	return s, nil
}

// readSchema reads a database's tables, indexes, views and triggers by
// name; SQLite's own (sqlite_sequence, sqlite_stat1, automatic indexes)
// are left out.
func readSchema(ctx context.Context, q querier) (map[string]schemaObject, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]schemaObject{}
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return nil, err
		}
		o.sql = strings.Join(strings.Fields(o.sql), " ")
		out[o.kind+" "+o.name] = o
	}
	return out, rows.Err()
}

// schemaProblems compares a database's schema with the one Regulars makes
// at its version: a table, trigger or view added by hand, or one changed
// or missing, is a problem. A trigger would run on every sale and a view
// could stand in for a table, so a file is trusted only when its schema is
// exactly the app's.
func schemaProblems(ctx context.Context, q querier, version int) ([]string, error) {
	want, err := referenceSchema(ctx, version)
	if err != nil {
		return nil, err
	}
	got, err := readSchema(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []string
	for k, o := range got {
		w, ok := want[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("the schema has a %s %q that Regulars did not make", o.kind, o.name))
		case w.sql != o.sql || w.table != o.table:
			out = append(out, fmt.Sprintf("the %s %q is not as Regulars made it", o.kind, o.name))
		}
	}
	for k, w := range want {
		if _, ok := got[k]; !ok {
			out = append(out, fmt.Sprintf("the %s %q is missing", w.kind, w.name))
		}
	}
	sort.Strings(out)
	return out, nil
}

// schemaFindings is what check says of the file's schema: every table,
// index, view or trigger that is not as Regulars makes it at the file's
// version.
func (s *Store) schemaFindings(ctx context.Context, q querier) ([]string, error) {
	var version int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return nil, err
	}
	if version < 1 || version > SchemaVersion() {
		return nil, nil // Open refused those already
	}
	return schemaProblems(ctx, q, version)
}
