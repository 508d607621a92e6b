package data

import (
	"fmt"
	"regulars/rules"
	"testing"
	"time"
)

// TestTimelineOrderAndEachFactOnce: open promises and complaints head the
// timeline, then everything newest first; a sale carries its points; a
// promise or complaint is one line, never again as its open reminder; a
// contact that completed a reminder is on that reminder's line.
func TestTimelineOrderAndEachFactOnce(t *testing.T) {
	today := rules.NewDay(2026, 6, 10)
	at := func(d rules.Day, hour int) time.Time {
		y, m, dd := d.Date()
		return time.Date(y, m, dd, hour, 0, 0, 0, time.Local)
	}
	d := func(day int) rules.Day { return rules.NewDay(2026, 6, day) }
	thankKey := rules.ReminderKey{Kind: rules.KindThankYou, CustomerID: 1, Subject: "purchase:11", Due: d(3)}.String()
	promiseKey := rules.ReminderKey{Kind: rules.KindPromise, CustomerID: 1, Subject: "promise:5", Due: d(12)}.String()
	openFollowKey := rules.ReminderKey{Kind: rules.KindComplaintFollowup, CustomerID: 1, Subject: "complaint:8:open", Due: d(9)}.String()
	doneFollowKey := rules.ReminderKey{Kind: rules.KindComplaintFollowup, CustomerID: 1, Subject: "complaint:7:open", Due: d(2)}.String()
	keptKey := rules.ReminderKey{Kind: rules.KindPromise, CustomerID: 1, Subject: "promise:4", Due: d(4)}.String()
	p := CustomerPage{
		Customer: rules.Customer{ID: 1, Name: "Ann Lee"},
		Purchases: []rules.Purchase{ // newest first, as the page reads them
			{ID: 12, CustomerID: 1, Day: d(6), At: at(d(6), 15), Amount: 4500},
			{ID: 11, CustomerID: 1, Day: d(2), At: at(d(2), 11), Amount: 12000, Discount: 500},
		},
		Ledger: []rules.LedgerRow{ // oldest first
			{ID: 1, Day: d(2), At: at(d(2), 11), Kind: rules.LedgerRedeem, Points: -100, PurchaseID: 11},
			{ID: 2, Day: d(2), At: at(d(2), 11), Kind: rules.LedgerEarn, Points: 115, PurchaseID: 11},
			{ID: 3, Day: d(5), At: at(d(5), 9), Kind: rules.LedgerAdjustment, Points: 20, Reason: "goodwill"},
			{ID: 4, Day: d(6), At: at(d(6), 15), Kind: rules.LedgerEarn, Points: 45, PurchaseID: 12},
		},
		Contacts: []rules.Contact{ // newest first
			{ID: 31, Day: d(8), At: at(d(8), 10), Channel: rules.ChannelEmail, Staff: "Sam", Note: "asked about sizes"},
			{ID: 30, Day: d(4), At: at(d(4), 10), Channel: rules.ChannelPhone, Staff: "Sam", Outcome: "happy", ReminderKey: keptKey},
			{ID: 29, Day: d(3), At: at(d(3), 12), Channel: rules.ChannelPost, Staff: "Sam", Outcome: "sent", ReminderKey: thankKey},
			{ID: 28, Day: d(2), At: at(d(2), 17), Channel: rules.ChannelSMS, Staff: "Sam", ReminderKey: doneFollowKey},
		},
		Complaints: []rules.Complaint{
			{ID: 8, What: "zip broke", Received: d(8), ReceivedAt: at(d(8), 16)},
			{ID: 7, What: "late delivery", Received: d(1), ReceivedAt: at(d(1), 9), ResolvedOn: d(3), Resolution: "refunded postage"},
		},
		Promises: []rules.Promise{
			{ID: 4, What: "order mats", MadeOn: d(2), Due: d(4), KeptOn: d(4)},
			{ID: 5, What: "call when the part arrives", MadeOn: d(6), Due: d(12)},
			{ID: 6, What: "fit the bumper", MadeOn: d(1), Due: d(7)},
		},
		Reminders: []rules.Reminder{
			{Key: promiseKey, Kind: rules.KindPromise, Due: d(12), State: rules.StateOpen},
			{Key: openFollowKey, Kind: rules.KindComplaintFollowup, Due: d(9), State: rules.StateOpen},
			{Key: doneFollowKey, Kind: rules.KindComplaintFollowup, Due: d(2), State: rules.StateDone},
			{Key: thankKey, Kind: rules.KindThankYou, Due: d(3), State: rules.StateDone},
			{Key: "birthday:1:birthday:2026-06-20", Kind: rules.KindBirthday, Due: d(20), State: rules.StateOpen},
		},
	}
	got := Timeline(p, today)
	var lines []string
	for _, e := range got {
		s := fmt.Sprintf("%s %s", e.Day, e.Kind)
		switch {
		case e.Purchase != nil:
			s += fmt.Sprintf(" #%d %+d -%d", e.Purchase.ID, e.Earned, e.Redeemed)
		case e.Promise != nil:
			s += fmt.Sprintf(" #%d open=%v late=%v", e.Promise.ID, e.Open, e.Late)
		case e.Complaint != nil:
			s += fmt.Sprintf(" #%d open=%v", e.Complaint.ID, e.Open)
		case e.Reminder != nil:
			s += " " + string(e.Reminder.Kind)
		case e.Ledger != nil:
			s += fmt.Sprintf(" %+d", e.Ledger.Points)
		}
		if e.Contact != nil {
			s += fmt.Sprintf(" contact %d %s", e.Contact.ID, e.Contact.Channel)
		}
		if e.Handled != nil {
			s += " handled " + string(e.Handled.Kind)
		}
		lines = append(lines, s)
	}
	want := []string{
		// Open obligations, by the day they are about: the late promise,
		// the complaint received on the 8th, the promise due on the 12th.
		"2026-06-01 promise #6 open=true late=true",
		"2026-06-08 complaint #8 open=true",
		"2026-06-06 promise #5 open=true late=false",
		// Then newest first.
		"2026-06-20 reminder birthday",
		"2026-06-08 contact contact 31 email",
		"2026-06-06 sale #12 +45 -0",
		"2026-06-05 points +20",
		"2026-06-04 contact contact 30 phone handled promise",
		"2026-06-03 reminder thank_you contact 29 post",
		"2026-06-02 sale #11 +115 -100",
		"2026-06-02 reminder complaint_followup contact 28 sms",
		"2026-06-02 promise #4 open=false late=false",
		"2026-06-01 complaint #7 open=false",
	}
	if len(lines) != len(want) {
		t.Fatalf("timeline:\n%s\nwant\n%s", join(lines), join(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Fatalf("line %d is %q, want %q; timeline:\n%s", i, lines[i], want[i], join(lines))
		}
	}
	// Past the open ones, no line is older than the one after it.
	for i := 4; i < len(got); i++ {
		if got[i].Day > got[i-1].Day {
			t.Errorf("%s comes after %s", got[i].Day, got[i-1].Day)
		}
	}
}

func join(lines []string) string {
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}
