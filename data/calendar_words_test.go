package data

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestPlainMessagesAreWrittenAsTextTemplateWrites: a template of text,
// fields and number comparisons gives, written out directly, the message
// text/template gives, for any fields; any other template is left to
// text/template.
func TestPlainMessagesAreWrittenAsTextTemplateWrites(t *testing.T) {
	texts := []string{
		"{{.Points}} points, {{.ExpiringPoints}} expiring on {{.ExpiresOn}}, {{.Days}} days, {{.Years}} years",
		"  {{- .Name -}}  and {{ .FirstName }}\n\t",
		"{{.ShopName}}{{.LastPurchase}}{{.Amount}}{{.RewardValue}}{{.Due}}{{.Occasion}}{{.Promise}}{{.Complaint}}",
		"{{/* a note */}}Hi {{.FirstName}}",
		"no fields at all",
		"",
	}
	for _, k := range Kinds {
		texts = append(texts, DefaultTemplate(k))
	}
	plainOf := func(text string) bool {
		return templatesFrom(map[Kind]string{KindBirthday: text}).plain[KindBirthday] != nil
	}
	notPlain := []string{
		"{{.FirstName | printf \"%q\"}}",
		"{{.Nope}}",
		"{{.}}",
		"{{\"words\"}}",
		"{{$x := .Name}}{{$x}}",
		"{{if .Name}}x{{end}}",
		"{{.Name",
	}
	for _, text := range notPlain {
		if plainOf(text) {
			t.Errorf("%q is taken as plain", text)
		}
	}
	for _, text := range texts {
		if !plainOf(text) {
			t.Errorf("%q is not taken as plain", text)
		}
	}
	texts = append(texts, notPlain...)
	// Words of every sort, some long enough to make a message too long.
	words := rapid.OneOf(rapid.Just(""), rapid.String(), rapid.SampledFrom([]string{" Ann ", "Zoë", "{{.Name}}", "a\nb", "%d"}),
		rapid.Map(rapid.IntRange(15990, 16010), func(n int) string { return strings.Repeat("x", n) }))
	rapid.Check(t, func(rt *rapid.T) {
		f := MessageFields{FirstName: words.Draw(rt, "first"), Name: words.Draw(rt, "name"), ShopName: words.Draw(rt, "shop"),
			LastPurchase: words.Draw(rt, "last"), Amount: words.Draw(rt, "amount"), Points: rapid.Int64().Draw(rt, "points"),
			RewardValue: words.Draw(rt, "reward"), Due: words.Draw(rt, "due"), Occasion: words.Draw(rt, "occasion"),
			Promise: words.Draw(rt, "promise"), Complaint: words.Draw(rt, "complaint"), ExpiringPoints: rapid.Int64().Draw(rt, "expiring"),
			ExpiresOn: words.Draw(rt, "expires"), Days: rapid.Int().Draw(rt, "days"), Years: rapid.Int().Draw(rt, "years")}
		text := rapid.SampledFrom(texts).Draw(rt, "template")
		byKind := map[Kind]string{}
		for _, k := range Kinds {
			byKind[k] = text
		}
		tpl := templatesFrom(byKind)
		if got, want := tpl.render(KindBirthday, f), tpl.execute(KindBirthday, f); got != want {
			rt.Fatalf("template %q:\ngot  %q\nwant %q", text, got, want)
		}
	})
}
