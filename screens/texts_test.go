package screens

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"regulars/data"
	"regulars/rules"
)

func TestErrorDialogsStartWithACapital(t *testing.T) {
	for in, want := range map[string]string{
		"the database is read-only":  "The database is read-only.",
		"“abc” is not an amount":     "“abc” is not an amount.",
		"élan is not a name.":        "Élan is not a name.",
		"Already a sentence.":        "Already a sentence.",
		"cannot restore from x: EOF": "Cannot restore from x: EOF.",
	} {
		if got := (sentenceError{errors.New(in)}).Error(); got != want {
			t.Errorf("%q shown as %q, want %q", in, got, want)
		}
	}
	wrapped := sentenceError{fmt.Errorf("saving: %w", data.ErrReadOnly)}
	if !errors.Is(wrapped, data.ErrReadOnly) {
		t.Error("the shown error no longer unwraps")
	}
}

func TestReminderRuleLabelsRead(t *testing.T) {
	for _, k := range rules.Kinds {
		for _, f := range ruleFields(k) {
			for _, bad := range []string{"stays days", "per days"} {
				if strings.Contains(f.label, bad) {
					t.Errorf("%s: label %q", k, f.label)
				}
			}
		}
	}
}

func TestFieldChecksFromTheStoreReadAsSentences(t *testing.T) {
	err := asSentence(rules.CheckPhone)("12")
	if err == nil {
		t.Fatal("a phone of two digits is accepted")
	}
	if r := []rune(err.Error())[0]; r < 'A' || r > 'Z' {
		t.Errorf("%q does not start with a capital", err)
	}
	if err := asSentence(rules.CheckPhone)("07700 900123"); err != nil {
		t.Errorf("a good phone: %v", err)
	}
}
