package rules

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The Today screen's queue: the day's open reminders shaped into work a
// shift can finish (PRODUCT.md, "The Today screen"). The command line's
// today list keeps its own order; this is the same reminders, grouped.

// QueueGroup is one group of the queue, in the order a shift works them.
type QueueGroup int

const (
	// QueueObligations: open complaints by their 24-hour clock, then
	// promises, then the follow-ups of complaints already resolved.
	QueueObligations QueueGroup = iota
	// QueueDueToday: thank-yous, check-ins, birthdays, anniversaries and
	// occasions due today.
	QueueDueToday
	// QueueInWindow: the same kinds due earlier and not yet missed, oldest
	// first; then birthdays, anniversaries and occasions already shown
	// ahead of their day, soonest first.
	QueueInWindow
	// QueueDrifting: stay-in-touch, a day's share of them, the customers
	// who spent most over the last year first.
	QueueDrifting
	// QueueMention: rewards ready and points expiring, said at the till
	// rather than worked through; never counted as work.
	QueueMention
)

// QueueGroups lists the groups in the queue's order.
var QueueGroups = []QueueGroup{QueueObligations, QueueDueToday, QueueInWindow, QueueDrifting, QueueMention}

// Work reports whether the group counts as the day's work (groups 1–4).
func (g QueueGroup) Work() bool { return g != QueueMention }

// DefaultDriftingShare is how many stay-in-touch calls a day the queue
// holds unless the owner sets another number.
const DefaultDriftingShare = 10

// QueueFacts are what the queue is made from.
type QueueFacts struct {
	Day Day
	// Open is the day's open reminders: TodayList(Day).
	Open []Reminder
	// Received is when each open complaint came in, by the key of its
	// follow-up; a follow-up missing here counts as received the day before
	// it is due.
	Received map[string]time.Time
	// Spend is each drifting customer's spend over the last year.
	Spend map[ID]Cents
	// Done is how many reminders of each group were done or skipped today.
	Done map[QueueGroup]int
	// Share is at most how many drifting customers a day's queue holds,
	// those done today included.
	Share int
}

// QueuePart is one group of the queue.
type QueuePart struct {
	Group QueueGroup
	// Rows are the group's reminders in the order to work them; for
	// drifting, the day's share.
	Rows []Reminder
	// Rest are the drifting customers beyond the day's share, in the same
	// order: behind "show all".
	Rest []Reminder
	// Done is how many of the group were done or skipped today.
	Done int
}

// Queue is the day's queue: every group, in order, empty ones included.
type Queue struct {
	Day   Day
	Share int
	Parts []QueuePart
}

// Part is the queue's group g.
func (q *Queue) Part(g QueueGroup) *QueuePart {
	for i := range q.Parts {
		if q.Parts[i].Group == g {
			return &q.Parts[i]
		}
	}
	return &QueuePart{Group: g}
}

// Open is how many reminders the day's work still holds: groups 1–4 as
// shown, drifting counted by its share. The Today header, the navigation,
// the pop-up and the tray all give this number.
func (q *Queue) Open() int {
	n := 0
	for _, p := range q.Parts {
		if p.Group.Work() {
			n += len(p.Rows)
		}
	}
	return n
}

// Done is how many reminders of the day's work were done or skipped today.
func (q *Queue) Done() int {
	n := 0
	for _, p := range q.Parts {
		if p.Group.Work() {
			n += p.Done
		}
	}
	return n
}

// Work is the day's work in the queue's order: groups 1–4 as shown.
func (q *Queue) Work() []Reminder {
	out := make([]Reminder, 0, q.Open())
	for _, p := range q.Parts {
		if p.Group.Work() {
			out = append(out, p.Rows...)
		}
	}
	return out
}

// All is every reminder of the queue, those behind "show all" and the
// mentions included: the day's whole list.
func (q *Queue) All() []Reminder {
	var out []Reminder
	for _, p := range q.Parts {
		out = append(out, p.Rows...)
		out = append(out, p.Rest...)
	}
	return out
}

// QueueGroupOf is the group a reminder of kind k due on due belongs to on
// day. Reminders done today are counted in the group they were in.
func QueueGroupOf(k Kind, due, day Day) QueueGroup {
	switch k {
	case KindComplaintFollowup, KindPromise:
		return QueueObligations
	case KindStayInTouch:
		return QueueDrifting
	case KindRewardReady, KindPointsExpiring:
		return QueueMention
	}
	if due == day {
		return QueueDueToday
	}
	return QueueInWindow
}

// BuildQueue shapes the day's open reminders into the queue. It is a pure
// rule: the facts come from the store (Store.TodayQueue).
func BuildQueue(f QueueFacts) Queue {
	q := Queue{Day: f.Day, Share: max(f.Share, 0)}
	byGroup := map[QueueGroup][]Reminder{}
	for _, r := range f.Open {
		g := QueueGroupOf(r.Kind, r.Due, f.Day)
		byGroup[g] = append(byGroup[g], r)
	}
	for _, g := range QueueGroups {
		rs := byGroup[g]
		p := QueuePart{Group: g, Done: f.Done[g]}
		switch g {
		case QueueObligations:
			slices.SortStableFunc(rs, func(a, b Reminder) int { return compareObligations(&a, &b, f.Received) })
		case QueueDueToday, QueueInWindow:
			// Oldest first, kind by kind: in the window, those shown ahead
			// of their day come last.
			slices.SortStableFunc(rs, func(a, b Reminder) int {
				return cmp.Or(cmp.Compare(a.Due, b.Due), compareKind(a.Kind, b.Kind), compareNames(&a, &b))
			})
		case QueueDrifting:
			// The customers worth most to the shop first; among equals,
			// the one drifting longest.
			slices.SortStableFunc(rs, func(a, b Reminder) int {
				return cmp.Or(cmp.Compare(f.Spend[b.CustomerID], f.Spend[a.CustomerID]), cmp.Compare(a.Due, b.Due), compareNames(&a, &b))
			})
			// The share counts those done today: doing 4 of 10 leaves 6.
			left := min(max(q.Share-p.Done, 0), len(rs))
			rs, p.Rest = rs[:left:left], rs[left:]
		case QueueMention:
			slices.SortStableFunc(rs, func(a, b Reminder) int {
				return cmp.Or(compareKind(a.Kind, b.Kind), cmp.Compare(a.Due, b.Due), compareNames(&a, &b))
			})
		}
		p.Rows = rs
		q.Parts = append(q.Parts, p)
	}
	return q
}

// compareObligations puts open complaints first, the one received longest
// ago first (its 24 hours run out first); then promises, the latest first;
// then the follow-ups of complaints already resolved.
func compareObligations(a, b *Reminder, received map[string]time.Time) int {
	rank := func(r *Reminder) int {
		switch {
		case r.Kind == KindComplaintFollowup && r.OpenComplaint:
			return 0
		case r.Kind == KindPromise:
			return 1
		}
		return 2
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	if rank(a) == 0 {
		at := func(r *Reminder) time.Time {
			if t, ok := received[r.Key]; ok {
				return t
			}
			return r.Due.AddDays(-1).Time()
		}
		if c := at(a).Compare(at(b)); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(a.Due, b.Due), compareNames(a, b))
}

func compareKind(a, b Kind) int {
	return cmp.Compare(slices.Index(Kinds, a), slices.Index(Kinds, b))
}

// compareNames orders by customer name, then by key so that the order
// never depends on the order the reminders came in.
func compareNames(a, b *Reminder) int {
	return cmp.Or(strings.Compare(a.CustomerName, b.CustomerName), strings.Compare(a.Key, b.Key))
}
