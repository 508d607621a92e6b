package data

import (
	"context"
	"regulars/rules"
	"strings"
	"testing"
)

// findKind is the reminder of kind k in rs, or nil.
func findKind(rs []rules.Reminder, k rules.Kind, subject string) *rules.Reminder {
	for i := range rs {
		if rs[i].Kind == k && strings.HasPrefix(rs[i].Subject, subject) {
			return &rs[i]
		}
	}
	return nil
}

// Doing a reminder can change the facts it came from (a call resets
// stay-in-touch, keeping a promise ends it, resolving a complaint ends the
// open follow-up); it stays in the customer's history all the same.
func TestHandledRemindersStayInHistoryWhenTheFactsMoveOn(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-01")
	ann, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", CustomerSince: rmDay("2025-11-01")})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "07700 900456", CustomerSince: rmDay("2025-11-01")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "order floor mats", Due: rmDay("2026-03-02"), Staff: "Sam"})
	if err != nil {
		t.Fatal(err)
	}
	comp, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "zip broke", Severity: "low", Staff: "Sam"})
	if err != nil {
		t.Fatal(err)
	}

	day := rmDay("2026-03-02")
	s.SetToday(day)
	today, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	touch := findKind(today, rules.KindStayInTouch, "touch")
	open := findKind(today, rules.KindComplaintFollowup, "complaint:")
	promise := findKind(today, rules.KindPromise, "promise:")
	bobTouch := -1
	for i := range today {
		if today[i].CustomerID == bob && today[i].Kind == rules.KindStayInTouch {
			bobTouch = i
		}
	}
	if touch == nil || open == nil || promise == nil || bobTouch < 0 {
		t.Fatalf("the day's list lacks a kind: %+v", today)
	}
	done := map[string]rules.State{}
	for _, r := range []*rules.Reminder{touch, open} {
		if _, err := s.CompleteReminder(ctx, r.Key, rules.Contact{Channel: rules.ChannelPhone, Staff: "Sam", Outcome: "happy"}); err != nil {
			t.Fatal(err)
		}
		done[r.Key] = rules.StateDone
	}
	// Done on a promise keeps it.
	if _, err := s.CompleteReminder(ctx, promise.Key, rules.Contact{Channel: rules.ChannelInPerson, Staff: "Sam", Outcome: "collected"}); err != nil {
		t.Fatal(err)
	}
	done[promise.Key] = rules.StateDone
	if err := s.ResolveComplaint(ctx, comp, "replaced the zip", "Sam"); err != nil {
		t.Fatal(err)
	}
	// Bob's is skipped, then he buys: the rules no longer call for it.
	bobKey := today[bobTouch].Key
	if err := s.SkipReminder(ctx, bobKey, "already spoke to them", "Sam"); err != nil {
		t.Fatal(err)
	}
	done[bobKey] = rules.StateSkipped
	if _, err := s.RecordSale(ctx, Sale{CustomerID: bob, Amount: 2500, Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}

	check := func(where string, rs []rules.Reminder) {
		t.Helper()
		for key, want := range done {
			found := false
			for _, r := range rs {
				if r.Key == key {
					found = true
					if r.State != want || r.DoneOn != day || r.Staff != "Sam" || r.Why == "" || r.CustomerName == "" {
						t.Errorf("%s: %s is %+v", where, key, r)
					}
				}
			}
			if !found {
				t.Errorf("%s lacks %s", where, key)
			}
		}
	}
	annHist, err := s.CustomerReminders(ctx, ann, day)
	if err != nil {
		t.Fatal(err)
	}
	bobHist, err := s.CustomerReminders(ctx, bob, day)
	if err != nil {
		t.Fatal(err)
	}
	check("the customer pages", append(annHist, bobHist...))
	handled, err := s.HandledOn(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	check("done today", handled)
	all, err := s.AllReminders(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	check("every reminder", all)
	for _, r := range annHist {
		if r.Kind == rules.KindPromise && !strings.Contains(r.Why, "order floor mats") {
			t.Errorf("the kept promise reads %q", r.Why)
		}
		if r.Key == open.Key && !strings.Contains(r.Why, "zip broke") {
			t.Errorf("the open complaint's follow-up reads %q", r.Why)
		}
	}
	// Still no duplicates, and Today does not bring them back.
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r.Key] {
			t.Errorf("%s twice", r.Key)
		}
		seen[r.Key] = true
	}
	after, err := s.TodayList(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range after {
		if _, ok := done[r.Key]; ok {
			t.Errorf("%s is back on Today", r.Key)
		}
	}
	// Seen from the day before, none of it has happened yet.
	before, err := s.AllReminders(ctx, day.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range before {
		if r.State == rules.StateDone || r.State == rules.StateSkipped {
			t.Errorf("done before it was done: %+v", r)
		}
	}
}

// States moved onto a survivor by merges: a row of the survivor's own wins,
// and of rows moved onto the same key the latest change does, whether the
// whole shop is read or the survivor alone, and whatever order the rows
// were written in.
func TestMovedStatesLatestChangeWins(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	ctx := context.Background()
	var ids [5]rules.ID
	for i, name := range []string{"Ann Lee", "Bob Roy", "Cy Fox", "Di Moss", "Ed Lum"} {
		id, err := s.AddCustomer(ctx, rules.Customer{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	ann, bob, cy, di, ed := ids[0], ids[1], ids[2], ids[3], ids[4]
	key := func(of rules.ID, due string) string { return "birthday:" + itoa(of) + ":birthday:" + due }
	row := func(k string, owner rules.ID, state, changed string) string {
		return "INSERT INTO reminder_states(key, kind, customer_id, due, state, changed_at, changed_on) VALUES ('" +
			k + "', 'birthday', " + itoa(owner) + ", '" + k[len(k)-10:] + "', '" + state + "', '" + changed + " 10:00:00', '" + changed + "')"
	}
	lyExec(t, s,
		// Moved onto Ann: Cy's written first but changed later.
		row(key(cy, "2026-06-20"), ann, "done", "2026-06-12"),
		row(key(bob, "2026-06-20"), ann, "skipped", "2026-06-10"),
		// Moved onto Ann, but Ann has her own row for that day.
		row(key(di, "2026-07-01"), ann, "done", "2026-06-14"),
		row(key(ann, "2026-07-01"), ann, "skipped", "2026-06-01"),
		// Ed keeps his own.
		row(key(ed, "2026-06-20"), ed, "skipped", "2026-06-11"),
	)
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		t.Fatal(err)
	}
	for _, only := range [][]rules.ID{nil, {ann}, {ann, ed}} {
		fs, err := s.readFacts(ctx, s.reader(), set, rules.NewDay(2026, 6, 15), only, false)
		if err != nil {
			t.Fatal(err)
		}
		if st := fs.states[key(ann, "2026-06-20")]; st.State != rules.StateDone {
			t.Errorf("reading %v: two rows moved onto one key give %q, want the later change (done)", only, st.State)
		}
		if st := fs.states[key(ann, "2026-07-01")]; st.State != rules.StateSkipped {
			t.Errorf("reading %v: a moved row beside the survivor's own gives %q, want her own (skipped)", only, st.State)
		}
		if only == nil || len(only) == 2 {
			if st := fs.states[key(ed, "2026-06-20")]; st.State != rules.StateSkipped {
				t.Errorf("reading %v: Ed's own row gives %q", only, st.State)
			}
		}
	}
}
