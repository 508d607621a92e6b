package printing

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"regulars/rules"
)

// Card is one printed message: who it is for and what it says.
type Card struct {
	To      string // the customer's full name; the card greets the first name
	Message string
}

// CardsFor makes one card per reminder from its customer and rendered message.
func CardsFor(items []rules.Reminder) []Card {
	cards := make([]Card, 0, len(items))
	for _, r := range items {
		cards = append(cards, Card{To: r.CustomerName, Message: r.Message})
	}
	return cards
}

// A6 landscape, in millimetres.
const (
	cardW      = 148.0
	cardH      = 105.0
	cardMargin = 12.0
	cardBottom = cardH - 10
	// The message shrinks from bodyPt down to minBodyPt to stay on its card.
	bodyPt    = 11.5
	minBodyPt = 7.5
)

// ThankYouCards writes one A6-landscape card per entry of cards: the shop's
// name at the top, "Dear <first name>,", the message wrapped, and "— <shop>"
// to sign it. A message too long for its card is set smaller, then cut.
// No cards gives one card saying there is nothing to print.
func ThankYouCards(w io.Writer, shop Shop, cards []Card) error {
	return write(w, func() (*doc, error) {
		d, err := newDoc("L", "A6", "Cards from "+shop.Name)
		if err != nil {
			return nil, err
		}
		d.SetMargins(cardMargin, 10, cardMargin)
		d.SetCellMargin(0)
		if len(cards) == 0 {
			d.AddPage()
			top := cardHeader(d, shop)
			d.nothingPage(top+(cardBottom-top)/2-8, "There are no cards to print.")
			return d, d.Error()
		}
		for _, c := range cards {
			d.AddPage()
			top := cardHeader(d, shop)
			cardBody(d, shop, c, top)
		}
		return d, d.Error()
	})
}

// cardHeader prints the shop's name and address over a thin rule and
// returns where the rest of the card may start.
func cardHeader(d *doc, shop Shop) float64 {
	width := cardW - 2*cardMargin
	y := 9.0
	name := d.text(shop.Name)
	if name == "" {
		return y
	}
	d.style(true, 15)
	d.SetXY(cardMargin, y)
	d.CellFormat(width, lineHeight(15), name, "", 0, "C", false, 0, "")
	y += lineHeight(15)
	if addr := d.text(strings.ReplaceAll(shop.Address, "\n", ", ")); addr != "" {
		d.style(false, 7.5)
		d.SetTextColor(100, 100, 100)
		d.SetXY(cardMargin, y)
		d.CellFormat(width, lineHeight(7.5), addr, "", 0, "C", false, 0, "")
		d.SetTextColor(0, 0, 0)
		y += lineHeight(7.5)
	}
	y += 2
	d.SetDrawColor(170, 170, 170)
	d.SetLineWidth(0.2)
	d.Line(cardMargin+20, y, cardW-cardMargin-20, y)
	return y + 3
}

// cardBody prints greeting, message and signature, centred as one block in
// the space below the header.
func cardBody(d *doc, shop Shop, c Card, top float64) {
	width := cardW - 2*cardMargin
	first := rules.FirstName(d.text(c.To))
	greeting := "Dear " + first + ","
	if first == "" {
		greeting = "Hello,"
	}
	sign := ""
	if name := d.text(shop.Name); name != "" {
		sign = "— " + name
	}

	greetH := lineHeight(12) + 2
	signH := 0.0
	if sign != "" {
		signH = 3 + lineHeight(11)
	}
	room := cardBottom - top - greetH - signH

	// The largest size at which the whole message fits; below the smallest
	// size the message is cut instead.
	msg := withoutGreeting(c.Message, rules.FirstName(oneLine(c.To)))
	pt := bodyPt
	var lines []string
	for {
		d.style(false, pt)
		lines = d.wrap(msg, width)
		if float64(len(lines))*lineHeight(pt) <= room || pt <= minBodyPt {
			break
		}
		pt -= 0.5
	}
	lines = d.fitLines(lines, int(room/lineHeight(pt)), width)
	bodyH := float64(len(lines)) * lineHeight(pt)

	y := top + (cardBottom-top-greetH-bodyH-signH)/2
	d.style(false, 12)
	d.SetXY(cardMargin, y)
	d.CellFormat(width, lineHeight(12), greeting, "", 0, "L", false, 0, "")
	y += greetH
	d.style(false, pt)
	y = d.drawLines(cardMargin, y, width, lineHeight(pt), lines, "L")
	if sign != "" {
		d.style(false, 11)
		d.SetXY(cardMargin, y+3)
		d.CellFormat(width, lineHeight(11), sign, "", 0, "R", false, 0, "")
	}
}

// withoutGreeting drops a greeting the message already starts with ("Hi Zoë,
// thank you…"), since the card has its own "Dear Zoë," above it.
func withoutGreeting(msg, first string) string {
	m := strings.TrimSpace(msg)
	for _, hello := range []string{"Hi", "Hello", "Dear", "Hey", "Good morning", "Good afternoon"} {
		rest, ok := cutPrefixFold(m, hello)
		if !ok {
			continue
		}
		if first != "" {
			if r, ok := cutPrefixFold(strings.TrimLeft(rest, " "), first); ok {
				rest = r
			}
		}
		if rest == "" || !strings.ContainsRune(",!:", rune(rest[0])) {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \n")
		if rest == "" {
			return ""
		}
		r, n := utf8.DecodeRuneInString(rest)
		return string(unicode.ToUpper(r)) + rest[n:]
	}
	return m
}

// cutPrefixFold is strings.CutPrefix ignoring case; the prefix must end at a
// word boundary so "Hi" does not match "Hilda".
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	rest := s[len(prefix):]
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return s, false
	}
	return rest, true
}
