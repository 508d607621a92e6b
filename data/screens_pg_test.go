package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"regulars/rules"
	"testing"
	"time"
)

// pgRead is one read a screen makes, called on a store; the result is
// compared between the engines.
type pgRead struct {
	name string
	call func(s *Store) (any, error)
}

// Every read a screen of the window makes gives the same on PostgreSQL as
// on the SQLite file the shop was copied from: the customer list and its
// search, the customer's page, the checkout's card and search, Today,
// Upcoming and Done, the calendar's month and day, the reports, the
// segments, the duplicates, the history and the settings.
func TestScreenReadsOnPostgres(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	lite, pg := pgShopPair(t, 120)
	end := lite.Today()
	ids := customerIDs(t, lite.w)
	first, err := lite.Customer(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	// Something handled today, for the Done page and the history, and a
	// change of points for the audit log.
	list, err := lite.TodayList(ctx, end)
	if err != nil || len(list) < 2 {
		t.Fatalf("Today of the demo: %d reminders, %v", len(list), err)
	}
	for _, s := range []*Store{lite, pg} {
		c := rules.Contact{At: s.Now(), Day: end, Channel: rules.ChannelPhone, Staff: "Ana", Outcome: "called"}
		if _, err := s.CompleteReminder(ctx, list[0].Key, c); err != nil {
			t.Fatal(err)
		}
		if err := s.SnoozeReminder(ctx, list[1].Key, end.AddDays(3), "Ana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AdjustPoints(ctx, ids[7], 15, "a voucher", "Ana"); err != nil {
			t.Fatal(err)
		}
	}
	rules, _ := lite.Rules(ctx)
	reads := screenReads(ctx, end, ids, first, rules)
	// The promises and complaints of Today's rows, and what of them the
	// demo's customers have.
	reads = append(reads, pgRead{"Obligations", func(s *Store) (any, error) { return s.Obligations(ctx, list) }})
	for _, id := range ids[:40] {
		reads = append(reads, pgRead{fmt.Sprintf("the obligations of %d", id), func(s *Store) (any, error) {
			p, e1 := s.Promises(ctx, id)
			k, e2 := s.Complaints(ctx, id)
			o, e3 := s.Occasions(ctx, id)
			return []any{p, k, o, id}, errors.Join(e1, e2, e3)
		}})
	}
	t0 := time.Now()
	sameOnBoth(t, reads, lite, pg)
	t.Logf("%d reads alike on both engines, in %v", len(reads), time.Since(t0).Round(time.Millisecond))
}

// sameOnBoth makes each read on both stores and fails where they differ,
// where either fails, or where there is nothing to compare.
func sameOnBoth(t *testing.T, reads []pgRead, lite, pg *Store) {
	t.Helper()
	for _, r := range reads {
		want, e1 := r.call(lite)
		got, e2 := r.call(pg)
		if e1 != nil || e2 != nil {
			t.Errorf("%s: SQLite %v, PostgreSQL %v", r.name, e1, e2)
			continue
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s differs:\nSQLite     %s\nPostgreSQL %s", r.name, clip(fmt.Sprintf("%+v", want)), clip(fmt.Sprintf("%+v", got)))
		}
		if reflect.ValueOf(want).IsZero() {
			t.Errorf("%s: nothing to compare (%+v)", r.name, want)
		}
	}
}

// screenReads are the reads the window's screens make, with arguments
// from the demo shop.
func screenReads(ctx context.Context, end rules.Day, ids []rules.ID, first rules.Customer, rs rules.Rules) []pgRead {
	id := ids[3]
	reads := []pgRead{
		{"CountCustomers", func(s *Store) (any, error) { return s.CountCustomers(ctx) }},
		{"Customer", func(s *Store) (any, error) { return s.Customer(ctx, id) }},
		{"CustomerPage", func(s *Store) (any, error) { return s.CustomerPage(ctx, id, end) }},
		{"CustomerReminders", func(s *Store) (any, error) { return s.CustomerReminders(ctx, ids[5], end.AddDays(30)) }},
		{"Contacts", func(s *Store) (any, error) { return orNone(s.Contacts(ctx, id)) }},
		{"CheckoutCard", func(s *Store) (any, error) { return s.CheckoutCard(ctx, id, end) }},
		{"Balance", func(s *Store) (any, error) { return orNone(s.Balance(ctx, id)) }},
		{"MatchCustomer", func(s *Store) (any, error) { return s.MatchCustomer(ctx, first.Phone) }},
		{"SearchCustomers", func(s *Store) (any, error) { return s.SearchCustomers(ctx, first.Name[:3], 20) }},
		{"Duplicates", func(s *Store) (any, error) { return orNone(s.Duplicates(ctx, first)) }},
		{"SuggestDuplicates", func(s *Store) (any, error) { return orNone(s.SuggestDuplicates(ctx)) }},
		{"TodayQueue", func(s *Store) (any, error) { return s.TodayQueue(ctx, end) }},
		{"TodayCountWith", func(s *Store) (any, error) { return s.TodayCountWith(ctx, end, rs) }},
		{"UpcomingPage", func(s *Store) (any, error) { return s.UpcomingPage(ctx, end, 14, 0, 25) }},
		{"HandledPage", func(s *Store) (any, error) { return s.HandledPage(ctx, end, 0, 25) }},
		{"ReadyPage", func(s *Store) (any, error) { return s.ReadyPage(ctx, 1, 0, 25) }},
		{"DueCounts", func(s *Store) (any, error) { return s.DueCounts(ctx, end.AddDays(-14), end.AddDays(28)) }},
		{"DueDayPage", func(s *Store) (any, error) { return s.DueDayPage(ctx, end.AddDays(2), 0, 25) }},
		{"DueMonth", func(s *Store) (any, error) {
			c, p, err := s.DueMonth(ctx, end.AddDays(-14), end.AddDays(28), end, 0, 25)
			return []any{c, p}, err
		}},
		{"Report", func(s *Store) (any, error) { return s.Report(ctx, end, 10) }},
		{"TopCustomers", func(s *Store) (any, error) { return s.TopCustomers(ctx, 10) }},
		{"LoyaltyOverview", func(s *Store) (any, error) { return s.LoyaltyOverview(ctx, 20) }},
		{"RecentPurchases", func(s *Store) (any, error) { return s.RecentPurchases(ctx, 20) }},
		{"Tags", func(s *Store) (any, error) { return orNone(s.Tags(ctx)) }},
		{"AuditLog", func(s *Store) (any, error) { return s.AuditLog(ctx, 50) }},
		{"Settings", func(s *Store) (any, error) { return settingsRead(ctx, s) }},
		{"Ledger", func(s *Store) (any, error) { return s.Ledger(ctx, id) }},
		{"Purchase", func(s *Store) (any, error) { return s.Purchase(ctx, 5) }},
		{"ExportICS", func(s *Store) (any, error) {
			var b bytes.Buffer
			err := s.ExportICS(ctx, &b)
			return b.String(), err
		}},
		{"ExportCustomer", func(s *Store) (any, error) {
			var b bytes.Buffer
			err := s.ExportCustomer(ctx, id, "Ana", &b)
			return b.String(), err
		}},
	}
	for _, sort := range []CustomerSort{SortByName, SortByLastVisit, SortBySpend, SortByPoints} {
		for _, text := range []string{"", first.Name[:2]} {
			q := CustomerListQuery{Search: text, Sort: sort}
			reads = append(reads, pgRead{fmt.Sprintf("CustomerList(%s, %q)", sort, text), func(s *Store) (any, error) {
				rows, n, err := s.CustomerList(ctx, q, 0, 30)
				return []any{rows, n}, err
			}})
		}
	}
	for _, text := range []string{first.Name[:3], first.Phone, "zzzz"} {
		reads = append(reads, pgRead{fmt.Sprintf("FindAtTill(%q)", text), func(s *Store) (any, error) {
			f, err := s.FindAtTill(ctx, text, end, 10)
			return []any{f, text}, err
		}})
	}
	for _, q := range []SegmentQuery{
		{Day: end},
		{Day: end, Bands: []rules.Band{rules.BandActive, rules.BandLapsing}, Top: 10},
		{Day: end, Birthdays: rules.BirthdaysThisMonth, IncludeDoNotContact: true},
		{Day: end, Bands: []rules.Band{rules.BandNever, rules.BandLost, rules.BandDrifting}},
	} {
		reads = append(reads, pgRead{fmt.Sprintf("SegmentPage(%+v)", q), func(s *Store) (any, error) {
			return s.SegmentPage(ctx, q, 0, 25)
		}}, pgRead{fmt.Sprintf("Segment(%+v)", q), func(s *Store) (any, error) {
			return orNone(s.Segment(ctx, q))
		}})
	}
	return reads
}

// orNone turns an empty result into a marker, so that a read that rightly
// finds nothing in the demo is still compared.
func orNone[T any](v T, err error) (any, error) {
	if reflect.ValueOf(&v).Elem().IsZero() {
		return "none", err
	}
	return v, err
}

// settingsRead is what the Settings screen reads.
func settingsRead(ctx context.Context, s *Store) (any, error) {
	var out []any
	for _, f := range []func() (any, error){
		func() (any, error) { return s.Shop(ctx) },
		func() (any, error) { return s.Rules(ctx) },
		func() (any, error) { return s.Loyalty(ctx) },
		func() (any, error) { return s.Templates(ctx) },
		func() (any, error) { return s.StaffNames(ctx) },
		func() (any, error) { return s.ShopName(ctx) },
		func() (any, error) { return s.PopupEvery(ctx) },
		func() (any, error) { return s.DriftingShare(ctx) },
		func() (any, error) { return s.CreatedOn(ctx) },
		func() (any, error) { return s.Setting(ctx, "shop_name") },
		func() (any, error) {
			c, ok, err := s.Country(ctx)
			return []any{c, ok}, err
		},
	} {
		v, err := f()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
