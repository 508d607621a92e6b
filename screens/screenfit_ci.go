//go:build ci || wasm || js || android || ios

package screens

import "fyne.io/fyne/v2"

// workArea is unknown without a real screen (tests, the browser, phones).
func workArea(fyne.Window) (fyne.Size, bool) { return fyne.Size{}, false }

// afterShown does nothing without a real screen.
func (a *App) afterShown(func()) {}
