package data

import (
	"context"
	"regulars/rules"
)

// Setup is what the owner answers when a new, empty shop starts: who the
// shop is, where it is, the owner PIN, the loyalty scheme, the staff and a
// second backup folder. Each part can be changed later in Settings.
type Setup struct {
	Name            string
	Country         string // a code from Countries
	PIN             string
	Loyalty         rules.Loyalty
	Staff           []string // besides the owner
	SecondBackupDir string   // "" for none
}

// Check says what is wrong with the answers, the first problem only, as the
// set-up asks them in this order. The second backup folder is checked on
// the disk of the shop at dbPath.
func (su Setup) Check(dbPath string) error {
	if err := rules.CheckSetupName(su.Name); err != nil {
		return err
	}
	if err := rules.CheckSetupCountry(su.Country); err != nil {
		return err
	}
	if err := rules.CheckPIN(su.PIN); err != nil {
		return err
	}
	if err := su.Loyalty.Validate(); err != nil {
		return err
	}
	if err := rules.CheckSetupStaff(su.Staff); err != nil {
		return err
	}
	_, err := CheckSecondBackupDir(dbPath, su.SecondBackupDir)
	return err
}

// setupDoneKey marks a shop whose set-up was answered.
const setupDoneKey = "setup_done"

// SetUp stores the answers, after checking them all, and marks the shop
// as set up. The owner PIN goes first: from then on every guarded action
// asks for it.
func (s *Store) SetUp(ctx context.Context, su Setup) error {
	if err := su.Check(s.path); err != nil {
		return err
	}
	c, _ := rules.CountryByCode(su.Country)
	if err := s.SetOwnerPIN(ctx, su.PIN); err != nil {
		return err
	}
	d := rules.ShopDetails{Name: su.Name, Currency: c.Currency, Locale: c.Locale}
	if addr, err := s.Setting(ctx, "shop_address"); err == nil {
		d.Address = addr
	}
	if err := s.SetShop(ctx, d); err != nil {
		return err
	}
	if err := s.SetSetting(ctx, countryKey, c.Code); err != nil {
		return err
	}
	if err := s.SetLoyalty(ctx, su.Loyalty); err != nil {
		return err
	}
	// The owner is on the list picked at the start of a shift too.
	for _, n := range append([]string{rules.OwnerName}, su.Staff...) {
		if err := s.AddStaff(ctx, n); err != nil {
			return err
		}
	}
	if err := s.SetSecondBackupDir(ctx, su.SecondBackupDir); err != nil {
		return err
	}
	return s.SetSetting(ctx, setupDoneKey, "1")
}

// IsSetUp reports whether the shop's set-up was answered.
func (s *Store) IsSetUp(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, setupDoneKey)
	return v == "1", err
}
