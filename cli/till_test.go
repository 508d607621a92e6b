package cli

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"regulars/data"
)

// The till's name set in the window's Settings (data.SetTillName) is the
// one the command line reads on that PC: a sale made by `regulars sale`
// records it on its purchase and ledger rows; REGULARS_TILL names another
// till for one command.
func TestSaleAtANamedTill(t *testing.T) {
	dir := t.TempDir()
	shop := filepath.Join(dir, "shop.db")
	if r := run(t, "demo", "--db", shop, "--customers", "20", "--seed", "1", "--date", "2026-06-15"); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	config := filepath.Join(dir, "config")
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv(data.TillEnv, "")
	if err := data.SetTillName("Front"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { data.SetTillName("") })
	sale := func(env ...string) {
		t.Helper()
		cmd := exec.Command(binary, "sale", "--db", shop, "--customer", "1", "--amount", "120.00", "--staff", "Anna", "--date", "2026-06-15")
		cmd.Env = append([]string{"HOME=" + dir, "XDG_CONFIG_HOME=" + config, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}, env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("sale: %v %s", err, stderr.String())
		}
	}
	sale()
	sale(data.TillEnv + "=Back office")
	db, err := sql.Open("sqlite", "file:"+shop+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT p.till, p.staff, l.till, l.staff FROM purchases p JOIN ledger l ON l.purchase_id = p.id WHERE p.till <> '' ORDER BY p.id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var pt, ps, lt, ls string
		if err := rows.Scan(&pt, &ps, &lt, &ls); err != nil {
			t.Fatal(err)
		}
		got = append(got, pt+"/"+ps+"/"+lt+"/"+ls)
	}
	want := []string{"Front/Anna/Front/Anna", "Back office/Anna/Back office/Anna"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("the sales' tills and staff: %q, want %q", got, want)
	}
}
