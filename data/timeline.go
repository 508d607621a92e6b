package data

import (
	"cmp"
	"regulars/rules"
	"slices"
	"time"
)

// TimelineKind says what a line of a customer's timeline is about.
type TimelineKind string

const (
	TimelineSale      TimelineKind = "sale"      // a purchase, or a refund of one
	TimelineContact   TimelineKind = "contact"   // a contact that completed no reminder listed
	TimelinePromise   TimelineKind = "promise"   // a promise, with its state
	TimelineComplaint TimelineKind = "complaint" // a complaint, with its state
	TimelineOccasion  TimelineKind = "occasion"  // an occasion, on its date this year
	TimelineReminder  TimelineKind = "reminder"  // a reminder, with the contact that completed it
	TimelinePoints    TimelineKind = "points"    // an adjustment or expiry of points
)

// TimelineEntry is one line of a customer's timeline: one fact, with what
// belongs to it on the same line (a sale's points, the contact that
// completed a reminder).
type TimelineEntry struct {
	Kind TimelineKind
	Day  rules.Day
	At   time.Time // when it happened, where that is known: orders lines of one day
	// Open marks a promise not yet kept or a complaint not yet resolved:
	// they head the timeline, oldest first. Late marks an open promise past
	// its due day.
	Open, Late bool

	Purchase *rules.Purchase
	// Earned and Redeemed are the points of a sale's day: what it earned
	// (less what a refund or void took back) and what was redeemed on it.
	Earned, Redeemed int64
	Ledger           *rules.LedgerRow // an adjustment or expiry
	// Contact is the contact of a TimelineContact line, or the one that
	// completed a reminder. Handled is the reminder a contact completed
	// when the rules no longer give it (a promise once kept), so the line
	// can still name it.
	Contact   *rules.Contact
	Handled   *rules.ReminderKey
	Promise   *rules.Promise
	Complaint *rules.Complaint
	Occasion  *rules.Occasion
	Reminder  *rules.Reminder
}

// Timeline puts what a customer's page read into one list: open promises
// and complaints first (oldest first), then everything else newest first.
// Each fact is one line: a promise or complaint is never listed again as
// its open reminder, a sale carries its points, and a contact that
// completed a reminder listed is on that reminder's line.
func Timeline(p CustomerPage, today rules.Day) []TimelineEntry {
	var out []TimelineEntry
	earned := map[rules.ID]int64{}
	redeemed := map[rules.ID]int64{}
	for i := range p.Ledger {
		l := &p.Ledger[i]
		switch {
		case l.PurchaseID != 0 && l.Kind == rules.LedgerRedeem:
			redeemed[l.PurchaseID] -= l.Points
		case l.PurchaseID != 0:
			earned[l.PurchaseID] += l.Points
		case l.Kind == rules.LedgerAdjustment || l.Kind == rules.LedgerExpiry:
			out = append(out, TimelineEntry{Kind: TimelinePoints, Day: l.Day, At: l.At, Ledger: l})
		}
	}
	for i := range p.Purchases {
		pu := &p.Purchases[i]
		out = append(out, TimelineEntry{Kind: TimelineSale, Day: pu.Day, At: pu.At, Purchase: pu,
			Earned: earned[pu.ID], Redeemed: redeemed[pu.ID]})
	}

	// Reminders listed; those of promises and complaints only once handled
	// (the follow-up made), as the promise or complaint line says the rest.
	byKey := map[string]int{}
	for i := range p.Reminders {
		r := &p.Reminders[i]
		if (r.Kind == rules.KindPromise || r.Kind == rules.KindComplaintFollowup) && !handled(r.State) {
			continue
		}
		byKey[r.Key] = len(out)
		out = append(out, TimelineEntry{Kind: TimelineReminder, Day: r.Due, Reminder: r})
	}
	listed := map[string]bool{}
	for i := range p.Reminders {
		listed[p.Reminders[i].Key] = true
	}
	for i := range p.Contacts {
		c := &p.Contacts[i]
		if at, ok := byKey[c.ReminderKey]; ok && c.ReminderKey != "" && out[at].Contact == nil {
			out[at].Contact = c
			continue
		}
		e := TimelineEntry{Kind: TimelineContact, Day: c.Day, At: c.At, Contact: c}
		if k, err := rules.ParseReminderKey(c.ReminderKey); err == nil && !listed[c.ReminderKey] {
			e.Handled = &k
		}
		out = append(out, e)
	}
	for i := range p.Complaints {
		k := &p.Complaints[i]
		out = append(out, TimelineEntry{Kind: TimelineComplaint, Day: k.Received, At: k.ReceivedAt, Complaint: k,
			Open: k.OpenOn(today)})
	}
	for i := range p.Promises {
		pr := &p.Promises[i]
		open := pr.KeptOn.IsZero() || pr.KeptOn > today
		out = append(out, TimelineEntry{Kind: TimelinePromise, Day: pr.MadeOn, Promise: pr, Open: open, Late: open && pr.Due < today})
	}
	for i := range p.Occasions {
		o := &p.Occasions[i]
		out = append(out, TimelineEntry{Kind: TimelineOccasion, Day: o.Date.In(today.Year()), Occasion: o})
	}
	slices.SortStableFunc(out, compareTimeline)
	return out
}

// handled says whether a reminder in state s was done, skipped or missed.
func handled(s rules.State) bool {
	return s == rules.StateDone || s == rules.StateSkipped || s == rules.StateMissed
}

// compareTimeline orders open obligations first, by the day they are about
// (a promise's due day, a complaint's day received), then the rest newest
// first, by day and then by time where known.
func compareTimeline(a, b TimelineEntry) int {
	if a.Open != b.Open {
		if a.Open {
			return -1
		}
		return 1
	}
	if a.Open {
		return cmp.Compare(a.openDay(), b.openDay())
	}
	if c := cmp.Compare(b.Day, a.Day); c != 0 {
		return c
	}
	return b.At.Compare(a.At)
}

func (e TimelineEntry) openDay() rules.Day {
	if e.Promise != nil {
		return e.Promise.Due
	}
	return e.Day
}

// Till is the till the line's fact was made at: a sale's, a points row's,
// a contact's; "" when the line has none or it was made before tills had
// names.
func (e TimelineEntry) Till() string {
	switch {
	case e.Purchase != nil:
		return e.Purchase.Till
	case e.Ledger != nil:
		return e.Ledger.Till
	case e.Contact != nil:
		return e.Contact.Till
	}
	return ""
}
