package screens

import (
	"strings"
	"testing"
)

// The help says what the checkout does with Enter and each key.
func TestHelpExplainsTheCheckout(t *testing.T) {
	text := checkoutHelp()
	for _, want := range []string{
		"Enter takes the customer whose phone, email or customer number was typed in full (exact matches come before",
		"↑/↓ to choose one, then Enter", "Enter never takes the first of several by itself",
		"Nobody is added unless you press F6",
		"F4 adds one more reward to redeem", "after the most goes back to none",
		"F5 a walk-in sale", "F6 a new customer", "F7 a promise to the customer just served", "Esc starts again",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the checkout help does not say %q", want)
		}
	}
	keys := map[string]string{}
	for _, s := range shortcuts() {
		keys[s.keys] += s.what + "\n"
	}
	for key, want := range map[string]string{
		"Enter": "Checkout: take the customer typed", "↑ ↓ then Enter": "Checkout, when several customers match",
		"F4": "one more reward to redeem (after the most, none)", "F5": "walk-in", "F6": "new customer",
		"F7": "promise to the customer just served", "Escape": "at checkout, start again",
	} {
		if !strings.Contains(keys[key], want) {
			t.Errorf("the shortcut %s says %q, not %q", key, keys[key], want)
		}
	}
}
