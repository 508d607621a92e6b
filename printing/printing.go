// Package printing turns reminders and customers into PDF pages for the counter's printer.
package printing

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// Shop is who the printout comes from, and how it writes dates and money.
type Shop struct {
	Name, Address string
	Format        Format
}

//go:embed fonts/DejaVuSans.ttf
var sansTTF []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var sansBoldTTF []byte

// family is the name the embedded fonts are registered under in each document.
const family = "DejaVu"

// nothing is the sentence printed on the one page of an empty printout, so a
// press of Print never produces an empty file the printer rejects.
const nothing = "Nothing to print"

// ptMM converts a font size in points to millimetres.
const ptMM = 25.4 / 72

// lineHeight is the distance between baselines for a font size in points.
func lineHeight(pt float64) float64 { return pt * ptMM * 1.3 }

// glyphSet records which runes of the Basic Multilingual Plane both embedded
// fonts can draw. Runes outside the plane are never drawable: fpdf keeps its
// widths in a table of 65536 entries.
type glyphSet [65536 / 64]uint64

func (g *glyphSet) has(r rune) bool {
	return r >= 0 && r < 65536 && g[r/64]&(1<<(uint(r)%64)) != 0
}

// glyphs reads the fonts' character maps once per process.
var glyphs = sync.OnceValues(func() (*glyphSet, error) {
	regular, err := sfnt.Parse(sansTTF)
	if err != nil {
		return nil, fmt.Errorf("the built-in font cannot be read: %w", err)
	}
	bold, err := sfnt.Parse(sansBoldTTF)
	if err != nil {
		return nil, fmt.Errorf("the built-in bold font cannot be read: %w", err)
	}
	var g glyphSet
	var buf sfnt.Buffer
	for r := rune(0); r < 65536; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates are not characters
		}
		a, err1 := regular.GlyphIndex(&buf, r)
		b, err2 := bold.GlyphIndex(&buf, r)
		if err1 == nil && err2 == nil && a != 0 && b != 0 {
			g[r/64] |= 1 << (uint(r) % 64)
		}
	}
	return &g, nil
})

// printable makes s safe to draw: runes the fonts lack become "?", so a name
// in a script the font does not cover still prints as something the staff
// can recognise as "a name was here". Tabs become spaces, other control
// and invisible formatting characters (zero-width joiners, emoji variation
// selectors and skin tones) are dropped because they have no shape of their
// own.
// Newlines survive only when keepLines is set.
func printable(g *glyphSet, s string, keepLines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, w := 0, 0; i < len(s); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			if keepLines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && w <= 1:
			b.WriteByte('?')
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r),
			r >= 0x1F3FB && r <= 0x1F3FF: // skin tones only modify the emoji before them
			// nothing to draw
		case g.has(r):
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// oneLine joins the lines of s with single spaces, for fields such as names
// and phone numbers that must stay on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// doc is a PDF under construction with the fonts registered.
type doc struct {
	*fpdf.Fpdf
	glyphs *glyphSet
}

func newDoc(orientation, size, title string) (*doc, error) {
	g, err := glyphs()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New(orientation, "mm", size, "")
	pdf.AddUTF8FontFromBytes(family, "", sansTTF)
	pdf.AddUTF8FontFromBytes(family, "B", sansBoldTTF)
	d := &doc{Fpdf: pdf, glyphs: g}
	pdf.SetTitle(d.text(title), true)
	pdf.SetCreator("Regulars", true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetFont(family, "", 10)
	pdf.SetTextColor(0, 0, 0)
	return d, pdf.Error()
}

// text is s made printable on one line.
func (d *doc) text(s string) string { return printable(d.glyphs, oneLine(s), false) }

// style sets the font; bold is the only variant embedded.
func (d *doc) style(bold bool, pt float64) {
	if bold {
		d.SetFont(family, "B", pt)
	} else {
		d.SetFont(family, "", pt)
	}
}

// wrap breaks s into lines no wider than w in the current font. Paragraph
// breaks in s are kept; blank lines are kept too but never more than one in
// a row, and none at the ends.
func (d *doc) wrap(s string, w float64) []string {
	s = printable(d.glyphs, strings.ReplaceAll(s, "\r\n", "\n"), true)
	var out []string
	blank := true
	for _, para := range strings.Split(s, "\n") {
		para = strings.Join(strings.Fields(para), " ")
		if para == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, d.SplitText(para, w)...)
		blank = false
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// fitLines cuts lines to at most n, ending the last kept line with an
// ellipsis that still fits in w, so an overlong text shows it was cut.
func (d *doc) fitLines(lines []string, n int, w float64) []string {
	if len(lines) <= n {
		return lines
	}
	if n <= 0 {
		return nil
	}
	lines = append([]string(nil), lines[:n]...)
	last := []rune(strings.TrimRight(lines[n-1], " "))
	for len(last) > 0 && d.GetStringWidth(string(last)+"…")+2*d.GetCellMargin() > w {
		last = last[:len(last)-1]
	}
	lines[n-1] = string(last) + "…"
	return lines
}

// drawLines writes lines from (x, y) downwards and returns the y below them.
func (d *doc) drawLines(x, y, w, lh float64, lines []string, align string) float64 {
	for _, l := range lines {
		d.SetXY(x, y)
		d.CellFormat(w, lh, l, "", 0, align, false, 0, "")
		y += lh
	}
	return y
}

// nothingPage prints the one page of an empty printout.
func (d *doc) nothingPage(y float64, why string) {
	w, _ := d.GetPageSize()
	left, _, right, _ := d.GetMargins()
	d.style(true, 13)
	d.SetXY(left, y)
	d.CellFormat(w-left-right, lineHeight(13), nothing, "", 2, "C", false, 0, "")
	d.style(false, 10)
	d.SetTextColor(90, 90, 90)
	d.CellFormat(w-left-right, lineHeight(10), d.text(why), "", 2, "C", false, 0, "")
	d.SetTextColor(0, 0, 0)
}

// write builds a document and copies it to w only once it is complete, so a
// failure never leaves half a PDF behind. fpdf reports some bad input by
// panicking; that becomes an error here like any other.
func write(w io.Writer, build func() (*doc, error)) (err error) {
	var buf bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("the PDF could not be made: %v", r)
			}
		}()
		d, berr := build()
		if berr != nil {
			err = berr
			return
		}
		if oerr := d.Output(&buf); oerr != nil {
			err = fmt.Errorf("the PDF could not be made: %w", oerr)
		}
	}()
	if err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("the PDF could not be written: %w", err)
	}
	return nil
}
