package screens

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestIdleMemoryIsHandedBack: garbage left by a burst counts as idle, and
// trimming hands it back to the system; with little idle, nothing is done.
func TestIdleMemoryIsHandedBack(t *testing.T) {
	runtime.GC()
	// No collection while the garbage is made, so all of it is there.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var keep [][]byte
	for range 64 {
		keep = append(keep, make([]byte, 1<<20))
	}
	keep = nil // 64 MB of garbage
	idle := idleMemory()
	if idle < 48<<20 {
		t.Fatalf("64 MB of garbage, but %d MB idle", idle>>20)
	}
	if !trimOnce(16 << 20) {
		t.Fatal("64 MB idle was not trimmed")
	}
	// Other tests of the package may be allocating meanwhile: what counts
	// is that most of the garbage is gone.
	if after := idleMemory(); after+32<<20 > idle {
		t.Errorf("%d MB idle before trimming, %d MB after", idle>>20, after>>20)
	}
	if trimOnce(1 << 40) {
		t.Error("trimmed with less idle than asked for")
	}
	_ = keep
}
