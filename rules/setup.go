package rules

import (
	"fmt"
	"strings"
)

// The answers a new shop's set-up checks, and the owner PIN's form.

// A new owner PIN has MinPINLength to MaxPINLength digits. A shorter PIN
// set by an earlier version still opens; the next one set must be longer.
const (
	MinPINLength = 6
	MaxPINLength = 12
)

// CheckPIN says what is wrong with a new PIN.
func CheckPIN(pin string) error {
	if len(pin) < MinPINLength || len(pin) > MaxPINLength {
		return fmt.Errorf("the PIN must have %d to %d digits", MinPINLength, MaxPINLength)
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return fmt.Errorf("the PIN may hold digits only")
		}
	}
	return nil
}

// ShortPIN reports whether pin is shorter than a new PIN may be: an old
// PIN that still opens, which the owner should replace.
func ShortPIN(pin string) bool { return len(pin) < MinPINLength }

// CheckSetupName says what is wrong with the shop's name.
func CheckSetupName(name string) error {
	if err := CheckName(name); err != nil {
		return fmt.Errorf("the shop's name is needed: it signs every message")
	}
	return nil
}

// CheckSetupCountry says what is wrong with the choice of country.
func CheckSetupCountry(code string) error {
	if _, ok := CountryByCode(code); !ok {
		return fmt.Errorf("choose the shop's country: it sets the money sign and how dates are written")
	}
	return nil
}

// CheckSetupPIN says what is wrong with the owner PIN typed twice.
func CheckSetupPIN(pin, again string) error {
	if pin == "" {
		return fmt.Errorf("the owner PIN is needed: it guards Settings, exports and restores")
	}
	if err := CheckPIN(pin); err != nil {
		return err
	}
	if pin != again {
		return fmt.Errorf("the two PINs differ: type the same PIN twice")
	}
	return nil
}

// CheckSetupStaff says what is wrong with the staff names.
func CheckSetupStaff(names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if err := CheckName(n); err != nil {
			return fmt.Errorf("staff name %q: %w", n, err)
		}
		k := strings.ToLower(strings.TrimSpace(n))
		if seen[k] {
			return fmt.Errorf("the name %q is given twice", strings.TrimSpace(n))
		}
		seen[k] = true
	}
	return nil
}
