package screens

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

var update = flag.Bool("update", false, "rewrite translations/en.json from the keys the screens use")

// screenFiles parses the screens' sources (not their tests).
func screenFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// constString evaluates a string literal or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X)
		b, ok2 := constString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

// callName is the name a call is made by, with its package or receiver
// when that is a plain name: "lang.L", "widget.NewLabel", "a.say".
func callName(c *ast.CallExpr) (pkg, name string) {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return "", f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name, f.Sel.Name
		}
		return "", f.Sel.Name
	}
	return "", ""
}

// message is one use of lang in the screens.
type message struct {
	key, fallback string
	plural        bool
	at            string
}

// usedMessages lists every lang.L, X, N and XN call of the screens.
func usedMessages(t *testing.T) []message {
	t.Helper()
	fset, files := screenFiles(t)
	var out []message
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, name := callName(c)
			if pkg != "lang" {
				return true
			}
			at := fset.Position(c.Pos()).String()
			var m message
			switch name {
			case "L", "Localize", "N", "LocalizePlural":
				k, ok := constString(c.Args[0])
				if !ok {
					t.Errorf("%s: lang.%s takes a written-out key, so that en.json can be checked", at, name)
					return true
				}
				m = message{key: k, fallback: k, plural: name == "N" || name == "LocalizePlural", at: at}
			case "X", "LocalizeKey", "XN", "LocalizePluralKey":
				k, ok1 := constString(c.Args[0])
				fb, ok2 := constString(c.Args[1])
				if !ok1 || !ok2 {
					t.Errorf("%s: lang.%s takes a written-out key and fallback", at, name)
					return true
				}
				m = message{key: k, fallback: fb, plural: name == "XN" || name == "LocalizePluralKey", at: at}
			default:
				return true
			}
			out = append(out, m)
			return true
		})
	}
	return out
}

// englishFile reads translations/en.json: a key's text, or its plural forms.
func englishFile(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("translations", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := json.Unmarshal(b, &en); err != nil {
		t.Fatalf("translations/en.json: %v", err)
	}
	return en
}

// TestEnglishFileHasEveryKeyAndNoOthers: every key the screens ask lang for
// is in en.json with the same English, in plural forms where counted, and
// every key of en.json is still used.
func TestEnglishFileHasEveryKeyAndNoOthers(t *testing.T) {
	used := usedMessages(t)
	if len(used) < 500 {
		t.Fatalf("only %d uses of lang found: is the parser looking at the screens?", len(used))
	}
	if *update {
		writeEnglish(t, used)
	}
	en := englishFile(t)
	seen := map[string]bool{}
	for _, m := range used {
		seen[m.key] = true
		v, ok := en[m.key]
		if !ok {
			t.Errorf("%s: %q is not in translations/en.json", m.at, m.key)
			continue
		}
		switch x := v.(type) {
		case string:
			if m.plural {
				t.Errorf("%s: %q is counted (lang.N) but en.json gives it one form", m.at, m.key)
			} else if x != m.fallback {
				t.Errorf("%s: en.json says %q for %q, the code %q", m.at, x, m.key, m.fallback)
			}
		case map[string]any:
			if !m.plural {
				t.Errorf("%s: %q has plural forms in en.json but is not counted", m.at, m.key)
			} else if x["other"] != m.fallback || x["one"] == nil {
				t.Errorf("%s: en.json forms of %q are %v; want one and other = %q", m.at, m.key, x, m.fallback)
			}
		}
	}
	for k := range en {
		if !seen[k] {
			t.Errorf("translations/en.json has %q, which no screen uses", k)
		}
	}
}

// writeEnglish rewrites en.json from the code, keeping the singular forms
// already written; a new counted message gets its "one" form guessed, to be
// read over.
func writeEnglish(t *testing.T, used []message) {
	old := map[string]any{}
	if b, err := os.ReadFile(filepath.Join("translations", "en.json")); err == nil {
		json.Unmarshal(b, &old)
	}
	out := map[string]any{}
	for _, m := range used {
		if !m.plural {
			out[m.key] = m.fallback
			continue
		}
		one := strings.Replace(m.fallback, "s ", " ", 1)
		if o, ok := old[m.key].(map[string]any); ok && o["one"] != nil {
			one = o["one"].(string)
		}
		out[m.key] = map[string]string{"one": one, "other": m.fallback}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("translations", "en.json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// shownBy are the calls whose string arguments reach the screen: widget
// constructors and setters, dialogs, the status line, errors shown in
// dialogs, and the screens' own helpers that pass text on to them.
var shownBy = map[string]bool{
	"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "NewButtonWithIcon": true, "NewCheck": true,
	"NewCard": true, "NewFormItem": true, "SetText": true, "SetPlaceHolder": true, "NewHyperlink": true,
	"NewRichTextFromMarkdown": true, "NewRichTextWithText": true, "NewSelect": true, "NewSelectEntry": true,
	"NewRadioGroup": true, "SetSelected": true, "NewTabItem": true, "NewTabItemWithIcon": true, "NewAccordionItem": true,
	"NewMenu": true, "NewMenuItem": true, "NewText": true, "NewWindow": true, "SetTitle": true, "SetTitleText": true,
	"ShowInformation": true, "NewInformation": true, "ShowConfirm": true, "NewConfirm": true, "NewCustom": true,
	"NewCustomConfirm": true, "NewCustomWithoutButtons": true, "ShowCustom": true, "NewForm": true, "ShowForm": true,
	"SetConfirmText": true, "SetDismissText": true, "Append": true, "Notify": true, "SendNotification": true,
	"New": true, "Errorf": true, // errors.New and fmt.Errorf: shown by showError
	// The screens' helpers.
	"say": true, "newForm": true, "line": true, "section": true, "requireOwner": true, "save": true, "required": true,
	"chartText": true, "newReminderPane": true, "complaintForm": true, "keyEntry": true, "newKeyEntry": true,
	"act": true, "bold": true, "pickCustomer": true, "run": true, "add": true, "newGauge": true,
}

// untranslated are texts that may reach a shown call as they are, with why.
var untranslated = map[string]string{
	// Run returns it to the command line, which stays in English.
	"there is no display to open the window on (DISPLAY is not set); the commands work without one: see regulars help": "command line",
	// The fields of a message template are code, the same in every language.
	"{{.FirstName}}": "template field", "{{.Name}}": "template field", "{{.ShopName}}": "template field",
	"{{.Points}}": "template field", "{{if .Points}}%s{{end}}": "template code",
}

// verbs strips format verbs and escapes, so "%d %s\n" counts as no words.
var verbs = regexp.MustCompile(`%[-+#0-9.\[\]]*[a-zA-Z%]|\\[nt]`)

func hasWords(s string) bool {
	s = verbs.ReplaceAllString(s, "")
	return strings.IndexFunc(s, func(r rune) bool {
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f && r != '…' && r != '—' && r != '–' && r != '·' && r != '→' && r != '↓' && r != '⚠'
	}) >= 0
}

// TestShownTextGoesThroughLang fails on any written-out text handed to a
// widget, dialog or the status line without passing through lang.
func TestShownTextGoesThroughLang(t *testing.T) {
	fset, files := screenFiles(t)
	var bad []string
	check := func(at ast.Node, s string) {
		if hasWords(s) && untranslated[s] == "" {
			bad = append(bad, fmt.Sprintf("%s: %q", fset.Position(at.Pos()), s))
		}
	}
	var arg func(e ast.Expr)
	arg = func(e ast.Expr) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if s, ok := constString(x); ok {
				check(x, s)
			}
		case *ast.BinaryExpr:
			if x.Op == token.ADD {
				arg(x.X)
				arg(x.Y)
			}
		case *ast.ParenExpr:
			arg(x.X)
		case *ast.CompositeLit:
			for _, el := range x.Elts {
				arg(el)
			}
		case *ast.CallExpr:
			if pkg, name := callName(x); pkg == "fmt" && name == "Sprintf" && len(x.Args) > 0 {
				arg(x.Args[0])
				for _, a := range x.Args[1:] {
					arg(a)
				}
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, name := callName(c)
			if !shownBy[name] || name == "New" && pkg != "errors" || name == "Errorf" && pkg != "fmt" {
				return true
			}
			for _, a := range c.Args {
				arg(a)
			}
			return true
		})
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("shown without lang: %s", b)
	}
}

func TestShownTextCheckCatchesLiterals(t *testing.T) {
	for s, want := range map[string]bool{
		"Save": true, "%d of %d": true, "%d / %d": false, "%s — %s": false, "#%d  %s": false, "": false, " · ": false,
		"Café": true, "0%": false, "…": false, "%s: %w": false,
	} {
		if hasWords(s) != want {
			t.Errorf("hasWords(%q) = %v", s, !want)
		}
	}
}

// TestAnotherLanguageIsAFileAway registers a small Dutch file, as one more
// file in translations/ would be, and reads a real screen in it.
func TestAnotherLanguageIsAFileAway(t *testing.T) {
	nl, err := os.ReadFile(filepath.Join("testdata", "nl.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Cleanups run last first: this one, registered before Setenv, runs
	// after the environment is back, and returns lang to English.
	t.Cleanup(func() { lang.AddTranslationsFS(translations, "translations") })
	t.Setenv("LANGUAGE", "nl")
	if err := lang.AddTranslationsForLocale(nl, "nl"); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.dismissPopup()
	if got := f.app.navBtns["customers"].Text; got != "Klanten" {
		t.Errorf("navigation shows %q, want Klanten", got)
	}
	f.app.show("customers")
	if got := f.app.win.Title(); got != "Regulars — Klanten" {
		t.Errorf("window title %q", got)
	}
	cs := f.app.screens["customers"].(*customersScreen)
	if got := cs.count.Text; got != "2 klanten" {
		t.Errorf("customer count %q, want 2 klanten (the Dutch plural)", got)
	}
	// Words the Dutch file lacks fall back to English rather than a key.
	if got := f.app.navBtns["loyalty"].Text; got != "Loyalty" {
		t.Errorf("an untranslated page shows %q", got)
	}
}
