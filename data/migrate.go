package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// Moving a whole shop from one database to another: a file to PostgreSQL,
// PostgreSQL to a file, or a file to another file (regulars migrate).

// copyOrder is every table of the facts and the summary rows, in an order
// their references allow: a copied shop is written table by table in this
// order.
var copyOrder = []string{
	"settings", "staff", "customers", "consents", "purchases", "occasions", "promises",
	"complaints", "contacts", "ledger", "reminder_states", "audit", "not_duplicates",
	"customer_summary", "customer_summary_scheme",
}

// appendOnly are the tables no row of may be deleted: a target holding any
// row of them is not empty.
var appendOnly = map[string]bool{"ledger": true, "audit": true}

// ErrNotEmpty means a shop was to be copied into a database that already
// holds one.
var ErrNotEmpty = errors.New("already holds a shop")

// Migrated counts the rows copied, by table.
type Migrated map[string]int

// IsPostgresURL says whether where names a PostgreSQL database
// (postgres://…) rather than a file.
func IsPostgresURL(where string) bool { return isPostgresURL(where) }

// PlaceName is how messages name the shop at where: a file as it is
// written, a PostgreSQL address without its password.
func PlaceName(where string) string {
	if isPostgresURL(where) {
		return redactURL(where)
	}
	return where
}

// SamePlace says whether a and b name the same database: the same file
// (however it is written), or the same PostgreSQL address.
func SamePlace(a, b string) bool {
	if isPostgresURL(a) || isPostgresURL(b) {
		return redactURL(a) == redactURL(b)
	}
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(sa, sb)
	}
	x, _ := filepath.Abs(a)
	y, _ := filepath.Abs(b)
	return x == y
}

// IsEmptyShop says whether where is a place a shop may be copied into: a
// file or database that does not exist yet or has nothing in it, or a
// Regulars shop without any customer or sale. It writes nothing.
func IsEmptyShop(ctx context.Context, where string) (bool, error) {
	if !isPostgresURL(where) {
		if _, err := os.Stat(where); errors.Is(err, os.ErrNotExist) {
			return true, nil
		}
	}
	s, err := Open(ctx, where, Options{ReadOnly: true})
	if errors.Is(err, ErrNoDatabase) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	defer s.Close()
	var customers, sales int
	err = s.reader().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM purchases)").Scan(&customers, &sales)
	if err != nil {
		return false, s.explain(err)
	}
	return customers == 0 && sales == 0, nil
}

// CopyTo copies every row of the shop s into the shop target, which must
// hold no customer and no sale, in one transaction on target, ids and all.
// What the target held of its own (its settings, staff, summary rows) is
// replaced by the source's. On PostgreSQL the id sequences are moved past
// the copied ids. s is read in one snapshot.
func (s *Store) CopyTo(ctx context.Context, target *Store) (Migrated, error) {
	src, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer src.Rollback()
	counts := Migrated{}
	err = target.tx(ctx, func(tx *sql.Tx) error {
		var customers, sales int
		if err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM purchases)").Scan(&customers, &sales); err != nil {
			return err
		}
		if customers > 0 || sales > 0 {
			return fmt.Errorf("%s %w (%d customers, %d sales)", target.Path(), ErrNotEmpty, customers, sales)
		}
		for i := len(copyOrder) - 1; i >= 0; i-- {
			tbl := copyOrder[i]
			if appendOnly[tbl] {
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return fmt.Errorf("%s %w (%d rows in its %s)", target.Path(), ErrNotEmpty, n, tbl)
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+tbl); err != nil {
				return err
			}
		}
		return copyRows(ctx, src, tx, s.dialect, target.dialect, counts)
	})
	if err != nil {
		return nil, err
	}
	// PostgreSQL's planner learns the new rows' sizes now, not minutes
	// later: a sale right after a migration finds its customer by index.
	if target.dialect == onPostgres {
		if _, err := target.w.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, target.explain(err)
		}
	}
	return counts, nil
}

// copyRows copies every table of copyOrder from src into dst, which holds
// none of their rows, counting them in counts, and moves the target's id
// sequences past the copied ids.
func copyRows(ctx context.Context, src, dst *sql.Tx, from, to dialect, counts Migrated) error {
	for _, tbl := range copyOrder {
		n, err := copyTable(ctx, src, dst, tbl, from, to)
		if err != nil {
			return fmt.Errorf("copying the %s: %w", strings.ReplaceAll(tbl, "_", " "), err)
		}
		counts[tbl] = n
	}
	return to.moveSequences(ctx, dst)
}

// copyTable copies every row of tbl from src into dst, ids kept, and
// returns how many rows it copied.
func copyTable(ctx context.Context, src, dst *sql.Tx, tbl string, from, to dialect) (int, error) {
	// Storage order, so that what is read in storage order on the target
	// comes in the same order: SQLite's rowid; on PostgreSQL the id, or
	// where a table has none, where the row lies.
	order := "rowid"
	if from == onPostgres && !pgIDTables[tbl] {
		order = "ctid"
	}
	rows, err := src.QueryContext(ctx, "SELECT * FROM "+tbl+" ORDER BY "+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	insert := "INSERT INTO " + tbl + "(" + strings.Join(cols, ", ") + ") VALUES (" + marks + ")"
	stmt, err := dst.PrepareContext(ctx, insert)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			vals[i] = to.value(v)
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// value is v, as read from one engine, in a form the engine d stores as
// the other did: text as text, numbers as whole numbers.
func (d dialect) value(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// moveSequences moves PostgreSQL's id sequences past the ids copied, so
// the next row made takes the next id, as on SQLite. SQLite needs nothing:
// its next id follows the largest there.
func (d dialect) moveSequences(ctx context.Context, tx *sql.Tx) error {
	if d != onPostgres {
		return nil
	}
	tables, err := column[string](ctx, tx, "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'")
	if err != nil {
		return err
	}
	for _, tbl := range tables {
		if _, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+tbl+"', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "+tbl); err != nil {
			return err
		}
	}
	return nil
}

// Compared is one of the shop's exports, the same way on two shops.
var Compared = []string{"customers", "purchases", "ledger", "contacts", "reminders", "complaints", "ics", "today"}

// CompareShops reads every export of a and b (the CSV exports, the
// calendar without its DTSTAMP lines, which say when it was written, and
// the Today list of a's today) and returns the name of the first that
// differs, or "" when all are the same.
func CompareShops(ctx context.Context, a, b *Store) (string, error) {
	for _, what := range Compared {
		var x, y bytes.Buffer
		var ex, ey error
		switch what {
		case "ics":
			ex, ey = a.ExportICS(ctx, &x), b.ExportICS(ctx, &y)
			x, y = *bytes.NewBuffer(withoutStamp(x.Bytes())), *bytes.NewBuffer(withoutStamp(y.Bytes()))
		case "today":
			ra, e1 := a.TodayList(ctx, a.Today())
			rb, e2 := b.TodayList(ctx, a.Today())
			if e1 != nil || e2 != nil {
				return what, errors.Join(e1, e2)
			}
			if !reflect.DeepEqual(ra, rb) {
				return what, nil
			}
			continue
		default:
			ex, ey = a.ExportCSV(ctx, what, &x), b.ExportCSV(ctx, what, &y)
		}
		if ex != nil {
			return what, ex
		}
		if ey != nil {
			return what, ey
		}
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			return what, nil
		}
	}
	return "", nil
}

// withoutStamp is a calendar without its DTSTAMP lines.
func withoutStamp(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("DTSTAMP")) {
			out.Write(line)
		}
	}
	return out.Bytes()
}
