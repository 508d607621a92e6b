package screens

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A spreadsheet's export: its own column names, a row whose phone is Ann's
// (already a customer), and a column the shop does not keep.
const spreadsheetCSV = "\ufeffFull name,Mobile,E-mail Address,DOB,Favourite colour\r\n" +
	"Cat Day,07700 900301,cat@example.com,1990-02-28,red\r\n" +
	"Ann Again,07700-900-123,,,blue\r\n" +
	"Dan Fox,07700 900302,,--06-30,green\r\n"

func (f *fixture) customerCount(t *testing.T) int {
	t.Helper()
	n, err := f.store.CountCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCSVShowsMappingDuplicatesAndSkipsOnRequest(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	im := newImporter(f.app, "contacts.csv", []byte(spreadsheetCSV))
	im.show()
	var guessed []string
	for _, s := range im.selects {
		guessed = append(guessed, s.Selected)
	}
	if strings.Join(guessed, ",") != "Name,Phone,Email,Birthday,Leave out" {
		t.Errorf("guessed mapping %v", guessed)
	}
	if len(im.preview.Rows) != 3 || !strings.Contains(im.preview.Rows[1].Problem, "already belongs to customer 1 Ann Lee") {
		t.Fatalf("preview %+v", im.preview.Rows)
	}
	if !strings.Contains(im.summary.Text, "2 new customers will be added. 1 row cannot be imported") ||
		!strings.Contains(im.problems.Text, "line 3: phone 07700-900-123 already belongs") {
		t.Errorf("summary %q, problems %q", im.summary.Text, im.problems.Text)
	}
	// All or nothing: with a bad row the import waits for a choice.
	if !im.run.Disabled() || im.run.Text != "Nothing is imported while rows are bad" {
		t.Errorf("import button %q enabled=%v", im.run.Text, !im.run.Disabled())
	}
	test.Tap(im.skipBad)
	if im.run.Disabled() || im.run.Text != "Import 2 customers" {
		t.Fatalf("import button after skipping %q", im.run.Text)
	}
	test.Tap(im.run)
	if !im.finished || f.customerCount(t) != 4 || im.progress.Value != 1 {
		t.Fatalf("after import: finished %v, %d customers, progress %v", im.finished, f.customerCount(t), im.progress.Value)
	}
	if im.status.Text != "Imported 2 customers from contacts.csv. 1 bad row was skipped." || !im.run.Disabled() || im.cancel.Text != "Close" {
		t.Errorf("status %q", im.status.Text)
	}
	cat, err := f.store.MatchCustomer(context.Background(), "cat@example.com")
	if err != nil || cat.Birthday.String() != "1990-02-28" || cat.Phone != "07700 900301" {
		t.Errorf("Cat = %+v, %v", cat, err)
	}
}

func TestImportRecognisedExportShowsFormatRowsAndIgnoredColumns(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	shopify, err := os.ReadFile(filepath.Join("..", "data", "testdata", "imports", "shopify.csv"))
	if err != nil {
		t.Fatal(err)
	}
	im := newImporter(f.app, "customers_export.csv", shopify)
	im.show()
	if !im.recognised || !strings.HasPrefix(im.summary.Text, "Recognised a Shopify customers export. 3 new customers will be added.") {
		t.Fatalf("summary %q", im.summary.Text)
	}
	// The columns show where the recogniser puts them, and only change by hand.
	var shown []string
	for _, s := range im.selects {
		shown = append(shown, s.Selected)
		if !s.Disabled() {
			t.Errorf("the column going to %q can be changed", s.Selected)
		}
	}
	if got := strings.Join(shown, ","); got != "Leave out,First name,Last name,Email,Do not contact,Leave out,Leave out,Leave out,Leave out,Leave out,"+
		"Leave out,Leave out,Phone,Phone,Do not contact,Leave out,Leave out,Notes,Leave out,Tags" {
		t.Errorf("columns go to %s", got)
	}
	if !strings.Contains(im.problems.Text, "Note: ignored: Customer ID, Default Address Address1, Default Address City, ") {
		t.Errorf("problems %q", im.problems.Text)
	}
	// The first rows as they will be stored, as on the command line.
	rows := im.preview.Rows
	if len(rows) != 3 || rows[0].Customer.Name != "Gina Rossi" || rows[0].Customer.Phone != "+447700900301" ||
		strings.Join(rows[0].Customer.Tags, ";") != "VIP;Coffee club" || !rows[1].Customer.DoNotContact || rows[1].Customer.Phone != "+44 7700 900302" {
		t.Fatalf("preview %+v", rows)
	}
	if got := tableCell(im.table, 1, 7); got != "Yes" {
		t.Errorf("Hal's do not contact shows %q", got)
	}

	// By hand, the columns start from the guess by their names.
	test.Tap(im.byHand)
	if im.recognised || im.selects[4].Disabled() || im.selects[4].Selected != "Leave out" || strings.Contains(im.summary.Text, "Recognised") {
		t.Errorf("by hand: recognised %v, %q, %q", im.recognised, im.selects[4].Selected, im.summary.Text)
	}
	if im.preview.Rows[1].Customer.DoNotContact || im.preview.Rows[1].Customer.Phone != "" {
		t.Errorf("by hand, Hal is %+v", im.preview.Rows[1].Customer)
	}
	// Shopify's apostrophe before a phone goes by hand too.
	if gina := im.preview.Rows[0]; gina.Problem != "" || gina.Customer.Phone != "+447700900301" {
		t.Errorf("by hand, Gina is %+v", gina)
	}
	test.Tap(im.byHand)
	if !im.recognised || !im.selects[4].Disabled() || im.selects[4].Selected != "Do not contact" || !im.preview.Rows[1].Customer.DoNotContact {
		t.Errorf("back to the recogniser: %v %q", im.recognised, im.selects[4].Selected)
	}

	test.Tap(im.run)
	if f.customerCount(t) != 5 {
		t.Fatalf("%d customers after the import", f.customerCount(t))
	}
	hal, err := f.store.MatchCustomer(context.Background(), "hal.berg@example.com")
	if err != nil || hal.Name != "Hal Berg" || !hal.DoNotContact {
		t.Errorf("Hal = %+v, %v", hal, err)
	}
}

// tableCell is the text a table shows in a cell.
func tableCell(tb *widget.Table, row, col int) string {
	l := tb.CreateCell().(*widget.Label)
	tb.UpdateCell(widget.TableCellID{Row: row, Col: col}, l)
	return l.Text
}

func TestImportMappingChangeRechecksTheFile(t *testing.T) {
	f := newFixture(t)
	im := newImporter(f.app, "contacts.csv", []byte(spreadsheetCSV))
	im.selects[1].SetSelected(leaveOut()) // no phones: Ann's is no longer a duplicate
	if len(im.preview.Report.Bad) != 0 || im.run.Text != "Import 3 customers" || im.run.Disabled() {
		t.Errorf("without phones: %+v, button %q", im.preview.Report, im.run.Text)
	}
	im.selects[1].SetSelected("Phone")
	im.selects[2].SetSelected("Phone") // two columns to one field
	if im.checked || !im.run.Disabled() || !strings.Contains(im.summary.Text, "two columns go to phone") {
		t.Errorf("two phone columns: %q", im.summary.Text)
	}
	im.selects[2].SetSelected(leaveOut())
	im.selects[0].SetSelected(leaveOut())
	if !strings.Contains(im.summary.Text, "choose the column that holds the name") || !im.run.Disabled() {
		t.Errorf("no name: %q", im.summary.Text)
	}
}

func TestImportVCardFromAPhone(t *testing.T) {
	f := newFixture(t)
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Day;Cat;;;\r\nFN:Cat Day\r\nTEL;TYPE=CELL:+44 7700 900301\r\nBDAY:1990-02-28\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dan Fox\r\nEMAIL:dan@example.com\r\nANNIVERSARY:20100612\r\nEND:VCARD\r\n"
	im := newImporter(f.app, "Contacts.VCF", []byte(vcf))
	if !im.vcard || len(im.selects) != 0 {
		t.Fatal("a .vcf file is not read as vCard")
	}
	if len(im.preview.Rows) != 2 || im.preview.Rows[1].Customer.Name != "Dan Fox" || im.run.Text != "Import 2 customers" {
		t.Fatalf("preview %+v, button %q", im.preview.Rows, im.run.Text)
	}
	test.Tap(im.run)
	if f.customerCount(t) != 4 {
		t.Errorf("%d customers after the import", f.customerCount(t))
	}
	// Importing the same file again finds only duplicates.
	again := newImporter(f.app, "Contacts.VCF", []byte(vcf))
	if again.preview.Report.Added != 0 || len(again.preview.Report.Bad) != 2 || !again.run.Disabled() {
		t.Errorf("second time: %+v", again.preview.Report)
	}
	test.Tap(again.skipBad)
	if again.run.Text != "Nothing to import" || !again.run.Disabled() {
		t.Errorf("nothing left: %q", again.run.Text)
	}
}

func TestIsVCard(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		want          bool
	}{
		{"a.vcf", "", true}, {"b.vcard", "", true}, {"c.csv", "BEGIN:VCARD", false},
		{"export", "\ufeff\r\n begin:vcard\r\n", true}, {"export", "name,phone\n", false},
	} {
		if got := isVCard(tc.name, []byte(tc.content)); got != tc.want {
			t.Errorf("isVCard(%q, %q) = %v", tc.name, tc.content, got)
		}
	}
}

func TestCountingReaderReportsProgressUpToTheEnd(t *testing.T) {
	content := bytes.Repeat([]byte("x"), 10_000)
	var seen []float64
	cr := &countingReader{r: bytes.NewReader(content), total: int64(len(content)), report: func(s float64) { seen = append(seen, s) }}
	buf := make([]byte, 333)
	for {
		if _, err := cr.Read(buf); err == io.EOF {
			break
		}
	}
	if len(seen) < 20 || seen[len(seen)-1] != 1 {
		t.Fatalf("progress %v", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("progress went back: %v", seen)
		}
	}
}

func TestImportButtonOnCustomersOpensThePreview(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	old := openDialog
	t.Cleanup(func() { openDialog = old })
	var big strings.Builder
	big.WriteString("name,phone\n")
	for i := range 3000 {
		fmt.Fprintf(&big, "Customer %d,0161 555 %04d\n", i, i)
	}
	openDialog = func(_ *App, then func(string, []byte, error)) { then("shop.csv", []byte(big.String()), nil) }
	f.app.show("customers")
	var btn *widget.Button
	walk(f.app.objects["customers"], func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Import…" {
			btn = b
		}
	})
	if btn == nil {
		t.Fatal("no Import… button on Customers")
	}
	test.Tap(btn)
	var im *widget.Button
	walk(f.app.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "Import 3000") {
			im = b
		}
	})
	if im == nil {
		t.Fatal("the preview offers no import of 3000 customers")
	}
	test.Tap(im)
	if n := f.customerCount(t); n != 3002 {
		t.Errorf("%d customers after a big import", n)
	}
	if !strings.Contains(f.app.status.Text, "Imported 3000 customers from shop.csv") {
		t.Errorf("status %q", f.app.status.Text)
	}
}
