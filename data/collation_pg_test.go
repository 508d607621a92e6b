package data

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"regulars/data/pgtest"
	"regulars/rules"
	"testing"
	"time"
)

// TestByteOrderOnAnyDatabaseCollation: a shop copied into a PostgreSQL
// database whose own collation is ICU's English (which puts "Ábel" before
// "Azur" and "apple" before "Banana") sorts and searches its names byte by
// byte, as the same shop in a file does: the lists, the searches and every
// export are the same on both.
func TestByteOrderOnAnyDatabaseCollation(t *testing.T) {
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	clock := func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }
	lite, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	names := []string{"Azur Quinn", "Ábel Áron", "apple Ann", "Banana Bob", "Øyvind Ek", "Oscar Ode", "Zoë Zed", "zed Ray", "Émile Roux", "Eve Easton", "de la Cruz", "Dean Dale"}
	for i, n := range names {
		id, err := lite.AddCustomer(ctx, rules.Customer{Name: n, Phone: fmt.Sprintf("0612%06d", i), Email: fmt.Sprintf("c%d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		if i%3 != 0 {
			if _, err := lite.RecordSale(ctx, Sale{CustomerID: id, Amount: rules.Cents(1000 * (i%4 + 1)), Staff: "Ana"}); err != nil {
				t.Fatal(err)
			}
		}
	}

	shared := pgtest.Shared(t)
	admin, err := sql.Open("pgx", shared)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	db := fmt.Sprintf("icu_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+db+` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`); err != nil {
		t.Fatal(err)
	}
	dsn := regexp.MustCompile(`dbname='[^']*'`).ReplaceAllString(shared, "dbname='"+db+"'")
	pg, err := Open(ctx, pgSocketURL(t, dsn), Options{Today: end, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var icuOrder bool
	if err := pg.w.QueryRowContext(ctx, `SELECT 'Ábel' < 'Azur' AND 'apple' < 'Banana'`).Scan(&icuOrder); err != nil || !icuOrder {
		t.Fatalf("the test database does not sort as English does (%v): it proves nothing", err)
	}
	if _, err := lite.CopyTo(ctx, pg); err != nil {
		t.Fatal(err)
	}

	reads := []pgRead{
		{"Customers", func(s *Store) (any, error) { return s.Customers(ctx) }},
	}
	for _, sort := range CustomerSorts {
		reads = append(reads, pgRead{"the list by " + string(sort), func(s *Store) (any, error) {
			rows, n, err := s.CustomerList(ctx, CustomerListQuery{Sort: sort}, 0, 100)
			return []any{rows, n}, err
		}})
	}
	for _, text := range []string{"a", "A", "Áb", "z", "de", "o"} {
		reads = append(reads, pgRead{"a search for " + text, func(s *Store) (any, error) { return s.SearchCustomers(ctx, text, 100) }})
		reads = append(reads, pgRead{"the list searched for " + text, func(s *Store) (any, error) {
			rows, n, err := s.CustomerList(ctx, CustomerListQuery{Search: text, Sort: SortByName}, 0, 100)
			return []any{rows, n}, err
		}})
	}
	for _, kind := range ExportKinds {
		reads = append(reads, pgRead{"the " + kind + " export", func(s *Store) (any, error) {
			var b bytes.Buffer
			err := s.ExportCSV(ctx, kind, &b)
			return b.String(), err
		}})
	}
	sameOnBoth(t, reads, lite, pg)
}
