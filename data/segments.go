package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Band is how recently a customer last bought, as the activity report
// counts it.
type Band string

// Bands, most recent first.
const (
	BandActive   Band = "active"   // bought in the last 90 days
	BandLapsing  Band = "lapsing"  // last bought 90–179 days ago
	BandDrifting Band = "drifting" // last bought 180–364 days ago
	BandLost     Band = "lost"     // last bought a year or more ago
	BandNever    Band = "never"    // never bought
)

// bandOf is the band of a customer whose latest sale was on last, on day.
func bandOf(last, day Day) Band {
	switch age := day.Sub(last); {
	case last.IsZero():
		return BandNever
	case age < 90:
		return BandActive
	case age < 180:
		return BandLapsing
	case age < 365:
		return BandDrifting
	}
	return BandLost
}

// BirthdayWindow picks customers whose birthday falls in the week (Monday
// to Sunday) or the calendar month of the query's day.
type BirthdayWindow string

// Birthday windows; "" does not look at birthdays.
const (
	BirthdaysThisWeek  BirthdayWindow = "week"
	BirthdaysThisMonth BirthdayWindow = "month"
)

// SegmentQuery says which customers a group message goes to. Zero fields
// pick everyone; each field set narrows the group.
type SegmentQuery struct {
	Day       Day            // as of this day; today when zero
	Tag       string         // carries this tag (any case)
	Bands     []Band         // last bought within one of these bands
	Birthdays BirthdayWindow // birthday in this week or month of Day
	Top       int            // of those left, the n who spent most (paid, less refunds)
	// IncludeDoNotContact keeps "do not contact" customers in; they are
	// left out unless it is set. Forgotten customers are always left out.
	IncludeDoNotContact bool
}

// birthdayIn reports whether the customer's birthday falls in from..to,
// 29 Feb counting as 28 Feb in other years.
func birthdayIn(b YearlyDate, from, to Day) bool {
	if b.IsZero() {
		return false
	}
	for yr := from.Year(); yr <= to.Year(); yr++ {
		if d := b.In(yr); d >= from && d <= to {
			return true
		}
	}
	return false
}

// Span is the first and last day the window covers around day.
func (w BirthdayWindow) Span(day Day) (Day, Day, error) {
	switch w {
	case BirthdaysThisWeek:
		monday := day.AddDays(-((int(day.Weekday()) + 6) % 7))
		return monday, monday.AddDays(6), nil
	case BirthdaysThisMonth:
		y, m, _ := day.Date()
		return NewDay(y, m, 1), NewDay(y, m, DaysIn(y, m)), nil
	}
	return 0, 0, fmt.Errorf("birthdays %q: choose this week or this month", string(w))
}

// Segment lists the customers a query picks: by spending (most first) when
// Top is set, else by name.
func (s *Store) Segment(ctx context.Context, q SegmentQuery) ([]Customer, error) {
	q, err := s.normalizeSegment(q)
	if err != nil {
		return nil, err
	}
	var bFrom, bTo Day
	if q.Birthdays != "" {
		bFrom, bTo, _ = q.Birthdays.Span(q.Day) // normalizeSegment checked it
	}
	var all []Customer
	var last map[ID]Day
	var spent map[ID]Cents
	err = parallel(func() (err error) {
		all, err = s.packedCustomers(ctx, "forgotten = 0", nil, nil)
		return err
	}, func() (err error) {
		if len(q.Bands) > 0 {
			last, err = s.lastSales(ctx, q.Day)
		}
		return err
	}, func() (err error) {
		if q.Top > 0 {
			spent, err = s.spentBy(ctx, q.Day)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	tag := strings.ToLower(strings.TrimSpace(q.Tag))
	var out []Customer
	for _, c := range all {
		switch {
		case c.DoNotContact && !q.IncludeDoNotContact:
			continue
		case tag != "" && !slices.ContainsFunc(c.Tags, func(t string) bool { return strings.ToLower(t) == tag }):
			continue
		case q.Birthdays != "" && !birthdayIn(c.Birthday, bFrom, bTo):
			continue
		case len(q.Bands) > 0 && !slices.Contains(q.Bands, bandOf(last[c.ID], q.Day)):
			continue
		case q.Top > 0 && spent[c.ID] <= 0:
			continue
		}
		out = append(out, c)
	}
	if q.Top > 0 {
		slices.SortStableFunc(out, func(a, b Customer) int {
			return cmp.Or(cmp.Compare(spent[b.ID], spent[a.ID]), cmpID(a.ID, b.ID))
		})
		out = out[:min(q.Top, len(out))]
	} else {
		out = byName(out)
	}
	if err := s.fillConsents(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// byName sorts customers by name (any case), then id; each name is folded
// once rather than at every comparison.
func byName(cs []Customer) []Customer {
	type keyed struct {
		name string
		i    int
	}
	ks := make([]keyed, len(cs))
	for i, c := range cs {
		ks[i] = keyed{strings.ToLower(c.Name), i}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.name, b.name), cmpID(cs[a.i].ID, cs[b.i].ID))
	})
	out := make([]Customer, len(cs))
	for j, k := range ks {
		out[j] = cs[k.i]
	}
	return out
}

// spentBy is what each customer paid up to day, less refunds; voided lines
// do not count (as in TopCustomers).
func (s *Store) spentBy(ctx context.Context, day Day) (map[ID]Cents, error) {
	sp, err := s.spendAsOf(ctx, day)
	if err != nil {
		return nil, err
	}
	out := map[ID]Cents{}
	sp.each(func(id ID, spent Cents, _ int) { out[id] = spent })
	return out, nil
}

// fillConsents loads the consents of many customers in one read.
func (s *Store) fillConsents(ctx context.Context, cs []Customer) error {
	if len(cs) == 0 {
		return nil
	}
	at := make(map[ID]int, len(cs))
	for i, c := range cs {
		at[c.ID] = i
	}
	err := s.eachPacked(ctx, packedQuery{table: "consents", fields: []string{"customer_id", "channel", "given_on", "source"}},
		func(f []string) error {
			id, err := packedInt(f[0])
			if err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				k := Consent{Channel: Channel(strings.Clone(f[1])), GivenOn: scanDay(sql.NullString{String: f[2], Valid: true}), Source: strings.Clone(f[3])}
				cs[i].Consents = append(cs[i].Consents, k)
			}
			return nil
		})
	for i := range cs {
		if len(cs[i].Consents) > 1 {
			slices.SortFunc(cs[i].Consents, func(a, b Consent) int { return strings.Compare(string(a.Channel), string(b.Channel)) })
		}
	}
	return err
}

// MailingChannels are the channels a mailing or SMS service sends on.
var MailingChannels = []Channel{ChannelEmail, ChannelSMS}

// Reachable reports whether a group message on ch may go to c: consent
// for the channel, and an address or number to send it to.
func (c Customer) Reachable(ch Channel) bool {
	switch ch {
	case ChannelEmail:
		return c.Email != "" && c.HasConsent(ch)
	case ChannelSMS, ChannelPhone:
		return PhoneDigits(c.Phone) != "" && c.HasConsent(ch)
	case ChannelPost:
		return strings.TrimSpace(c.Address) != "" && c.HasConsent(ch)
	}
	return false
}

// WriteMailingList writes, for a mailing (email) or SMS service, one CSV
// row per customer who consented to that channel and can be reached on it;
// the others are left out. It returns how many rows were written.
func WriteMailingList(w io.Writer, cs []Customer, ch Channel) (int, error) {
	head := []string{"name", "first_name"}
	switch ch {
	case ChannelEmail:
		head = append(head, "email")
	case ChannelSMS:
		head = append(head, "phone")
	default:
		return 0, fmt.Errorf("a mailing list is for email or sms, not %q", string(ch))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		if !c.Reachable(ch) {
			continue
		}
		addr := csvText(c.Email)
		if ch == ChannelSMS {
			addr = csvPhone(c.Phone)
		}
		if err := cw.Write([]string{csvText(c.Name), csvText(FirstName(c.Name)), addr}); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("cannot write the mailing list: %w", err)
	}
	return n, nil
}

// GroupMessage renders a group message for one customer: the text may use
// {{.FirstName}}, {{.Name}} and {{.ShopName}} like the reminder templates.
func GroupMessage(text string, c Customer, shop string) (string, error) {
	return RenderMessage(text, MessageFields{FirstName: FirstName(c.Name), Name: c.Name, ShopName: shop})
}

// Tags lists the tags customers carry, each once whatever its case (the
// first spelling met wins), in alphabetical order.
func (s *Store) Tags(ctx context.Context) ([]string, error) {
	if tags, ok, err := s.keptTags(ctx); ok || err != nil {
		return tags, err
	}
	return s.tagsFromFacts(ctx)
}

// tagsFromFacts is Tags read from every customer.
func (s *Store) tagsFromFacts(ctx context.Context) ([]string, error) {
	seen := map[string]string{}
	err := s.eachRow(ctx, "SELECT tags FROM customers WHERE tags <> '' AND forgotten = 0 ORDER BY id", nil, func(r *sql.Rows) error {
		var tags string
		if err := r.Scan(&tags); err != nil {
			return err
		}
		for _, t := range splitTags(tags) {
			if _, ok := seen[strings.ToLower(t)]; !ok {
				seen[strings.ToLower(t)] = t
			}
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for _, t := range seen {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, err
}
