package printing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"regulars/rules"
)

var shop = Shop{Name: "Alder & Co", Address: "12 High Street\nAshford TN23 1AA"}

var pageObject = regexp.MustCompile(`/Type\s*/Page\b`)

// checkPDF makes the checks that need nothing but Go: the file is a PDF from
// its first to its last byte and holds the expected number of pages.
func checkPDF(t *testing.T, pdf []byte, pages int) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-: %q", pdf[:min(len(pdf), 20)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(pdf, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("output does not end with %%%%EOF")
	}
	if !bytes.Contains(pdf, []byte("startxref")) {
		t.Fatalf("output has no cross-reference table")
	}
	if got := len(pageObject.FindAll(pdf, -1)); got != pages {
		t.Fatalf("PDF has %d page objects, want %d", got, pages)
	}
}

// pageCount counts pages without knowing in advance how many there are.
func pageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// poppler runs the poppler tools on pdf: pdfinfo must agree on the page
// count and pdftotext's text of each page is returned. make deps installs
// them (poppler-utils); under CI=true a missing one fails the test, and
// elsewhere it returns nil, says so, and the Go checks stand alone.
func poppler(t *testing.T, pdf []byte, pages int) []string {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (make deps installs poppler-utils): the printed text cannot be checked", tool)
			}
			t.Logf("%s is missing (make deps installs poppler-utils): the printed text is not checked", tool)
			return nil
		}
	}
	file := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo rejects the PDF: %v\n%s", err, info)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	if n, _ := strconv.Atoi(string(m[1])); n != pages {
		t.Fatalf("pdfinfo counts %d pages, want %d", n, pages)
	}
	if bytes.Contains(info, []byte("Syntax Error")) {
		t.Fatalf("pdfinfo reports syntax errors:\n%s", info)
	}
	var texts []string
	for p := 1; p <= pages; p++ {
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		texts = append(texts, string(out))
	}
	return texts
}

// wantText fails when any of want is missing from text. Line breaks count
// as spaces, since a name may wrap inside its column.
func wantText(t *testing.T, where, text string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("%s lacks %q; it reads:\n%s", where, w, text)
		}
	}
}

func TestThankYouCardsOnePagePerCard(t *testing.T) {
	cards := []Card{
		{To: "Zoë Adams", Message: "Hi Zoë, thank you for shopping at Alder & Co! We hope you enjoy your coat."},
		{To: "Siobhán O'Neill", Message: "Thank you for the lovely chat on Saturday."},
		{To: "Łukasz Ñúñez", Message: "Hello Łukasz! Your order has arrived.\n\nSee you soon."},
	}
	var buf bytes.Buffer
	if err := ThankYouCards(&buf, shop, cards); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 3)
	texts := poppler(t, buf.Bytes(), 3)
	if texts == nil {
		return
	}
	wantText(t, "card 1", texts[0], "Alder & Co", "Dear Zoë,", "Thank you for shopping", "— Alder & Co")
	wantText(t, "card 2", texts[1], "Dear Siobhán,", "lovely chat")
	wantText(t, "card 3", texts[2], "Dear Łukasz,", "Your order has arrived", "See you soon")
	if strings.Contains(texts[0], "Hi Zoë") {
		t.Errorf("card 1 greets twice:\n%s", texts[0])
	}
}

func TestThankYouCardsFromReminders(t *testing.T) {
	cards := CardsFor([]rules.Reminder{{CustomerName: "Ñúñez García", Message: "Hi Ñúñez, thanks!"}})
	if len(cards) != 1 || cards[0] != (Card{To: "Ñúñez García", Message: "Hi Ñúñez, thanks!"}) {
		t.Fatalf("CardsFor = %+v", cards)
	}
}

func TestThankYouCardsCutAnOverlongMessage(t *testing.T) {
	long := strings.Repeat("This message goes on and on about the weather. ", 80)
	var buf bytes.Buffer
	if err := ThankYouCards(&buf, shop, []Card{{To: "Ann", Message: long}}); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
	if texts := poppler(t, buf.Bytes(), 1); texts != nil {
		wantText(t, "card", texts[0], "Dear Ann,", "…", "— Alder & Co")
	}
}

func TestCallSheetBreaksPagesAndRepeatsHeadings(t *testing.T) {
	day := rules.NewDay(2026, time.March, 2)
	first := []string{"Zoë", "Siobhán", "Łukasz", "Ñúñez", "Ann", "Bob"}
	var items []rules.Reminder
	for i := range 60 {
		items = append(items, rules.Reminder{
			Kind:         rules.Kinds[i%len(rules.Kinds)],
			CustomerName: fmt.Sprintf("%s Customer%02d", first[i%len(first)], i),
			Phone:        fmt.Sprintf("07700 900%03d", i),
			Why:          "bought a 120.00 coat 7 days ago",
			OverdueDays:  i % 4,
			Message: fmt.Sprintf("Hi %s, it is Alder & Co here. How are you getting on with your coat? "+
				"Did it meet your expectations? We would love to hear, and if anything is not right "+
				"bring it in any day and we will sort it out while you wait. Message %d.", first[i%len(first)], i),
		})
	}
	items[5].Phone = ""
	items[5].Email = "no.phone@example.com"

	var buf bytes.Buffer
	if err := CallSheet(&buf, shop, day, items); err != nil {
		t.Fatal(err)
	}
	pages := pageCount(buf.Bytes())
	if pages < 3 {
		t.Fatalf("60 rows with long messages fit on %d pages; the rows cannot have grown", pages)
	}
	checkPDF(t, buf.Bytes(), pages)
	texts := poppler(t, buf.Bytes(), pages)
	if texts == nil {
		return
	}
	all := strings.Join(texts, "\n")
	wantText(t, "page 1", texts[0], "Calls for Monday 2 March 2026 — Alder & Co", "60 calls to make")
	for p, text := range texts {
		where := fmt.Sprintf("page %d", p+1)
		wantText(t, where, text, "Name", "Phone", "Reason", "Message", fmt.Sprintf("page %d of %d", p+1, pages))
	}
	for _, r := range items {
		wantText(t, "the sheet", all, r.CustomerName, r.Phone)
	}
	wantText(t, "the sheet", all, "Thank you", "Complaint follow-up", "1 day overdue", "3 days overdue",
		"no phone", "no.phone @example.com", "Message 59.")
}

func TestCallSheetRowTallerThanAPageIsCut(t *testing.T) {
	items := []rules.Reminder{
		{Kind: rules.KindPromise, CustomerName: "Ann Short", Phone: "1", Message: "Short."},
		{Kind: rules.KindPromise, CustomerName: "Bea Long", Phone: "2", Message: strings.Repeat("words upon words ", 2000)},
	}
	var buf bytes.Buffer
	if err := CallSheet(&buf, shop, rules.NewDay(2026, time.March, 2), items); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 2)
	if texts := poppler(t, buf.Bytes(), 2); texts != nil {
		wantText(t, "page 1", texts[0], "Ann Short")
		wantText(t, "page 2", texts[1], "Bea Long", "…", "page 2 of 2")
	}
}

func TestAddressLabelsSheetOfTwentyOne(t *testing.T) {
	var customers []rules.Customer
	for i := range 25 {
		customers = append(customers, rules.Customer{
			Name:    fmt.Sprintf("Zoë Label%02d", i),
			Address: fmt.Sprintf("%d Rue Siobhán, Łódź, 90-001", i+1),
		})
	}
	customers[3].Address = "Flat 2\n14 Ñúñez Court\nAshford\nKent\nTN23 1AA\nUnited Kingdom\nExtra line one\nExtra line two\nExtra line three"
	customers[4].Address = ""
	var buf bytes.Buffer
	if err := AddressLabels(&buf, customers); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 2)
	texts := poppler(t, buf.Bytes(), 2)
	if texts == nil {
		return
	}
	for i, c := range customers {
		wantText(t, fmt.Sprintf("page %d", i/21+1), texts[i/21], c.Name)
	}
	wantText(t, "page 1", texts[0], "Rue Siobhán", "Łódź", "14 Ñúñez Court", "TN23 1AA")
}

func TestScriptsTheFontLacksPrintAsQuestionMarks(t *testing.T) {
	var buf bytes.Buffer
	err := ThankYouCards(&buf, shop, []Card{{To: "李小龍", Message: "Hi 李小龍, thank you 🎉👍🏽 see you ❤️ soon"}})
	if err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
	if texts := poppler(t, buf.Bytes(), 1); texts != nil {
		wantText(t, "card", texts[0], "Dear ???,", "Thank you ?? see you ❤ soon")
	}

	buf.Reset()
	items := []rules.Reminder{{Kind: rules.KindBirthday, CustomerName: "李小龍 🐉", Phone: "+852 1234", Why: "生日 🎂", Message: "🎂🎂🎂"}}
	if err := CallSheet(&buf, Shop{Name: "商店 Shop"}, rules.NewDay(2026, time.March, 2), items); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
	if texts := poppler(t, buf.Bytes(), 1); texts != nil {
		wantText(t, "call sheet", texts[0], "— ?? Shop", "??? ?", "+852 1234", "?? ?", "???")
	}

	buf.Reset()
	if err := AddressLabels(&buf, []rules.Customer{{Name: "李小龍 😀", Address: "九龍\n\xff bad byte"}}); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
	if texts := poppler(t, buf.Bytes(), 1); texts != nil {
		wantText(t, "labels", texts[0], "??? ?", "? bad byte")
	}
}

func TestEmptyListsPrintOnePageSayingSo(t *testing.T) {
	cases := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"cards", func(b *bytes.Buffer) error { return ThankYouCards(b, shop, nil) }, "no cards"},
		{"call sheet", func(b *bytes.Buffer) error {
			return CallSheet(b, shop, rules.NewDay(2026, time.March, 2), nil)
		}, "no calls for this day"},
		{"labels", func(b *bytes.Buffer) error { return AddressLabels(b, nil) }, "No customers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			checkPDF(t, buf.Bytes(), 1)
			if texts := poppler(t, buf.Bytes(), 1); texts != nil {
				wantText(t, c.name, texts[0], "Nothing to print", c.want)
			}
		})
	}
}

type brokenWriter struct{}

var errPrinterGone = errors.New("printer gone")

func (brokenWriter) Write([]byte) (int, error) { return 0, errPrinterGone }

func TestWriteErrorsAreReturned(t *testing.T) {
	err := ThankYouCards(brokenWriter{}, shop, []Card{{To: "Ann", Message: "Hi"}})
	if !errors.Is(err, errPrinterGone) {
		t.Fatalf("err = %v, want it to wrap the writer's error", err)
	}
}

func TestPanicsInsideTheBuildBecomeErrors(t *testing.T) {
	var buf bytes.Buffer
	err := write(&buf, func() (*doc, error) { panic("odd input") })
	if err == nil || !strings.Contains(err.Error(), "odd input") {
		t.Fatalf("err = %v, want the panic as an error", err)
	}
	if buf.Len() != 0 {
		t.Fatalf("%d bytes written after a failure", buf.Len())
	}
}

func TestPrintable(t *testing.T) {
	g, err := glyphs()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, in, want string
		keepLines      bool
	}{
		{"accents print", "Zoë Siobhán Łukasz Ñúñez", "Zoë Siobhán Łukasz Ñúñez", false},
		{"Greek and Cyrillic print", "Αλέξης Дмитрий", "Αλέξης Дмитрий", false},
		{"Chinese becomes question marks", "李小龍", "???", false},
		{"emoji becomes a question mark", "hi 😀", "hi ?", false},
		{"emoji modifiers and joiners vanish", "👍🏽 👨‍👩‍👧", "? ???", false},
		{"variation selector vanishes", "❤️", "❤", false},
		{"invalid UTF-8 becomes a question mark", "a\xffb", "a?b", false},
		{"tabs become spaces", "a\tb", "a b", false},
		{"control characters vanish", "a\x00\x07b\rc", "abc", false},
		{"newlines kept when asked", "a\nb", "a\nb", true},
		{"newlines become spaces otherwise", "a\nb", "a b", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := printable(g, c.in, c.keepLines); got != c.want {
				t.Errorf("printable(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestWithoutGreeting(t *testing.T) {
	cases := []struct{ msg, first, want string }{
		{"Hi Zoë, thank you for shopping!", "Zoë", "Thank you for shopping!"},
		{"hello ZOË! Your order is here.", "Zoë", "Your order is here."},
		{"Dear Ann,\nWe miss you.", "Ann", "We miss you."},
		{"Hi, the part arrived.", "Ann", "The part arrived."},
		{"Hilda, the part arrived.", "Hilda", "Hilda, the part arrived."},
		{"Hi Annabel, hello.", "Ann", "Hi Annabel, hello."},
		{"Hi Ann there is news", "Ann", "Hi Ann there is news"},
		{"Thank you for coming.", "Ann", "Thank you for coming."},
		{"Hi Ann,", "Ann", ""},
		{"", "Ann", ""},
	}
	for _, c := range cases {
		if got := withoutGreeting(c.msg, c.first); got != c.want {
			t.Errorf("withoutGreeting(%q, %q) = %q, want %q", c.msg, c.first, got, c.want)
		}
	}
}

func TestAddressLines(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"12 High Street\r\nAshford\n\n  TN23 1AA ", []string{"12 High Street", "Ashford", "TN23 1AA"}},
		{"12 High Street, Ashford, TN23 1AA", []string{"12 High Street", "Ashford", "TN23 1AA"}},
		{"Flat 2, 12 High St\nAshford", []string{"Flat 2, 12 High St", "Ashford"}},
		{"", nil},
	}
	for _, c := range cases {
		got := addressLines(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("addressLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKindLabel(t *testing.T) {
	for _, k := range rules.Kinds {
		if l := kindLabel(k); l == "" || strings.Contains(l, "_") {
			t.Errorf("kindLabel(%q) = %q", k, l)
		}
	}
	if got := kindLabel("new_kind"); got != "New kind" {
		t.Errorf("kindLabel(new_kind) = %q", got)
	}
}

func TestCardWithoutShopOrNameStillReads(t *testing.T) {
	var buf bytes.Buffer
	if err := ThankYouCards(&buf, Shop{}, []Card{{Message: "Thanks for coming in."}}); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
	if texts := poppler(t, buf.Bytes(), 1); texts != nil {
		wantText(t, "card", texts[0], "Hello,", "Thanks for coming in.")
		if strings.Contains(texts[0], "—") {
			t.Errorf("card signs for a shop with no name:\n%s", texts[0])
		}
	}
}
