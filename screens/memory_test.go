package screens

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// TestIdleMemoryIsHandedBack: garbage left by a burst counts as idle, and
// trimming hands it back to the system; with little idle, nothing is done.
func TestIdleMemoryIsHandedBack(t *testing.T) {
	released := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	runtime.GC()
	// No collection while the garbage is made, so all of it is there.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var keep [][]byte
	for range 64 {
		keep = append(keep, make([]byte, 1<<20))
	}
	keep = nil // 64 MB of garbage
	if idle := idleMemory(); idle < 48<<20 {
		t.Fatalf("64 MB of garbage, but %d MB idle", idle>>20)
	}
	before := released()
	if !trimOnce(16 << 20) {
		t.Fatal("64 MB idle was not trimmed")
	}
	if got := released() - min(before, released()); got < 32<<20 {
		t.Errorf("trimming handed back %d MB, want most of 64", got>>20)
	}
	if idle := idleMemory(); idle > 16<<20 {
		t.Errorf("%d MB still idle after trimming", idle>>20)
	}
	if trimOnce(1 << 40) {
		t.Error("trimmed with less idle than asked for")
	}
	_ = keep
}
