package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// smallShop is a shop of 20 customers with a sale each.
func smallShop(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "shop.db")
	var b strings.Builder
	b.WriteString("name,phone\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "Customer %d,07700 9%05d\n", i, i)
	}
	if r := run(t, "import", "customers", writeFile(t, dir, "c.csv", b.String()), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for i := 1; i <= 20; i++ {
		if r := run(t, "sale", "--db", db, "--customer", strconv.Itoa(i), "--amount", "10.00"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	return dir, db
}

// purchaseIn reports whether the database file at path holds purchase id
// of that customer and amount; count is how many purchases it holds.
func purchasesIn(t *testing.T, path string) (byAmount map[int64][2]int64, count int) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT id, customer_id, amount_cents FROM purchases")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rows.Close()
	byAmount = map[int64][2]int64{}
	for rows.Next() {
		var id, cust, amount int64
		if err := rows.Scan(&id, &cust, &amount); err != nil {
			t.Fatal(err)
		}
		byAmount[amount] = [2]int64{id, cust}
		count++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return byAmount, count
}

// TestRestoreUnderConcurrentSales runs two tills selling without a pause
// while the shop is restored again and again. Every sale acknowledged is
// in the file that was the shop when it was acknowledged: in the end, in
// the shop or in one of the files restores set aside, and never in a file
// after a restore had set it aside. A sale that meets a restore waits, or
// is refused in one sentence. REGULARS_CRASH_RESTORES sets how many
// restores (default 6; make crashtest: 20).
func TestRestoreUnderConcurrentSales(t *testing.T) {
	t.Parallel()
	restores := envCount(t, "REGULARS_CRASH_RESTORES", 6)
	dir, db := smallShop(t)
	backup := filepath.Join(dir, "backup.db")
	if r := run(t, "backup", "--db", db, "--to", backup); r.code != 0 {
		t.Fatal(r.stderr)
	}
	type ack struct{ id, customer, amount int64 }
	var (
		mu      sync.Mutex
		acks    []ack
		refused []string
		next    atomic.Int64
		stop    atomic.Bool
		wg      sync.WaitGroup
	)
	next.Store(100000)
	till := func() {
		defer wg.Done()
		for !stop.Load() {
			amount := next.Add(1) // every sale its own amount, to find it again
			cust := amount%20 + 1
			cmd := exec.Command(binary, "sale", "--db", db, "--customer", strconv.FormatInt(cust, 10),
				"--amount", fmt.Sprintf("%d.%02d", amount/100, amount%100))
			cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			mu.Lock()
			if err == nil {
				var a ack
				var pts, bal int64
				if _, err := fmt.Sscanf(out.String(), "purchase %d customer %d points %d balance %d", &a.id, &a.customer, &pts, &bal); err != nil {
					t.Errorf("odd sale line %q", out.String())
				}
				a.amount = amount
				acks = append(acks, a)
			} else {
				refused = append(refused, errb.String())
			}
			mu.Unlock()
		}
	}
	wg.Add(2)
	go till()
	go till()

	type setAside struct {
		path  string
		count int // purchases in it when the restore said it was done
	}
	var asides []setAside
	keptAs := regexp.MustCompile(`kept as (\S+)\n$`)
	for i := 0; i < restores; i++ {
		time.Sleep(250 * time.Millisecond)
		r := run(t, "restore", backup, "--db", db)
		if r.code != 0 {
			t.Errorf("restore %d: exit %d %q", i+1, r.code, r.stderr)
			continue
		}
		m := keptAs.FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("restore %d did not say where the previous file went: %q", i+1, r.stdout)
		}
		_, n := purchasesIn(t, m[1])
		asides = append(asides, setAside{m[1], n})
	}
	time.Sleep(250 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	// Where each file's purchases are, by their unique amounts.
	files := map[string]map[int64][2]int64{}
	for _, a := range asides {
		got, n := purchasesIn(t, a.path)
		files[a.path] = got
		if n != a.count {
			t.Errorf("%s gained %d purchases after the restore set it aside: sales acknowledged into the replaced file", filepath.Base(a.path), n-a.count)
		}
	}
	files[db], _ = purchasesIn(t, db)
	lost := 0
	for _, a := range acks {
		found := false
		for _, f := range files {
			if p, ok := f[a.amount]; ok && p[0] == a.id && p[1] == a.customer {
				found = true
			}
		}
		if !found {
			lost++
			t.Errorf("acknowledged purchase %d (customer %d, %d cents) is in no file", a.id, a.customer, a.amount)
		}
	}
	for _, e := range refused {
		if !oneSentence(e) || !strings.Contains(e, "being restored") {
			t.Errorf("a sale was refused with %q; want one sentence saying a restore is under way", e)
		}
	}
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Errorf("check after the restores: %s%s", r.stdout, r.stderr)
	}
	if len(acks) < restores {
		t.Errorf("only %d sales were acknowledged beside %d restores", len(acks), restores)
	}
	t.Logf("%d restores under 2 tills: %d sales acknowledged, %d refused while a restore ran, %d lost", len(asides), len(acks), len(refused), lost)
}

// envCount reads a count from the environment; a value that is not a
// positive whole number fails the test rather than running nothing.
func envCount(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a whole number of 1 or more", name, v)
	}
	return n
}
