package data

import (
	"context"
	"database/sql"
	"errors"
	"regulars/rules"
	"strings"
)

// Packed rows. Reading a whole table through database/sql costs far more
// per column than SQLite's own work: the driver takes the connection's
// mutex several times for every value and boxes each one. Joining a row's
// fields into text in SQL and the rows of a stretch of the table into one
// value (group_concat) brings the table across in a few dozen values, about
// twice as fast; Go splits them again. Fields are joined by the unit
// separator and rows by the record separator. A stretch holding a row that
// does not split into the fields asked for (a separator inside a name) is
// read again row by row, so the rows' content never changes what is read.

const (
	unitSep   = "\x1f"
	recordSep = "\x1e"
	// packedStretch is how many rowids one packed value covers.
	packedStretch = 32768
)

var errNotPacked = errors.New("a packed row does not split into its fields")

// packedQuery reads the rows of table matching where, in rowid order, and
// calls row with each row's fields (fields are SQL expressions; a NULL
// reads as empty).
type packedQuery struct {
	table  string
	fields []string
	where  string // "" or a condition
	args   []any
	db     querier // where to read; nil: the readers
	// ids, when not nil, reads only the rows whose idCol is one of them,
	// along an index rather than in stretches.
	ids   []rules.ID
	idCol string
	// size, when set, is told before the first row how far the table's
	// rowids span: as many rows as there can be, for making room.
	size func(n int)
}

func (s *Store) eachPacked(ctx context.Context, q packedQuery, row func(f []string) error) error {
	if q.ids != nil {
		return s.eachOfIDs(ctx, q, row)
	}
	var db querier = s.reader()
	if q.db != nil {
		db = q.db
	}
	if s.dialect == onPostgres {
		return s.eachPlain(ctx, db, q, row)
	}
	var lo, hi sql.NullInt64
	// Asked together, min and max make SQLite scan a whole index; asked
	// apart, each is one step to an end of the table.
	ends := "SELECT (SELECT min(rowid) FROM " + q.table + "), (SELECT max(rowid) FROM " + q.table + ")"
	if err := db.QueryRowContext(ctx, ends).Scan(&lo, &hi); err != nil {
		return s.explain(err)
	}
	if !lo.Valid {
		return nil
	}
	if q.size != nil {
		span := uint64(hi.Int64) - uint64(lo.Int64) + 1 // hi >= lo: no overflow
		q.size(int(min(span, 1<<30)))
	}
	exprs := make([]string, len(q.fields))
	for i, f := range q.fields {
		exprs[i] = s.dialect.textOrEmpty(f)
	}
	where := "rowid >= ? AND rowid < ?"
	if q.where != "" {
		where += " AND " + q.where
	}
	// NOT INDEXED leaves SQLite the rowid alone to find rows by, so a
	// stretch is read in rowid order whatever indexes there are; the rows
	// are joined in the order they are read.
	from := " FROM " + q.table + " NOT INDEXED WHERE " + where
	packed := "SELECT " + s.dialect.packRows(q.fields) + from
	plain := "SELECT " + strings.Join(exprs, ", ") + from + " ORDER BY rowid"
	// SQLite packs the next stretch while Go splits this one.
	type stretch struct {
		args []any
		text string
		err  error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan stretch, 1)
	go func() {
		defer close(next)
		for from := lo.Int64; from <= hi.Int64; from += packedStretch {
			st := stretch{args: append([]any{from, from + packedStretch}, q.args...)}
			var text sql.NullString
			st.err = db.QueryRowContext(ctx, packed, st.args...).Scan(&text)
			st.text = text.String
			select {
			case next <- st:
			case <-ctx.Done():
				return
			}
			if st.err != nil {
				return
			}
		}
	}()
	fields := make([]string, len(q.fields))
	for st := range next {
		if st.err != nil {
			return s.explain(st.err)
		}
		err := splitPacked(st.text, fields, row)
		if errors.Is(err, errNotPacked) {
			err = s.scanEachOn(ctx, db, plain, st.args, scanFields(fields, row))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// eachPlain is eachPacked on PostgreSQL: its driver hands rows across
// cheaply, so the table is read in one plain query, in storage order.
func (s *Store) eachPlain(ctx context.Context, db querier, q packedQuery, row func(f []string) error) error {
	exprs := make([]string, len(q.fields))
	for i, f := range q.fields {
		exprs[i] = s.dialect.textOrEmpty(f)
	}
	where := ""
	if q.where != "" {
		where = " WHERE " + q.where
	}
	if q.size != nil {
		q.size(0)
	}
	fields := make([]string, len(q.fields))
	return s.scanEachOn(ctx, db, "SELECT "+strings.Join(exprs, ", ")+" FROM "+q.table+where+" ORDER BY rowid", q.args, scanFields(fields, row))
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

// eachOfIDs is eachPacked for the rows of a few ids: a plain query along
// the index on q.idCol, in rowid order within each batch of ids.
func (s *Store) eachOfIDs(ctx context.Context, q packedQuery, row func(f []string) error) error {
	var db querier = s.reader()
	if q.db != nil {
		db = q.db
	}
	exprs := make([]string, len(q.fields))
	for i, f := range q.fields {
		exprs[i] = s.dialect.textOrEmpty(f)
	}
	fields := make([]string, len(q.fields))
	const batch = 500
	for start := 0; start < len(q.ids); start += batch {
		part := q.ids[start:min(start+batch, len(q.ids))]
		where := q.idCol + " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		if q.where != "" {
			where += " AND " + q.where
		}
		args := append(idArgs(part), q.args...)
		err := s.scanEachOn(ctx, db, "SELECT "+strings.Join(exprs, ", ")+" FROM "+q.table+" WHERE "+where+" ORDER BY rowid", args, scanFields(fields, row))
		if err != nil {
			return err
		}
	}
	return nil
}

// splitPacked checks that every row of text splits into len(fields)
// fields, then hands each to row: nothing is handed on from a value that
// is read again.
func splitPacked(text string, fields []string, row func(f []string) error) error {
	if len(text) == 0 {
		return nil
	}
	units, rows := 0, 1
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case recordSep[0]:
			if units != len(fields)-1 {
				return errNotPacked
			}
			units = 0
			rows++
		case unitSep[0]:
			units++
		}
	}
	if units != len(fields)-1 {
		return errNotPacked
	}
	for range rows {
		for i := range fields {
			j := 0
			for j < len(text) && text[j] != unitSep[0] && text[j] != recordSep[0] {
				j++
			}
			fields[i] = text[:j]
			text = text[min(j+1, len(text)):]
		}
		if err := row(fields); err != nil {
			return err
		}
	}
	return nil
}

// errPackedNumber means a column meant to hold whole numbers holds
// something else.
var errPackedNumber = errors.New("a number in the database is not a whole number")

// packedInt reads a decimal integer field; empty (NULL) reads as 0.
func packedInt(b string) (int64, error) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 18 {
		return 0, errPackedNumber
	}
	var n int64
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, errPackedNumber
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n, nil
	}
	return n, nil
}

// packedDay reads YYYY-MM-DD as dayFromBytes does (anything else is no
// day) with integer arithmetic alone: a report reads a million of them.
func packedDay(b string) rules.Day {
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
