package cli

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// Files named with the characters a SQLite address gives a meaning to:
// '?' starts its query and '#' its fragment.
func TestPathsWithQuestionMarksAndHashes(t *testing.T) {
	t.Parallel()
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
		if !e.Type().IsRegular() {
			out[e.Name()] = e.Type().String() // a link or a pipe: never read
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
	t.Parallel()
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
	t.Parallel()
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
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Fatalf("%v on a missing file made %v (%v)", args, entries, err)
		}
	}
	if r := run(t, "import", "customers", writeFile(t, t.TempDir(), "c.csv", "name\nAnn\n"), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Fatal(r.stdout, r.stderr)
	}
}

// A backup (or shop) with a trigger or table added by hand, or a ledger
// row written around the app, fails check, is not restored, and is not
// sold into.
func TestChangedSchemaAndBrokenLedgerAreFoundAndNotRestored(t *testing.T) {
	t.Parallel()
	_, shop := bigShop(t)
	cases := []struct {
		name, sql, problem string
	}{
		{"trigger", "CREATE TRIGGER zero_points AFTER INSERT ON ledger BEGIN UPDATE ledger SET points = 0 WHERE id = new.id; END",
			`problem: the schema has a trigger "zero_points" that Regulars did not make`},
		{"table", "CREATE TABLE notes_of_mine(x TEXT)", `problem: the schema has a table "notes_of_mine" that Regulars did not make`},
		{"negative ledger row", "INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (3, '2026-01-01 10:00:00', '2026-01-01', 'adjustment', -500, 'Owner', 'oops')",
			"problem: customer 3: the balance falls to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, "bad-backup.db")
			if r := run(t, "backup", "--db", shop, "--to", bad); r.code != 0 {
				t.Fatal(r.stderr)
			}
			raw, err := sql.Open("sqlite", bad)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			r := run(t, "check", "--db", bad)
			if r.code != 1 || !strings.Contains(r.stdout, c.problem) {
				t.Errorf("check: exit %d\n%s%s\nwant %q", r.code, r.stdout, r.stderr, c.problem)
			}
			before, _ := os.ReadFile(shop)
			r = run(t, "restore", bad, "--db", shop)
			if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, strings.TrimPrefix(c.problem, "problem: ")) {
				t.Errorf("restore: exit %d %q", r.code, r.stderr)
			}
			if after, _ := os.ReadFile(shop); !bytes.Equal(before, after) {
				t.Error("the refused restore changed the shop")
			}
			if r := run(t, "check", "--db", shop); r.code != 0 {
				t.Errorf("check of the shop after the refused restore: %s%s", r.stdout, r.stderr)
			}
			if c.name != "negative ledger row" {
				if r := run(t, "sale", "--db", bad, "--customer", "3", "--amount", "5.00"); r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "not as Regulars made it") {
					t.Errorf("sale into the changed file: exit %d %q %q", r.code, r.stdout, r.stderr)
				}
			}
		})
	}
}

func TestBackupReplacesOnlyItsOwnBackups(t *testing.T) {
	t.Parallel()
	dir, shop := bigShop(t)
	_, other := smallShop(t)
	csvFile := filepath.Join(dir, "customers.csv")
	if r := run(t, "export", "customers", "--db", shop, "--out", csvFile); r.code != 0 {
		t.Fatal(r.stderr)
	}
	link := filepath.Join(dir, "null.db")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Fatal(err)
	}
	// A named pipe stands for a device: never aim a test at a real one.
	fifo := filepath.Join(dir, "pipe.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// The other shop, open in a window or not, is in WAL mode.
	raw, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec("PRAGMA journal_mode=WAL")
	raw.Close()
	for _, target := range []string{csvFile, other, shop, link, fifo} {
		before := folderState(t, filepath.Dir(target))
		r := run(t, "backup", "--db", shop, "--to", target)
		if r.code != 1 || !oneSentence(r.stderr) || strings.Contains(r.stdout, "backup written") {
			t.Errorf("backup --to %s: exit %d %q %q; want it refused", target, r.code, r.stdout, r.stderr)
		}
		if !maps.Equal(before, folderState(t, filepath.Dir(target))) {
			t.Errorf("the refused backup --to %s changed its folder", target)
		}
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the pipe was replaced")
	}
	// Its own backups it replaces; what a killed backup left, the next one removes.
	own := filepath.Join(dir, "own.db")
	for i := 0; i < 2; i++ {
		if r := run(t, "backup", "--db", shop, "--to", own); r.code != 0 {
			t.Fatalf("backup %d --to %s: %s", i+1, own, r.stderr)
		}
	}
	folder := filepath.Join(t.TempDir(), "backups")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	left := []string{
		own + ".part", own + ".part-journal",
		filepath.Join(folder, "shop-2026-01-02-030405.db.part"), filepath.Join(folder, "shop-2026-01-02-030405.db.part-journal"),
	}
	for _, p := range left {
		if err := os.WriteFile(p, []byte("half a backup"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := run(t, "backup", "--db", shop, "--to", own); r.code != 0 {
		t.Fatalf("backup over what a killed one left: %s", r.stderr)
	}
	r := run(t, "backup", "--db", shop, "--to", folder+string(os.PathSeparator))
	if r.code != 0 {
		t.Fatalf("backup into a folder with what a killed one left: %s", r.stderr)
	}
	for _, p := range left {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was left behind", filepath.Base(p))
		}
	}
	for _, p := range []string{own, strings.TrimSpace(strings.TrimPrefix(r.stdout, "backup written to "))} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, st.Mode(), err)
		}
		if r := run(t, "check", "--db", p); r.code != 0 {
			t.Errorf("check %s: %s", p, r.stderr)
		}
	}
}

func TestExportOutReplacesOnlyAFile(t *testing.T) {
	t.Parallel()
	_, shop := smallShop(t)
	dir := t.TempDir()
	secret := writeFile(t, t.TempDir(), "secret.txt", "not to be overwritten\n")
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.csv") // stands for a device: never aim a test at a real one
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.csv")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	before := folderState(t, dir)
	for _, out := range []string{link, fifo, folder} {
		for _, what := range []string{"customers", "ics"} {
			r := run(t, "export", what, "--db", shop, "--out", out)
			if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "not a file") {
				t.Errorf("export %s --out %s: exit %d %q", what, filepath.Base(out), r.code, r.stderr)
			}
		}
	}
	if !maps.Equal(before, folderState(t, dir)) {
		t.Errorf("refused exports changed the folder:\n%v\n%v", before, folderState(t, dir))
	}
	if b, _ := os.ReadFile(secret); string(b) != "not to be overwritten\n" {
		t.Error("the export wrote through the link")
	}
	// An ordinary file is replaced whole, private, with nothing left beside it.
	plain := writeFile(t, dir, "plain.csv", "old\n")
	os.Chmod(plain, 0o644)
	if r := run(t, "export", "customers", "--db", shop, "--out", plain); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if b, _ := os.ReadFile(plain); !strings.HasPrefix(string(b), "id,name,") {
		t.Errorf("plain.csv holds %q", b)
	}
	if st, _ := os.Stat(plain); st.Mode().Perm() != 0o600 {
		t.Errorf("plain.csv has mode %v", st.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".regulars-export-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// runRSS runs the binary and returns its result and its peak memory in MB.
func runRSS(t *testing.T, args ...string) (result, int64) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss / 1024 // KB on Linux
	return result{out.String(), errb.String(), code}, rss
}

// Hostile files are read as a stream: /dev/zero is refused at once, a
// vCard with a picture of 64 MB imports in the memory of a small one, and
// every refusal is one sentence naming the line. Not run beside the
// other tests: a child's peak memory counts the test process's own at the
// moment it starts the child, and tests beside it make that larger.
func TestImportOfHostileFilesStaysSmall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("skipped: peak memory is read from Linux's rusage")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	for _, what := range []string{"customers", "purchases", "vcard"} {
		r, rss := runRSS(t, "import", what, "/dev/zero", "--db", db)
		if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "/dev/zero: the file is not text") {
			t.Errorf("import %s /dev/zero: exit %d %q", what, r.code, r.stderr)
		}
		if rss > 100 {
			t.Errorf("import %s /dev/zero took %d MB", what, rss)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("a refused import %s left a database behind", what)
		}
	}
	f, err := os.Create(filepath.Join(dir, "photo.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	fold := " " + strings.Repeat("QUJD", 18) + "\r\n"
	f.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Photo\r\nTEL:07700 900001\r\nPHOTO;ENCODING=b;TYPE=JPEG:QUJD\r\n")
	block := strings.Repeat(fold, 1<<14)
	for written := 0; written < 64<<20; written += len(block) {
		f.WriteString(block)
	}
	f.WriteString("END:VCARD\r\n")
	f.Close()
	r, rss := runRSS(t, "import", "vcard", f.Name(), "--db", db)
	if r.code != 0 || r.stdout != "imported 1 contact\n" {
		t.Fatalf("import of a vCard with a 64 MB photo: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if rss > 100 {
		t.Errorf("importing a vCard with a 64 MB photo took %d MB", rss)
	}
	for _, c := range []struct{ file, says string }{
		{"name,phone\rAnn,07700 900001\rBob,07700 900002\r", "line 1: the line ends in a carriage return alone"},
		{"name,notes\nAnn,ok\nBob," + strings.Repeat("x", 70000) + "\n", "line 3: a field is longer than 64 KB"},
		{"name\nAnn\nB\x00b\n", "the file is not text"},
	} {
		r := run(t, "import", "customers", writeFile(t, t.TempDir(), "c.csv", c.file), "--db", db)
		if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, c.says) || !strings.Contains(r.stderr, "nothing was imported") {
			t.Errorf("import: exit %d %q; want one sentence saying %q", r.code, r.stderr, c.says)
		}
	}
	t.Logf("a vCard with a 64 MB photo imported in %d MB", rss)
}

func TestStaffNamesKeepTheNameRules(t *testing.T) {
	t.Parallel()
	_, shop := smallShop(t)
	csvFile := writeFile(t, t.TempDir(), "c.csv", "name\nNew Person\n")
	before := purchaseList(t, shop)
	for _, staff := range []string{"Ann\x1b[31m", "Bob\tTab", strings.Repeat("n", 513), " "} {
		for _, args := range [][]string{
			{"sale", "--customer", "1", "--amount", "5.00"},
			{"import", "customers", csvFile},
		} {
			r := run(t, append(args, "--db", shop, "--staff", staff)...)
			if r.code != 1 || !oneSentence(r.stderr) || !strings.HasPrefix(r.stderr, "regulars: --staff: ") {
				t.Errorf("%s --staff %q: exit %d %q", args[0], staff, r.code, r.stderr)
			}
		}
	}
	if purchaseList(t, shop) != before {
		t.Error("a refused sale was written")
	}
	if r := run(t, "export", "customers", "--db", shop); strings.Contains(r.stdout, "New Person") {
		t.Error("a refused import was written")
	}
}

// A backup damaged so that SQLite's integrity check answers in two lines
// is still refused in one sentence, by every command that reads it.
func TestDamagedBackupIsOneSentence(t *testing.T) {
	t.Parallel()
	_, shop := bigShop(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if r := run(t, "backup", "--db", shop, "--to", good); r.code != 0 {
		t.Fatal(r.stderr)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	b[2*4096+3], b[2*4096+4] = 0x7f, 0x7f // page 3 claims more cells than it can hold
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"restore", bad, "--db", shop},
		{"today", "--db", bad},
		{"export", "customers", "--db", bad},
		{"backup", "--db", bad, "--to", filepath.Join(dir, "copy.db")},
	} {
		r := run(t, args...)
		// Commands read the file's first page before they start, not all
		// of it: one that never meets the damaged page does its work. A
		// restore and a backup read every page.
		if r.code == 0 && args[0] != "restore" && args[0] != "backup" {
			continue
		}
		if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(r.stderr, "damaged") || strings.Contains(r.stderr, "(11)") {
			t.Errorf("%v: exit %d %q; want one sentence saying it is damaged", args, r.code, r.stderr)
		}
	}
	if r := run(t, "check", "--db", bad); r.code != 1 || strings.Count(r.stderr, "\n") > 1 {
		t.Errorf("check: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
