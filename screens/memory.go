package screens

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The window runs for days on a counter PC that other programs share.
// After a burst of work (a search of a large shop reads every name, a
// report every sale) the Go runtime keeps as much memory again as the app
// holds, for minutes, before it hands any back. So every little while, when
// that much lies idle, it is collected and handed back at once: a
// collection of a few tens of megabytes, far less than one keystroke.

// trimEvery is how often idle memory is looked at.
const trimEvery = 15 * time.Second

// trimOver is how much idle memory is worth a collection.
const trimOver = 16 << 20

var trimSamples = []string{
	"/memory/classes/heap/objects:bytes", // live objects and garbage not yet collected
	"/gc/heap/live:bytes",                // live as of the last collection
	"/memory/classes/heap/free:bytes",    // free, not yet handed back
	"/memory/classes/heap/unused:bytes",  // reserved for objects, holding none
}

// idleMemory is the memory the heap holds beyond its live objects.
func idleMemory() uint64 {
	s := make([]metrics.Sample, len(trimSamples))
	for i, name := range trimSamples {
		s[i].Name = name
	}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return 0 // a runtime that does not say: leave it to itself
		}
	}
	objects, live := s[0].Value.Uint64(), s[1].Value.Uint64()
	idle := s[2].Value.Uint64() + s[3].Value.Uint64()
	if objects > live {
		idle += objects - live
	}
	return idle
}

// trimOnce hands idle memory back when there is more than over of it, and
// reports whether it did.
func trimOnce(over uint64) bool {
	if idleMemory() <= over {
		return false
	}
	debug.FreeOSMemory()
	return true
}

// trimMemory runs trimOnce every trimEvery until ctx ends.
func trimMemory(ctx context.Context) {
	t := time.NewTicker(trimEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			trimOnce(trimOver)
		}
	}
}
