package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

// newTestStore opens a fresh database in a temporary folder, "today" fixed.
func newTestStore(t *testing.T, today string) *Store {
	t.Helper()
	d, err := rules.ParseDay(today)
	if err != nil {
		t.Fatal(err)
	}
	return openTestShop(t, Options{
		Today: d,
		Clock: func() time.Time { return time.Date(2026, 1, 1, 10, 30, 0, 0, time.Local) },
	})
}

func TestOpenCreatesSchemaAndFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "shop.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	if err := s.w.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", v, err, SchemaVersion())
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(filepath.Dir(path))
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", dst.Mode().Perm())
	}
	for _, p := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "2"},
	} {
		var got string
		s.w.QueryRow("PRAGMA " + p.pragma).Scan(&got)
		if got != p.want {
			t.Errorf("PRAGMA %s = %s, want %s", p.pragma, got, p.want)
		}
	}
}

func TestOpenMustExistRefusesMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	_, err := Open(context.Background(), path, Options{MustExist: true})
	if !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("err = %v, want ErrNoDatabase", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("a read-only open created the file")
	}
}

func TestOpenRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		content []byte
		want    error
	}{
		{"jpeg renamed", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), ErrNotDatabase},
		{"text", []byte("name,phone\nAnn,123\n"), ErrNotDatabase},
		{"truncated header", []byte("SQLite format"), ErrNotDatabase},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".db")
			os.WriteFile(p, c.content, 0o600)
			_, err := Open(context.Background(), p, Options{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			after, _ := os.ReadFile(p)
			if string(after) != string(c.content) {
				t.Error("the refused file was changed")
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.w.Exec("PRAGMA user_version = 999")
	s.Close()
	_, err = Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "999") {
		t.Errorf("error should name the schema: %v", err)
	}
}

func TestOpenRefusesAnotherProgramsDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Make a foreign SQLite file: tables but user_version 0.
	os.Remove(path)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	raw, err := Open(context.Background(), path+".tmp", Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw.w.Exec("VACUUM INTO ?", path)
	raw.Close()
	db, _ := Open(context.Background(), path, Options{}) // a valid Regulars db copy
	db.w.Exec("PRAGMA user_version = 0")
	db.Close()
	_, err = Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("err = %v, want ErrNotDatabase", err)
	}
}

func TestLedgerIsAppendOnly(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (?, '2026-06-01 10:00:00', '2026-06-01', 'adjustment', 5, 'Owner', 'gift')", id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("UPDATE ledger SET points = 500"); err == nil {
		t.Error("a ledger row was changed")
	}
	if _, err := s.w.Exec("DELETE FROM ledger"); err == nil {
		t.Error("a ledger row was deleted")
	}
}

func TestSettingsRoundTripAndDefaults(t *testing.T) {
	s := newTestStore(t, "2026-06-01")
	ctx := context.Background()
	r, err := s.Rules(ctx)
	if err != nil || r[rules.KindThankYou].AfterDays != 1 || r[rules.KindCheckIn].MinCents != 5000 {
		t.Fatalf("default rules wrong: %+v %v", r[rules.KindThankYou], err)
	}
	r[rules.KindThankYou] = rules.Rule{On: false, AfterDays: 2, StayDays: 10, GapDays: 20}
	if err := s.SetRules(ctx, r); err != nil {
		t.Fatal(err)
	}
	r2, _ := s.Rules(ctx)
	if r2[rules.KindThankYou] != r[rules.KindThankYou] {
		t.Errorf("rules not stored: %+v", r2[rules.KindThankYou])
	}
	bad := rules.DefaultRules()
	bad[rules.KindCheckIn] = rules.Rule{On: true, AfterDays: -1}
	if err := s.SetRules(ctx, bad); err == nil {
		t.Error("negative days accepted")
	}
	if err := s.SetLoyalty(ctx, rules.Loyalty{CentsPerPoint: 0, RewardPoints: 100, RewardValue: 500}); err == nil {
		t.Error("zero cents per point accepted")
	}
	created, err := s.CreatedOn(ctx)
	if err != nil || created.String() != "2026-06-01" {
		t.Errorf("created_on = %v, %v", created, err)
	}
}

// Schema versions are the migrations' positions: a gap or a duplicate number
// would make two builds disagree about what version N means.
func TestMigrationsAreNumberedInOrder(t *testing.T) {
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 || len(names) != SchemaVersion() {
		t.Fatalf("%d migrations, schema version %d", len(names), SchemaVersion())
	}
	for i, n := range names {
		if want := fmt.Sprintf("%03d_", i+1); !strings.HasPrefix(n, want) {
			t.Errorf("migration %d is %s, want a name starting %s", i+1, n, want)
		}
	}
}

// Each kind of kept row is used from the schema that makes it: the
// numbers in the code are those of their migrations, whatever order
// the migrations were numbered in.
func TestKeptRowsSchemasAreTheirMigrations(t *testing.T) {
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema int
		file   string
	}{
		{summarySchema, "_customer_summary.sql"},
	} {
		if c.schema < 1 || c.schema > len(names) || !strings.HasSuffix(names[c.schema-1], c.file) {
			t.Errorf("schema %d is not the one of the migration ending %s (%v)", c.schema, c.file, names)
		}
	}
}
