package data

import (
	"cmp"
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"time"
)

// Activity bands, as activityBand gives them.
const (
	bandNever int8 = iota
	bandActive
	bandLapsing
	bandDrifting
	bandLost
	bands
)

// activityBand is the band of a customer whose latest sale as of end was
// on last.
func activityBand(last, end rules.Day) int8 {
	switch age := end.Sub(last); {
	case last.IsZero():
		return bandNever
	case age < 90:
		return bandActive
	case age < 180:
		return bandLapsing
	case age < 365:
		return bandDrifting
	default:
		return bandLost
	}
}

// addBand counts n customers of band b.
func addBand(a *rules.Activity, b int8, n int) {
	switch b {
	case bandNever:
		a.Never += n
	case bandActive:
		a.Active += n
	case bandLapsing:
		a.Lapsing += n
	case bandDrifting:
		a.Drifting += n
	case bandLost:
		a.Lost += n
	}
}

// tally adds one reminder's outcome to the counters.
func tally(r rules.Reminder, onTime, late, skipped, missed, open *int) {
	switch r.State {
	case rules.StateDone:
		if r.DoneOn <= r.Due {
			*onTime++
		} else {
			*late++
		}
	case rules.StateSkipped:
		*skipped++
	case rules.StateMissed:
		*missed++
	default:
		*open++
	}
}

// HandledOn lists the reminders done or skipped on day d, customer by
// customer, the latest due first: HandledPage's rows in another order.
func (s *Store) HandledOn(ctx context.Context, d rules.Day) ([]rules.Reminder, error) {
	p, err := s.HandledPage(ctx, d, 0, -1)
	if err != nil || len(p.Rows) == 0 {
		return nil, err
	}
	slices.SortStableFunc(p.Rows, func(a, b rules.Reminder) int {
		if a.CustomerID != b.CustomerID {
			return cmpID(a.CustomerID, b.CustomerID)
		}
		return -compareByDue(&a, &b)
	})
	return p.Rows, nil
}

// lastSale is the day of the latest sale among ps (in day order) on or
// before d, or zero. Refunds are not visits.
func lastSale(ps []factPurchase, d rules.Day) rules.Day {
	i, _ := slices.BinarySearchFunc(ps, d+1, func(p factPurchase, d rules.Day) int { return int(p.Day) - int(d) })
	for i--; i >= 0; i-- {
		if ps[i].Amount > 0 {
			return ps[i].Day
		}
	}
	return 0
}

// saleBetween reports a sale from from to to (inclusive) among ps.
func saleBetween(ps []factPurchase, from, to rules.Day) bool {
	i, _ := slices.BinarySearchFunc(ps, from, func(p factPurchase, d rules.Day) int { return int(p.Day) - int(d) })
	for ; i < len(ps) && ps[i].Day <= to; i++ {
		if ps[i].Amount > 0 {
			return true
		}
	}
	return false
}

// monthLasts calls fn with the latest sale among ps (in day order) on or
// before each of ends that has one: one walk serves every month-end.
func monthLasts(ps []factPurchase, ends []rules.Day, fn func(i int, last rules.Day)) {
	var last rules.Day
	j := 0
	for i, end := range ends {
		for ; j < len(ps) && ps[j].Day <= end; j++ {
			if ps[j].Amount > 0 {
				last = ps[j].Day
			}
		}
		if !last.IsZero() {
			fn(i, last)
		}
	}
}

// retained says whether a customer with purchases ps bought from prevFrom
// to the day before from (base), and if so whether again from from to to.
func retained(ps []factPurchase, prevFrom, from, to rules.Day) (base, kept bool) {
	if saleBetween(ps, prevFrom, from.AddDays(-1)) {
		return true, saleBetween(ps, from, to)
	}
	return false, false
}

// complaintTally counts complaints as the complaints report does: took
// holds how long each resolved one took to resolve.
type complaintTally struct {
	day   rules.Day
	rep   rules.ComplaintReport
	first map[rules.ID]rules.Day
	took  []time.Duration
}

func newComplaintTally(day rules.Day) *complaintTally {
	return &complaintTally{day: day, rep: rules.ComplaintReport{From: day.AddMonths(-12).AddDays(1), To: day}, first: map[rules.ID]rules.Day{}}
}

// add counts one complaint of customer id received in the twelve months.
func (t *complaintTally) add(id rules.ID, receivedAt, receivedOn string, resolvedOn sql.NullString, resolvedAt string) error {
	t.rep.Received++
	received, err := rules.ParseDay(receivedOn)
	if err != nil {
		return err
	}
	if f, ok := t.first[id]; !ok || received < f {
		t.first[id] = received
	}
	resolved := scanDay(resolvedOn)
	if resolved.IsZero() || resolved > t.day {
		return nil
	}
	t.rep.Resolved++
	from := parseInstant(receivedAt)
	to := parseInstant(resolvedAt)
	if to.IsZero() {
		to = from.AddDate(0, 0, resolved.Sub(received))
	}
	d := to.Sub(from)
	t.took = append(t.took, d)
	if d.Hours() <= 24 {
		t.rep.Within24h++
	}
	return nil
}

// eachComplaint hands fn every complaint received in the twelve months up
// to day, in id order.
func (s *Store) eachComplaint(ctx context.Context, day rules.Day,
	fn func(id rules.ID, receivedAt, receivedOn string, resolvedOn sql.NullString, resolvedAt string) error) error {
	return s.eachRow(ctx, `SELECT customer_id, received_at, received_on, resolved_on, coalesce(resolved_at, '')
		FROM complaints WHERE received_on >= ? AND received_on <= ? ORDER BY id`, []any{day.AddMonths(-12).AddDays(1).String(), day.String()},
		func(r *sql.Rows) error {
			var id rules.ID
			var receivedAt, receivedOn, resolvedAt string
			var resolvedOn sql.NullString
			if err := r.Scan(&id, &receivedAt, &receivedOn, &resolvedOn, &resolvedAt); err != nil {
				return err
			}
			return fn(id, receivedAt, receivedOn, resolvedOn, resolvedAt)
		})
}

// countBoughtAgain counts the customers who bought on a day after their
// first complaint, up to day; sales gives a customer's purchases in day order.
func countBoughtAgain(c *rules.ComplaintReport, first map[rules.ID]rules.Day, day rules.Day, sales func(rules.ID) []factPurchase) {
	for id, d := range first {
		if saleBetween(sales(id), d.AddDays(1), day) {
			c.BoughtAgain++
		}
	}
}

// PointsReport reports the points held on day and redeemed in the twelve
// months up to it.
func (s *Store) PointsReport(ctx context.Context, day rules.Day) (rules.PointsReport, error) {
	rep := rules.PointsReport{From: day.AddMonths(-12).AddDays(1), To: day}
	l, err := s.scheme(ctx)
	if err != nil {
		return rep, err
	}
	rep.Scheme = l
	var sums map[rules.ID]int64
	err = parallel(func() (err error) {
		sums, err = s.balancesAsOf(ctx, day)
		return err
	}, func() error {
		return s.redeemed(ctx, &rep)
	})
	if err != nil {
		return rep, err
	}
	for _, b := range sums {
		rep.Hold(b)
	}
	return rep, nil
}

// redeemed reads the points redeemed from From to To on sales not voided
// and the money off those sales.
func (s *Store) redeemed(ctx context.Context, p *rules.PointsReport) error {
	err := s.reader().QueryRowContext(ctx, `SELECT coalesce(-sum(l.points), 0) FROM ledger l JOIN purchases p ON p.id = l.purchase_id
		WHERE l.kind = 'redeem' AND p.voided = 0 AND l.day >= ? AND l.day <= ?`, p.From.String(), p.To.String()).Scan(&p.Redeemed)
	if err != nil {
		return s.explain(err)
	}
	err = s.reader().QueryRowContext(ctx, `SELECT coalesce(sum(discount_cents), 0) FROM purchases
		WHERE voided = 0 AND discount_cents > 0 AND day >= ? AND day <= ?`, p.From.String(), p.To.String()).Scan(&p.RedeemedValue)
	return s.explain(err)
}

// Report gathers every report as of day (normally today), with the top
// customers by what they spent. The shop is read once for all of them.
func (s *Store) Report(ctx context.Context, day rules.Day, top int) (rules.Report, error) {
	return s.ReportAsReady(ctx, day, top, nil)
}

// ReportAsReady is Report, handing first (when not nil) every figure but
// the follow-up as soon as those are added up: they need the sales, the
// points, the customers and the complaints, while the follow-up computes
// every reminder since the shop began from those and the stored reminder
// states and smaller tables besides. first's FollowUp holds only its Since.
func (s *Store) ReportAsReady(ctx context.Context, day rules.Day, top int, first func(rules.Report)) (rules.Report, error) {
	r := rules.Report{Day: day}
	since, err := s.CreatedOn(ctx)
	if err != nil {
		return r, err
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return r, err
	}
	r.Points = rules.PointsReport{From: day.AddMonths(-12).AddDays(1), To: day}
	if r.Points.Scheme, err = s.scheme(ctx); err != nil {
		return r, err
	}
	// The tables are read in two lanes, each on a reader connection of its
	// own, so that two processors stay busy: the sales in one; the
	// customers, the ledger and the complaints in the other. Each lane
	// then goes on to what the follow-up alone reads, the smaller tables
	// and the reminder states, while the first figures are added up.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := newFactRows(day, r.Points.From)
	small := newFactRows(day, 0)
	var complaints *reportComplaints
	var states *followStates
	read, follow := make(chan error, 2), make(chan error, 2)
	lane := func(forFigures, forFollowUp func() error) {
		err := forFigures()
		read <- err
		if err == nil {
			err = forFollowUp()
		}
		follow <- err
	}
	go lane(func() error { return s.readPurchaseRows(ctx, rows) },
		func() error { return s.readRuleFacts(ctx, small) })
	go lane(func() (err error) {
		if err = s.readCustomerRows(ctx, rows); err == nil {
			if err = s.readLedgerRows(ctx, rows); err == nil {
				complaints, err = s.readReportComplaints(ctx, day)
			}
		}
		return err
	}, func() (err error) {
		states, err = s.readFollowStates(ctx, since, day)
		return err
	})
	waitFollow := func() error { return cmp.Or(<-follow, <-follow) }
	// On an error the lanes are stopped and waited for: nothing outlives
	// the call.
	fail := func(err error) (rules.Report, error) {
		cancel()
		waitFollow()
		return r, err
	}
	if err := cmp.Or(<-read, <-read); err != nil {
		return fail(err)
	}
	// Top customers are as of today, whatever day the report is for.
	topHere := day == s.Today()
	var rf *reportFacts
	err = parallel(func() (err error) {
		rf, err = s.reportFactsOf(ctx, rows)
		return err
	}, func() (err error) {
		if !topHere {
			r.Top, err = s.TopCustomers(ctx, top)
		}
		return err
	})
	if err != nil {
		return fail(err)
	}
	sh := reportParts(rf, complaints, day, r.Points.Scheme)
	sh.totals().fill(&r)
	r.Points.RedeemedValue += rf.walkInValue
	r.FollowUp = rules.FollowUpReport{Since: since}
	if topHere {
		if r.Top, err = s.topFrom(ctx, rf, top); err != nil {
			return fail(err)
		}
	}
	if first != nil {
		first(r)
	}
	if err := waitFollow(); err != nil {
		return r, err
	}
	rf.addRuleFacts(small)
	r.FollowUp = followUpOf(rf, set.engine, states, since, day)
	return r, nil
}
