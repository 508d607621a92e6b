package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"testing"
)

// fullDiskShop is a small shop, closed, whose file the full-disk tests
// copy: twenty customers with a sale each.
func fullDiskShop(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Open(ctx, path, Options{Today: mustParseDay("2026-03-02")})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("name,phone,birthday\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "Old %d,07700 8%05d,1980-03-%02d\n", i, i, i%27+1)
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(b.String()), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		if _, err := s.RecordSale(ctx, Sale{CustomerID: rules.ID(i), Amount: rules.Cents(1000 * i), Staff: rules.OwnerName}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFullDiskAtEveryPageLeavesTheFileAsItWas fills the database up at
// every page an import, a purchases import and a sale add (SQLite's
// max_page_count gives SQLITE_FULL exactly as a full disk does): each
// write either happens whole or not at all, says the disk is full, and the
// file then passes every check.
func TestFullDiskAtEveryPageLeavesTheFileAsItWas(t *testing.T) {
	ctx := context.Background()
	orig, err := os.ReadFile(fullDiskShop(t))
	if err != nil {
		t.Fatal(err)
	}
	var customers strings.Builder
	customers.WriteString("name,phone,email,notes,points\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&customers, "New %d,07700 9%05d,n%d@example.com,%s,%d\n", i, i, i, strings.Repeat("note ", 20), i)
	}
	var purchases strings.Builder
	purchases.WriteString("customer,date,amount,description,reference\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&purchases, "%d,2026-02-%02d,%d.00,%s,R%d\n", i%20+1, i%28+1, 60+i, strings.Repeat("item ", 10), i)
	}
	writes := []struct {
		name  string
		count string // a query counting what the write adds
		want  int    // how many it adds when it happens
		write func(s *Store) error
	}{
		{"import customers", "SELECT count(*) FROM customers", 60, func(s *Store) error {
			_, err := s.ImportCustomersCSV(ctx, strings.NewReader(customers.String()), ImportOptions{})
			return err
		}},
		{"import purchases", "SELECT count(*) FROM purchases", 60, func(s *Store) error {
			_, err := s.ImportPurchasesCSV(ctx, strings.NewReader(purchases.String()), ImportOptions{EarnPoints: true})
			return err
		}},
		{"sale", "SELECT count(*) FROM purchases", 1, func(s *Store) error {
			// A long description needs pages of its own: the sale cannot
			// fit in the room the file's pages have left.
			_, err := s.RecordSale(ctx, Sale{CustomerID: 3, Amount: 12345, Staff: rules.OwnerName, Description: strings.Repeat("a long description ", 400)})
			return err
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			full, whole := 0, 0
			for extra := 0; ; extra++ {
				path := filepath.Join(t.TempDir(), "shop.db")
				if err := os.WriteFile(path, orig, 0o600); err != nil {
					t.Fatal(err)
				}
				s, err := Open(ctx, path, Options{Today: mustParseDay("2026-03-02"), MustExist: true})
				if err != nil {
					t.Fatal(err)
				}
				var pages, before int
				if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
					t.Fatal(err)
				}
				if err := s.w.QueryRowContext(ctx, w.count).Scan(&before); err != nil {
					t.Fatal(err)
				}
				var limit int
				if err := s.w.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+extra)).Scan(&limit); err != nil || limit != pages+extra {
					t.Fatalf("max_page_count = %d, %v", limit, err)
				}
				werr := w.write(s)
				var after int
				if err := s.reader().QueryRowContext(ctx, w.count).Scan(&after); err != nil {
					t.Fatal(err)
				}
				switch {
				case werr == nil && after == before+w.want:
					whole++
				case werr == nil:
					t.Fatalf("%d pages more: the write succeeded but added %d rows, not %d", extra, after-before, w.want)
				case !strings.Contains(werr.Error(), "the disk is full"):
					t.Fatalf("%d pages more: %v; want it to say the disk is full", extra, werr)
				case after != before:
					t.Fatalf("%d pages more: the failed write left %d rows of %d", extra, after-before, w.want)
				default:
					full++
				}
				// A failed write leaves no trace; the next one goes through.
				if _, err := s.w.ExecContext(ctx, "PRAGMA max_page_count = 1000000"); err != nil {
					t.Fatal(err)
				}
				problems, err := s.Check(ctx)
				if err != nil || len(problems) > 0 {
					t.Fatalf("%d pages more (%v): check: %v %v", extra, werr, problems, err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				if werr == nil {
					break
				}
				if extra > 400 {
					t.Fatal("the write never fitted")
				}
			}
			if full == 0 {
				t.Fatal("the disk never filled up")
			}
			t.Logf("%s: refused whole at %d fill levels, then written whole", w.name, full)
		})
	}
}
