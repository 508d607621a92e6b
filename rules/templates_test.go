package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultTemplatesRenderForEveryKind(t *testing.T) {
	f := SampleFields()
	for _, k := range Kinds {
		text := DefaultTemplate(k)
		if text == "" {
			t.Errorf("%s has no default template", k)
			continue
		}
		msg, err := RenderMessage(text, f)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		if !strings.Contains(msg, "Ann") || strings.Contains(msg, "{{") || strings.Contains(msg, "<no value>") {
			t.Errorf("%s renders %q", k, msg)
		}
	}
	msg, _ := RenderMessage(DefaultTemplate(KindThankYou), f)
	if msg != "Hi Ann, thank you for shopping at our shop! We hope you enjoy your winter coat. See you again soon." {
		t.Errorf("thank_you renders %q", msg)
	}
	msg, _ = RenderMessage(DefaultTemplate(KindPointsExpiring), f)
	if !strings.Contains(msg, "40 of your points") || !strings.Contains(msg, "1 July") {
		t.Errorf("points_expiring renders %q", msg)
	}
}

func TestRenderMessageRefusesWhatCannotWork(t *testing.T) {
	cases := map[string]string{
		"Hi {{.Frist}}":               "no field .Frist",
		"Hi {{.FirstName":             "unclosed action",
		"{{range 9999999999}}{{end}}": "range is not allowed",
		`{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`: "not allowed",
		"{{nofunc .Name}}":                                   `function "nofunc" not defined`,
		"{{index .Name 99}}":                                 "index out of range",
		strings.Repeat("x", 5000):                            "longer than",
		`{{printf "%999999s" "x"}}{{printf "%999999s" "x"}}`: "longer than",
	}
	for text, want := range cases {
		msg, err := RenderMessage(text, SampleFields())
		if !errors.Is(err, ErrBadTemplate) || !strings.Contains(err.Error(), want) {
			t.Errorf("%.40q: got %q, %v; want an error saying %q", text, msg, err, want)
		}
	}
}
