package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestOwnerPINLockout(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	if err := s.SetOwnerPIN(ctx, "12a4"); err == nil {
		t.Error("a PIN with a letter was accepted")
	}
	if err := s.SetOwnerPIN(ctx, "2468"); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Setting(ctx, "owner_pin")
	if strings.Contains(stored, "2468") || !strings.HasPrefix(stored, "$2") {
		t.Fatalf("PIN not stored as a bcrypt hash: %q", stored)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	if err := s.CheckOwnerPIN(ctx, "2468", now); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		if err := s.CheckOwnerPIN(ctx, "0000", now); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if err := s.CheckOwnerPIN(ctx, "0000", now); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("fifth wrong try should lock: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "2468", now.Add(30*time.Second)); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("right PIN during the lock should be refused: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "2468", now.Add(61*time.Second)); err != nil {
		t.Fatalf("after a minute the right PIN works: %v", err)
	}
	var audits int
	s.w.QueryRow("SELECT count(*) FROM audit WHERE action = 'set owner PIN'").Scan(&audits)
	if audits != 1 {
		t.Error("setting the PIN was not audited")
	}
}
