package cli

import (
	"crypto/sha256"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"regulars/data/pgtest"
)

// exportsCompared are every export migrate compares, as the command line
// writes them.
var exportsCompared = []string{"customers", "purchases", "ledger", "contacts", "reminders", "complaints", "ics"}

// exportOf is one export of the shop at db on day, the calendar without
// its DTSTAMP lines (the time it was written).
func exportOf(t *testing.T, db, what, day string) string {
	t.Helper()
	r := run(t, "export", what, "--db", db, "--date", day)
	if r.code != 0 {
		t.Fatalf("export %s --db %s: %d %s", what, db, r.code, r.stderr)
	}
	if what != "ics" {
		return r.stdout
	}
	var keep []string
	for _, line := range strings.SplitAfter(r.stdout, "\n") {
		if !strings.HasPrefix(line, "DTSTAMP") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// sameExports: every export of a and b is byte for byte the same.
func sameExports(t *testing.T, a, b, day string) {
	t.Helper()
	for _, what := range exportsCompared {
		x, y := exportOf(t, a, what, day), exportOf(t, b, what, day)
		if x != y {
			t.Errorf("export %s of %s and %s differ (%d and %d bytes)", what, a, b, len(x), len(y))
		} else if len(strings.Split(x, "\n")) < 3 && what != "complaints" {
			t.Errorf("export %s of %s is nearly empty: %q", what, a, x)
		}
	}
}

// fileSums is what the shop file at path holds: its bytes and those of
// its write-ahead log.
func fileSums(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range []string{"", "-wal"} {
		body, err := os.ReadFile(path + f)
		if err == nil && len(body) > 0 {
			fmt.Fprintf(&b, "%s %x;", f, sha256.Sum256(body))
		}
	}
	return b.String()
}

var migratedLine = regexp.MustCompile(`^migrated (\d+) customers, (\d+) purchases, (\d+) ledger rows to (.+); every export matches\n$`)

// A shop file copied to another file: every export alike, the copy passes
// check; a second copy into it, a missing source and the source itself as
// the target are refused in one sentence with nothing written.
func TestMigrateFileToFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const day = "2026-06-15"
	shop := filepath.Join(dir, "shop.db")
	other := filepath.Join(dir, "other.db")
	if r := run(t, "demo", "--db", shop, "--customers", "120", "--seed", "3", "--date", day); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	t0 := time.Now()
	r := run(t, "migrate", "--to", other, "--db", shop, "--date", day)
	took := time.Since(t0)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("migrate: %d %q %q", r.code, r.stdout, r.stderr)
	}
	m := migratedLine.FindStringSubmatch(r.stdout)
	if m == nil || m[1] != "120" || m[2] == "0" || m[3] == "0" || m[4] != other {
		t.Fatalf("migrate said %q", r.stdout)
	}
	t.Logf("%s(%v)", r.stdout, took.Round(time.Millisecond))
	sameExports(t, shop, other, day)
	for _, db := range []string{shop, other} {
		for _, f := range []string{"text", "json", "csv"} {
			a := run(t, "today", "--db", shop, "--date", day, "--format", f)
			b := run(t, "today", "--db", db, "--date", day, "--format", f)
			if a.code != 0 || a.stdout != b.stdout {
				t.Errorf("today --format %s differs on %s", f, db)
			}
		}
	}
	if c := run(t, "check", "--db", other); c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ") {
		t.Errorf("check of the copy: %d %q %q", c.code, c.stdout, c.stderr)
	}
	// The copy is a shop like any other: a sale goes on from the copied ids.
	if s := run(t, "sale", "--db", other, "--customer", "1", "--amount", "10.00", "--date", day); s.code != 0 {
		t.Errorf("a sale in the copy: %d %s", s.code, s.stderr)
	}

	oneSentence := func(what string, r result) {
		t.Helper()
		msg := strings.TrimSpace(r.stderr)
		if r.code == 0 || r.stdout != "" || !strings.HasPrefix(msg, "regulars: ") || strings.Count(msg, "\n") > 0 || strings.Count(msg, ". ") > 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", what, r.code, r.stdout, r.stderr)
		}
	}
	before := fileSums(t, other)
	r = run(t, "migrate", "--db="+shop, "--to="+other, "--date", day)
	oneSentence("a second migrate into a shop", r)
	if !strings.Contains(r.stderr, "already holds a shop") {
		t.Errorf("a second migrate: %q", r.stderr)
	}
	if after := fileSums(t, other); after != before {
		t.Errorf("the target changed: %s, then %s", before, after)
	}

	missing := filepath.Join(dir, "missing.db")
	fresh := filepath.Join(dir, "fresh.db")
	r = run(t, "migrate", "--to", fresh, "--db", missing)
	oneSentence("a missing source", r)
	for _, p := range []string{missing, fresh} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was made", p)
		}
	}
	r = run(t, "migrate", "--to", dir+"/./"+filepath.Base(shop), "--db", shop)
	oneSentence("the source as the target", r)
	r = run(t, "migrate", "--db", shop)
	if r.code != 2 {
		t.Errorf("migrate without --to: %d %q", r.code, r.stderr)
	}
}

// pgURL is the postgres:// address of the test database dsn names.
func pgURL(t *testing.T, dsn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable", cfg.User, cfg.Database, url.QueryEscape(cfg.Host), cfg.Port)
}

// A shop file copied to PostgreSQL reads the same there (today in every
// format, every export), and copied back into a file is the same shop.
func TestMigrateThroughPostgres(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const day = "2026-06-15"
	shop := filepath.Join(dir, "shop.db")
	if r := run(t, "demo", "--db", shop, "--customers", "120", "--seed", "4", "--date", day); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	pg := pgURL(t, pgtest.Shared(t))

	t0 := time.Now()
	r := run(t, "migrate", "--to", pg, "--db", shop, "--date", day)
	if r.code != 0 || migratedLine.FindStringSubmatch(r.stdout) == nil {
		t.Fatalf("migrate to PostgreSQL: %d %q %q", r.code, r.stdout, r.stderr)
	}
	t.Logf("%s(%v)", r.stdout, time.Since(t0).Round(time.Millisecond))

	for _, f := range []string{"text", "json", "csv"} {
		a := run(t, "today", "--db", shop, "--date", day, "--format", f)
		b := run(t, "today", "--db", pg, "--date", day, "--format", f)
		if a.code != 0 || b.code != 0 || a.stdout != b.stdout || len(a.stdout) < 100 {
			t.Errorf("today --format %s: file %d (%d bytes), PostgreSQL %d (%d bytes) %s", f, a.code, len(a.stdout), b.code, len(b.stdout), b.stderr)
		}
	}
	// REGULARS_DB names the PostgreSQL shop as --db does.
	cmd := exec.Command(binary, "export", "customers", "--date", day)
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TZ=UTC", "REGULARS_DB=" + pg}
	out, err := cmd.Output()
	if a := exportOf(t, shop, "customers", day); err != nil || string(out) != a {
		t.Errorf("export customers with REGULARS_DB on PostgreSQL: %v, %d bytes, want %d", err, len(out), len(a))
	}
	sameExports(t, shop, pg, day)

	r = run(t, "migrate", "--to", pg, "--db", shop, "--date", day)
	if r.code == 0 || !strings.Contains(r.stderr, "already holds a shop") {
		t.Errorf("a second migrate into PostgreSQL: %d %q", r.code, r.stderr)
	}

	back := filepath.Join(dir, "back.db")
	t1 := time.Now()
	r = run(t, "migrate", "--to", back, "--db", pg, "--date", day)
	if r.code != 0 || migratedLine.FindStringSubmatch(r.stdout) == nil {
		t.Fatalf("migrate back from PostgreSQL: %d %q %q", r.code, r.stdout, r.stderr)
	}
	t.Logf("%s(%v)", r.stdout, time.Since(t1).Round(time.Millisecond))
	sameExports(t, shop, back, day)
	if c := run(t, "check", "--db", back); c.code != 0 {
		t.Errorf("check of the file brought back: %d %q %q", c.code, c.stdout, c.stderr)
	}

	// The other commands on PostgreSQL: a sale, then check.
	s := run(t, "sale", "--db", pg, "--customer", "1", "--amount", "10.00", "--date", day)
	f := run(t, "sale", "--db", back, "--customer", "1", "--amount", "10.00", "--date", day)
	if s.code != 0 || s.stdout != f.stdout {
		t.Errorf("a sale on PostgreSQL: %d %q %q; in the file %q", s.code, s.stdout, s.stderr, f.stdout)
	}
	c := run(t, "check", "--db", pg)
	t.Logf("check on PostgreSQL: %d %q %q", c.code, c.stdout, c.stderr)
	if c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ") || strings.Count(c.stdout, "\n") != 1 {
		t.Errorf("check on PostgreSQL: %d %q %q", c.code, c.stdout, c.stderr)
	}
}
