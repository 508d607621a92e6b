package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
)

// The reports and loyalty figures as they were computed before they were
// made quick: every customer's reminders computed with their words, sale
// days read along the customer index, sums grouped by SQL customer by
// customer. Kept as the reference the quick versions must match.

func (s *Store) refCustomerActivity(ctx context.Context, day rules.Day) (rules.Activity, error) {
	var a rules.Activity
	rows, err := s.reader().QueryContext(ctx, `SELECT c.id, (SELECT max(p.day) FROM purchases p
		WHERE p.customer_id = c.id AND p.amount_cents > 0 AND p.voided = 0 AND p.day <= ?) FROM customers c`, day.String())
	if err != nil {
		return a, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id rules.ID
		var last sql.NullString
		if err := rows.Scan(&id, &last); err != nil {
			return a, err
		}
		a.Total++
		d := scanDay(last)
		switch age := day.Sub(d); {
		case d.IsZero():
			a.Never++
		case age < 90:
			a.Active++
		case age < 180:
			a.Lapsing++
		case age < 365:
			a.Drifting++
		default:
			a.Lost++
		}
	}
	return a, rows.Err()
}

func (s *Store) refSaleDays(ctx context.Context, day rules.Day) (map[rules.ID][]rules.Day, error) {
	out := map[rules.ID][]rules.Day{}
	err := s.eachRow(ctx, `SELECT customer_id, day FROM purchases WHERE customer_id IS NOT NULL
		AND amount_cents > 0 AND voided = 0 AND day <= ? ORDER BY customer_id, day`, []any{day.String()},
		func(r *sql.Rows) error {
			var id rules.ID
			var d string
			if err := r.Scan(&id, &d); err != nil {
				return err
			}
			pd, err := rules.ParseDay(d)
			if err != nil {
				return err
			}
			out[id] = append(out[id], pd)
			return nil
		})
	return out, err
}

func (s *Store) refActivityByMonth(ctx context.Context, day rules.Day, n int) ([]rules.MonthActivity, error) {
	if n <= 0 {
		return nil, nil
	}
	total, err := s.CountCustomers(ctx)
	if err != nil {
		return nil, err
	}
	sales, err := s.refSaleDays(ctx, day)
	if err != nil {
		return nil, err
	}
	var out []rules.MonthActivity
	for _, end := range rules.MonthEnds(day, n) {
		a := rules.Activity{Total: total}
		for _, days := range sales {
			last := refLastOnOrBefore(days, end)
			switch age := end.Sub(last); {
			case last.IsZero():
				continue
			case age < 90:
				a.Active++
			case age < 180:
				a.Lapsing++
			case age < 365:
				a.Drifting++
			default:
				a.Lost++
			}
		}
		a.Never = total - a.Active - a.Lapsing - a.Drifting - a.Lost
		out = append(out, rules.MonthActivity{MonthEnd: end, Activity: a})
	}
	return out, nil
}

func (s *Store) refRetention(ctx context.Context, day rules.Day) (rules.Retention, error) {
	sales, err := s.refSaleDays(ctx, day)
	if err != nil {
		return rules.Retention{}, err
	}
	return refRetentionOf(sales, day), nil
}

func refRetentionOf(sales map[rules.ID][]rules.Day, day rules.Day) rules.Retention {
	r := rules.Retention{From: day.AddMonths(-12).AddDays(1), To: day}
	prevFrom := day.AddMonths(-24).AddDays(1)
	for _, days := range sales {
		if refAnyBetween(days, prevFrom, r.From.AddDays(-1)) {
			r.Base++
			if refAnyBetween(days, r.From, r.To) {
				r.Kept++
			}
		}
	}
	return r
}

func (s *Store) refFollowUpReport(ctx context.Context, day rules.Day) (rules.FollowUpReport, error) {
	since, err := s.CreatedOn(ctx)
	if err != nil {
		return rules.FollowUpReport{}, err
	}
	rep := rules.FollowUpReport{Since: since}
	all, err := s.AllReminders(ctx, day)
	if err != nil {
		return rep, err
	}
	byKind := map[rules.Kind]*rules.FollowUpRow{}
	for _, k := range rules.Kinds {
		byKind[k] = &rules.FollowUpRow{Kind: k}
	}
	byStaff := map[string]*rules.StaffFollowUpRow{}
	for _, r := range all {
		if r.Due < since || r.Due > day {
			continue
		}
		if row := byKind[r.Kind]; row != nil {
			refTally(r, &row.OnTime, &row.Late, &row.Skipped, &row.Missed, &row.Open)
		}
		st := byStaff[r.Staff]
		if st == nil {
			st = &rules.StaffFollowUpRow{Staff: r.Staff}
			byStaff[r.Staff] = st
		}
		refTally(r, &st.OnTime, &st.Late, &st.Skipped, &st.Missed, &st.Open)
	}
	for _, k := range rules.Kinds {
		rep.ByKind = append(rep.ByKind, *byKind[k])
	}
	for _, st := range byStaff {
		rep.ByStaff = append(rep.ByStaff, *st)
	}
	slices.SortFunc(rep.ByStaff, func(a, b rules.StaffFollowUpRow) int {
		if (a.Staff == "") != (b.Staff == "") {
			return boolInt(a.Staff == "") - boolInt(b.Staff == "")
		}
		return strings.Compare(strings.ToLower(a.Staff), strings.ToLower(b.Staff))
	})
	return rep, nil
}

func (s *Store) refComplaintReport(ctx context.Context, day rules.Day) (rules.ComplaintReport, error) {
	rep := rules.ComplaintReport{From: day.AddMonths(-12).AddDays(1), To: day}
	first := map[rules.ID]rules.Day{}
	var hours []float64
	err := s.eachRow(ctx, `SELECT customer_id, received_at, received_on, resolved_on, coalesce(resolved_at, '')
		FROM complaints WHERE received_on >= ? AND received_on <= ? ORDER BY id`, []any{rep.From.String(), day.String()},
		func(r *sql.Rows) error {
			var id rules.ID
			var receivedAt, receivedOn, resolvedAt string
			var resolvedOn sql.NullString
			if err := r.Scan(&id, &receivedAt, &receivedOn, &resolvedOn, &resolvedAt); err != nil {
				return err
			}
			rep.Received++
			received, err := rules.ParseDay(receivedOn)
			if err != nil {
				return err
			}
			if f, ok := first[id]; !ok || received < f {
				first[id] = received
			}
			resolved := scanDay(resolvedOn)
			if resolved.IsZero() || resolved > day {
				return nil
			}
			rep.Resolved++
			from := parseInstant(receivedAt)
			to := parseInstant(resolvedAt)
			if to.IsZero() {
				to = from.AddDate(0, 0, resolved.Sub(received))
			}
			h := to.Sub(from).Hours()
			hours = append(hours, h)
			if h <= 24 {
				rep.Within24h++
			}
			return nil
		})
	if err != nil {
		return rep, err
	}
	rep.MedianHours = refMedian(hours)
	rep.Customers = len(first)
	if len(first) == 0 {
		return rep, nil
	}
	sales, err := s.refSaleDays(ctx, day)
	if err != nil {
		return rep, err
	}
	for id, d := range first {
		if refAnyBetween(sales[id], d.AddDays(1), day) {
			rep.BoughtAgain++
		}
	}
	return rep, nil
}

func (s *Store) refPointsReport(ctx context.Context, day rules.Day) (rules.PointsReport, error) {
	rep := rules.PointsReport{From: day.AddMonths(-12).AddDays(1), To: day}
	l, err := s.scheme(ctx)
	if err != nil {
		return rep, err
	}
	rep.Scheme = l
	err = s.eachRow(ctx, `SELECT sum(points) FROM ledger WHERE day <= ? GROUP BY customer_id`, []any{day.String()},
		func(r *sql.Rows) error {
			var b int64
			if err := r.Scan(&b); err != nil {
				return err
			}
			if b > 0 {
				rep.Outstanding += b
				rep.Holders++
				rep.Liability += rules.Cents(b/l.RewardPoints) * l.RewardValue
			}
			return nil
		})
	if err != nil {
		return rep, err
	}
	err = s.reader().QueryRowContext(ctx, `SELECT coalesce(-sum(l.points), 0) FROM ledger l JOIN purchases p ON p.id = l.purchase_id
		WHERE l.kind = 'redeem' AND p.voided = 0 AND l.day >= ? AND l.day <= ?`, rep.From.String(), day.String()).Scan(&rep.Redeemed)
	if err != nil {
		return rep, s.explain(err)
	}
	err = s.reader().QueryRowContext(ctx, `SELECT coalesce(sum(discount_cents), 0) FROM purchases
		WHERE voided = 0 AND discount_cents > 0 AND day >= ? AND day <= ?`, rep.From.String(), day.String()).Scan(&rep.RedeemedValue)
	return rep, s.explain(err)
}

func (s *Store) refReport(ctx context.Context, day rules.Day, top int) (rules.Report, error) {
	r := rules.Report{Day: day}
	var err error
	if r.Now, err = s.refCustomerActivity(ctx, day); err != nil {
		return r, err
	}
	if r.Months, err = s.refActivityByMonth(ctx, day, rules.ReportMonths); err != nil {
		return r, err
	}
	if r.Retention, err = s.refRetention(ctx, day); err != nil {
		return r, err
	}
	if r.FollowUp, err = s.refFollowUpReport(ctx, day); err != nil {
		return r, err
	}
	if r.Complaints, err = s.refComplaintReport(ctx, day); err != nil {
		return r, err
	}
	if r.Points, err = s.refPointsReport(ctx, day); err != nil {
		return r, err
	}
	r.Top, err = s.refTopCustomers(ctx, top)
	return r, err
}

func refTally(r rules.Reminder, onTime, late, skipped, missed, open *int) {
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

func refLastOnOrBefore(days []rules.Day, d rules.Day) rules.Day {
	i, _ := slices.BinarySearch(days, d+1)
	if i == 0 {
		return 0
	}
	return days[i-1]
}

func refAnyBetween(days []rules.Day, from, to rules.Day) bool {
	i, _ := slices.BinarySearch(days, from)
	return i < len(days) && days[i] <= to
}

func refMedian(v []float64) float64 {
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

func (s *Store) refTopCustomers(ctx context.Context, n int) ([]rules.TopCustomer, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT customer_id, SUM(amount_cents - discount_cents) AS spent,
		COUNT(CASE WHEN amount_cents > 0 THEN 1 END)
		FROM purchases WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ?
		GROUP BY customer_id ORDER BY spent DESC, customer_id LIMIT ?`, s.Today().String(), n)
	if err != nil {
		return nil, s.explain(err)
	}
	var out []rules.TopCustomer
	for rows.Next() {
		var t rules.TopCustomer
		if err := rows.Scan(&t.Customer.ID, &t.Spent, &t.Visits); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		c, err := s.Customer(ctx, out[i].Customer.ID)
		if err != nil {
			return nil, err
		}
		out[i].Customer = c
		if out[i].Balance, err = s.Balance(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) refBalances(ctx context.Context) (map[rules.ID]int64, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT c.id, COALESCE(SUM(l.points), 0) FROM customers c
		LEFT JOIN ledger l ON l.customer_id = c.id AND l.day <= ? GROUP BY c.id`, s.Today().String())
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	out := map[rules.ID]int64{}
	for rows.Next() {
		var id rules.ID
		var b int64
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		out[id] = b
	}
	return out, rows.Err()
}

func (s *Store) refHoldersFrom(ctx context.Context, min int64) ([]PointsHolder, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT b.balance, `+prefixed("c", customerCols)+` FROM
		(SELECT customer_id, SUM(points) AS balance FROM ledger WHERE day <= ? GROUP BY customer_id HAVING SUM(points) >= ?) b
		JOIN customers c ON c.id = b.customer_id ORDER BY b.balance DESC, c.id`, s.Today().String(), min)
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	var out []PointsHolder
	for rows.Next() {
		var h PointsHolder
		var bal int64
		c, err := scanCustomer(scanWith(rows, &bal))
		if err != nil {
			return nil, err
		}
		h.Customer, h.Balance = c, bal
		out = append(out, h)
	}
	return out, rows.Err()
}

// refFillConsents reads the consents of the customers cs, by channel.
func (s *Store) refFillConsents(ctx context.Context, cs []rules.Customer) error {
	at := map[rules.ID]int{}
	for i, c := range cs {
		at[c.ID] = i
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT customer_id, channel, given_on, source FROM consents ORDER BY customer_id, channel")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id rules.ID
		var k rules.Consent
		var given sql.NullString
		if err := rows.Scan(&id, &k.Channel, &given, &k.Source); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			k.GivenOn = scanDay(given)
			cs[i].Consents = append(cs[i].Consents, k)
		}
	}
	return rows.Err()
}

func (s *Store) refSegment(ctx context.Context, q SegmentQuery) ([]rules.Customer, error) {
	if q.Day.IsZero() {
		q.Day = s.Today()
	}
	if q.Top < 0 {
		return nil, fmt.Errorf("the number of top spenders cannot be negative")
	}
	var bFrom, bTo rules.Day
	if q.Birthdays != "" {
		var err error
		if bFrom, bTo, err = q.Birthdays.Span(q.Day); err != nil {
			return nil, err
		}
	}
	for _, b := range q.Bands {
		switch b {
		case rules.BandActive, rules.BandLapsing, rules.BandDrifting, rules.BandLost, rules.BandNever:
		default:
			return nil, fmt.Errorf("%q is not active, lapsing, drifting, lost or never", string(b))
		}
	}
	all, err := s.queryCustomers(ctx, "SELECT "+customerCols+" FROM customers WHERE forgotten = 0 ORDER BY id")
	if err != nil {
		return nil, err
	}
	var sales map[rules.ID][]rules.Day
	if len(q.Bands) > 0 {
		if sales, err = s.refSaleDays(ctx, q.Day); err != nil {
			return nil, err
		}
	}
	tag := strings.ToLower(strings.TrimSpace(q.Tag))
	var out []rules.Customer
	for _, c := range all {
		switch {
		case c.DoNotContact && !q.IncludeDoNotContact:
			continue
		case tag != "" && !slices.ContainsFunc(c.Tags, func(t string) bool { return strings.ToLower(t) == tag }):
			continue
		case q.Birthdays != "" && !rules.BirthdayIn(c.Birthday, bFrom, bTo):
			continue
		case len(q.Bands) > 0 && !slices.Contains(q.Bands, rules.BandOf(refLastOnOrBefore(sales[c.ID], q.Day), q.Day)):
			continue
		}
		out = append(out, c)
	}
	if err := s.refFillConsents(ctx, out); err != nil {
		return nil, err
	}
	if q.Top == 0 {
		slices.SortStableFunc(out, func(a, b rules.Customer) int {
			return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmpID(a.ID, b.ID))
		})
		return out, nil
	}
	spent, err := s.refSpentBy(ctx, q.Day)
	if err != nil {
		return nil, err
	}
	out = slices.DeleteFunc(out, func(c rules.Customer) bool { return spent[c.ID] <= 0 })
	slices.SortStableFunc(out, func(a, b rules.Customer) int {
		return cmp.Or(cmp.Compare(spent[b.ID], spent[a.ID]), cmpID(a.ID, b.ID))
	})
	return out[:min(q.Top, len(out))], nil
}

func (s *Store) refSpentBy(ctx context.Context, day rules.Day) (map[rules.ID]rules.Cents, error) {
	out := map[rules.ID]rules.Cents{}
	err := s.eachRow(ctx, `SELECT customer_id, sum(amount_cents - discount_cents) FROM purchases
		WHERE customer_id IS NOT NULL AND voided = 0 AND day <= ? GROUP BY customer_id`, []any{day.String()},
		func(r *sql.Rows) error {
			var id rules.ID
			var c rules.Cents
			if err := r.Scan(&id, &c); err != nil {
				return err
			}
			out[id] = c
			return nil
		})
	return out, err
}

// scanWith scans leading columns into first, then hands the rest on: for
// queries that put a value before a customer's columns.
func scanWith(r rowScanner, first ...any) rowScanner { return leadScanner{r, first} }

type leadScanner struct {
	r     rowScanner
	first []any
}

func (l leadScanner) Scan(dest ...any) error { return l.r.Scan(append(l.first, dest...)...) }

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
