package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strings"
)

// idList runs query, whose rows are one id each, and returns the ids.
func idList(ctx context.Context, q querier, query string, args ...any) ([]rules.ID, error) {
	return column[rules.ID](ctx, q, query, args...)
}

// column runs query, whose rows are one value each, and returns the values:
// an empty list when there are none, and those read before an error that
// stops the rows.
func column[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// inBatches calls fn with v a few hundred at a time: as many as one
// statement's list takes on either engine.
func inBatches[T any](v []T, fn func(part []T) error) error {
	for start := 0; start < len(v); start += 500 {
		if err := fn(v[start:min(start+500, len(v))]); err != nil {
			return err
		}
	}
	return nil
}

// marks is n parameter marks for a list: "?,?,?".
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// eachRow calls fn for every row and closes rows.
func eachRow(rows *sql.Rows, fn func(r *sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryRows runs query through q and scans every row with scan.
func queryRows[T any](ctx context.Context, q querier, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []T
	err = eachRow(rows, func(r *sql.Rows) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
