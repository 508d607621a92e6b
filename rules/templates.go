package rules

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// MessageFields are what a message template can use, such as
// {{.FirstName}} or {{.Points}}. Words are ready to print; numbers are
// numbers so templates can compare them.
type MessageFields struct {
	FirstName      string
	Name           string
	ShopName       string
	LastPurchase   string // what was bought: the description, or "purchase"
	Amount         string // what it cost: "120.00"
	Points         int64  // the points balance
	RewardValue    string // money off per reward: "5.00"
	Due            string // the day it is about: "12 June"
	Occasion       string // the occasion's label
	Promise        string // what was promised
	Complaint      string // what the complaint was about
	ExpiringPoints int64
	ExpiresOn      string // "1 July"
	Days           int    // days since the purchase, keeping or resolution
	Years          int    // years as a customer, or the age on a birthday (0 when unknown)
}

// maxTemplateLen keeps messages message-sized; a longer text is refused.
const maxTemplateLen = 4000

// maxMessageLen bounds what a template may write.
const maxMessageLen = 16000

// DefaultTemplate is the message Regulars suggests for a kind.
func DefaultTemplate(k Kind) string {
	b, err := templateFiles.ReadFile("templates/" + string(k) + ".tmpl")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// TemplateTexts are the templates of each kind from the stored settings
// (by key): the owner's where set, else the default.
func TemplateTexts(set map[string]string) map[Kind]string {
	out := make(map[Kind]string, len(Kinds))
	for _, k := range Kinds {
		v := set[TemplateKey(k)]
		if strings.TrimSpace(v) == "" {
			v = DefaultTemplate(k)
		}
		out[k] = v
	}
	return out
}

// SampleFields is a made-up customer to try templates on.
func SampleFields() MessageFields {
	return MessageFields{FirstName: "Ann", Name: "Ann Lee", ShopName: "our shop", LastPurchase: "winter coat",
		Amount: "120.00", Points: 120, RewardValue: "5.00", Due: "12 June", Occasion: "Wedding anniversary",
		Promise: "order floor mats", Complaint: "zip broke", ExpiringPoints: 40, ExpiresOn: "1 July", Days: 1, Years: 3}
}

// ErrBadTemplate means a message template cannot be used.
var ErrBadTemplate = errors.New("the message template is broken")

// RenderMessage fills a template with f. It never panics; any problem,
// including a field that does not exist, comes back as an error naming it.
func RenderMessage(text string, f MessageFields) (msg string, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg, err = "", fmt.Errorf("%w: %v", ErrBadTemplate, r)
		}
	}()
	t, err := parseMessage(text)
	if err != nil {
		return "", err
	}
	var b limitedBuffer
	if err := t.Execute(&b, f); err != nil {
		return "", fmt.Errorf("%w: %s", ErrBadTemplate, cleanTemplateError(err))
	}
	return strings.TrimSpace(b.String()), nil
}

// parseMessage parses a message template and refuses what a message has no
// use for but could run for ever or blow up: loops and sub-templates.
func parseMessage(text string) (*template.Template, error) {
	if len(text) > maxTemplateLen {
		return nil, fmt.Errorf("%w: it is longer than %d characters", ErrBadTemplate, maxTemplateLen)
	}
	t, err := template.New("message").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadTemplate, cleanTemplateError(err))
	}
	if len(t.Templates()) > 1 {
		return nil, fmt.Errorf("%w: define and block are not allowed in messages", ErrBadTemplate)
	}
	if t.Tree != nil {
		if bad := forbiddenNode(t.Tree.Root); bad != "" {
			return nil, fmt.Errorf("%w: %s is not allowed in messages", ErrBadTemplate, bad)
		}
	}
	return t, nil
}

func forbiddenNode(n parse.Node) string {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return ""
		}
		for _, c := range n.Nodes {
			if bad := forbiddenNode(c); bad != "" {
				return bad
			}
		}
	case *parse.RangeNode:
		return "range"
	case *parse.TemplateNode:
		return "template"
	case *parse.IfNode:
		return firstForbidden(n.List, n.ElseList)
	case *parse.WithNode:
		return firstForbidden(n.List, n.ElseList)
	}
	return ""
}

func firstForbidden(lists ...*parse.ListNode) string {
	for _, l := range lists {
		if l == nil {
			continue
		}
		if bad := forbiddenNode(l); bad != "" {
			return bad
		}
	}
	return ""
}

// cleanTemplateError turns text/template's wording ("template: message:1:12:
// executing "message" at <.Frist>: can't evaluate field Frist in type
// data.MessageFields") into something a shop owner can act on.
func cleanTemplateError(err error) string {
	s := strings.TrimPrefix(err.Error(), "template: ")
	line := ""
	if rest, ok := strings.CutPrefix(s, "message:"); ok {
		if pos, msg, found := strings.Cut(rest, ": "); found {
			line, _, _ = strings.Cut(pos, ":")
			s = msg
		}
	}
	if rest, ok := strings.CutPrefix(s, `executing "message" at <`); ok {
		if action, msg, found := strings.Cut(rest, ">: "); found {
			s = "in {{" + action + "}}: " + msg
		}
	}
	const noField = "can't evaluate field "
	if i := strings.Index(s, noField); i >= 0 {
		name, _, _ := strings.Cut(s[i+len(noField):], " ")
		s = s[:i] + "there is no field ." + name + "; the fields are " + messageFieldNames()
	}
	if line != "" {
		s = "line " + line + ": " + s
	}
	return s
}

// messageFieldNames lists the fields a template can use: .FirstName, ...
func messageFieldNames() string {
	t := reflect.TypeFor[MessageFields]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = "." + t.Field(i).Name
	}
	return strings.Join(names, ", ")
}

// limitedBuffer stops a template that writes far more than a message.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxMessageLen {
		return 0, fmt.Errorf("the message is longer than %d characters", maxMessageLen)
	}
	return b.Buffer.Write(p)
}

// MessageTemplates parses the templates once for a list; a kind whose
// template is broken keeps its error so each message says why.
type MessageTemplates struct {
	t   map[Kind]*template.Template
	err map[Kind]error
	// plain holds the templates simple enough to fill without
	// text/template (customer_page.go), with the same result.
	plain map[Kind]plainMessage
}

// TemplatesFrom parses the templates of each kind (texts).
func TemplatesFrom(texts map[Kind]string) MessageTemplates {
	m := MessageTemplates{t: map[Kind]*template.Template{}, err: map[Kind]error{}, plain: map[Kind]plainMessage{}}
	for k, text := range texts {
		t, err := parsedMessage(text)
		if err != nil {
			m.err[k] = err
			continue
		}
		m.t[k] = t
		if pm := plainMessageOf(t); pm != nil {
			m.plain[k] = pm
		}
	}
	return m
}

// parsedMessages keeps the templates parsed, by text: every list renders
// with them, and parsing costs more than rendering a page. A parsed
// template is only read, so it may be shared.
var parsedMessages = struct {
	sync.Mutex
	m map[string]parsedTemplate
}{m: map[string]parsedTemplate{}}

type parsedTemplate struct {
	t   *template.Template
	err error
}

// parsedMessage is parseMessage, once for each text.
func parsedMessage(text string) (*template.Template, error) {
	parsedMessages.Lock()
	defer parsedMessages.Unlock()
	if p, ok := parsedMessages.m[text]; ok {
		return p.t, p.err
	}
	t, err := parseMessage(text)
	if len(parsedMessages.m) >= 256 {
		clear(parsedMessages.m) // templates edited over and over
	}
	parsedMessages.m[text] = parsedTemplate{t, err}
	return t, err
}

// render never fails: a broken template gives "(template error: …)".
func (m MessageTemplates) Render(k Kind, f MessageFields) string {
	if pm := m.plain[k]; pm != nil {
		var b strings.Builder
		b.Grow(256)
		if pm.fill(&b, &f) {
			return strings.TrimSpace(b.String())
		}
	}
	return m.Execute(k, f)
}

// execute renders the message of kind k through text/template.
func (m MessageTemplates) Execute(k Kind, f MessageFields) (msg string) {
	if err := m.err[k]; err != nil {
		return "(template error: " + strings.TrimPrefix(err.Error(), ErrBadTemplate.Error()+": ") + ")"
	}
	t := m.t[k]
	if t == nil {
		return ""
	}
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("(template error: %v)", r)
		}
	}()
	b := renderBuffers.Get().(*limitedBuffer)
	defer renderBuffers.Put(b)
	b.Reset()
	if err := t.Execute(b, f); err != nil {
		return "(template error: " + cleanTemplateError(err) + ")"
	}
	return strings.TrimSpace(b.String())
}

// renderBuffers are reused from message to message: a list renders many,
// and growing a new buffer for each cost more than the copy out of it.
var renderBuffers = sync.Pool{New: func() any { return new(limitedBuffer) }}

func TemplateKey(k Kind) string { return "template." + string(k) }
