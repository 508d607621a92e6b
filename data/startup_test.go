package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"testing"
)

// closedShop writes a real shop of a few hundred customers to a file and
// closes it, so that everything is in the main file and none in the WAL.
func closedShop(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	s := lyOpenIn(t, t.TempDir(), lyDay(2024, 3, 1))
	var cs, ps strings.Builder
	cs.WriteString("name,phone,notes\n")
	ps.WriteString("customer,date,amount\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&cs, "Customer %d,07700 9%05d,%s\n", i, i, strings.Repeat("likes blue scarves and green hats; ", 8))
		if i%3 == 0 {
			fmt.Fprintf(&ps, "07700 9%05d,2024-02-%02d,42.00\n", i, i%28+1)
		}
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(cs.String()), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader(ps.String()), ImportOptions{EarnPoints: true}); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		t.Fatal("the WAL was not checkpointed on close")
	}
	return path
}

// damagePage overwrites one page in the middle of the file with garbage.
func damagePage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	mid := (len(b) / page / 2) * page
	copy(b[mid:mid+page], bytes.Repeat([]byte{0xA5, 0x17, 0xFF, 0x00}, page/4))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func truncateHalf(t *testing.T, path string) {
	t.Helper()
	st, _ := os.Stat(path)
	if err := os.Truncate(path, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}

func TestStartupCheckPassesAGoodShop(t *testing.T) {
	path := closedShop(t)
	if err := StartupCheck(context.Background(), path); err != nil {
		t.Fatal(err)
	}
}

func TestStartupCheckRefusesBadFilesWithoutWriting(t *testing.T) {
	cases := []struct {
		name    string
		spoil   func(t *testing.T, path string)
		want    error
		mention string
	}{
		{"damaged page", damagePage, ErrDamaged, "is damaged"},
		{"truncated", truncateHalf, ErrDamaged, "is damaged"},
		{"jpeg renamed", func(t *testing.T, p string) {
			os.WriteFile(p, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), 0o600)
		}, ErrNotDatabase, "not a Regulars database"},
		{"newer schema", func(t *testing.T, p string) {
			b, _ := os.ReadFile(p)
			b[60], b[61], b[62], b[63] = 0, 0, 0, 99 // user_version in the header
			os.WriteFile(p, b, 0o600)
		}, ErrNewerSchema, "newer version"},
		{"broken ledger", func(t *testing.T, p string) {
			s, err := Open(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s.w.Exec(lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'redeem', -500, NULL, 'Owner', '', 0)")
			s.Close()
		}, ErrDamaged, "did not pass its start-up check: customer 1: the balance falls to -458"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := closedShop(t)
			c.spoil(t, path)
			before, _ := os.ReadFile(path)
			err := StartupCheck(context.Background(), path)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("error %q does not say %q", err, c.mention)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("more than one line: %q", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Error("the start-up check wrote to the file")
			}
		})
	}
}

func TestReadOnlyStoreRefusesWritesUntilAllowed(t *testing.T) {
	ctx := context.Background()
	path := closedShop(t)
	before, _ := os.ReadFile(path)
	s, err := Open(ctx, path, Options{ReadOnly: true, Today: lyDay(2024, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.CountCustomers(ctx); err != nil || n != 300 {
		t.Fatalf("read-only store reads %d customers, %v", n, err)
	}
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "Zed"}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write on a read-only store: %v", err)
	}
	if err := s.Writable(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Writable = %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a read-only store wrote to the file")
	}
	if err := s.AllowWrites(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "Zed"}); err != nil {
		t.Fatalf("write after AllowWrites: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 301 {
		t.Errorf("readers see %d customers after the write", n)
	}
	reason := fmt.Errorf("%w until it is restored", ErrReadOnly)
	s.HoldWrites(reason)
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "Yan"}); err != reason {
		t.Errorf("held write: %v", err)
	}
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "none.db"), Options{ReadOnly: true}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("read-only open of a missing file: %v", err)
	}
}

func TestPINLockHoldsOnAReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	if err := s.SetOwnerPIN(ctx, "246810"); err != nil {
		t.Fatal(err)
	}
	s.HoldWrites(nil)
	now := lyClock()
	for i := 0; i < 4; i++ {
		if err := s.CheckOwnerPIN(ctx, "000000", now); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("try %d: %v", i+1, err)
		}
	}
	if err := s.CheckOwnerPIN(ctx, "000000", now); !errors.Is(err, ErrPINLocked) {
		t.Fatalf("fifth wrong try on a read-only store: %v", err)
	}
	if err := s.CheckOwnerPIN(ctx, "246810", now.Add(59e9)); !errors.Is(err, ErrPINLocked) {
		t.Errorf("the lock did not hold: %v", err)
	}
}

func TestNewestGoodBackupSkipsDamagedOnes(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	lyCustomer(t, s, "Ann Lee")
	dir, stick := t.TempDir(), t.TempDir()
	older := filepath.Join(stick, backupName(s.Path(), at("2026-06-10 09:00")))
	if _, err := s.Backup(ctx, older); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, backupName(s.Path(), at("2026-06-12 09:00")))
	if _, err := s.Backup(ctx, newer); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, backupName("other.db", at("2026-06-13 09:00"))), []byte("x"), 0o600)
	got, err := NewestGoodBackup(ctx, s.Path(), dir, stick, filepath.Join(dir, "missing"))
	if err != nil || got.Path != newer {
		t.Fatalf("newest good = %v, %v; want %s", got.Path, err, newer)
	}
	os.WriteFile(newer, []byte("\xff\xd8\xff\xe0 a photo"), 0o600)
	got, err = NewestGoodBackup(ctx, s.Path(), dir, stick)
	if err != nil || got.Path != older {
		t.Fatalf("newest good = %v, %v; want %s", got.Path, err, older)
	}
	if got.Size == 0 || !got.Taken.Equal(at("2026-06-10 09:00")) {
		t.Errorf("backup file %+v", got)
	}
	if _, err := NewestGoodBackup(ctx, s.Path(), t.TempDir()); !errors.Is(err, ErrNotFound) {
		t.Errorf("no backups: %v", err)
	}
}

// Writes tried while the store opens for writing either wait their turn
// or are refused as read-only; none is half done.
func TestAllowWritesWhileWritesAreTried(t *testing.T) {
	ctx := context.Background()
	path := closedShop(t)
	s, err := Open(ctx, path, Options{ReadOnly: true, Today: lyDay(2024, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan int)
	go func() {
		added := 0
		for i := 0; i < 40; i++ {
			_, err := s.AddCustomer(ctx, rules.Customer{Name: fmt.Sprintf("Late %d", i)})
			switch {
			case err == nil:
				added++
			case !errors.Is(err, ErrReadOnly):
				t.Errorf("write %d: %v", i, err)
			}
		}
		done <- added
	}()
	if err := s.AllowWrites(ctx); err != nil {
		t.Fatal(err)
	}
	added := <-done
	if n, _ := s.CountCustomers(ctx); n != 300+added {
		t.Errorf("%d customers, want %d", n, 300+added)
	}
}
