package data

import (
	"context"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

func TestSetupChecksEachAnswer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop", "regulars.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	good := Setup{Name: "Harbour Street Bikes", Country: "GB", PIN: "246810", Loyalty: rules.DefaultLoyalty(), Staff: []string{"Sam"}}
	cases := []struct {
		name string
		edit func(*Setup)
		want string // "" for fine
	}{
		{"all fine", func(*Setup) {}, ""},
		{"no name", func(s *Setup) { s.Name = "  " }, "the shop's name is needed"},
		{"no country", func(s *Setup) { s.Country = "" }, "choose the shop's country"},
		{"a country not offered", func(s *Setup) { s.Country = "XX" }, "choose the shop's country"},
		{"a 4-digit PIN", func(s *Setup) { s.PIN = "2468" }, "6 to 12 digits"},
		{"no PIN", func(s *Setup) { s.PIN = "" }, "6 to 12 digits"},
		{"no points per reward", func(s *Setup) { s.Loyalty.RewardPoints = 0 }, "points per reward"},
		{"a name twice", func(s *Setup) { s.Staff = []string{"Sam", "sam "} }, `"sam" is given twice`},
		{"a control character", func(s *Setup) { s.Staff = []string{"Sa\x07m"} }, "control character"},
		{"a relative folder", func(s *Setup) { s.SecondBackupDir = "stick" }, "full path"},
		{"the shop's own folder", func(s *Setup) { s.SecondBackupDir = filepath.Dir(db) }, "somewhere else"},
		{"a folder that is not there", func(s *Setup) { s.SecondBackupDir = filepath.Join(dir, "none") }, "there is no folder"},
		{"a real folder", func(s *Setup) { s.SecondBackupDir = dir }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			su := good
			su.Staff = append([]string{}, good.Staff...)
			c.edit(&su)
			err := su.Check(db)
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("Check = %v, want %q", err, c.want)
			}
		})
	}
	if err := rules.CheckSetupPIN("246810", "246811"); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Errorf("two different PINs: %v", err)
	}
	if err := rules.CheckSetupPIN("", ""); err == nil || !strings.Contains(err.Error(), "needed") {
		t.Errorf("no PIN: %v", err)
	}
}

func TestSetUpStoresEveryAnswer(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	stick := t.TempDir()
	su := Setup{Name: "Harbour Street Bikes", Country: "DE", PIN: "246810",
		Loyalty: rules.Loyalty{CentsPerPoint: 200, RewardPoints: 50, RewardValue: 300, ExpiryMonths: 12},
		Staff:   []string{"Sam", "Priya"}, SecondBackupDir: stick}
	if done, _ := s.IsSetUp(ctx); done {
		t.Fatal("a new shop is set up already")
	}
	// A wrong answer writes nothing.
	bad := su
	bad.PIN = "2468"
	if err := s.SetUp(ctx, bad); err == nil {
		t.Fatal("a 4-digit PIN was taken")
	}
	if set, _ := s.HasOwnerPIN(ctx); set {
		t.Fatal("a refused set-up set the PIN")
	}
	if err := s.SetUp(ctx, su); err != nil {
		t.Fatal(err)
	}
	if done, err := s.IsSetUp(ctx); err != nil || !done {
		t.Errorf("not marked as set up: %v", err)
	}
	d, err := s.Shop(ctx)
	if err != nil || d.Name != "Harbour Street Bikes" || d.Currency != "€" || d.Locale != "de-DE" {
		t.Errorf("shop %+v %v", d, err)
	}
	if c, ok, err := s.Country(ctx); err != nil || !ok || c.Code != "DE" {
		t.Errorf("country %+v %v %v", c, ok, err)
	}
	if err := s.CheckOwnerPIN(ctx, "246810", time.Now()); err != nil {
		t.Errorf("PIN: %v", err)
	}
	if l, err := s.Loyalty(ctx); err != nil || l != su.Loyalty {
		t.Errorf("loyalty %+v %v", l, err)
	}
	if names, err := s.StaffNames(ctx); err != nil || strings.Join(names, ",") != "Owner,Priya,Sam" {
		t.Errorf("staff %v %v", names, err)
	}
	if dir, err := s.SecondBackupDir(ctx); err != nil || dir != stick {
		t.Errorf("second folder %q %v", dir, err)
	}
	if name, _ := s.ShopName(ctx); name != "Harbour Street Bikes" {
		t.Errorf("messages sign as %q", name)
	}
}

func TestEveryCountryHasAKnownFormat(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range rules.Countries {
		if err := rules.CheckLocale(c.Locale); err != nil || c.Locale == "" {
			t.Errorf("%s: %v", c.Name, err)
		}
		if err := (rules.ShopDetails{Name: "x", Currency: c.Currency, Locale: c.Locale}).Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if seen[c.Code] {
			t.Errorf("%s listed twice", c.Code)
		}
		seen[c.Code] = true
	}
}

func TestTheDemoIsMadeAgainOnAnotherDay(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars-demo.db")
	open := func(day rules.Day) *Store {
		t.Helper()
		s, err := OpenDemo(ctx, path, DemoOptions{Customers: 30, Seed: 1, End: day}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	day := rules.NewDay(2026, 6, 1)
	s := open(day)
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Zed Visitor"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The same day: the same file, as it was left.
	s = open(day)
	if _, err := s.Customer(ctx, id); err != nil {
		t.Errorf("the demo was made again on the same day: %v", err)
	}
	s.Close()
	// Another day: made again, ending on that day.
	s = open(day.AddDays(30))
	defer s.Close()
	if c, err := s.Customer(ctx, id); err == nil && c.Name == "Zed Visitor" {
		t.Error("the demo of another day was kept")
	}
	if end, _ := s.Setting(ctx, demoEndKey); end != day.AddDays(30).String() {
		t.Errorf("the demo ends on %s", end)
	}
}

func TestOpenDemoNeverReplacesAShop(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars-demo.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "A Real Customer"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenDemo(ctx, path, DemoOptions{Customers: 30, End: rules.NewDay(2026, 6, 1)}, 0); err == nil || !strings.Contains(err.Error(), "not a demo shop") {
		t.Fatalf("a shop at the demo's path: %v", err)
	}
	s, err = Open(ctx, path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountCustomers(ctx); n != 1 {
		t.Errorf("the shop now has %d customers", n)
	}
}
