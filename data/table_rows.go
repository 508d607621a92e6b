package data

import (
	"context"
	"database/sql"
)

// eachTableRow reads the columns cols of the rows of table matching where
// ("" for all), in storage order, and hands each row to row with a
// reusable buffer for reading a day: whole tables for the reports.
func (s *Store) eachTableRow(ctx context.Context, table, cols, where string, args []any, row func(r *sql.Rows, day *sql.RawBytes) error) error {
	if where != "" {
		where = " WHERE " + where
	}
	return s.scanEach(ctx, "SELECT "+cols+" FROM "+table+where+" ORDER BY rowid", args, row)
}
