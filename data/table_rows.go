package data

import (
	"context"
	"database/sql"
	"errors"
	"regulars/rules"
	"strings"
)

// Whole tables read as text. The reports and the Loyalty screen read
// every row of a few tables; each row's fields come across as text and are
// read with fieldInt and fieldDay.

// tableQuery reads the rows of table matching where, in rowid order, and
// calls row with each row's fields (fields are SQL expressions; a NULL
// reads as empty).
type tableQuery struct {
	table  string
	fields []string
	where  string // "" or a condition
	args   []any
	db     querier // where to read; nil: the readers
	// ids, when not nil, reads only the rows whose idCol is one of them,
	// along an index, in batches.
	ids   []rules.ID
	idCol string
}

func (s *Store) eachTableRow(ctx context.Context, q tableQuery, row func(f []string) error) error {
	var db querier = s.reader()
	if q.db != nil {
		db = q.db
	}
	exprs := make([]string, len(q.fields))
	for i, f := range q.fields {
		exprs[i] = s.dialect.textOrEmpty(f)
	}
	selectFrom := "SELECT " + strings.Join(exprs, ", ") + " FROM " + q.table
	fields := make([]string, len(q.fields))
	if q.ids == nil {
		where := ""
		if q.where != "" {
			where = " WHERE " + q.where
		}
		return s.scanEachOn(ctx, db, selectFrom+where+" ORDER BY rowid", q.args, scanFields(fields, row))
	}
	const batch = 500
	for start := 0; start < len(q.ids); start += batch {
		part := q.ids[start:min(start+batch, len(q.ids))]
		where := q.idCol + " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		if q.where != "" {
			where += " AND " + q.where
		}
		args := append(idArgs(part), q.args...)
		if err := s.scanEachOn(ctx, db, selectFrom+" WHERE "+where+" ORDER BY rowid", args, scanFields(fields, row)); err != nil {
			return err
		}
	}
	return nil
}

// eachRowText runs q and hands each row's fields, as text, to row.
func (s *Store) eachRowText(ctx context.Context, q string, args []any, n int, row func(f []string) error) error {
	return s.scanEach(ctx, q, args, scanFields(make([]string, n), row))
}

// scanFields hands each row's fields, as text, to row.
func scanFields(fields []string, row func(f []string) error) func(r *sql.Rows, _ *sql.RawBytes) error {
	raw := make([]sql.RawBytes, len(fields))
	dest := make([]any, len(fields))
	for i := range dest {
		dest[i] = &raw[i]
	}
	return func(r *sql.Rows, _ *sql.RawBytes) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		for i := range raw {
			fields[i] = string(raw[i])
		}
		return row(fields)
	}
}

// errFieldNumber means a column meant to hold whole numbers holds
// something else.
var errFieldNumber = errors.New("a number in the database is not a whole number")

// fieldInt reads a decimal integer field; empty (NULL) reads as 0.
func fieldInt(b string) (int64, error) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 18 {
		return 0, errFieldNumber
	}
	var n int64
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, errFieldNumber
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n, nil
	}
	return n, nil
}

// fieldDay reads YYYY-MM-DD as dayFromBytes does (anything else is no
// day) with integer arithmetic alone: a report reads a million of them.
func fieldDay(b string) rules.Day {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0
	}
	n := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0
	}
	// Days from 1970-01-01 in the proleptic Gregorian calendar, counting
	// years from March so that the leap day comes last.
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return rules.Day(era*146097+doe-719468) + rules.EpochOffset
}

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if rules.IsLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
