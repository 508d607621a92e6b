package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"time"
)

// Every figure of the Reports page but the follow-up is a sum over
// customers: how recently each bought (now and at each month-end), whether
// they came back within the year, their complaints, their points. What one
// customer adds to each sum as of a day (their share, reportPart) depends
// on nothing but their own facts, the scheme and the day: Report reads the
// facts once, computes the shares on every processor and adds them up. The
// follow-up (followUpOf) computes every reminder from the same facts.

// reportPart is what one id the facts name adds to the figures of Report
// as of a day.
type reportPart struct {
	customer bool                     // a row of customers: counts in every Total
	now      int8                     // its band as of the day (customers only)
	months   [rules.ReportMonths]int8 // its band at each month-end; bandNever: no sale by then
	base     bool                     // bought in the year before the last twelve months
	kept     bool                     // and again in them
	complain complaintPart            // its complaints of the last twelve months
	balance  int64                    // points up to the day
	liable   rules.Cents              // what its whole rewards would cost
	redeemed int64                    // points redeemed in the last twelve months
	value    rules.Cents              // money off in the last twelve months
	took     []time.Duration          // how long each resolved complaint took
}

type complaintPart struct {
	received, resolved, within24h int64
	complained, boughtAgain       bool
}

// reportTotals are the shares of every id added up.
type reportTotals struct {
	known       int64
	now         [bands]int64
	months      [rules.ReportMonths][bands]int64
	base, kept  int64
	complaints  complaintPart // received, resolved, within24h; complained and boughtAgain counted below
	customers   int64         // customers who complained
	boughtAgain int64
	tookHours   []float64
	outstanding int64 // points held, by those holding any
	holders     int64
	liability   rules.Cents
	redeemed    int64
	value       rules.Cents
}

// add adds p's share.
func (t *reportTotals) add(p *reportPart) {
	if p.customer {
		t.known++
		t.now[p.now]++
	}
	for i, b := range p.months {
		if b != bandNever {
			t.months[i][b]++
		}
	}
	if p.base {
		t.base++
		t.kept += int64(boolInt(p.kept))
	}
	c := &p.complain
	t.complaints.received += c.received
	t.complaints.resolved += c.resolved
	t.complaints.within24h += c.within24h
	if c.complained {
		t.customers++
		t.boughtAgain += int64(boolInt(c.boughtAgain))
	}
	for _, d := range p.took {
		t.tookHours = append(t.tookHours, d.Hours())
	}
	if p.balance > 0 {
		t.outstanding += p.balance
		t.holders++
		t.liability += p.liable
	}
	t.redeemed += p.redeemed
	t.value += p.value
}

// fill puts the figures but the follow-up into r (of r.Day, with
// r.Points' days and scheme set). Money off walk-ins' sales is not among
// the shares: the caller adds it.
func (t *reportTotals) fill(r *rules.Report) {
	day := r.Day
	total := int(t.known)
	r.Now = rules.Activity{Total: total}
	for b, n := range t.now {
		addBand(&r.Now, int8(b), int(n))
	}
	r.Months = make([]rules.MonthActivity, rules.ReportMonths)
	for i, end := range rules.MonthEnds(day, rules.ReportMonths) {
		a := rules.Activity{Total: total}
		for b, n := range t.months[i] {
			if int8(b) != bandNever {
				addBand(&a, int8(b), int(n))
			}
		}
		a.Never = a.Total - a.Active - a.Lapsing - a.Drifting - a.Lost
		r.Months[i] = rules.MonthActivity{MonthEnd: end, Activity: a}
	}
	r.Retention = rules.Retention{From: day.AddMonths(-12).AddDays(1), To: day, Base: int(t.base), Kept: int(t.kept)}
	r.Complaints = rules.ComplaintReport{From: day.AddMonths(-12).AddDays(1), To: day,
		Received: int(t.complaints.received), Resolved: int(t.complaints.resolved), Within24h: int(t.complaints.within24h),
		MedianHours: rules.Median(t.tookHours), Customers: int(t.customers), BoughtAgain: int(t.boughtAgain)}
	p := &r.Points
	p.Outstanding, p.Holders, p.Liability = t.outstanding, int(t.holders), t.liability
	p.Redeemed, p.RedeemedValue = t.redeemed, t.value
}

// reportShares is every share computed from the facts as of a day.
type reportShares struct {
	rf    *reportFacts
	ids   []rules.ID // the id of each part
	parts []reportPart
}

// reportComplaints are the complaints of the twelve months up to a day,
// counted by customer.
type reportComplaints struct {
	by    map[rules.ID]*complaintTally
	order []rules.ID // complaining ids in the order first met
}

// readReportComplaints reads the complaints of the twelve months up to day.
func (s *Store) readReportComplaints(ctx context.Context, day rules.Day) (*reportComplaints, error) {
	c := &reportComplaints{by: map[rules.ID]*complaintTally{}}
	err := s.eachComplaint(ctx, day, func(id rules.ID, receivedAt, receivedOn string, resolvedOn sql.NullString, resolvedAt string) error {
		t := c.by[id]
		if t == nil {
			t = newComplaintTally(day)
			c.by[id] = t
			c.order = append(c.order, id)
		}
		return t.add(id, receivedAt, receivedOn, resolvedOn, resolvedAt)
	})
	return c, err
}

// reportParts computes, as of day, the share of every id the facts or the
// complaints name; liability is at scheme.
func reportParts(rf *reportFacts, cs *reportComplaints, day rules.Day, scheme rules.Loyalty) *reportShares {
	complaints, order := cs.by, cs.order
	from := day.AddMonths(-12).AddDays(1)
	n := len(rf.slots.ids)
	sh := &reportShares{rf: rf, ids: slices.Clone(rf.slots.ids), parts: make([]reportPart, n)}
	for _, id := range order {
		if _, ok := rf.slots.get(id); !ok {
			sh.ids = append(sh.ids, id) // complaints of an id nothing else names
			sh.parts = append(sh.parts, reportPart{})
		}
	}
	w := shareWork{rf: rf, day: day, from: from, scheme: scheme, complaints: complaints}
	w.ends = rules.MonthEnds(day, rules.ReportMonths)
	w.prevFrom = day.AddMonths(-24).AddDays(1)
	atOnce(len(sh.parts), func(_, from, to int) {
		for i := from; i < to; i++ {
			w.share(&sh.parts[i], sh.ids[i], i)
		}
	})
	return sh
}

// shareWork is what computing one share reads.
type shareWork struct {
	rf                  *reportFacts
	day, from, prevFrom rules.Day
	ends                []rules.Day
	scheme              rules.Loyalty
	complaints          map[rules.ID]*complaintTally
}

// share computes p, the share of id (slot i of the facts, when there is
// one).
func (w *shareWork) share(p *reportPart, id rules.ID, i int) {
	rf := w.rf
	var ps []factPurchase
	if i < len(rf.slots.ids) {
		ps = rf.facts[i].Purchases
		p.customer = i < rf.known
		if p.customer {
			p.now = activityBand(lastSale(ps, w.day), w.day)
		}
		monthLasts(ps, w.ends, func(m int, last rules.Day) { p.months[m] = activityBand(last, w.ends[m]) })
		p.base, p.kept = retained(ps, w.prevFrom, w.from, w.day)
		p.balance = rf.balance[i]
		if w.scheme.RewardPoints > 0 {
			held := rules.PointsReport{Scheme: w.scheme}
			held.Hold(p.balance)
			p.liable = held.Liability
		}
		p.redeemed = rf.redeemedBy[i]
		p.value = rf.valueBy[i]
	}
	if t := w.complaints[id]; t != nil {
		countBoughtAgain(&t.rep, t.first, w.day, func(rules.ID) []factPurchase { return ps })
		p.complain = complaintPart{received: int64(t.rep.Received), resolved: int64(t.rep.Resolved), within24h: int64(t.rep.Within24h),
			complained: len(t.first) > 0, boughtAgain: t.rep.BoughtAgain > 0}
		p.took = t.took
	}
}

// totals adds up every share.
func (sh *reportShares) totals() *reportTotals {
	t := &reportTotals{}
	for i := range sh.parts {
		t.add(&sh.parts[i])
	}
	return t
}
