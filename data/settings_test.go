package data

import (
	"context"
	"testing"
)

func TestLocaleIsStoredWithTheShopAndChecked(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	if got, err := s.Shop(ctx); err != nil || got.Locale != "" {
		t.Fatalf("fresh shop locale = %q, %v; want \"\" (follow the computer)", got.Locale, err)
	}
	if err := s.SetShop(ctx, ShopDetails{Name: "Shop", Locale: " de-DE "}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Shop(ctx); got.Locale != "de-DE" {
		t.Errorf("locale = %q, want de-DE", got.Locale)
	}
	if err := s.SetShop(ctx, ShopDetails{Name: "Shop", Locale: "xx-YY"}); err == nil {
		t.Error("an unknown locale was accepted")
	}
	if got, _ := s.Shop(ctx); got.Locale != "de-DE" {
		t.Errorf("a refused change altered the locale: %q", got.Locale)
	}
}

func TestCheckLocale(t *testing.T) {
	for _, tc := range []struct {
		tag string
		ok  bool
	}{
		{"", true}, {"en-GB", true}, {"en-US", true}, {"de-DE", true}, {"fr-FR", true},
		{"de", false}, {"en_GB", false}, {"en-gb", false}, {"xx-YY", false},
	} {
		if err := CheckLocale(tc.tag); (err == nil) != tc.ok {
			t.Errorf("CheckLocale(%q) = %v", tc.tag, err)
		}
	}
}
