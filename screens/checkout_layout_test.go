package screens

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The checkout reads top to bottom in the window of a small till and of a
// larger one: the matches as wide as the pane and as tall as their rows,
// then the card, the amount with what to pay under it, the Record button,
// the result of the last sale and the keys at the foot, one under the other
// and none of them cut off.
func TestCheckoutFitsTheWindowTopToBottom(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1024, Height: 700}, {Width: 1280, Height: 800}} {
		t.Run(fmt.Sprintf("%gx%g", size.Width, size.Height), func(t *testing.T) {
			_, c, ids := cardShop(t)
			w := c.a.win
			w.Resize(size)
			win := w.Canvas().Size()
			// The window's driver lays out again what changed before each
			// frame; the test one is asked to.
			layout := func() { w.Content().Refresh() }
			box := func(o fyne.CanvasObject) (top, bottom float32) {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				return pos.Y, pos.Y + o.Size().Height
			}
			inWindow := func(what string, o fyne.CanvasObject) {
				t.Helper()
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				s := o.Size()
				if !o.Visible() || s.Height == 0 || pos.X < 0 || pos.Y < 0 || pos.X+s.Width > win.Width+1 || pos.Y+s.Height > win.Height+1 {
					t.Errorf("%s (shown %v) at %v, %v is not within the window's %v", what, o.Visible(), pos, s, win)
				}
			}
			inOrder := func(names []string, objects ...fyne.CanvasObject) {
				t.Helper()
				for i := 1; i < len(objects); i++ {
					_, above := box(objects[i-1])
					if below, _ := box(objects[i]); below < above-0.5 {
						t.Errorf("%s (from %g) overlaps %s (to %g)", names[i], below, names[i-1], above)
					}
				}
			}

			// Two customers match: the list is as wide as the pane, two rows
			// tall, and its columns fit without cutting anything short.
			test.Type(c.find, "0161 496")
			if len(c.found.Matches) != 2 {
				t.Fatalf("%d matches", len(c.found.Matches))
			}
			layout()
			inWindow("the pick list", c.matchBox)
			row := widget.NewLabel("").MinSize().Height
			if h := c.matchList.Size().Height; h < 2*row || h >= 3*row {
				t.Errorf("the list of two is %g tall, rows %g", h, row)
			}
			width := c.matchBox.Size().Width
			if width < c.find.Size().Width {
				t.Errorf("the list is %g wide, narrower than the field (%g)", width, c.find.Size().Width)
			}
			if cols := c.matchCols.widths; cols[0]+cols[1]+cols[2] > width {
				t.Errorf("name, phone and last visit take %v of a row of %g", cols, width)
			}
			inOrder([]string{"the field", "the line under it", "the list", "the amount"}, c.find, c.findHint, c.matchBox, c.amount)

			// Ann's card is the longest: complaints, promises, birthday, note.
			pick(t, c, "07700 900123", ids["ann"])
			test.Type(c.amount, "30")
			c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4})
			if c.matchBox.Visible() {
				t.Error("the pick list should make way for the card")
			}
			layout()
			names := []string{"the card", "the reward", "the amount", "to pay", "the description", "Record", "the keys"}
			parts := []fyne.CanvasObject{c.card, c.rewardRow, c.amount, c.toPay, c.desc, c.recordBtn, c.keys}
			for i, o := range parts {
				inWindow(names[i], o)
			}
			inOrder(names, parts...)

			c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			if c.result.Text == "" {
				t.Fatalf("no sale recorded: %q", c.amountErr.Text)
			}
			layout()
			inWindow("the sale's result", c.result)
			inWindow("the promise button", c.promise)
			inOrder([]string{"Record", "the sale's result", "the keys"}, c.recordBtn, c.result, c.keys)
		})
	}
}
