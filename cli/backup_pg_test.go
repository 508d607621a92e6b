package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"regulars/data/pgtest"
)

// pgDatabase makes another empty database on the server of the test
// database dsn and returns its DSN.
func pgDatabase(t *testing.T, dsn, name string) string {
	t.Helper()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE DATABASE "` + name + `"`); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(dsn, "dbname='regulars'", "dbname='"+name+"'", 1)
}

// demoOnPostgres makes a demo shop of the given size ending on day, in a
// file in dir, and migrates it into a throwaway PostgreSQL; it returns the
// database's DSN and its postgres:// address.
func demoOnPostgres(t *testing.T, dir, customers, day string) (dsn, pg string) {
	t.Helper()
	shop := filepath.Join(dir, "shop.db")
	if r := run(t, "demo", "--db", shop, "--customers", customers, "--seed", "6", "--date", day); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	dsn = pgtest.Start(t)
	pg = pgURL(t, dsn)
	if r := run(t, "migrate", "--to", pg, "--db", shop, "--date", day); r.code != 0 {
		t.Fatalf("migrate: %d %q %q", r.code, r.stdout, r.stderr)
	}
	return dsn, pg
}

var backupLine = regexp.MustCompile(`^backup written to (.+)\n$`)

// A shop on PostgreSQL backed up into a file: the file restores into a new
// file and into another PostgreSQL database, and every export of both is
// the shop's, byte for byte; both pass check. Restoring over a shop on
// PostgreSQL keeps what it held in a backup first. A damaged backup, or a
// file that is not one, is refused in one sentence and leaves the shop on
// PostgreSQL as it was.
func TestBackupAndRestoreOnPostgres(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const day = "2026-06-15"
	dsn, pg := demoOnPostgres(t, dir, "50", day)
	// The shop's own backup folder, and a file named by --to.
	r := run(t, "backup", "--db", pg)
	if m := backupLine.FindStringSubmatch(r.stdout); r.code != 0 || m == nil ||
		!regexp.MustCompile(`/data/regulars/backups/postgres-regulars-\d{4}-\d\d-\d\d-\d{6}\.db$`).MatchString(m[1]) {
		t.Errorf("backup into the default folder: %d %q %q", r.code, r.stdout, r.stderr)
	}
	backup := filepath.Join(dir, "pg-backup.db")
	r = run(t, "backup", "--db", pg, "--to", backup)
	if r.code != 0 || r.stdout != "backup written to "+backup+"\n" {
		t.Fatalf("backup --to: %d %q %q", r.code, r.stdout, r.stderr)
	}

	restored := filepath.Join(dir, "restored.db")
	if r := run(t, "restore", backup, "--db", restored); r.code != 0 || r.stdout != "restored "+restored+" from "+backup+"\n" {
		t.Fatalf("restore into a file: %d %q %q", r.code, r.stdout, r.stderr)
	}
	sameExports(t, pg, restored, day)
	if c := run(t, "check", "--db", restored); c.code != 0 {
		t.Errorf("check of the restored file: %d %q %q", c.code, c.stdout, c.stderr)
	}

	other := pgURL(t, pgDatabase(t, dsn, "other"))
	r = run(t, "restore", backup, "--db", other)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "restored postgres://postgres@/other?") || !strings.HasSuffix(r.stdout, " from "+backup+"\n") {
		t.Fatalf("restore into an empty database: %d %q %q", r.code, r.stdout, r.stderr)
	}
	sameExports(t, pg, other, day)
	if c := run(t, "check", "--db", other); c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ") {
		t.Errorf("check of the restored database: %d %q %q", c.code, c.stdout, c.stderr)
	}

	// Over a shop: a sale there first, kept in the backup made before.
	if s := run(t, "sale", "--db", other, "--customer", "1", "--amount", "10.00", "--date", day); s.code != 0 {
		t.Fatalf("sale: %d %s", s.code, s.stderr)
	}
	r = run(t, "restore", backup, "--db", other, "--date", day)
	m := regexp.MustCompile(`; the previous file was kept as (.+)\n$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("restore over a shop: %d %q %q", r.code, r.stdout, r.stderr)
	}
	for _, what := range []string{"purchases", "ledger"} {
		if exportOf(t, pg, what, day) != exportOf(t, other, what, day) {
			t.Errorf("export %s differs after the second restore", what)
		}
	}
	kept := filepath.Join(dir, "kept.db")
	if r := run(t, "restore", m[1], "--db", kept); r.code != 0 {
		t.Fatalf("the kept contents do not restore: %d %q", r.code, r.stderr)
	}
	if a, b := exportOf(t, pg, "purchases", day), exportOf(t, kept, "purchases", day); strings.Count(b, "\n") != strings.Count(a, "\n")+1 {
		t.Errorf("the kept contents have %d purchase lines, the backup %d: the sale is not there", strings.Count(b, "\n"), strings.Count(a, "\n"))
	}

	// Damaged backups change nothing.
	before := map[string]string{}
	touched := []string{"customers", "purchases", "ledger"}
	for _, what := range touched {
		before[what] = exportOf(t, other, what, day)
	}
	damaged := filepath.Join(dir, "damaged.db")
	body, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(body) / 2; i < len(body)/2+4096 && i < len(body); i++ {
		body[i] = 0x5a
	}
	if err := os.WriteFile(damaged, body, 0o600); err != nil {
		t.Fatal(err)
	}
	notOne := writeFile(t, dir, "customers.csv", "name,phone\nAda,0123\n")
	for _, bad := range []string{damaged, notOne, filepath.Join(dir, "missing.db")} {
		r := run(t, "restore", bad, "--db", other)
		msg := strings.TrimSpace(r.stderr)
		if r.code != 1 || r.stdout != "" || !strings.HasPrefix(msg, "regulars: ") || strings.Contains(msg, "\n") {
			t.Errorf("restore from %s: %d %q %q", filepath.Base(bad), r.code, r.stdout, r.stderr)
		}
		t.Logf("restore from %s: %s", filepath.Base(bad), msg)
	}
	for _, what := range touched {
		if exportOf(t, other, what, day) != before[what] {
			t.Errorf("export %s changed after the refused restores", what)
		}
	}
}

// check on PostgreSQL reads the rows themselves: a row naming a customer
// that is not there, slipped in past PostgreSQL's own guard, is a
// problem, named as the file's check names it.
func TestCheckOnPostgresFindsOrphans(t *testing.T) {
	t.Parallel()
	dsn, pg := demoOnPostgres(t, t.TempDir(), "30", "2026-06-15")
	if c := run(t, "check", "--db", pg); c.code != 0 {
		t.Fatalf("check before: %d %q %q", c.code, c.stdout, c.stderr)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"SET session_replication_role = replica",
		"INSERT INTO contacts(id, customer_id, at, day, channel) VALUES (9001, 777, '2026-06-01 10:00:00', '2026-06-01', 'phone')",
		"SET session_replication_role = origin",
	} {
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	c := run(t, "check", "--db", pg)
	if c.code != 1 || !strings.Contains(c.stdout, "problem: contacts row 9001 refers to a customers row that does not exist\n") ||
		!strings.Contains(c.stderr, "has 1 problem") {
		t.Errorf("check with an orphan: %d %q %q", c.code, c.stdout, c.stderr)
	}
}
