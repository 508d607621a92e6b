package rules

import "testing"

func TestParseReminderKey(t *testing.T) {
	day := func(s string) Day {
		d, err := ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	good := map[string]ReminderKey{
		"thank_you:12:purchase:3:2026-06-01":               {Kind: KindThankYou, CustomerID: 12, Subject: "purchase:3", Due: day("2026-06-01")},
		"complaint_followup:1:complaint:5:open:2026-01-02": {Kind: KindComplaintFollowup, CustomerID: 1, Subject: "complaint:5:open", Due: day("2026-01-02")},
		"birthday:9:birthday:2026-02-28":                   {Kind: KindBirthday, CustomerID: 9, Subject: "birthday", Due: day("2026-02-28")},
	}
	for s, want := range good {
		got, err := ParseReminderKey(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("%q: got %+v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "thank_you", "thank_you:12:2026-06-01", "nope:1:x:2026-06-01",
		"thank_you:-1:x:2026-06-01", "thank_you:a:x:2026-06-01", "thank_you:1:x:2026-02-30", "thank_you:1::2026-06-01"} {
		if _, err := ParseReminderKey(s); err == nil {
			t.Errorf("%q should be refused", s)
		}
	}
}
