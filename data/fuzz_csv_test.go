package data

import (
	"slices"
	"strings"
	"testing"
)

// The seeds live in testdata/fuzz/<target>; `go test` runs them every time
// and `go test -fuzz` starts from them.

func FuzzImportCustomersCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, warnings, err := parseCustomersCSV(strings.NewReader(file))
		if err != nil {
			if rows != nil || bad != nil || warnings != nil {
				t.Fatalf("an error came with rows: %v", err)
			}
			return
		}
		lines := ioCheckLines(t, bad)
		for _, r := range rows {
			if r.line < 1 || lines[r.line] {
				t.Fatalf("row at line %d is also reported bad, or before the file starts", r.line)
			}
			lines[r.line] = true
			if err := r.c.Validate(); err != nil {
				t.Fatalf("line %d passed but does not validate: %v", r.line, err)
			}
			if r.points < 0 || r.points > maxOpeningPoints {
				t.Fatalf("line %d: opening balance %d", r.line, r.points)
			}
		}
		kept, dups := screenCustomers(rows, knownCustomers{})
		if len(kept)+len(dups) != len(rows) {
			t.Fatalf("%d kept and %d duplicates of %d rows", len(kept), len(dups), len(rows))
		}
		phones, emails := map[string]bool{}, map[string]bool{}
		for _, r := range kept {
			d, e := PhoneDigits(r.c.Phone), NormEmail(r.c.Email)
			if (d != "" && phones[d]) || (e != "" && emails[e]) {
				t.Fatalf("line %d duplicates a kept row", r.line)
			}
			phones[d], emails[e] = true, true
		}
	})
}

func FuzzImportPurchasesCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, _, err := parsePurchasesCSV(strings.NewReader(file))
		if err != nil {
			if rows != nil || bad != nil {
				t.Fatalf("an error came with rows: %v", err)
			}
			return
		}
		lines := ioCheckLines(t, bad)
		nbad := 0
		for _, r := range rows {
			if r.bad {
				nbad++
				if !lines[r.line] {
					t.Fatalf("row at line %d is marked bad but not reported", r.line)
				}
				continue
			}
			if lines[r.line] {
				t.Fatalf("good row at line %d is also reported bad", r.line)
			}
			if r.day.IsZero() || r.amount == 0 || (r.amount < 0) != (r.refundOf != "") {
				t.Fatalf("line %d passed with day %v, amount %v, refund_of %q", r.line, r.day, r.amount, r.refundOf)
			}
		}
		if nbad > len(bad) {
			t.Fatalf("%d rows marked bad, %d reported", nbad, len(bad))
		}
	})
}

func FuzzImportVCard(f *testing.F) {
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, _, err := parseVCards(strings.NewReader(file))
		if err != nil {
			return
		}
		lines := ioCheckLines(t, bad)
		for _, r := range rows {
			if lines[r.line] {
				t.Fatalf("card at line %d is also reported bad", r.line)
			}
			if err := r.c.Validate(); err != nil {
				t.Fatalf("card at line %d passed but does not validate: %v", r.line, err)
			}
			for _, o := range r.occasions {
				y := o.Date.Year
				if y == 0 {
					y = 2000
				}
				if !ValidDate(y, o.Date.Month, o.Date.Day) {
					t.Fatalf("card at line %d has occasion %v", r.line, o.Date)
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
