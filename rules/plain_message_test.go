package rules

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Plain messages are filled exactly as text/template fills them, and any
// other template is left to it.
func TestCustomerPagePlainMessages(t *testing.T) {
	long := strings.Repeat("x", maxMessageLen-40)
	fields := []MessageFields{
		SampleFields(),
		{},
		{FirstName: "  Ann ", Name: "Ann O'Neil <ann>", ShopName: "Shop & Co", LastPurchase: "{{.Name}}", Amount: "-3.50",
			Points: -12, ExpiringPoints: 1 << 40, Days: -3, Years: 99, Due: "1 June", Complaint: long},
		{Occasion: long, Promise: long},
		{Years: 1, Days: 0, Points: 1, ExpiringPoints: 1099511627776},
		{Years: 2, Days: 10, Points: 0},
		{Years: -1, Days: -1, Points: -1},
	}
	texts := []string{
		"Hello {{.FirstName}}!",
		"  {{- .Name -}}  and {{ .ShopName }} ",
		"{{.Points}} {{.ExpiringPoints}} {{.Days}} {{.Years}} {{.Amount}} {{.RewardValue}} {{.Due}} {{.ExpiresOn}}",
		"{{.Occasion}}{{.Promise}}{{.Complaint}}{{.LastPurchase}}",
		"no fields at all",
		"",
		"   ",
		"{{.Nope}}",
		"{{.}}",
		"{{.Name | printf \"%q\"}}",
		"{{printf \"%d\" .Points}}",
		"{{$x := .Name}}{{$x}}",
		"{{$x := .Name}}hi {{.FirstName}}",
		"{{if gt .Years 1}}{{.Years}} years{{else}}a year{{end}}",
		"{{if lt .Days 0}}soon{{else if eq .Days 0}}today{{else if ge .Days 10}}{{.Days}} days{{else}}a few days{{end}}!",
		"{{if ne .Points -12}}{{.Points}}{{end}}{{if le .ExpiringPoints 1099511627776}}le{{end}}{{if gt .Years +98}}old{{end}}",
		"{{if gt .Years 1 -}}  {{.Name}}  {{- end}} {{if eq .Years 99}}{{if lt .Points 0}}{{.Complaint}}{{.Complaint}}{{.Complaint}}{{end}}{{end}}",
		"{{if gt .Years 1.5}}x{{end}}",
		"{{if gt .Years 1e3}}x{{end}}",
		"{{if gt .Years 'a'}}x{{end}}",
		"{{if gt .Years 0x10}}x{{end}}",
		"{{if gt .Name 1}}x{{end}}",
		"{{if gt 1 .Years}}x{{end}}",
		"{{if eq .Years 1 99}}x{{end}}",
		"{{if .Years}}x{{end}}",
		"{{if gt .Years 1}}{{.Nope}}{{end}}",
		"{{if gt .Missing 1}}x{{end}}",
		"{{with .Promise}}{{.}}{{end}}",
		"{{/* a note */}}Hi {{.FirstName}}",
		"{{.Name.Length}}",
		strings.Repeat("{{.Complaint}}", 3),
	}
	for k := range Kinds {
		texts = append(texts, DefaultTemplate(Kinds[k]))
	}
	plainSeen := 0
	for _, text := range texts {
		tpl := TemplatesFrom(map[Kind]string{KindThankYou: text})
		if tpl.t[KindThankYou] != nil && plainMessageOf(tpl.t[KindThankYou]) != nil {
			plainSeen++
		}
		render := tpl.Render
		for i, f := range fields {
			if got, want := render(KindThankYou, f), tpl.Execute(KindThankYou, f); got != want {
				t.Errorf("template %q, fields %d:\ngot  %q\nwant %q", text, i, got, want)
			}
		}
	}
	if plainSeen < 14 {
		t.Errorf("only %d templates were filled as plain messages", plainSeen)
	}
	// Every field is known, as fmt prints it.
	f := fields[2]
	v := reflect.ValueOf(f)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		got, ok := f.text(name)
		if want := fmt.Sprint(v.Field(i).Interface()); !ok || got != want {
			t.Errorf("field %s: %q (%v), want %q", name, got, ok, want)
		}
	}
}

// Random templates of text and fields, random values: a plain message is
// what text/template writes.
func TestCustomerPagePlainMessagesProperty(t *testing.T) {
	names := []string{"FirstName", "Name", "ShopName", "LastPurchase", "Amount", "Points", "RewardValue", "Due",
		"Occasion", "Promise", "Complaint", "ExpiringPoints", "ExpiresOn", "Days", "Years", "Missing"}
	rapid.Check(t, func(rt *rapid.T) {
		var b strings.Builder
		for range rapid.IntRange(0, 8).Draw(rt, "parts") {
			switch rapid.IntRange(0, 4).Draw(rt, "part") {
			case 0:
				b.WriteString(rapid.StringMatching(`[ a-zA-Z,.!\n\t<&'"]{0,12}`).Draw(rt, "text"))
			case 1:
				fmt.Fprintf(&b, "{{.%s}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 2:
				fmt.Fprintf(&b, "{{- .%s -}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 3:
				fmt.Fprintf(&b, "{{ .%s}}", rapid.SampledFrom(names).Draw(rt, "field"))
			case 4:
				fmt.Fprintf(&b, "{{if %s .%s %d}}%s{{else}}{{.%s}}{{end}}", rapid.SampledFrom([]string{"eq", "ne", "lt", "le", "gt", "ge"}).Draw(rt, "op"),
					rapid.SampledFrom([]string{"Points", "ExpiringPoints", "Days", "Years", "Name"}).Draw(rt, "number"),
					rapid.IntRange(-2, 2).Draw(rt, "n"), rapid.StringMatching(`[a-z ]{0,5}`).Draw(rt, "then"),
					rapid.SampledFrom(names).Draw(rt, "otherwise"))
			}
		}
		text := b.String()
		str := func(label string) string {
			return rapid.StringMatching(`[ a-zA-Z0-9{}.\-]{0,10}`).Draw(rt, label)
		}
		num := func(label string) int64 {
			if rapid.IntRange(0, 3).Draw(rt, label+" small") > 0 {
				return int64(rapid.IntRange(-2, 2).Draw(rt, label))
			}
			return rapid.Int64().Draw(rt, label)
		}
		f := MessageFields{FirstName: str("first"), Name: str("name"), ShopName: str("shop"), LastPurchase: str("last"),
			Amount: str("amount"), Points: num("points"), RewardValue: str("reward"), Due: str("due"),
			Occasion: str("occasion"), Promise: str("promise"), Complaint: str("complaint"),
			ExpiringPoints: num("expiring"), ExpiresOn: str("expires"), Days: int(num("days")), Years: int(num("years"))}
		tpl := TemplatesFrom(map[Kind]string{KindCheckIn: text})
		if got, want := tpl.Render(KindCheckIn, f), tpl.Execute(KindCheckIn, f); got != want {
			rt.Fatalf("template %q:\ngot  %q\nwant %q", text, got, want)
		}
	})
}
