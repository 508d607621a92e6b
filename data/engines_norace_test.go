//go:build !race

package data

import "testing"

// The suite on PostgreSQL is built without the race detector: it repeats
// on the other engine tests that run under the detector on SQLite, and the
// code of PostgreSQL's own (store_pg.go, watch.go) has its tests under the
// detector. make test runs it in a second, plain pass.

// TestTheStoreOnPostgreSQL runs the store's tests that make their shop
// with openTestShop again on PostgreSQL. The few left out test what only
// a file has (its pragmas, its pages, its lock, its folder), each named
// with why.
func TestTheStoreOnPostgreSQL(t *testing.T) {
	// Each test has a database of its own, and waits on the server more
	// than it computes: they run side by side.
	for _, tc := range storeSuite {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t)
		})
	}
}
