package data

import (
	"cmp"
	"context"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

// listShop makes a shop of 450 customers, added in an order that is not
// their names' order, each with a spend, a last visit and a balance of
// their own; every tenth has never bought anything.
func listShop(t *testing.T) (*Store, map[rules.ID]CustomerRow) {
	t.Helper()
	s := newTestStore(t, "2026-06-15")
	ctx := context.Background()
	want := map[rules.ID]CustomerRow{}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := rules.NewDay(2025, 6, 1)
	for i := range 450 {
		n := (i * 7) % 450 // names out of id order
		r := CustomerRow{Name: fmt.Sprintf("Customer %03d", n), Phone: fmt.Sprintf("07700 9%05d", i)}
		res, err := tx.Exec(`INSERT INTO customers(name, name_fold, phone, phone_digits, added_on) VALUES (?, ?, ?, ?, '2025-01-01')`,
			r.Name, strings.ToLower(r.Name), r.Phone, rules.PhoneDigits(r.Phone))
		if err != nil {
			t.Fatal(err)
		}
		r.ID, _ = res.LastInsertId()
		if i%10 != 0 {
			r.LastVisit = first.AddDays((i * 91) % 300)
			r.Spent = rules.Cents(((i*37)%450 + 1) * 100)
			r.Points = int64((i * 53) % 450)
			// Two sales: an older one and the last visit, plus a voided
			// one and one after today that must not count.
			for _, p := range []struct {
				day    rules.Day
				amount rules.Cents
				voided int
			}{{first, 100, 0}, {r.LastVisit, r.Spent - 100, 0}, {r.LastVisit.AddDays(1), 99900, 1}, {rules.NewDay(2026, 7, 1), 50000, 0}} {
				if p.amount == 0 {
					continue
				}
				if _, err := tx.Exec(`INSERT INTO purchases(customer_id, at, day, amount_cents, voided) VALUES (?, ?, ?, ?, ?)`,
					r.ID, p.day.String()+" 10:00:00", p.day.String(), p.amount, p.voided); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := tx.Exec(`INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (?, ?, ?, 'adjustment', ?, 'Owner', 'opening')`,
				r.ID, first.String()+" 10:00:00", first.String(), r.Points); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (?, '2026-07-01 10:00:00', '2026-07-01', 'adjustment', 1000, 'Owner', 'later')`,
				r.ID); err != nil {
				t.Fatal(err)
			}
		}
		want[r.ID] = r
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.customersRewritten()
	return s, want
}

// expectedOrder is the list's order, computed here from the rows: by
// name; or those with the figure (in this shop, those who bought) highest
// first and by id on a tie, then the others by name.
func expectedOrder(rows []CustomerRow, sort CustomerSort) []CustomerRow {
	out := slices.Clone(rows)
	byName := func(a, b CustomerRow) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(out, func(a, b CustomerRow) int {
		if sort == SortByName {
			return byName(a, b)
		}
		if c := cmp.Compare(boolInt(a.LastVisit.IsZero()), boolInt(b.LastVisit.IsZero())); c != 0 || a.LastVisit.IsZero() {
			return cmp.Or(c, byName(a, b))
		}
		var c int
		switch sort {
		case SortByLastVisit:
			c = cmp.Compare(b.LastVisit, a.LastVisit)
		case SortBySpend:
			c = cmp.Compare(b.Spent, a.Spent)
		case SortByPoints:
			c = cmp.Compare(b.Points, a.Points)
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	return out
}

// readAll reads the whole list a page at a time.
func readAll(t *testing.T, s *Store, q CustomerListQuery, page int) ([]CustomerRow, int) {
	t.Helper()
	var all []CustomerRow
	total := -1
	for offset := 0; ; offset += page {
		rows, n, err := s.CustomerList(context.Background(), q, offset, page)
		if err != nil {
			t.Fatal(err)
		}
		if total >= 0 && n != total {
			t.Fatalf("the total moved from %d to %d", total, n)
		}
		total = n
		if len(rows) == 0 {
			break
		}
		if len(rows) > page {
			t.Fatalf("%d rows for a page of %d", len(rows), page)
		}
		all = append(all, rows...)
	}
	return all, total
}

func TestCustomerListPagesPastTheFirst200InEachOrder(t *testing.T) {
	s, want := listShop(t)
	var every []CustomerRow
	for _, r := range want {
		every = append(every, r)
	}
	for _, sort := range CustomerSorts {
		// Pages of 30 start past those who bought (the last 45): a page
		// of 100 runs across them.
		for _, page := range []int{100, 30} {
			t.Run(fmt.Sprintf("%s by %d", sort, page), func(t *testing.T) {
				got, total := readAll(t, s, CustomerListQuery{Sort: sort}, page)
				if total != 450 || len(got) != 450 {
					t.Fatalf("%d rows read, total %d; want 450", len(got), total)
				}
				exp := expectedOrder(every, sort)
				for i := range exp {
					if got[i] != exp[i] {
						t.Fatalf("row %d is %+v, want %+v", i, got[i], exp[i])
					}
				}
			})
		}
	}
}

func TestCustomerListKeepsTheOrderWithASearch(t *testing.T) {
	s, want := listShop(t)
	// "customer 1" is in the names Customer 100 to Customer 199.
	var match []CustomerRow
	for _, r := range want {
		if strings.Contains(strings.ToLower(r.Name), "customer 1") {
			match = append(match, r)
		}
	}
	for _, sort := range CustomerSorts {
		got, total := readAll(t, s, CustomerListQuery{Search: "Customer 1", Sort: sort}, 30)
		if total != len(match) || len(got) != len(match) || len(match) != 100 {
			t.Fatalf("%s: %d rows, total %d, want %d", sort, len(got), total, len(match))
		}
		if exp := expectedOrder(match, sort); !slices.Equal(got, exp) {
			t.Errorf("%s: the search's rows are not in the order:\n%v\nwant\n%v", sort, got[:5], exp[:5])
		}
	}
}

// TestCustomerListReadsTheNameOrderThroughTheIndex: the name order and
// a page's rows are read along indexes, never by scanning the customers.
func TestCustomerListReadsTheNameOrderThroughTheIndex(t *testing.T) {
	s, _ := listShop(t)
	plan := func(q string, args ...any) []string {
		rows, err := s.reader().Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			out = append(out, detail)
		}
		if len(out) == 0 {
			t.Fatal("no plan")
		}
		return out
	}
	for _, p := range [][]string{
		plan(nameOrderSQL, 100, 200),
		plan(customerRowsSQL, "2026-06-15", "[1,2,3]"),
	} {
		for _, line := range p {
			if (strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, " USING ") && !strings.Contains(line, "VIRTUAL TABLE")) ||
				strings.Contains(line, "TEMP B-TREE") {
				t.Errorf("the plan scans or sorts: %q in\n%s", line, strings.Join(p, "\n"))
			}
		}
	}
	// Sorted by a figure, the facts are read through covering indexes.
	for so, index := range map[CustomerSort]string{SortByPoints: "ledger_points", SortBySpend: "purchases_customer", SortByLastVisit: "purchases_customer"} {
		f := listFigures[so]
		for _, q := range []string{f.holdersSQL(), f.holdersCountSQL()} {
			if p := strings.Join(plan(q, "2026-06-15", 100, 0), "\n"); !strings.Contains(p, "COVERING INDEX "+index) {
				t.Errorf("%s reads more than %s:\n%s", so, index, p)
			}
		}
	}
}
