package rules

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// What the Reports page shows: customer activity by month, retention, the
// follow-up, complaints, points and the top customers, and each part as a
// CSV file.

// Activity counts customers by how recently they bought.
type Activity struct {
	Total    int
	Active   int // bought in the last 90 days
	Lapsing  int // last bought 90–180 days ago
	Drifting int // last bought 180–365 days ago
	Lost     int // last bought over a year ago
	Never    int // never bought
}

// FollowUpRow is how one kind of reminder was handled.
type FollowUpRow struct {
	Kind    Kind
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
	Since   Day
	ByKind  []FollowUpRow      // every kind, in the rules table's order
	ByStaff []StaffFollowUpRow // by name; "" (nobody) last
}

// MonthActivity is the customer activity as it stood at the end of a month.
type MonthActivity struct {
	MonthEnd Day
	Activity
}

// MonthEnds lists the last n month-ends on or before day, oldest first;
// day itself counts when it is the last day of its month.
func MonthEnds(day Day, n int) []Day {
	y, m, _ := day.Date()
	end := NewDay(y, m, 1).AddDays(-1)
	if _, _, next := day.AddDays(1).Date(); next == 1 {
		end = day
	}
	out := make([]Day, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = end
		ey, em, _ := end.Date()
		end = NewDay(ey, em, 1).AddDays(-1)
	}
	return out
}

// RetentionBenchmark is the share of its customers an average shop keeps
// from one year to the next: it loses about a fifth.
const RetentionBenchmark = 0.80

// Retention is the yearly retention rate: of the customers who bought in
// the year before From, how many bought again from From to To.
type Retention struct {
	From, To Day // the last twelve months, both days included
	Base     int // customers who bought in the twelve months before From
	Kept     int // of those, customers who bought again from From to To
}

// Rate is Kept as a share of Base, 0 when there is no base.
func (r Retention) Rate() float64 {
	if r.Base == 0 {
		return 0
	}
	return float64(r.Kept) / float64(r.Base)
}

// ComplaintReport is how complaints received in the last twelve months
// were handled.
type ComplaintReport struct {
	From, To  Day // complaints received on these days and between count
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

// Median of v (sorted in place); the mean of the middle two for an even count.
func Median(v []float64) float64 {
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
	From, To    Day
	Outstanding int64 // points customers hold
	Holders     int   // customers holding any
	// Liability is what the points held would cost if spent: whole rewards
	// per customer at the current scheme. A part of a reward (150 points at
	// 100 per reward is one reward) counts nothing, since it cannot be
	// redeemed.
	Liability     Cents
	Redeemed      int64 // points redeemed on sales from From to To, voided sales not counted
	RedeemedValue Cents // the money off those sales
	Scheme        Loyalty
}

// Hold counts one customer's balance.
func (p *PointsReport) Hold(b int64) {
	if b > 0 {
		p.Outstanding += b
		p.Holders++
		p.Liability += Cents(b/p.Scheme.RewardPoints) * p.Scheme.RewardValue
	}
}

// Report is every figure of the Reports page as of Day.
type Report struct {
	Day        Day
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
	itoa := func(v int64) string { return strconv.FormatInt(v, 10) }
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
			rows = append(rows, []string{CSVText(f.Staff), n(f.OnTime), n(f.Late), n(f.Skipped), n(f.Missed), n(f.Open), r.FollowUp.Since.String()})
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
			rows = append(rows, []string{n(i + 1), itoa(t.Customer.ID), CSVText(t.Customer.Name), t.Spent.String(), n(t.Visits), itoa(t.Balance)})
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

// TopCustomer is one line of the best-customers report.
type TopCustomer struct {
	Customer Customer
	Spent    Cents // paid, less refunds; voided lines do not count
	Visits   int   // sales, not counting refunds
	Balance  int64
}
