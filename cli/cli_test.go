package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"regulars/data/pgtest"
)

// binary is the real regulars program, built once for these tests.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(tillEnv) != "" {
		// Started by TestSeveralTillsAtOnce as one till.
		os.Exit(tillDriver())
	}
	dir, err := os.MkdirTemp("", "regulars-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "regulars")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building regulars:", err)
		os.Exit(1)
	}
	code := pgtest.Main(m) // stops the shared PostgreSQL of the tests that use one
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the real binary with a clean environment.
func run(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"), "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
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

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A messy spreadsheet export: BOM, CRLF, quoted commas and newlines, unicode,
// a bad date, a duplicate phone written differently, an unknown column.
const messyCustomers = "\ufeffName,Phone,EMAIL,birthday,notes,do_not_contact,points,favourite colour\r\n" +
	"Zoë Ñúñez,07700 900001,zoe@example.com,1985-02-28,\"likes scarves, hats\",,20,red\r\n" +
	"李小龍,07700 900002,,--06-20,\"two\r\nline note\",no,,blue\r\n" +
	"Bad Date,07700 900003,,1990-02-30,,false,,\r\n" +
	"Dup Phone,(07700) 900-001,,,,,,\r\n" +
	"\"O'Brien, Siobhán\",07700 900004,SIO@example.com,,,yes,5,\r\n"

func TestImportMessyCSVAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csvPath := writeFile(t, dir, "customers.csv", messyCustomers)
	r := run(t, "import", "customers", csvPath, "--db", db)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"line 5: ", "line 6: "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "line 2:") || strings.Contains(r.stderr, "line 3:") || strings.Contains(r.stderr, "line 7:") {
		t.Errorf("good rows reported as bad:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "favourite colour") {
		t.Errorf("unknown column not named in a warning:\n%s", r.stderr)
	}
	exp := run(t, "export", "customers", "--db", db)
	if lines := strings.Count(strings.TrimSpace(exp.stdout), "\n"); lines != 0 {
		t.Fatalf("all-or-nothing import wrote %d customers", lines)
	}

	r = run(t, "--db="+db, "import", "--skip-bad", "customers", csvPath)
	if r.code != 0 {
		t.Fatalf("--skip-bad exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "line 5: ") || !strings.Contains(r.stderr, "line 6: ") {
		t.Errorf("--skip-bad should still report the bad rows:\n%s", r.stderr)
	}
	exp = run(t, "export", "customers", "--db", db)
	rows, err := csv.NewReader(strings.NewReader(exp.stdout)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("want header + 3 customers, got (%v):\n%s", err, exp.stdout)
	}
	for _, want := range []string{"Zoë Ñúñez", "李小龍", "--06-20", "\"O'Brien, Siobhán\"", "two\nline note"} {
		if !strings.Contains(exp.stdout, want) {
			t.Errorf("export lacks %q:\n%s", want, exp.stdout)
		}
	}
	if !strings.Contains(exp.stdout, ",20\n") && !strings.Contains(exp.stdout, ",20\r\n") {
		t.Errorf("opening balance of 20 points not exported:\n%s", exp.stdout)
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csvPath := writeFile(t, dir, "c.csv", "name,phone\nAnn Lee,07700 900123\n")
	r := run(t, "import", "customers", csvPath, "--db", db, "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run exit %d: %s", r.code, r.stderr)
	}
	exp := run(t, "export", "customers", "--db", db)
	if strings.Contains(exp.stdout, "Ann Lee") {
		t.Error("dry run wrote a customer")
	}
}

// shop builds the hand-made database the today tests read.
func shop(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	cust := writeFile(t, dir, "c.csv", "name,phone,email,birthday,customer_since,do_not_contact\n"+
		"Ann Lee,07700 900123,ann@example.com,1990-06-20,,\n"+
		"Bob Roy,0161 496 0000,,,2026-01-01,\n"+
		"Cara Doe,07700 900999,,--06-16,,true\n")
	if r := run(t, "import", "customers", cust, "--db", db, "--date", "2026-05-01"); r.code != 0 {
		t.Fatalf("import customers: %s", r.stderr)
	}
	pur := writeFile(t, dir, "p.csv", "customer,date,amount,description,reference\n"+
		"07700 900123,2026-06-01,120.00,coat,R1\n"+
		"07700900999,2026-06-10,50.00,gloves,R2\n")
	if r := run(t, "import", "purchases", pur, "--db", db, "--date", "2026-06-12"); r.code != 0 {
		t.Fatalf("import purchases: %s", r.stderr)
	}
	return db
}

type todayItem struct {
	CustomerID   int64  `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	Kind         string `json:"kind"`
	Due          string `json:"due"`
	OverdueDays  int    `json:"overdue_days"`
	Message      string `json:"message"`
}

func TestTodayJSONOnHandMadeShop(t *testing.T) {
	t.Parallel()
	db := shop(t)
	r := run(t, "today", "--db", db, "--date", "2026-06-15", "--format", "json")
	if r.code != 0 {
		t.Fatalf("today: %s", r.stderr)
	}
	var got []todayItem
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	want := []todayItem{
		{2, "Bob Roy", "stay_in_touch", "2026-04-01", 75, ""},
		{1, "Ann Lee", "thank_you", "2026-06-02", 13, ""},
		{1, "Ann Lee", "check_in", "2026-06-08", 7, ""},
		{1, "Ann Lee", "birthday", "2026-06-20", 0, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d:\n%s", len(got), len(want), r.stdout)
	}
	for i := range want {
		g := got[i]
		g.Message = ""
		if g != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, g, want[i])
		}
		if strings.TrimSpace(got[i].Message) == "" {
			t.Errorf("item %d has no message", i)
		}
	}
	// The raw output keeps the contract's key order.
	if !regexp.MustCompile(`"customer_id": 2,\s*"customer_name": "Bob Roy",\s*"kind": "stay_in_touch",\s*"due": "2026-04-01",\s*"overdue_days": 75,\s*"message": `).MatchString(r.stdout) {
		t.Errorf("keys out of order:\n%s", r.stdout)
	}
	// A day when the thank-you has left the list: it is missed, not shown.
	r = run(t, "today", "--db", db, "--date=2026-06-17", "--format=json")
	if strings.Contains(r.stdout, "thank_you") {
		t.Errorf("thank-you due 2 June still shown on 17 June:\n%s", r.stdout)
	}
	// An empty day prints [] in JSON and only the header in CSV.
	r = run(t, "today", "--db", db, "--date", "2025-01-01", "--format", "json")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty today = %q, want []", r.stdout)
	}
	r = run(t, "--format", "csv", "today", "--db", db, "--date", "2025-01-01")
	if strings.TrimSpace(r.stdout) != "customer_id,customer_name,kind,due,overdue_days,message" {
		t.Errorf("empty CSV = %q", r.stdout)
	}
}

func TestSalePrintsContractLine(t *testing.T) {
	t.Parallel()
	db := shop(t)
	r := run(t, "sale", "--db", db, "--customer", "ANN@example.com", "--amount", "150.75", "--staff", "Sam", "--date", "2026-06-15")
	if r.code != 0 {
		t.Fatalf("sale: %s", r.stderr)
	}
	if !regexp.MustCompile(`^purchase \d+ customer 1 points 150 balance 150\n$`).MatchString(r.stdout) {
		t.Fatalf("sale printed %q", r.stdout)
	}
	r = run(t, "sale", "--db", db, "--customer", "07700 900123", "--amount", "10.00", "--redeem", "100", "--date", "2026-06-15")
	if !regexp.MustCompile(`^purchase \d+ customer 1 points 5 balance 55\n$`).MatchString(r.stdout) {
		t.Fatalf("redeeming sale printed %q (stderr %s)", r.stdout, r.stderr)
	}
	for _, bad := range [][]string{
		{"--amount", "3.00", "--redeem", "100"}, // reward worth more than the amount
		{"--amount", "50", "--redeem", "200"},   // more than the balance
		{"--amount", "50", "--redeem", "30"},    // not a whole reward
		{"--amount", "12..5"},
		{"--amount", "-3"},
		{"--amount", "abc"},
	} {
		args := append([]string{"sale", "--db", db, "--customer", "1"}, bad...)
		r := run(t, args...)
		if r.code == 0 || r.stdout != "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want one sentence and a non-zero exit", bad, r.code, r.stdout, r.stderr)
		}
	}
	exp := run(t, "export", "purchases", "--db", db)
	if n := strings.Count(exp.stdout, "\n"); n != 5 {
		t.Errorf("refused sales wrote rows: %d lines\n%s", n, exp.stdout)
	}
}

func TestCheckFindsTamperedLedger(t *testing.T) {
	t.Parallel()
	db := shop(t)
	run(t, "sale", "--db", db, "--customer", "1", "--amount", "20.00", "--date", "2026-06-15")
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Fatalf("clean database fails check: %s %s", r.stdout, r.stderr)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff) VALUES (1, '2026-06-15 12:00:00', '2026-06-15', 'redeem', -500, NULL, 'Owner')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := run(t, "check", "--db", db)
	if r.code != 1 {
		t.Fatalf("tampered ledger: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "problem:") {
		t.Errorf("no problem listed:\n%s", r.stdout)
	}
	// The last sentence counts the problems listed, in good English.
	n := strings.Count(r.stdout, "problem: ")
	want := fmt.Sprintf("has %d problems", n)
	if n == 1 {
		want = "has 1 problem"
	}
	if !strings.Contains(r.stderr, want+".") && !strings.Contains(r.stderr, want+"\n") {
		t.Errorf("%d problems listed, but the error says %q", n, r.stderr)
	}
	// One purchase with a discount larger than its amount is one problem.
	db = shop(t)
	raw, err = sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE purchases SET discount_cents = amount_cents + 1 WHERE id = (SELECT min(id) FROM purchases WHERE amount_cents > 0)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r = run(t, "check", "--db", db)
	if r.code != 1 || strings.Count(r.stdout, "problem: ") != 1 || !strings.Contains(r.stderr, "has 1 problem.") {
		t.Errorf("one damaged purchase: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestErrorsAreOneSentence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.db")
	jpeg := writeFile(t, dir, "photo.db", "\xff\xd8\xff\xe0JFIF not a database")
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"read-only command on a missing file", []string{"today", "--db", missing}, 1},
		{"bad date", []string{"today", "--db", missing, "--date", "2026-02-30"}, 2},
		{"unknown flag", []string{"today", "--colour", "red"}, 2},
		{"bad format", []string{"today", "--format", "xml"}, 2},
		{"jpeg renamed .db", []string{"check", "--db", jpeg}, 1},
		{"missing import file", []string{"import", "customers", filepath.Join(dir, "nope.csv"), "--db", filepath.Join(dir, "x.db")}, 1},
		{"unknown export", []string{"export", "socks", "--db", jpeg}, 2},
		{"bad screen", []string{"--screen", "kitchen", "--db", missing}, 2},
		{"window without a display", []string{"--db", missing, "--date", "2026-06-15", "--screen", "today"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.args...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, c.code, r.stderr)
			}
			first := strings.SplitN(r.stderr, "\n", 2)[0]
			if !strings.HasPrefix(first, "regulars: ") || !strings.HasSuffix(first, ".") {
				t.Errorf("first line of stderr is not one sentence: %q", first)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a read-only command created the database")
	}
}

// Under the common C.UTF-8 locale the toolkit must not print anything.
func TestQuietUnderCLocale(t *testing.T) {
	t.Parallel()
	for _, loc := range []string{"C.UTF-8", "C", "POSIX", "en_GB.UTF-8"} {
		cmd := exec.Command(binary, "help")
		cmd.Env = []string{"HOME=" + t.TempDir(), "LANG=" + loc, "PATH=" + os.Getenv("PATH")}
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil || errb.Len() != 0 {
			t.Errorf("LANG=%s: %v, stderr %q", loc, err, errb.String())
		}
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "env.db")
	env := []string{"REGULARS_DB=" + db, "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	runIn := func(args ...string) string {
		cmd := exec.Command(binary, args...)
		cmd.Env = env
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	// A sale never lands in a new, empty shop: the file is named and not made.
	if out := runIn("sale", "--customer", "1", "--amount", "5"); !strings.Contains(out, "no database at "+db) {
		t.Errorf("sale on a missing REGULARS_DB: %q", out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a sale created the database")
	}
	if out := runIn("import", "customers", writeFile(t, dir, "c.csv", "name\nAnn\n")); !strings.Contains(out, "imported 1 customer") {
		t.Fatalf("import into REGULARS_DB: %q", out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal("REGULARS_DB not used by import")
	}
	if out := runIn("sale", "--customer", "7", "--amount", "5"); !strings.Contains(strings.ToLower(out), "no customer") {
		t.Errorf("want a missing-customer sentence, got %q", out)
	}
}

func TestParseArgs(t *testing.T) {
	t.Parallel()
	spec := flagSpec{"format": true, "dry-run": false}
	a, err := parseArgs([]string{"--db=x.db", "a", "--format", "json", "b", "--dry-run"}, spec)
	if err != nil {
		t.Fatal(err)
	}
	if a.vals["db"] != "x.db" || a.vals["format"] != "json" || !a.bools["dry-run"] || len(a.pos) != 2 || a.pos[1] != "b" {
		t.Errorf("parsed %+v", a)
	}
	if _, err := parseArgs([]string{"--format"}, spec); err == nil {
		t.Error("a flag without its value was accepted")
	}
	if _, err := parseArgs([]string{"--db", "a", "--db", "b"}, spec); err == nil {
		t.Error("a flag given twice was accepted")
	}
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"help"}, &Env{Stdout: &out, Stderr: &errb}); code != 0 || !strings.Contains(out.String(), "regulars today") {
		t.Errorf("help: %d %q", code, out.String())
	}
}

func TestImportCountsSpeakPlainEnglish(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	empty := filepath.Join(dir, "empty.csv")
	one := filepath.Join(dir, "one-bad.csv")
	os.WriteFile(empty, []byte("name,phone\n"), 0o600)
	os.WriteFile(one, []byte("name,phone\nAnn Lee,0123 456 789\n,0999 888 777\n"), 0o600)
	if r := run(t, "import", "customers", empty, "--db", db); r.code != 0 || r.stdout != "imported 0 customers\n" {
		t.Errorf("empty file: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
	r := run(t, "import", "customers", one, "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "regulars: 1 bad row in ") {
		t.Errorf("one bad row: exit %d, %q", r.code, r.stderr)
	}
	r = run(t, "import", "customers", one, "--db", db, "--skip-bad")
	if r.code != 0 || r.stdout != "imported 1 customer, 1 bad row left out\n" {
		t.Errorf("--skip-bad: exit %d, %q", r.code, r.stdout)
	}
}
