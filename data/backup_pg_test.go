package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/data/pgtest"
	"regulars/rules"
)

// schema16 turns the shop file at path back into schema 16, as Regulars
// made it before tills had names.
func schema16(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteURI(path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"DROP TRIGGER ledger_no_update",
		`CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
WHEN NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.day <> OLD.day OR NEW.kind <> OLD.kind
  OR NEW.points <> OLD.points OR NEW.purchase_id IS NOT OLD.purchase_id OR NEW.staff <> OLD.staff
  OR NEW.reason <> OLD.reason OR NEW.shortfall <> OLD.shortfall
BEGIN SELECT RAISE(ABORT, 'the loyalty ledger is append-only'); END`,
		"DROP INDEX reminder_states_changed",
		"CREATE INDEX reminder_states_changed ON reminder_states(changed_on, state, kind, customer_id, due, key)",
		"ALTER TABLE purchases DROP COLUMN till",
		"ALTER TABLE ledger DROP COLUMN till",
		"ALTER TABLE contacts DROP COLUMN till",
		"ALTER TABLE audit DROP COLUMN till",
		"PRAGMA user_version = 16",
		"PRAGMA journal_mode = DELETE",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := VerifyDatabaseFile(context.Background(), path); err != nil {
		t.Fatalf("the schema 16 shop does not verify: %v", err)
	}
}

// A backup made before tills had names (schema 16) passes the full check
// and restores into a file and into a shop on PostgreSQL: brought up to
// date on the way, its rows at no till, every export the backup's own.
func TestOldBackupRestoresIntoPostgres(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	s, err := Open(ctx, old, Options{Today: end})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 40, Seed: 3, End: end}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	schema16(t, old)

	lite, err := Open(ctx, old, Options{Today: end, ReadOnly: true}) // left at schema 16
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	var pg *Store
	for _, where := range []string{pgSocketURL(t, pgtest.Shared(t)), filepath.Join(dir, "restored.db")} {
		if _, err := Restore(ctx, old, where); err != nil {
			t.Fatal(err)
		}
		restored, err := Open(ctx, where, Options{Today: end, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		if what, err := CompareShops(ctx, lite, restored); what != "" || err != nil {
			t.Errorf("the %s of the shop restored into %s differs from the backup's (%v)", what, restored.Path(), err)
		}
		if pg == nil {
			pg = restored
		}
	}
	var version int
	if err := lite.reader().QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != 16 {
		t.Errorf("the backup is at schema %d (%v), want 16", version, err)
	}
	var tills int
	if err := pg.reader().QueryRowContext(ctx, "SELECT count(*) FROM purchases WHERE till <> ''").Scan(&tills); err != nil || tills != 0 {
		t.Errorf("%d purchases with a till (%v)", tills, err)
	}
	var b bytes.Buffer
	if err := pg.ExportCSV(ctx, "purchases", &b); err != nil || bytes.Count(b.Bytes(), []byte("\n")) < 40 {
		t.Errorf("purchases export: %d lines, %v", bytes.Count(b.Bytes(), []byte("\n")), err)
	}
}

// A till whose PostgreSQL role may read and write the shop but does not
// own its tables opens it and sells, but cannot restore a backup over it:
// it says so in one sentence, and the shop is as it was.
func TestRestoreByARoleThatDoesNotOwnTheShop(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Shared(t)
	owner, err := Open(ctx, pgSocketURL(t, dsn), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	ada, err := owner.AddCustomer(ctx, rules.Customer{Name: "Ada Lovelace", Phone: "0612345678"})
	if err != nil {
		t.Fatal(err)
	}
	role := fmt.Sprintf("till_%d", time.Now().UnixNano())
	for _, q := range []string{
		"CREATE ROLE " + role + " LOGIN",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
		"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + role,
	} {
		if _, err := owner.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	backup := filepath.Join(t.TempDir(), "other.db")
	other, err := Open(ctx, backup, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.AddCustomer(ctx, rules.Customer{Name: "Grace Hopper", Phone: "0698765432"}); err != nil {
		t.Fatal(err)
	}
	other.Close()

	asTill := strings.Replace(pgSocketURL(t, dsn), "postgres://postgres@", "postgres://"+role+"@", 1)
	if asTill == pgSocketURL(t, dsn) {
		t.Fatalf("no user to replace in %s", asTill)
	}
	// The till's daily work needs no more than the rights it has.
	till, err := Open(ctx, asTill, Options{})
	if err != nil {
		t.Fatalf("a till whose role does not own the shop: %v", err)
	}
	if _, err := till.RecordSale(ctx, Sale{CustomerID: ada, Amount: 2500}); err != nil {
		t.Errorf("a sale at that till: %v", err)
	}
	till.Close()
	_, err = Restore(ctx, backup, asTill)
	if !errors.Is(err, ErrNoRight) {
		t.Fatalf("a restore by a role that does not own the shop: %v", err)
	}
	if msg := err.Error(); strings.Count(msg, ". ") > 0 || strings.Contains(msg, "SQLSTATE") || !strings.Contains(msg, "nothing was changed") {
		t.Errorf("not one plain sentence: %q", msg)
	}
	t.Logf("refused: %q", err)
	cs, err := owner.Customers(ctx)
	if err != nil || len(cs) != 1 || cs[0].Name != "Ada Lovelace" {
		t.Errorf("the shop after the refused restore: %+v %v", cs, err)
	}
}
