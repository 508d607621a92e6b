package rules

import (
	"errors"
	"testing"
)

// FuzzRenderMessage: whatever the owner types, rendering returns a message
// or an error and never panics or runs away.
func FuzzRenderMessage(f *testing.F) {
	for _, k := range Kinds {
		f.Add(DefaultTemplate(k), "Ann Lee", int64(120))
	}
	f.Add("{{.Points | printf \"%05d\"}} {{len .Name}}", "", int64(-1))
	f.Add("{{with .Occasion}}{{.}}{{else}}none{{end}}", "Zoë", int64(0))
	f.Fuzz(func(t *testing.T, text, name string, points int64) {
		fields := SampleFields()
		fields.Name, fields.FirstName, fields.Points = name, FirstName(name), points
		msg, err := RenderMessage(text, fields)
		if err != nil {
			if !errors.Is(err, ErrBadTemplate) {
				t.Fatalf("error without ErrBadTemplate: %v", err)
			}
			if msg != "" {
				t.Fatalf("a message together with an error: %q", msg)
			}
			return
		}
		if len(msg) > maxMessageLen {
			t.Fatalf("message of %d bytes", len(msg))
		}
	})
}
