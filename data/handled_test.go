package data

import (
	"context"
	"fmt"
	"reflect"
	"regulars/rules"
	"slices"
	"testing"
)

// hdWant is Done today computed customer by customer, as the customer
// page lists it, in the Done tab's order: by kind as Kinds lists them, then
// by customer, the latest due first.
func hdWant(t *testing.T, s *Store, d rules.Day) []rules.Reminder {
	t.Helper()
	ctx := context.Background()
	ids, err := idList(ctx, s.reader(), "SELECT DISTINCT customer_id FROM reminder_states WHERE changed_on = ? AND state IN ('done', 'skipped') ORDER BY customer_id", d.String())
	if err != nil {
		t.Fatal(err)
	}
	var want []rules.Reminder
	for _, id := range ids {
		rs, err := s.CustomerReminders(ctx, id, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if (r.State == rules.StateDone || r.State == rules.StateSkipped) && r.DoneOn == d {
				want = append(want, r)
			}
		}
	}
	rank := func(k rules.Kind) int { return slices.Index(rules.Kinds, k) }
	slices.SortStableFunc(want, func(a, b rules.Reminder) int {
		if a.Kind != b.Kind {
			return rank(a.Kind) - rank(b.Kind)
		}
		if a.CustomerID != b.CustomerID {
			return cmpID(a.CustomerID, b.CustomerID)
		}
		return -compareByDue(&a, &b)
	})
	return want
}

func TestHandledPagesPutEndToEndAreDoneToday(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 500, Seed: 3, End: demoEnd})
	ctx := context.Background()
	for _, d := range []rules.Day{demoEnd, demoEnd.AddDays(-1), demoEnd.AddDays(-6)} {
		want := hdWant(t, s, d)
		if len(want) < 3 {
			t.Fatalf("%s: only %d reminders handled in the demo; the test needs more", d, len(want))
		}
		for _, per := range []int{1, 2, 7, 500} {
			first, all, err := lsPages(func(offset, limit int) (ReminderPage, error) {
				return s.HandledPage(ctx, d, offset, limit)
			}, per)
			if err != nil {
				t.Fatalf("%s, %d a page: %v", d, per, err)
			}
			if !reflect.DeepEqual(all, want) {
				t.Fatalf("%s, %d a page:\n%s\nwant\n%s", d, per, dvBrief(all), dvBrief(want))
			}
			counts := map[rules.Kind]int{}
			for _, r := range want {
				counts[r.Kind]++
			}
			var groups []ReminderGroup
			for _, k := range rules.Kinds {
				if counts[k] > 0 {
					groups = append(groups, ReminderGroup{Kind: k, Count: counts[k]})
				}
			}
			if first.Total != len(want) || !reflect.DeepEqual(first.Counts, counts) || !reflect.DeepEqual(first.Groups, groups) {
				t.Fatalf("%s: counts %d %v %v, want %d %v %v", d, first.Total, first.Counts, first.Groups, len(want), counts, groups)
			}
		}
		whole, err := s.HandledOn(ctx, d)
		if err != nil || len(whole) != len(want) {
			t.Fatalf("%s: HandledOn gives %d reminders (%v), the pages %d", d, len(whole), err, len(want))
		}
	}
	// Past the end of the list, a page is empty but still counts.
	p, err := s.HandledPage(ctx, demoEnd, 10000, 50)
	if err != nil || len(p.Rows) != 0 || p.Total == 0 {
		t.Errorf("a page past the end: %d rows of %d, %v", len(p.Rows), p.Total, err)
	}
}

func TestDoneTodayKeepsRemindersHandledEarlyOrMergedAway(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-01")
	ann, _ := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Birthday: rules.YearlyDate{Month: 8, Day: 20}})
	bob, _ := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy"})
	if _, err := s.RecordSale(ctx, Sale{CustomerID: bob, Amount: 4000}); err != nil {
		t.Fatal(err)
	}
	s.SetToday(mustParse(t, "2026-06-02"))
	// Ann's birthday message is written eighty days ahead, from the calendar.
	marks, err := s.DueOn(ctx, mustParse(t, "2026-08-20"), mustParse(t, "2026-08-20"))
	if err != nil || len(marks[mustParse(t, "2026-08-20")]) != 1 {
		t.Fatalf("birthday on the calendar: %v, %v", marks, err)
	}
	early := marks[mustParse(t, "2026-08-20")][0]
	if _, err := s.CompleteReminder(ctx, early.Key, rules.Contact{Channel: rules.ChannelEmail, Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	today, err := s.TodayList(ctx, s.Today())
	if err != nil || len(today) != 1 {
		t.Fatalf("today: %d, %v", len(today), err)
	}
	if err := s.SkipReminder(ctx, today[0].Key, "spoke at the till", "Sam"); err != nil {
		t.Fatal(err)
	}
	// Bob turns out to be Ann under another name.
	if err := s.MergeCustomers(ctx, ann, bob, "Sam"); err != nil {
		t.Fatal(err)
	}
	p, err := s.HandledPage(ctx, s.Today(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || len(p.Rows) != 2 {
		t.Fatalf("Done today: %d of %d: %s", len(p.Rows), p.Total, dvBrief(p.Rows))
	}
	for _, r := range p.Rows {
		if r.CustomerID != ann || r.CustomerName != "Ann Lee" || r.DoneOn != s.Today() || r.Why == "" {
			t.Errorf("handled row %+v: want Ann's, done today, with its words", r)
		}
	}
	if p.Rows[0].Kind != rules.KindThankYou || p.Rows[0].State != rules.StateSkipped || p.Rows[1].Kind != rules.KindBirthday || p.Rows[1].State != rules.StateDone {
		t.Errorf("Done today in the wrong order or states: %s", dvBrief(p.Rows))
	}
}

// lsPages reads a whole list a page of per at a time through read, and
// checks that every page carries the same counts and its own offset.
func lsPages(read func(offset, limit int) (ReminderPage, error), per int) (ReminderPage, []rules.Reminder, error) {
	var all []rules.Reminder
	var first ReminderPage
	for offset := 0; ; offset += per {
		p, err := read(offset, per)
		if err != nil {
			return p, nil, err
		}
		if offset == 0 {
			first = p
		} else if p.Total != first.Total || !reflect.DeepEqual(p.Groups, first.Groups) {
			return p, nil, fmt.Errorf("the counts changed from page to page: %d %v, then %d %v", first.Total, first.Groups, p.Total, p.Groups)
		}
		if p.Offset != offset {
			return p, nil, fmt.Errorf("page at %d says it is at %d", offset, p.Offset)
		}
		all = append(all, p.Rows...)
		if len(p.Rows) < per {
			if offset+len(p.Rows) != p.Total {
				return p, nil, fmt.Errorf("%d rows in all, but Total says %d", offset+len(p.Rows), p.Total)
			}
			return first, all, nil
		}
	}
}
