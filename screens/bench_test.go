package screens

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"regulars/data"
	"regulars/rules"
)

// Window benchmarks at shop size, on the same demo shops as the data
// benchmarks ($TMPDIR/regulars-bench; REGULARS_BENCH_SIZES picks the sizes).
// They use Fyne's test driver: what they time is the app's own work, from
// opening the file to the first frame drawn, not the graphics card's.

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

// benchShopPath is the demo shop of n customers, made (and its kept
// reminder rows worked out) the first time.
func benchShopPath(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "regulars-bench")
	path := filepath.Join(dir, fmt.Sprintf("demo-s%d-%d.db", data.SchemaVersion(), n))
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		os.Remove(tmp)
		s, err := data.Open(ctx, tmp, data.Options{Today: benchDay})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.GenerateDemo(ctx, data.DemoOptions{Customers: n, Seed: 1, End: benchDay}); err != nil {
			b.Fatal(err)
		}
		s.Close()
		for _, ext := range []string{"-wal", "-shm"} {
			os.Remove(tmp + ext)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	// A writable open brings the kept rows up to date, once.
	s, err := data.Open(ctx, path, data.Options{Today: benchDay})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	return path
}

func perSize(b *testing.B, fn func(b *testing.B, path string)) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) { fn(b, benchShopPath(b, n)) })
	}
}

// benchApp opens the window as the app does (read-only while the start-up
// check runs) on the shop's last day, with the test driver.
func benchApp(b *testing.B, path string) (*App, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := data.Open(ctx, path, data.Options{Today: benchDay, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	fa := test.NewTempApp(b)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	y, m, d := benchDay.Date()
	a := New(ctx, fa, s, Options{DBPath: path, Date: benchDay, Screen: "today",
		Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}, Synchronous: true})
	return a, func() {
		a.win.Close()
		cancel()
		s.Close()
	}
}

// BenchmarkAppStart opens the file, builds the window on Today with its
// lists loaded (Today, Upcoming, done today; and the start-up pop-up's
// count), and draws the first frame at 1280×800.
func BenchmarkAppStart(b *testing.B) {
	perSize(b, func(b *testing.B, path string) { appStarts(b, path) })
}

// appStarts opens the window on the shop at where, b.N times, and reports
// when Today was shown beside the whole start.
func appStarts(b *testing.B, where string) {
	var shown time.Duration
	for b.Loop() {
		start := time.Now()
		a, done := benchApp(b, where)
		a.win.Resize(fyne.NewSize(1280, 800))
		if img := a.win.Canvas().Capture(); img.Bounds().Dx() == 0 {
			b.Fatal("nothing drawn")
		}
		b.StopTimer()
		ts := a.screens["today"].(*todayScreen)
		if ts.loaded == nil {
			b.Fatal("Today did not load")
		}
		shown += ts.loadedAt.Sub(start)
		done()
		b.StartTimer()
	}
	b.ReportMetric(float64(shown.Microseconds())/1000/float64(max(b.N, 1)), "today-shown-ms")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
}

// BenchmarkTodayScreen loads the Today screen's To do list into its
// widgets and draws a frame: the screen is ready for the day's work. This
// happens at start and after every change.
func BenchmarkTodayScreen(b *testing.B) {
	perSize(b, func(b *testing.B, path string) {
		a, done := benchApp(b, path)
		defer done()
		a.win.Resize(fyne.NewSize(1280, 800))
		t := a.screens["today"].(*todayScreen)
		var load, draw time.Duration
		for b.Loop() {
			start := time.Now()
			t.loadDue(benchDay, nil)
			mid := time.Now()
			a.win.Canvas().Capture()
			load, draw = load+mid.Sub(start), draw+time.Since(mid)
		}
		n := float64(max(b.N, 1))
		b.ReportMetric(float64(load.Microseconds())/1000/n, "load-ms/op")
		b.ReportMetric(float64(draw.Microseconds())/1000/n, "draw-ms/op")
		b.ReportMetric(float64(len(t.loaded)), "rows")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
	})
}

// BenchmarkTodayScreenAllTabs reloads all three tabs of Today (To do,
// Upcoming, Done today) and draws a frame.
func BenchmarkTodayScreenAllTabs(b *testing.B) {
	perSize(b, func(b *testing.B, path string) {
		a, done := benchApp(b, path)
		defer done()
		a.win.Resize(fyne.NewSize(1280, 800))
		t := a.screens["today"].(*todayScreen)
		for b.Loop() {
			t.reload()
			a.win.Canvas().Capture()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
	})
}

// BenchmarkSearchKeystroke types one more letter into the customer search
// and waits for the list.
func BenchmarkSearchKeystroke(b *testing.B) {
	perSize(b, func(b *testing.B, path string) {
		a, done := benchApp(b, path)
		defer done()
		a.show("customers")
		c := a.screens["customers"].(*customersScreen)
		texts := []string{"s", "sm", "smi", "smit", "07", "077", "0770", ".org"}
		i := 0
		for b.Loop() {
			c.search.SetText(texts[i%len(texts)])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(b.N, 1)), "ms/op")
	})
}
