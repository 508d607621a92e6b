package data

import (
	"regulars/rules"
	"testing"
)

// The reports' readers take values as the driver gives them; they must
// read them as Scan into the typed destinations did.
func TestCellsReadValuesAsScanDoes(t *testing.T) {
	var c cells
	for _, tc := range []struct {
		v    any
		want int64
	}{{int64(-7), -7}, {int32(12), 12}, {float64(3), 3}, {"42", 42}, {[]byte("-5"), -5}} {
		if got := c.int(tc.v); got != tc.want || c.err != nil {
			t.Fatalf("int(%#v) = %d, %v; want %d", tc.v, got, c.err, tc.want)
		}
	}
	if got := c.nullInt(nil); got != 0 || c.err != nil {
		t.Fatalf("nullInt(nil) = %d, %v", got, c.err)
	}
	for _, v := range []any{nil, "4x", 2.5, []byte(""), true} {
		c := cells{}
		c.int(v)
		if c.err == nil {
			t.Fatalf("int(%#v) gave no error", v)
		}
	}
	for _, tc := range []struct {
		v    any
		want string
	}{{"Sam", "Sam"}, {[]byte("Priya"), "Priya"}, {int64(5), "5"}, {1.5, "1.5"}, {false, "false"}} {
		if got := c.text(tc.v); got != tc.want || c.err != nil {
			t.Fatalf("text(%#v) = %q, %v; want %q", tc.v, got, c.err, tc.want)
		}
	}
	if c.text(nil); c.err == nil {
		t.Fatal("text(nil) gave no error")
	}
	// Days, one after another as the rows bring them: a day repeated is
	// the day before, a new one is read anew, and what is no day is none.
	var d cells
	for _, tc := range []struct {
		v    any
		want rules.Day
	}{
		{"2024-01-03", rules.NewDay(2024, 1, 3)},
		{"2024-01-03", rules.NewDay(2024, 1, 3)},
		{"2024-02-29", rules.NewDay(2024, 2, 29)},
		{"2023-02-29", 0},
		{"2024-01-03\x1f", 0},
		{"", 0},
		{nil, 0},
		{[]byte("2025-12-31"), rules.NewDay(2025, 12, 31)},
		{"2024-01-03", rules.NewDay(2024, 1, 3)},
		{int64(20240103), 0},
	} {
		if got := d.dayOf(tc.v); got != tc.want {
			t.Fatalf("dayOf(%#v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

// A pile gives back every row in the order it was added, across blocks.
func TestPileKeepsTheOrder(t *testing.T) {
	var p pile[int]
	n := 3*pileBlock + 5
	for i := range n {
		p.add(i * 7)
	}
	if p.len() != n {
		t.Fatalf("%d rows, want %d", p.len(), n)
	}
	seen := 0
	p.each(func(i int, v *int) {
		if i != seen || *v != i*7 {
			t.Fatalf("row %d (the %dth) holds %d, want %d", i, seen, *v, i*7)
		}
		seen++
	})
	if seen != n {
		t.Fatalf("each gave %d rows, want %d", seen, n)
	}
}
