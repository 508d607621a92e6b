package data

import (
	"cmp"
	"regulars/rules"
	"slices"
	"sort"
	"strconv"
)

// The reminder engine: pure functions from a customer's facts to the
// reminders those facts call for. Nothing here reads the database, so the
// rules are tested on values and the same code serves Today, the calendar,
// the customer page and exports.

// factPurchase is the part of a purchase the rules read. Keeping it small
// matters: the whole shop's purchases are held at once.
type factPurchase struct {
	ID       rules.ID
	Day      rules.Day
	Amount   rules.Cents // negative for a refund
	RefundOf rules.ID
}

// factLedger is the part of a loyalty ledger row the rules read.
type factLedger struct {
	ID     rules.ID
	Day    rules.Day
	Points int64
	Redeem bool
}

func (r factLedger) lot() (rules.ID, rules.Day, int64) { return r.ID, r.Day, r.Points }

// customerFacts is everything the rules know about one customer. Slices of
// dated facts are in (day, id) order; voided purchases are left out.
type customerFacts struct {
	Customer    rules.Customer
	Purchases   []factPurchase // sales and refunds
	ContactDays []rules.Day
	Occasions   []rules.Occasion
	Promises    []rules.Promise
	Complaints  []rules.Complaint
	Ledger      []factLedger
}

// cand is a reminder before it has a key, a state or words: the engine makes
// many of them and only the few that are looked at become Reminders.
type cand struct {
	kind          rules.Kind
	subject       string // a constant, or built with tag/id/suffix
	tag           string // "purchase", "promise", "complaint", "occasion", "expiry"
	id            rules.ID
	suffix        string // "open" or "resolved" for complaints
	due           rules.Day
	shownFrom     rules.Day
	until         rules.Day
	openComplaint bool

	// What the words are made from.
	event  rules.Day   // the purchase, keeping, resolution or last touch; expiry day
	amount rules.Cents // the purchase
	points int64       // points expiring, or the balance
	text   string      // occasion label, promise, complaint
	years  int         // anniversary years, age on a birthday (0 when unknown)
	never  bool        // stay_in_touch of a customer never seen buying or contacted
}

func (c *cand) subjectString() string {
	switch {
	case c.subject != "":
		return c.subject
	case c.tag == "expiry":
		return "expiry:" + c.event.String()
	case c.suffix != "":
		return c.tag + ":" + strconv.FormatInt(c.id, 10) + ":" + c.suffix
	}
	return c.tag + ":" + strconv.FormatInt(c.id, 10)
}

// key is kind:customer:subject:due, stable across recomputation.
func (c *cand) key(customer rules.ID) string {
	// Built by hand: Today makes thousands of keys.
	b := make([]byte, 0, 64)
	b = append(b, c.kind...)
	b = append(b, ':')
	b = strconv.AppendInt(b, customer, 10)
	b = append(b, ':')
	b = append(b, c.subjectString()...)
	b = append(b, ':')
	b = appendDay(b, c.due)
	return string(b)
}

// appendDay appends d as YYYY-MM-DD, as Day.String does.
func appendDay(b []byte, d rules.Day) []byte {
	if d.IsZero() {
		return b
	}
	y, m, dd := d.Date()
	if y < 1000 {
		return append(b, d.String()...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-', byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+dd/10), byte('0'+dd%10))
	return b
}

// Dated facts are in (day, id) order.
func compareLedgerFacts(a, b factLedger) int {
	return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.ID, b.ID))
}

func comparePurchaseFacts(a, b factPurchase) int {
	return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.ID, b.ID))
}

func cmpID(a, b rules.ID) int { return cmp.Compare(a, b) }

// engine holds the numbers the rules use.
type engine struct {
	rules   rules.Rules
	loyalty rules.Loyalty
}

// on says whether kind k applies to customer cu at all.
func (e engine) on(k rules.Kind, cu *rules.Customer) bool {
	return e.rules[k].On && !(cu.DoNotContact && k.Marketing())
}

// reminder turns a candidate into a Reminder of customer cu, still open.
func (c *cand) reminder(cu *rules.Customer) rules.Reminder {
	return c.reminderKeyed(cu, c.key(cu.ID))
}

// reminderKeyed is reminder with its key already made.
func (c *cand) reminderKeyed(cu *rules.Customer, key string) rules.Reminder {
	return rules.Reminder{
		Key: key, Kind: c.kind, CustomerID: cu.ID, CustomerName: cu.Name,
		Phone: cu.Phone, Email: cu.Email, Subject: c.subjectString(),
		Due: c.due, ShownFrom: c.shownFrom, Until: c.until, State: rules.StateOpen, OpenComplaint: c.openComplaint,
	}
}

// each calls emit with every reminder of f as of asOf; f's dated facts must
// be in (day, id) order. Yearly occurrences come at least up to the first
// one shown after asOf, and all those due up to through. emit must not keep
// c: it is reused.
func (e engine) each(f *customerFacts, asOf, through rules.Day, emit func(c *cand)) {
	var c cand
	put := func() { emit(&c) }
	e.purchases(f, asOf, &c, put)
	e.yearly(f, asOf, through, &c, put)
	e.promises(f, asOf, &c, put)
	e.complaints(f, asOf, &c, put)
	e.stayInTouch(f, asOf, &c, put)
	e.points(f, asOf, &c, put)
}

// purchases gives thank-yous and check-ins.
func (e engine) purchases(f *customerFacts, asOf rules.Day, c *cand, put func()) {
	ty, ci := e.on(rules.KindThankYou, &f.Customer), e.on(rules.KindCheckIn, &f.Customer)
	if !ty && !ci {
		return
	}
	ps := f.Purchases
	// Refunds are rare: only customers who had one pay for the map.
	var refunded map[rules.ID]rules.Cents
	for _, p := range ps {
		if p.RefundOf != 0 && p.Day <= asOf {
			if refunded == nil {
				refunded = map[rules.ID]rules.Cents{}
			}
			refunded[p.RefundOf] -= p.Amount
		}
	}
	tr, cr := e.rules[rules.KindThankYou], e.rules[rules.KindCheckIn]
	var lastThanked rules.Day
	thanked := false
	for _, p := range ps {
		if p.Amount <= 0 || p.RefundOf != 0 || p.Day > asOf {
			continue
		}
		back := refunded[p.ID]
		if back >= p.Amount {
			continue // fully refunded: no follow-up, and it does not start a gap
		}
		if ty && (!thanked || p.Day.Sub(lastThanked) >= tr.GapDays) {
			thanked, lastThanked = true, p.Day
			due := p.Day.AddDays(tr.AfterDays)
			*c = cand{kind: rules.KindThankYou, tag: "purchase", id: p.ID, due: due, shownFrom: due,
				until: due.AddDays(tr.StayDays), event: p.Day, amount: p.Amount}
			put()
		}
		if ci && p.Amount-back >= cr.MinCents {
			due := p.Day.AddDays(cr.AfterDays)
			*c = cand{kind: rules.KindCheckIn, tag: "purchase", id: p.ID, due: due, shownFrom: due,
				until: due.AddDays(cr.StayDays), event: p.Day, amount: p.Amount}
			put()
		}
	}
}

// yearly gives birthdays, anniversaries and occasions.
func (e engine) yearly(f *customerFacts, asOf, through rules.Day, c *cand, put func()) {
	cu := &f.Customer
	// History starts the day the customer was put on the books, or earlier
	// when looking at an earlier day: customers always count.
	lower := cu.AddedOn
	if lower.IsZero() || asOf < lower {
		lower = asOf
	}
	if e.on(rules.KindBirthday, cu) && !cu.Birthday.IsZero() {
		r := e.rules[rules.KindBirthday]
		b := cu.Birthday
		occurrences(lower, asOf, through, r.BeforeDays, r.StayDays, func(yr int) (rules.Day, bool) {
			return b.In(yr), b.Year == 0 || yr >= b.Year
		}, func(due rules.Day, yr int) {
			age := 0
			if b.Year != 0 {
				age = yr - b.Year
			}
			*c = cand{kind: rules.KindBirthday, subject: "birthday", due: due, shownFrom: due.AddDays(-r.BeforeDays),
				until: due.AddDays(r.StayDays), event: due, years: age}
			put()
		})
	}
	if e.on(rules.KindAnniversary, cu) && !cu.CustomerSince.IsZero() {
		r := e.rules[rules.KindAnniversary]
		since := cu.CustomerSince
		occurrences(lower, asOf, through, r.BeforeDays, r.StayDays, func(yr int) (rules.Day, bool) {
			n := yr - since.Year()
			return since.AddYears(n), n >= 1
		}, func(due rules.Day, yr int) {
			*c = cand{kind: rules.KindAnniversary, subject: "anniversary", due: due, shownFrom: due.AddDays(-r.BeforeDays),
				until: due.AddDays(r.StayDays), event: since, years: yr - since.Year()}
			put()
		})
	}
	if e.on(rules.KindOccasion, cu) {
		r := e.rules[rules.KindOccasion]
		for i := range f.Occasions {
			o := &f.Occasions[i]
			if o.Date.IsZero() || (!o.Yearly && o.Date.Year == 0) {
				continue
			}
			occurrences(lower, asOf, through, o.LeadDays, r.StayDays, func(yr int) (rules.Day, bool) {
				ok := (o.Date.Year == 0 || yr >= o.Date.Year) && (o.Yearly || yr == o.Date.Year)
				return o.Date.In(yr), ok
			}, func(due rules.Day, yr int) {
				years := 0
				if o.Date.Year != 0 {
					years = yr - o.Date.Year
				}
				*c = cand{kind: rules.KindOccasion, tag: "occasion", id: o.ID, due: due, shownFrom: due.AddDays(-o.LeadDays),
					until: due.AddDays(r.StayDays), event: due, text: o.Label, years: years}
				put()
			})
		}
	}
}

// occurrences calls fn for each yearly occurrence whose window
// [due-before, due+stay] ends on or after lower and that is shown by asOf,
// due by through, or the first one shown after asOf.
func occurrences(lower, asOf, through rules.Day, before, stay int, due func(yr int) (rules.Day, bool), fn func(due rules.Day, yr int)) {
	if through < asOf {
		through = asOf
	}
	// Windows can be years long when the owner sets large numbers; the
	// margins make sure every window that reaches the range is visited.
	first := max(1, lower.Year()-stay/365-1)
	last := min(9999, through.Year()+before/365+2)
	nextFound := false
	for yr := first; yr <= last; yr++ {
		if yr < 1 || yr > 9999 {
			continue
		}
		d, ok := due(yr)
		if !ok || d.AddDays(stay) < lower {
			continue
		}
		switch {
		case d.AddDays(-before) <= asOf, d <= through:
		case !nextFound:
			nextFound = true
		default:
			continue
		}
		fn(d, yr)
	}
}

// promises gives promise reminders and the check-in after one is kept.
func (e engine) promises(f *customerFacts, asOf rules.Day, c *cand, put func()) {
	pr := e.rules[rules.KindPromise]
	if !pr.On {
		return
	}
	checkIn := e.on(rules.KindCheckIn, &f.Customer)
	cr := e.rules[rules.KindCheckIn]
	for i := range f.Promises {
		p := &f.Promises[i]
		if p.MadeOn > asOf || p.Due.IsZero() {
			continue
		}
		if p.KeptOn.IsZero() || p.KeptOn > asOf {
			*c = cand{kind: rules.KindPromise, tag: "promise", id: p.ID, due: p.Due, shownFrom: p.Due.AddDays(-pr.BeforeDays),
				text: p.What, event: p.MadeOn}
			put()
			continue
		}
		if checkIn {
			due := p.KeptOn.AddDays(pr.ResolvedDays)
			*c = cand{kind: rules.KindCheckIn, tag: "promise", id: p.ID, due: due, shownFrom: due,
				until: due.AddDays(cr.StayDays), text: p.What, event: p.KeptOn}
			put()
		}
	}
}

// complaints gives the follow-up of an open complaint, then the one after
// it is resolved.
func (e engine) complaints(f *customerFacts, asOf rules.Day, c *cand, put func()) {
	r := e.rules[rules.KindComplaintFollowup]
	if !r.On {
		return
	}
	for i := range f.Complaints {
		k := &f.Complaints[i]
		if k.Received.IsZero() || k.Received > asOf {
			continue
		}
		if k.OpenOn(asOf) {
			due := k.Received.AddDays(r.AfterDays)
			*c = cand{kind: rules.KindComplaintFollowup, tag: "complaint", id: k.ID, suffix: "open", due: due, shownFrom: due,
				openComplaint: true, text: k.What, event: k.Received}
			put()
			continue
		}
		due := k.ResolvedOn.AddDays(r.ResolvedDays)
		*c = cand{kind: rules.KindComplaintFollowup, tag: "complaint", id: k.ID, suffix: "resolved", due: due, shownFrom: due,
			text: k.What, event: k.ResolvedOn}
		put()
	}
}

// stayInTouch falls due a while after the latest purchase or contact; a new
// one moves the due day, which makes a new key and lets the old one go.
func (e engine) stayInTouch(f *customerFacts, asOf rules.Day, c *cand, put func()) {
	if !e.on(rules.KindStayInTouch, &f.Customer) {
		return
	}
	var last rules.Day
	for _, p := range f.Purchases {
		if p.Amount > 0 && p.RefundOf == 0 && p.Day <= asOf && p.Day > last {
			last = p.Day
		}
	}
	for _, d := range f.ContactDays {
		if d <= asOf && d > last {
			last = d
		}
	}
	e.touch(f, last, c, put)
}

// touch gives stay_in_touch from the day f's customer was last seen
// buying or contacted (zero: never), as of a day on or after it.
func (e engine) touch(f *customerFacts, last rules.Day, c *cand, put func()) {
	never := last.IsZero()
	if never {
		last = f.Customer.CustomerSince
		if last.IsZero() {
			last = f.Customer.AddedOn
		}
		if last.IsZero() {
			return
		}
	}
	due := last.AddDays(e.rules[rules.KindStayInTouch].AfterDays)
	*c = cand{kind: rules.KindStayInTouch, subject: "touch", due: due, shownFrom: due, event: last, never: never}
	put()
}

// ledgerAsOf returns the prefix of rows dated on or before asOf.
func ledgerAsOf(rows []factLedger, asOf rules.Day) []factLedger {
	n := sort.Search(len(rows), func(i int) bool { return rows[i].Day > asOf })
	return rows[:n]
}

// balanceAsOf is the sum of the ledger up to asOf.
func balanceAsOf(rows []factLedger, asOf rules.Day) int64 {
	var b int64
	for _, r := range ledgerAsOf(rows, asOf) {
		b += r.Points
	}
	return b
}

// points gives reward_ready and points_expiring.
func (e engine) points(f *customerFacts, asOf rules.Day, c *cand, put func()) {
	reward := e.on(rules.KindRewardReady, &f.Customer) && e.loyalty.RewardPoints > 0
	months := e.loyalty.ExpiryMonths
	expiring := months > 0 && e.on(rules.KindPointsExpiring, &f.Customer)
	if !reward && !expiring {
		return
	}
	rows := ledgerAsOf(f.Ledger, asOf)
	if len(rows) == 0 {
		return
	}
	if reward {
		if ready, bal := readySince(rows, e.loyalty.RewardPoints); !ready.IsZero() {
			rewardReady(ready, bal, c, put)
		}
	}
	if expiring {
		r := e.rules[rules.KindPointsExpiring]
		lots, left := rules.SpendLots(rows, months, factLedger.lot)
		for i := 0; i < len(lots); {
			exp := lots[i].Expires
			var n int64
			for ; i < len(lots) && lots[i].Expires == exp; i++ {
				n += left[i]
			}
			if n <= 0 {
				continue
			}
			due := exp.AddDays(-r.AfterDays)
			// The last day to act is the day before the points go.
			until := max(exp.AddDays(-1), due)
			*c = cand{kind: rules.KindPointsExpiring, tag: "expiry", due: due, shownFrom: due, until: until, event: exp, points: n}
			put()
		}
	}
}

// readySince is the day the ledger rows (in (day, id) order) last reached
// a reward of need points, zero when none is ready after them, and the
// balance they leave.
func readySince(rows []factLedger, need int64) (rules.Day, int64) {
	var bal int64
	var crossed, lastRedeem rules.Day
	for _, r := range rows {
		before := bal
		bal += r.Points
		if before < need && bal >= need {
			crossed = r.Day
		}
		if r.Redeem && r.Points < 0 {
			lastRedeem = r.Day
		}
	}
	// An earlier crossing was followed by a drop below the reward, so
	// only the latest can still stand; a redeem after it ends it too.
	if bal >= need && !crossed.IsZero() && lastRedeem <= crossed {
		return crossed, bal
	}
	return 0, bal
}

// rewardReady gives reward_ready: the balance reached a reward on day
// ready and no redeem came after.
func rewardReady(ready rules.Day, balance int64, c *cand, put func()) {
	*c = cand{kind: rules.KindRewardReady, subject: "reward", due: ready, shownFrom: ready, points: balance, event: ready}
	put()
}

// partial calls emit with every reminder of f's customer as of asOf when
// nothing of theirs is dated after asOf and f holds only part of their
// facts: the sales and refunds from the start of a thank-you chain on (see
// chainStart), the occasions, promises and complaints, and no ledger or
// contacts. Stay in touch and reward ready come from sum, the customer's
// summary row. Points expiring is the caller's to rule out.
func (e engine) partial(f *customerFacts, sum *CustomerSummary, asOf, through rules.Day, emit func(c *cand)) {
	var c cand
	put := func() { emit(&c) }
	e.purchases(f, asOf, &c, put)
	e.yearly(f, asOf, through, &c, put)
	e.promises(f, asOf, &c, put)
	e.complaints(f, asOf, &c, put)
	if e.on(rules.KindStayInTouch, &f.Customer) {
		e.touch(f, max(sum.LastSaleDay, sum.LastContactDay), &c, put)
	}
	if e.on(rules.KindRewardReady, &f.Customer) && e.loyalty.RewardPoints > 0 && !sum.RewardReadyOn.IsZero() {
		rewardReady(sum.RewardReadyOn, sum.Balance, &c, put)
	}
}

// reminderState is what people did with a reminder, as stored.
type reminderState struct {
	State        rules.State
	SnoozedUntil rules.Day
	Reason       string
	Staff        string
	ChangedOn    rules.Day
	ContactID    rules.ID
}

// applyState fills r's state as seen on day d: stored changes made after d
// are ignored, a snooze that has ended leaves it open, and one left
// unhandled past its last day is missed.
func applyState(r *rules.Reminder, st reminderState, has bool, d rules.Day) {
	r.State = rules.StateOpen
	r.OverdueDays = max(0, d.Sub(r.Due))
	if has && st.ChangedOn <= d {
		r.Staff, r.Reason = st.Staff, st.Reason
		switch st.State {
		case rules.StateDone, rules.StateSkipped:
			r.State, r.DoneOn = st.State, st.ChangedOn
			return
		case rules.StateSnoozed:
			r.SnoozedUntil = st.SnoozedUntil
			if st.SnoozedUntil > d {
				r.State = rules.StateSnoozed
			}
		}
	}
	if r.Until != 0 && d > r.Until {
		r.State = rules.StateMissed
	}
}

// onToday says whether r, with its state applied for d, is on Today on d.
func onToday(r *rules.Reminder, d rules.Day) bool {
	return r.State == rules.StateOpen && r.ShownFrom <= d && (r.Until == 0 || d <= r.Until)
}

// changeDays returns the days in (from, to] on which any of f's facts is
// dated, in order: between two of them what the rules see does not change.
func (f *customerFacts) changeDays(from, to rules.Day) []rules.Day {
	var days []rules.Day
	f.eachFactDay(func(d rules.Day) {
		if d > from && d <= to {
			days = append(days, d)
		}
	})
	slices.Sort(days)
	return slices.Compact(days)
}

// eachFactDay calls fn with the day of each of f's dated facts (zero for a
// promise not kept or a complaint not resolved).
func (f *customerFacts) eachFactDay(fn func(rules.Day)) {
	for _, p := range f.Purchases {
		fn(p.Day)
	}
	for _, d := range f.ContactDays {
		fn(d)
	}
	for _, r := range f.Ledger {
		fn(r.Day)
	}
	for i := range f.Promises {
		fn(f.Promises[i].MadeOn)
		fn(f.Promises[i].KeptOn)
	}
	for i := range f.Complaints {
		fn(f.Complaints[i].Received)
		fn(f.Complaints[i].ResolvedOn)
	}
}

// dueOn calls fn(x, c) for each reminder of f that Today(x) would list with
// due day x, for every x in [from, to]. Rather than computing each day, it
// computes once per stretch of days in which f's facts do not change.
func (e engine) dueOn(f *customerFacts, from, to rules.Day, fn func(x rules.Day, c *cand)) {
	starts := append([]rules.Day{from}, f.changeDays(from, to)...)
	for i, s := range starts {
		end := to
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		e.each(f, s, end, func(c *cand) {
			if c.due >= s && c.due <= end && c.shownFrom <= c.due && (c.until == 0 || c.due <= c.until) {
				fn(c.due, c)
			}
		})
	}
}
