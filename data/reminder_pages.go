package data

import (
	"context"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
)

// Today, Upcoming and a calendar's days a page at a time, with the counts
// of the whole list: each page is cut from the whole list, read from the
// facts and the summary rows (today_summary.go). Only the rows of the page
// get their words.

// The lists a page is cut from.
const (
	listToday    = 0
	listUpcoming = 1
)

// ReminderGroup is one group of a list as the Today screen shows it: for
// Today, the open complaints, the overdue, then each kind; for Upcoming,
// each day.
type ReminderGroup struct {
	OpenComplaints bool       // Today: follow-ups of complaints still open
	Overdue        bool       // Today: overdue, but not an open complaint
	Kind           rules.Kind // Today: the kind of every other group
	Day            rules.Day  // Upcoming: the day they are due
	Count          int
}

// ReminderPage is a stretch of a reminder list with the counts of the
// whole list.
type ReminderPage struct {
	Total          int
	Counts         map[rules.Kind]int
	Overdue        int // Today: reminders overdue, open complaints among them
	OpenComplaints int // Today: follow-ups of complaints still open
	// Groups are the list's groups in the screen's order, with their sizes.
	Groups []ReminderGroup
	Offset int
	Rows   []rules.Reminder
}

// UpcomingPage is Upcoming(d, days) from offset on, at most limit
// reminders, with the counts of the whole list; Groups are its days.
func (s *Store) UpcomingPage(ctx context.Context, d rules.Day, days, offset, limit int) (ReminderPage, error) {
	if days < 0 {
		return ReminderPage{}, fmt.Errorf("the number of days ahead must not be negative")
	}
	return s.listPage(ctx, listUpcoming, d, days, true, offset, limit)
}

// listClass is the group of r in list: for Today 0 for overdue open
// complaints, 1 for the other open complaints, 2 for the other overdue and
// 3 on for the kinds in their order; for Upcoming its due day. Ordering
// by class and then by the list's order gives the screen's order.
func listClass(list int, r *rules.Reminder) int {
	if list == listUpcoming {
		return int(r.Due)
	}
	switch {
	case r.OpenComplaint && r.OverdueDays > 0:
		return 0
	case r.OpenComplaint:
		return 1
	case r.OverdueDays > 0:
		return 2
	}
	return 3 + kindPlace(r.Kind)
}

// listCounts adds up the counts of a list by (class, kind).
type listCounts struct {
	list int
	n    map[listCount]int
}

type listCount struct {
	class int
	kind  rules.Kind
}

func compareListCounts(a, b listCount) int {
	if a.class != b.class {
		return a.class - b.class
	}
	return strings.Compare(string(a.kind), string(b.kind))
}

func (c listCounts) add(r *rules.Reminder) { c.n[listCount{listClass(c.list, r), r.Kind}]++ }

// fill puts the counts into p.
func (c listCounts) fill(p *ReminderPage) {
	p.Counts = map[rules.Kind]int{}
	keys := make([]listCount, 0, len(c.n))
	for k := range c.n {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareListCounts)
	for _, k := range keys {
		n := c.n[k]
		p.Total += n
		p.Counts[k.kind] += n
		g := ReminderGroup{Count: n}
		if c.list == listUpcoming {
			g.Day = rules.Day(k.class)
		} else {
			switch k.class {
			case 0:
				p.Overdue += n
				p.OpenComplaints += n
				g.OpenComplaints = true
			case 1:
				p.OpenComplaints += n
				g.OpenComplaints = true
			case 2:
				p.Overdue += n
				g.Overdue = true
			default:
				g.Kind = k.kind
			}
		}
		if last := len(p.Groups) - 1; last >= 0 && sameGroup(p.Groups[last], g) {
			p.Groups[last].Count += n
			continue
		}
		p.Groups = append(p.Groups, g)
	}
}

func sameGroup(a, b ReminderGroup) bool {
	a.Count, b.Count = 0, 0
	return a == b
}

// listPage cuts a page of list on d from the whole list.
func (s *Store) listPage(ctx context.Context, list int, d rules.Day, days int, grouped bool, offset, limit int) (ReminderPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return ReminderPage{}, err
	}
	var rs []rules.Reminder
	var ws []messageParts
	cmp := compareToday
	if list == listToday {
		rs, ws, err = s.todayRemembered(ctx, set, d)
	} else {
		rs, ws, err = s.upcomingRemembered(ctx, set, d, d.AddDays(days))
		cmp = compareByDue
	}
	if err != nil {
		return ReminderPage{}, err
	}
	if grouped {
		order := cmp
		cmp = func(a, b *rules.Reminder) int {
			if x, y := listClass(list, a), listClass(list, b); x != y {
				return x - y
			}
			return order(a, b)
		}
	}
	rs, wp := sortBoth(rs, ws, cmp)
	p := ReminderPage{Offset: offset}
	counts := listCounts{list, map[listCount]int{}}
	for i := range rs {
		counts.add(&rs[i])
	}
	counts.fill(&p)
	named := namedPurchases(wp)
	lo, hi := min(offset, len(rs)), min(offset+limit, len(rs))
	rs, wp = rs[lo:hi:hi], wp[lo:hi:hi]
	if err := s.finishNamed(ctx, set, rs, wp, named); err != nil {
		return ReminderPage{}, err
	}
	p.Rows = rs
	return p, nil
}

// kindPlace is k's place in Kinds (len(Kinds) for no kind).
func kindPlace(k rules.Kind) int {
	if i := slices.Index(rules.Kinds, k); i >= 0 {
		return i
	}
	return len(rules.Kinds)
}

// compareDay is a calendar day's order: by kind in the order of Kinds,
// each as DueOn lists the day.
func compareDay(a, b *rules.Reminder) int {
	if x, y := kindPlace(a.Kind), kindPlace(b.Kind); x != y {
		return x - y
	}
	return compareToday(a, b)
}

// calendarDays checks the days a calendar asks for.
func calendarDays(from, to rules.Day) error {
	if to < from {
		return fmt.Errorf("the calendar ends (%s) before it starts (%s)", to, from)
	}
	if to.Sub(from) > 3660 {
		return fmt.Errorf("a calendar covers at most ten years")
	}
	return nil
}

// kindSlots is how many kinds a DayCounts has room for.
const kindSlots = 16

// DayCounts counts a day's reminders by kind: DayCounts[i] is of Kinds[i].
type DayCounts [kindSlots]int

// Of is how many reminders of kind k the day holds.
func (c DayCounts) Of(k rules.Kind) int {
	if i := kindPlace(k); i < kindSlots {
		return c[i]
	}
	return 0
}

// Total is how many reminders the day holds.
func (c DayCounts) Total() int {
	n := 0
	for _, x := range c {
		n += x
	}
	return n
}

// DueCounts counts, for each day in [from, to], the reminders DueOn lists
// that day, by kind: what a month's grid shows, without their words. Days
// with none are left out.
func (s *Store) DueCounts(ctx context.Context, from, to rules.Day) (map[rules.Day]DayCounts, error) {
	if err := calendarDays(from, to); err != nil {
		return nil, err
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	rs, _, err := s.dueRemembered(ctx, set, from, to)
	if err != nil {
		return nil, err
	}
	return dayCounts(rs), nil
}

func dayCounts(rs []rules.Reminder) map[rules.Day]DayCounts {
	out := map[rules.Day]DayCounts{}
	for i := range rs {
		if k := kindPlace(rs[i].Kind); k < kindSlots {
			c := out[rs[i].Due]
			c[k]++
			out[rs[i].Due] = c
		}
	}
	return out
}

// DueDayPage is the list DueOn(d, d) gives for d in the calendar's order
// (by kind in the order of Kinds, each in DueOn's order) from offset on, at
// most limit reminders, with the counts of the whole day: Total, Counts,
// and Groups, one for each kind.
func (s *Store) DueDayPage(ctx context.Context, d rules.Day, offset, limit int) (ReminderPage, error) {
	_, p, err := s.DueMonth(ctx, d, d, d, offset, limit)
	return p, err
}

// DueMonth is DueCounts(from, to) and DueDayPage(d, offset, limit) of a
// day d among them, read together: what the calendar shows of a month,
// the day's list agreeing with its count on the grid.
func (s *Store) DueMonth(ctx context.Context, from, to, d rules.Day, offset, limit int) (map[rules.Day]DayCounts, ReminderPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	if err := calendarDays(from, to); err != nil {
		return nil, ReminderPage{}, err
	}
	if d < from || d > to {
		return nil, ReminderPage{}, fmt.Errorf("the day chosen (%s) is not among the calendar's days (%s to %s)", d, from, to)
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return nil, ReminderPage{}, err
	}
	rs, ws, err := s.dueRemembered(ctx, set, from, to)
	if err != nil {
		return nil, ReminderPage{}, err
	}
	counts := dayCounts(rs)
	var dayRs []rules.Reminder
	var dayWs []messageParts
	for i := range rs {
		if rs[i].Due == d {
			dayRs, dayWs = append(dayRs, rs[i]), append(dayWs, ws[i])
		}
	}
	dayRs, wp := sortBoth(dayRs, dayWs, compareDay)
	p := ReminderPage{Offset: offset, Counts: map[rules.Kind]int{}}
	for _, k := range rules.Kinds {
		if n := counts[d].Of(k); n > 0 {
			p.Total += n
			p.Counts[k] = n
			p.Groups = append(p.Groups, ReminderGroup{Kind: k, Count: n})
		}
	}
	named := namedPurchases(wp)
	lo, hi := min(offset, len(dayRs)), min(offset+limit, len(dayRs))
	dayRs, wp = dayRs[lo:hi:hi], wp[lo:hi:hi]
	if err := s.finishNamed(ctx, set, dayRs, wp, named); err != nil {
		return nil, ReminderPage{}, err
	}
	p.Rows = dayRs
	return counts, p, nil
}
