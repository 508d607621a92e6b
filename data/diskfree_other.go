//go:build !unix

package data

// freeBytes is unknown here; a full disk is then known only from SQLite's
// own SQLITE_FULL.
func freeBytes(string) (uint64, bool) { return 0, false }
