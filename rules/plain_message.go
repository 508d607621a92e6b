package rules

import (
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

// Messages are most of a list's work after its rows. Most templates are
// text, plain fields ({{.FirstName}}) and comparisons of a number with a
// whole number ({{if gt .Years 1}}…{{else}}…{{end}}); Render
// fills those without text/template's reflection, with exactly what it
// would write. Any other template, and any message that would be too long,
// is rendered by text/template.

// plainMessage is a template of such parts.
type plainMessage []plainPart

// plainPart is text; a field (text names it); or, when op is set, the
// comparison {{if op .text n}}then{{else}}otherwise{{end}}.
type plainPart struct {
	text            string
	field           bool
	op              string
	n               int64
	then, otherwise plainMessage
}

// plainMessages keeps what plainMessageOf found for each parsed template
// (nil: not plain); parsed templates are kept by text, so the same one
// comes back while its text is the same.
var plainMessages = struct {
	sync.Mutex
	m map[*template.Template]plainMessage
}{m: map[*template.Template]plainMessage{}}

// plainMessageOf is t as a plain message, or nil when it is anything more.
func plainMessageOf(t *template.Template) plainMessage {
	plainMessages.Lock()
	defer plainMessages.Unlock()
	if pm, ok := plainMessages.m[t]; ok {
		return pm
	}
	var pm plainMessage
	if t.Tree != nil {
		pm, _ = plainList(t.Tree.Root)
	}
	if len(plainMessages.m) >= 256 {
		clear(plainMessages.m) // templates edited over and over
	}
	plainMessages.m[t] = pm
	return pm
}

// plainList is the nodes of l as a plain message (not nil), or not ok.
func plainList(l *parse.ListNode) (plainMessage, bool) {
	pm := plainMessage{}
	if l == nil {
		return pm, true
	}
	var blank MessageFields
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			pm = append(pm, plainPart{text: string(n.Text)})
		case *parse.ActionNode:
			name, ok := plainField(n.Pipe)
			if _, known := blank.text(name); !ok || !known {
				return nil, false
			}
			pm = append(pm, plainPart{text: name, field: true})
		case *parse.IfNode:
			part, ok := plainIf(n)
			if !ok {
				return nil, false
			}
			pm = append(pm, part)
		default:
			return nil, false
		}
	}
	return pm, true
}

// plainField is the field a pipeline prints when it is nothing but that
// field.
func plainField(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return "", false
	}
	fn, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(fn.Ident) != 1 {
		return "", false
	}
	return fn.Ident[0], true
}

// plainIf is {{if op .Field n}}…{{else}}…{{end}} with a number field and a
// whole number written in decimal digits: text/template compares the two
// as integers.
func plainIf(n *parse.IfNode) (plainPart, bool) {
	var part plainPart
	p := n.Pipe
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 3 {
		return part, false
	}
	args := p.Cmds[0].Args
	op, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return part, false
	}
	switch op.Ident {
	case "eq", "ne", "lt", "le", "gt", "ge":
	default:
		return part, false
	}
	field, ok := args[1].(*parse.FieldNode)
	if !ok || len(field.Ident) != 1 {
		return part, false
	}
	var blank MessageFields
	if _, isNumber := blank.number(field.Ident[0]); !isNumber {
		return part, false
	}
	num, ok := args[2].(*parse.NumberNode)
	if !ok || !num.IsInt || !wholeNumber(num.Text) {
		return part, false
	}
	then, ok := plainList(n.List)
	if !ok {
		return part, false
	}
	otherwise, ok := plainList(n.ElseList)
	if !ok {
		return part, false
	}
	return plainPart{text: field.Ident[0], op: op.Ident, n: num.Int64, then: then, otherwise: otherwise}, true
}

// wholeNumber says whether s is an optionally signed run of decimal
// digits: other spellings text/template may read as floats or runes.
func wholeNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// fill writes the message into b as text/template writes it: text as it
// is and each field as fmt.Fprint prints it. It is not ok when the message
// would be longer than a message may be.
func (pm plainMessage) fill(b *strings.Builder, f *MessageFields) bool {
	for i := range pm {
		part := &pm[i]
		if part.op != "" {
			branch := part.otherwise
			if v, _ := f.number(part.text); part.holds(v) {
				branch = part.then
			}
			if !branch.fill(b, f) {
				return false
			}
			continue
		}
		s := part.text
		if part.field {
			s, _ = f.text(s)
		}
		if b.Len()+len(s) > maxMessageLen {
			return false
		}
		b.WriteString(s)
	}
	return true
}

// holds says whether v op n.
func (part *plainPart) holds(v int64) bool {
	switch part.op {
	case "eq":
		return v == part.n
	case "ne":
		return v != part.n
	case "lt":
		return v < part.n
	case "le":
		return v <= part.n
	case "gt":
		return v > part.n
	}
	return v >= part.n
}

// number is the number field name of f.
func (f *MessageFields) number(name string) (int64, bool) {
	switch name {
	case "Points":
		return f.Points, true
	case "ExpiringPoints":
		return f.ExpiringPoints, true
	case "Days":
		return int64(f.Days), true
	case "Years":
		return int64(f.Years), true
	}
	return 0, false
}

// text is field name of f as fmt.Fprint prints it; not known for a field
// that is not there.
func (f *MessageFields) text(name string) (string, bool) {
	switch name {
	case "FirstName":
		return f.FirstName, true
	case "Name":
		return f.Name, true
	case "ShopName":
		return f.ShopName, true
	case "LastPurchase":
		return f.LastPurchase, true
	case "Amount":
		return f.Amount, true
	case "Points":
		return strconv.FormatInt(f.Points, 10), true
	case "RewardValue":
		return f.RewardValue, true
	case "Due":
		return f.Due, true
	case "Occasion":
		return f.Occasion, true
	case "Promise":
		return f.Promise, true
	case "Complaint":
		return f.Complaint, true
	case "ExpiringPoints":
		return strconv.FormatInt(f.ExpiringPoints, 10), true
	case "ExpiresOn":
		return f.ExpiresOn, true
	case "Days":
		return strconv.Itoa(f.Days), true
	case "Years":
		return strconv.Itoa(f.Years), true
	}
	return "", false
}
