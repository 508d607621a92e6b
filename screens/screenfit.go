package screens

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// A window size remembered on a larger screen (or a second monitor since
// unplugged) is brought back inside the screen the window opens on, so that
// its edges and the status line are never out of reach.

// titleRoom is left above the window for the desktop's title bar, which the
// work area still counts as the window's.
const titleRoom = 40

// fitInside is want made no larger than area (the screen's work area, in
// the window's units) less room for the title bar; a dimension of area
// that is zero is unknown and left alone.
func fitInside(want, area fyne.Size) fyne.Size {
	if area.Width > 0 && want.Width > area.Width {
		want.Width = area.Width
	}
	if h := area.Height - titleRoom; area.Height > 0 && want.Height > h {
		want.Height = max(h, 200)
	}
	return want
}

// fitScreen shrinks the window, once it is on the screen, to fit the
// largest screen attached; the size saved at close is then the fitted one.
func (a *App) fitScreen() {
	area, ok := workArea(a.win)
	if !ok {
		return
	}
	now := a.win.Canvas().Size()
	if fit := fitInside(now, area); fit != now {
		a.win.Resize(fit)
	}
}

// tall gives o at least height h and only the width o asks for: a list
// in a fixed box as wide as a large screen would widen a small one.
func tall(h float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(tallLayout{h}, o)
}

type tallLayout struct{ h float32 }

func (l tallLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l tallLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return fyne.NewSize(m.Width, max(m.Height, l.h))
}

// columnsLayout sets items in as many equal columns as the width holds,
// each at least min wide (0: as wide as the widest item asks), row after
// row. Its minimum is one column wide and as tall as the rows the last
// width held (all in one column before the first layout); when that
// changes, onChange (when set) refreshes what holds it, so that it takes
// the new height.
type columnsLayout struct {
	min      float32
	even     bool // only as many columns as make full rows
	max      int  // at most this many columns; 0 for no limit
	cols     int  // in the last layout
	onChange func()
}

func (l *columnsLayout) colWidth(objs []fyne.CanvasObject) float32 {
	if l.min > 0 {
		return l.min
	}
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return max(w, 1)
}

// rowHeights are the heights of the rows of objs in cols columns: each
// as tall as its tallest item asks.
func rowHeights(objs []fyne.CanvasObject, cols int) []float32 {
	hs := make([]float32, (len(objs)+cols-1)/cols)
	for i, o := range objs {
		hs[i/cols] = max(hs[i/cols], o.MinSize().Height)
	}
	return hs
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	cols := max(1, int(size.Width/l.colWidth(objs)))
	if l.min == 0 {
		// Columns of a fixed width line up from one row of fields to the
		// next however many each has; the others share the width out.
		cols = min(cols, len(objs))
	}
	if l.max > 0 {
		cols = min(cols, l.max)
	}
	for l.even && len(objs)%cols != 0 {
		cols--
	}
	changed := cols != l.cols
	l.cols = cols
	w := size.Width / float32(cols)
	hs := rowHeights(objs, cols)
	var total float32
	for _, h := range hs {
		total += h
	}
	extra := max(0, size.Height-total) / float32(len(hs)) // shared out when given more
	var y float32
	for r, h := range hs {
		for c := range cols {
			if i := r*cols + c; i < len(objs) {
				objs[i].Resize(fyne.NewSize(w, h+extra))
				objs[i].Move(fyne.NewPos(float32(c)*w, y))
			}
		}
		y += h + extra
	}
	if changed && l.onChange != nil {
		l.onChange()
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 {
		return fyne.Size{}
	}
	var h float32
	for _, rh := range rowHeights(objs, max(1, l.cols)) {
		h += rh
	}
	return fyne.NewSize(l.colWidth(objs), h)
}

// shortName is name cut to at most n letters with "…", for a button whose
// text cannot be cut by the toolkit.
func shortName(name string, n int) string {
	r := []rune(name)
	if len(r) <= n {
		return name
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
