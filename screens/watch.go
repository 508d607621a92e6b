package screens

import (
	"sync/atomic"

	"fyne.io/fyne/v2/lang"
)

// Other tills. What another till (or a `regulars sale` beside the window)
// writes shows here within about a second: the store's watcher
// (data.Store.WatchChanges) tells, and the page on show reads again,
// keeping what is being typed; the other pages read again when shown. The
// status line says when the shop's database server cannot be reached, and
// when it can again.

// liveScreen is a page that reads again for another till's write in a way
// of its own, lighter than reload.
type liveScreen interface {
	otherTillWrote()
}

// watchOtherTills starts watching the window's store until the window's
// context ends or the store is closed.
func (a *App) watchOtherTills() {
	s := a.store
	do := a.onUI
	// One refresh waits at a time: writes that come while it waits are in
	// what it reads.
	var waiting atomic.Bool
	s.WatchChanges(a.ctx, func() {
		if waiting.Swap(true) {
			return
		}
		do(func() {
			waiting.Store(false)
			if s == a.store {
				a.otherTillWrote()
			}
		})
	}, func(err error) {
		do(func() {
			if s == a.store {
				a.serverReach(err)
			}
		})
	})
}

// otherTillWrote reads the page on show again, and the count of what is
// due.
func (a *App) otherTillWrote() {
	if a.setup != nil || a.ctx.Err() != nil {
		return
	}
	if sc, ok := a.screens[a.current]; ok {
		if l, ok := sc.(liveScreen); ok {
			l.otherTillWrote()
		} else {
			sc.reload()
		}
	}
	if a.popups != nil {
		a.popups.refreshCount()
	}
}

// serverReach puts in the status line that the shop's database server
// cannot be reached (err), or that it can again (nil).
func (a *App) serverReach(err error) {
	if err != nil {
		a.unreachable = true
		a.say("%s", lang.L("The shop's database server cannot be reached; trying again…"))
		return
	}
	if a.unreachable {
		a.unreachable = false
		a.say("%s", lang.L("The shop's database server can be reached again"))
	}
}
