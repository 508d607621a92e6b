package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"regulars/data"
)

// runEnv runs the real binary with a clean environment plus extra variables.
func runEnv(t *testing.T, extra []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"), "PATH=" + os.Getenv("PATH"), "TZ=UTC"}, extra...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := result{out.String(), errb.String(), code}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("stack trace on stderr:\n%s", r.stderr)
	}
	return r
}

// oneSentence reports whether stderr is exactly one line "regulars: ….".
func oneSentence(stderr string) bool {
	return regexp.MustCompile(`^regulars: [^\n]+\.\n$`).MatchString(stderr)
}

// bigShop is a real database of a few hundred customers, large enough that
// their table fills many pages.
func bigShop(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "shop.db")
	var b strings.Builder
	b.WriteString("name,phone,email,notes\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "Customer %d,07700 9%05d,c%d@example.com,%s\n", i, i, i, strings.Repeat("likes blue scarves and green hats ", 6))
	}
	if r := run(t, "import", "customers", writeFile(t, dir, "c.csv", b.String()), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for i := 1; i <= 5; i++ {
		if r := run(t, "sale", "--db", db, "--customer", fmt.Sprint(i), "--amount", "42.00"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	return dir, db
}

func TestBadDatabaseFilesGiveOneSentenceFromEveryCommand(t *testing.T) {
	t.Parallel()
	dir, good := bigShop(t)
	backup := filepath.Join(dir, "good-backup.db")
	if r := run(t, "backup", "--db", good, "--to", backup); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if st, err := os.Stat(good + "-wal"); err == nil && st.Size() > 0 {
		t.Fatalf("the WAL was left with %d bytes; the file tests need it checkpointed", st.Size())
	}
	content, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	customers := writeFile(t, dir, "more.csv", "name,phone\nNew Person,07700 800001\n")
	spoilt := map[string][]byte{
		"truncated": content[:len(content)/2],
		// A page of a table: a backup copies every table's rows and so
		// meets it (a damaged index page is rebuilt in the copy instead).
		"damaged page": func() []byte {
			spoilt := filepath.Join(t.TempDir(), "spoilt.db")
			if err := os.WriteFile(spoilt, content, 0o600); err != nil {
				t.Fatal(err)
			}
			damageTablePage(t, spoilt, "customers")
			b, err := os.ReadFile(spoilt)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}(),
		"jpeg renamed": []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 and then pixels"),
		"newer schema": func() []byte {
			b := append([]byte{}, content...)
			b[60], b[61], b[62], b[63] = 0, 0, 0, 42 // user_version
			return b
		}(),
	}
	commands := [][]string{
		{"today"},
		{"today", "--format", "json"},
		{"sale", "--customer", "3", "--amount", "10.00"},
		{"export", "customers"},
		{"export", "ledger"},
		{"export", "ics"},
		{"import", "customers", customers},
		{"backup", "--to", filepath.Join(dir, "never.db")},
		{"check"},
	}
	for name, bytes_ := range spoilt {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "shop.db")
			if err := os.WriteFile(db, bytes_, 0o600); err != nil {
				t.Fatal(err)
			}
			cmds := commands
			if name == "jpeg renamed" || name == "newer schema" {
				// Refused before any window code runs, so the bare command is testable here.
				cmds = append(cmds, []string{})
			}
			for _, c := range cmds {
				r := run(t, append(c, "--db", db)...)
				if name == "damaged page" && r.code == 0 && c[0] != "check" && c[0] != "backup" {
					// Commands read the first page before they start, not
					// every page: one that never meets the damaged page
					// does its work, and check and backup find it.
					bytes_, _ = os.ReadFile(db)
					continue
				}
				if r.code != 1 || !oneSentence(r.stderr) {
					t.Errorf("%v: exit %d, stderr %q; want exit 1 and one sentence", c, r.code, r.stderr)
				}
				if strings.Contains(r.stdout, "purchase ") || strings.Contains(r.stdout, "backup written") {
					t.Errorf("%v reported success: %q", c, r.stdout)
				}
				if after, _ := os.ReadFile(db); !bytes.Equal(after, bytes_) {
					t.Fatalf("%v changed the bad file", c)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "never.db")); err == nil {
				t.Error("a backup of a bad file was written")
			}
			// Restoring the good backup over it mends the shop.
			r := run(t, "restore", backup, "--db", db)
			if r.code != 0 || !strings.Contains(r.stdout, "kept as") {
				t.Fatalf("restore: exit %d %s%s", r.code, r.stdout, r.stderr)
			}
			if r := run(t, "check", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "(400 customers)") {
				t.Errorf("check after restore: %s%s", r.stdout, r.stderr)
			}
		})
	}
}

func TestSecondWindowIsRefusedBeforeAnyWindowOpens(t *testing.T) {
	t.Parallel()
	_, db := bigShop(t)
	release, err := data.LockWindow(db)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	// No DISPLAY is set: a window attempt would fail in the toolkit, so a
	// clean sentence proves the lock is taken first.
	r := run(t, "--db", db)
	if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "already open in another Regulars window") {
		t.Fatalf("second window: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, word := range []string{"GLFW", "X11", "DISPLAY", "internal error"} {
		if strings.Contains(r.stderr, word) {
			t.Errorf("window code ran before the lock refused it: %q", r.stderr)
		}
	}
	// Commands are not windows: they still work beside the open window.
	if r := run(t, "today", "--db", db); r.code != 0 {
		t.Errorf("today beside an open window: %s", r.stderr)
	}
	// But a restore would pull the file from under it.
	backup := filepath.Join(t.TempDir(), "b.db")
	if r := run(t, "backup", "--db", db, "--to", backup); r.code != 0 {
		t.Fatal(r.stderr)
	}
	before, _ := os.ReadFile(db)
	r = run(t, "restore", backup, "--db", db)
	if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "close it first") {
		t.Errorf("restore under an open window: exit %d %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("the refused restore changed the file")
	}
}

func TestWriteWaitsForBusyDatabaseThenFailsClearly(t *testing.T) {
	t.Parallel()
	_, db := bigShop(t)
	raw, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Another program holds a write transaction, half-way through a change.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "UPDATE customers SET notes = 'held' WHERE id = 7"); err != nil {
		t.Fatal(err)
	}
	short := []string{"REGULARS_BUSY_TIMEOUT_MS=200"}
	r := runEnv(t, short, "sale", "--db", db, "--customer", "2", "--amount", "10.00")
	if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(strings.ToLower(r.stderr), "database busy") || !strings.Contains(r.stderr, "try again") {
		t.Fatalf("sale against a held database: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("a refused sale printed %q", r.stdout)
	}
	// Reading goes on meanwhile.
	if r := runEnv(t, short, "export", "purchases", "--db", db); r.code != 0 || strings.Count(r.stdout, "\n") != 6 {
		t.Errorf("export while busy: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	r = runEnv(t, short, "sale", "--db", db, "--customer", "2", "--amount", "10.00")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "purchase 6 customer 2 ") {
		t.Fatalf("sale after the other program let go: %q %q", r.stdout, r.stderr)
	}
	var notes string
	raw.QueryRow("SELECT notes FROM customers WHERE id = 7").Scan(&notes)
	if notes != "held" {
		t.Error("the other program's change was lost")
	}
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Errorf("check: %s%s", r.stdout, r.stderr)
	}
	for _, bad := range []string{"soon", "0", "-5"} {
		r := runEnv(t, []string{"REGULARS_BUSY_TIMEOUT_MS=" + bad}, "today", "--db", db)
		if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "REGULARS_BUSY_TIMEOUT_MS") {
			t.Errorf("REGULARS_BUSY_TIMEOUT_MS=%s: exit %d %q", bad, r.code, r.stderr)
		}
	}
}

func TestFilesAndFoldersArePrivate(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	db := filepath.Join(root, "new", "shop.db")
	if r := run(t, "import", "customers", writeFile(t, root, "c.csv", "name\nAnn Lee\n"), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	out := filepath.Join(root, "out.csv")
	if r := run(t, "export", "customers", "--db", db, "--out", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := run(t, "backup", "--db", db)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(r.stdout, "backup written to "))
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{
		{filepath.Dir(db), 0o700},
		{db, 0o600},
		{out, 0o600},
		{data.DefaultBackupDir(db), 0o700},
		{backup, 0o600},
	} {
		st, err := os.Stat(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if st.Mode().Perm() != c.mode {
			t.Errorf("%s has mode %v, want %v", c.path, st.Mode().Perm(), c.mode)
		}
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	t.Parallel()
	dir, db := bigShop(t)
	r := run(t, "backup", "--db", db)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "backup written to "+data.DefaultBackupDir(db)) {
		t.Fatalf("backup: %q %q", r.stdout, r.stderr)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(r.stdout, "backup written to "))
	if r := run(t, "sale", "--db", db, "--customer", "9", "--amount", "99.00"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// A bad file is refused and the live database stays as it was.
	jpeg := writeFile(t, dir, "photo.db", "\xff\xd8\xff\xe0 a photo")
	before, _ := os.ReadFile(db)
	r = run(t, "restore", jpeg, "--db", db)
	if r.code != 1 || !oneSentence(r.stderr) {
		t.Errorf("restore from a photo: exit %d %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the database")
	}
	r = run(t, "restore", backup, "--db", db)
	if r.code != 0 {
		t.Fatalf("restore: %s", r.stderr)
	}
	aside := regexp.MustCompile(`kept as (\S+)\n$`).FindStringSubmatch(r.stdout)
	if aside == nil {
		t.Fatalf("restore did not say where the previous file went: %q", r.stdout)
	}
	if _, err := os.Stat(aside[1]); err != nil {
		t.Errorf("the previous file is not at %s", aside[1])
	}
	exp := run(t, "export", "purchases", "--db", db)
	if strings.Contains(exp.stdout, "99.00") || strings.Count(exp.stdout, "\n") != 6 {
		t.Errorf("restored database still has the later sale:\n%s", exp.stdout)
	}
	raw, _ := sql.Open("sqlite", db)
	defer raw.Close()
	var n int
	raw.QueryRow("SELECT count(*) FROM audit WHERE action = 'restore from backup'").Scan(&n)
	if n != 1 {
		t.Errorf("%d audit rows for the restore", n)
	}
}
