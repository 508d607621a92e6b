package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// qr is a reminder for the queue's tests: kind, customer, due day; the
// name is "c<customer>".
func qr(k Kind, customer ID, due string) Reminder {
	d := mustParseDay(due)
	return Reminder{Key: fmt.Sprintf("%s:%d:x:%s", k, customer, due), Kind: k, CustomerID: customer,
		CustomerName: fmt.Sprintf("c%d", customer), Due: d}
}

func openComplaint(customer ID, due string) Reminder {
	r := qr(KindComplaintFollowup, customer, due)
	r.OpenComplaint = true
	return r
}

func mustParseDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// names lists "kind:c<id>" for each reminder, short enough to read in a failure.
func queueNames(rs []Reminder) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Kind) + ":" + r.CustomerName
	}
	return out
}

func TestQueueOrder(t *testing.T) {
	day := "2026-06-15"
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		if err != nil {
			panic(err)
		}
		return tm
	}
	cases := []struct {
		name     string
		open     []Reminder
		received map[string]time.Time
		spend    map[ID]Cents
		want     map[QueueGroup][]string
	}{
		{
			name: "open complaints by the time they came in, then promises late first, then resolved follow-ups",
			open: []Reminder{
				qr(KindComplaintFollowup, 9, "2026-06-14"), // resolved: its check-up after the fix
				qr(KindPromise, 5, "2026-06-16"),
				openComplaint(1, "2026-06-15"),
				qr(KindPromise, 4, "2026-06-10"),
				openComplaint(2, "2026-06-15"),
				openComplaint(3, "2026-06-16"),
			},
			received: map[string]time.Time{
				openComplaint(1, "2026-06-15").Key: at("2026-06-14 16:00"),
				openComplaint(2, "2026-06-15").Key: at("2026-06-14 09:30"),
				openComplaint(3, "2026-06-16").Key: at("2026-06-15 08:00"),
			},
			want: map[QueueGroup][]string{QueueObligations: {
				"complaint_followup:c2", "complaint_followup:c1", "complaint_followup:c3",
				"promise:c4", "promise:c5", "complaint_followup:c9"}},
		},
		{
			name: "due today kind by kind; earlier ones oldest first, then those shown ahead of their day",
			open: []Reminder{
				qr(KindBirthday, 1, "2026-06-15"),
				qr(KindThankYou, 2, "2026-06-15"),
				qr(KindOccasion, 3, "2026-06-18"),
				qr(KindAnniversary, 4, "2026-06-17"),
				qr(KindCheckIn, 5, "2026-06-15"),
				qr(KindThankYou, 6, "2026-06-14"),
				qr(KindCheckIn, 7, "2026-05-30"),
				qr(KindBirthday, 8, "2026-06-09"),
				qr(KindThankYou, 0, "2026-06-15"),
			},
			want: map[QueueGroup][]string{
				QueueDueToday: {"thank_you:c0", "thank_you:c2", "check_in:c5", "birthday:c1"},
				QueueInWindow: {"check_in:c7", "birthday:c8", "thank_you:c6", "anniversary:c4", "occasion:c3"},
			},
		},
		{
			name: "drifting: the biggest spenders of the last year first, then the longest gone",
			open: []Reminder{
				qr(KindStayInTouch, 1, "2026-06-01"),
				qr(KindStayInTouch, 2, "2026-06-10"),
				qr(KindStayInTouch, 3, "2026-05-01"),
				qr(KindStayInTouch, 4, "2026-06-12"),
			},
			spend: map[ID]Cents{2: 50000, 4: 50000, 1: 1200},
			want:  map[QueueGroup][]string{QueueDrifting: {"stay_in_touch:c2", "stay_in_touch:c4", "stay_in_touch:c1", "stay_in_touch:c3"}},
		},
		{
			name: "rewards and expiring points, however old, only in the mention group",
			open: []Reminder{
				qr(KindRewardReady, 1, "2024-12-21"), // 541 days overdue
				qr(KindThankYou, 2, "2026-06-15"),
				qr(KindPointsExpiring, 3, "2026-06-01"),
				qr(KindRewardReady, 4, "2026-06-15"),
			},
			want: map[QueueGroup][]string{
				QueueDueToday: {"thank_you:c2"},
				QueueMention:  {"reward_ready:c1", "reward_ready:c4", "points_expiring:c3"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The order the reminders come in does not matter.
			for _, open := range [][]Reminder{c.open, reversedReminders(c.open)} {
				q := BuildQueue(QueueFacts{Day: mustParseDay(day), Open: open, Received: c.received, Spend: c.spend, Share: 10})
				if len(q.Parts) != len(QueueGroups) {
					t.Fatalf("%d groups, want all %d", len(q.Parts), len(QueueGroups))
				}
				for i, p := range q.Parts {
					if p.Group != QueueGroups[i] {
						t.Fatalf("group %d is %d", i, p.Group)
					}
					if got, want := queueNames(p.Rows), c.want[p.Group]; !slices.Equal(got, want) && len(got)+len(want) > 0 {
						t.Errorf("group %d:\n got %v\nwant %v", p.Group, got, want)
					}
				}
				if len(q.All()) != len(open) {
					t.Errorf("the queue holds %d of %d reminders", len(q.All()), len(open))
				}
			}
		})
	}
}

func reversedReminders(rs []Reminder) []Reminder {
	out := slices.Clone(rs)
	slices.Reverse(out)
	return out
}

func TestQueueDriftingShare(t *testing.T) {
	var open []Reminder
	spend := map[ID]Cents{}
	for id := ID(1); id <= 25; id++ {
		open = append(open, qr(KindStayInTouch, id, "2026-06-01"))
		spend[id] = Cents(id * 1000) // c25 spent most
	}
	cases := []struct {
		name       string
		share      int
		done       int
		shown      int
		rest       int
		firstShown string
	}{
		{"the day's share of ten", 10, 0, 10, 15, "c25"},
		{"four done today leave six more", 10, 4, 6, 19, "c25"},
		{"the share done: the rest behind show all", 10, 10, 0, 25, ""},
		{"more done than the share", 10, 12, 0, 25, ""},
		{"a share bigger than the list shows them all", 40, 0, 25, 0, "c25"},
		{"a share of none", 0, 0, 0, 25, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := BuildQueue(QueueFacts{Day: mustParseDay("2026-06-15"), Open: open, Spend: spend, Share: c.share,
				Done: map[QueueGroup]int{QueueDrifting: c.done}})
			p := q.Part(QueueDrifting)
			if len(p.Rows) != c.shown || len(p.Rest) != c.rest {
				t.Fatalf("%d shown and %d behind show all, want %d and %d", len(p.Rows), len(p.Rest), c.shown, c.rest)
			}
			if c.shown > 0 && p.Rows[0].CustomerName != c.firstShown {
				t.Errorf("first shown %s, want %s", p.Rows[0].CustomerName, c.firstShown)
			}
			// Shown and rest together are the whole group, biggest spenders first.
			all := append(slices.Clone(p.Rows), p.Rest...)
			for i := 1; i < len(all); i++ {
				if spend[all[i-1].CustomerID] < spend[all[i].CustomerID] {
					t.Fatalf("%s before %s", all[i-1].CustomerName, all[i].CustomerName)
				}
			}
			if q.Open() != c.shown {
				t.Errorf("open %d, want the %d shown", q.Open(), c.shown)
			}
		})
	}
}

func TestQueueCountsWhatIsDoneToday(t *testing.T) {
	open := []Reminder{
		openComplaint(1, "2026-06-15"),
		qr(KindThankYou, 2, "2026-06-15"),
		qr(KindThankYou, 3, "2026-06-10"),
		qr(KindStayInTouch, 4, "2026-06-01"),
		qr(KindStayInTouch, 5, "2026-06-01"),
		qr(KindRewardReady, 6, "2025-01-01"),
		qr(KindPointsExpiring, 7, "2026-06-15"),
	}
	cases := []struct {
		name        string
		done        map[QueueGroup]int
		share       int
		open, doneN int
	}{
		{"nothing done yet", nil, 10, 5, 0},
		{"done in every group", map[QueueGroup]int{QueueObligations: 2, QueueDueToday: 3, QueueInWindow: 1, QueueDrifting: 1}, 10, 5, 7},
		{"rewards said at the till are not work", map[QueueGroup]int{QueueMention: 4, QueueDueToday: 1}, 10, 5, 1},
		{"drifting done beyond the share hides the rest", map[QueueGroup]int{QueueDrifting: 9}, 10, 4, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := BuildQueue(QueueFacts{Day: mustParseDay("2026-06-15"), Open: open, Done: c.done, Share: c.share})
			if q.Open() != c.open || q.Done() != c.doneN {
				t.Errorf("open %d, done %d; want %d and %d", q.Open(), q.Done(), c.open, c.doneN)
			}
			if got := len(q.Work()); got != q.Open() {
				t.Errorf("work lists %d, open says %d", got, q.Open())
			}
			for _, r := range q.Work() {
				if r.Kind == KindRewardReady || r.Kind == KindPointsExpiring {
					t.Errorf("%s counted as work", r.Kind)
				}
			}
		})
	}
}

func TestQueueMentionGroupHoldsEveryRewardAndExpiry(t *testing.T) {
	var open []Reminder
	for id := ID(1); id <= 300; id++ {
		k := KindRewardReady
		if id%3 == 0 {
			k = KindPointsExpiring
		}
		open = append(open, qr(k, id, Day(mustParseDay("2026-06-15")-Day(id)).String()))
	}
	open = append(open, qr(KindBirthday, 999, "2026-06-15"))
	q := BuildQueue(QueueFacts{Day: mustParseDay("2026-06-15"), Open: open, Share: 10})
	m := q.Part(QueueMention)
	if len(m.Rows) != 300 || len(m.Rest) != 0 {
		t.Fatalf("mention group: %d rows and %d behind show all, want all 300 in it", len(m.Rows), len(m.Rest))
	}
	if q.Open() != 1 || q.Work()[0].Kind != KindBirthday {
		t.Errorf("work %v: only the birthday is work", queueNames(q.Work()))
	}
	if strings.Join(queueNames(q.Work()), ",") != "birthday:c999" {
		t.Errorf("the oldest reward heads the work: %v", queueNames(q.Work()))
	}
}

func TestQueueGroupOfDoneReminders(t *testing.T) {
	day := mustParseDay("2026-06-15")
	cases := []struct {
		kind Kind
		due  string
		want QueueGroup
	}{
		{KindComplaintFollowup, "2026-06-15", QueueObligations},
		{KindPromise, "2026-06-20", QueueObligations},
		{KindThankYou, "2026-06-15", QueueDueToday},
		{KindBirthday, "2026-06-19", QueueInWindow},
		{KindCheckIn, "2026-06-01", QueueInWindow},
		{KindStayInTouch, "2026-03-01", QueueDrifting},
		{KindRewardReady, "2026-06-15", QueueMention},
		{KindPointsExpiring, "2026-06-01", QueueMention},
	}
	for _, c := range cases {
		if got := QueueGroupOf(c.kind, mustParseDay(c.due), day); got != c.want {
			t.Errorf("%s due %s: group %d, want %d", c.kind, c.due, got, c.want)
		}
	}
}
