package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damageTablePage overwrites with garbage the leaf page in the middle of
// table's pages (found with SQLite's dbstat), and returns its number.
func damageTablePage(t *testing.T, path, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var pages []int
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		rows.Scan(&n)
		pages = append(pages, n)
	}
	rows.Close()
	var size int
	db.QueryRow("PRAGMA page_size").Scan(&size)
	db.Close()
	if len(pages) < 3 {
		t.Fatalf("%s has %d leaf pages; the test needs a page in the middle", table, len(pages))
	}
	page := pages[len(pages)/2]
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x17, 0xFF, 0x00}, size/4), int64(page-1)*int64(size)); err != nil {
		t.Fatal(err)
	}
	return page
}

func oneSentence(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "goroutine") {
		t.Errorf("%s: %q is not one sentence", what, err)
	}
}

// A page damaged deep inside the file is not read when the shop opens:
// reads of other pages go on, a read that meets it says so in one
// sentence, and the full check reports it.
func TestADamagedPageDeepInsideIsFoundWhenMetAndByTheCheck(t *testing.T) {
	ctx := context.Background()
	path := closedShop(t)
	damageTablePage(t, path, "customers")
	for _, opt := range []Options{{ReadOnly: true}, {MustExist: true}} {
		s, err := Open(ctx, path, opt)
		if err != nil {
			t.Fatalf("open %+v: %v; the file's first page is sound", opt, err)
		}
		c, err := s.Customer(ctx, 1)
		if err != nil || c.Name != "Customer 0" {
			t.Errorf("customer 1 (on a sound page): %+v %v", c, err)
		}
		_, err = s.Customers(ctx)
		err = ExplainDamage(path, err)
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "restore it from a backup") {
			t.Errorf("reading every customer: %v, want the damage in one sentence", err)
		}
		oneSentence(t, "reading every customer", err)
		problems, err := s.Check(ctx)
		if err != nil || len(problems) == 0 || !strings.Contains(problems[0].What, "the database file is damaged") {
			t.Errorf("check: %q %v", problems, err)
		}
		s.Close()
	}
	err := StartupCheck(ctx, path)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("the window's check: %v", err)
	}
	oneSentence(t, "the window's check", err)
}

// Files that are not a shop of this build are refused from their first
// page, in one sentence.
func TestForeignAndNewerFilesAreRefusedFromTheirHeader(t *testing.T) {
	ctx := context.Background()
	sqliteFile := func(t *testing.T, path string, stmts ...string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range stmts {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	header := func(at int, b ...byte) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt(b, int64(at))
			f.Close()
		}
	}
	cases := []struct {
		name    string
		shop    bool // start from a real shop, closed
		spoil   func(t *testing.T, path string)
		want    error
		mention string
	}{
		{"a text file", false, func(t *testing.T, p string) { os.WriteFile(p, []byte("name,phone\nAnn,123\n"), 0o600) },
			ErrNotDatabase, "not an SQLite file"},
		{"another program's SQLite file by its application id", false, func(t *testing.T, p string) {
			sqliteFile(t, p, "PRAGMA application_id = 1196444487", "CREATE TABLE gpkg_contents(table_name TEXT)")
		}, ErrNotDatabase, `application id "GPKG"`},
		{"another program's SQLite file with a schema version", false, func(t *testing.T, p string) {
			sqliteFile(t, p, "CREATE TABLE things(x)", "PRAGMA user_version = 3")
		}, ErrNotDatabase, "tables of another program"},
		{"a newer schema", true, header(60, 0, 0, 0, 99), ErrNewerSchema, "schema 99"},
		{"a header spoilt", true, header(16, 0x12, 0x34), ErrDamaged, "header"},
		{"a file cut short", true, truncateHalf, ErrDamaged, "cut short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "shop.db")
			if c.shop {
				path = closedShop(t)
			}
			c.spoil(t, path)
			before, _ := os.ReadFile(path)
			for _, opt := range []Options{{ReadOnly: true}, {MustExist: true}, {}} {
				s, err := Open(ctx, path, opt)
				if err == nil {
					s.Close()
					t.Fatalf("open %+v: the file was taken for a shop", opt)
				}
				// Opening for writing compares the whole schema with Regulars'
				// (identify), and may say so instead.
				if !(errors.Is(err, c.want) && strings.Contains(err.Error(), c.mention)) && !(!opt.ReadOnly && c.want == ErrNotDatabase && errors.Is(err, ErrChanged)) {
					t.Errorf("open %+v: %v, want %v saying %q", opt, err, c.want, c.mention)
				}
				oneSentence(t, fmt.Sprintf("open %+v", opt), err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("the refused file was changed")
			}
		})
	}
}

// SQLite's own words for damage, however they reach a command, become one
// sentence naming the file.
func TestCorruptionMetDuringAReadBecomesOneSentence(t *testing.T) {
	path := closedShop(t)
	damageTablePage(t, path, "customers")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var notes string
	raw := db.QueryRow("SELECT count(*), max(notes) FROM customers").Scan(&n, &notes)
	if raw == nil {
		t.Fatal("the damaged page was read without an error")
	}
	for name, err := range map[string]error{
		"the driver's error":          raw,
		"wrapped with %w":             fmt.Errorf("listing customers: %w", raw),
		"its words alone, through %v": fmt.Errorf("listing customers: %v", raw),
	} {
		got := ExplainDamage(path, err)
		if !errors.Is(got, ErrDamaged) || !strings.HasPrefix(got.Error(), path+" is damaged") || !strings.HasSuffix(got.Error(), "restore it from a backup") {
			t.Errorf("%s: %q", name, got)
		}
		oneSentence(t, name, got)
	}
	other := errors.New("no such customer")
	if got := ExplainDamage(path, other); got != other {
		t.Errorf("another error was changed: %v", got)
	}
}

// The ledger's part of the check reads both tables in customer order by
// their indexes, sorting no more than one customer's purchases at a time.
func TestTheLedgerCheckStreamsByIndex(t *testing.T) {
	s := lyCheckShop(t)
	for q, index := range map[string]string{
		"SELECT " + checkPurchaseCols + " FROM purchases ORDER BY customer_id, id": "COVERING INDEX purchases_customer",
		"SELECT id, refund_of FROM purchases WHERE refund_of IS NOT NULL":          "COVERING INDEX purchases_refund_of",
		"SELECT " + ledgerCols + " FROM ledger ORDER BY customer_id, day, id":      "ledger_customer",
	} {
		rows, err := s.reader().Query("EXPLAIN QUERY PLAN " + q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if !strings.Contains(all, index) || strings.Contains(all, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: plan %q, want a walk of %s", q, all, index)
		}
	}
}
