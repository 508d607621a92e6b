package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kept report figures (migrations/009_reports.sql).
//
// Every figure of the Reports page is a sum over customers: how recently
// each bought (now and at each month-end), whether they came back within
// the year, how their reminders were handled, their complaints, their
// points. What one customer adds to each sum as of a day (their share,
// reportPart) depends on nothing but their own facts, the rules, the scheme
// and the day. So, as for the kept Today lists, the shares of the day of
// the kept lists are kept beside the facts with the shop's totals: every
// write transaction takes the old shares of the customers it touched off
// the totals and adds their new ones, and a new day (or other rules, or
// another scheme) works every share out again. The shares are worked out
// by the very code that works out a report from the facts (reportParts),
// which the Reports page also uses for any other day.
//
// Medians cannot be added up, so the totals keep how many complaints took
// each time to resolve, and the median is read from those counts. Top
// customers and the points held come from indexes on the kept spend and
// balance of each customer.

// reportsVersion changes whenever what a share holds or how it is worked
// out changes: kept figures of another version are worked out again.
const reportsVersion = "reports 2"

// reportsSchema is the first schema with kept report figures: the
// migration that makes them, whatever its number.
var reportsSchema = sync.OnceValue(func() int {
	names, _ := migrations()
	for i, n := range names {
		if strings.HasSuffix(n, "_reports.sql") {
			return i + 1
		}
	}
	return 1 << 30
})

// followCount is n reminders of one kind (its place in Kinds, -1 for none)
// last touched by staff, with one outcome (outcomeOf).
type followCount struct {
	kind    int8
	outcome int8
	staff   string
	n       int64
}

// Outcomes of a reminder, as tally counts them.
const (
	outcomeOnTime int8 = iota
	outcomeLate
	outcomeSkipped
	outcomeMissed
	outcomeOpen
	outcomes
)

func outcomeOf(r *Reminder) int8 {
	switch r.State {
	case StateDone:
		if r.DoneOn <= r.Due {
			return outcomeOnTime
		}
		return outcomeLate
	case StateSkipped:
		return outcomeSkipped
	case StateMissed:
		return outcomeMissed
	}
	return outcomeOpen
}

// reportPart is what one id the facts name adds to the figures of Report
// as of a day.
type reportPart struct {
	customer bool               // a row of customers: counts in every Total
	now      int8               // its band as of the day (customers only)
	months   [ReportMonths]int8 // its band at each month-end; bandNever: no sale by then
	base     bool               // bought in the year before the last twelve months
	kept     bool               // and again in them
	follow   []followCount      // its reminders due since the shop began
	complain complaintPart      // its complaints of the last twelve months
	balance  int64              // points up to the day
	liable   Cents              // what its whole rewards would cost
	redeemed int64              // points redeemed in the last twelve months
	value    Cents              // money off in the last twelve months
	spent    Cents              // paid less discounts up to the day
	visits   int32              // sales up to the day
	hasLine  bool               // a sale or refund up to the day
	took     []time.Duration    // how long each resolved complaint took
}

type complaintPart struct {
	received, resolved, within24h int64
	complained, boughtAgain       bool
}

func (p *reportPart) addFollow(r *Reminder) {
	k := int8(slices.Index(Kinds, r.Kind))
	o := outcomeOf(r)
	for i := range p.follow {
		f := &p.follow[i]
		if f.kind == k && f.outcome == o && f.staff == r.Staff {
			f.n++
			return
		}
	}
	p.follow = append(p.follow, followCount{kind: k, outcome: o, staff: r.Staff, n: 1})
}

func (p *reportPart) pack() []byte {
	w := packer{b: make([]byte, 0, 64)}
	w.bool(p.customer)
	w.int(int64(p.now))
	for _, b := range p.months {
		w.int(int64(b))
	}
	w.bool(p.base)
	w.bool(p.kept)
	w.int(int64(len(p.follow)))
	for _, f := range p.follow {
		w.int(int64(f.kind))
		w.int(int64(f.outcome))
		w.str(f.staff)
		w.int(f.n)
	}
	c := &p.complain
	w.int(c.received)
	w.int(c.resolved)
	w.int(c.within24h)
	w.bool(c.complained)
	w.bool(c.boughtAgain)
	w.int(int64(len(p.took)))
	for _, d := range p.took {
		w.int(int64(d))
	}
	w.int(p.balance)
	w.int(int64(p.liable))
	w.int(p.redeemed)
	w.int(int64(p.value))
	w.int(int64(p.spent))
	w.int(int64(p.visits))
	w.bool(p.hasLine)
	return w.b
}

// count reads a length, refusing one longer than what is left.
func (u *unpacker) count() int {
	n := u.int()
	if n < 0 || n > int64(len(u.b)) {
		u.err, u.b = errBadDerived, nil
		return 0
	}
	return int(n)
}

func unpackPart(b []byte) (reportPart, error) {
	u := unpacker{b: b}
	var p reportPart
	p.customer = u.bool()
	p.now = u.band()
	for i := range p.months {
		p.months[i] = u.band()
	}
	p.base = u.bool()
	p.kept = u.bool()
	for n := u.count(); n > 0 && u.err == nil; n-- {
		f := followCount{kind: int8(u.int()), outcome: u.int8(outcomes), staff: u.str(), n: u.int()}
		if f.kind < -1 || int(f.kind) >= len(Kinds) {
			u.err = errBadDerived
		}
		p.follow = append(p.follow, f)
	}
	c := &p.complain
	c.received = u.int()
	c.resolved = u.int()
	c.within24h = u.int()
	c.complained = u.bool()
	c.boughtAgain = u.bool()
	for n := u.count(); n > 0 && u.err == nil; n-- {
		p.took = append(p.took, time.Duration(u.int()))
	}
	p.balance = u.int()
	p.liable = Cents(u.int())
	p.redeemed = u.int()
	p.value = Cents(u.int())
	p.spent = Cents(u.int())
	p.visits = int32(u.int())
	p.hasLine = u.bool()
	if u.err == nil && len(u.b) != 0 {
		u.err = errBadDerived
	}
	return p, u.err
}

// int8 reads a small number below top.
func (u *unpacker) int8(top int8) int8 {
	v := u.int()
	if v < 0 || v >= int64(top) {
		u.err, u.b = errBadDerived, nil
		return 0
	}
	return int8(v)
}

func (u *unpacker) band() int8 { return u.int8(bands) }

// reportTotals are the shares of every id added up.
type reportTotals struct {
	known       int64
	now         [bands]int64
	months      [ReportMonths][bands]int64
	base, kept  int64
	byKind      [][outcomes]int64 // in Kinds' order
	byStaff     map[string]*[outcomes]int64
	complaints  complaintPart // received, resolved, within24h; complained and boughtAgain counted below
	customers   int64         // customers who complained
	boughtAgain int64
	took        map[time.Duration]int64
	outstanding int64 // points held, by those holding any
	holders     int64
	liability   Cents
	redeemed    int64
	value       Cents
	custPoints  int64 // every customer's points added up (the Loyalty screen)
	custHolders int64 // customers holding any
	// How many customers hold each balance above zero: who has a reward
	// ready is counted from these.
	balances map[int64]int64
}

// readyCount is how many customers hold at least min points (min > 0).
func (t *reportTotals) readyCount(min int64) int {
	n := int64(0)
	for b, k := range t.balances {
		if b >= min {
			n += k
		}
	}
	return int(n)
}

func newReportTotals() *reportTotals {
	return &reportTotals{byKind: make([][outcomes]int64, len(Kinds)), byStaff: map[string]*[outcomes]int64{}, took: map[time.Duration]int64{},
		balances: map[int64]int64{}}
}

// add adds p's share (sign 1) or takes it off (sign -1).
func (t *reportTotals) add(p *reportPart, sign int64) {
	if p.customer {
		t.known += sign
		t.now[p.now] += sign
		t.custPoints += sign * p.balance
		if p.balance > 0 {
			t.custHolders += sign
			if t.balances[p.balance] += sign; t.balances[p.balance] == 0 {
				delete(t.balances, p.balance)
			}
		}
	}
	for i, b := range p.months {
		if b != bandNever {
			t.months[i][b] += sign
		}
	}
	if p.base {
		t.base += sign
		if p.kept {
			t.kept += sign
		}
	}
	for _, f := range p.follow {
		if f.kind >= 0 {
			t.byKind[f.kind][f.outcome] += sign * f.n
		}
		st := t.byStaff[f.staff]
		if st == nil {
			st = new([outcomes]int64)
			t.byStaff[f.staff] = st
		}
		st[f.outcome] += sign * f.n
		if *st == [outcomes]int64{} {
			delete(t.byStaff, f.staff)
		}
	}
	c := &p.complain
	t.complaints.received += sign * c.received
	t.complaints.resolved += sign * c.resolved
	t.complaints.within24h += sign * c.within24h
	if c.complained {
		t.customers += sign
		if c.boughtAgain {
			t.boughtAgain += sign
		}
	}
	for _, d := range p.took {
		if t.took[d] += sign; t.took[d] == 0 {
			delete(t.took, d)
		}
	}
	if p.balance > 0 {
		t.outstanding += sign * p.balance
		t.holders += sign
		t.liability += Cents(sign) * p.liable
	}
	t.redeemed += sign * p.redeemed
	t.value += Cents(sign) * p.value
}

func (t *reportTotals) pack() []byte {
	w := packer{}
	w.int(t.known)
	for _, n := range t.now {
		w.int(n)
	}
	for _, m := range t.months {
		for _, n := range m {
			w.int(n)
		}
	}
	w.int(t.base)
	w.int(t.kept)
	for _, k := range t.byKind {
		for _, n := range k {
			w.int(n)
		}
	}
	names := slices.Sorted(maps.Keys(t.byStaff))
	w.int(int64(len(names)))
	for _, name := range names {
		w.str(name)
		for _, n := range t.byStaff[name] {
			w.int(n)
		}
	}
	w.int(t.complaints.received)
	w.int(t.complaints.resolved)
	w.int(t.complaints.within24h)
	w.int(t.customers)
	w.int(t.boughtAgain)
	took := slices.Sorted(maps.Keys(t.took))
	w.int(int64(len(took)))
	for _, d := range took {
		w.int(int64(d))
		w.int(t.took[d])
	}
	w.int(t.outstanding)
	w.int(t.holders)
	w.int(int64(t.liability))
	w.int(t.redeemed)
	w.int(int64(t.value))
	w.int(t.custPoints)
	w.int(t.custHolders)
	bs := slices.Sorted(maps.Keys(t.balances))
	w.int(int64(len(bs)))
	for _, b := range bs {
		w.int(b)
		w.int(t.balances[b])
	}
	return w.b
}

func unpackTotals(b []byte) (*reportTotals, error) {
	u := unpacker{b: b}
	t := newReportTotals()
	t.known = u.int()
	for i := range t.now {
		t.now[i] = u.int()
	}
	for i := range t.months {
		for j := range t.months[i] {
			t.months[i][j] = u.int()
		}
	}
	t.base = u.int()
	t.kept = u.int()
	for i := range t.byKind {
		for j := range t.byKind[i] {
			t.byKind[i][j] = u.int()
		}
	}
	for n := u.count(); n > 0 && u.err == nil; n-- {
		name := u.str()
		st := new([outcomes]int64)
		for j := range st {
			st[j] = u.int()
		}
		t.byStaff[name] = st
	}
	t.complaints.received = u.int()
	t.complaints.resolved = u.int()
	t.complaints.within24h = u.int()
	t.customers = u.int()
	t.boughtAgain = u.int()
	for n := u.count(); n > 0 && u.err == nil; n-- {
		d := time.Duration(u.int())
		t.took[d] = u.int()
	}
	t.outstanding = u.int()
	t.holders = u.int()
	t.liability = Cents(u.int())
	t.redeemed = u.int()
	t.value = Cents(u.int())
	t.custPoints = u.int()
	t.custHolders = u.int()
	for n := u.count(); n > 0 && u.err == nil; n-- {
		b := u.int()
		t.balances[b] = u.int()
	}
	if u.err == nil && len(u.b) != 0 {
		u.err = errBadDerived
	}
	return t, u.err
}

// fill puts the figures into r (of r.Day, with r.Points' days and scheme
// set) for reminders counted from since. Money off walk-ins' sales is not
// among the shares: the caller adds it.
func (t *reportTotals) fill(r *Report, since Day) {
	day := r.Day
	total := int(t.known)
	r.Now = Activity{Total: total}
	for b, n := range t.now {
		r.Now.add(int8(b), int(n))
	}
	r.Months = make([]MonthActivity, ReportMonths)
	for i, end := range MonthEnds(day, ReportMonths) {
		a := Activity{Total: total}
		for b, n := range t.months[i] {
			if int8(b) != bandNever {
				a.add(int8(b), int(n))
			}
		}
		a.Never = a.Total - a.Active - a.Lapsing - a.Drifting - a.Lost
		r.Months[i] = MonthActivity{MonthEnd: end, Activity: a}
	}
	r.Retention = Retention{From: day.AddMonths(-12).AddDays(1), To: day, Base: int(t.base), Kept: int(t.kept)}
	ft := newFollowTally()
	set := func(o [outcomes]int64, onTime, late, skipped, missed, open *int) {
		*onTime, *late, *skipped, *missed, *open = int(o[0]), int(o[1]), int(o[2]), int(o[3]), int(o[4])
	}
	for i := range ft.byKind {
		row := &ft.byKind[i]
		set(t.byKind[i], &row.OnTime, &row.Late, &row.Skipped, &row.Missed, &row.Open)
	}
	for name, o := range t.byStaff {
		st := &StaffFollowUpRow{Staff: name}
		set(*o, &st.OnTime, &st.Late, &st.Skipped, &st.Missed, &st.Open)
		ft.byStaff[name] = st
	}
	r.FollowUp = ft.report(since)
	r.Complaints = ComplaintReport{From: day.AddMonths(-12).AddDays(1), To: day,
		Received: int(t.complaints.received), Resolved: int(t.complaints.resolved), Within24h: int(t.complaints.within24h),
		MedianHours: medianTook(t.took), Customers: int(t.customers), BoughtAgain: int(t.boughtAgain)}
	p := &r.Points
	p.Outstanding, p.Holders, p.Liability = t.outstanding, int(t.holders), t.liability
	p.Redeemed, p.RedeemedValue = t.redeemed, t.value
}

// medianTook is median over the hours of counts: how many took each time.
func medianTook(counts map[time.Duration]int64) float64 {
	keys := slices.Sorted(maps.Keys(counts))
	var n int64
	for _, k := range keys {
		n += max(counts[k], 0)
	}
	if n == 0 {
		return 0
	}
	nth := func(i int64) float64 {
		for _, k := range keys {
			if i < counts[k] {
				return k.Hours()
			}
			i -= max(counts[k], 0)
		}
		return 0
	}
	if n%2 == 1 {
		return nth(n / 2)
	}
	return (nth(n/2-1) + nth(n/2)) / 2
}

// reportShares is every share worked out from the facts as of a day.
type reportShares struct {
	rf    *reportFacts
	ids   []ID // the id of each part
	parts []reportPart
}

// reportParts works out, as of day, the share of every id the facts name
// (of the ids in ids only, when ids is not nil), reading through db (nil:
// the readers). Reminders count from since; liability is at scheme.
func (s *Store) reportParts(ctx context.Context, db querier, ids []ID, day, since Day, e engine, scheme Loyalty) (*reportShares, error) {
	var rf *reportFacts
	var states *followStates
	complaints := map[ID]*complaintTally{}
	var order []ID // complaining ids in the order first met
	from := day.AddMonths(-12).AddDays(1)
	err := parallel(func() (err error) {
		rf, err = s.readReportFacts(ctx, day, factsWanted{rules: true, ledger: true, redeemFrom: from, db: db, ids: ids})
		return err
	}, func() (err error) {
		states, err = s.readFollowStatesOf(ctx, db, ids, since, day)
		return err
	}, func() error {
		return s.eachComplaint(ctx, db, ids, day, func(id ID, receivedAt, receivedOn string, resolvedOn sql.NullString, resolvedAt string) error {
			t := complaints[id]
			if t == nil {
				t = newComplaintTally(day)
				complaints[id] = t
				order = append(order, id)
			}
			return t.add(id, receivedAt, receivedOn, resolvedOn, resolvedAt)
		})
	})
	if err != nil {
		return nil, err
	}
	n := len(rf.slots.ids)
	sh := &reportShares{rf: rf, ids: slices.Clone(rf.slots.ids), parts: make([]reportPart, n)}
	for _, id := range order {
		if _, ok := rf.slots.get(id); !ok {
			sh.ids = append(sh.ids, id) // complaints of an id nothing else names
			sh.parts = append(sh.parts, reportPart{})
		}
	}
	rows, start := states.byCustomer(rf)
	ends := MonthEnds(day, ReportMonths)
	prevFrom := day.AddMonths(-24).AddDays(1)
	hold := func(b int64) Cents {
		p := PointsReport{Scheme: scheme}
		if scheme.RewardPoints > 0 {
			p.hold(b)
		}
		return p.Liability
	}
	work := func(i int, key []byte) []byte {
		p := &sh.parts[i]
		id := sh.ids[i]
		var ps []factPurchase
		if i < n {
			sl := i
			ps = rf.facts[sl].Purchases
			p.customer = sl < rf.known
			if p.customer {
				p.now = activityBand(lastSale(ps, day), day)
			}
			monthLasts(ps, ends, func(m int, last Day) { p.months[m] = activityBand(last, ends[m]) })
			p.base, p.kept = retained(ps, prevFrom, from, day)
			key = followSlot(rf, e, rows[start[sl]:start[sl+1]], sl, since, day, key, p.addFollow)
			p.balance = rf.balance[sl]
			p.liable = hold(p.balance)
			p.redeemed = rf.redeemedBy[sl]
			p.value = rf.valueBy[sl]
			p.spent, p.visits, p.hasLine = rf.spent[sl], rf.visits[sl], rf.hasLine[sl]
		}
		if t := complaints[id]; t != nil {
			t.rep.countBoughtAgain(t.first, day, func(ID) []factPurchase { return ps })
			p.complain = complaintPart{received: int64(t.rep.Received), resolved: int64(t.rep.Resolved), within24h: int64(t.rep.Within24h),
				complained: len(t.first) > 0, boughtAgain: t.rep.BoughtAgain > 0}
			p.took = t.took
		}
		return key
	}
	total := len(sh.parts)
	workers := max(1, min(runtime.GOMAXPROCS(0), 4, total/256+1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := make([]byte, 0, 96)
			for i := w * total / workers; i < (w+1)*total/workers; i++ {
				key = work(i, key)
			}
		}()
	}
	wg.Wait()
	return sh, nil
}

// totals adds up every share.
func (sh *reportShares) totals() *reportTotals {
	t := newReportTotals()
	for i := range sh.parts {
		t.add(&sh.parts[i], 1)
	}
	return t
}

// reportSettingsOn names what the shares are worked out under: the code's
// version, the rules and scheme (set), the day reminders count from and the
// reward's size and value today. ok is false when the scheme is unusable.
func (s *Store) reportSettingsOn(ctx context.Context, q querier, set shopSettings) (string, Day, Loyalty, bool, error) {
	v := map[string]string{}
	rows, err := q.QueryContext(ctx, "SELECT key, value FROM settings WHERE key IN ('created_on', 'loyalty', 'loyalty_history')")
	if err != nil {
		return "", 0, Loyalty{}, false, err
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var k, x string
		if err := r.Scan(&k, &x); err != nil {
			return err
		}
		v[k] = x
		return nil
	})
	if err != nil {
		return "", 0, Loyalty{}, false, err
	}
	var since Day
	if c := v["created_on"]; c != "" {
		if since, err = ParseDay(c); err != nil {
			return "", 0, Loyalty{}, false, nil
		}
	}
	l, err := loyaltyFrom(v["loyalty"])
	if err != nil {
		return "", 0, Loyalty{}, false, nil
	}
	if h := v["loyalty_history"]; h != "" {
		var hist loyaltyHistory
		if err := json.Unmarshal([]byte(h), &hist); err != nil {
			return "", 0, Loyalty{}, false, nil
		}
		l = hist.on(s.Today(), l)
	}
	if l.Validate() != nil {
		return "", 0, Loyalty{}, false, nil
	}
	return reportSettingsText(set, since, l), since, l, true, nil
}

func reportSettingsText(set shopSettings, since Day, l Loyalty) string {
	return reportsVersion + "\n" + set.fingerprint + "\n" + since.String() + "\n" +
		strconv.FormatInt(l.RewardPoints, 10) + "/" + strconv.FormatInt(int64(l.RewardValue), 10)
}

// syncReports works the kept shares out again inside tx, after the other
// derived rows: everyone's when all is set, the day or the settings
// changed; otherwise those of the ids in ids. committed says that tx
// changed none of the facts the shares read: everyone's are then read by
// the readers (which see what tx does not change), several at once, rather
// than one statement at a time through tx.
func (s *Store) syncReports(ctx context.Context, tx *sql.Tx, set shopSettings, ids []ID, all, committed bool) error {
	if !s.keepReports.Load() {
		return nil
	}
	var day Day
	var have string
	var data []byte
	if err := tx.QueryRowContext(ctx, "SELECT day, settings, data FROM report_totals").Scan(&day, &have, &data); err != nil {
		return err
	}
	want, since, scheme, ok, err := s.reportSettingsOn(ctx, tx, set)
	if err != nil {
		return err
	}
	if !ok {
		// Nothing to keep: the report says what is wrong when asked.
		if day == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE report_totals SET day = 0, settings = '', data = x''; DELETE FROM report_customers")
		return err
	}
	d := s.Today()
	all = all || day != d || have != want
	if !all && len(ids) == 0 {
		return nil
	}
	var t *reportTotals
	var old map[ID][]byte // everyone's kept share, when all are worked out again
	if all {
		if _, err := tx.ExecContext(ctx, "UPDATE report_totals SET day = 0"); err != nil {
			return err
		}
		t, ids, old = newReportTotals(), nil, map[ID][]byte{}
		rows, err := tx.QueryContext(ctx, "SELECT customer_id, data FROM report_customers")
		if err != nil {
			return err
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var id ID
			var data []byte
			if err := r.Scan(&id, &data); err != nil {
				return err
			}
			old[id] = data
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		if t, err = unpackTotals(data); err != nil {
			return err
		}
		if err := s.dropReportParts(ctx, tx, ids, t); err != nil {
			return err
		}
	}
	var db querier = tx
	if ids == nil && committed && s.r != nil {
		db = nil // not while opening, when the readers are the writer tx holds
	}
	sh, err := s.reportParts(ctx, db, ids, d, since, set.engine, scheme)
	if err != nil {
		return err
	}
	// Most shares are the same from one day to the next: only the others
	// are written (a share's columns are all in its data).
	var changed []ID
	var write []int
	packed := make([][]byte, len(sh.parts))
	for i := range sh.parts {
		p := &sh.parts[i]
		t.add(p, 1)
		packed[i] = p.pack()
		if was, ok := old[sh.ids[i]]; ok {
			delete(old, sh.ids[i])
			if string(was) == string(packed[i]) {
				continue
			}
			changed = append(changed, sh.ids[i])
		}
		write = append(write, i)
	}
	for id := range old {
		changed = append(changed, id) // nothing names it any more
	}
	slices.Sort(changed)
	if err := deleteIDs(ctx, tx, "report_customers", changed); err != nil {
		return err
	}
	rows := newDemoInsert(ctx, tx, "report_customers", "customer_id, customer, has_line, spent, visits, balance, data")
	for _, i := range write {
		p := &sh.parts[i]
		rows.add(sh.ids[i], boolInt(p.customer), boolInt(p.hasLine), int64(p.spent), p.visits, p.balance, packed[i])
	}
	if err := rows.close(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE report_totals SET day = ?, settings = ?, data = ?", int64(d), want, t.pack())
	return err
}

// deleteIDs removes the rows of table whose customer_id is in ids.
func deleteIDs(ctx context.Context, tx *sql.Tx, table string, ids []ID) error {
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := idArgs(ids[start:min(start+batch, len(ids))])
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE customer_id IN (?"+strings.Repeat(",?", len(part)-1)+")", part...); err != nil {
			return err
		}
	}
	return nil
}

// dropReportParts takes the kept shares of the ids in ids off t and
// removes them.
func (s *Store) dropReportParts(ctx context.Context, tx *sql.Tx, ids []ID, t *reportTotals) error {
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := idArgs(ids[start:min(start+batch, len(ids))])
		in := " IN (?" + strings.Repeat(",?", len(part)-1) + ")"
		rows, err := tx.QueryContext(ctx, "SELECT data FROM report_customers WHERE customer_id"+in, part...)
		if err != nil {
			return err
		}
		err = eachRow(rows, func(r *sql.Rows) error {
			var data []byte
			if err := r.Scan(&data); err != nil {
				return err
			}
			p, err := unpackPart(data)
			if err != nil {
				return err
			}
			t.add(&p, -1)
			return nil
		})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM report_customers WHERE customer_id"+in, part...); err != nil {
			return err
		}
	}
	return nil
}

// reportsStale says whether the kept report figures are not those of
// today under the settings there are now (startDerived then works them
// out again).
func (s *Store) reportsStale(ctx context.Context, q querier, set shopSettings) bool {
	if !s.keepReports.Load() {
		return false
	}
	want, _, _, ok, err := s.reportSettingsOn(ctx, q, set)
	if err != nil || !ok {
		return false
	}
	var day Day
	var have string
	if err := q.QueryRowContext(ctx, "SELECT day, settings FROM report_totals").Scan(&day, &have); err != nil {
		return false
	}
	return day != s.Today() || have != want
}

// keptTotals reads the kept totals, with ok false when they are not those
// of day under want (reportSettingsText) or not current: customers wait to
// be worked out again, or the last write could not work them out.
func (s *Store) keptTotals(ctx context.Context, q querier, day Day, want string) (*reportTotals, bool, error) {
	if !s.keepReports.Load() || s.skipDerived {
		return nil, false, nil
	}
	var kept Day
	var have string
	var data []byte
	var current bool
	err := q.QueryRowContext(ctx, `SELECT t.day, t.settings, t.data, c.fingerprint <> '' AND NOT EXISTS (SELECT 1 FROM reminder_dirty)
		FROM report_totals t, reminder_cache c`).Scan(&kept, &have, &data, &current)
	if err != nil {
		return nil, false, s.explain(err)
	}
	if !current || kept != day || have != want {
		return nil, false, nil
	}
	t, err := unpackTotals(data)
	if err != nil {
		return nil, false, nil // the check reports it; the figures are worked out from the facts
	}
	return t, true, nil
}

// walkInValue is the money off walk-ins' sales not voided from from to to.
func (s *Store) walkInValue(ctx context.Context, q querier, from, to Day) (Cents, error) {
	var v Cents
	err := q.QueryRowContext(ctx, `SELECT coalesce(sum(discount_cents), 0) FROM purchases
		WHERE customer_id IS NULL AND day >= ? AND day <= ? AND voided = 0 AND discount_cents > 0`, from.String(), to.String()).Scan(&v)
	return v, s.explain(err)
}

// keptTop is the n customers who spent most up to the kept day, from the
// index on the kept spend, with their kept balances.
func (s *Store) keptTop(ctx context.Context, q querier, n int) ([]TopCustomer, map[ID]int64, error) {
	var out []TopCustomer
	bal := map[ID]int64{}
	rows, err := q.QueryContext(ctx, `SELECT customer_id, spent, visits, balance FROM report_customers
		WHERE has_line <> 0 ORDER BY spent DESC, customer_id LIMIT ?`, n)
	if err != nil {
		return nil, nil, s.explain(err)
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var t TopCustomer
		var b int64
		if err := r.Scan(&t.Customer.ID, &t.Spent, &t.Visits, &b); err != nil {
			return err
		}
		bal[t.Customer.ID] = b
		out = append(out, t)
		return nil
	})
	return out, bal, s.explain(err)
}

// keptReport fills r from the kept figures when they are of r.Day and
// current; ok is false otherwise.
func (s *Store) keptReport(ctx context.Context, r *Report, since Day, want string, top int) (bool, error) {
	if !s.keepReports.Load() || s.skipDerived {
		return false, nil
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return false, s.explain(err)
	}
	defer tx.Rollback()
	t, ok, err := s.keptTotals(ctx, tx, r.Day, want)
	if err != nil || !ok {
		return false, err
	}
	s.keptReads.Add(1)
	t.fill(r, since)
	walkIns, err := s.walkInValue(ctx, tx, r.Points.From, r.Day)
	if err != nil {
		return false, err
	}
	r.Points.RedeemedValue += walkIns
	var bal map[ID]int64
	topHere := r.Day == s.Today()
	if topHere && top > 0 {
		if r.Top, bal, err = s.keptTop(ctx, tx, top); err != nil {
			return false, err
		}
	}
	tx.Rollback()
	if topHere {
		if len(r.Top) > 0 {
			err = s.fillTop(ctx, r.Top, func(id ID) int64 { return bal[id] })
		}
	} else {
		r.Top, err = s.TopCustomers(ctx, top)
	}
	return true, err
}

// keptTopCustomers is TopCustomers from the kept figures, when they are of
// today and current.
func (s *Store) keptTopCustomers(ctx context.Context, n int) ([]TopCustomer, bool, error) {
	if !s.keepReports.Load() || s.skipDerived {
		return nil, false, nil
	}
	want, ok, err := s.reportSettings(ctx)
	if err != nil || !ok {
		return nil, false, err
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, s.explain(err)
	}
	defer tx.Rollback()
	if _, ok, err := s.keptTotals(ctx, tx, s.Today(), want); err != nil || !ok {
		return nil, false, err
	}
	out, bal, err := s.keptTop(ctx, tx, n)
	if err != nil {
		return nil, false, err
	}
	s.keptLoyaltyReads.Add(1)
	tx.Rollback()
	if len(out) == 0 {
		return nil, true, nil
	}
	return out, true, s.fillTop(ctx, out, func(id ID) int64 { return bal[id] })
}

// reportSettings is reportSettingsOn through the readers, with the rules
// and scheme there are now.
func (s *Store) reportSettings(ctx context.Context) (string, bool, error) {
	set, err := s.readSettings(ctx, s.reader())
	if err != nil {
		return "", false, nil // the settings' own trouble is reported where they are read
	}
	want, _, _, ok, err := s.reportSettingsOn(ctx, s.reader(), set)
	return want, ok, s.explain(err)
}

// LoyaltyOverview is what the Loyalty screen's summary shows, with the
// first page of who has a reward ready.
type LoyaltyOverview struct {
	Scheme      Loyalty
	Outstanding int64 // every customer's points added up
	Holders     int   // customers holding any
	// Liability is what the points held would cost if spent, counted as
	// PointsReport counts it: whole rewards per customer.
	Liability Cents
	Ready     ReadyPage
}

// ReadyPage is a stretch of the customers holding at least a reward's
// points, most points first (HoldersFrom's order), with how many there are.
type ReadyPage struct {
	Total  int
	Offset int
	Rows   []PointsHolder
}

// LoyaltyOverview reads the Loyalty screen's summary and the first limit
// customers with a reward ready: from the kept figures when they are of
// today and current, else from every balance.
func (s *Store) LoyaltyOverview(ctx context.Context, limit int) (LoyaltyOverview, error) {
	var o LoyaltyOverview
	var err error
	limit = max(limit, 0)
	if o.Scheme, err = s.Loyalty(ctx); err != nil {
		return o, err
	}
	if err := o.Scheme.Validate(); err != nil {
		return o, fmt.Errorf("the loyalty scheme in Settings is not usable: %v", err)
	}
	tx, ok, err := s.keptLoyalty(ctx)
	if err != nil {
		return o, err
	}
	if ok {
		defer tx.Rollback()
		var t *reportTotals
		want, _, _, _, err := s.reportSettingsOn(ctx, tx, mustSettings(ctx, s, tx))
		if err != nil {
			return o, s.explain(err)
		}
		if t, ok, err = s.keptTotals(ctx, tx, s.Today(), want); err != nil {
			return o, err
		}
		if ok {
			s.keptLoyaltyReads.Add(1)
			o.Outstanding, o.Holders = t.custPoints, int(t.custHolders)
			for b, n := range t.balances {
				o.Liability += Cents(n*(b/o.Scheme.RewardPoints)) * o.Scheme.RewardValue
			}
			o.Ready, err = s.readyPage(ctx, tx, t, o.Scheme.RewardPoints, 0, limit)
			return o, err
		}
	}
	bal, err := s.Balances(ctx)
	if err != nil {
		return o, err
	}
	for _, b := range bal {
		o.Outstanding += b
		if b > 0 {
			o.Holders++
			o.Liability += Cents(b/o.Scheme.RewardPoints) * o.Scheme.RewardValue
		}
	}
	hs, err := s.HoldersFrom(ctx, o.Scheme.RewardPoints)
	if err != nil {
		return o, err
	}
	o.Ready = ReadyPage{Total: len(hs), Rows: hs[:min(limit, len(hs))]}
	return o, nil
}

// ReadyPage is the customers holding at least min points (min > 0),
// most first, from offset on, at most limit of them.
func (s *Store) ReadyPage(ctx context.Context, min int64, offset, limit int) (ReadyPage, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	if min > 0 {
		tx, ok, err := s.keptLoyalty(ctx)
		if err != nil {
			return ReadyPage{}, err
		}
		if ok {
			defer tx.Rollback()
			want, _, _, _, err := s.reportSettingsOn(ctx, tx, mustSettings(ctx, s, tx))
			if err != nil {
				return ReadyPage{}, s.explain(err)
			}
			if t, ok, err := s.keptTotals(ctx, tx, s.Today(), want); err != nil || ok {
				if err != nil {
					return ReadyPage{}, err
				}
				s.keptLoyaltyReads.Add(1)
				return s.readyPage(ctx, tx, t, min, offset, limit)
			}
		}
	}
	hs, err := s.HoldersFrom(ctx, min)
	if err != nil {
		return ReadyPage{}, err
	}
	lo, hi := min2(offset, len(hs)), min2(offset+limit, len(hs))
	return ReadyPage{Total: len(hs), Offset: offset, Rows: hs[lo:hi:hi]}, nil
}

func min2(a, b int) int { return min(a, b) }

// customerColsOf is customerCols of the customers table named c.
var customerColsOf = func() string {
	var cols []string
	for _, c := range strings.Split(customerCols, ",") {
		cols = append(cols, "c."+strings.TrimSpace(c))
	}
	return strings.Join(cols, ", ")
}()

// keptLoyalty opens a read transaction on the kept figures; ok is false
// when the schema has none.
func (s *Store) keptLoyalty(ctx context.Context) (*sql.Tx, bool, error) {
	if !s.keepReports.Load() || s.skipDerived {
		return nil, false, nil
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, s.explain(err)
	}
	return tx, true, nil
}

// mustSettings reads the settings through q; damaged ones give settings
// no kept figure matches.
func mustSettings(ctx context.Context, s *Store, q querier) shopSettings {
	set, err := s.readSettings(ctx, q)
	if err != nil {
		return shopSettings{fingerprint: "\x00damaged"}
	}
	return set
}

// readyPage reads a page of the customers holding at least min points
// (min > 0) from the index on the kept balances, with the count of all of
// them from t.
func (s *Store) readyPage(ctx context.Context, q querier, t *reportTotals, min int64, offset, limit int) (ReadyPage, error) {
	p := ReadyPage{Offset: offset, Total: t.readyCount(min)}
	if limit == 0 || offset >= p.Total {
		return p, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT r.balance, `+customerColsOf+` FROM report_customers r JOIN customers c ON c.id = r.customer_id
		WHERE r.customer <> 0 AND r.balance >= ? ORDER BY r.balance DESC, r.customer_id LIMIT ? OFFSET ?`, min, limit, offset)
	if err != nil {
		return p, s.explain(err)
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var h PointsHolder
		c, err := scanCustomer(scanWith(r, &h.Balance))
		if err != nil {
			return err
		}
		h.Customer = c
		p.Rows = append(p.Rows, h)
		return nil
	})
	return p, s.explain(err)
}

// checkReports compares the kept shares and totals with what the facts
// give now.
func (s *Store) checkReports(ctx context.Context) ([]finding, error) {
	if !s.keepReports.Load() || !s.keepDerived.Load() {
		return nil, nil
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer tx.Rollback()
	set, err := s.readSettings(ctx, tx)
	if err != nil {
		return nil, nil // the settings' own trouble is reported where they are read
	}
	want, since, scheme, ok, err := s.reportSettingsOn(ctx, tx, set)
	if err != nil || !ok {
		return nil, s.explain(err)
	}
	var day Day
	var have string
	var data []byte
	var current bool
	err = tx.QueryRowContext(ctx, `SELECT t.day, t.settings, t.data, c.fingerprint <> '' AND NOT EXISTS (SELECT 1 FROM reminder_dirty)
		FROM report_totals t, reminder_cache c`).Scan(&day, &have, &data, &current)
	if err != nil {
		return nil, s.explain(err)
	}
	if day == 0 || !current || have != want {
		return nil, nil // not in use: the next write works them out again
	}
	sh, err := s.reportParts(ctx, tx, nil, day, since, set.engine, scheme)
	if err != nil {
		return nil, err
	}
	wantRows := map[ID]string{}
	for i := range sh.parts {
		p := &sh.parts[i]
		wantRows[sh.ids[i]] = fmt.Sprintf("%d %d %d %d %d %x", boolInt(p.customer), boolInt(p.hasLine), p.spent, p.visits, p.balance, p.pack())
	}
	haveRows := map[ID]string{}
	rows, err := tx.QueryContext(ctx, "SELECT customer_id, customer, has_line, spent, visits, balance, data FROM report_customers")
	if err != nil {
		return nil, s.explain(err)
	}
	err = eachRow(rows, func(r *sql.Rows) error {
		var id ID
		var c, h, sp, v, b int64
		var d []byte
		if err := r.Scan(&id, &c, &h, &sp, &v, &b, &d); err != nil {
			return err
		}
		haveRows[id] = fmt.Sprintf("%d %d %d %d %d %x", c, h, sp, v, b, d)
		return nil
	})
	if err != nil {
		return nil, s.explain(err)
	}
	var found []finding
	for id := range union(wantRows, haveRows) {
		if wantRows[id] != haveRows[id] {
			found = append(found, finding{3, id, 0, fmt.Sprintf("customer %d: the figures kept for the Reports page do not match the facts; any change to the customer works them out again", id)})
		}
	}
	slices.SortFunc(found, func(a, b finding) int { return cmp.Compare(a.cust, b.cust) })
	if got, err := unpackTotals(data); err != nil || !slices.Equal(got.pack(), sh.totals().pack()) {
		found = append(found, finding{3, 0, 0, "the shop's totals kept for the Reports page do not match the facts; the next day, or a change to the rules, works them out again"})
	}
	return found, nil
}
