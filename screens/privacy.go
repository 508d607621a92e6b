package screens

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// privacyBar holds the owner's buttons on a customer's Details: hand them
// everything kept about them, or forget them.
func (p *customerPage) privacyBar() fyne.CanvasObject {
	export := widget.NewButtonWithIcon(lang.L("Export their data…"), theme.DownloadIcon(), p.exportData)
	forget := widget.NewButtonWithIcon(lang.L("Forget customer…"), theme.DeleteIcon(), p.forget)
	forget.Importance = widget.DangerImportance
	return container.NewHBox(export, forget)
}

// exportData saves everything about the customer as a zip (JSON and a CSV
// of purchases), after the owner PIN.
func (p *customerPage) exportData() {
	if p.id == 0 {
		return
	}
	id := p.id
	p.a.requireOwner(lang.L("export a customer's data"), func() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil {
				p.a.showError(err)
				return
			}
			if w == nil {
				return
			}
			path := ""
			if w.URI().Scheme() == "file" {
				path = w.URI().Path()
			}
			p.writeExport(id, w, path)
		}, p.a.win)
		d.SetFileName(fmt.Sprintf("customer-%d.zip", id))
		d.Show()
	})
}

// writeExport writes the export to w and closes it; a file on disk is made
// readable by its owner only.
func (p *customerPage) writeExport(id rules.ID, w io.WriteCloser, path string) {
	background(p.a, func(ctx context.Context) (struct{}, error) {
		err := p.a.store.ExportCustomer(ctx, id, p.a.staff, w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err == nil && path != "" {
			err = os.Chmod(path, 0o600)
		}
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		if err != nil {
			p.a.showError(err)
			return
		}
		p.a.say(lang.L("Saved everything about customer %d to %s"), id, path)
	})
}

// forget erases the customer's personal details after the owner PIN and a
// plain warning; sales and points stay for the shop's totals.
func (p *customerPage) forget() {
	if p.id == 0 {
		return
	}
	id, name := p.id, p.cust.Name
	p.a.requireOwner(lang.L("forget a customer"), func() {
		msg := fmt.Sprintf(lang.L("Forget %s for good?\n\n"+
			"Their name, phone, email, address, notes, birthday, tags, consents and occasions are erased,\n"+
			"and the notes on their contacts, promises and complaints are blanked.\n"+
			"Their purchases and points stay, without their name, so the shop's totals do not change.\n\n"+
			"This cannot be undone."), name)
		d := dialog.NewConfirm(lang.L("Forget this customer?"), msg, func(ok bool) {
			if !ok {
				return
			}
			p.run(fmt.Sprintf(lang.L("Forgot customer %d: now %q"), id, data.ForgottenName(id)), func(ctx context.Context) error {
				return p.a.store.ForgetCustomer(ctx, id, p.a.staff)
			})
		}, p.a.win)
		d.SetConfirmText(lang.L("Forget for good"))
		d.SetConfirmImportance(widget.DangerImportance)
		d.Show()
	})
}

// auditCard is the audit log in Settings: read-only, newest first.
type auditCard struct {
	a    *App
	card *widget.Card
	rows []data.AuditEntry
	list *widget.List
}

// auditShown is how many rows of the audit log Settings shows.
const auditShown = 500

func newAuditCard(a *App) *auditCard {
	c := &auditCard{a: a}
	c.list = widget.NewList(func() int { return len(c.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(c.rows) {
				o.(*widget.Label).SetText(auditLine(c.rows[i]))
			}
		})
	c.card = widget.NewCard(lang.L("Audit log"), lang.L("Who did what and when: merges, point adjustments, voids, moves, imports, restores, exports, forgotten customers, PIN and settings changes. Nobody can change it."),
		container.NewGridWrap(fyne.NewSize(900, 240), c.list))
	return c
}

func (c *auditCard) reload() {
	s := c.a.store
	background(c.a, func(ctx context.Context) ([]data.AuditEntry, error) { return s.AuditLog(ctx, auditShown) },
		func(rows []data.AuditEntry, err error) {
			if err != nil {
				c.a.showError(err)
				return
			}
			c.rows = rows
			c.list.Refresh()
		})
}

func auditLine(e data.AuditEntry) string {
	who := e.Staff
	if e.Till != "" {
		who += " · " + e.Till
	}
	s := fmt.Sprintf("%s   %s   %s", stamp(e.At), who, e.Action)
	if e.Subject != "" {
		s += " — " + e.Subject
	}
	before, after := oneLine(e.Before), oneLine(e.After)
	switch {
	case before != "" && after != "":
		s += "   " + fmt.Sprintf(lang.L("(%s → %s)"), before, after)
	case after != "":
		s += "   (" + after + ")"
	case before != "":
		s += "   " + fmt.Sprintf(lang.L("(was %s)"), before)
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
