package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regulars/rules"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks at shop size: `make bench` runs them on demo shops of 5,000 and
// 50,000 customers (REGULARS_BENCH_SIZES=2000,20000 picks others). The
// shops are built once and kept under $TMPDIR/regulars-bench, since the
// large one takes a while to make; delete that folder to build them again.
// Nothing here runs under plain `go test`: shops are only built inside
// Benchmark functions.
//
// Each hot query also runs the best hand-written SQL for the same answer on
// the same database and reports ours/raw, the cost of the layers above SQL.

// benchDay is the last day of the demo shops' history and the day the
// benchmarks look at.
var benchDay = rules.NewDay(2026, time.June, 15)

func benchSizes() []int {
	sizes := []int{5000, 50000}
	if v := os.Getenv("REGULARS_BENCH_SIZES"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
				sizes = append(sizes, n)
			}
		}
	}
	return sizes
}

// BenchShopPath returns the demo database of n customers ending on
// benchDay, making it first when it is not there yet.
func benchShopPath(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "regulars-bench")
	path := filepath.Join(dir, fmt.Sprintf("demo-s%d-%s-%d.db", SchemaVersion(), benchSchemaTag(b), n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	os.Remove(tmp)
	ctx := context.Background()
	s, err := Open(ctx, tmp, Options{Today: benchDay})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: n, Seed: 1, End: benchDay}); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		os.Remove(tmp + ext)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("made the %d-customer bench shop in %v", n, time.Since(start).Round(time.Millisecond))
	return path
}

// benchSchemaTag tells schemas of one number apart: branches that each
// add a migration share the number until they are merged, and a shop of
// one must not be opened as the other's.
func benchSchemaTag(b *testing.B) string {
	b.Helper()
	names, err := migrations()
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.New()
	for _, name := range names {
		text, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(text))
		h.Write(text)
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}

var benchShops = struct {
	sync.Mutex
	open map[int]*Store
}{open: map[int]*Store{}}

// benchShop is the shared, read-only store of n customers. It stays open
// for the whole run: Go calls each benchmark several times.
func benchShop(b *testing.B, n int) *Store {
	b.Helper()
	benchShops.Lock()
	defer benchShops.Unlock()
	if s := benchShops.open[n]; s != nil {
		return s
	}
	s, err := Open(context.Background(), benchShopPath(b, n), Options{Today: benchDay})
	if err != nil {
		b.Fatal(err)
	}
	benchShops.open[n] = s
	return s
}

// benchCopy is a private copy of the shop of n customers, for benchmarks
// that write.
func benchCopy(b *testing.B, n int) *Store {
	b.Helper()
	src := benchShopPath(b, n)
	dst := filepath.Join(b.TempDir(), "shop.db")
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	s, err := Open(context.Background(), dst, Options{Today: benchDay})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// cpuClock measures the processor time the process spends (every thread,
// the garbage collector too): on a machine busy with other work it says
// more than the wall clock.
type cpuClock time.Duration

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock(cpuTime()) }

// report adds cpu-ms/op, the processor time per op since the clock started.
func (c cpuClock) report(b *testing.B) {
	b.Helper()
	used := cpuTime() - time.Duration(c)
	b.ReportMetric(float64(used.Microseconds())/1000/float64(max(b.N, 1)), "cpu-ms/op")
}

// perSize runs fn as a sub-benchmark for each shop size.
func perSize(b *testing.B, fn func(b *testing.B, n int)) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) { fn(b, n) })
	}
}

// compareRaw reports ms/op of the timed loop, then the time per op of raw
// (raw-ms/op) and the ratio ours/raw. The ratio is taken in rounds that
// run ours and raw by turns, each round as long as a slice of the timed
// loop, and is the median of the rounds' ratios: on a busy machine the
// load that comes and goes falls on both sides alike.
func compareRaw(b *testing.B, ours, raw func() error) {
	b.Helper()
	b.StopTimer()
	elapsed := b.Elapsed()
	n := max(b.N, 1)
	b.ReportMetric(float64((elapsed/time.Duration(n)).Microseconds())/1000, "ms/op")
	// One untimed run warms the same caches ours had warmed.
	if err := raw(); err != nil {
		b.Fatal(err)
	}
	const rounds = 11
	per := max(n/rounds, 1)
	timed := func(fn func() error) time.Duration {
		start := time.Now()
		for range per {
			if err := fn(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	ratios := make([]float64, 0, rounds)
	raws := make([]time.Duration, 0, rounds)
	for r := range rounds {
		var o, w time.Duration
		if r%2 == 0 {
			o, w = timed(ours), timed(raw)
		} else {
			w, o = timed(raw), timed(ours)
		}
		raws = append(raws, w/time.Duration(per))
		if w > 0 {
			ratios = append(ratios, float64(o)/float64(w))
		}
	}
	slices.Sort(raws)
	slices.Sort(ratios)
	b.ReportMetric(float64(raws[len(raws)/2].Microseconds())/1000, "raw-ms/op")
	if len(ratios) > 0 {
		b.ReportMetric(ratios[len(ratios)/2], "ours/raw")
	}
}

// rawRows runs q and reads every column of every row as raw bytes.
func rawRows(ctx context.Context, db *sql.DB, q string, args ...any) (int, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// benchSearches are keystrokes as a cashier types them: a prefix and a
// fragment from the middle of a name, a phone number and an email, and a
// longer fragment that few customers hold.
func benchSearches(b *testing.B, s *Store) map[string]string {
	b.Helper()
	var name, phone, email string
	err := s.reader().QueryRow(`SELECT name_fold, phone_digits, email_norm FROM customers
		WHERE phone_digits <> '' AND email_norm <> '' AND length(name_fold) > 8 ORDER BY id LIMIT 1 OFFSET 123`).Scan(&name, &phone, &email)
	if err != nil {
		b.Fatal(err)
	}
	last := name[strings.LastIndex(name, " ")+1:]
	// The letters of the email's name part after the first: few customers
	// hold them, and no name starts with them. Digits would also search the
	// phones.
	rare := email[1:strings.Index(email, "@")]
	if i := strings.IndexAny(rare, "0123456789"); i >= 0 {
		rare = rare[:i]
	}
	return map[string]string{
		"name-prefix":     name[:3],
		"name-substring":  last[1:4],
		"phone-prefix":    phone[:4],
		"phone-substring": phone[len(phone)-5 : len(phone)-1],
		"email-prefix":    email[:4],
		"email-substring": email[strings.Index(email, "@") : strings.Index(email, "@")+5],
		"rare-fragment":   rare,
	}
}

// BenchmarkSearch is one keystroke in the customer search (200 results, as
// the Customers screen asks).
func BenchmarkSearch(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		for _, what := range []string{"name-prefix", "name-substring", "phone-prefix", "phone-substring", "email-prefix", "email-substring", "rare-fragment"} {
			text := benchSearches(b, s)[what]
			b.Run(what, func(b *testing.B) {
				// The names are in memory: they are read at the first
				// keystroke after a change (BenchmarkSearchAfterEdit).
				if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
					b.Fatal(err)
				}
				var found int
				cpu := startCPU()
				for b.Loop() {
					cs, err := s.SearchCustomers(ctx, text, 200)
					if err != nil {
						b.Fatal(err)
					}
					found = len(cs)
				}
				cpu.report(b)
				b.ReportMetric(float64(found), "found")
				compareRaw(b, func() error { _, err := s.SearchCustomers(ctx, text, 200); return err },
					func() error { _, err := rawSearch(ctx, s.reader(), text, 200); return err })
				// The search alone, without reading the customers found:
				// that part grows with how many are found.
				t := strings.ToLower(strings.TrimSpace(text))
				start := time.Now()
				for range b.N {
					if _, err := s.searchIDs(ctx, t, 200); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start))/float64(b.N)/1e6, "ids-ms/op")
			})
		}
	})
}

// BenchmarkSearchAfterEdit is the first keystroke after a customer's name,
// email or phone changed. edit: changed through the store, which says whom
// it changed: that customer alone is read again and put in its place.
// reread: another program committed, which does not say what: every name is
// read again.
func BenchmarkSearchAfterEdit(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchCopy(b, n)
		ctx := context.Background()
		text := benchSearches(b, s)["name-substring"]
		if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
			b.Fatal(err)
		}
		ids, err := idList(ctx, s.reader(), "SELECT id FROM customers ORDER BY id LIMIT 500")
		if err != nil {
			b.Fatal(err)
		}
		edited := 0
		edit := func(b *testing.B) {
			c, err := s.Customer(ctx, ids[edited%len(ids)])
			if err != nil {
				b.Fatal(err)
			}
			// A name the search finds, among the others.
			c.Name = fmt.Sprintf("Edited %s %d", text, edited)
			if err := s.UpdateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			edited++
		}
		b.Run("edit", func(b *testing.B) {
			reloads := s.search.reloads
			var again, first time.Duration
			found := 0
			for range b.N {
				b.StopTimer()
				edit(b)
				b.StartTimer()
				if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				// The same search once the change is in.
				start := time.Now()
				cs, err := s.SearchCustomers(ctx, text, 200)
				if err != nil {
					b.Fatal(err)
				}
				again += time.Since(start)
				found = len(cs)
				// The first search without reading the customers found,
				// which after a write come from the file, not the readers'
				// caches: the patch and the search in memory.
				edit(b)
				start = time.Now()
				if _, err := s.searchIDs(ctx, strings.ToLower(strings.TrimSpace(text)), 200); err != nil {
					b.Fatal(err)
				}
				first += time.Since(start)
				b.StartTimer()
			}
			b.ReportMetric(float64(s.search.reloads-reloads), "rereads")
			b.ReportMetric(float64(again)/float64(b.N)/1e6, "again-ms/op")
			b.ReportMetric(float64(first)/float64(b.N)/1e6, "ids-ms/op")
			b.ReportMetric(float64(found), "found")
		})
		b.Run("reread", func(b *testing.B) {
			other, err := sql.Open("sqlite", s.path)
			if err != nil {
				b.Fatal(err)
			}
			defer other.Close()
			reloads := s.search.reloads
			for i := range b.N {
				b.StopTimer()
				if _, err := other.Exec("INSERT INTO settings(key, value) VALUES ('bench', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", i); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.search.reloads-reloads)/float64(b.N), "rereads/op")
		})
	})
}

// BenchmarkSearchIndex is the reading of every customer's entry (what the
// first search after another program's commit does), and reports the
// memory the entries hold (index-MB, measured as the heap grows).
func BenchmarkSearchIndex(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var entries []searchEntry
		for b.Loop() {
			var err error
			if entries, err = s.readSearchEntries(ctx, "", nil, n); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		entries = nil
		before := heapInUse()
		entries, err := s.readSearchEntries(ctx, "", nil, n)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(heapInUse()-before)/1e6, "index-MB")
		runtime.KeepAlive(entries)
	})
}

// heapInUse is the memory the live values hold, after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// rawSearch is the search as one hand-written statement, read as raw bytes.
func rawSearch(ctx context.Context, db *sql.DB, text string, limit int) (int, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	like := "%" + escapeLike(t) + "%"
	digits := rules.PhoneDigits(t)
	digitLike := ""
	if len(digits) >= 2 {
		digitLike = "%" + digits + "%"
	}
	return rawRows(ctx, db, "SELECT "+customerCols+` FROM customers
		WHERE name_fold LIKE ? ESCAPE '\' OR email_norm LIKE ? ESCAPE '\' OR (? <> '' AND phone_digits LIKE ?)
		ORDER BY (name_fold LIKE ? ESCAPE '\') DESC, name_fold, id LIMIT ?`,
		like, like, digitLike, digitLike, escapeLike(t)+"%", limit)
}

// BenchmarkToday is the Today list of the shop on its last day.
func BenchmarkToday(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var listed int
		cpu := startCPU()
		for b.Loop() {
			rs, err := s.TodayList(ctx, benchDay)
			if err != nil {
				b.Fatal(err)
			}
			listed = len(rs)
		}
		cpu.report(b)
		b.ReportMetric(float64(listed), "reminders")
		compareRaw(b, func() error { _, err := s.TodayList(ctx, benchDay); return err },
			func() error { return rawToday(ctx, s, benchDay, benchDay) })
	})
}

// BenchmarkUpcoming is the Upcoming tab of Today: the next seven days.
func BenchmarkUpcoming(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var listed int
		cpu := startCPU()
		for b.Loop() {
			rs, err := s.Upcoming(ctx, benchDay, 7)
			if err != nil {
				b.Fatal(err)
			}
			listed = len(rs)
		}
		cpu.report(b)
		b.ReportMetric(float64(listed), "reminders")
	})
}

// benchPage is how many rows the Today screen asks for at once.
const benchPage = 50

// BenchmarkTodayPage is what the Today screen reads first: the counts of
// the whole list and its first page, in the screen's order.
func BenchmarkTodayPage(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var p ReminderPage
		cpu := startCPU()
		for b.Loop() {
			var err error
			if p, err = s.TodayGroupedPage(ctx, benchDay, 0, benchPage); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(p.Total), "reminders")
		b.ReportMetric(float64(len(p.Rows)), "rows")
		compareRaw(b, func() error { _, err := s.TodayGroupedPage(ctx, benchDay, 0, benchPage); return err },
			func() error { return rawToday(ctx, s, benchDay, benchDay) })
	})
}

// BenchmarkDoneTodayPage is the first page of Done today with its counts:
// the reminders done or skipped on the shop's last day.
func BenchmarkDoneTodayPage(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var p ReminderPage
		cpu := startCPU()
		for b.Loop() {
			var err error
			if p, err = s.HandledPage(ctx, benchDay, 0, benchPage); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(p.Total), "reminders")
		b.ReportMetric(float64(len(p.Rows)), "rows")
		compareRaw(b, func() error { _, err := s.HandledPage(ctx, benchDay, 0, benchPage); return err },
			func() error { return rawDonePage(ctx, s, benchDay) })
	})
}

// rawDonePage reads the counts and the first page's keys of Done today (in
// the screen's order: by kind in the rules' order, then customer), and
// the facts of the page's customers that their reminders are computed
// from, one hand-written statement per table.
func rawDonePage(ctx context.Context, s *Store, d rules.Day) error {
	db := s.reader()
	if _, err := rawRows(ctx, db, `SELECT kind, count(*) FROM reminder_states
		WHERE changed_on = ? AND state IN ('done', 'skipped') GROUP BY kind`, d.String()); err != nil {
		return err
	}
	ids, err := idList(ctx, db, `SELECT customer_id FROM reminder_states WHERE changed_on = ? AND state IN ('done', 'skipped')
		ORDER BY `+handledKindOrder+`, customer_id, due DESC, key DESC LIMIT ?`, d.String(), benchPage)
	if err != nil {
		return err
	}
	list, _ := json.Marshal(ids)
	in := " IN (SELECT value FROM json_each(?))"
	for _, q := range []string{
		"SELECT " + customerCols + " FROM customers WHERE id" + in,
		"SELECT " + purchaseCols + " FROM purchases WHERE customer_id" + in,
		"SELECT " + contactCols + " FROM contacts WHERE customer_id" + in,
		"SELECT " + complaintCols + " FROM complaints WHERE customer_id" + in,
		"SELECT " + promiseCols + " FROM promises WHERE customer_id" + in,
		"SELECT " + occasionCols + " FROM occasions WHERE customer_id" + in,
		"SELECT " + ledgerCols + " FROM ledger WHERE customer_id" + in,
		"SELECT key, state, snoozed_until, reason, staff, changed_on FROM reminder_states WHERE customer_id" + in,
	} {
		if _, err := rawRows(ctx, db, q, string(list)); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkUpcomingPage is the first page of Upcoming with its counts.
func BenchmarkUpcomingPage(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var p ReminderPage
		cpu := startCPU()
		for b.Loop() {
			var err error
			if p, err = s.UpcomingPage(ctx, benchDay, 7, 0, benchPage); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(p.Total), "reminders")
		b.ReportMetric(float64(len(p.Rows)), "rows")
		compareRaw(b, func() error { _, err := s.UpcomingPage(ctx, benchDay, 7, 0, benchPage); return err },
			func() error { return rawToday(ctx, s, benchDay, benchDay.AddDays(7)) })
	})
}

// BenchmarkCalendarMonth is what the calendar screen loads for a month:
// the counts of the six weeks of its grid and the chosen day's counts and
// first page, with their words.
func BenchmarkCalendarMonth(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		from := dvGrid(benchDay)
		to := from.AddDays(41)
		var marked, listed, rows int
		cpu := startCPU()
		for b.Loop() {
			cal, day, err := s.DueMonth(ctx, from, to, benchDay, 0, benchPage)
			if err != nil {
				b.Fatal(err)
			}
			marked, listed, rows = 0, day.Total, len(day.Rows)
			for _, c := range cal {
				marked += c.Total()
			}
		}
		cpu.report(b)
		if rows != min(listed, benchPage) {
			b.Fatalf("the first page of %s holds %d of %d reminders", benchDay, rows, listed)
		}
		b.ReportMetric(float64(marked), "marked")
		b.ReportMetric(float64(listed), "day-reminders")
		compareRaw(b, func() error { _, _, err := s.DueMonth(ctx, from, to, benchDay, 0, benchPage); return err },
			func() error { return rawToday(ctx, s, from, to) })
	})
}

// BenchmarkCalendarAfterSale is the calendar's month read again after a
// sale made in the same window: only the customer sold to is read again.
// The time includes the sale and its commit.
func BenchmarkCalendarAfterSale(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchCopy(b, n)
		ctx := context.Background()
		id := benchBusyCustomer(b, s)
		from := dvGrid(benchDay)
		to := from.AddDays(41)
		if _, _, err := s.DueMonth(ctx, from, to, benchDay, 0, benchPage); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 4250, Description: "scarf", Staff: "Maggie"}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := s.DueMonth(ctx, from, to, benchDay, 0, benchPage); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(msPerOp(b), "ms/op")
	})
}

// BenchmarkCalendarMonthAhead is BenchmarkCalendarMonth fourteen months
// ahead, where no customer has a fact dated in the month.
func BenchmarkCalendarMonthAhead(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		day := benchDay.AddMonths(14)
		from := dvGrid(day)
		var marked, listed int
		cpu := startCPU()
		for b.Loop() {
			cal, p, err := s.DueMonth(ctx, from, from.AddDays(41), day, 0, benchPage)
			if err != nil {
				b.Fatal(err)
			}
			marked, listed = 0, p.Total
			for _, c := range cal {
				marked += c.Total()
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(marked), "marked")
		b.ReportMetric(float64(listed), "day-reminders")
	})
}

// BenchmarkCalendarWeek is what the calendar's week agenda reads: the
// counts of the week of benchDay and the first page of its list, each
// day's page in turn until the page is full.
func BenchmarkCalendarWeek(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		from := benchDay.AddDays(-(int(benchDay.Weekday()+6) % 7))
		var marked, rows int
		cpu := startCPU()
		for b.Loop() {
			counts, err := s.DueCounts(ctx, from, from.AddDays(6))
			if err != nil {
				b.Fatal(err)
			}
			marked, rows = 0, 0
			for i := range 7 {
				d := from.AddDays(i)
				marked += counts[d].Total()
				if left := benchPage - rows; left > 0 && counts[d].Total() > 0 {
					p, err := s.DueDayPage(ctx, d, 0, left)
					if err != nil {
						b.Fatal(err)
					}
					rows += len(p.Rows)
				}
			}
		}
		cpu.report(b)
		if rows != min(marked, benchPage) {
			b.Fatalf("the first page of the week holds %d of %d reminders", rows, marked)
		}
		b.ReportMetric(float64(marked), "marked")
	})
}

// BenchmarkDueOnMonth is the whole grid with every reminder's words, as
// DueOn gives it.
func BenchmarkDueOnMonth(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		from := dvGrid(benchDay)
		to := from.AddDays(41)
		var listed int
		cpu := startCPU()
		for b.Loop() {
			cal, err := s.DueOn(ctx, from, to)
			if err != nil {
				b.Fatal(err)
			}
			listed = 0
			for _, rs := range cal {
				listed += len(rs)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(listed), "reminders")
	})
}

// benchBusyCustomer is the customer with the most dated events.
func benchBusyCustomer(b *testing.B, s *Store) rules.ID {
	b.Helper()
	var id rules.ID
	err := s.reader().QueryRow(`SELECT customer_id FROM (
		SELECT customer_id FROM purchases WHERE customer_id IS NOT NULL UNION ALL
		SELECT customer_id FROM contacts UNION ALL SELECT customer_id FROM ledger)
		GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1`).Scan(&id)
	if err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkCustomerPage loads everything the customer page shows for the
// busiest customer: details, timeline, reminders and points, in one call
// (CustomerPage) as the screen does.
func BenchmarkCustomerPage(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		id := benchBusyCustomer(b, s)
		var events int
		cpu := startCPU()
		for b.Loop() {
			p, err := s.CustomerPage(ctx, id, benchDay)
			if err != nil {
				b.Fatal(err)
			}
			events = len(p.Purchases) + len(p.Contacts) + len(p.Complaints) + len(p.Promises) + len(p.Occasions) + len(p.Reminders) + len(p.Ledger)
		}
		cpu.report(b)
		b.ReportMetric(float64(events), "events")
		compareRaw(b, func() error { _, err := s.CustomerPage(ctx, id, benchDay); return err },
			func() error { return rawCustomerPage(ctx, s, id) })
	})
}

// rawCustomerPage reads the same rows as the customer page with one
// hand-written statement per table. Reminders are computed by rules, so
// the raw side also reads what they are computed and worded from: the
// reminder states and the settings (rules, scheme, shop name, templates).
// The balance is the sum of the ledger rows read.
func rawCustomerPage(ctx context.Context, s *Store, id rules.ID) error {
	db := s.reader()
	today := benchDay.String()
	for _, q := range []string{
		"SELECT " + customerCols + " FROM customers WHERE id = ?",
		"SELECT channel, given_on, source FROM consents WHERE customer_id = ?",
		"SELECT " + purchaseCols + " FROM purchases WHERE customer_id = ? AND day <= '" + today + "' ORDER BY day DESC, at DESC, id DESC",
		"SELECT " + contactCols + " FROM contacts WHERE customer_id = ? ORDER BY at DESC, id DESC",
		"SELECT " + complaintCols + " FROM complaints WHERE customer_id = ? ORDER BY received_at DESC, id DESC",
		"SELECT " + promiseCols + " FROM promises WHERE customer_id = ? ORDER BY due, id",
		"SELECT " + occasionCols + " FROM occasions WHERE customer_id = ? ORDER BY month, day, id",
		"SELECT " + ledgerCols + " FROM ledger WHERE customer_id = ? AND day <= '" + today + "' ORDER BY day, id",
		"SELECT key, state, snoozed_until, reason, staff, changed_on FROM reminder_states WHERE customer_id = ? AND changed_on <= '" + today + "'",
	} {
		if _, err := rawRows(ctx, db, q, id); err != nil {
			return err
		}
	}
	_, err := rawRows(ctx, db, pageSettingsSQL)
	return err
}

// BenchmarkCheckoutSale records one sale for a known customer: the
// checkout's Enter. The time includes the commit's fsync.
func BenchmarkCheckoutSale(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchCopy(b, n)
		ctx := context.Background()
		id := benchBusyCustomer(b, s)
		cpu := startCPU()
		for b.Loop() {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 4250, Description: "scarf", Staff: "Maggie"}); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
	})
}

// benchCustomersCSV is rows customers nobody in a demo shop has.
func benchCustomersCSV(rows int) []byte {
	var buf bytes.Buffer
	buf.WriteString("name,phone,email,birthday,customer_since,notes,tags,do_not_contact,points\n")
	for i := range rows {
		fmt.Fprintf(&buf, "Imported Person %05d,+44 7999 %06d,imported.%05d@example.org,1980-%02d-%02d,2024-03-01,from the old till,imported;vip,false,%d\n",
			i, i, i, 1+i%12, 1+i%28, i%150)
	}
	return buf.Bytes()
}

// BenchmarkImportCustomers imports 10,000 customer rows from CSV into the
// shop. Only the import is timed, not copying the shop before it.
func BenchmarkImportCustomers(b *testing.B) {
	csv := benchCustomersCSV(10000)
	perSize(b, func(b *testing.B, n int) {
		ctx := context.Background()
		benchShopPath(b, n)
		var used time.Duration
		for b.Loop() {
			b.StopTimer()
			s := benchCopy(b, n)
			b.StartTimer()
			start := cpuTime()
			rep, err := s.ImportCustomersCSV(ctx, bytes.NewReader(csv), ImportOptions{})
			if err != nil {
				b.Fatal(err)
			}
			used += cpuTime() - start
			if !rep.Written || rep.Added != 10000 {
				b.Fatalf("imported %d rows (written %v), want 10000", rep.Added, rep.Written)
			}
		}
		b.ReportMetric(float64(used.Microseconds())/1000/float64(max(b.N, 1)), "cpu-ms/op")
		b.ReportMetric(b.Elapsed().Seconds()/float64(max(b.N, 1)), "s/op")
	})
}

// BenchmarkDemo makes a demo shop from nothing.
func BenchmarkDemo(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		ctx := context.Background()
		cpu := startCPU()
		for b.Loop() {
			b.StopTimer()
			s, err := Open(ctx, filepath.Join(b.TempDir(), "demo.db"), Options{Today: benchDay})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: n, Seed: 1, End: benchDay}); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		cpu.report(b)
		b.ReportMetric(b.Elapsed().Seconds()/float64(max(b.N, 1)), "s/op")
	})
}

// rawToday reads, with hand-written statements on the facts and the
// summary rows, what Today (and Upcoming, and a calendar's days) from d to
// end is computed from: every customer with their summary row, the
// occasions, promises and complaints, and the sales of the weeks before.
// Working the rules and the words out is Go's work on top.
func rawToday(ctx context.Context, s *Store, d, end rules.Day) error {
	db := s.reader()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT c.id, c.name, c.phone, c.email, c.birthday_year, c.birthday_month, c.birthday_day, c.do_not_contact,
			c.customer_since, c.added_on, m.balance, m.reward_ready_on, m.last_sale_id, m.last_sale_day, m.last_sale_cents,
			m.last_contact_day, m.last_fact_day
			FROM customers c LEFT JOIN customer_summary m ON m.customer_id = c.id WHERE c.forgotten = 0`, nil},
		{"SELECT customer_id, label, year, month, day, yearly, lead_days FROM occasions", nil},
		{"SELECT customer_id, what, due, made_on, kept_on FROM promises WHERE made_on <= ?", []any{d.String()}},
		{"SELECT customer_id, what, received_on, resolved_on FROM complaints WHERE received_on <= ?", []any{d.String()}},
		{`SELECT customer_id, id, day, amount_cents, refund_of FROM purchases
			WHERE day >= ? AND day <= ? AND voided = 0 AND customer_id IS NOT NULL`, []any{d.AddDays(-90).String(), end.String()}},
	} {
		if _, err := rawRows(ctx, db, q.sql, q.args...); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkReport is what the Reports screen loads: every report as of the
// shop's last day with the top ten customers.
func BenchmarkReport(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var r rules.Report
		cpu := startCPU()
		for b.Loop() {
			var err error
			if r, err = s.Report(ctx, benchDay, 10); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(r.Now.Total), "customers")
		compareRaw(b, func() error { _, err := s.Report(ctx, benchDay, 10); return err },
			func() error { return rawReportRows(ctx, s.reader(), benchDay) })
	})
}

// BenchmarkReportAsReady is what the Reports screen waits for: every
// figure but the follow-up, which it shows first (first-ms/op), then the
// whole report (ms/op).
func BenchmarkReportAsReady(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var first time.Duration
		var r rules.Report
		cpu := startCPU()
		for b.Loop() {
			start := time.Now()
			var err error
			r, err = s.ReportAsReady(ctx, benchDay, 10, func(rules.Report) { first += time.Since(start) })
			if err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(first.Microseconds())/1000/float64(max(b.N, 1)), "first-ms/op")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
		b.ReportMetric(float64(r.Now.Total), "customers")
	})
}

// rawReportRows reads, row by row with hand-written statements, the facts
// a report is computed from (what it adds up is not done).
func rawReportRows(ctx context.Context, db *sql.DB, day rules.Day) error {
	d := day.String()
	return parallel(func() error {
		_, err := rawRows(ctx, db, "SELECT customer_id, id, day, amount_cents, discount_cents, refund_of FROM purchases WHERE voided = 0 AND day || '' <= ?", d)
		return err
	}, func() error {
		_, err := rawRows(ctx, db, "SELECT customer_id, day, points, kind, purchase_id FROM ledger WHERE day <= ?", d)
		return err
	}, func() error {
		_, err := rawRows(ctx, db, "SELECT key, customer_id, state, staff, changed_on FROM reminder_states WHERE changed_on || '' <= ? AND due <= ?", d, d)
		return err
	}, func() error {
		_, err := rawRows(ctx, db, `SELECT id, forgotten, birthday_year, birthday_month, birthday_day, do_not_contact, customer_since, added_on FROM customers`)
		if err == nil {
			_, err = rawRows(ctx, db, "SELECT customer_id, max(day) FROM contacts WHERE day <= ? GROUP BY customer_id", d)
		}
		return err
	})
}

// BenchmarkLoyaltyScreen is what the Loyalty screen loads: the scheme, the
// points held and by how many, the first page of who has a reward ready
// and how many do, and the hundred best customers.
func BenchmarkLoyaltyScreen(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		var ready int
		cpu := startCPU()
		for b.Loop() {
			o, err := s.LoyaltyOverview(ctx, 100)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.TopCustomers(ctx, 100); err != nil {
				b.Fatal(err)
			}
			ready = o.Ready.Total
		}
		cpu.report(b)
		b.ReportMetric(float64(ready), "ready")
		compareRaw(b, func() error {
			if _, err := s.LoyaltyOverview(ctx, 100); err != nil {
				return err
			}
			_, err := s.TopCustomers(ctx, 100)
			return err
		}, func() error { return rawLoyalty(ctx, s.reader(), benchDay) })
	})
}

// rawLoyalty is the Loyalty screen's figures as hand-written SQL on the
// facts: the points held, the first 100 with a reward ready and how many,
// the 100 best customers.
func rawLoyalty(ctx context.Context, db *sql.DB, day rules.Day) error {
	d := day.String()
	balances := "SELECT customer_id, sum(points) AS b FROM ledger WHERE day <= ? GROUP BY customer_id"
	if _, err := rawRows(ctx, db, "SELECT sum(b), count(*) FROM ("+balances+") t WHERE b > 0", d); err != nil {
		return err
	}
	if _, err := rawRows(ctx, db, "SELECT count(*) FROM ("+balances+") t WHERE b >= 100", d); err != nil {
		return err
	}
	if _, err := rawRows(ctx, db, "SELECT t.b, "+prefixed("c", customerCols)+" FROM ("+balances+") t JOIN customers c ON c.id = t.customer_id WHERE t.b >= 100 ORDER BY t.b DESC, c.id LIMIT 100", d); err != nil {
		return err
	}
	_, err := rawRows(ctx, db, `SELECT t.s, t.n, `+prefixed("c", customerCols)+` FROM (SELECT customer_id, sum(amount_cents - discount_cents) AS s,
		count(CASE WHEN amount_cents > 0 THEN 1 END) AS n FROM purchases WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ? GROUP BY customer_id) t
		JOIN customers c ON c.id = t.customer_id ORDER BY t.s DESC, c.id LIMIT 100`, d)
	return err
}

// BenchmarkSegment is the Segments screen's group: everyone who may be
// contacted, by name, and the customers lapsing as of the shop's last day.
func BenchmarkSegment(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		for name, q := range map[string]SegmentQuery{"everyone": {}, "lapsing": {Bands: []rules.Band{rules.BandLapsing}}} {
			b.Run(name, func(b *testing.B) {
				var found int
				cpu := startCPU()
				for b.Loop() {
					cs, err := s.Segment(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					found = len(cs)
				}
				cpu.report(b)
				b.ReportMetric(float64(found), "customers")
			})
		}
	})
}

// BenchmarkCustomerEdit saves a customer's form with a new name, phone and
// email: the Save of the customer's page. The time includes the commit's
// fsync and the kept rows worded again with the new name.
func BenchmarkCustomerEdit(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchCopy(b, n)
		ctx := context.Background()
		id := benchBusyCustomer(b, s)
		c, err := s.Customer(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		name := c.Name
		cpu := startCPU()
		i := 0
		for b.Loop() {
			i++
			c.Name = fmt.Sprintf("%s %d", name, i%2)
			c.Phone = fmt.Sprintf("07700 9%05d", i)
			if err := s.UpdateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
	})
}

// BenchmarkSegmentPage is what the Segments screen reads first: the counts
// and the first page of 50. The raw side is SQL on the facts alone: the
// counts in one statement, the page along the name index.
func BenchmarkSegmentPage(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		s := benchShop(b, n)
		ctx := context.Background()
		tags, err := s.Tags(ctx)
		if err != nil || len(tags) == 0 {
			b.Fatalf("tags %v, %v", tags, err)
		}
		qs := []struct {
			name string
			q    SegmentQuery
		}{
			{"everyone", SegmentQuery{}},
			{"lapsing", SegmentQuery{Bands: []rules.Band{rules.BandLapsing}}},
			{"birthdays-month", SegmentQuery{Birthdays: rules.BirthdaysThisMonth}},
			{"tag", SegmentQuery{Tag: tags[0]}},
			{"top100", SegmentQuery{Top: 100}},
			{"tag+lapsing", SegmentQuery{Tag: tags[0], Bands: []rules.Band{rules.BandLapsing}}},
		}
		for _, c := range qs {
			b.Run(c.name, func(b *testing.B) {
				var found int
				cpu := startCPU()
				for b.Loop() {
					p, err := s.SegmentPage(ctx, c.q, 0, 50)
					if err != nil {
						b.Fatal(err)
					}
					found = p.Customers
				}
				cpu.report(b)
				b.ReportMetric(float64(found), "customers")
				compareRaw(b, func() error { _, err := s.SegmentPage(ctx, c.q, 0, 50); return err },
					func() error { return rawSegmentPage(ctx, s.reader(), c.q, benchDay) })
			})
		}
		// The tag choices, read when the screen opens.
		b.Run("tags", func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				if _, err := s.Tags(ctx); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			compareRaw(b, func() error { _, err := s.Tags(ctx); return err },
				func() error {
					_, err := rawRows(ctx, s.reader(), "SELECT tags FROM customers WHERE tags <> '' AND forgotten = 0 ORDER BY id")
					return err
				})
		})
	})
}

// rawSegmentPage is a Segments screen's counts and first page of 50 as
// hand-written SQL on the facts (the tag matched by LIKE, ASCII case only;
// bands as lapsing, birthdays as this month: what the benchmark asks).
func rawSegmentPage(ctx context.Context, db *sql.DB, q SegmentQuery, day rules.Day) error {
	where := "c.forgotten = 0 AND c.do_not_contact = 0"
	var args []any
	if q.Tag != "" {
		where += " AND ';' || c.tags || ';' LIKE ?"
		args = append(args, "%;"+q.Tag+";%")
	}
	if len(q.Bands) > 0 {
		where += ` AND (SELECT max(p.day) FROM purchases p WHERE p.customer_id = c.id AND p.voided = 0
			AND p.amount_cents > 0 AND p.day <= ?) BETWEEN ? AND ?`
		args = append(args, day.String(), day.AddDays(-179).String(), day.AddDays(-90).String())
	}
	if q.Birthdays != "" {
		_, m, _ := day.Date()
		where += " AND c.birthday_month = ?"
		args = append(args, int(m))
	}
	from, order, limit := "customers c", "c.name_fold, c.id", 50
	if q.Top > 0 {
		from = `(SELECT c.*, (SELECT sum(p.amount_cents - p.discount_cents) FROM purchases p
			WHERE p.customer_id = c.id AND p.voided = 0 AND p.day <= ?) AS spent FROM customers c WHERE ` + where + `) c`
		args = append([]any{day.String()}, args...)
		where, order, limit = "c.spent > 0", "c.spent DESC, c.id", q.Top
	}
	group := "SELECT * FROM " + from + " WHERE " + where + " ORDER BY " + order + " LIMIT " + strconv.Itoa(limit)
	if q.Top == 0 {
		group = "SELECT * FROM " + from + " WHERE " + where
	}
	counts := `SELECT count(*),
		sum(CASE WHEN g.email <> '' AND EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = g.id AND k.channel = 'email') THEN 1 ELSE 0 END),
		sum(CASE WHEN g.phone_digits <> '' AND EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = g.id AND k.channel = 'sms') THEN 1 ELSE 0 END),
		sum(CASE WHEN trim(g.address) <> '' THEN 1 ELSE 0 END) FROM (` + group + `) g`
	if _, err := rawRows(ctx, db, counts, args...); err != nil {
		return err
	}
	page := "SELECT " + prefixed("c", customerCols) + " FROM " + from + " WHERE " + where + " ORDER BY " + order + " LIMIT 50"
	if _, err := rawRows(ctx, db, page, args...); err != nil {
		return err
	}
	_, err := rawRows(ctx, db, `SELECT customer_id, channel, given_on, source FROM consents WHERE customer_id IN
		(SELECT c.id FROM `+from+" WHERE "+where+" ORDER BY "+order+" LIMIT 50) ORDER BY customer_id, channel", args...)
	return err
}
