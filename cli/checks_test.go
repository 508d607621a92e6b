package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damageTablePage overwrites with garbage the leaf page in the middle of
// table's pages (found with SQLite's dbstat).
func damageTablePage(t *testing.T, path, table string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var pages []int
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		rows.Scan(&n)
		pages = append(pages, n)
	}
	rows.Close()
	var size int
	db.QueryRow("PRAGMA page_size").Scan(&size)
	db.Close()
	if len(pages) < 3 {
		t.Fatalf("%s has %d leaf pages; the test needs a page in the middle", table, len(pages))
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte("\xde\xad\xbe\xef"), size/4), int64(pages[len(pages)/2]-1)*int64(size)); err != nil {
		t.Fatal(err)
	}
}

// A command reads the file's first page before it starts, not the whole
// file: a page damaged deep inside, in a table `today` does not read,
// leaves `today` as it was, and `check` and `backup` find it. A read that
// meets it says so in one sentence.
func TestADamagedPageDeepInsideIsFoundByWhatReadsIt(t *testing.T) {
	t.Parallel()
	_, shop := bigShop(t)
	// The audit log is read by no command but check and backup.
	db, err := sql.Open("sqlite", shop)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 600; i++ {
		if _, err := db.Exec("INSERT INTO audit(at, staff, action, subject) VALUES ('2026-01-01 10:00:00', 'Owner', 'note', ?)",
			fmt.Sprintf("an old note %d %s", i, strings.Repeat("x", 80))); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before := run(t, "today", "--db", shop, "--format", "json")
	if before.code != 0 {
		t.Fatal(before.stderr)
	}
	damageTablePage(t, shop, "audit")

	after := run(t, "today", "--db", shop, "--format", "json")
	if after.code != 0 || after.stdout != before.stdout {
		t.Errorf("today on a file damaged where it does not read: exit %d %q", after.code, after.stderr)
	}
	if r := run(t, "export", "customers", "--db", shop); r.code != 0 || !strings.Contains(r.stdout, "Customer 7") {
		t.Errorf("export customers: exit %d %q", r.code, r.stderr)
	}
	r := run(t, "check", "--db", shop)
	if r.code != 1 || !strings.Contains(r.stdout, "problem: the database file is damaged") || !oneSentence(r.stderr) {
		t.Errorf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	r = run(t, "backup", "--db", shop, "--to", to)
	if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, shop+" is damaged") {
		t.Errorf("backup: exit %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(to); err == nil {
		t.Error("a backup of the damaged file was written")
	}

	// Damage where the command reads is one sentence, never a trace.
	damageTablePage(t, shop, "customers")
	r = run(t, "export", "customers", "--db", shop)
	if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "is damaged") || !strings.Contains(r.stderr, "restore it from a backup") {
		t.Errorf("export customers over a damaged page: exit %d %q", r.code, r.stderr)
	}
}

// Files that are not a shop of this build are refused from their header
// by every command, in one sentence, and left as they are.
func TestForeignFilesAreRefusedInOneSentence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sqliteFile := func(name string, stmts ...string) string {
		path := filepath.Join(dir, name)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range stmts {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		return path
	}
	_, shop := smallShop(t)
	newer, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	newer[60], newer[61], newer[62], newer[63] = 0, 0, 1, 0 // schema 256
	files := map[string]struct{ path, says string }{
		"a map's tiles": {sqliteFile("tiles.db", "PRAGMA application_id = 1297105492", "CREATE TABLE tiles(z, x, y, data)"),
			`another program: application id "MPBT"`},
		"another program's tables": {sqliteFile("notes.db", "CREATE TABLE notes(body)", "PRAGMA user_version = 2"), "another program"},
		"a text file":              {writeFile(t, dir, "notes.txt", "shopping list\n"), "not an SQLite file"},
		"a newer shop":             {writeFile(t, dir, "newer.db", string(newer)), "update Regulars to open it"},
	}
	for name, f := range files {
		before, _ := os.ReadFile(f.path)
		for _, c := range [][]string{{"today"}, {"check"}, {"export", "customers"}, {"backup", "--to", filepath.Join(dir, "never.db")}} {
			r := run(t, append(c, "--db", f.path)...)
			if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, f.says) {
				t.Errorf("%s, %v: exit %d %q, want one sentence saying %q", name, c, r.code, r.stderr, f.says)
			}
		}
		if after, _ := os.ReadFile(f.path); !bytes.Equal(before, after) {
			t.Errorf("%s was changed", name)
		}
	}
}
