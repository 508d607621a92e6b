package importers

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regulars/rules"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
)

// ParseVCards reads and checks every card without a database. The file
// is read as a stream, a card at a time: pictures and sounds, which are
// not imported, are passed over however large, and a card or a property
// over the limits (inputlimits.go) is a bad card.
func ParseVCards(r io.Reader) ([]CustomerRow, []RowError, []string, error) {
	var rows []CustomerRow
	var bad []RowError
	var warnings []string
	cards := 0
	err := splitVCards(r, func(ch vcardChunk) {
		cards++
		if ch.problem != "" {
			bad = append(bad, RowError{Line: ch.line, Reason: ch.problem})
			return
		}
		body := normaliseVCard(ch.lines)
		if !utf8.ValidString(body) {
			bad = append(bad, RowError{Line: ch.line, Reason: "the card is not UTF-8 text"})
			return
		}
		card, err := vcard.NewDecoder(strings.NewReader(body)).Decode()
		if err != nil {
			bad = append(bad, RowError{Line: ch.line, Reason: "the card cannot be read (" + strings.TrimPrefix(err.Error(), "vcard: ") + ")"})
			return
		}
		if isGroupCard(card) {
			warnings = append(warnings, fmt.Sprintf("line %d: a contact group, not a person, was skipped", ch.line))
			return
		}
		row, reasons := customerFromCard(card, ch.line)
		if len(reasons) > 0 {
			bad = append(bad, RowError{Line: ch.line, Reason: strings.Join(reasons, "; ")})
			return
		}
		rows = append(rows, row)
	})
	if err != nil {
		return nil, nil, nil, readError(err)
	}
	if cards == 0 {
		return nil, nil, nil, fmt.Errorf("the file holds no vCards (it has no BEGIN:VCARD line)")
	}
	return rows, bad, warnings, nil
}

// vcardChunk is the physical lines of one card.
type vcardChunk struct {
	line    int // of BEGIN:VCARD
	lines   []string
	problem string
	size    int // bytes kept in lines
	prop    int // bytes of the property being read
}

// skippedProperties are the vCard properties the import does not read and
// that can be large: they are passed over, never held in memory.
var skippedProperties = map[string]bool{"PHOTO": true, "LOGO": true, "SOUND": true, "KEY": true}

// propertyName is the name of the property a content line starts, without
// its group ("item1.PHOTO;ENCODING=b:…" is PHOTO).
func propertyName(l string) string {
	end := strings.IndexAny(l, ";:")
	if end < 0 {
		end = len(l)
	}
	name := l[:end]
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	return strings.ToUpper(strings.TrimSpace(name))
}

// splitVCards cuts the file into cards itself, so each card's line is known
// and one broken card does not stop the others from being read; each card
// goes to card as soon as it ends.
func splitVCards(r io.Reader, card func(vcardChunk)) error {
	lr := newLineReader(r)
	var cur *vcardChunk
	cards := 0
	skipping := false // inside a skipped property: its folded lines go too
	// Only a picture or a sound may run on for ever on one line; any other
	// line longer than a whole card may hold stops the import.
	mayRunOn := func(start string) bool {
		if strings.HasPrefix(start, " ") || strings.HasPrefix(start, "\t") {
			return skipping
		}
		return skippedProperties[propertyName(start)]
	}
	for {
		l, n, tooLong, err := lr.next(mayRunOn)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return err
			}
			break
		}
		if n == 1 {
			l = strings.TrimPrefix(l, "\ufeff")
		}
		folded := strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")
		word := strings.ToUpper(strings.TrimRight(l, " \t"))
		switch {
		case word == "BEGIN:VCARD":
			if cur != nil {
				cur.problem = "the card has no END:VCARD line"
				card(*cur)
			}
			if cards++; cards > MaxCustomerRows {
				return tooManyRows(n, MaxCustomerRows, "cards")
			}
			cur = &vcardChunk{line: n, lines: []string{l}}
			skipping = false
		case cur == nil:
			// Text between cards is not part of any contact.
		case word == "END:VCARD":
			cur.lines = append(cur.lines, l)
			card(*cur)
			cur = nil
		case skipping && folded:
		case !folded && skippedProperties[propertyName(l)]:
			skipping = true
		case cur.problem != "":
			// A bad card is read to its end, and no more of it kept.
		default:
			skipping = false
			if !folded {
				cur.prop = 0
			}
			cur.prop += len(l)
			cur.size += len(l)
			switch {
			case tooLong || cur.prop > MaxField:
				cur.problem = fmt.Sprintf("a field is longer than %d KB, the most one field may hold", MaxField>>10)
				cur.lines = nil
			case cur.size > MaxRecord:
				cur.problem = fmt.Sprintf("the card is larger than %d MB, the most one card may hold", MaxRecord>>20)
				cur.lines = nil
			default:
				cur.lines = append(cur.lines, l)
			}
		}
	}
	if cur != nil {
		cur.problem = "the card has no END:VCARD line"
		card(*cur)
	}
	return nil
}

// lineReader reads a file line by line without holding more than
// MaxField+1 bytes of a line: the rest of a longer one is read and
// dropped. A NUL byte stops it with ErrNotText.
type lineReader struct {
	br   *bufio.Reader
	line int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its line end, its number, and
// whether it was cut at MaxField. A line longer than MaxRecord stops the
// reading with a LineError, unless mayRunOn says, from its start, that it
// may.
func (lr *lineReader) next(mayRunOn func(start string) bool) (string, int, bool, error) {
	var buf []byte
	tooLong := false
	length := 0
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if bytes.IndexByte(chunk, 0) >= 0 {
			return "", 0, false, ErrNotText
		}
		if length += len(chunk); length > MaxRecord && length-len(chunk) <= MaxRecord && !mayRunOn(string(buf)) {
			return "", 0, false, &LineError{lr.line + 1, fmt.Sprintf("a line is longer than %d MB, more than a whole card may hold", MaxRecord>>20)}
		}
		if !tooLong {
			if len(buf)+len(chunk) > MaxField+1 {
				tooLong = true
				buf = append(buf, chunk[:MaxField+1-len(buf)]...)
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (!errors.Is(err, io.EOF) || len(buf) == 0) {
			return "", 0, false, err
		}
		lr.line++
		l := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
		return l, lr.line, tooLong, nil
	}
}

// normaliseVCard unfolds a card's lines and rewrites the vCard 2.1 habits
// the decoder does not know: bare parameters (TEL;CELL), quoted-printable
// values with soft line breaks, and Latin-1 text.
func normaliseVCard(lines []string) string {
	var logical []string
	qpOpen := false
	for _, l := range lines {
		n := len(logical)
		switch {
		case qpOpen && n > 0:
			logical[n-1] = strings.TrimSuffix(logical[n-1], "=") + l
		case n > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
			logical[n-1] += l[1:]
		default:
			logical = append(logical, l)
		}
		last := logical[len(logical)-1]
		qpOpen = strings.HasSuffix(last, "=") && isQuotedPrintable(last)
	}
	var b strings.Builder
	for _, l := range logical {
		b.WriteString(rewriteVCardLine(l))
		b.WriteString("\r\n")
	}
	return b.String()
}

func isQuotedPrintable(line string) bool {
	head, _, ok := cutUnquoted(line, ':')
	return ok && strings.Contains(strings.ToUpper(head), "QUOTED-PRINTABLE")
}

// cutUnquoted splits s around the first sep outside double quotes.
func cutUnquoted(s string, sep byte) (string, string, bool) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

func splitUnquoted(s string, sep byte) []string {
	var out []string
	for {
		a, b, ok := cutUnquoted(s, sep)
		out = append(out, a)
		if !ok {
			return out
		}
		s = b
	}
}

func rewriteVCardLine(l string) string {
	head, value, ok := cutUnquoted(l, ':')
	if !ok {
		return l
	}
	parts := splitUnquoted(head, ';')
	kept := []string{parts[0]}
	qp := false
	charset := ""
	for _, p := range parts[1:] {
		k, v, hasEq := strings.Cut(p, "=")
		switch {
		case !hasEq && strings.EqualFold(p, "QUOTED-PRINTABLE"),
			hasEq && strings.EqualFold(k, "ENCODING") && strings.EqualFold(v, "QUOTED-PRINTABLE"):
			qp = true
		case hasEq && strings.EqualFold(k, "CHARSET"):
			charset = strings.ToLower(strings.Trim(v, `"`))
		case !hasEq && (strings.EqualFold(p, "8BIT") || strings.EqualFold(p, "7BIT")):
		case !hasEq && strings.EqualFold(p, "BASE64"):
			kept = append(kept, "ENCODING=b")
		case !hasEq && p != "":
			kept = append(kept, "TYPE="+p)
		case p != "":
			kept = append(kept, p)
		}
	}
	if qp {
		value = decodeQuotedPrintable(value)
	}
	if charset == "iso-8859-1" || charset == "latin1" || charset == "windows-1252" || charset == "cp1252" {
		value = decodeLatin1(value)
	}
	if qp {
		// Decoded line breaks would end the content line; keep them escaped.
		value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\n", `\n`)
	}
	return strings.Join(kept, ";") + ":" + value
}

func decodeQuotedPrintable(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// windows1252 holds the characters Windows puts at 0x80–0x9F; files
// labelled Latin-1 use them too.
var windows1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

func decodeLatin1(s string) string {
	if utf8.ValidString(s) {
		// Some programs label UTF-8 text as Latin-1; leave it alone.
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 && c < 0xa0:
			b.WriteRune(windows1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func isGroupCard(card vcard.Card) bool {
	k := strings.ToLower(card.Value(vcard.FieldKind))
	if k == "" {
		k = strings.ToLower(card.Value("X-ADDRESSBOOKSERVER-KIND"))
	}
	return k == string(vcard.KindGroup)
}

var cardUnescaper = strings.NewReplacer(`\;`, ";", `\N`, "\n", `\:`, ":")

// cardText undoes the escapes the decoder leaves in place.
func cardText(s string) string { return strings.TrimSpace(cardUnescaper.Replace(s)) }

func customerFromCard(card vcard.Card, line int) (CustomerRow, []string) {
	row := CustomerRow{Line: line}
	c := &row.Customer
	var reasons []string

	for _, f := range card[vcard.FieldFormattedName] {
		if c.Name = cardText(f.Value); c.Name != "" {
			break
		}
	}
	if c.Name == "" {
		if n := card.Name(); n != nil {
			var parts []string
			for _, p := range []string{n.HonorificPrefix, n.GivenName, n.AdditionalName, n.FamilyName, n.HonorificSuffix} {
				if p = cardText(strings.ReplaceAll(p, ",", " ")); p != "" {
					parts = append(parts, p)
				}
			}
			c.Name = strings.Join(parts, " ")
		}
	}
	if c.Name == "" {
		org, _, _ := strings.Cut(card.Value(vcard.FieldOrganization), ";")
		c.Name = cardText(org)
	}
	if c.Name == "" {
		reasons = append(reasons, "the card has no name (FN or N)")
	} else if err := rules.CheckName(c.Name); err != nil {
		reasons = append(reasons, err.Error())
	}

	if tel := cardPhone(card); tel != "" {
		c.Phone = tel
		if err := rules.CheckPhone(tel); err != nil {
			reasons = append(reasons, err.Error())
		}
	}
	for _, f := range card[vcard.FieldEmail] {
		v := strings.TrimSpace(f.Value)
		if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
			v = v[7:]
		}
		if v != "" {
			c.Email = v
			if err := rules.CheckEmail(v); err != nil {
				reasons = append(reasons, err.Error())
			}
			break
		}
	}
	if f := card.Get(vcard.FieldBirthday); f != nil && strings.TrimSpace(f.Value) != "" {
		b, err := parseCardDate(f)
		if err != nil {
			reasons = append(reasons, "birthday "+err.Error())
		}
		c.Birthday = b
	}
	if f := cardAnniversary(card); f != nil {
		d, err := parseCardDate(f)
		if err != nil {
			reasons = append(reasons, "anniversary "+err.Error())
		} else {
			row.Occasions = append(row.Occasions, rules.Occasion{Label: "Anniversary", Date: d, Yearly: true, LeadDays: 7})
		}
	}
	if a := card.Address(); a != nil {
		c.Address = joinAddress(a)
	}
	var notes []string
	for _, f := range card[vcard.FieldNote] {
		if v := cardText(f.Value); v != "" {
			notes = append(notes, v)
		}
	}
	c.Notes = strings.Join(notes, "\n")
	seen := map[string]bool{}
	for _, f := range card[vcard.FieldCategories] {
		for _, t := range strings.FieldsFunc(f.Value, func(r rune) bool { return r == ',' || r == ';' }) {
			if t = cardText(t); t != "" && !seen[strings.ToLower(t)] {
				seen[strings.ToLower(t)] = true
				c.Tags = append(c.Tags, t)
			}
		}
	}
	return row, reasons
}

// cardPhone is the first mobile number, else the first number.
func cardPhone(card vcard.Card) string {
	tels := card[vcard.FieldTelephone]
	clean := func(f *vcard.Field) string {
		v := strings.TrimSpace(f.Value)
		if len(v) > 4 && strings.EqualFold(v[:4], "tel:") {
			v, _, _ = strings.Cut(v[4:], ";") // drop ;ext= and friends
		}
		return strings.TrimSpace(v)
	}
	for _, f := range tels {
		if v := clean(f); v != "" && (f.Params.HasType(vcard.TypeCell) || f.Params.HasType("mobile") || f.Params.HasType("iphone")) {
			return v
		}
	}
	for _, f := range tels {
		if v := clean(f); v != "" {
			return v
		}
	}
	return ""
}

// cardAnniversary finds the anniversary under the names address books use:
// ANNIVERSARY (vCard 4.0), Apple's labelled X-ABDATE, and older X- fields.
func cardAnniversary(card vcard.Card) *vcard.Field {
	if f := card.Get(vcard.FieldAnniversary); f != nil && strings.TrimSpace(f.Value) != "" {
		return f
	}
	for _, f := range card["X-ABDATE"] {
		if f.Group == "" {
			continue
		}
		for _, l := range card["X-ABLABEL"] {
			if l.Group == f.Group && strings.Contains(strings.ToLower(l.Value), "anniversary") {
				return f
			}
		}
	}
	for _, k := range []string{"X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"} {
		if f := card.Get(k); f != nil && strings.TrimSpace(f.Value) != "" {
			return f
		}
	}
	return nil
}

// parseCardDate reads YYYY-MM-DD, YYYYMMDD, --MMDD, --MM-DD or a date-time.
// Apple writes year-less dates in the year 1604 with X-APPLE-OMIT-YEAR.
func parseCardDate(f *vcard.Field) (rules.YearlyDate, error) {
	v := strings.TrimSpace(f.Value)
	day := v
	if i := strings.IndexByte(day, 'T'); i >= 0 {
		day = day[:i]
	}
	var ys, ms, ds string
	switch {
	case len(day) == 10 && day[4] == '-' && day[7] == '-':
		ys, ms, ds = day[:4], day[5:7], day[8:]
	case len(day) == 8 && !strings.HasPrefix(day, "-"):
		ys, ms, ds = day[:4], day[4:6], day[6:]
	case len(day) == 6 && strings.HasPrefix(day, "--"):
		ms, ds = day[2:4], day[4:]
	case len(day) == 7 && strings.HasPrefix(day, "--") && day[4] == '-':
		ms, ds = day[2:4], day[5:]
	default:
		return rules.YearlyDate{}, fmt.Errorf("%q is not a date like 1985-04-12, 19850412 or --04-12", v)
	}
	m, e1 := rules.AtoiDigits(ms)
	d, e2 := rules.AtoiDigits(ds)
	y := 0
	var e3 error
	if ys != "" {
		y, e3 = rules.AtoiDigits(ys)
		if omit := f.Params.Get("X-APPLE-OMIT-YEAR"); omit == ys || y == 0 {
			y = 0
		}
	}
	if e1 != nil || e2 != nil || e3 != nil {
		return rules.YearlyDate{}, fmt.Errorf("%q is not a date like 1985-04-12, 19850412 or --04-12", v)
	}
	check := y
	if check == 0 {
		check = 2000
	}
	if !rules.ValidDate(check, time.Month(m), d) {
		return rules.YearlyDate{}, fmt.Errorf("%q is not a real calendar date", v)
	}
	return rules.YearlyDate{Year: y, Month: time.Month(m), Day: d}, nil
}

// joinAddress writes an address on one line: street, flat, PO box,
// locality, region and postcode, country.
func joinAddress(a *vcard.Address) string {
	var parts []string
	add := func(s string) {
		for _, l := range strings.Split(cardText(s), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
	}
	add(a.StreetAddress)
	add(a.ExtendedAddress)
	add(a.PostOfficeBox)
	add(a.Locality)
	add(strings.TrimSpace(cardText(a.Region) + " " + cardText(a.PostalCode)))
	add(a.Country)
	return strings.Join(parts, ", ")
}
