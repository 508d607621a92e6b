package data

import (
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

// segmentShop on Wednesday 17 June 2026: Ann (vip, birthday this week,
// active, email consent), Bob (VIP and walker, birthday later this month,
// lapsing, SMS consent), Cat (walker, 29 Feb birthday, lost, big spender,
// email without consent), Dan (vip, do not contact, birthday this week,
// biggest spender), Eve (never bought, birthday 2 January), Gus (drifting,
// refunded in full), Hal (forgotten).
func segmentShop(t *testing.T) (*reportShop, map[string]rules.ID) {
	r := newReportShop(t)
	r.at("2024-01-01 09:00")
	ids := map[string]rules.ID{}
	add := func(c rules.Customer) {
		t.Helper()
		id, err := r.s.AddCustomer(r.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ids[c.Name] = id
	}
	bd := func(s string) rules.YearlyDate {
		y, err := rules.ParseYearlyDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	add(rules.Customer{Name: "Ann", Email: "ann@example.com", Tags: []string{"vip"}, Birthday: bd("1980-06-16"),
		Consents: []rules.Consent{{Channel: rules.ChannelEmail}}, Address: "1 High St"})
	add(rules.Customer{Name: "Bob", Phone: "07700 900002", Tags: []string{"VIP", "walker"}, Birthday: bd("--06-30"),
		Consents: []rules.Consent{{Channel: rules.ChannelSMS}}})
	add(rules.Customer{Name: "Cat", Email: "cat@example.com", Tags: []string{"walker"}, Birthday: bd("2000-02-29")})
	add(rules.Customer{Name: "Dan", Email: "dan@example.com", Tags: []string{"vip"}, Birthday: bd("--06-18"), DoNotContact: true,
		Consents: []rules.Consent{{Channel: rules.ChannelEmail}}})
	add(rules.Customer{Name: "Eve", Birthday: bd("--01-02")})
	add(rules.Customer{Name: "Gus"})
	add(rules.Customer{Name: "Hal", Tags: []string{"vip"}})
	if _, err := r.s.w.Exec("UPDATE customers SET forgotten = 1 WHERE id = ?", ids["Hal"]); err != nil {
		t.Fatal(err)
	}
	r.sale("2025-01-01", ids["Cat"], 50000, 0)
	gus := r.sale("2025-09-01", ids["Gus"], 8000, 0)
	if _, err := r.s.Refund(r.ctx, gus, 8000, "Sam", "did not fit"); err != nil {
		t.Fatal(err)
	}
	r.sale("2026-02-01", ids["Bob"], 5000, 0)
	r.sale("2026-06-01", ids["Ann"], 20000, 0)
	r.sale("2026-06-10", ids["Dan"], 100000, 0)
	r.sale("2026-06-20", ids["Eve"], 1000, 0) // after the day asked about
	r.at("2026-06-17 12:00")
	return r, ids
}

func TestSegment(t *testing.T) {
	r, _ := segmentShop(t)
	wed := rmDay("2026-06-17")
	for _, tc := range []struct {
		name string
		q    SegmentQuery
		want []string
	}{
		{"everyone but do-not-contact and forgotten, by name", SegmentQuery{}, []string{"Ann", "Bob", "Cat", "Eve", "Gus"}},
		{"do-not-contact included on request", SegmentQuery{IncludeDoNotContact: true}, []string{"Ann", "Bob", "Cat", "Dan", "Eve", "Gus"}},
		{"tag in any case", SegmentQuery{Tag: " Vip "}, []string{"Ann", "Bob"}},
		{"lapsing or lost", SegmentQuery{Bands: []rules.Band{rules.BandLapsing, rules.BandLost}}, []string{"Bob", "Cat"}},
		{"drifting counts the refunded visit", SegmentQuery{Bands: []rules.Band{rules.BandDrifting}}, []string{"Gus"}},
		{"never bought, a later sale unseen", SegmentQuery{Bands: []rules.Band{rules.BandNever}}, []string{"Eve"}},
		{"active", SegmentQuery{Bands: []rules.Band{rules.BandActive}, IncludeDoNotContact: true}, []string{"Ann", "Dan"}},
		{"birthdays this week (Mon 15 – Sun 21 June)", SegmentQuery{Birthdays: rules.BirthdaysThisWeek}, []string{"Ann"}},
		{"birthdays this month", SegmentQuery{Birthdays: rules.BirthdaysThisMonth}, []string{"Ann", "Bob"}},
		{"top spenders, most first, none who spent nothing", SegmentQuery{Top: 10}, []string{"Cat", "Ann", "Bob"}},
		{"top two", SegmentQuery{Top: 2}, []string{"Cat", "Ann"}},
		{"top two with do-not-contact", SegmentQuery{Top: 2, IncludeDoNotContact: true}, []string{"Dan", "Cat"}},
		{"tag and top", SegmentQuery{Tag: "walker", Top: 1}, []string{"Cat"}},
		{"29 Feb falls on 28 Feb in 2027", SegmentQuery{Day: rmDay("2027-02-24"), Birthdays: rules.BirthdaysThisWeek}, []string{"Cat"}},
		{"a week across the new year", SegmentQuery{Day: rmDay("2026-12-31"), Birthdays: rules.BirthdaysThisWeek}, []string{"Eve"}},
		{"nothing matches", SegmentQuery{Tag: "walker", Birthdays: rules.BirthdaysThisWeek}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if q.Day.IsZero() {
				q.Day = wed
			}
			got, err := r.s.Segment(r.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("got %v, want %v", names, tc.want)
			}
		})
	}
	for _, q := range []SegmentQuery{{Birthdays: "year"}, {Bands: []rules.Band{"gone"}}, {Top: -1}} {
		if _, err := r.s.Segment(r.ctx, q); err == nil {
			t.Errorf("%+v accepted", q)
		}
	}
	// A zero day is today; consents come with the customers.
	got, err := r.s.Segment(r.ctx, SegmentQuery{Tag: "vip", Birthdays: rules.BirthdaysThisWeek})
	if err != nil || len(got) != 1 || len(got[0].Consents) != 1 || !got[0].HasConsent(rules.ChannelEmail) {
		t.Errorf("Segment today = %+v, %v", got, err)
	}
}

func TestTags(t *testing.T) {
	r, _ := segmentShop(t)
	tags, err := r.s.Tags(r.ctx)
	if err != nil || !slices.Equal(tags, []string{"vip", "walker"}) {
		t.Errorf("Tags = %v, %v", tags, err)
	}
}

func TestMailingListOnlyThoseWithConsent(t *testing.T) {
	r, _ := segmentShop(t)
	all, err := r.s.Segment(r.ctx, SegmentQuery{IncludeDoNotContact: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ch   rules.Channel
		want string
		n    int
	}{
		// Dan consented but is not to be contacted; Cat gave no consent.
		{rules.ChannelEmail, "name,first_name,email\nAnn,Ann,ann@example.com\n", 1},
		{rules.ChannelSMS, "name,first_name,phone\nBob,Bob,07700 900002\n", 1},
	} {
		var b strings.Builder
		n, err := rules.WriteMailingList(&b, all, tc.ch)
		if err != nil || n != tc.n || b.String() != tc.want {
			t.Errorf("%s: %d rows, %v:\n%s\nwant:\n%s", tc.ch, n, err, b.String(), tc.want)
		}
	}
	if _, err := rules.WriteMailingList(&strings.Builder{}, all, rules.ChannelPost); err == nil {
		t.Error("a mailing list for post was written")
	}
}

func TestReachable(t *testing.T) {
	consent := func(ch ...rules.Channel) []rules.Consent {
		var out []rules.Consent
		for _, c := range ch {
			out = append(out, rules.Consent{Channel: c})
		}
		return out
	}
	for _, tc := range []struct {
		c    rules.Customer
		ch   rules.Channel
		want bool
	}{
		{rules.Customer{Email: "a@b.c", Consents: consent(rules.ChannelEmail)}, rules.ChannelEmail, true},
		{rules.Customer{Email: "a@b.c"}, rules.ChannelEmail, false},
		{rules.Customer{Consents: consent(rules.ChannelEmail)}, rules.ChannelEmail, false},
		{rules.Customer{Phone: "0161 496 0000", Consents: consent(rules.ChannelSMS)}, rules.ChannelSMS, true},
		{rules.Customer{Phone: "0161 496 0000", Consents: consent(rules.ChannelSMS), DoNotContact: true}, rules.ChannelSMS, false},
		{rules.Customer{Address: "1 High St"}, rules.ChannelPost, true},
		{rules.Customer{Address: "1 High St", DoNotContact: true}, rules.ChannelPost, false},
		{rules.Customer{}, rules.ChannelPost, false},
		{rules.Customer{Email: "a@b.c", Consents: consent(rules.ChannelEmail)}, rules.ChannelInPerson, false},
	} {
		if got := tc.c.Reachable(tc.ch); got != tc.want {
			t.Errorf("%+v on %s = %v, want %v", tc.c, tc.ch, got, tc.want)
		}
	}
}
