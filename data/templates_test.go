package data

import (
	"context"
	"regulars/rules"
	"strings"
	"testing"
)

func TestSetTemplate(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	all, err := s.Templates(ctx)
	if err != nil || len(all) != len(rules.Kinds) || all[rules.KindBirthday] != rules.DefaultTemplate(rules.KindBirthday) {
		t.Fatalf("defaults: %v %v", all, err)
	}
	mine := "Happy birthday {{.FirstName}}, from all at {{.ShopName}}"
	if err := s.SetTemplate(ctx, rules.KindBirthday, mine); err != nil {
		t.Fatal(err)
	}
	err = s.SetTemplate(ctx, rules.KindBirthday, "Happy birthday {{.Nmae}}")
	if err == nil || !strings.Contains(err.Error(), ".Nmae") || !strings.Contains(err.Error(), "birthday") {
		t.Errorf("a broken template must be refused naming the problem: %v", err)
	}
	if err := s.SetTemplate(ctx, rules.KindBirthday, "Happy {{if .FirstName}}birthday"); err == nil {
		t.Error("an unclosed if must be refused")
	}
	all, _ = s.Templates(ctx)
	if all[rules.KindBirthday] != mine {
		t.Errorf("the old template must stay: %q", all[rules.KindBirthday])
	}
	if err := s.SetTemplate(ctx, "party", "x"); err == nil {
		t.Error("an unknown kind must be refused")
	}
	if err := s.SetTemplate(ctx, rules.KindBirthday, "  "); err != nil {
		t.Fatal(err)
	}
	all, _ = s.Templates(ctx)
	if all[rules.KindBirthday] != rules.DefaultTemplate(rules.KindBirthday) {
		t.Errorf("an empty template brings back the default: %q", all[rules.KindBirthday])
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
	if got := m.Render(rules.KindThankYou, rules.SampleFields()); got != "(template error: line 1: unclosed action)" {
		t.Errorf("thank_you: %q", got)
	}
	if got := m.Render(rules.KindCheckIn, rules.SampleFields()); !strings.HasPrefix(got, "(template error: ") || !strings.Contains(got, "index out of range") {
		t.Errorf("check_in: %q", got)
	}
	if got := m.Render(rules.KindBirthday, rules.SampleFields()); !strings.HasPrefix(got, "Happy birthday, Ann!") {
		t.Errorf("birthday: %q", got)
	}
}
