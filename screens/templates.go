package screens

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"regulars/rules"
)

// templateEditor edits the message of each reminder kind, showing it filled
// in for a made-up customer as it is typed. A broken template is shown as
// an error and never saved: the one in use stays.
type templateEditor struct {
	a       *App
	kind    rules.Kind
	saved   map[rules.Kind]string
	shop    string
	pick    *widget.Select
	text    *widget.Entry
	preview *widget.Label
	head    *widget.Label
	problem *widget.Label
	state   *widget.Label
	obj     fyne.CanvasObject
}

func newTemplateEditor(a *App) *templateEditor {
	e := &templateEditor{a: a, kind: rules.Kinds[0], saved: map[rules.Kind]string{}, shop: "our shop"}
	var titles []string
	for _, k := range rules.Kinds {
		titles = append(titles, kindTitle(k))
	}
	e.pick = widget.NewSelect(titles, func(title string) {
		for _, k := range rules.Kinds {
			if kindTitle(k) == title {
				e.kind = k
			}
		}
		e.text.SetText(e.saved[e.kind])
	})
	e.text = widget.NewMultiLineEntry()
	e.text.Wrapping = fyne.TextWrapWord
	e.text.SetMinRowsVisible(4)
	e.text.OnChanged = func(string) { e.tryIt() }
	e.preview = widget.NewLabel("")
	e.preview.Wrapping = fyne.TextWrapWord
	e.problem = widget.NewLabel("")
	e.problem.Wrapping = fyne.TextWrapWord
	e.problem.Importance = widget.DangerImportance
	e.problem.TextStyle.Bold = true
	e.state = widget.NewLabel("")
	e.state.Importance = widget.LowImportance
	save := widget.NewButton(lang.L("Save message"), e.save)
	save.Importance = widget.HighImportance
	reset := widget.NewButton(lang.L("Back to the suggested message"), e.reset)
	fields := widget.NewLabel(fmt.Sprintf(lang.L("Fields: %s. Example: %s"), fieldNames(), fmt.Sprintf("{{if .Points}}%s{{end}}", fmt.Sprintf(lang.L("You have %s points."), "{{.Points}}"))))
	fields.Wrapping = fyne.TextWrapWord
	fields.Importance = widget.LowImportance
	e.head = widget.NewLabelWithStyle(lang.L("As Ann Lee would read it:"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	e.obj = container.NewVBox(
		container.NewHBox(widget.NewLabel(lang.L("Message for")), e.pick, e.state),
		e.text, fields, e.problem, e.head, e.preview,
		container.NewHBox(save, reset),
	)
	e.pick.SetSelected(kindTitle(e.kind))
	return e
}

// fieldNames lists what a template may use: .FirstName, .Name, ...
func fieldNames() string {
	t := reflect.TypeFor[rules.MessageFields]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = "{{." + t.Field(i).Name + "}}"
	}
	return strings.Join(names, " ")
}

func (e *templateEditor) reload() {
	type loaded struct {
		texts map[rules.Kind]string
		shop  string
	}
	background(e.a, func(ctx context.Context) (loaded, error) {
		texts, err := e.a.store.Templates(ctx)
		if err != nil {
			return loaded{}, err
		}
		shop, err := e.a.store.ShopName(ctx)
		return loaded{texts, shop}, err
	}, func(l loaded, err error) {
		if err != nil {
			e.a.showError(err)
			return
		}
		// A message being written is kept when something else was saved.
		draft := e.text.Text != e.saved[e.kind]
		e.saved, e.shop = l.texts, l.shop
		if !draft {
			e.text.SetText(e.saved[e.kind])
		}
		e.tryIt()
	})
}

// sample is the made-up customer, signed with the shop's own name.
func (e *templateEditor) sample() rules.MessageFields {
	f := rules.SampleFields()
	f.ShopName = e.shop
	return f
}

// tryIt renders the text as typed: the preview, or what is wrong with it.
func (e *templateEditor) tryIt() {
	switch {
	case e.text.Text == e.saved[e.kind] && e.text.Text == rules.DefaultTemplate(e.kind):
		e.state.SetText(lang.L("(the suggested message)"))
	case e.text.Text == e.saved[e.kind]:
		e.state.SetText(lang.L("(your message, saved)"))
	default:
		e.state.SetText(lang.L("(changed, not saved yet)"))
	}
	msg, err := rules.RenderMessage(e.text.Text, e.sample())
	if err != nil {
		e.problem.SetText(templateProblem(err))
		e.problem.Show()
		e.head.Hide()
		e.preview.SetText("")
		return
	}
	e.problem.SetText("")
	e.problem.Hide()
	e.head.Show()
	e.preview.SetText(msg)
}

// templateProblem is the template error as a sentence for the owner.
func templateProblem(err error) string {
	return fmt.Sprintf(lang.L("This message cannot be used: %s"), templateReason(err))
}

// templateReason is what is wrong with a template, without the wrapping.
func templateReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, rules.ErrBadTemplate.Error()+": "); i >= 0 {
		return msg[i+len(rules.ErrBadTemplate.Error())+2:]
	}
	return msg
}

func (e *templateEditor) save() {
	k, text := e.kind, e.text.Text
	background(e.a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, e.a.store.SetTemplate(ctx, k, text)
	}, func(_ struct{}, err error) {
		if err != nil {
			e.problem.SetText(templateProblem(err))
			e.problem.Show()
			e.a.showError(fmt.Errorf(lang.L("The message for %s was not saved, the one in use stays: %s"), kindTitle(k), templateReason(err)))
			return
		}
		e.a.say(lang.L("Message for %s saved"), kindTitle(k))
		e.a.changed()
	})
}

func (e *templateEditor) reset() {
	k := e.kind
	background(e.a, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, e.a.store.SetTemplate(ctx, k, "")
	}, func(_ struct{}, err error) {
		if err != nil {
			e.a.showError(err)
			return
		}
		e.a.say(lang.L("Message for %s is the suggested one again"), kindTitle(k))
		e.a.changed()
	})
}
