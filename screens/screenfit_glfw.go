//go:build !ci && !wasm && !js && !android && !ios

package screens

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// workArea is the largest work area (the screen less the desktop's panels)
// of the monitors attached, in the window's units. It must run on the main
// goroutine, as the toolkit's own callbacks do.
func workArea(w fyne.Window) (fyne.Size, bool) {
	scale := w.Canvas().Scale()
	if scale <= 0 {
		return fyne.Size{}, false
	}
	var best fyne.Size
	for _, m := range glfw.GetMonitors() {
		_, _, width, height := m.GetWorkarea()
		if s := fyne.NewSize(float32(width)/scale, float32(height)/scale); s.Width*s.Height > best.Width*best.Height {
			best = s
		}
	}
	return best, best.Width > 0 && best.Height > 0
}

// afterShown runs fn on the main goroutine once the window is on the
// screen and knows its scale: handed over from another goroutine, it waits
// for the toolkit's loop, which starts once the window is shown.
func (a *App) afterShown(fn func()) { go fyne.Do(fn) }
