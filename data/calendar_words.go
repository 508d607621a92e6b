package data

import (
	"strconv"
	"strings"
	"text/template/parse"
)

// Every kept row of the calendar's days is worded (reminder_due.worded):
// hundreds of thousands of messages in a large shop when every row is
// worked out or worded again, and text/template, which finds each field by
// reflection, is the bulk of that. Most templates (all the default ones
// but the anniversary's) are text and fields alone; those are written out
// here directly, with the very bytes text/template writes. Anything else
// goes through text/template.

// plainMessage is a template of text and fields: each part is text, or a
// field of MessageFields (field >= 0).
type plainMessage []plainPart

type plainPart struct {
	text  string
	field int
}

// The fields a plain template may name, by their index in plainField.
var plainFieldNames = []string{"FirstName", "Name", "ShopName", "LastPurchase", "Amount", "Points", "RewardValue",
	"Due", "Occasion", "Promise", "Complaint", "ExpiringPoints", "ExpiresOn", "Days", "Years"}

// plainField writes field i of f as text/template prints it.
func plainField(b []byte, f *MessageFields, i int) []byte {
	switch i {
	case 0:
		return append(b, f.FirstName...)
	case 1:
		return append(b, f.Name...)
	case 2:
		return append(b, f.ShopName...)
	case 3:
		return append(b, f.LastPurchase...)
	case 4:
		return append(b, f.Amount...)
	case 5:
		return strconv.AppendInt(b, f.Points, 10)
	case 6:
		return append(b, f.RewardValue...)
	case 7:
		return append(b, f.Due...)
	case 8:
		return append(b, f.Occasion...)
	case 9:
		return append(b, f.Promise...)
	case 10:
		return append(b, f.Complaint...)
	case 11:
		return strconv.AppendInt(b, f.ExpiringPoints, 10)
	case 12:
		return append(b, f.ExpiresOn...)
	case 13:
		return strconv.AppendInt(b, int64(f.Days), 10)
	case 14:
		return strconv.AppendInt(b, int64(f.Years), 10)
	}
	return b
}

// plainTemplate is text as a plain template; ok is false when it holds
// more than text and fields, or does not parse.
func plainTemplate(text string) (m plainMessage, ok bool) {
	t, err := parsedMessage(text)
	if err != nil || t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil, false
	}
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			m = append(m, plainPart{text: string(n.Text), field: -1})
		case *parse.ActionNode:
			p := n.Pipe
			if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
				return nil, false
			}
			f, isField := p.Cmds[0].Args[0].(*parse.FieldNode)
			if !isField || len(f.Ident) != 1 {
				return nil, false
			}
			i := -1
			for j, name := range plainFieldNames {
				if name == f.Ident[0] {
					i = j
				}
			}
			if i < 0 {
				return nil, false
			}
			m = append(m, plainPart{field: i})
		default:
			return nil, false
		}
	}
	return m, true
}

// render writes the message as messageTemplates.render would; ok is false
// when only text/template can (a message too long is refused by it, in its
// words).
func (m plainMessage) render(f *MessageFields) (string, bool) {
	b := make([]byte, 0, 192)
	for _, p := range m {
		if p.field < 0 {
			b = append(b, p.text...)
		} else {
			b = plainField(b, f, p.field)
		}
	}
	if len(b) > maxMessageLen {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

// pageWords are what a calendar day's reminders are worded with: the
// templates, and those that are plain, by kind.
type pageWords struct {
	tpl   messageTemplates
	plain map[Kind]plainMessage
}

func newPageWords(texts map[Kind]string) pageWords {
	w := pageWords{tpl: templatesFrom(texts), plain: map[Kind]plainMessage{}}
	for k, text := range texts {
		if w.tpl.err[k] != nil {
			continue
		}
		if m, ok := plainTemplate(text); ok {
			w.plain[k] = m
		}
	}
	return w
}

// word fills Why and Message of r from its words w, as set.word does; desc
// is what was bought, when it is named.
func (dw *pageWords) word(set shopSettings, r *Reminder, w *words, desc string) {
	fields := set.fields(w, desc)
	r.Why = why(&w.c, w.shown, fields)
	if m, ok := dw.plain[r.Kind]; ok {
		if msg, ok := m.render(&fields); ok {
			r.Message = msg
			return
		}
	}
	r.Message = dw.tpl.render(r.Kind, fields)
}
