package cli

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"regulars/data"
	"regulars/data/pgtest"
	"regulars/rules"
)

// Several tills selling at once to the same customers of one shop on
// PostgreSQL. Each till is a process of its own (this test binary started
// again, see TestMain) that records its share of sales through the
// store's RecordSale, as the checkout does, and writes one line for each
// sale the store acknowledged before it starts the next.

const (
	tillEnv       = "REGULARS_TEST_TILL"     // "till run first-slot": run as a till
	tillDieEnv    = "REGULARS_TEST_TILL_DIE" // a slot: the till kills itself once that sale is committed
	tillShare     = 250                      // sales each till records
	tillCustomers = 20
	tillCount     = 4
)

// tillSale is what a till sells in one slot of its share: the same on a
// till started again, so a slot means one sale whichever run records it.
func tillSale(till, slot int) (customer rules.ID, amount rules.Cents, redeem int64) {
	r := rand.New(rand.NewPCG(uint64(till), uint64(slot)))
	customer = rules.ID(1 + r.IntN(tillCustomers))
	amount = rules.Cents(100 + r.IntN(12000))
	if r.IntN(10) < 4 {
		redeem = 100 * int64(1+r.IntN(2))
		amount += rules.Cents(redeem / 100 * 500) // a reward is worth 5.00: never more than the sale
	}
	return customer, amount, redeem
}

// tillRef is written in the sale's description: the till, the run of the
// till's process and the slot, so every sale tried is told apart.
func tillRef(till, run, slot int) string {
	return fmt.Sprintf("till %d run %d slot %d", till, run, slot)
}

// tillDriver is one till: it records the slots of its share from the first
// one given, each acknowledged sale as an "ok" line on stdout, each sale
// refused for lack of points as a "refused" line, both written before the
// next sale starts.
func tillDriver() int {
	var till, run, first int
	if _, err := fmt.Sscan(os.Getenv(tillEnv), &till, &run, &first); err != nil {
		fmt.Fprintln(os.Stderr, "till:", err)
		return 2
	}
	ctx := context.Background()
	s, err := data.Open(ctx, os.Getenv("REGULARS_DB"), data.Options{MustExist: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "till:", err)
		return 1
	}
	defer s.Close()
	die := -1
	if v := os.Getenv(tillDieEnv); v != "" {
		if die, err = strconv.Atoi(v); err != nil {
			fmt.Fprintln(os.Stderr, "till:", err)
			return 2
		}
	}
	for slot := first; slot < tillShare; slot++ {
		customer, amount, redeem := tillSale(till, slot)
		ref := tillRef(till, run, slot)
		res, err := s.RecordSale(ctx, data.Sale{CustomerID: customer, Amount: amount, RedeemPoints: redeem,
			Description: ref, Staff: fmt.Sprintf("Till %d", till)})
		if err == nil && slot == die {
			// Committed, and gone before anyone is told: the sale is in
			// the shop without its acknowledgment.
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
		var line string
		switch {
		case err == nil:
			line = fmt.Sprintf("ok %d %d %d %d %d\n", slot, res.Purchase.ID, res.Earned, res.Redeemed, res.Balance)
		case errors.Is(err, data.ErrRedeemTooMuch):
			line = fmt.Sprintf("refused %d %s\n", slot, err)
		default:
			fmt.Fprintf(os.Stderr, "till %d slot %d: %v\n", till, slot, err)
			return 1
		}
		// One write, unbuffered: the line is the acknowledgment.
		if _, err := os.Stdout.WriteString(line); err != nil {
			return 1
		}
	}
	return 0
}

// tillLine is one line a till wrote.
type tillLine struct {
	till, run, slot           int
	ok                        bool
	purchase                  rules.ID
	earned, redeemed, balance int64
	refusal                   string
}

// readTillLines reads what one till wrote over all its runs.
func readTillLines(t *testing.T, path string, till int) []tillLine {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []tillLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l tillLine
		word, rest, _ := strings.Cut(sc.Text(), " ")
		switch word {
		case "run":
			if _, err := fmt.Sscan(rest, &l.run); err != nil {
				t.Fatalf("%s: %q", path, sc.Text())
			}
			out = append(out, tillLine{till: till, run: l.run, slot: -1})
			continue
		case "ok":
			l.ok = true
			_, err = fmt.Sscan(rest, &l.slot, &l.purchase, &l.earned, &l.redeemed, &l.balance)
		case "refused":
			var n string
			n, l.refusal, _ = strings.Cut(rest, " ")
			l.slot, err = strconv.Atoi(n)
		default:
			err = errors.New("unknown line")
		}
		if err != nil {
			t.Fatalf("%s: %q: %v", path, sc.Text(), err)
		}
		l.till = till
		if len(out) > 0 {
			l.run = out[len(out)-1].run
		}
		out = append(out, l)
	}
	return out
}

// startTill starts run of a till from slot first, appending to its file
// of lines; with die 0 or more, the till kills itself once that slot's
// sale is committed.
func startTill(db, lines string, till, run, first, die int) (*exec.Cmd, error) {
	f, err := os.OpenFile(lines, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fmt.Fprintf(f, "run %d\n", run)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d %d %d", tillEnv, till, run, first), "REGULARS_DB="+db)
	if die >= 0 {
		cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", tillDieEnv, die))
	}
	cmd.Stdout = f
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

// countLines is how many lines the file at path holds.
func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

// runTill runs a till's share to its end, killing its process with
// SIGKILL once its file holds each number of lines in kills, and starting
// it again from the slot after its last line. With die 0 or more, its
// first run kills itself just after that slot's sale is committed. It
// returns how many times it was killed.
func runTill(t *testing.T, db, lines string, till int, kills []int, die int) (int, error) {
	killed := 0
	for run := 1; ; run++ {
		first := 0
		for _, l := range readTillLines(t, lines, till) {
			if l.slot >= 0 {
				first = l.slot + 1
			}
		}
		if first >= tillShare {
			return killed, nil
		}
		cmd, err := startTill(db, lines, till, run, first, die)
		if err != nil {
			return killed, err
		}
		if die >= 0 {
			die = -1
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				return killed, fmt.Errorf("till %d did not kill itself after its commit: %v %s", till, err, cmd.Stderr)
			}
			killed++
			continue
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if len(kills) > 0 {
			at := kills[0]
			kills = kills[1:]
			for countLines(lines) < at {
				select {
				case err := <-done:
					return killed, fmt.Errorf("till %d ended before it was to be killed: %v %s", till, err, cmd.Stderr)
				case <-time.After(time.Millisecond):
				}
			}
			// Anywhere in the next sale: before, inside or after its
			// transaction.
			time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond)
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
			continue
		}
		if err := <-done; err != nil {
			return killed, fmt.Errorf("till %d: %v %s", till, err, cmd.Stderr)
		}
	}
}

var refusalSentence = regexp.MustCompile(`^the customer does not have that many points to redeem \(balance \d+, \d+ asked\)$`)

// Four tills sell at once, 250 sales each with redemptions, to the same 20
// customers of one shop on PostgreSQL; two of them are killed with SIGKILL
// mid-way (one once, one twice) and started again to finish their share,
// and a third kills itself between a sale's commit and its acknowledgment.
// Afterwards every acknowledged sale is there once, with the points it
// said; a sale committed just before a kill is whole; every customer's
// balance is their ledger's sum, never below zero on the way, and each
// acknowledged balance is the running sum of that customer's sales up to
// it; refused redemptions wrote nothing and said why in one sentence; and
// regulars check passes.
func TestSeveralTillsAtOnce(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Shared(t)
	db := pgURL(t, dsn)
	ctx := context.Background()
	s, err := data.Open(ctx, db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= tillCustomers; i++ {
		if _, err := s.AddCustomer(ctx, rules.Customer{Name: fmt.Sprintf("Regular %d", i), Phone: fmt.Sprintf("07700 900%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	dir := t.TempDir()
	kills := map[int][]int{2: {70}, 3: {40, 160}}
	dies := map[int]int{1: 120} // till 1 goes between its commit and its acknowledgment
	t0 := time.Now()
	type ended struct {
		till, killed int
		err          error
	}
	results := make(chan ended, tillCount)
	for till := 1; till <= tillCount; till++ {
		go func() {
			die, ok := dies[till]
			if !ok {
				die = -1
			}
			n, err := runTill(t, db, filepath.Join(dir, fmt.Sprintf("till%d", till)), till, kills[till], die)
			results <- ended{till, n, err}
		}()
	}
	// regulars check runs again and again while the tills sell: it reads
	// one snapshot, so it finds nothing wrong halfway through a sale.
	stop := make(chan struct{})
	checked := make(chan []string, 1)
	go func() {
		var failed []string
		n := 0
		for {
			select {
			case <-stop:
				checked <- append(failed, strconv.Itoa(n))
				return
			default:
			}
			out, err := exec.Command(binary, "check", "--db", db).CombinedOutput()
			if err != nil {
				failed = append(failed, string(out))
			}
			n++
		}
	}()
	killed := 0
	for range tillCount {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
		}
		killed += r.killed
	}
	took := time.Since(t0)
	close(stop)
	during := <-checked
	checks, _ := strconv.Atoi(during[len(during)-1])
	for _, f := range during[:len(during)-1] {
		t.Errorf("check while the tills sold: %s", f)
	}
	if checks == 0 {
		t.Error("check never ran while the tills sold")
	}
	if t.Failed() {
		t.FailNow()
	}
	var lines []tillLine
	for till := 1; till <= tillCount; till++ {
		for _, l := range readTillLines(t, filepath.Join(dir, fmt.Sprintf("till%d", till)), till) {
			if l.slot >= 0 {
				lines = append(lines, l)
			}
		}
	}
	f := checkTillSales(t, dsn, lines)
	f.killed = killed
	c := run(t, "check", "--db", db)
	if c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ") {
		t.Errorf("check after the tills: %d %q %q", c.code, c.stdout, c.stderr)
	}
	t.Logf("%d tills × %d sales in %v: %d sales tried, %d kills, %d acknowledged, %d found, %d lost, %d duplicates, %d committed without acknowledgment (whole), %d redemptions refused for lack of points, %d redeemed; %d checks passed while they sold; check after: %s",
		tillCount, tillShare, took.Round(time.Millisecond), f.tried+killed, killed, f.acked, f.found, f.lost, f.duplicates, f.unacked, f.refused, f.redeemed, checks, strings.TrimSpace(c.stdout))
	if f.lost != 0 || f.duplicates != 0 || f.found != f.acked || f.acked+f.refused != tillCount*tillShare {
		t.Errorf("acknowledged %d, found %d, lost %d, duplicates %d, refused %d of %d slots", f.acked, f.found, f.lost, f.duplicates, f.refused, tillCount*tillShare)
	}
	if killed != 4 || f.unacked == 0 || f.refused == 0 || f.redeemed == 0 {
		t.Errorf("the run did not test what it should: %d kills, %d committed without acknowledgment, %d refused, %d redeemed", killed, f.unacked, f.refused, f.redeemed)
	}
}

// tillFigures is what the check of the tills' sales counted.
type tillFigures struct {
	tried, killed, acked, found, lost, duplicates, unacked, refused, redeemed int
}

// tillPurchase is a sale of the tills as the shop holds it.
type tillPurchase struct {
	id, customer           rules.ID
	ref                    string
	amount, discount       int64
	earned, redeemed, rows int64
}

// checkTillSales compares what the tills acknowledged with what the shop
// holds, through its own connection to the database.
func checkTillSales(t *testing.T, dsn string, lines []tillLine) tillFigures {
	t.Helper()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	byRef, byID := readTillPurchases(t, raw)
	var f tillFigures
	acked := map[rules.ID]tillLine{}
	for _, l := range lines {
		f.tried++
		ref := tillRef(l.till, l.run, l.slot)
		got := byRef[ref]
		if !l.ok {
			f.refused++
			if !refusalSentence.MatchString(l.refusal) {
				t.Errorf("%s was refused as %q", ref, l.refusal)
			}
			if len(got) != 0 {
				t.Errorf("%s was refused, yet the shop holds it as purchase %d", ref, got[0].id)
			}
			continue
		}
		f.acked++
		acked[l.purchase] = l
		switch {
		case len(got) == 0:
			f.lost++
			t.Errorf("%s was acknowledged as purchase %d but is not in the shop", ref, l.purchase)
			continue
		case len(got) > 1:
			f.duplicates += len(got) - 1
			t.Errorf("%s is in the shop %d times", ref, len(got))
		}
		f.found++
		p := got[0]
		customer, amount, redeem := tillSale(l.till, l.slot)
		if p.id != l.purchase || p.customer != customer || p.amount != int64(amount) || p.earned != l.earned || p.redeemed != redeem || l.redeemed != redeem {
			t.Errorf("%s acknowledged as purchase %d earning %d, redeeming %d; the shop holds %+v", ref, l.purchase, l.earned, l.redeemed, p)
		}
		if redeem > 0 {
			f.redeemed++
		}
	}
	for _, p := range byID {
		// Every sale, acknowledged or not, is whole: its points are those
		// of its amount, its redemption that of its discount.
		if _, ok := acked[p.id]; !ok {
			f.unacked++
		}
		if want := (p.amount - p.discount) / 100; p.earned != want || p.redeemed != p.discount/5 || p.rows != btoi(p.earned > 0)+btoi(p.redeemed > 0) {
			t.Errorf("purchase %d (%s) is not whole: %+v", p.id, p.ref, p)
		}
	}
	if f.unacked > 4 {
		t.Errorf("%d sales are in the shop without acknowledgment, more than the kills", f.unacked)
	}
	checkTillBalances(t, raw, byID, acked)
	return f
}

func btoi(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// readTillPurchases reads every purchase with its ledger rows, by
// reference and by id in id order.
func readTillPurchases(t *testing.T, raw *sql.DB) (map[string][]tillPurchase, []tillPurchase) {
	t.Helper()
	rows, err := raw.Query(`SELECT p.id, p.customer_id, p.description, p.amount_cents, p.discount_cents,
		COALESCE(SUM(CASE WHEN l.kind = 'earn' THEN l.points END), 0),
		COALESCE(SUM(CASE WHEN l.kind = 'redeem' THEN -l.points END), 0), count(l.id)
		FROM purchases p LEFT JOIN ledger l ON l.purchase_id = p.id
		GROUP BY p.id ORDER BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byRef := map[string][]tillPurchase{}
	var byID []tillPurchase
	for rows.Next() {
		var p tillPurchase
		if err := rows.Scan(&p.id, &p.customer, &p.ref, &p.amount, &p.discount, &p.earned, &p.redeemed, &p.rows); err != nil {
			t.Fatal(err)
		}
		byRef[p.ref] = append(byRef[p.ref], p)
		byID = append(byID, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return byRef, byID
}

// checkTillBalances: each customer's running balance, sale after sale in
// the order the shop took them, never falls below zero and is what the
// till was told at each acknowledged sale; the summary row's balance is
// the ledger's sum, and the ledger holds nothing but the sales' rows.
func checkTillBalances(t *testing.T, raw *sql.DB, byID []tillPurchase, acked map[rules.ID]tillLine) {
	t.Helper()
	running := map[rules.ID]int64{}
	for _, p := range byID {
		running[p.customer] += p.earned - p.redeemed
		if running[p.customer] < 0 {
			t.Errorf("customer %d's balance fell to %d at purchase %d", p.customer, running[p.customer], p.id)
		}
		if l, ok := acked[p.id]; ok && l.balance != running[p.customer] {
			t.Errorf("purchase %d was acknowledged with balance %d; the sales before it add up to %d", p.id, l.balance, running[p.customer])
		}
	}
	rows, err := raw.Query(`SELECT c.id, COALESCE(s.balance, -1), COALESCE((SELECT SUM(points) FROM ledger WHERE customer_id = c.id), 0),
		(SELECT count(*) FROM ledger WHERE customer_id = c.id AND kind NOT IN ('earn', 'redeem'))
		FROM customers c LEFT JOIN customer_summary s ON s.customer_id = c.id ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id rules.ID
		var balance, sum, other int64
		if err := rows.Scan(&id, &balance, &sum, &other); err != nil {
			t.Fatal(err)
		}
		n++
		if balance != sum || sum != running[id] || balance < 0 || other != 0 {
			t.Errorf("customer %d: summary balance %d, ledger sum %d, sales add up to %d, %d other ledger rows", id, balance, sum, running[id], other)
		}
	}
	if n != tillCustomers {
		t.Errorf("%d customers, want %d", n, tillCustomers)
	}
}
