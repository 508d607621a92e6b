package screens

import (
	"context"
	"fmt"
	"testing"
	"time"

	"regulars/data"
	"regulars/data/pgtest"
)

// BenchmarkAppStartOnPostgres is BenchmarkAppStart beside the same window
// on the same shop copied into a throwaway PostgreSQL on this machine
// (reached through its Unix socket): a till's start on a shared shop. The
// copy takes a few minutes at 50,000 customers.
func BenchmarkAppStartOnPostgres(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			ctx := context.Background()
			path := benchShopPath(b, n)
			lite, err := data.Open(ctx, path, data.Options{Today: benchDay})
			if err != nil {
				b.Fatal(err)
			}
			defer lite.Close()
			where := pgtest.URL(b, pgtest.Start(b))
			pg, err := data.Open(ctx, where, data.Options{Today: benchDay})
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			if _, err := lite.CopyTo(ctx, pg); err != nil {
				b.Fatal(err)
			}
			pg.Close()
			b.Logf("copied the %d-customer shop to PostgreSQL in %v", n, time.Since(t0).Round(time.Millisecond))
			for _, e := range []struct{ name, where string }{{"sqlite", path}, {"postgres", where}} {
				b.Run(e.name, func(b *testing.B) { appStarts(b, e.where) })
			}
		})
	}
}
