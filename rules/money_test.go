package rules

import (
	"math"
	"testing"
)

func TestParseCents(t *testing.T) {
	good := []struct {
		in   string
		want Cents
	}{
		{"12", 1200},
		{"12.3", 1230},
		{"12.34", 1234},
		{"0.05", 5},
		{".5", 50},
		{"-0.50", -50},
		{"+7", 700},
		{" 3.10 ", 310},
		{"0", 0},
		{"007.00", 700},
		{"1000000000", MaxCents},
	}
	for _, tc := range good {
		got, err := ParseCents(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	bad := []string{"12..5", "abc", "1.234", "1,000", "1,5", "", "  ", "-", "+", ".", "12.", "1e3", "1 000",
		"--1", "+-1", "-+1", "1000000000.01", "99999999999999999999", "٣", "12.3.4", "$12", "12€", "0x10", "1_000"}
	for _, in := range bad {
		if c, err := ParseCents(in); err == nil {
			t.Errorf("ParseCents(%q) = %d, want an error", in, c)
		}
	}
}

func TestCentsString(t *testing.T) {
	cases := []struct {
		in   Cents
		want string
	}{
		{1234, "12.34"},
		{-50, "-0.50"},
		{0, "0.00"},
		{5, "0.05"},
		{-100000, "-1000.00"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tc := range cases {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("Cents(%d).String() = %q, want %q", int64(tc.in), got, tc.want)
		}
	}
}
