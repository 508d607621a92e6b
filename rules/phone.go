package rules

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
)

// PhoneDigits returns the digits of a phone number: spaces, dots, dashes,
// brackets and a leading + are ignored when phones are compared.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckPhone says why s is not a usable phone number, or returns nil.
func CheckPhone(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == ' ', r == '.', r == '-', r == '(', r == ')', r == '/':
		case r == '+' && i == 0:
		default:
			return fmt.Errorf("phone %q may hold only digits, spaces, dots, dashes, brackets and a leading +", s)
		}
	}
	n := len(PhoneDigits(s))
	if n < 5 || n > 15 {
		return fmt.Errorf("phone %q should have between 5 and 15 digits", s)
	}
	return nil
}

// NormEmail is the form in which emails are compared: trimmed, lower case.
func NormEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail says why s is not a usable email address, or returns nil.
func CheckEmail(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return fmt.Errorf("email %q is not an address like name@example.com", s)
	}
	return nil
}

// CheckName says why s is not a usable customer or staff name, or returns nil.
func CheckName(s string) error {
	t := strings.TrimSpace(s)
	if t == "" {
		return fmt.Errorf("a name is required")
	}
	if len([]rune(t)) > 200 {
		return fmt.Errorf("the name is longer than 200 characters")
	}
	for _, r := range t {
		if unicode.IsControl(r) {
			return fmt.Errorf("the name contains a control character")
		}
	}
	return nil
}

// FirstName is the first word of a name, used to greet people.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
