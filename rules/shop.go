package rules

import (
	"fmt"
	"strings"
	"unicode"
)

// ShopDetails is how the shop presents itself on messages, printouts and
// money shown on screen.
type ShopDetails struct {
	Name     string
	Address  string // may hold several lines
	Currency string // shown before amounts on screen, such as "£"; "" for none
	// Locale is how the window writes dates and amounts, one of Locales;
	// "" follows the computer's language setting.
	Locale string
}

const (
	maxAddressLen  = 500
	maxCurrencyLen = 4
)

// Validate says what is wrong with the shop's details.
func (d ShopDetails) Validate() error {
	if err := CheckName(d.Name); err != nil {
		return fmt.Errorf("shop name: %w", err)
	}
	if len([]rune(d.Address)) > maxAddressLen {
		return fmt.Errorf("the shop's address is longer than %d characters", maxAddressLen)
	}
	c := strings.TrimSpace(d.Currency)
	if len([]rune(c)) > maxCurrencyLen {
		return fmt.Errorf("the currency sign %q is longer than %d characters", c, maxCurrencyLen)
	}
	for _, r := range c {
		if unicode.IsDigit(r) || unicode.IsControl(r) || r == '.' || r == '-' {
			return fmt.Errorf("the currency sign %q may not hold digits, dots or minus signs: amounts would misread", c)
		}
	}
	return CheckLocale(strings.TrimSpace(d.Locale))
}
