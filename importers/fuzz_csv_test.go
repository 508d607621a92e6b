package importers

import (
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

// The seeds live in testdata/fuzz/<target>; `go test` runs them every time
// and `go test -fuzz` starts from them.

func FuzzImportCustomersCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, warnings, err := ParseCustomersCSV(strings.NewReader(file))
		if err != nil {
			if rows != nil || bad != nil || warnings != nil {
				t.Fatalf("an error came with rows: %v", err)
			}
			return
		}
		lines := ioCheckLines(t, bad)
		for _, r := range rows {
			if r.Line < 1 || lines[r.Line] {
				t.Fatalf("row at line %d is also reported bad, or before the file starts", r.Line)
			}
			lines[r.Line] = true
			if err := r.Customer.Validate(); err != nil {
				t.Fatalf("line %d passed but does not validate: %v", r.Line, err)
			}
			if r.Points < 0 || r.Points > MaxOpeningPoints {
				t.Fatalf("line %d: opening balance %d", r.Line, r.Points)
			}
		}
		kept, dups := ScreenCustomers(rows, KnownCustomers{})
		if len(kept)+len(dups) != len(rows) {
			t.Fatalf("%d kept and %d duplicates of %d rows", len(kept), len(dups), len(rows))
		}
		phones, emails := map[string]bool{}, map[string]bool{}
		for _, r := range kept {
			d, e := rules.PhoneDigits(r.Customer.Phone), rules.NormEmail(r.Customer.Email)
			if (d != "" && phones[d]) || (e != "" && emails[e]) {
				t.Fatalf("line %d duplicates a kept row", r.Line)
			}
			phones[d], emails[e] = true, true
		}
	})
}

func FuzzImportPurchasesCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, _, err := ParsePurchasesCSV(strings.NewReader(file))
		if err != nil {
			if rows != nil || bad != nil {
				t.Fatalf("an error came with rows: %v", err)
			}
			return
		}
		lines := ioCheckLines(t, bad)
		nbad := 0
		for _, r := range rows {
			if r.Bad {
				nbad++
				if !lines[r.Line] {
					t.Fatalf("row at line %d is marked bad but not reported", r.Line)
				}
				continue
			}
			if lines[r.Line] {
				t.Fatalf("good row at line %d is also reported bad", r.Line)
			}
			if r.Day.IsZero() || r.Amount == 0 || (r.Amount < 0) != (r.RefundOf != "") {
				t.Fatalf("line %d passed with day %v, amount %v, refund_of %q", r.Line, r.Day, r.Amount, r.RefundOf)
			}
		}
		if nbad > len(bad) {
			t.Fatalf("%d rows marked bad, %d reported", nbad, len(bad))
		}
	})
}

func FuzzImportVCard(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, _, err := ParseVCards(strings.NewReader(file))
		if err != nil {
			return
		}
		lines := ioCheckLines(t, bad)
		for _, r := range rows {
			if lines[r.Line] {
				t.Fatalf("card at line %d is also reported bad", r.Line)
			}
			if err := r.Customer.Validate(); err != nil {
				t.Fatalf("card at line %d passed but does not validate: %v", r.Line, err)
			}
			for _, o := range r.Occasions {
				y := o.Date.Year
				if y == 0 {
					y = 2000
				}
				if !rules.ValidDate(y, o.Date.Month, o.Date.Day) {
					t.Fatalf("card at line %d has occasion %v", r.Line, o.Date)
				}
			}
		}
	})
}

// ioCheckLines checks bad rows are in line order, one per line, after the
// start of the file, and returns their lines.
func ioCheckLines(t *testing.T, bad []RowError) map[int]bool {
	t.Helper()
	if !slices.IsSortedFunc(bad, func(a, b RowError) int { return a.Line - b.Line }) {
		t.Fatalf("bad rows out of order: %v", bad)
	}
	lines := map[int]bool{}
	for _, b := range bad {
		if b.Line < 1 || lines[b.Line] || b.Reason == "" {
			t.Fatalf("bad row %q", b.Error())
		}
		lines[b.Line] = true
	}
	return lines
}
