package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// dismissTop answers Escape: the dialog on top of c closes as its dismiss
// button would close it (Cancel, No, Close, OK on a message), so whatever
// that button does on closing still happens. It reports whether there was
// one to close.
func dismissTop(c fyne.Canvas) bool {
	pop, ok := c.Overlays().Top().(*widget.PopUp)
	if !ok || !pop.Visible() {
		return false
	}
	// A dialog's pop-up holds its icon, background, content, buttons and
	// title, in that order.
	box, ok := pop.Content.(*fyne.Container)
	if !ok || len(box.Objects) != 5 {
		return false
	}
	var dismiss *widget.Button
	eachInContainers(box.Objects[3], func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && dismiss == nil && b.Importance != widget.HighImportance && !b.Disabled() && b.Visible() {
			dismiss = b
		}
	})
	if dismiss == nil || dismiss.OnTapped == nil {
		return false
	}
	dismiss.OnTapped()
	return true
}

// eachInContainers calls fn on o and everything inside its containers.
func eachInContainers(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			eachInContainers(x, fn)
		}
	}
}

// escEntry is a text field on which Escape closes the dialog it is in. A
// plain entry keeps the key to itself.
type escEntry struct {
	widget.Entry
}

// TypedKey closes the dialog on top on Escape.
func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && escape(e) {
		return
	}
	e.Entry.TypedKey(ev)
}

func newEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newMultiLineEntry() *escEntry {
	e := &escEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry() *escEntry {
	e := &escEntry{}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// escSelectEntry is a text field with a list of suggestions on which Escape
// closes the dialog it is in.
type escSelectEntry struct {
	widget.SelectEntry
}

// TypedKey closes the dialog on top on Escape.
func (e *escSelectEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && escape(e) {
		return
	}
	e.SelectEntry.TypedKey(ev)
}

func newSelectEntry(options []string) *escSelectEntry {
	e := &escSelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

// escape closes the dialog on top of the window that shows o.
func escape(o fyne.CanvasObject) bool {
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	c := app.Driver().CanvasForObject(o)
	return c != nil && dismissTop(c)
}
