package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"testing"
)

func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	dir := filepath.Join(t.TempDir(), "backups")
	path, err := s.Backup(ctx, dir+string(os.PathSeparator))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir {
		t.Errorf("backup at %s, want inside %s", path, dir)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", st.Mode().Perm())
	}
	if err := VerifyDatabaseFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	// Change the live database, then restore the backup over it.
	s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy"})
	live := s.Path()
	s.Close()
	aside, err := Restore(ctx, path, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the previous file was not kept aside: %v", err)
	}
	r, err := Open(ctx, live, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, _ := r.CountCustomers(ctx); n != 1 {
		t.Errorf("restored database has %d customers, want 1", n)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	s, _ := Open(ctx, live, Options{})
	s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	s.Close()
	jpeg := filepath.Join(dir, "photo.db")
	os.WriteFile(jpeg, []byte("\xff\xd8\xff\xe0 not a database at all, just bytes"), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	for _, p := range []string{jpeg, empty, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, p, live); err == nil {
			t.Errorf("restore from %s accepted", filepath.Base(p))
		}
	}
	r, _ := Open(ctx, live, Options{MustExist: true})
	defer r.Close()
	if n, _ := r.CountCustomers(ctx); n != 1 {
		t.Error("a refused restore changed the live database")
	}
}

func TestBackupToUnwritablePlaceLeavesDatabaseAlone(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o600)
	_, err := s.Backup(ctx, filepath.Join(blocker, "sub", "b.db"))
	if err == nil {
		t.Fatal("backup under a file succeeded")
	}
	if !strings.Contains(err.Error(), "backup") {
		t.Errorf("error should say the backup failed: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 1 {
		t.Error("database changed")
	}
	if errors.Is(err, ErrNotDatabase) {
		t.Error("wrong error kind")
	}
}
