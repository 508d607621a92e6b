package data

import (
	"context"
	"fmt"
	"regulars/rules"
)

// countryKey is the setting naming the shop's country.
const countryKey = "country"

// Country is the shop's country; false when none was chosen.
func (s *Store) Country(ctx context.Context) (rules.Country, bool, error) {
	v, err := s.Setting(ctx, countryKey)
	if err != nil || v == "" {
		return rules.Country{}, false, err
	}
	c, ok := rules.CountryByCode(v)
	return c, ok, nil
}

// SetCountry records the shop's country ("" for none of those offered).
// It changes neither the money sign nor the date format: Settings shows
// what the country suggests, and the owner saves those as shop details.
func (s *Store) SetCountry(ctx context.Context, code string) error {
	if _, ok := rules.CountryByCode(code); !ok && code != "" {
		return fmt.Errorf("%q is not a country this app offers", code)
	}
	return s.SetSetting(ctx, countryKey, code)
}
