package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// formDialog is a form dialog that works from the keyboard: once shown the
// first field has the focus, and Enter in a one-line field submits the form
// (when it is valid), like the confirm button.
type formDialog struct {
	*dialog.FormDialog
	a     *App
	items []*widget.FormItem
	sized bool
}

// Resize sets the dialog's size; without it the form is made wide enough to
// type in comfortably.
func (f *formDialog) Resize(size fyne.Size) {
	f.sized = true
	f.FormDialog.Resize(size)
}

// newForm makes a keyboard-friendly form dialog on the app's window.
func (a *App) newForm(title, confirm, dismiss string, items []*widget.FormItem, done func(bool)) *formDialog {
	d := dialog.NewForm(title, confirm, dismiss, items, done, a.win)
	submit := func(e *widget.Entry) {
		if !e.MultiLine && e.OnSubmitted == nil {
			e.OnSubmitted = func(string) { d.Submit() }
		}
	}
	for _, it := range items {
		switch e := it.Widget.(type) {
		case *widget.Entry:
			submit(e)
		case *escEntry:
			submit(&e.Entry)
		case *widget.SelectEntry:
			submit(&e.Entry)
		case *escSelectEntry:
			submit(&e.Entry)
		}
	}
	return &formDialog{FormDialog: d, a: a, items: items}
}

// Show shows the form with the keyboard in its first field.
func (f *formDialog) Show() {
	f.FormDialog.Show()
	if !f.sized {
		f.FormDialog.Resize(fyne.NewSize(460, 1)) // the height grows to what the form needs
	}
	for _, it := range f.items {
		if fo, ok := it.Widget.(fyne.Focusable); ok {
			if d, ok := it.Widget.(fyne.Disableable); ok && d.Disabled() {
				continue
			}
			f.a.win.Canvas().Focus(fo)
			return
		}
	}
}
