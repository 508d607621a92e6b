package data

import (
	"context"
	"regulars/rules"
	"testing"
)

func TestLocaleIsStoredWithTheShopAndChecked(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	if got, err := s.Shop(ctx); err != nil || got.Locale != "" {
		t.Fatalf("fresh shop locale = %q, %v; want \"\" (follow the computer)", got.Locale, err)
	}
	if err := s.SetShop(ctx, rules.ShopDetails{Name: "Shop", Locale: " de-DE "}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Shop(ctx); got.Locale != "de-DE" {
		t.Errorf("locale = %q, want de-DE", got.Locale)
	}
	if err := s.SetShop(ctx, rules.ShopDetails{Name: "Shop", Locale: "xx-YY"}); err == nil {
		t.Error("an unknown locale was accepted")
	}
	if got, _ := s.Shop(ctx); got.Locale != "de-DE" {
		t.Errorf("a refused change altered the locale: %q", got.Locale)
	}
}
