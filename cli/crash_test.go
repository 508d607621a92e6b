package cli

import (
	"bufio"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrashSafety kills `regulars sale` with SIGKILL at random moments and
// checks that every sale it acknowledged is there, nothing is half-written,
// and `regulars check` passes. REGULARS_CRASH_SALES sets how many sales
// (make test: 50; make crashtest: 300).
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	n := envCount(t, "REGULARS_CRASH_SALES", 50)
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	var b strings.Builder
	b.WriteString("name,phone\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "Customer %d,07700 9%05d\n", i, i)
	}
	if r := run(t, "import", "customers", writeFile(t, dir, "c.csv", b.String()), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	type ack struct {
		purchase, customer int64
		amount             int64
	}
	var acks []ack
	killed := 0
	for i := 0; i < n; i++ {
		cust := rng.IntN(20) + 1
		cents := rng.IntN(20000) + 100
		cmd := exec.Command(binary, "sale", "--db", db, "--customer", strconv.Itoa(cust),
			"--amount", fmt.Sprintf("%d.%02d", cents/100, cents%100))
		cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1)
		go func() {
			s := bufio.NewScanner(out)
			line := ""
			if s.Scan() {
				line = s.Text()
			}
			lines <- line
		}()
		// Kill most runs somewhere in their short life; let some finish.
		if rng.IntN(4) != 0 {
			time.Sleep(time.Duration(rng.IntN(40000)) * time.Microsecond)
			if cmd.Process.Signal(syscall.SIGKILL) == nil {
				killed++
			}
		}
		line := <-lines
		cmd.Wait()
		if line == "" {
			continue
		}
		var a ack
		var pts, bal int64
		if _, err := fmt.Sscanf(line, "purchase %d customer %d points %d balance %d", &a.purchase, &a.customer, &pts, &bal); err != nil {
			t.Fatalf("odd sale line %q", line)
		}
		a.amount = int64(cents)
		acks = append(acks, a)
	}
	// A kill between every sale could leave none acknowledged, and then
	// nothing below would be checked.
	if len(acks) < n/10 {
		t.Fatalf("only %d of %d sales were acknowledged", len(acks), n)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, a := range acks {
		var cust, amount int64
		if err := raw.QueryRow("SELECT customer_id, amount_cents FROM purchases WHERE id = ?", a.purchase).Scan(&cust, &amount); err != nil {
			t.Errorf("acknowledged purchase %d lost: %v", a.purchase, err)
			continue
		}
		if cust != a.customer || amount != a.amount {
			t.Errorf("purchase %d is %d/%d, acknowledged as %d/%d", a.purchase, cust, amount, a.customer, a.amount)
		}
	}
	// No partial sale: every sale has exactly its earn row.
	var partial int
	if err := raw.QueryRow(`SELECT count(*) FROM purchases p WHERE p.amount_cents >= 100 AND
		(SELECT count(*) FROM ledger l WHERE l.purchase_id = p.id AND l.kind = 'earn') <> 1`).Scan(&partial); err != nil {
		t.Fatal(err)
	}
	if partial != 0 {
		t.Errorf("%d sales without their points", partial)
	}
	var total int
	if err := raw.QueryRow("SELECT count(*) FROM purchases").Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total < len(acks) {
		t.Errorf("%d purchases in the database, %d acknowledged", total, len(acks))
	}
	if r := run(t, "check", "--db", db); r.code != 0 {
		t.Errorf("check after crashes: %s%s", r.stdout, r.stderr)
	}
	t.Logf("%d sales started, %d SIGKILLed, %d acknowledged, %d in the database, 0 lost", n, killed, len(acks), total)
}
