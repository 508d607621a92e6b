package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regulars/rules"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A shop's customers already live somewhere: in the contacts of a phone or
// mail program (Google Contacts, Outlook), a web shop (Shopify) or a card
// terminal (Square). Their customer exports are recognised by their header
// rows and each row is turned into the fields of our own customers CSV;
// from there the same checks run as for our own file, so line numbers, bad
// rows, duplicates and all-or-nothing behave exactly the same.

// CustomerFormat is a kind of customers file the recogniser knows.
type CustomerFormat struct {
	ID   string // "regulars", "google", "google-old", "outlook", "shopify", "square"; "" when nothing matched
	Name string // such as "Shopify customers export"
}

// OwnFormat is our own customers CSV, with a "name" column.
var OwnFormat = CustomerFormat{ID: "regulars", Name: "Regulars customers file"}

// Foreign reports an export of another program.
func (f CustomerFormat) Foreign() bool { return f.ID != "" && f.ID != OwnFormat.ID }

// WithArticle is the name after "a" or "an", as in "recognised an Outlook
// contacts export".
func (f CustomerFormat) WithArticle() string {
	if f.Name == "" {
		return ""
	}
	if strings.ContainsRune("AEIOUaeiou", rune(f.Name[0])) {
		return "an " + f.Name
	}
	return "a " + f.Name
}

// consentColumn is a marketing consent column and the values that say no
// and yes, in lower case.
type consentColumn struct {
	column  string
	no, yes []string
}

// exportLayout is where a program's customers export keeps each of our
// fields, by header name in lower case; "#" in a name stands for a number
// (Google numbers its phones and emails).
type exportLayout struct {
	format    CustomerFormat
	signature [][]string // the header has a column of every group
	fullName  []string   // a full name, used when filled
	nameParts []string   // else these, filled ones joined with spaces
	phones    []string   // the first filled one is kept
	emails    []string
	birthday  []string
	since     []string
	notes     []string
	tags      []string
	tagSeps   []string
	dropTags  []string // lower case: labels every contact has, not the shop's tags
	consent   []consentColumn
	quiet     []string // columns that describe a kept one (a phone's label) and need no warning
	noValue   []string // lower case: what the program writes in a field left empty
}

var (
	yesNoConsent = func(col string) consentColumn {
		return consentColumn{column: col, no: []string{"no", "false"}, yes: []string{"yes", "true"}}
	}
	googleQuiet = []string{"phone # - label", "phone # - type", "e-mail # - label", "e-mail # - type"}
)

// exportLayouts are tried in order; the first whose signature the header
// has wins. Google's and Outlook's both have "First Name", so Google's
// numbered "… - Value" columns or "Labels" tell them apart.
var exportLayouts = []exportLayout{
	{
		format:    CustomerFormat{ID: "google", Name: "Google Contacts export"},
		signature: [][]string{{"first name"}, {"labels", "e-mail # - value", "phone # - value"}},
		nameParts: []string{"first name", "middle name", "last name"},
		phones:    []string{"phone # - value"},
		emails:    []string{"e-mail # - value"},
		birthday:  []string{"birthday"},
		notes:     []string{"notes"},
		tags:      []string{"labels"},
		tagSeps:   []string{":::", ";"},
		dropTags:  []string{"* mycontacts", "* starred"},
		quiet:     googleQuiet,
	},
	{
		format:    CustomerFormat{ID: "google-old", Name: "Google Contacts export (older format)"},
		signature: [][]string{{"given name"}, {"group membership", "e-mail # - value", "phone # - value"}},
		fullName:  []string{"name"},
		nameParts: []string{"given name", "additional name", "family name"},
		phones:    []string{"phone # - value"},
		emails:    []string{"e-mail # - value"},
		birthday:  []string{"birthday"},
		notes:     []string{"notes"},
		tags:      []string{"group membership"},
		tagSeps:   []string{":::", ";"},
		dropTags:  []string{"* mycontacts", "* starred"},
		quiet:     googleQuiet,
	},
	{
		format: CustomerFormat{ID: "shopify", Name: "Shopify customers export"},
		signature: [][]string{{"first name"}, {"email"},
			{"accepts email marketing", "accepts marketing", "accepts sms marketing", "default address phone", "tax exempt", "total spent"}},
		nameParts: []string{"first name", "last name"},
		phones:    []string{"phone", "default address phone"},
		emails:    []string{"email"},
		notes:     []string{"note"},
		tags:      []string{"tags"},
		tagSeps:   []string{",", ";"},
		consent: []consentColumn{yesNoConsent("accepts email marketing"), yesNoConsent("accepts sms marketing"),
			yesNoConsent("accepts marketing")},
	},
	{
		format: CustomerFormat{ID: "square", Name: "Square customers export"},
		signature: [][]string{{"first name"}, {"surname", "last name"}, {"email address", "phone number"},
			{"square customer id", "reference id", "email subscription status", "email unsubscribed", "first visit", "memo", "creation source", "instant profile"}},
		nameParts: []string{"first name", "surname", "last name"},
		phones:    []string{"phone number"},
		emails:    []string{"email address"},
		birthday:  []string{"birthday"},
		since:     []string{"first visit"},
		notes:     []string{"memo"},
		tags:      []string{"groups"},
		tagSeps:   []string{",", ";"},
		consent: []consentColumn{
			{column: "email subscription status", no: []string{"unsubscribed"}, yes: []string{"subscribed"}},
			{column: "email unsubscribed", no: []string{"true", "yes"}, yes: []string{"false", "no"}},
		},
	},
	{
		format:    CustomerFormat{ID: "outlook", Name: "Outlook contacts export"},
		signature: [][]string{{"first name"}, {"e-mail address", "mobile phone", "business phone", "home phone", "primary phone", "e-mail display name"}},
		nameParts: []string{"first name", "middle name", "last name"},
		phones: []string{"mobile phone", "primary phone", "home phone", "home phone 2", "business phone", "business phone 2",
			"other phone", "company main phone", "car phone"},
		emails:   []string{"e-mail address", "e-mail 2 address", "e-mail 3 address"},
		birthday: []string{"birthday"},
		notes:    []string{"notes"},
		tags:     []string{"categories"},
		tagSeps:  []string{";", ","},
		quiet: []string{"e-mail type", "e-mail display name", "e-mail 2 type", "e-mail 2 display name",
			"e-mail 3 type", "e-mail 3 display name", "initials"},
		noValue: []string{"0/0/00", "unspecified", "normal", "false"},
	},
}

// headerKey is how header names are compared: trimmed, lower case.
func headerKey(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// columnMatches reports whether a header name fits a layout's name, where
// "#" stands for a number.
func columnMatches(pattern, key string) bool {
	before, after, ok := strings.Cut(pattern, "#")
	if !ok {
		return pattern == key
	}
	if !strings.HasPrefix(key, before) || !strings.HasSuffix(key, after) || len(key) <= len(before)+len(after) {
		return false
	}
	for _, r := range key[len(before) : len(key)-len(after)] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// columnsOf returns the positions of the header's columns that fit the
// names, in the order of the names (and of the header for a numbered name).
func columnsOf(keys []string, names []string) []int {
	var out []int
	for _, n := range names {
		for i, k := range keys {
			if columnMatches(n, k) && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	return out
}

// Recognition is what the recogniser made of a header row.
type Recognition struct {
	Format CustomerFormat
	Fields []string // per column, the field of CustomerFields it feeds; "" when it feeds none
}

// RecogniseCustomers says which program's customers export a header row
// is, and what each column goes to. A header it does not know gives the
// zero Format.
func RecogniseCustomers(header []string) Recognition {
	if p := planExport(header); p != nil {
		return Recognition{Format: p.layout.format, Fields: p.fields()}
	}
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	if !slices.Contains(keys, "name") {
		return Recognition{Fields: make([]string, len(header))}
	}
	fields := make([]string, len(header))
	for i, k := range keys {
		if k != "id" && slices.Contains(customerColumns, k) {
			fields[i] = k
		}
	}
	return Recognition{Format: OwnFormat, Fields: fields}
}

// exportPlan is a layout found in a header: the positions of the columns
// each field is read from.
type exportPlan struct {
	layout                                        *exportLayout
	header                                        []string
	fullName, nameParts, phones, emails, birthday []int
	since, notes, tags, quiet                     []int
	consent                                       []int
	consentOf                                     map[int]consentColumn
}

// planExport finds the export a header row is, or returns nil.
func planExport(header []string) *exportPlan {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	ours := slices.Contains(keys, "name")
	for li := range exportLayouts {
		l := &exportLayouts[li]
		if ours && !slices.Contains(l.fullName, "name") {
			continue // our own file with more columns; only Google's older export has a "Name" too
		}
		found := true
		for _, group := range l.signature {
			if len(columnsOf(keys, group)) == 0 {
				found = false
				break
			}
		}
		if !found {
			continue
		}
		p := &exportPlan{layout: l, header: header,
			fullName: columnsOf(keys, l.fullName), nameParts: columnsOf(keys, l.nameParts),
			phones: columnsOf(keys, l.phones), emails: columnsOf(keys, l.emails),
			birthday: columnsOf(keys, l.birthday), since: columnsOf(keys, l.since),
			notes: columnsOf(keys, l.notes), tags: columnsOf(keys, l.tags), quiet: columnsOf(keys, l.quiet),
			consentOf: map[int]consentColumn{}}
		for _, c := range l.consent {
			for _, i := range columnsOf(keys, []string{c.column}) {
				p.consent = append(p.consent, i)
				p.consentOf[i] = c
			}
		}
		return p
	}
	return nil
}

// fields says per column which field it feeds, for showing the mapping.
func (p *exportPlan) fields() []string {
	out := make([]string, len(p.header))
	set := func(cols []int, field string) {
		for _, i := range cols {
			if out[i] == "" {
				out[i] = field
			}
		}
	}
	set(p.fullName, "name")
	if len(p.nameParts) > 0 {
		out[p.nameParts[0]] = "first_name"
		out[p.nameParts[len(p.nameParts)-1]] = "last_name"
		set(p.nameParts, "name")
	}
	set(p.phones, "phone")
	set(p.emails, "email")
	set(p.birthday, "birthday")
	set(p.since, "customer_since")
	set(p.notes, "notes")
	set(p.tags, "tags")
	set(p.consent, "do_not_contact")
	return out
}

// ignored are the positions of the columns no field is read from.
func (p *exportPlan) ignored() []int {
	used := map[int]bool{}
	for _, cols := range [][]int{p.fullName, p.nameParts, p.phones, p.emails, p.birthday, p.since, p.notes, p.tags, p.quiet, p.consent} {
		for _, i := range cols {
			used[i] = true
		}
	}
	var out []int
	for i := range p.header {
		if !used[i] {
			out = append(out, i)
		}
	}
	return out
}

// firstValue is the first value of a cell that may hold several (Google
// writes "a ::: b"), without the apostrophe Shopify puts before numbers so
// spreadsheets keep them as text.
func firstValue(cell string) string {
	for _, v := range strings.Split(cell, ":::") {
		if v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "'")); v != "" {
			return v
		}
	}
	return ""
}

// rowConverter turns a row of an export into our fields.
type rowConverter struct {
	plan     *exportPlan
	dayFirst bool // slashed dates are day/month/year in this file
}

func (c rowConverter) convert(get func(i int) string) (map[string]string, []string) {
	p := c.plan
	f := map[string]string{}
	var reasons []string
	f["name"] = c.name(get)
	for _, i := range p.phones {
		if v := firstValue(get(i)); v != "" {
			f["phone"] = v
			break
		}
	}
	for _, i := range p.emails {
		// Outlook writes an Exchange address (/o=…) for colleagues in the
		// same organisation; it is not an email address.
		if v := firstValue(get(i)); v != "" && !strings.HasPrefix(strings.ToLower(v), "/o=") {
			f["email"] = v
			break
		}
	}
	if v, reason := c.birthday(get); reason != "" {
		reasons = append(reasons, reason)
	} else if v != "" {
		f["birthday"] = v
	}
	if v, reason := c.since(get); reason != "" {
		reasons = append(reasons, reason)
	} else if v != "" {
		f["customer_since"] = v
	}
	var notes []string
	for _, i := range p.notes {
		if v := keepText(get(i)); v != "" {
			notes = append(notes, v)
		}
	}
	f["notes"] = strings.Join(notes, "\n")
	f["tags"] = strings.Join(c.tags(get), ";")
	if c.doNotContact(get) {
		f["do_not_contact"] = "true"
	}
	return f, reasons
}

// name is the first full name given, else the name's parts joined.
func (c rowConverter) name(get func(i int) string) string {
	for _, i := range c.plan.fullName {
		if v := strings.TrimSpace(get(i)); v != "" {
			return v
		}
	}
	var parts []string
	for _, i := range c.plan.nameParts {
		if v := strings.TrimSpace(get(i)); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// firstDate is the first date column with something in it: its column,
// what it says, and the date; ok is false when it says something that is
// not a date, and i is -1 when every date column is empty.
func (c rowConverter) firstDate(get func(i int) string, cols []int) (i int, v string, y rules.YearlyDate, ok bool) {
	for _, i := range cols {
		v := strings.TrimSpace(get(i))
		if v == "" {
			continue
		}
		y, ok := ParseExportDate(v, c.dayFirst)
		return i, v, y, ok
	}
	return -1, "", rules.YearlyDate{}, true
}

// birthday is the row's birthday ("" when none), or why it cannot be read.
func (c rowConverter) birthday(get func(i int) string) (value, reason string) {
	i, v, y, ok := c.firstDate(get, c.plan.birthday)
	switch {
	case !ok:
		return "", fmt.Sprintf("%s %q is not a date", strings.TrimSpace(c.plan.header[i]), v)
	case !y.IsZero():
		return y.String(), ""
	}
	return "", ""
}

// since is the day the row's customer became one ("" when none), or why it
// cannot be read: it needs a year.
func (c rowConverter) since(get func(i int) string) (value, reason string) {
	i, v, y, ok := c.firstDate(get, c.plan.since)
	switch {
	case !ok:
		return "", fmt.Sprintf("%s %q is not a date", strings.TrimSpace(c.plan.header[i]), v)
	case !y.IsZero() && y.Year == 0:
		return "", fmt.Sprintf("%s %q has no year", strings.TrimSpace(c.plan.header[i]), v)
	case !y.IsZero():
		return y.String(), ""
	}
	return "", ""
}

// tags are the row's tags, each once whatever its case, without the
// export's own groups.
func (c rowConverter) tags(get func(i int) string) []string {
	var tags []string
	for _, i := range c.plan.tags {
		cell := get(i)
		for _, sep := range c.plan.layout.tagSeps {
			cell = strings.ReplaceAll(cell, sep, "\x00")
		}
		for _, t := range strings.Split(cell, "\x00") {
			t = strings.TrimSpace(t)
			if t == "" || slices.Contains(c.plan.layout.dropTags, strings.ToLower(t)) {
				continue
			}
			// Google's own groups start with "* ": "* friends" is Friends.
			t = strings.TrimSpace(strings.TrimPrefix(t, "* "))
			if !slices.ContainsFunc(tags, func(s string) bool { return strings.EqualFold(s, t) }) {
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// doNotContact says marketing consent was refused, and given on no other
// channel: the customer is not to be contacted.
func (c rowConverter) doNotContact(get func(i int) string) bool {
	no, yes := false, false
	for _, i := range c.plan.consent {
		v := strings.ToLower(strings.TrimSpace(get(i)))
		no = no || slices.Contains(c.plan.consentOf[i].no, v)
		yes = yes || slices.Contains(c.plan.consentOf[i].yes, v)
	}
	return no && !yes
}

// dateParts splits a date written with slashes, dashes or dots with the
// year last (3/14/1985, 14.03.1985, 03-14-1985) or no year (3/14) into
// its numbers and separator.
func dateParts(s string) ([]int, byte, bool) {
	sep := byte(0)
	for _, c := range []byte{'/', '.', '-'} {
		if strings.IndexByte(s, c) >= 0 {
			sep = c
			break
		}
	}
	if sep == 0 {
		return nil, 0, false
	}
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts) > 3 {
		return nil, 0, false
	}
	var out []int
	for i, p := range parts {
		limit := 2
		if i == 2 {
			limit = 4
		}
		if p == "" || len(p) > limit || (i == 2 && len(p) != 2 && len(p) != 4) {
			return nil, 0, false
		}
		n, err := rules.AtoiDigits(p)
		if err != nil {
			return nil, 0, false
		}
		out = append(out, n)
	}
	return out, sep, true
}

// ParseExportDate reads a date as these programs write it: 1985-03-14 or
// 0000-03-14 (Square's birthday without a year), --03-14 and 03-14,
// 3/14/1985 or 14/3/1985 (Outlook, in the order of the computer's
// settings), 14.3.1985, and 0/0/00 for none (Outlook again). A time after
// the date is left out. The zero YearlyDate means none.
func ParseExportDate(s string, dayFirst bool) (rules.YearlyDate, bool) {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "0/-. ") == "" {
		return rules.YearlyDate{}, true
	}
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		y, e1 := rules.AtoiDigits(s[:4])
		m, e2 := rules.AtoiDigits(s[5:7])
		d, e3 := rules.AtoiDigits(s[8:10])
		if e1 != nil || e2 != nil || e3 != nil {
			return rules.YearlyDate{}, false
		}
		if y == 0 {
			y2 := rules.YearlyDate{Month: time.Month(m), Day: d}
			return y2, rules.ValidDate(2000, y2.Month, d)
		}
		return rules.YearlyDate{Year: y, Month: time.Month(m), Day: d}, rules.ValidDate(y, time.Month(m), d)
	}
	if strings.HasPrefix(s, "--") || (len(s) == 5 && s[2] == '-') {
		y, err := rules.ParseYearlyDate(s)
		return y, err == nil
	}
	n, sep, ok := dateParts(s)
	if !ok {
		return rules.YearlyDate{}, false
	}
	m, d := n[0], n[1]
	if sep == '.' || dayFirst {
		m, d = d, m
	}
	if len(n) == 2 {
		return rules.YearlyDate{Month: time.Month(m), Day: d}, rules.ValidDate(2000, time.Month(m), d)
	}
	y := n[2]
	if parts := strings.Split(s, string(sep)); len(parts[2]) == 2 {
		// A two-digit year is in the last hundred years.
		now := time.Now().Year()
		y += now / 100 * 100
		if y > now {
			y -= 100
		}
	}
	if y == 0 {
		return rules.YearlyDate{Month: time.Month(m), Day: d}, rules.ValidDate(2000, time.Month(m), d)
	}
	return rules.YearlyDate{Year: y, Month: time.Month(m), Day: d}, rules.ValidDate(y, time.Month(m), d)
}

// slashedOrder tells from a file's dates whether its slashed dates put the
// day first: only when some date cannot be month first and none cannot be
// day first. It returns an example that decided it.
func slashedOrder(values []string) (dayFirst bool, example string) {
	monthFirst := false
	for _, v := range values {
		n, sep, ok := dateParts(strings.TrimSpace(v))
		if !ok || sep == '.' {
			continue
		}
		if n[0] > 12 && n[1] <= 12 && !dayFirst {
			dayFirst, example = true, strings.TrimSpace(v)
		}
		if n[1] > 12 {
			monthFirst = true
		}
	}
	if monthFirst {
		return false, ""
	}
	return dayFirst, example
}

// readByPosition reads a CSV file's rows with each field keyed by its
// column's position (as ignoredColumn names it), whatever the header says,
// and keeps the lines the person sees.
func readByPosition(r io.Reader, columns int) ([]csvRecord, []RowError, error) {
	mr, known, err := remapHeader(r, make([]string, columns))
	if err != nil {
		return nil, nil, err
	}
	recs, bad, _, err := readCSVTable(mr, known, nil)
	return recs, bad, err
}

// parseExport reads a recognised export: each row becomes our fields and
// then goes through the same checks as a row of our own file.
func parseExport(r io.Reader, p *exportPlan) ([]CustomerRow, []RowError, []string, error) {
	recs, bad, err := readByPosition(r, len(p.header))
	if err != nil {
		return nil, nil, nil, err
	}
	cell := func(rec csvRecord) func(int) string {
		return func(i int) string { return rec.fields[ignoredColumn(i)] }
	}
	var warnings []string
	var dates []string
	dateColumns := append(slices.Clone(p.birthday), p.since...)
	for _, rec := range recs {
		for _, i := range dateColumns {
			dates = append(dates, cell(rec)(i))
		}
	}
	conv := rowConverter{plan: p}
	if dayFirst, example := slashedOrder(dates); dayFirst {
		conv.dayFirst = true
		warnings = append(warnings, fmt.Sprintf("dates such as %s were read as day/month/year", example))
	}
	var rows []CustomerRow
	for _, rec := range recs {
		fields, reasons := conv.convert(cell(rec))
		row, more := customerFromRecord(csvRecord{line: rec.line, fields: fields})
		if reasons = append(reasons, more...); len(reasons) > 0 {
			bad = append(bad, RowError{Line: rec.line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		rows = append(rows, row)
	}
	SortRowErrors(bad)
	// Columns Regulars does not keep are named once; empty ones lose
	// nothing and are only counted.
	var named []string
	empty := 0
	for _, i := range p.ignored() {
		filled := false
		for _, rec := range recs {
			if v := strings.ToLower(strings.TrimSpace(cell(rec)(i))); v != "" && !slices.Contains(p.layout.noValue, v) {
				filled = true
				break
			}
		}
		if filled {
			named = append(named, columnName(p.header, i))
		} else {
			empty++
		}
	}
	if len(named) > 0 {
		w := "ignored: " + strings.Join(named, ", ")
		if empty == 1 {
			w += " (and 1 empty column)"
		} else if empty > 1 {
			w += fmt.Sprintf(" (and %d empty columns)", empty)
		}
		warnings = append([]string{w}, warnings...)
	}
	return rows, bad, warnings, nil
}

// columnName is how a warning names a column of the header.
func columnName(header []string, i int) string {
	if name := strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")); name != "" {
		return name
	}
	return fmt.Sprintf("column %d", i+1)
}

// readHeaderLine reads the header row's bytes: up to the first line break
// outside quotes, that break included.
func readHeaderLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	quoted := false
	for {
		c, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return line, nil
		}
		if err != nil {
			return nil, readError(err)
		}
		line = append(line, c)
		if c == '"' {
			quoted = !quoted
		}
		if c == '\n' && !quoted {
			return line, nil
		}
	}
}

// peekHeader reads the header row and hands back a reader that gives the
// whole file again from its first byte.
func peekHeader(r io.Reader) ([]string, io.Reader, error) {
	br := bufio.NewReader(r)
	raw, err := readHeaderLine(br)
	if err != nil {
		return nil, nil, err
	}
	again := io.MultiReader(bytes.NewReader(raw), br)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, again, err
	}
	return header, again, nil
}

// errNoFormat is the sentence for a header that is neither ours nor an
// export the recogniser knows.
var errNoFormat = errors.New(`the file has no "name" column in its header row and is not a customers export of Google Contacts, Outlook, Shopify or Square; ` +
	`it needs a "name" column (or "First Name" and "Last Name" in one of those exports), or --map "Their Column=field,…" to say which column holds what`)

// ParseCustomersFile reads a customers CSV of any kind the recogniser
// knows, or through columns when they are given.
func ParseCustomersFile(r io.Reader, columns ColumnMap) ([]CustomerRow, []RowError, []string, CustomerFormat, error) {
	r = newCSVGuard(r, MaxCustomerRows)
	header, again, err := peekHeader(r)
	if stop := stopsReading(err); stop != nil {
		return nil, nil, nil, CustomerFormat{}, stop
	}
	if err != nil || len(header) == 0 {
		// Our own reader says what is wrong with the file.
		rows, bad, warnings, err := parseOwnCustomersCSV(again)
		return rows, bad, warnings, OwnFormat, err
	}
	if columns != nil {
		mapping, err := columns.mapping(header)
		if err != nil {
			return nil, nil, nil, CustomerFormat{}, err
		}
		rows, bad, warnings, err := ParseMappedCustomers(again, mapping)
		if err != nil {
			return nil, nil, nil, CustomerFormat{}, err
		}
		var left []string
		for i, f := range mapping {
			if f == "" {
				left = append(left, columnName(header, i))
			}
		}
		if len(left) > 0 {
			warnings = append([]string{"ignored: " + strings.Join(left, ", ")}, warnings...)
		}
		return rows, bad, warnings, CustomerFormat{}, nil
	}
	if p := planExport(header); p != nil {
		rows, bad, warnings, err := parseExport(again, p)
		if err != nil {
			return nil, nil, nil, CustomerFormat{}, err
		}
		return rows, bad, warnings, p.layout.format, nil
	}
	named, readable := false, true
	for _, h := range header {
		named = named || headerKey(h) == "name"
		readable = readable && utf8.ValidString(h)
	}
	semicolons := len(header) == 1 && strings.Contains(header[0], ";")
	if !named && readable && !semicolons {
		return nil, nil, nil, CustomerFormat{}, errNoFormat
	}
	rows, bad, warnings, err := parseOwnCustomersCSV(again)
	return rows, bad, warnings, OwnFormat, err
}

// ColumnMap says by name which column of a file goes to which customer
// field: what --map "Their Column=field,…" gives.
type ColumnMap []ColumnPair

// ColumnPair is one column of a ColumnMap.
type ColumnPair struct {
	Column string // as the header names it; case and spaces around it do not matter
	Field  string // one of CustomerFields
}

// ParseColumnMap reads "Their Column=field,…".
func ParseColumnMap(spec string) (ColumnMap, error) {
	var m ColumnMap
	has := map[string]bool{}
	for _, pair := range strings.Split(spec, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		i := strings.LastIndex(pair, "=")
		if i < 0 {
			return nil, fmt.Errorf(`%q is not a pair like "Phone Number=phone"`, strings.TrimSpace(pair))
		}
		col, field := strings.TrimSpace(pair[:i]), strings.ToLower(strings.TrimSpace(pair[i+1:]))
		if col == "" {
			return nil, fmt.Errorf(`%q names no column before "="`, strings.TrimSpace(pair))
		}
		if !slices.Contains(CustomerFields, field) {
			return nil, fmt.Errorf("%q is not a customer field; the fields are %s", field, strings.Join(CustomerFields, ", "))
		}
		for _, p := range m {
			if headerKey(p.Column) == headerKey(col) {
				return nil, fmt.Errorf("the column %q is mapped twice", col)
			}
			if p.Field == field {
				return nil, fmt.Errorf("the columns %q and %q both go to %s; map one column to each field", p.Column, col, field)
			}
		}
		m = append(m, ColumnPair{Column: col, Field: field})
		has[field] = true
	}
	switch {
	case len(m) == 0:
		return nil, fmt.Errorf(`it maps no column; give pairs like "Phone Number=phone,Full Name=name"`)
	case !has["name"] && !has["first_name"] && !has["last_name"]:
		return nil, fmt.Errorf(`it does not say which column holds the name: add "Their Column=name", or first_name and last_name`)
	case has["name"] && (has["first_name"] || has["last_name"]):
		return nil, fmt.Errorf("it maps both a full name and first or last names; map either name, or first_name and last_name")
	}
	return m, nil
}

// mapping lines the map up with a header row: one field per column, ""
// for the columns it leaves out.
func (m ColumnMap) mapping(header []string) ([]string, error) {
	out := make([]string, len(header))
	var missing []string
	for _, p := range m {
		i := slices.IndexFunc(header, func(h string) bool { return headerKey(h) == headerKey(p.Column) })
		if i < 0 {
			missing = append(missing, strconv.Quote(p.Column))
			continue
		}
		out[i] = p.Field
	}
	if len(missing) > 0 {
		names := make([]string, len(header))
		for i, h := range header {
			names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		}
		return nil, fmt.Errorf("the file has no column %s; its columns are %s", strings.Join(missing, " or "), strings.Join(names, ", "))
	}
	return out, nil
}
