package data

import (
	"context"
	"errors"
	"regulars/rules"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Tests hash PINs at bcrypt's lowest cost; TestNewPINsAreHashedAtTheOwnerCost
// checks the real one.
func init() { QuickPINHashesForTests() }

// pinCostTaken is held by each test that changes pinCost, for its whole
// run: run side by side (as on PostgreSQL), one would reset the cost
// while another still counts on it.
var pinCostTaken sync.Mutex

func TestOwnerPINLockout(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	if err := s.SetOwnerPIN(ctx, "12a4"); err == nil {
		t.Error("a PIN with a letter was accepted")
	}
	if err := s.SetOwnerPIN(ctx, "246810"); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Setting(ctx, "owner_pin")
	if strings.Contains(stored, "246810") || !strings.HasPrefix(stored, "$2") {
		t.Fatalf("PIN not stored as a bcrypt hash: %q", stored)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	if err := s.CheckOwnerPIN(ctx, "246810", now); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		if err := s.CheckOwnerPIN(ctx, "000000", now); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if err := s.CheckOwnerPIN(ctx, "000000", now); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("fifth wrong try should lock: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "246810", now.Add(30*time.Second)); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("right PIN during the lock should be refused: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "246810", now.Add(61*time.Second)); err != nil {
		t.Fatalf("after a minute the right PIN works: %v", err)
	}
	var audits int
	s.w.QueryRow("SELECT count(*) FROM audit WHERE action = 'set owner PIN'").Scan(&audits)
	if audits != 1 {
		t.Error("setting the PIN was not audited")
	}
}

func TestNewPINsNeedSixToTwelveDigits(t *testing.T) {
	cases := []struct {
		pin string
		ok  bool
	}{
		{"", false},
		{"2468", false},
		{"24681", false},
		{"246810", true},
		{"123456789012", true},
		{"1234567890123", false},
		{"12345a", false},
		{"12 456", false},
		{"１２３４５６", false}, // full-width digits are not digits a keypad types
	}
	for _, c := range cases {
		if err := rules.CheckPIN(c.pin); (err == nil) != c.ok {
			t.Errorf("CheckPIN(%q) = %v, want ok %v", c.pin, err, c.ok)
		}
	}
	s := newTestStore(t, "2026-06-01")
	if err := s.SetOwnerPIN(context.Background(), "2468"); err == nil || !strings.Contains(err.Error(), "6 to 12 digits") {
		t.Errorf("a 4-digit PIN was set: %v", err)
	}
}

func TestNoPINGuardsNothing(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	for _, pin := range []string{"", "000000", "246810"} {
		if err := s.CheckOwnerPIN(ctx, pin, time.Now()); !errors.Is(err, ErrNoPIN) {
			t.Errorf("with no PIN set, %q checks as %v, want ErrNoPIN", pin, err)
		}
	}
}

// An owner PIN of 4 digits set by an earlier version, hashed at the old
// cost, still opens; once it opens it is hashed again at the current cost.
func TestAnOldShortPINStillOpensAndGetsTheStrongerHash(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	old, err := bcrypt.GenerateFromPassword([]byte("2468"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "owner_pin", string(old)); err != nil {
		t.Fatal(err)
	}
	if !rules.ShortPIN("2468") || rules.ShortPIN("246810") {
		t.Error("ShortPIN does not tell an old PIN from a new one")
	}
	pinCostTaken.Lock()
	defer pinCostTaken.Unlock()
	pinCost.Store(int32(bcrypt.MinCost + 1))
	defer QuickPINHashesForTests()
	if err := s.CheckOwnerPIN(ctx, "2468", time.Now()); err != nil {
		t.Fatalf("the old 4-digit PIN no longer opens: %v", err)
	}
	stored, _ := s.Setting(ctx, "owner_pin")
	if cost, err := bcrypt.Cost([]byte(stored)); err != nil || cost != bcrypt.MinCost+1 {
		t.Errorf("after opening, the hash has cost %d (%v), want %d", cost, err, bcrypt.MinCost+1)
	}
	if err := s.CheckOwnerPIN(ctx, "2468", time.Now()); err != nil {
		t.Errorf("the rehashed PIN no longer opens: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "246800", time.Now()); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("a wrong PIN after the rehash: %v", err)
	}
}

func TestNewPINsAreHashedAtTheOwnerCost(t *testing.T) {
	if PINCost < 12 {
		t.Errorf("PINCost %d is below the 250 ms measured on the counter PC", PINCost)
	}
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	pinCostTaken.Lock()
	defer pinCostTaken.Unlock()
	pinCost.Store(PINCost)
	defer QuickPINHashesForTests()
	if err := s.SetOwnerPIN(ctx, "246810"); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Setting(ctx, "owner_pin")
	if cost, err := bcrypt.Cost([]byte(stored)); err != nil || cost != PINCost {
		t.Errorf("a new PIN's hash has cost %d (%v), want %d", cost, err, PINCost)
	}
}
