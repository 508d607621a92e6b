package data

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"regulars/rules"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Activity counts customers by how recently they bought.
type Activity struct {
	Total    int
	Active   int // bought in the last 90 days
	Lapsing  int // last bought 90–180 days ago
	Drifting int // last bought 180–365 days ago
	Lost     int // last bought over a year ago
	Never    int // never bought
}

// CustomerActivity counts customers by their latest purchase as of day.
func (s *Store) CustomerActivity(ctx context.Context, day rules.Day) (Activity, error) {
	rf, err := s.readReportFacts(ctx, day, factsWanted{})
	if err != nil {
		return Activity{}, err
	}
	return rf.activity(day), nil
}

// activity counts the customers on the books by their latest sale on or
// before end.
func (rf *reportFacts) activity(end rules.Day) Activity {
	a := Activity{Total: rf.known}
	for sl := range rf.known {
		a.count(lastSale(rf.facts[sl].Purchases, end), end)
	}
	return a
}

// count adds a customer whose latest sale as of end was on last.
func (a *Activity) count(last, end rules.Day) { a.add(activityBand(last, end), 1) }

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

// add counts n customers of band b.
func (a *Activity) add(b int8, n int) {
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

// FollowUpRow is how one kind of reminder was handled.
type FollowUpRow struct {
	Kind    rules.Kind
	OnTime  int // done on or before the due day
	Late    int // done after the due day
	Skipped int
	Missed  int // left the list unhandled
	Open    int // still on the list
}

// StaffFollowUpRow is how the reminders one person last touched were
// handled. Staff is "" for reminders nobody touched: most missed ones.
type StaffFollowUpRow struct {
	Staff   string
	OnTime  int
	Late    int
	Skipped int
	Missed  int
	Open    int
}

// FollowUpReport counts reminders due from Since (the day the database was
// created) up to the report's day, by kind and by the staff member on the
// reminder's stored state.
type FollowUpReport struct {
	Since   rules.Day
	ByKind  []FollowUpRow      // every kind, in the rules table's order
	ByStaff []StaffFollowUpRow // by name; "" (nobody) last
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

// FollowUpReport counts how reminders due from the day the database was
// created up to day were handled, per kind and per staff member.
func (s *Store) FollowUpReport(ctx context.Context, day rules.Day) (FollowUpReport, error) {
	since, err := s.CreatedOn(ctx)
	if err != nil {
		return FollowUpReport{}, err
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return FollowUpReport{Since: since}, err
	}
	var rf *reportFacts
	var states *followStates
	err = parallel(func() (err error) {
		rf, err = s.readReportFacts(ctx, day, factsWanted{rules: true})
		return err
	}, func() (err error) {
		states, err = s.readFollowStates(ctx, since, day)
		return err
	})
	if err != nil {
		return FollowUpReport{Since: since}, err
	}
	return followUpOf(rf, set.engine, states, since, day), nil
}

// FollowUp counts how reminders due from the day the database was created
// up to day were handled, per kind. It returns the day counting starts.
func (s *Store) FollowUp(ctx context.Context, day rules.Day) ([]FollowUpRow, rules.Day, error) {
	rep, err := s.FollowUpReport(ctx, day)
	if err != nil {
		return nil, rep.Since, err
	}
	return rep.ByKind, rep.Since, nil
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

// MonthActivity is the customer activity as it stood at the end of a month.
type MonthActivity struct {
	MonthEnd rules.Day
	Activity
}

// MonthEnds lists the last n month-ends on or before day, oldest first;
// day itself counts when it is the last day of its month.
func MonthEnds(day rules.Day, n int) []rules.Day {
	y, m, _ := day.Date()
	end := rules.NewDay(y, m, 1).AddDays(-1)
	if _, _, next := day.AddDays(1).Date(); next == 1 {
		end = day
	}
	out := make([]rules.Day, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = end
		ey, em, _ := end.Date()
		end = rules.NewDay(ey, em, 1).AddDays(-1)
	}
	return out
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

// ActivityByMonth is CustomerActivity at each of the last n month-ends on
// or before day, oldest first: the trend of active, lapsing, drifting and
// lost customers.
func (s *Store) ActivityByMonth(ctx context.Context, day rules.Day, n int) ([]MonthActivity, error) {
	if n <= 0 {
		return nil, nil
	}
	rf, err := s.readReportFacts(ctx, day, factsWanted{})
	if err != nil {
		return nil, err
	}
	return rf.activityByMonth(day, n), nil
}

// activityByMonth counts, at each month-end, every customer with a sale
// by then (whoever the sale names) against all the customers there are.
func (rf *reportFacts) activityByMonth(day rules.Day, n int) []MonthActivity {
	ends := MonthEnds(day, n)
	out := make([]MonthActivity, len(ends))
	for i, end := range ends {
		out[i] = MonthActivity{MonthEnd: end, Activity: Activity{Total: rf.known}}
	}
	for sl := range rf.facts {
		monthLasts(rf.facts[sl].Purchases, ends, func(i int, last rules.Day) { out[i].count(last, ends[i]) })
	}
	for i := range out {
		a := &out[i].Activity
		a.Never = a.Total - a.Active - a.Lapsing - a.Drifting - a.Lost
	}
	return out
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

// RetentionBenchmark is the share of its customers an average shop keeps
// from one year to the next: it loses about a fifth.
const RetentionBenchmark = 0.80

// Retention is the yearly retention rate: of the customers who bought in
// the year before From, how many bought again from From to To.
type Retention struct {
	From, To rules.Day // the last twelve months, both days included
	Base     int       // customers who bought in the twelve months before From
	Kept     int       // of those, customers who bought again from From to To
}

// Rate is Kept as a share of Base, 0 when there is no base.
func (r Retention) Rate() float64 {
	if r.Base == 0 {
		return 0
	}
	return float64(r.Kept) / float64(r.Base)
}

// Retention computes the yearly retention rate as of day.
func (s *Store) Retention(ctx context.Context, day rules.Day) (Retention, error) {
	rf, err := s.readReportFacts(ctx, day, factsWanted{})
	if err != nil {
		return Retention{}, err
	}
	return rf.retention(day), nil
}

func (rf *reportFacts) retention(day rules.Day) Retention {
	r := Retention{From: day.AddMonths(-12).AddDays(1), To: day}
	prevFrom := day.AddMonths(-24).AddDays(1)
	for sl := range rf.facts {
		base, kept := retained(rf.facts[sl].Purchases, prevFrom, r.From, r.To)
		r.Base += boolInt(base)
		r.Kept += boolInt(kept)
	}
	return r
}

// retained says whether a customer with purchases ps bought from prevFrom
// to the day before from (base), and if so whether again from from to to.
func retained(ps []factPurchase, prevFrom, from, to rules.Day) (base, kept bool) {
	if saleBetween(ps, prevFrom, from.AddDays(-1)) {
		return true, saleBetween(ps, from, to)
	}
	return false, false
}

// ComplaintReport is how complaints received in the last twelve months
// were handled.
type ComplaintReport struct {
	From, To  rules.Day // complaints received on these days and between count
	Received  int
	Resolved  int // of those, resolved by To
	Within24h int // resolved no more than 24 hours after being received
	// MedianHours is the median time from receiving to resolving, over the
	// resolved ones; 0 when none is resolved. A complaint whose resolution
	// has only a day (resolved before times were kept, or entered after the
	// event) counts whole days from the time it was received.
	MedianHours float64
	Customers   int // customers who complained
	BoughtAgain int // of those, customers who bought on a day after their first complaint
}

// ResolvedShare is the share of complaints received that were resolved
// within 24 hours.
func (c ComplaintReport) ResolvedShare() float64 {
	if c.Received == 0 {
		return 0
	}
	return float64(c.Within24h) / float64(c.Received)
}

// ComplaintReport reports on the complaints received in the twelve months up to day.
func (s *Store) ComplaintReport(ctx context.Context, day rules.Day) (ComplaintReport, error) {
	rep, first, err := s.complaintCounts(ctx, day)
	if err != nil || len(first) == 0 {
		return rep, err
	}
	ids := make([]rules.ID, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	sales, err := s.salesOf(ctx, ids, day)
	if err != nil {
		return rep, err
	}
	rep.countBoughtAgain(first, day, func(id rules.ID) []factPurchase { return sales[id] })
	return rep, nil
}

// complaintCounts counts the complaints received in the twelve months up
// to day; first is each complaining customer's first complaint among them.
func (s *Store) complaintCounts(ctx context.Context, day rules.Day) (ComplaintReport, map[rules.ID]rules.Day, error) {
	t := newComplaintTally(day)
	if err := s.eachComplaint(ctx, nil, nil, day, t.add); err != nil {
		return t.rep, nil, err
	}
	hours := make([]float64, len(t.took))
	for i, d := range t.took {
		hours[i] = d.Hours()
	}
	t.rep.MedianHours = median(hours)
	t.rep.Customers = len(t.first)
	return t.rep, t.first, nil
}

// complaintTally counts complaints as the complaints report does: took
// holds how long each resolved one took to resolve.
type complaintTally struct {
	day   rules.Day
	rep   ComplaintReport
	first map[rules.ID]rules.Day
	took  []time.Duration
}

func newComplaintTally(day rules.Day) *complaintTally {
	return &complaintTally{day: day, rep: ComplaintReport{From: day.AddMonths(-12).AddDays(1), To: day}, first: map[rules.ID]rules.Day{}}
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
// to day, in id order, through db (nil: the readers); of the customers in
// ids only, when ids is not nil.
func (s *Store) eachComplaint(ctx context.Context, db querier, ids []rules.ID, day rules.Day,
	fn func(id rules.ID, receivedAt, receivedOn string, resolvedOn sql.NullString, resolvedAt string) error) error {
	if db == nil {
		db = s.reader()
	}
	from := day.AddMonths(-12).AddDays(1)
	q := `SELECT customer_id, received_at, received_on, resolved_on, coalesce(resolved_at, '')
		FROM complaints WHERE received_on >= ? AND received_on <= ?`
	each := func(cond string, args []any) error {
		rows, err := db.QueryContext(ctx, q+cond+" ORDER BY id", append([]any{from.String(), day.String()}, args...)...)
		if err != nil {
			return s.explain(err)
		}
		return s.explain(eachRow(rows, func(r *sql.Rows) error {
			var id rules.ID
			var receivedAt, receivedOn, resolvedAt string
			var resolvedOn sql.NullString
			if err := r.Scan(&id, &receivedAt, &receivedOn, &resolvedOn, &resolvedAt); err != nil {
				return err
			}
			return fn(id, receivedAt, receivedOn, resolvedOn, resolvedAt)
		}))
	}
	if ids == nil {
		return each("", nil)
	}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		if err := each(" AND customer_id IN (?"+strings.Repeat(",?", len(part)-1)+")", idArgs(part)); err != nil {
			return err
		}
	}
	return nil
}

// countBoughtAgain counts the customers who bought on a day after their
// first complaint, up to day; sales gives a customer's purchases in day order.
func (c *ComplaintReport) countBoughtAgain(first map[rules.ID]rules.Day, day rules.Day, sales func(rules.ID) []factPurchase) {
	for id, d := range first {
		if saleBetween(sales(id), d.AddDays(1), day) {
			c.BoughtAgain++
		}
	}
}

// salesOf reads the sales up to day of a few customers along the customer
// index, in day order.
func (s *Store) salesOf(ctx context.Context, ids []rules.ID, day rules.Day) (map[rules.ID][]factPurchase, error) {
	out := map[rules.ID][]factPurchase{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := []any{day.String()}
		for _, id := range part {
			args = append(args, id)
		}
		err := s.scanEach(ctx, `SELECT customer_id, day FROM purchases WHERE amount_cents > 0 AND voided = 0 AND day <= ?
			AND customer_id IN (?`+strings.Repeat(",?", len(part)-1)+`) ORDER BY customer_id, day`, args,
			func(r *sql.Rows, d *sql.RawBytes) error {
				var id rules.ID
				if err := r.Scan(&id, d); err != nil {
					return err
				}
				out[id] = append(out[id], factPurchase{Day: dayFromBytes(*d), Amount: 1})
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// median of v (sorted in place); the mean of the middle two for an even count.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// PointsReport is the loyalty scheme's standing as of To.
type PointsReport struct {
	From, To    rules.Day
	Outstanding int64 // points customers hold
	Holders     int   // customers holding any
	// Liability is what the points held would cost if spent: whole rewards
	// per customer at the current scheme. A part of a reward (150 points at
	// 100 per reward is one reward) counts nothing, since it cannot be
	// redeemed.
	Liability     rules.Cents
	Redeemed      int64       // points redeemed on sales from From to To, voided sales not counted
	RedeemedValue rules.Cents // the money off those sales
	Scheme        rules.Loyalty
}

// PointsReport reports the points held on day and redeemed in the twelve
// months up to it.
func (s *Store) PointsReport(ctx context.Context, day rules.Day) (PointsReport, error) {
	rep := PointsReport{From: day.AddMonths(-12).AddDays(1), To: day}
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
		rep.hold(b)
	}
	return rep, nil
}

// hold counts one customer's balance.
func (p *PointsReport) hold(b int64) {
	if b > 0 {
		p.Outstanding += b
		p.Holders++
		p.Liability += rules.Cents(b/p.Scheme.RewardPoints) * p.Scheme.RewardValue
	}
}

// redeemed reads the points redeemed from From to To on sales not voided
// and the money off those sales.
func (s *Store) redeemed(ctx context.Context, p *PointsReport) error {
	err := s.reader().QueryRowContext(ctx, `SELECT coalesce(-sum(l.points), 0) FROM ledger l JOIN purchases p ON p.id = l.purchase_id
		WHERE l.kind = 'redeem' AND p.voided = 0 AND l.day >= ? AND l.day <= ?`, p.From.String(), p.To.String()).Scan(&p.Redeemed)
	if err != nil {
		return s.explain(err)
	}
	err = s.reader().QueryRowContext(ctx, `SELECT coalesce(sum(discount_cents), 0) FROM purchases
		WHERE voided = 0 AND discount_cents > 0 AND day >= ? AND day <= ?`, p.From.String(), p.To.String()).Scan(&p.RedeemedValue)
	return s.explain(err)
}

// Report is every figure of the Reports page as of Day.
type Report struct {
	Day        rules.Day
	Now        Activity
	Months     []MonthActivity // the last twelve month-ends
	Retention  Retention
	FollowUp   FollowUpReport
	Complaints ComplaintReport
	Points     PointsReport
	Top        []TopCustomer
}

// ReportMonths is how many month-ends the activity trend shows.
const ReportMonths = 12

// Report gathers every report as of day (normally today), with the top
// customers by what they spent. The shop is read once for all of them.
func (s *Store) Report(ctx context.Context, day rules.Day, top int) (Report, error) {
	return s.ReportAsReady(ctx, day, top, nil)
}

// ReportAsReady is Report, handing first (when not nil) every figure but
// the follow-up as soon as those are added up: they need the sales and the
// points alone, while the follow-up computes every reminder since the
// shop began. first's FollowUp holds only its Since.
func (s *Store) ReportAsReady(ctx context.Context, day rules.Day, top int, first func(Report)) (Report, error) {
	r := Report{Day: day}
	since, err := s.CreatedOn(ctx)
	if err != nil {
		return r, err
	}
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return r, err
	}
	r.Points = PointsReport{From: day.AddMonths(-12).AddDays(1), To: day}
	if r.Points.Scheme, err = s.scheme(ctx); err != nil {
		return r, err
	}
	// Top customers are as of today, whatever day the report is for.
	topHere := day == s.Today()
	var sh *reportShares
	err = parallel(func() (err error) {
		sh, err = s.reportParts(ctx, day, r.Points.Scheme)
		return err
	}, func() (err error) {
		if !topHere {
			r.Top, err = s.TopCustomers(ctx, top)
		}
		return err
	})
	if err != nil {
		return r, err
	}
	// The follow-up's own facts are read while the rest is added up.
	var states *followStates
	follow := make(chan error, 1)
	go func() {
		follow <- parallel(func() error {
			return s.addSmallFacts(ctx, sh.rf, day)
		}, func() (err error) {
			states, err = s.readFollowStates(ctx, since, day)
			return err
		})
	}()
	sh.totals().fill(&r)
	r.Points.RedeemedValue += sh.rf.walkInValue
	r.FollowUp = FollowUpReport{Since: since}
	if topHere {
		r.Top, err = s.topFrom(ctx, sh.rf, top)
	}
	if err != nil {
		<-follow
		return r, err
	}
	if first != nil {
		first(r)
	}
	if err := <-follow; err != nil {
		return r, err
	}
	r.FollowUp = followUpOf(sh.rf, set.engine, states, since, day)
	return r, nil
}

// ReportPart names one report that exports on its own as CSV.
type ReportPart struct {
	ID    string // as WriteCSV takes it, and a file name's stem
	Title string
}

// ReportParts are the reports of the Reports page, in the page's order.
var ReportParts = []ReportPart{
	{"activity", "Active, lapsing and lost customers by month"},
	{"retention", "Yearly retention"},
	{"followup_kinds", "Follow-up by kind of reminder"},
	{"followup_staff", "Follow-up by staff member"},
	{"complaints", "Complaints"},
	{"points", "Loyalty points"},
	{"top_customers", "Top customers"},
}

func percent(share float64) string { return strconv.FormatFloat(share*100, 'f', 1, 64) }

// WriteCSV writes one part of the report (see ReportParts) as CSV with a
// header row. Money is written as 12.34 and shares as percentages.
func (r Report) WriteCSV(w io.Writer, part string) error {
	cw := csv.NewWriter(w)
	n := strconv.Itoa
	var rows [][]string
	switch part {
	case "activity":
		rows = append(rows, []string{"month_end", "customers", "active", "lapsing", "drifting", "lost", "never_bought"})
		for _, m := range r.Months {
			rows = append(rows, []string{m.MonthEnd.String(), n(m.Total), n(m.Active), n(m.Lapsing), n(m.Drifting), n(m.Lost), n(m.Never)})
		}
	case "retention":
		x := r.Retention
		rows = append(rows, []string{"from", "to", "bought_year_before", "bought_again", "rate_percent", "benchmark_percent"},
			[]string{x.From.String(), x.To.String(), n(x.Base), n(x.Kept), percent(x.Rate()), percent(RetentionBenchmark)})
	case "followup_kinds":
		rows = append(rows, []string{"kind", "on_time", "late", "skipped", "missed", "open", "since"})
		for _, f := range r.FollowUp.ByKind {
			rows = append(rows, []string{string(f.Kind), n(f.OnTime), n(f.Late), n(f.Skipped), n(f.Missed), n(f.Open), r.FollowUp.Since.String()})
		}
	case "followup_staff":
		rows = append(rows, []string{"staff", "on_time", "late", "skipped", "missed", "open", "since"})
		for _, f := range r.FollowUp.ByStaff {
			rows = append(rows, []string{rules.CSVText(f.Staff), n(f.OnTime), n(f.Late), n(f.Skipped), n(f.Missed), n(f.Open), r.FollowUp.Since.String()})
		}
	case "complaints":
		c := r.Complaints
		rows = append(rows, []string{"from", "to", "received", "resolved", "resolved_within_24h", "resolved_within_24h_percent",
			"median_hours_to_resolve", "customers", "bought_again"},
			[]string{c.From.String(), c.To.String(), n(c.Received), n(c.Resolved), n(c.Within24h), percent(c.ResolvedShare()),
				strconv.FormatFloat(c.MedianHours, 'f', 1, 64), n(c.Customers), n(c.BoughtAgain)})
	case "points":
		p := r.Points
		rows = append(rows, []string{"date", "points_outstanding", "customers_holding_points", "liability", "redeemed_from",
			"points_redeemed", "redeemed_value", "points_per_reward", "reward_value"},
			[]string{p.To.String(), itoa(p.Outstanding), n(p.Holders), p.Liability.String(), p.From.String(),
				itoa(p.Redeemed), p.RedeemedValue.String(), itoa(p.Scheme.RewardPoints), p.Scheme.RewardValue.String()})
	case "top_customers":
		rows = append(rows, []string{"rank", "id", "name", "spent", "visits", "points"})
		for i, t := range r.Top {
			rows = append(rows, []string{n(i + 1), itoa(t.Customer.ID), rules.CSVText(t.Customer.Name), t.Spent.String(), n(t.Visits), itoa(t.Balance)})
		}
	default:
		var ids []string
		for _, p := range ReportParts {
			ids = append(ids, p.ID)
		}
		return fmt.Errorf("there is no report %q: choose one of %s", part, strings.Join(ids, ", "))
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("cannot write the report: %w", err)
	}
	return nil
}
