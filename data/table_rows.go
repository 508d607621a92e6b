package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strings"
)

// tableQuery reads the columns cols of the rows of table matching where,
// in rowid order, whole tables for the reports and the Loyalty screen.
type tableQuery struct {
	table string
	cols  string
	where string // "" or a condition
	args  []any
	db    querier // where to read; nil: the readers
	// ids, when not nil, reads only the rows whose idCol is one of them,
	// along an index, in batches.
	ids   []rules.ID
	idCol string
}

// eachTableRow runs q and hands each row to row, with a reusable buffer
// for reading a day.
func (s *Store) eachTableRow(ctx context.Context, q tableQuery, row func(r *sql.Rows, day *sql.RawBytes) error) error {
	var db querier = s.reader()
	if q.db != nil {
		db = q.db
	}
	selectFrom := "SELECT " + q.cols + " FROM " + q.table
	if q.ids == nil {
		where := ""
		if q.where != "" {
			where = " WHERE " + q.where
		}
		return s.scanEachOn(ctx, db, selectFrom+where+" ORDER BY rowid", q.args, row)
	}
	const batch = 500
	for start := 0; start < len(q.ids); start += batch {
		part := q.ids[start:min(start+batch, len(q.ids))]
		where := q.idCol + " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		if q.where != "" {
			where += " AND " + q.where
		}
		args := append(idArgs(part), q.args...)
		if err := s.scanEachOn(ctx, db, selectFrom+" WHERE "+where+" ORDER BY rowid", args, row); err != nil {
			return err
		}
	}
	return nil
}
