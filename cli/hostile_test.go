package cli

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files named with the characters a SQLite address gives a meaning to:
// '?' starts its query and '#' its fragment.
func TestPathsWithQuestionMarksAndHashes(t *testing.T) {
	_, db := bigShop(t)
	root := t.TempDir()
	folder := filepath.Join(root, "Shop #2?x=1") + string(os.PathSeparator)
	r := run(t, "backup", "--db", db, "--to", folder)
	if r.code != 0 {
		t.Fatalf("backup into %q: %s", folder, r.stderr)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(r.stdout, "backup written to "))
	if filepath.Dir(backup) != filepath.Clean(folder) {
		t.Fatalf("backup went to %s, not into %s", backup, folder)
	}
	odd := filepath.Join(root, "ok?x.db")
	if err := os.Rename(backup, odd); err != nil {
		t.Fatal(err)
	}
	// A decoy where the truncated address would point.
	writeFile(t, root, "ok", "not a database")
	shop := filepath.Join(root, "Shop #2?x=1", "shop #1.db")
	if r := run(t, "restore", odd, "--db", shop); r.code != 0 {
		t.Fatalf("restore from %s: %s", odd, r.stderr)
	}
	if r := run(t, "check", "--db", shop); r.code != 0 || !strings.Contains(r.stdout, "(400 customers)") {
		t.Fatalf("check %s: %s%s", shop, r.stdout, r.stderr)
	}
	if r := run(t, "sale", "--db", shop, "--customer", "4", "--amount", "5.00"); r.code != 0 {
		t.Fatalf("sale on %s: %s", shop, r.stderr)
	}
	if r := run(t, "backup", "--db", shop); r.code != 0 {
		t.Fatalf("second backup folder: %s", r.stderr)
	}
	for _, name := range []string{"ok", "Shop "} {
		if _, err := os.Stat(filepath.Join(root, name+"-wal")); err == nil {
			t.Errorf("a file named after the cut address was made: %s-wal", name)
		}
	}
}

// folderState is every file in dir with a hash of its content.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return out
}

// foreignSQLite is another program's SQLite file, in the rollback-journal
// mode SQLite starts files in.
func foreignSQLite(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("CREATE TABLE recipes(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes(name) VALUES ('bread')"); err != nil {
		t.Fatal(err)
	}
}

func TestReadOnlyCommandsWriteNothing(t *testing.T) {
	_, shop := bigShop(t)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if r := run(t, "backup", "--db", shop, "--to", backup); r.code != 0 {
		t.Fatal(r.stderr)
	}
	foreign := filepath.Join(dir, "recipes.db")
	foreignSQLite(t, foreign)
	empty := writeFile(t, dir, "empty.db", "")
	readers := [][]string{
		{"check"},
		{"today"},
		{"today", "--format", "csv"},
		{"export", "customers"},
		{"export", "ledger"},
		{"export", "ics"},
		{"backup", "--to", filepath.Join(t.TempDir(), "copy.db")},
	}
	for _, c := range []struct {
		file string
		ok   bool
		says string
	}{
		{backup, true, ""},
		{foreign, false, "not a Regulars database"},
		{empty, false, "empty"},
	} {
		before := folderState(t, dir)
		for _, args := range readers {
			r := run(t, append(args, "--db", c.file)...)
			if c.ok && r.code != 0 {
				t.Errorf("%v on %s: exit %d %s", args, filepath.Base(c.file), r.code, r.stderr)
			}
			if !c.ok && (r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, c.says)) {
				t.Errorf("%v on %s: exit %d %q; want one sentence saying %q", args, filepath.Base(c.file), r.code, r.stderr, c.says)
			}
			if after := folderState(t, dir); !maps.Equal(before, after) {
				t.Fatalf("%v on %s changed the folder:\nbefore %v\nafter  %v", args, filepath.Base(c.file), before, after)
			}
		}
	}
	// Writing commands refuse the files that are not shops, before writing anything.
	before := folderState(t, dir)
	for _, file := range []string{foreign, empty} {
		for _, args := range [][]string{
			{"sale", "--customer", "1", "--amount", "5.00"},
			{"import", "customers", writeFile(t, t.TempDir(), "c.csv", "name\nAnn\n")},
			{"demo", "--customers", "5"},
		} {
			r := run(t, append(args, "--db", file)...)
			if r.code != 1 || !oneSentence(r.stderr) {
				t.Errorf("%v on %s: exit %d %q", args, filepath.Base(file), r.code, r.stderr)
			}
		}
	}
	if after := folderState(t, dir); !maps.Equal(before, after) {
		t.Fatalf("a refused write changed the folder:\nbefore %v\nafter  %v", before, after)
	}
}

// Only demo, import and restore make a database; every other command
// refuses a missing file in one sentence and makes nothing.
func TestMissingDatabaseIsMadeOnlyByDemoImportAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	for _, args := range [][]string{
		{"sale", "--customer", "1", "--amount", "5.00"},
		{"today"},
		{"check"},
		{"export", "customers"},
		{"export", "ics"},
		{"backup"},
		{"backup", "--to", filepath.Join(dir, "b.db")},
	} {
		r := run(t, append(args, "--db", db)...)
		if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "no database at "+db) {
			t.Errorf("%v on a missing file: exit %d %q", args, r.code, r.stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%v on a missing file made %v", args, entries)
		}
	}
	if r := run(t, "import", "customers", writeFile(t, t.TempDir(), "c.csv", "name\nAnn\n"), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Fatal(r.stdout, r.stderr)
	}
}
