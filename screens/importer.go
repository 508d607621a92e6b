package screens

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/importers"
)

// Contacts in: a vCard file from a phone or mail program, or a CSV file:
// a customers export of Google Contacts, Outlook, Shopify or Square, which
// the same recogniser as the command line's reads as it is, or one from a
// spreadsheet. The file is read and checked before anything is written: the
// first rows as they would become customers, duplicates and bad rows with
// their line, and for CSV which column goes to which field. Import is all
// or nothing unless the person chooses to skip the bad rows.

// openDialog asks for a file and hands back its name and bytes; tests
// replace it.
var openDialog = func(a *App, then func(name string, content []byte, err error)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			then("", nil, err)
			return
		}
		name := rc.URI().Name()
		background(a, func(context.Context) ([]byte, error) {
			defer rc.Close()
			return io.ReadAll(rc)
		}, func(b []byte, err error) {
			if err != nil {
				err = fmt.Errorf(lang.L("Could not read %s: %w"), name, err)
			}
			then(name, b, err)
		})
	}, a.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".vcf", ".vcard", ".csv", ".VCF", ".CSV"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importContacts asks for a contacts file and opens the import preview.
func (a *App) importContacts() {
	openDialog(a, func(name string, content []byte, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if name == "" {
			return
		}
		newImporter(a, name, content).show()
	})
}

// fieldLabels name the customer fields in the column mapping.
func fieldLabels() map[string]string {
	return map[string]string{
		"name": lang.L("Name"), "first_name": lang.L("First name"), "last_name": lang.L("Last name"), "phone": lang.L("Phone"), "email": lang.L("Email"),
		"birthday": lang.L("Birthday"), "customer_since": lang.L("Customer since"), "notes": lang.L("Notes"), "tags": lang.L("Tags"),
		"do_not_contact": lang.L("Do not contact"), "points": lang.L("Opening points"),
	}
}

// leaveOut is the mapping's choice for a column not imported.
func leaveOut() string { return lang.L("Leave out") }

// previewRows is how many rows of the file the preview lists.
const previewRows = 50

type importer struct {
	a       *App
	name    string
	content []byte
	vcard   bool

	sample  importers.CSVSample
	mapping []string
	selects []*widget.Select
	// A recognised export is read by the recogniser, whose column choices
	// the selects show, until the person chooses the columns by hand.
	recognition importers.Recognition
	recognised  bool
	byHand      *widget.Check
	preview     data.ImportPreview
	checked     bool // the preview matches the mapping on show
	table       *widget.Table
	summary     *widget.Label
	problems    *widget.Label
	skipBad     *widget.Check
	run         *widget.Button
	cancel      *widget.Button
	progress    *widget.ProgressBar
	status      *widget.Label
	dlg         dialog.Dialog
	seq         int
	result      data.ImportReport
	finished    bool
}

// isVCard tells a vCard file by its name or its first line.
func isVCard(name string, content []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".vcf", ".vcard":
		return true
	case ".csv":
		return false
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(head) >= 11 && strings.EqualFold(string(head[:11]), "BEGIN:VCARD")
}

func newImporter(a *App, name string, content []byte) *importer {
	im := &importer{a: a, name: name, content: content, vcard: isVCard(name, content)}
	im.summary = widget.NewLabelWithStyle(lang.L("Reading the file…"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	im.summary.Wrapping = fyne.TextWrapWord
	im.problems = widget.NewLabel("")
	im.problems.Wrapping = fyne.TextWrapWord
	im.problems.Importance = widget.DangerImportance
	im.skipBad = widget.NewCheck(lang.L("Skip the rows that cannot be imported and import the rest"), func(bool) { im.updateButton() })
	im.progress = widget.NewProgressBar()
	im.progress.Hide()
	im.status = widget.NewLabel("")
	im.status.Wrapping = fyne.TextWrapWord
	im.status.Hide()
	im.run = widget.NewButtonWithIcon(lang.L("Import"), theme.DownloadIcon(), im.start)
	im.run.Importance = widget.HighImportance
	im.run.Disable()
	im.cancel = widget.NewButton(lang.L("Cancel"), func() { im.dlg.Hide() })

	cols := []string{lang.L("Line"), lang.L("Name"), lang.L("Phone"), lang.L("Email"), lang.L("Birthday"), lang.L("Customer since"),
		lang.L("Tags"), lang.L("Do not contact"), lang.L("Can it be imported?")}
	im.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(im.preview.Rows), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= len(im.preview.Rows) {
				return
			}
			row := im.preview.Rows[id.Row]
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			switch id.Col {
			case 0:
				l.SetText(fmt.Sprint(row.Line))
			case 1:
				l.SetText(row.Customer.Name)
			case 2:
				l.SetText(row.Customer.Phone)
			case 3:
				l.SetText(row.Customer.Email)
			case 4:
				l.SetText(yearlyText(row.Customer.Birthday))
			case 5:
				l.SetText("")
				if !row.Customer.CustomerSince.IsZero() {
					l.SetText(listDate(row.Customer.CustomerSince))
				}
			case 6:
				l.SetText(strings.Join(row.Customer.Tags, ", "))
			case 7:
				l.SetText("")
				if row.Customer.DoNotContact {
					l.SetText(lang.L("Yes"))
				}
			case 8:
				if row.Problem == "" {
					l.SetText(lang.L("Yes"))
				} else {
					l.Importance = widget.DangerImportance
					l.SetText(row.Problem)
				}
			}
			l.Refresh()
		})
	im.table.ShowHeaderColumn = false
	im.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	im.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(cols[id.Col])
		}
	}
	for i, w := range []float32{48, 140, 135, 175, 105, 118, 110, 115, 155} {
		im.table.SetColumnWidth(i, w)
	}
	if !im.vcard {
		im.readSample()
	}
	im.check()
	return im
}

// readSample guesses the column mapping from the CSV's header.
func (im *importer) readSample() {
	s, err := importers.SampleCSV(bytes.NewReader(im.content), 3)
	if err != nil {
		im.summary.SetText(err.Error())
		return
	}
	im.sample = s
	im.mapping = append([]string(nil), s.Guess...)
	im.recognition = importers.RecogniseCustomers(s.Header)
	im.recognised = im.recognition.Format.Foreign()
	labels := fieldLabels()
	options := []string{leaveOut()}
	for _, f := range importers.CustomerFields {
		options = append(options, labels[f])
	}
	shown := im.mapping
	if im.recognised {
		shown = im.recognition.Fields
	}
	for i := range s.Header {
		sel := widget.NewSelect(options, nil)
		if f := shown[i]; f != "" {
			sel.SetSelected(labels[f])
		} else {
			sel.SetSelected(leaveOut())
		}
		if im.recognised {
			sel.Disable()
		}
		sel.OnChanged = func(label string) {
			im.mapping[i] = ""
			for f, l := range labels {
				if l == label {
					im.mapping[i] = f
				}
			}
			im.check()
		}
		im.selects = append(im.selects, sel)
	}
	im.byHand = widget.NewCheck(lang.L("Choose the columns myself"), im.chooseByHand)
}

// chooseByHand leaves the recogniser's reading of an export for the
// person's own choice of columns, starting from the guess by column
// names, or goes back to it.
func (im *importer) chooseByHand(on bool) {
	im.recognised = !on && im.recognition.Format.Foreign()
	labels := fieldLabels()
	shown := im.sample.Guess
	if im.recognised {
		shown = im.recognition.Fields
	}
	im.mapping = append([]string(nil), im.sample.Guess...)
	for i, sel := range im.selects {
		label := leaveOut()
		if f := shown[i]; f != "" {
			label = labels[f]
		}
		change := sel.OnChanged
		sel.OnChanged = nil // one check for the whole mapping, below
		sel.SetSelected(label)
		sel.OnChanged = change
		if im.recognised {
			sel.Disable()
		} else {
			sel.Enable()
		}
	}
	im.check()
}

// mappingView lists the file's columns with an example and a field each.
func (im *importer) mappingView() fyne.CanvasObject {
	grid := container.NewGridWithColumns(3,
		widget.NewLabelWithStyle(lang.L("Column in the file"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("First rows"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("Goes to"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, h := range im.sample.Header {
		var ex []string
		for _, r := range im.sample.Rows {
			if i < len(r) && strings.TrimSpace(r[i]) != "" {
				ex = append(ex, strings.Join(strings.Fields(r[i]), " "))
			}
		}
		name := widget.NewLabel(h)
		name.Truncation = fyne.TextTruncateEllipsis
		example := widget.NewLabel(strings.Join(ex, " · "))
		example.Truncation = fyne.TextTruncateEllipsis
		example.Importance = widget.LowImportance
		grid.Add(name)
		grid.Add(example)
		grid.Add(im.selects[i])
	}
	return grid
}

// check previews the import with the current mapping; an older answer
// arriving late is dropped.
func (im *importer) check() {
	if !im.vcard && im.sample.Header == nil {
		return
	}
	im.seq++
	seq := im.seq
	im.checked = false
	im.updateButton()
	mapping := append([]string(nil), im.mapping...)
	recognised := im.recognised
	background(im.a, func(ctx context.Context) (data.ImportPreview, error) {
		switch {
		case im.vcard:
			return im.a.store.PreviewVCard(ctx, bytes.NewReader(im.content), previewRows)
		case recognised:
			return im.a.store.PreviewCustomersCSV(ctx, bytes.NewReader(im.content), nil, previewRows)
		}
		return im.a.store.PreviewCustomersMapped(ctx, bytes.NewReader(im.content), mapping, previewRows)
	}, func(p data.ImportPreview, err error) {
		if seq != im.seq {
			return
		}
		if err != nil {
			im.preview = data.ImportPreview{}
			im.table.Refresh()
			im.summary.SetText(err.Error())
			im.problems.SetText("")
			return
		}
		im.preview, im.checked = p, true
		im.table.Refresh()
		im.showReport()
		im.updateButton()
	})
}

// showReport says what the import will do.
func (im *importer) showReport() {
	rep := im.preview.Report
	text := fmt.Sprintf(lang.N("%d new customers will be added.", rep.Added), rep.Added)
	if rep.Format.Foreign() {
		text = fmt.Sprintf(lang.L("Recognised %s."), rep.Format.WithArticle()) + " " + text
	}
	if n := len(rep.Bad); n > 0 && im.vcard {
		text += " " + fmt.Sprintf(lang.N("%d contacts cannot be imported: bad values, or the same phone or email as a customer already here or an earlier contact (merge such customers on the Customers page).", n), n)
	} else if n > 0 {
		text += " " + fmt.Sprintf(lang.N("%d rows cannot be imported: bad values, or the same phone or email as a customer already here or an earlier row (merge such customers on the Customers page).", n), n)
	}
	im.summary.SetText(text)
	var lines []string
	for i, b := range rep.Bad {
		if i == 200 {
			lines = append(lines, fmt.Sprintf(lang.L("… and %d more"), len(rep.Bad)-i))
			break
		}
		lines = append(lines, b.Error())
	}
	for _, w := range rep.Warnings {
		lines = append(lines, fmt.Sprintf(lang.L("Note: %s"), w))
	}
	im.problems.SetText(strings.Join(lines, "\n"))
}

// updateButton allows the import only when it would do what it says.
func (im *importer) updateButton() {
	rep := im.preview.Report
	bad := len(rep.Bad) > 0
	if bad {
		im.skipBad.Enable()
	} else {
		im.skipBad.Disable()
	}
	switch {
	case im.finished:
		im.run.Disable()
	case !im.checked:
		im.run.SetText(lang.L("Import"))
		im.run.Disable()
	case bad && !im.skipBad.Checked:
		im.run.SetText(lang.L("Nothing is imported while rows are bad"))
		im.run.Disable()
	case rep.Added == 0:
		im.run.SetText(lang.L("Nothing to import"))
		im.run.Disable()
	default:
		im.run.SetText(fmt.Sprintf(lang.N("Import %d customers", rep.Added), rep.Added))
		im.run.Enable()
	}
}

// countingReader tells how far through the file the import has read.
type countingReader struct {
	r      io.Reader
	n      atomic.Int64
	total  int64
	report func(share float64)
	last   int64 // percent last reported
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	done := c.n.Add(int64(n))
	if c.total > 0 && c.report != nil {
		if pc := done * 100 / c.total; pc > c.last {
			c.last = pc
			c.report(float64(done) / float64(c.total))
		}
	}
	return n, err
}

// start imports the file off the UI goroutine with a progress bar.
func (im *importer) start() {
	opt := data.ImportOptions{SkipBad: im.skipBad.Checked, Staff: im.a.staff}
	mapping := append([]string(nil), im.mapping...)
	recognised := im.recognised
	im.run.Disable()
	im.skipBad.Disable()
	im.enableColumns(false)
	im.progress.SetValue(0)
	im.progress.Show()
	im.status.SetText(fmt.Sprintf(lang.L("Reading %s…"), im.name))
	im.status.Show()
	cr := &countingReader{r: bytes.NewReader(im.content), total: int64(len(im.content))}
	cr.report = func(share float64) {
		im.a.onUI(func() {
			im.progress.SetValue(share)
			if share >= 1 {
				im.status.SetText(lang.L("Saving the new customers…"))
			}
		})
	}
	background(im.a, func(ctx context.Context) (data.ImportReport, error) {
		switch {
		case im.vcard:
			return im.a.store.ImportVCard(ctx, cr, opt)
		case recognised:
			return im.a.store.ImportCustomersCSV(ctx, cr, opt)
		}
		return im.a.store.ImportCustomersMapped(ctx, cr, mapping, opt)
	}, func(rep data.ImportReport, err error) {
		im.progress.SetValue(1)
		im.result = rep
		if err != nil {
			if errors.Is(err, importers.ErrBadRows) {
				// The file or the database changed since the preview.
				im.status.SetText(err.Error())
				im.check()
			} else {
				im.a.showError(err)
				im.status.SetText(lang.L("Nothing was imported."))
			}
			im.enableColumns(true)
			im.progress.Hide()
			im.updateButton()
			return
		}
		im.finished = true
		msg := fmt.Sprintf(lang.N("Imported %d customers from %s.", rep.Added), rep.Added, im.name)
		if n := len(rep.Bad); n > 0 {
			msg += " " + fmt.Sprintf(lang.N("%d bad rows were skipped.", n), n)
		}
		im.status.SetText(msg)
		im.cancel.SetText(lang.L("Close"))
		im.updateButton()
		im.a.say("%s", msg)
		im.a.changed()
	})
}

// enableColumns lets the person change the columns, or stops them while
// the import runs; a recognised export's columns change only by hand.
func (im *importer) enableColumns(on bool) {
	if im.byHand != nil {
		if on {
			im.byHand.Enable()
		} else {
			im.byHand.Disable()
		}
	}
	for _, s := range im.selects {
		if on && !im.recognised {
			s.Enable()
		} else {
			s.Disable()
		}
	}
}

// contentView is the import window's body.
func (im *importer) contentView() fyne.CanvasObject {
	kind := lang.L("CSV file: choose which column goes to which field.")
	if im.vcard {
		kind = lang.L("vCard file (contacts from a phone or mail program).")
	} else if im.recognition.Format.Foreign() {
		kind = lang.L("A customers export from another program: its columns go to the fields shown, as on the command line.")
	}
	intro := widget.NewLabel(fmt.Sprintf(lang.L("%s Nothing is written until you press Import."), kind))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(intro)
	if !im.vcard && len(im.selects) > 0 {
		mapping := container.NewVScroll(im.mappingView())
		mapping.SetMinSize(fyne.NewSize(0, 160))
		columns := fyne.CanvasObject(mapping)
		if im.recognition.Format.Foreign() {
			columns = container.NewBorder(nil, im.byHand, nil, nil, mapping)
		}
		top.Add(widget.NewCard("", lang.L("Columns"), columns))
	}
	top.Add(im.summary)
	problems := container.NewVScroll(im.problems)
	problems.SetMinSize(fyne.NewSize(0, 64))
	bottom := container.NewVBox(problems, im.skipBad, im.progress, im.status,
		container.NewHBox(layout.NewSpacer(), im.cancel, im.run))
	return container.NewBorder(top, bottom, nil, nil, im.table)
}

func (im *importer) show() {
	im.dlg = dialog.NewCustomWithoutButtons(fmt.Sprintf(lang.L("Import contacts from %s"), im.name), im.contentView(), im.a.win)
	im.dlg.Resize(fyne.NewSize(1180, 720))
	im.dlg.Show()
}
