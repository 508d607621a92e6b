package data

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/data/pgtest"
	"regulars/rules"
)

// The facts' tables in an order their references allow: a copied shop is
// written table by table in this order.
var pgCopyOrder = []string{
	"settings", "staff", "customers", "consents", "purchases", "occasions", "promises",
	"complaints", "contacts", "ledger", "reminder_states", "audit", "not_duplicates",
	"customer_summary", "customer_summary_scheme",
}

// The same shop on SQLite and on PostgreSQL: the summary row's query gives
// the same rows on both, the rows it writes are the same, and the check of
// `regulars check` finds the same.
func TestSummaryOnPostgreSQL(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	t0 := time.Now()
	pg := openPGShop(t)
	started := time.Since(t0)
	s := summaryDemoShop(t)
	lite := s.w

	t.Run("schema", func(t *testing.T) { comparePGSchema(t, lite, pg) })
	if t.Failed() {
		t.FailNow()
	}
	t1 := time.Now()
	counts := copyShopToPG(t, lite, pg)
	t.Logf("PostgreSQL ready in %v; the shop (%v rows) copied in %v", started.Round(time.Millisecond), counts, time.Since(t1).Round(time.Millisecond))

	need, err := rewardPointsOn(ctx, lite)
	if err != nil || need <= 0 {
		t.Fatalf("the demo's reward points: %d, %v", need, err)
	}
	ids := customerIDs(t, lite)

	t.Run("rows equal", func(t *testing.T) {
		var seen []summaryRow
		for _, n := range []int64{need, 0, 1, need / 2, need * 3} {
			for _, where := range []string{"", " AND customer_id IN (" + idListSQL(ids[:7]) + ")", " AND customer_id = -1"} {
				q := "SELECT " + summaryCols + " FROM (" + summaryFromFacts(where) + ") x ORDER BY customer_id"
				want := summaryRows(t, lite, q, n)
				got := summaryRows(t, pg, pgPlaceholders(q), n)
				if where == "" && len(want) != len(ids) {
					t.Fatalf("%d rows for %d customers", len(want), len(ids))
				}
				compareSummaryRows(t, fmt.Sprintf("reward at %d, where %q", n, where), want, got)
				if where == "" && n == need {
					seen = got
				}
			}
		}
		// Every kind of value was compared: rewards ready and not, customers
		// with and without sales and contacts, one with no facts at all.
		var ready, noSale, noContact, noFact int
		for _, r := range seen {
			ready += b2i(r.Reward.Valid)
			noSale += b2i(!r.SaleID.Valid)
			noContact += b2i(!r.ContactDay.Valid)
			noFact += b2i(!r.FactDay.Valid)
		}
		if ready == 0 || ready == len(seen) || noSale == 0 || noContact == 0 || noFact == 0 {
			t.Errorf("of %d rows, %d have a reward ready, %d no sale, %d no contact, %d no fact", len(seen), ready, noSale, noContact, noFact)
		}
		t.Logf("%d rows: %d with a reward ready, %d without a sale, %d without a contact, %d without any fact", len(seen), ready, noSale, noContact, noFact)
		rows, err := pg.QueryContext(ctx, pgPlaceholders(summaryFromFacts("")), need)
		if err != nil {
			t.Fatal(err)
		}
		types, _ := rows.ColumnTypes()
		rows.Close()
		var names []string
		for _, c := range types {
			names = append(names, c.Name()+" "+c.DatabaseTypeName())
		}
		t.Logf("on PostgreSQL the query's columns are: %s", strings.Join(names, ", "))
	})

	t.Run("rows written", func(t *testing.T) {
		// As rebuildSummaries writes them on SQLite, in one transaction.
		tx, err := pg.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, "DELETE FROM customer_summary"); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, pgPlaceholders("INSERT INTO customer_summary("+summaryCols+") "+summaryFromFacts("")), need); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		q := "SELECT " + summaryCols + " FROM customer_summary ORDER BY customer_id"
		compareSummaryRows(t, "customer_summary", summaryRows(t, lite, q), summaryRows(t, pg, q))
	})

	t.Run("check", func(t *testing.T) {
		// summaryFindings first asks sqlite_master whether the table is
		// there, which is SQLite's alone; a view of that name stands in for
		// it here. The rest runs on PostgreSQL as it is.
		if _, err := pg.ExecContext(ctx, "CREATE VIEW sqlite_master AS SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()"); err != nil {
			t.Fatal(err)
		}
		defer pg.ExecContext(ctx, "DROP VIEW sqlite_master")
		onPG := pgQuerier{pg}
		check := func(when string, wantN int) {
			t.Helper()
			want, err := summaryFindings(ctx, lite)
			if err != nil {
				t.Fatal(err)
			}
			got, err := summaryFindings(ctx, onPG)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != wantN || !reflect.DeepEqual(want, got) {
				t.Errorf("%s: SQLite finds %v, PostgreSQL %v; want %d findings", when, want, got, wantN)
			}
		}
		check("as written", 0)
		for _, q := range []string{
			fmt.Sprintf("UPDATE customer_summary SET balance = balance + 1 WHERE customer_id = %d", ids[1]),
			fmt.Sprintf("UPDATE customer_summary SET last_contact_day = NULL WHERE customer_id = %d", ids[2]),
			fmt.Sprintf("DELETE FROM customer_summary WHERE customer_id = %d", ids[3]),
		} {
			for _, db := range []*sql.DB{lite, pg} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
		}
		check("three rows spoilt", 3)
		for _, db := range []*sql.DB{lite, pg} {
			if _, err := db.ExecContext(ctx, "UPDATE customer_summary_scheme SET reward_points = reward_points + 1"); err != nil {
				t.Fatal(err)
			}
		}
		check("another scheme", 1)
	})

	t.Run("facts stay put", func(t *testing.T) { comparePGFactRules(t, lite, pg) })
}

// openPGShop starts a throwaway PostgreSQL and applies the schema to its
// database (twice: the second time changes nothing).
func openPGShop(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", pgtest.Shared(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	names, _ := pgMigrations()
	for range 2 {
		v, err := applyPGSchema(context.Background(), db, "")
		if err != nil {
			t.Fatal(err)
		}
		if v != len(names) || v == 0 {
			t.Fatalf("PostgreSQL schema %d, want %d", v, len(names))
		}
	}
	return db
}

// summaryDemoShop is a small demo shop on SQLite with a little of every
// write the summary rows follow: a customer with no facts, a void, a merge,
// an adjustment, a pair marked as two people.
func summaryDemoShop(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	s, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end,
		Clock: func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 40, Seed: 5, End: end}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.AddCustomer(ctx, rules.Customer{Name: "Nobody Yet"})
	must(err)
	var sale, buyer rules.ID
	must(s.w.QueryRow(`SELECT p.id, p.customer_id FROM purchases p JOIN ledger l ON l.purchase_id = p.id AND l.kind = 'earn'
		WHERE p.voided = 0 AND p.refund_of IS NULL AND p.customer_id IS NOT NULL ORDER BY p.day DESC, p.id DESC LIMIT 1`).Scan(&sale, &buyer))
	must(s.VoidPurchase(ctx, sale, "", "rung up twice"))
	ids := customerIDs(t, s.w)
	must(s.MergeCustomers(ctx, ids[4], ids[5], ""))
	_, err = s.AdjustPoints(ctx, ids[6], 500, "goodwill", rules.OwnerName)
	must(err)
	must(s.MarkNotDuplicates(ctx, ids[7], ids[8], ""))
	var voided, redeems, refunds int
	must(s.w.QueryRow(`SELECT (SELECT count(*) FROM purchases WHERE voided = 1), (SELECT count(*) FROM ledger WHERE kind = 'redeem'),
		(SELECT count(*) FROM purchases WHERE refund_of IS NOT NULL)`).Scan(&voided, &redeems, &refunds))
	if voided == 0 || redeems == 0 || refunds == 0 {
		t.Fatalf("the shop lacks a kind of fact: %d voided, %d redeems, %d refunds", voided, redeems, refunds)
	}
	return s
}

func customerIDs(t *testing.T, db *sql.DB) []rules.ID {
	t.Helper()
	rows, err := db.Query("SELECT id FROM customers ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []rules.ID
	for rows.Next() {
		var id rules.ID
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// summaryRow is one row of summaryCols, each column as read.
type summaryRow struct {
	Customer, Balance   int64
	Reward              sql.NullString
	SaleID              sql.NullInt64
	SaleDay             sql.NullString
	SaleCents           sql.NullInt64
	ContactDay, FactDay sql.NullString
}

func summaryRows(t *testing.T, db *sql.DB, q string, args ...any) []summaryRow {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	var out []summaryRow
	for rows.Next() {
		var r summaryRow
		if err := rows.Scan(&r.Customer, &r.Balance, &r.Reward, &r.SaleID, &r.SaleDay, &r.SaleCents, &r.ContactDay, &r.FactDay); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func compareSummaryRows(t *testing.T, what string, want, got []summaryRow) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d rows on SQLite, %d on PostgreSQL", what, len(want), len(got))
	}
	bad := 0
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			if bad++; bad <= 5 {
				t.Errorf("%s: row %d differs\nSQLite     %+v\nPostgreSQL %+v", what, i, want[i], got[i])
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pgQuerier runs the store's queries, written for SQLite, on PostgreSQL.
type pgQuerier struct{ db *sql.DB }

func (q pgQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.db.QueryContext(ctx, pgPlaceholders(query), args...)
}

func (q pgQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.db.QueryRowContext(ctx, pgPlaceholders(query), args...)
}

// comparePGSchema: PostgreSQL has every table of the SQLite file with the
// same columns in the same order, every index and every trigger by name.
func comparePGSchema(t *testing.T, lite, pg *sql.DB) {
	t.Helper()
	names := func(db *sql.DB, q string) []string {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	tables := names(lite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
	// schema_version and shop_changes are PostgreSQL's own bookkeeping.
	pgTables := names(pg, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT IN ('schema_version', 'shop_changes') ORDER BY table_name")
	if !slices.Equal(tables, pgTables) {
		t.Errorf("tables on SQLite %v, on PostgreSQL %v", tables, pgTables)
	}
	if order := slices.Sorted(slices.Values(pgCopyOrder)); !slices.Equal(order, tables) {
		t.Errorf("the copy's tables %v, the file's %v", order, tables)
	}
	for _, tbl := range tables {
		lc := names(lite, "SELECT name FROM pragma_table_info('"+tbl+"') ORDER BY cid")
		pc := names(pg, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '"+tbl+"' ORDER BY ordinal_position")
		if !slices.Equal(lc, pc) {
			t.Errorf("%s: columns on SQLite %v, on PostgreSQL %v", tbl, lc, pc)
		}
	}
	pgIndexes := names(pg, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
	for _, ix := range names(lite, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'") {
		if !slices.Contains(pgIndexes, ix) {
			t.Errorf("the index %s is not on PostgreSQL", ix)
		}
	}
	pgTriggers := names(pg, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
	for _, tr := range names(lite, "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
		if !slices.Contains(pgTriggers, tr) {
			t.Errorf("the trigger %s is not on PostgreSQL", tr)
		}
	}
}

// copyShopToPG copies every row of the facts' tables from the SQLite file
// into PostgreSQL with plain INSERTs, in one transaction, ids and all, and
// moves the id sequences past the copied ids. It returns the rows copied
// by table.
func copyShopToPG(t *testing.T, lite, pg *sql.DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	tx, err := pg.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM customer_summary_scheme"); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, tbl := range pgCopyOrder {
		rows, err := lite.QueryContext(ctx, "SELECT * FROM "+tbl+" ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		marks := make([]string, len(cols))
		for i := range marks {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		insert := "INSERT INTO " + tbl + "(" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, insert, vals...); err != nil {
				t.Fatalf("%s: %v (%v)", tbl, err, vals)
			}
			counts[tbl]++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		var n int
		if err := lite.QueryRowContext(ctx, "SELECT count(*) FROM "+tbl).Scan(&n); err != nil || n != counts[tbl] {
			t.Fatalf("%s: %d rows copied of %d (%v)", tbl, counts[tbl], n, err)
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'")
	if err != nil {
		t.Fatal(err)
	}
	var identity []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		identity = append(identity, s)
	}
	rows.Close()
	for _, tbl := range identity {
		if _, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+tbl+"', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "+tbl); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return counts
}

// comparePGFactRules: the rules the schema itself keeps hold alike on both
// engines — the ledger and the audit log refuse changes (a merge may move
// ledger rows), staff names are one whatever their case, and new ids
// follow the copied ones.
func comparePGFactRules(t *testing.T, lite, pg *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var row, other rules.ID
	if err := lite.QueryRow("SELECT id, (SELECT MAX(id) FROM customers) FROM ledger ORDER BY id LIMIT 1").Scan(&row, &other); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q      string
		refuse string // the words of the refusal; "" when allowed
	}{
		{fmt.Sprintf("DELETE FROM ledger WHERE id = %d", row), "append-only"},
		{fmt.Sprintf("UPDATE ledger SET points = points + 1 WHERE id = %d", row), "append-only"},
		{fmt.Sprintf("UPDATE ledger SET purchase_id = NULL WHERE id = %d AND purchase_id IS NOT NULL", row), "append-only"},
		{fmt.Sprintf("UPDATE ledger SET reason = reason || '.' WHERE id = %d", row), "append-only"},
		{fmt.Sprintf("UPDATE ledger SET customer_id = %d WHERE id = %d", other, row), ""},
		{fmt.Sprintf("UPDATE ledger SET points = points WHERE id = %d", row), ""},
		{"DELETE FROM audit", "cannot be changed"},
		{"UPDATE audit SET staff = staff", "cannot be changed"},
		{"INSERT INTO staff(name) VALUES ('Kim Case') ON CONFLICT(name) DO UPDATE SET active = 1", ""},
		{"INSERT INTO staff(name) VALUES ('KIM CASE') ON CONFLICT(name) DO UPDATE SET active = 0", ""},
	} {
		for _, db := range []*sql.DB{lite, pg} {
			engine := map[*sql.DB]string{lite: "SQLite", pg: "PostgreSQL"}[db]
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tx.ExecContext(ctx, c.q)
			tx.Rollback()
			switch {
			case c.refuse == "" && err != nil:
				t.Errorf("%s: %s refused: %v", engine, c.q, err)
			case c.refuse != "" && (err == nil || !strings.Contains(err.Error(), c.refuse)):
				t.Errorf("%s: %s: %v, want a refusal saying %q", engine, c.q, err, c.refuse)
			}
		}
	}
	if _, err := pg.ExecContext(ctx, "TRUNCATE ledger, audit"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("TRUNCATE ledger on PostgreSQL: %v", err)
	}
	for _, db := range []*sql.DB{lite, pg} {
		for _, q := range []string{
			"INSERT INTO staff(name) VALUES ('Kim Case') ON CONFLICT(name) DO UPDATE SET active = 1",
			"INSERT INTO staff(name) VALUES ('KIM CASE') ON CONFLICT(name) DO UPDATE SET active = 0",
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	staff := func(db *sql.DB) string {
		var s string
		if err := db.QueryRow("SELECT COUNT(*) || ' ' || MIN(name) || ' ' || MIN(active) FROM staff WHERE name = 'kim case'").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if a, b := staff(lite), staff(pg); a != "1 Kim Case 0" || a != b {
		t.Errorf("staff by any case: SQLite %q, PostgreSQL %q", a, b)
	}
	var liteMax, pgNew rules.ID
	lite.QueryRow("SELECT MAX(id) FROM customers").Scan(&liteMax)
	if err := pg.QueryRow("INSERT INTO customers(name, added_on) VALUES ('New Here', '2026-06-15') RETURNING id").Scan(&pgNew); err != nil || pgNew != liteMax+1 {
		t.Errorf("a new customer on PostgreSQL is %d (%v), want %d", pgNew, err, liteMax+1)
	}
}
