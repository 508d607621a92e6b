package cli

import (
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
