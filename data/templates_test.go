package data

import (
	"context"
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

func TestSetTemplate(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	all, err := s.Templates(ctx)
	if err != nil || len(all) != len(Kinds) || all[KindBirthday] != DefaultTemplate(KindBirthday) {
		t.Fatalf("defaults: %v %v", all, err)
	}
	mine := "Happy birthday {{.FirstName}}, from all at {{.ShopName}}"
	if err := s.SetTemplate(ctx, KindBirthday, mine); err != nil {
		t.Fatal(err)
	}
	err = s.SetTemplate(ctx, KindBirthday, "Happy birthday {{.Nmae}}")
	if err == nil || !strings.Contains(err.Error(), ".Nmae") || !strings.Contains(err.Error(), "birthday") {
		t.Errorf("a broken template must be refused naming the problem: %v", err)
	}
	if err := s.SetTemplate(ctx, KindBirthday, "Happy {{if .FirstName}}birthday"); err == nil {
		t.Error("an unclosed if must be refused")
	}
	all, _ = s.Templates(ctx)
	if all[KindBirthday] != mine {
		t.Errorf("the old template must stay: %q", all[KindBirthday])
	}
	if err := s.SetTemplate(ctx, "party", "x"); err == nil {
		t.Error("an unknown kind must be refused")
	}
	if err := s.SetTemplate(ctx, KindBirthday, "  "); err != nil {
		t.Fatal(err)
	}
	all, _ = s.Templates(ctx)
	if all[KindBirthday] != DefaultTemplate(KindBirthday) {
		t.Errorf("an empty template brings back the default: %q", all[KindBirthday])
	}
}

func TestBrokenStoredTemplateGivesAMessageNotAFailure(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	// Written past SetTemplate, as an older version or a hand edit might.
	if err := s.SetSetting(ctx, "template.thank_you", "Hi {{.FirstName"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "template.check_in", "Hi {{.FirstName}} {{index .Name 40}}"); err != nil {
		t.Fatal(err)
	}
	m, err := s.messageTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.render(KindThankYou, SampleFields()); got != "(template error: line 1: unclosed action)" {
		t.Errorf("thank_you: %q", got)
	}
	if got := m.render(KindCheckIn, SampleFields()); !strings.HasPrefix(got, "(template error: ") || !strings.Contains(got, "index out of range") {
		t.Errorf("check_in: %q", got)
	}
	if got := m.render(KindBirthday, SampleFields()); !strings.HasPrefix(got, "Happy birthday, Ann!") {
		t.Errorf("birthday: %q", got)
	}
}
