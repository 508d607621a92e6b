package rules

import (
	"fmt"
	"strings"
)

// Cents is an amount of money in hundredths of the shop's currency. Money is
// never a float.
type Cents int64

// MaxCents keeps amounts far from int64 overflow when summed.
const MaxCents = Cents(1_000_000_000_00) // one billion

// String formats as 12.34 or -0.50.
func (c Cents) String() string {
	sign := ""
	v := uint64(c)
	if c < 0 {
		sign = "-"
		v = -v // two's complement: exact even for the most negative value
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// ParseCents reads an amount such as 12, 12.3 or 12.34 (optionally signed).
// It refuses more than two decimals, thousands separators and anything
// that is not a plain number.
func ParseCents(s string) (Cents, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("the amount is empty")
	}
	neg := false
	switch t[0] {
	case '-':
		neg = true
		t = t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q is not an amount like 12.34", s)
	}
	if hasDot && frac == "" {
		return 0, fmt.Errorf("%q is not an amount like 12.34", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%q has more than two decimals", s)
	}
	if whole == "" {
		whole = "0"
	}
	var v int64
	for _, r := range whole + frac + strings.Repeat("0", 2-len(frac)) {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not an amount like 12.34", s)
		}
		v = v*10 + int64(r-'0')
		if Cents(v) > MaxCents {
			return 0, fmt.Errorf("%q is too large an amount", s)
		}
	}
	if neg {
		v = -v
	}
	return Cents(v), nil
}
