package data

import (
	"context"
	"testing"
	"time"

	"regulars/data/pgtest"
)

// BenchmarkEngines runs what a till does most on the same shop on SQLite
// and on PostgreSQL (a throwaway server on this machine, reached through
// its Unix socket): Today cold (nothing remembered, as at the window's
// start or `regulars today`), a search keystroke, the customer's page and
// a sale with its commit. The shop is the bench shop of n customers,
// copied into PostgreSQL with Store.CopyTo, which takes a while at 50,000.
func BenchmarkEngines(b *testing.B) {
	perSize(b, func(b *testing.B, n int) {
		ctx := context.Background()
		lite := benchCopy(b, n)
		pg, err := Open(ctx, pgSocketURL(b, pgtest.Start(b)), Options{Today: benchDay})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { pg.Close() })
		t0 := time.Now()
		if _, err := lite.CopyTo(ctx, pg); err != nil {
			b.Fatal(err)
		}
		b.Logf("copied the %d-customer shop to PostgreSQL in %v", n, time.Since(t0).Round(time.Millisecond))
		id := benchBusyCustomer(b, lite)
		text := benchSearches(b, lite)["name-prefix"]
		for _, e := range []struct {
			name string
			s    *Store
		}{{"sqlite", lite}, {"postgres", pg}} {
			s := e.s
			b.Run(e.name+"/today-cold", func(b *testing.B) {
				var listed int
				for b.Loop() {
					if err := s.CatchUp(ctx); err != nil {
						b.Fatal(err)
					}
					rs, err := s.TodayList(ctx, benchDay)
					if err != nil {
						b.Fatal(err)
					}
					listed = len(rs)
				}
				b.ReportMetric(float64(listed), "reminders")
				b.ReportMetric(msPerOp(b), "ms/op")
			})
			b.Run(e.name+"/search", func(b *testing.B) {
				if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := s.SearchCustomers(ctx, text, 200); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(msPerOp(b), "ms/op")
			})
			b.Run(e.name+"/customer-page", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.CustomerPage(ctx, id, benchDay); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(msPerOp(b), "ms/op")
			})
			b.Run(e.name+"/sale", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 4250, Description: "scarf", Staff: "Maggie"}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(msPerOp(b), "ms/op")
			})
		}
	})
}

// msPerOp is the benchmark's wall time per op in milliseconds.
func msPerOp(b *testing.B) float64 {
	return float64(b.Elapsed().Microseconds()) / 1000 / float64(max(b.N, 1))
}
