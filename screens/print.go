package screens

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"regulars/printing"
	"regulars/rules"
)

// Printing: the PDF is made off the UI goroutine, saved where the person
// chooses, then opened in the desktop's PDF viewer to print from there.

// printShop is the shop as printouts name it.
func (a *App) printShop(ctx context.Context) (printing.Shop, error) {
	d, err := a.store.Shop(ctx)
	return printing.Shop{Name: d.Name, Address: d.Address, Format: printFormat()}, err
}

// cardPDF is one card carrying message to r's customer.
func (a *App) cardPDF(ctx context.Context, r rules.Reminder, message string) ([]byte, error) {
	shop, err := a.printShop(ctx)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = printing.ThankYouCards(&b, shop, []printing.Card{{To: r.CustomerName, Message: message}})
	return b.Bytes(), err
}

// callsPDF is the sheet of the day's calls: the Today queue's work (groups
// 1–4 as shown) in the queue's order.
func (a *App) callsPDF(ctx context.Context, day rules.Day) ([]byte, int, error) {
	shop, err := a.printShop(ctx)
	if err != nil {
		return nil, 0, err
	}
	q, err := a.store.TodayQueue(ctx, day)
	if err != nil {
		return nil, 0, err
	}
	rs := q.Work()
	var b bytes.Buffer
	err = printing.CallSheet(&b, shop, day, rs)
	return b.Bytes(), len(rs), err
}

func (p *reminderPane) printCard() {
	r := p.selected
	if r == nil {
		return
	}
	rem, msg := *r, p.message.Text
	name := fileName(kindTitle(rem.Kind), rem.CustomerName, p.a.Today())
	background(p.a, func(ctx context.Context) ([]byte, error) {
		return p.a.cardPDF(ctx, rem, msg)
	}, func(pdf []byte, err error) {
		if err != nil {
			p.a.showError(fmt.Errorf(lang.L("The card could not be made: %w"), err))
			return
		}
		p.a.savePDF(name, pdf)
	})
}

// printCalls makes the sheet of today's calls.
func (a *App) printCalls() {
	day := a.Today()
	type sheet struct {
		pdf []byte
		n   int
	}
	background(a, func(ctx context.Context) (sheet, error) {
		pdf, n, err := a.callsPDF(ctx, day)
		return sheet{pdf, n}, err
	}, func(s sheet, err error) {
		if err != nil {
			a.showError(fmt.Errorf(lang.L("The call sheet could not be made: %w"), err))
			return
		}
		a.say(lang.L("Call sheet ready: %d to do"), s.n)
		a.savePDF(fileName("calls", "", day), s.pdf)
	})
}

// savePDF asks where to save pdf, writes it there and opens it.
func (a *App) savePDF(name string, pdf []byte) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, werr := w.Write(pdf)
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			a.showError(fmt.Errorf(lang.L("The PDF could not be saved: %w"), werr))
			return
		}
		a.openSaved(w.URI())
	}, a.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.SetTitleText(lang.L("Save the PDF; it then opens, ready to print"))
	d.SetConfirmText(lang.L("Save and open"))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// openSaved shows a saved file in the desktop's viewer; when none opens,
// the status line still says where it is.
func (a *App) openSaved(uri fyne.URI) {
	a.say(lang.L("Saved %s"), uri.Path())
	u, err := url.Parse(uri.String())
	if err != nil {
		return
	}
	if err := a.fa.OpenURL(u); err != nil {
		a.say(lang.L("Saved %s (open it from there to print: %v)"), uri.Path(), err)
	}
}

// fileName is a printout's suggested name: "thank-you-ann-lee-2026-06-15.pdf".
func fileName(what, who string, day rules.Day) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(what + " " + who) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-") + "-" + day.String() + ".pdf"
}
