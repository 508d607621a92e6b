package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is a one-line entry whose owner may take some keys first
// (arrows to move through matches, function keys for actions).
type keyEntry struct {
	widget.Entry
	onKey func(*fyne.KeyEvent) bool // true: handled, the entry does not see it
	// app, when set, gets the window's shortcuts (Ctrl+1..7, F1, F2, ...)
	// that a text field would otherwise swallow.
	app *App
}

func newKeyEntry(placeholder string) *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	return e
}

// TypedKey offers the key to the owner before the entry handles it.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	if e.app != nil && e.app.windowKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut lets the window's own shortcuts through before the entry's.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.app != nil && e.app.windowShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}
