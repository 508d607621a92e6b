package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"regulars/rules"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DemoOptions say what demo shop to make.
type DemoOptions struct {
	Customers int       // how many customers; 0 means 2000
	Seed      int64     // 0 means 1
	End       rules.Day // the history ends on this day; zero means s.Today()
}

// DemoReport counts what GenerateDemo wrote. Purchases are sales (walk-ins
// included); refunds are counted apart.
type DemoReport struct {
	Customers, Purchases, Refunds, Contacts, Complaints, Promises, Occasions, LedgerRows int
}

// ErrHasCustomers means demo was pointed at a database that is in use.
var ErrHasCustomers = errors.New("already has customers")

// DemoMaxCustomers bounds the demo: the fictional phone numbers run out past it.
const DemoMaxCustomers = 200_000

// DemoShopName is the name the demo gives its shop.
const DemoShopName = "Harbour Lane Outfitters"

// DemoStaff are the people on the demo shop's rows.
var DemoStaff = []string{"Maggie", "Tomasz", "Priya", "Callum"}

// GenerateDemo fills an empty database with three years of a believable
// shop's history ending on opt.End. The same options give the same bytes:
// everything comes from one seeded generator and is dated from End.
func (s *Store) GenerateDemo(ctx context.Context, opt DemoOptions) (DemoReport, error) {
	if opt.Customers == 0 {
		opt.Customers = 2000
	}
	if err := s.notOnPostgres("the demo shop"); err != nil {
		return DemoReport{}, err
	}
	if opt.Customers < 0 || opt.Customers > DemoMaxCustomers {
		return DemoReport{}, fmt.Errorf("the demo needs between 1 and %d customers, not %d", DemoMaxCustomers, opt.Customers)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.End.IsZero() {
		opt.End = s.Today()
	}
	if y := opt.End.Year(); y < 1900 || y > 9000 {
		return DemoReport{}, fmt.Errorf("the demo cannot end on %s", opt.End)
	}
	n, err := s.CountCustomers(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	if n > 0 {
		return DemoReport{}, fmt.Errorf("%s %w; give demo a new file", s.path, ErrHasCustomers)
	}
	var sales int
	if err := s.reader().QueryRowContext(ctx, "SELECT count(*) FROM purchases").Scan(&sales); err != nil {
		return DemoReport{}, s.explain(err)
	}
	if sales > 0 {
		return DemoReport{}, fmt.Errorf("%s already has sales; give demo a new file", s.path)
	}
	loy, err := s.Loyalty(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return DemoReport{}, err
	}
	g := newDemoShop(opt, loy, rules)
	g.path = s.path
	g.generate()
	if err := s.writeDemo(ctx, g); err != nil {
		return DemoReport{}, err
	}
	return g.report(), nil
}

type demoSegment int

const (
	segNormal     demoSegment = iota
	segRegular                // buys every few weeks
	segOccasional             // two to five visits in all
	segLost                   // stopped buying 4–14 months ago
)

type demoCustomer struct {
	rules.Customer
	seg        demoSegment
	stop       rules.Day // the last day this customer buys
	redeemPct  int       // chance of taking a reward when one is ready
	extraSales []rules.Day
	sales      []int32 // indexes into purchases, in time order
	balance    int64
}

type demoPurchase struct {
	id       rules.ID
	cust     int32 // index into customers; -1 for a walk-in
	day      rules.Day
	sec      int32
	amount   rules.Cents
	discount rules.Cents
	refunded rules.Cents // sum of its refunds, positive
	desc     string
	staff    string
	hasRef   bool
	ref      string
	refundOf int32 // index of the sale refunded; -1 for a sale
	earned   int64
	imported bool
}

type demoLedgerRow struct {
	cust      int32
	day       rules.Day
	sec       int32
	kind      rules.LedgerKind
	points    int64
	purchase  int32 // -1 for none
	staff     string
	reason    string
	shortfall int64
}

type demoContact struct {
	id      rules.ID
	cust    int32
	day     rules.Day
	sec     int32
	channel rules.Channel
	staff   string
	outcome string
	note    string
	key     string
}

type demoState struct {
	key     string
	kind    rules.Kind
	cust    int32
	due     rules.Day
	state   rules.State
	reason  string
	staff   string
	day     rules.Day
	sec     int32
	contact int32 // index into contacts; -1 for none
}

type demoComplaint struct {
	rules.Complaint
	sec         int32
	resolvedSec int32 // second of ResolvedOn the fix was reported, as its contact
}

type demoShop struct {
	path        string
	rng         *rand.Rand
	n           int
	end         rules.Day
	histStart   rules.Day // purchases start here
	schemeStart rules.Day // the loyalty scheme started here; earlier sales are imported
	createdOn   rules.Day
	loy         rules.Loyalty
	rules       rules.Rules
	dayWeight   []int // by day from histStart
	maxWeight   int
	productCum  []int
	addOns      []int

	customers  []demoCustomer
	purchases  []demoPurchase
	ledger     []demoLedgerRow
	contacts   []demoContact
	states     []demoState
	occasions  []rules.Occasion
	promises   []rules.Promise
	complaints []demoComplaint
	phones     map[int]bool // used only for membership, never iterated
	emails     map[string]bool
}

func newDemoShop(opt DemoOptions, loy rules.Loyalty, rules rules.Rules) *demoShop {
	g := &demoShop{
		rng:         rand.New(rand.NewPCG(uint64(opt.Seed), 0x5eed_0f_7e9a1a75)),
		n:           opt.Customers,
		end:         opt.End,
		histStart:   opt.End.AddYears(-3),
		schemeStart: opt.End.AddMonths(-18),
		createdOn:   opt.End.AddYears(-1),
		loy:         loy,
		rules:       rules,
		phones:      map[int]bool{},
		emails:      map[string]bool{},
	}
	// Seasons: a December peak, a summer bump for walking holidays, quiet
	// January and February; Saturdays busy, Sundays short.
	monthW := [13]int{0, 55, 60, 80, 90, 100, 110, 125, 125, 90, 95, 120, 190}
	weekW := [7]int{45, 80, 85, 90, 95, 110, 140}
	for d := g.histStart; d <= g.end; d++ {
		_, m, _ := d.Date()
		w := monthW[m] * weekW[d.Weekday()]
		if shut(d) {
			w = 0
		}
		g.dayWeight = append(g.dayWeight, w)
		g.maxWeight = max(g.maxWeight, w)
	}
	total := 0
	for i, p := range demoProducts {
		total += p.weight
		g.productCum = append(g.productCum, total)
		if p.addOn {
			g.addOns = append(g.addOns, i)
		}
	}
	return g
}

func (g *demoShop) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.rng.IntN(n)
}

// pct is true pct times in a hundred.
func (g *demoShop) pct(p int) bool { return g.rng.IntN(100) < p }

func pick[T any](g *demoShop, xs []T) T { return xs[g.rng.IntN(len(xs))] }

func (g *demoShop) staffName() string {
	// The owner works most shifts.
	switch r := g.rng.IntN(10); {
	case r < 4:
		return DemoStaff[0]
	case r < 6:
		return DemoStaff[1]
	case r < 8:
		return DemoStaff[2]
	default:
		return DemoStaff[3]
	}
}

// shopDay picks a day in [lo, hi] following the seasons; days the shop is
// closed are never picked while another day is possible.
func (g *demoShop) shopDay(lo, hi rules.Day) rules.Day {
	lo, hi = max(lo, g.histStart), min(hi, g.end)
	if hi <= lo {
		return hi
	}
	d := lo
	for range 200 {
		d = lo + rules.Day(g.rng.IntN(int(hi-lo)+1))
		if w := g.dayWeight[d-g.histStart]; w > 0 && g.rng.IntN(g.maxWeight) < w {
			return d
		}
	}
	return d
}

// shut reports whether the shop is closed on d: Christmas, Boxing Day, New Year's Day.
func shut(d rules.Day) bool {
	_, m, dd := d.Date()
	return (m == time.December && (dd == 25 || dd == 26)) || (m == time.January && dd == 1)
}

// open moves a day the shop is closed to the next day it opens, or to the
// one before when that would pass the end of the history.
func (g *demoShop) open(d rules.Day) rules.Day {
	for n := d; n <= g.end; n++ {
		if !shut(n) {
			return n
		}
	}
	for shut(d) {
		d--
	}
	return d
}

// openSec is a second of the day during opening hours: 9:00–17:30, Sundays 10:00–16:00.
func (g *demoShop) openSec(d rules.Day) int32 {
	open, shut := 9*3600, 17*3600+1800
	if d.Weekday() == time.Sunday {
		open, shut = 10*3600, 16*3600
	}
	return int32(open + g.rng.IntN(shut-open))
}

func demoInstant(d rules.Day, sec int32) string {
	return fmtInstant(d.Time().Add(time.Duration(sec) * time.Second))
}

func (g *demoShop) generate() {
	g.makeCustomers()
	for i := range g.customers {
		g.makeSales(int32(i))
	}
	g.makeWalkIns()
	g.ensureRewardBalance()
	g.assignPurchaseIDs()
	g.makeReminderHistory()
	g.makeContacts()
	g.makeOccasions()
	g.makePromises()
	g.makeComplaints()
	g.makeFollowUps()
	g.makeRewardHistory()
	g.makeStayInTouchHistory()
	g.assignContactIDs()
}

func (g *demoShop) report() DemoReport {
	r := DemoReport{Customers: len(g.customers), Contacts: len(g.contacts), Complaints: len(g.complaints),
		Promises: len(g.promises), Occasions: len(g.occasions), LedgerRows: len(g.ledger)}
	for i := range g.purchases {
		if g.purchases[i].refundOf < 0 {
			r.Purchases++
		} else {
			r.Refunds++
		}
	}
	return r
}

// Customers.

func (g *demoShop) makeCustomers() {
	cultureTotal := 0
	for _, c := range demoCultures {
		cultureTotal += c.weight
	}
	g.customers = make([]demoCustomer, g.n)
	for i := range g.customers {
		c := &g.customers[i]
		r := g.rng.IntN(cultureTotal)
		ci := 0
		for r >= demoCultures[ci].weight {
			r -= demoCultures[ci].weight
			ci++
		}
		first := pick(g, demoCultures[ci].first)
		lastFrom := demoCultures[ci]
		if g.pct(15) {
			lastFrom = pick(g, demoCultures)
		}
		last := pick(g, lastFrom.last)
		c.Name = first + " " + last

		// Some regulars go back further than the history kept here.
		if g.pct(30) {
			c.CustomerSince = g.histStart.AddDays(-1 - g.intn(7*365))
		} else {
			c.CustomerSince = g.open(g.histStart.AddDays(g.intn(g.end.Sub(g.histStart) + 1)))
		}
		g.customerDetails(c, first, last)
	}
	g.showcase()
	for i := range g.customers {
		c := &g.customers[i]
		c.AddedOn = c.CustomerSince
		g.segment(c)
		if c.seg == segRegular && !slices.Contains(c.Tags, "vip") && g.pct(40) {
			c.Tags = append([]string{"vip"}, c.Tags...)
		}
	}
	// Ids follow the order in which people became customers.
	sort.SliceStable(g.customers, func(a, b int) bool {
		return g.customers[a].CustomerSince < g.customers[b].CustomerSince
	})
	for i := range g.customers {
		g.customers[i].ID = rules.ID(i + 1)
	}
}

func (g *demoShop) customerDetails(c *demoCustomer, first, last string) {
	if g.pct(97) {
		c.Phone = g.phone()
	}
	if g.pct(80) {
		c.Email = g.email(first, last)
	}
	if g.pct(70) {
		y := g.end.Year() - 18 - g.intn(62)
		m := time.Month(1 + g.intn(12))
		d := 1 + g.intn(rules.DaysIn(2001, m))
		if g.intn(400) == 0 {
			for !rules.IsLeap(y) {
				y--
			}
			m, d = time.February, 29
		}
		c.Birthday = rules.YearlyDate{Year: y, Month: m, Day: d}
		if g.pct(15) {
			c.Birthday.Year = 0
		}
	}
	if g.pct(40) {
		c.Address = strconv.Itoa(1+g.intn(120)) + " " + pick(g, demoStreets) + ", " + pick(g, demoTowns)
	}
	if g.pct(18) {
		c.Notes = pick(g, demoNotes)
	}
	for _, t := range demoTags {
		if g.pct(t.pct) {
			c.Tags = append(c.Tags, t.name)
		}
	}
	c.DoNotContact = g.pct(5)
	if !c.DoNotContact && g.pct(65) {
		given := c.CustomerSince
		if given < g.histStart {
			given = g.histStart.AddDays(g.intn(400))
		}
		given = min(given.AddDays(g.intn(30)), g.end)
		source := pick(g, demoConsentSources)
		for k, ch := range rules.ConsentChannels {
			if (ch == rules.ChannelEmail && c.Email == "") || ((ch == rules.ChannelSMS || ch == rules.ChannelPhone) && c.Phone == "") {
				continue
			}
			if g.pct([]int{75, 60, 55, 25}[k]) {
				c.Consents = append(c.Consents, rules.Consent{Channel: ch, GivenOn: given, Source: source})
			}
		}
	}
	switch r := g.intn(100); {
	case r < 30:
		c.PreferredChannel = rules.ChannelPhone
	case r < 50 && c.Email != "":
		c.PreferredChannel = rules.ChannelEmail
	case r < 68:
		c.PreferredChannel = rules.ChannelSMS
	case r < 80:
		c.PreferredChannel = rules.ChannelInPerson
	case r < 83:
		c.PreferredChannel = rules.ChannelPost
	}
	if c.Phone == "" && (c.PreferredChannel == rules.ChannelPhone || c.PreferredChannel == rules.ChannelSMS) {
		c.PreferredChannel = rules.ChannelInPerson
	}
}

// callChannel is how the counter rings someone back: by phone when there
// is a number, else by email, else in person on the next visit.
func callChannel(c *demoCustomer) rules.Channel {
	switch {
	case c.Phone != "":
		return rules.ChannelPhone
	case c.Email != "" && c.HasConsent(rules.ChannelEmail):
		return rules.ChannelEmail
	}
	return rules.ChannelInPerson
}

// phone is a unique UK mobile in the 07700 9xxxxx range Ofcom keeps for
// drama, written the many ways people give their number.
func (g *demoShop) phone() string {
	lo, span := 900000, 100000
	if g.n > 60000 {
		lo, span = 0, 1000000
	}
	t := lo + g.intn(span)
	for g.phones[t] {
		t = lo + g.intn(span)
	}
	g.phones[t] = true
	tail := fmt.Sprintf("%06d", t)
	switch r := g.intn(100); {
	case r < 55:
		return "07700 " + tail
	case r < 70:
		return "07700" + tail
	case r < 80:
		return "07700-" + tail[:3] + "-" + tail[3:]
	case r < 88:
		return "07700 " + tail[:3] + " " + tail[3:]
	case r < 95:
		return "+44 7700 " + tail
	default:
		return "+447700" + tail
	}
}

func demoASCII(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r < 128:
			// spaces and apostrophes are dropped
		default:
			for _, f := range demoFold {
				if strings.ContainsRune(f.from, r) {
					b.WriteString(f.to)
					break
				}
			}
		}
	}
	return b.String()
}

func (g *demoShop) email(first, last string) string {
	f, l := demoASCII(first), demoASCII(last)
	if f == "" {
		f = "customer"
	}
	if l == "" {
		l = "shop"
	}
	var local string
	switch r := g.intn(100); {
	case r < 35:
		local = f + "." + l
	case r < 50:
		local = f + l
	case r < 62:
		local = f[:1] + "." + l
	case r < 70:
		local = f + "_" + l
	case r < 85:
		local = f + "." + l + strconv.Itoa(1+g.intn(99))
	default:
		local = l + f[:1] + strconv.Itoa(50+g.intn(50))
	}
	domain := pick(g, demoEmailDomains)
	e := local + "@" + domain
	for k := 2; g.emails[e]; k++ {
		e = local + strconv.Itoa(k) + "@" + domain
	}
	g.emails[e] = true
	if g.pct(8) {
		// Some people type their address with capitals; it still compares equal.
		parts := strings.Split(local, ".")
		for i, p := range parts {
			if p != "" {
				parts[i] = strings.ToUpper(p[:1]) + p[1:]
			}
		}
		e = strings.Join(parts, ".") + e[len(local):]
	}
	return e
}

// showcase makes sure End's Today has something of every kind even in a
// small shop: birthdays and anniversaries around End and recent sales.
func (g *demoShop) showcase() {
	k := 2 + g.n/1000
	for range k {
		c := &g.customers[g.intn(g.n)]
		d := g.end.AddDays(g.intn(13) - 6)
		_, m, dd := d.Date()
		y := g.end.Year() - 20 - g.intn(50)
		if m == time.February && dd == 29 {
			for !rules.IsLeap(y) {
				y--
			}
		}
		c.Birthday = rules.YearlyDate{Year: y, Month: m, Day: dd}
		c.DoNotContact = false
	}
	for range k {
		c := &g.customers[g.intn(g.n)]
		c.CustomerSince = g.open(g.end.AddDays(g.intn(13) - 6).AddYears(-1 - g.intn(5)))
		for i := range c.Consents {
			c.Consents[i].GivenOn = max(c.Consents[i].GivenOn, c.CustomerSince)
		}
	}
	for range k {
		c := &g.customers[g.intn(g.n)]
		c.extraSales = append(c.extraSales, g.open(max(g.end.AddDays(-g.intn(14)), c.CustomerSince)))
	}
}

func (g *demoShop) segment(c *demoCustomer) {
	c.stop = g.end
	c.redeemPct = []int{10, 40, 60, 80, 90}[g.intn(5)]
	age := g.end.Sub(c.CustomerSince)
	switch r := g.intn(100); {
	case len(c.extraSales) > 0:
		c.seg = segNormal
	case r < 8 && age > 60:
		c.seg = segRegular
	case r < 35:
		c.seg = segOccasional
	case r < 58 && age > 200:
		c.seg = segLost
		c.stop = g.end.AddDays(-122 - g.intn(305))
		if c.stop < c.CustomerSince {
			c.stop = c.CustomerSince
		}
	default:
		c.seg = segNormal
	}
}

// Sales, refunds and the ledger, one customer at a time in time order.

type demoEventKind int

const (
	eventSale demoEventKind = iota
	eventRefund
	eventAdjustment
)

type demoEvent struct {
	day  rules.Day
	sec  int32
	kind demoEventKind
	sale int         // index into the customer's sales
	cost rules.Cents // refund amount
	pts  int64       // adjustment points
	why  string
}

func (g *demoShop) salesCount(c *demoCustomer, start rules.Day) int {
	years := float64(c.stop.Sub(start)+1) / 365
	var perYear float64
	switch c.seg {
	case segRegular:
		perYear = 14 + 14*g.rng.Float64()
	case segOccasional:
		n := 2 + g.intn(4)
		if c.stop.Sub(start) < 60 {
			n = 1 + g.intn(2)
		}
		return n
	case segLost:
		perYear = 3 + 5*g.rng.Float64()
	default:
		perYear = 4 + 6*g.rng.Float64()
	}
	n := int(perYear*years + g.rng.Float64())
	if c.seg == segRegular && years > 1.5 && n < 40 && g.pct(60) {
		n = 40 + g.intn(25)
	}
	return max(n, 1)
}

func (g *demoShop) product() (string, rules.Cents) {
	r := g.intn(g.productCum[len(g.productCum)-1])
	i := sort.SearchInts(g.productCum, r+1)
	p := demoProducts[i]
	if p.name == "Gift card" {
		return p.name, []rules.Cents{2500, 5000, 5000, 10000}[g.intn(4)]
	}
	pounds := int64(p.min/100) + int64(g.intn(int(p.max-p.min)/100+1))
	cents := []int64{0, 99, 50, 95, 99, 0}[g.intn(6)]
	if cents > 0 {
		pounds--
	}
	return p.name, rules.Cents(max(pounds*100+cents, 100))
}

// demoSale is a sale planned for a customer, before it is rung up.
type demoSale struct {
	day           rules.Day
	sec           int32
	desc          string
	amount        rules.Cents
	refundPlanned bool
}

// makeSales gives customer ci its purchases, refunds and points, rung up
// in the order they happen so that each sees the balance of its day.
func (g *demoShop) makeSales(ci int32) {
	c := &g.customers[ci]
	sales, ev := g.planSales(g.saleDays(c))
	if e, ok := g.planAdjustment(c); ok {
		ev = append(ev, e)
	}
	sort.SliceStable(ev, func(a, b int) bool {
		if ev[a].day != ev[b].day {
			return ev[a].day < ev[b].day
		}
		return ev[a].sec < ev[b].sec
	})

	saleIdx := make([]int32, len(sales))
	for _, e := range ev {
		switch e.kind {
		case eventSale:
			saleIdx[e.sale] = g.ringUpSale(ci, sales[e.sale])
		case eventRefund:
			g.ringUpRefund(ci, e, saleIdx[e.sale])
		case eventAdjustment:
			if e.pts < 0 && c.balance < -e.pts {
				continue
			}
			g.addLedger(ci, e.day, e.sec, rules.LedgerAdjustment, e.pts, -1, OwnerName, e.why, 0)
		}
	}
}

// saleDays is the days customer c buys on, in order: the day it signed up
// if that is within the history, then days spread over its active years,
// and any extra sales it was given.
func (g *demoShop) saleDays(c *demoCustomer) []rules.Day {
	start := max(c.CustomerSince, g.histStart)
	var days []rules.Day
	if start <= c.stop && !(c.seg != segRegular && g.intn(50) == 0) { // a few signed up and never bought
		n := g.salesCount(c, start)
		if c.CustomerSince >= g.histStart {
			days = append(days, c.CustomerSince)
			n--
		}
		for range n {
			days = append(days, g.shopDay(start, c.stop))
		}
	}
	days = append(days, c.extraSales...)
	sort.Slice(days, func(a, b int) bool { return days[a] < days[b] })
	return days
}

// planSales picks what is bought on each day, sometimes with an add-on,
// and plans a refund of a few sales. The events are one per sale and
// refund, not yet in order.
func (g *demoShop) planSales(days []rules.Day) ([]demoSale, []demoEvent) {
	var ev []demoEvent
	sales := make([]demoSale, len(days))
	for i, d := range days {
		desc, amt := g.product()
		if g.pct(22) {
			extra := demoProducts[g.addOns[g.intn(len(g.addOns))]]
			if extra.name != desc {
				_, a := g.productNamed(extra)
				desc += ", " + extra.name
				amt += a
			}
		}
		sales[i] = demoSale{day: d, sec: g.openSec(d), desc: desc, amount: amt}
		ev = append(ev, demoEvent{day: d, sec: sales[i].sec, kind: eventSale, sale: i})
		if g.pct(3) {
			rd := g.open(d.AddDays(1 + g.intn(30)))
			if rd <= g.end && rd > d {
				cost := amt
				if g.pct(40) {
					cost = amt * rules.Cents(20+g.intn(50)) / 100 / 100 * 100
				}
				if cost > 0 {
					sales[i].refundPlanned = true
					ev = append(ev, demoEvent{day: rd, sec: g.openSec(rd), kind: eventRefund, sale: i, cost: cost})
				}
			}
		}
	}
	return sales, ev
}

// planAdjustment gives about one customer in fifty a points adjustment by
// the owner, on a day after the scheme started.
func (g *demoShop) planAdjustment(c *demoCustomer) (demoEvent, bool) {
	from := max(g.schemeStart, c.CustomerSince)
	if !(g.intn(50) == 0 && from < g.end) {
		return demoEvent{}, false
	}
	d := g.open(from.AddDays(g.intn(g.end.Sub(from))))
	adj := []struct {
		pts int64
		why string
	}{
		{50, "Goodwill: special order arrived late"},
		{120, "Points from the old paper stamp card"},
		{25, "Birthday bonus"},
		{-15, "Correction: sale rung up twice"},
		{-40, "Correction: points given on a gift card"},
	}[g.intn(5)]
	return demoEvent{day: d, sec: g.openSec(d), kind: eventAdjustment, pts: adj.pts, why: adj.why}, true
}

// ringUpSale adds sale s of customer ci as a purchase, with a reward taken
// off now and then and the points it earns (sales before the scheme earn
// none), and says which purchase it is.
func (g *demoShop) ringUpSale(ci int32, s demoSale) int32 {
	c := &g.customers[ci]
	p := demoPurchase{cust: ci, day: s.day, sec: s.sec, amount: s.amount, desc: s.desc,
		staff: g.staffName(), hasRef: g.pct(50), refundOf: -1, imported: s.day < g.schemeStart}
	idx := int32(len(g.purchases))
	if !p.imported && !s.refundPlanned && c.balance >= g.loy.RewardPoints && g.pct(c.redeemPct) {
		k := c.balance / g.loy.RewardPoints
		if g.pct(70) {
			k = 1
		}
		for k > 0 && rules.Cents(k)*g.loy.RewardValue >= p.amount {
			k--
		}
		if k > 0 {
			p.discount = rules.Cents(k) * g.loy.RewardValue
			g.addLedger(ci, s.day, s.sec, rules.LedgerRedeem, -k*g.loy.RewardPoints, idx, p.staff, "", 0)
		}
	}
	if !p.imported {
		p.earned = g.loy.EarnedFor(p.Paid())
		if p.earned > 0 {
			g.addLedger(ci, s.day, s.sec, rules.LedgerEarn, p.earned, idx, p.staff, "", 0)
		}
	}
	c.sales = append(c.sales, idx)
	g.purchases = append(g.purchases, p)
	return idx
}

// ringUpRefund adds refund e of customer ci's purchase sale, taking back
// the points the refunded money earned as far as the balance allows.
func (g *demoShop) ringUpRefund(ci int32, e demoEvent, sale int32) {
	c := &g.customers[ci]
	orig := &g.purchases[sale]
	orig.refunded += e.cost
	what := "Refund: "
	if e.cost < orig.amount {
		what = "Part refund: "
	}
	r := demoPurchase{cust: ci, day: e.day, sec: e.sec, amount: -e.cost, desc: what + orig.desc,
		staff: g.staffName(), hasRef: g.pct(50), refundOf: sale, imported: e.day < g.schemeStart}
	idx := int32(len(g.purchases))
	if orig.earned > 0 {
		// The refund takes back the share of points the refunded money earned.
		back := orig.earned * int64(e.cost) / int64(orig.Paid())
		if back > 0 {
			take := min(back, c.balance)
			g.addLedger(ci, e.day, e.sec, rules.LedgerRefundReversal, -take, idx, r.staff, "", back-take)
		}
	}
	g.purchases = append(g.purchases, r)
}

func (p demoPurchase) Paid() rules.Cents { return p.amount - p.discount }

func (g *demoShop) productNamed(p demoProduct) (string, rules.Cents) {
	pounds := int64(p.min/100) + int64(g.intn(int(p.max-p.min)/100+1))
	return p.name, rules.Cents(pounds*100 - []int64{0, 1, 5}[g.intn(3)])
}

func (g *demoShop) addLedger(ci int32, d rules.Day, sec int32, kind rules.LedgerKind, pts int64, purchase int32, staff, reason string, shortfall int64) {
	g.ledger = append(g.ledger, demoLedgerRow{cust: ci, day: d, sec: sec, kind: kind, points: pts,
		purchase: purchase, staff: staff, reason: reason, shortfall: shortfall})
	if ci >= 0 {
		g.customers[ci].balance += pts
	}
}

func (g *demoShop) makeWalkIns() {
	for range 5 + g.n/200 {
		d := g.shopDay(g.histStart, g.end)
		desc, amt := g.productNamed(demoProducts[g.addOns[g.intn(len(g.addOns))]])
		g.purchases = append(g.purchases, demoPurchase{cust: -1, day: d, sec: g.openSec(d), amount: amt,
			desc: desc, staff: g.staffName(), hasRef: g.pct(50), refundOf: -1, imported: d < g.schemeStart})
	}
}

// ensureRewardBalance gives a tiny shop one customer with a reward ready.
func (g *demoShop) ensureRewardBalance() {
	best := int32(-1)
	for i := range g.customers {
		c := &g.customers[i]
		if c.DoNotContact {
			continue
		}
		if c.balance >= g.loy.RewardPoints {
			return
		}
		if best < 0 || c.balance > g.customers[best].balance {
			best = int32(i)
		}
	}
	if best >= 0 {
		g.addLedger(best, g.end, 17*3600+1799, rules.LedgerAdjustment, g.loy.RewardPoints-g.customers[best].balance,
			-1, OwnerName, "Points from the old paper stamp card", 0)
	}
}

// assignPurchaseIDs numbers sales and refunds in time order, then gives
// half the tickets the till's receipt numbers.
func (g *demoShop) assignPurchaseIDs() {
	order := make([]int32, len(g.purchases))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		pa, pb := &g.purchases[order[a]], &g.purchases[order[b]]
		if pa.day != pb.day {
			return pa.day < pb.day
		}
		if pa.sec != pb.sec {
			return pa.sec < pb.sec
		}
		return order[a] < order[b]
	})
	receipt := 10400
	for k, i := range order {
		p := &g.purchases[i]
		p.id = rules.ID(k + 1)
		receipt += 1 + g.intn(3)
		if p.hasRef {
			p.ref = "R" + strconv.Itoa(receipt)
		}
	}
}

// Reminder history.

// demoSaleFacts are what the thank-you rule needs to know of one sale.
type demoSaleFacts struct {
	day      rules.Day
	amount   rules.Cents // the ticket total
	refunded rules.Cents // what its refunds gave back
}

// demoThankYous tells which of one customer's sales (in time order) produce
// a thank_you: a fully refunded sale produces none, and neither does a sale
// less than gap days after one that produced one.
func demoThankYous(sales []demoSaleFacts, gap int) []bool {
	out := make([]bool, len(sales))
	last := rules.Day(0)
	for i, s := range sales {
		if s.refunded >= s.amount {
			continue
		}
		if last != 0 && s.day.Sub(last) < gap {
			continue
		}
		out[i] = true
		last = s.day
	}
	return out
}

func (g *demoShop) makeReminderHistory() {
	ty, ci := g.rules[rules.KindThankYou], g.rules[rules.KindCheckIn]
	for i := range g.customers {
		c := &g.customers[i]
		if c.DoNotContact || len(c.sales) == 0 {
			continue
		}
		facts := make([]demoSaleFacts, len(c.sales))
		for k, pi := range c.sales {
			p := &g.purchases[pi]
			facts[k] = demoSaleFacts{day: p.day, amount: p.amount, refunded: p.refunded}
		}
		thanks := demoThankYous(facts, ty.GapDays)
		for k, pi := range c.sales {
			p := &g.purchases[pi]
			if ty.On && thanks[k] {
				g.purchaseFollowUp(int32(i), rules.KindThankYou, p, p.day.AddDays(ty.AfterDays))
			}
			if ci.On && p.refunded < p.amount && p.amount-p.refunded >= ci.MinCents {
				g.purchaseFollowUp(int32(i), rules.KindCheckIn, p, p.day.AddDays(ci.AfterDays))
			}
		}
	}
}

// demoFollowUp is one past reminder and what the counter may have done with it.
type demoFollowUp struct {
	kind          rules.Kind
	key           string
	due           rules.Day
	early, late   int // done from this many days before due to this many after
	done, skipped int // percent of reminders done, and skipped
	channel       rules.Channel
	outcome, note string
}

// followUp records what the counter did with one past reminder: done (with
// a contact), skipped with a reason, or left alone so reports count it as
// missed. It returns the day it was done, or zero.
func (g *demoShop) followUp(ci int32, f demoFollowUp) rules.Day {
	r := g.intn(100)
	if r >= f.done+f.skipped {
		return 0
	}
	st := demoState{key: f.key, kind: f.kind, cust: ci, due: f.due, staff: g.staffName(), contact: -1}
	if r < f.done {
		st.state = rules.StateDone
		st.day = f.due
		if g.pct(45) {
			st.day = f.due.AddDays(g.intn(f.early+f.late+1) - f.early)
		}
	} else {
		st.state = rules.StateSkipped
		st.day = f.due.AddDays(g.intn(f.late + 1))
		st.reason = pick(g, demoSkipReasons)
		if f.kind == rules.KindStayInTouch {
			st.reason = pick(g, demoLapsedReasons)
		}
	}
	c := &g.customers[ci]
	st.day = g.open(st.day)
	if st.day > g.end || st.day < c.CustomerSince {
		return 0
	}
	st.sec = g.openSec(st.day)
	if st.state == rules.StateDone {
		ch := f.channel
		if ch == "" {
			ch = g.messageChannel(c)
		}
		outcome := f.outcome
		if outcome == "" {
			switch ch {
			case rules.ChannelPhone:
				outcome = pick(g, []string{"spoke", "left voicemail"})
			case rules.ChannelInPerson:
				outcome = "spoke in shop"
			default:
				outcome = "sent"
			}
		}
		st.contact = int32(len(g.contacts))
		g.contacts = append(g.contacts, demoContact{cust: ci, day: st.day, sec: st.sec, channel: ch,
			staff: st.staff, outcome: outcome, note: f.note, key: f.key})
	}
	g.states = append(g.states, st)
	if st.state == rules.StateDone {
		return st.day
	}
	return 0
}

// messageChannel is how the counter sends a short message: the customer's
// preferred way where consent allows, else a call, else in person.
func (g *demoShop) messageChannel(c *demoCustomer) rules.Channel {
	switch {
	case c.PreferredChannel == rules.ChannelEmail && c.HasConsent(rules.ChannelEmail):
		return rules.ChannelEmail
	case c.PreferredChannel == rules.ChannelSMS && c.HasConsent(rules.ChannelSMS):
		return rules.ChannelSMS
	case c.HasConsent(rules.ChannelSMS) && g.pct(40):
		return rules.ChannelSMS
	case c.HasConsent(rules.ChannelEmail) && (c.Phone == "" || g.pct(40)):
		return rules.ChannelEmail
	}
	return callChannel(c)
}

func firstItem(desc string) string {
	return strings.ToLower(strings.SplitN(desc, ", ", 2)[0])
}

// purchaseFollowUp handles one thank_you or check_in of a sale, for
// reminders due since the database was created.
func (g *demoShop) purchaseFollowUp(ci int32, kind rules.Kind, p *demoPurchase, due rules.Day) {
	if due < g.createdOn || due > g.end {
		return
	}
	f := demoFollowUp{kind: kind, key: fmt.Sprintf("%s:%d:purchase:%d:%s", kind, g.customers[ci].ID, p.id, due),
		due: due, late: 4, done: 70, skipped: 10, outcome: "thanked", note: "Thanked them for the " + firstItem(p.desc)}
	if kind == rules.KindCheckIn {
		f.outcome = pick(g, []string{"happy", "happy", "happy", "minor issue"})
		f.note = "Asked how the " + firstItem(p.desc) + " is doing"
	}
	g.followUp(ci, f)
}

// makeContacts spreads calls, messages and visits over each customer's
// active years; lapsed customers hear nothing after they stopped buying.
func (g *demoShop) makeContacts() {
	for i := range g.customers {
		c := &g.customers[i]
		var n int
		switch c.seg {
		case segRegular:
			n = 2 + g.intn(6)
		case segOccasional:
			n = g.intn(2)
		default:
			n = g.intn(3)
		}
		lo := max(c.CustomerSince, g.histStart)
		hi := c.stop
		if c.seg == segLost {
			hi = c.stop.AddDays(-1)
			if len(c.sales) > 0 {
				hi = min(hi, g.purchases[c.sales[len(c.sales)-1]].day)
			}
		}
		if hi < lo {
			continue
		}
		for range n {
			line := pick(g, demoContactLines)
			if c.DoNotContact && line.channel != rules.ChannelInPerson {
				continue
			}
			if (line.channel == rules.ChannelEmail || line.channel == rules.ChannelSMS) && !c.HasConsent(line.channel) ||
				line.channel == rules.ChannelPhone && c.Phone == "" {
				continue
			}
			d := g.open(lo.AddDays(g.intn(hi.Sub(lo) + 1)))
			if d > hi {
				continue
			}
			g.contacts = append(g.contacts, demoContact{cust: int32(i), day: d, sec: g.openSec(d),
				channel: line.channel, staff: g.staffName(), outcome: pick(g, line.outcomes), note: pick(g, line.notes)})
		}
	}
}

func (g *demoShop) makeOccasions() {
	n := max(1, g.n*5/100)
	near := 1 + g.n/2000
	for k, ci := range g.rng.Perm(g.n)[:n] {
		c := &g.customers[ci]
		o := pick(g, demoOccasions)
		var d rules.Day
		if k < near {
			d = g.end.AddDays(g.intn(11) - 3)
		} else if o.yearly {
			d = g.end.AddDays(-g.intn(365))
		} else {
			d = g.end.AddDays(g.intn(300) - 150)
		}
		y, m, dd := d.Date()
		oc := rules.Occasion{CustomerID: c.ID, Label: o.label, Yearly: o.yearly, LeadDays: []int{7, 7, 7, 14, 3}[g.intn(5)]}
		if o.yearly {
			y -= 1 + g.intn(30)
			if m == time.February && dd == 29 {
				for !rules.IsLeap(y) {
					y--
				}
			}
			if g.pct(25) {
				y = 0
			}
		}
		oc.Date = rules.YearlyDate{Year: y, Month: m, Day: dd}
		g.occasions = append(g.occasions, oc)
	}
	sort.SliceStable(g.occasions, func(a, b int) bool { return g.occasions[a].CustomerID < g.occasions[b].CustomerID })
	for k := range g.occasions {
		g.occasions[k].ID = rules.ID(k + 1)
	}
}

// activeCustomer picks a customer still buying, for promises and complaints.
func (g *demoShop) activeCustomer() int32 {
	for range 50 {
		i := g.intn(g.n)
		if c := &g.customers[i]; c.seg != segLost && len(c.sales) > 0 {
			return int32(i)
		}
	}
	return int32(g.intn(g.n))
}

func (g *demoShop) promiseText() string {
	w := pick(g, demoPromiseWhat)
	if strings.Contains(w, "%d") {
		return fmt.Sprintf(w, 5+g.intn(8))
	}
	return w
}

func (g *demoShop) makePromises() {
	kept := max(10, g.n*3/100)
	open := min(max(5, g.n*3/400), 25)
	for n, tries := 0, 0; n < kept && tries < 20*kept; tries++ {
		ci := g.activeCustomer()
		c := &g.customers[ci]
		lo := max(c.CustomerSince, g.end.AddDays(-730))
		if lo > g.end.AddDays(-25) {
			continue // too new a customer for a promise long kept
		}
		n++
		made := g.shopDay(lo, g.end.AddDays(-25))
		due := made.AddDays(3 + g.intn(19))
		keptOn := g.open(min(max(due.AddDays(g.intn(7)-4), made), g.end))
		p := rules.Promise{CustomerID: c.ID, What: g.promiseText(), Due: due, Staff: g.staffName(), MadeOn: made, KeptOn: keptOn}
		g.promises = append(g.promises, p)
		g.contacts = append(g.contacts, demoContact{cust: ci, day: keptOn, sec: g.openSec(keptOn),
			channel: callChannel(c), staff: p.Staff, outcome: "promise kept", note: p.What + ": done"})
	}
	for k := range open {
		ci := g.activeCustomer()
		c := &g.customers[ci]
		made := max(g.end.AddDays(-1-g.intn(20)), c.CustomerSince)
		var due rules.Day
		if k%5 < 2 {
			due = max(g.end.AddDays(-1-g.intn(6)), made.AddDays(1)) // overdue
		} else {
			due = g.end.AddDays(g.intn(15))
		}
		g.promises = append(g.promises, rules.Promise{CustomerID: c.ID, What: g.promiseText(), Due: due,
			Staff: g.staffName(), MadeOn: made})
	}
	sort.SliceStable(g.promises, func(a, b int) bool { return g.promises[a].MadeOn < g.promises[b].MadeOn })
	for k := range g.promises {
		g.promises[k].ID = rules.ID(k + 1)
	}
}

func (g *demoShop) makeComplaints() {
	total := max(2, g.n*2/100)
	open := max(1, total/3)
	if total >= 15 {
		open = 5 + g.intn(6)
	}
	sev := []rules.Severity{rules.SeverityLow, rules.SeverityLow, rules.SeverityMedium, rules.SeverityMedium, rules.SeverityMedium, rules.SeverityHigh}
	for k := range total {
		var ci int32
		var received rules.Day
		if k < open {
			ci = g.activeCustomer()
			received = max(g.end.AddDays(-g.intn(21)), g.customers[ci].CustomerSince)
		} else {
			ci = int32(g.intn(g.n))
			c := &g.customers[ci]
			if len(c.sales) == 0 {
				ci = g.activeCustomer()
				c = &g.customers[ci]
			}
			if len(c.sales) == 0 {
				continue
			}
			sale := &g.purchases[c.sales[g.intn(len(c.sales))]]
			received = min(sale.day.AddDays(1+g.intn(14)), g.end.AddDays(-6))
			received = max(received, sale.day)
		}
		c := &g.customers[ci]
		received = g.open(received)
		what := pick(g, demoComplaints)
		cp := demoComplaint{Complaint: rules.Complaint{CustomerID: c.ID, What: what.what, Received: received,
			Severity: pick(g, sev), Staff: g.staffName()}, sec: g.openSec(received)}
		if k >= open {
			resolved := received.AddDays(1 + g.intn(5))
			if g.pct(15) {
				resolved = received.AddDays(6 + g.intn(15))
			}
			cp.ResolvedOn = max(g.open(min(resolved, g.end)), received)
			cp.Resolution = what.resolution
			cp.resolvedSec = g.openSec(cp.ResolvedOn)
			if cp.ResolvedOn == received {
				cp.resolvedSec = max(cp.resolvedSec, cp.sec)
			}
			g.contacts = append(g.contacts, demoContact{cust: ci, day: cp.ResolvedOn, sec: cp.resolvedSec,
				channel: callChannel(c), staff: cp.Staff, outcome: "resolved", note: what.resolution})
		}
		g.complaints = append(g.complaints, cp)
	}
	sort.SliceStable(g.complaints, func(a, b int) bool {
		if g.complaints[a].Received != g.complaints[b].Received {
			return g.complaints[a].Received < g.complaints[b].Received
		}
		return g.complaints[a].sec < g.complaints[b].sec
	})
	for k := range g.complaints {
		g.complaints[k].ID = rules.ID(k + 1)
	}
}

// makeFollowUps handles the reminders that promises, complaints and
// yearly dates made since the database was created.
func (g *demoShop) makeFollowUps() {
	checkIn := g.rules[rules.KindCheckIn]
	for _, p := range g.promises {
		ci := int32(p.CustomerID - 1)
		if p.KeptOn.IsZero() || !checkIn.On || g.customers[ci].DoNotContact {
			continue
		}
		due := p.KeptOn.AddDays(g.rules[rules.KindPromise].ResolvedDays)
		if due < g.createdOn || due > g.end {
			continue
		}
		g.followUp(ci, demoFollowUp{kind: rules.KindCheckIn, key: fmt.Sprintf("check_in:%d:promise:%d:%s", p.CustomerID, p.ID, due),
			due: due, late: 4, done: 70, skipped: 10, outcome: "happy", note: "Checked all is well after: " + p.What})
	}
	// A resolved complaint's follow-up stays until done, so nearly all get done.
	for _, k := range g.complaints {
		ci := int32(k.CustomerID - 1)
		if k.ResolvedOn.IsZero() || !g.rules[rules.KindComplaintFollowup].On {
			continue
		}
		due := k.ResolvedOn.AddDays(g.rules[rules.KindComplaintFollowup].ResolvedDays)
		if due > g.end.AddDays(-2) {
			continue
		}
		g.followUp(ci, demoFollowUp{kind: rules.KindComplaintFollowup,
			key: fmt.Sprintf("complaint_followup:%d:complaint:%d:resolved:%s", k.CustomerID, k.ID, due),
			due: due, late: 3, done: 95, skipped: 5, channel: callChannel(&g.customers[ci]),
			outcome: "happy", note: "Called to check the fix held: " + k.Resolution})
	}
	occasions := g.occasions
	for i := range g.customers {
		c := &g.customers[i]
		if c.DoNotContact {
			continue
		}
		for yr := g.createdOn.Year(); yr <= g.end.Year(); yr++ {
			if b := c.Birthday; g.rules[rules.KindBirthday].On && !b.IsZero() && (b.Year == 0 || yr >= b.Year) {
				g.yearlyFollowUp(int32(i), rules.KindBirthday, "birthday", b.In(yr), "sent wishes", "Happy birthday")
			}
			if n := yr - c.CustomerSince.Year(); g.rules[rules.KindAnniversary].On && n >= 1 {
				g.yearlyFollowUp(int32(i), rules.KindAnniversary, "anniversary", c.CustomerSince.AddYears(n), "sent wishes",
					fmt.Sprintf("%d years with us: thank you", n))
			}
			for len(occasions) > 0 && occasions[0].CustomerID < c.ID {
				occasions = occasions[1:]
			}
			for _, o := range occasions {
				if o.CustomerID != c.ID {
					break
				}
				if g.rules[rules.KindOccasion].On && (o.Date.Year == 0 || yr >= o.Date.Year) && (o.Yearly || yr == o.Date.Year) {
					g.yearlyFollowUp(int32(i), rules.KindOccasion, fmt.Sprintf("occasion:%d", o.ID), o.Date.In(yr), "sent wishes",
						"Card for: "+o.Label)
				}
			}
		}
	}
}

// yearlyFollowUp handles a birthday, anniversary or occasion due since the
// database was created (and since the customer was added): cards go out a
// few days early as often as late.
func (g *demoShop) yearlyFollowUp(ci int32, kind rules.Kind, subject string, due rules.Day, outcome, note string) {
	c := &g.customers[ci]
	if due < g.createdOn || due < c.AddedOn || due > g.end {
		return
	}
	g.followUp(ci, demoFollowUp{kind: kind, key: fmt.Sprintf("%s:%d:%s:%s", kind, c.ID, subject, due), due: due,
		early: 3, late: 3, done: 65, skipped: 10, outcome: outcome, note: note})
}

// makeRewardHistory deals with each customer's standing reward: one that
// became ready more than a few days ago was mostly mentioned at the till
// already; fresh ones are left for Today.
func (g *demoShop) makeRewardHistory() {
	if !g.rules[rules.KindRewardReady].On {
		return
	}
	crossed := make([]rules.Day, len(g.customers))
	lastRedeem := make([]rules.Day, len(g.customers))
	bal := make([]int64, len(g.customers))
	need := g.loy.RewardPoints
	for _, l := range g.ledger {
		before := bal[l.cust]
		bal[l.cust] += l.points
		if before < need && bal[l.cust] >= need {
			crossed[l.cust] = l.day
		}
		if l.kind == rules.LedgerRedeem {
			lastRedeem[l.cust] = l.day
		}
	}
	for i := range g.customers {
		c := &g.customers[i]
		d := crossed[i]
		if c.DoNotContact || bal[i] < need || d.IsZero() || lastRedeem[i] > d || d > g.end.AddDays(-5) {
			continue
		}
		g.followUp(int32(i), demoFollowUp{kind: rules.KindRewardReady, key: fmt.Sprintf("reward_ready:%d:reward:%s", c.ID, d),
			due: d, late: 10, done: 75, skipped: 20, channel: rules.ChannelInPerson, outcome: "told about reward",
			note: pick(g, []string{"Told them at the till; saving up", "Mentioned the reward; will use it next time",
				"Saving points for a tent"})})
	}
}

// makeStayInTouchHistory works each customer's "stay in touch" reminders
// through the history: a call resets the clock, a skip closes it until the
// customer comes back. Lapses of the last few days are left for Today.
func (g *demoShop) makeStayInTouchHistory() {
	r := g.rules[rules.KindStayInTouch]
	if !r.On {
		return
	}
	last := make([]rules.Day, len(g.customers))
	for i := range g.purchases {
		if p := &g.purchases[i]; p.cust >= 0 && p.refundOf < 0 {
			last[p.cust] = max(last[p.cust], p.day)
		}
	}
	for i := range g.contacts {
		c := &g.contacts[i]
		last[c.cust] = max(last[c.cust], c.day)
	}
	for i := range g.customers {
		c := &g.customers[i]
		if c.DoNotContact {
			continue
		}
		from := last[i]
		if from.IsZero() {
			from = c.CustomerSince
		}
		for round := 0; ; round++ {
			due := from.AddDays(r.AfterDays)
			if due > g.end.AddDays(-5) {
				break
			}
			done := []int{60, 35, 15}[min(round, 2)]
			f := demoFollowUp{kind: rules.KindStayInTouch, key: fmt.Sprintf("stay_in_touch:%d:touch:%s", c.ID, due), due: due,
				late: 10, done: done, skipped: 96 - done, note: "Haven't seen you for a while: new season stock is in"}
			day := g.followUp(int32(i), f)
			if day.IsZero() {
				break
			}
			from = day
		}
	}
}

func (g *demoShop) assignContactIDs() {
	order := make([]int32, len(g.contacts))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		ca, cb := &g.contacts[order[a]], &g.contacts[order[b]]
		if ca.day != cb.day {
			return ca.day < cb.day
		}
		if ca.sec != cb.sec {
			return ca.sec < cb.sec
		}
		return order[a] < order[b]
	})
	for k, i := range order {
		g.contacts[i].id = rules.ID(k + 1)
	}
}

// Writing.

func (s *Store) writeDemo(ctx context.Context, g *demoShop) (err error) {
	w, err := s.writer()
	if err != nil {
		return err
	}
	conn, err := w.Conn(ctx)
	if err != nil {
		return s.explain(err)
	}
	defer conn.Close()
	defer func() {
		_, e1 := conn.ExecContext(context.Background(), "PRAGMA synchronous=FULL")
		_, e2 := conn.ExecContext(context.Background(), "PRAGMA cache_size=-2000")
		_, e3 := conn.ExecContext(context.Background(), "PRAGMA temp_store=DEFAULT")
		if err == nil {
			err = s.explain(errors.Join(e1, e2, e3))
		}
		if err == nil {
			var busy, logged, done int
			err = s.explain(conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done))
		}
	}()
	// The file is brand new (demo refuses one with customers), so a crash
	// part-way loses nothing that a second run cannot make again; skipping
	// the fsyncs for the one big transaction makes a large demo much
	// faster. FULL is restored (above) before anything else writes, and the
	// checkpoint under FULL then makes the finished demo durable.
	// Multi-row INSERTs keep a statement journal: in memory it costs no
	// system calls. A larger cache (up to 64 MiB) keeps SQLite from writing
	// the same index pages out again and again while the transaction grows.
	for _, p := range []string{"PRAGMA synchronous=OFF", "PRAGMA temp_store=MEMORY",
		fmt.Sprintf("PRAGMA cache_size=-%d", max(2000, min(5*len(g.customers), 65536)))} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return s.explain(err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.explain(err)
	}
	if err := g.write(ctx, tx); err != nil {
		tx.Rollback()
		return s.explain(err)
	}
	if err := s.rebuildSummariesOf(ctx, tx); err != nil {
		tx.Rollback()
		return s.explain(err)
	}
	if err := tx.Commit(); err != nil {
		return s.explain(err)
	}
	s.wrote(nil)
	s.customersRewritten()
	return nil
}

// demoBatchRows is how many rows one INSERT carries: far fewer statement
// runs for the half million rows of a large demo.
const demoBatchRows = 64

// demoInsert writes the rows of one table through prepared INSERTs,
// demoBatchRows rows at a time; the few left over go one by one.
type demoInsert struct {
	ctx        context.Context
	tx         *sql.Tx
	head, row  string
	batch, one *sql.Stmt
	args       []any
	rows       int
	err        error
}

func newDemoInsert(ctx context.Context, tx *sql.Tx, table, cols string) *demoInsert {
	n := strings.Count(cols, ",") + 1
	return &demoInsert{ctx: ctx, tx: tx, head: "INSERT INTO " + table + "(" + cols + ") VALUES ",
		row: "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"}
}

func (d *demoInsert) add(args ...any) {
	if d.err != nil {
		return
	}
	d.args = append(d.args, args...)
	d.rows++
	if d.rows < demoBatchRows {
		return
	}
	if d.batch == nil {
		q := d.head + strings.TrimSuffix(strings.Repeat(d.row+",", demoBatchRows), ",")
		if d.batch, d.err = d.tx.PrepareContext(d.ctx, q); d.err != nil {
			return
		}
	}
	_, d.err = d.batch.ExecContext(d.ctx, d.args...)
	d.args, d.rows = d.args[:0], 0
}

// close writes what is left and says whether every row went in.
func (d *demoInsert) close() error {
	if d.err == nil && d.rows > 0 {
		d.one, d.err = d.tx.PrepareContext(d.ctx, d.head+d.row)
		per := len(d.args) / d.rows
		for i := 0; d.err == nil && i < len(d.args); i += per {
			_, d.err = d.one.ExecContext(d.ctx, d.args[i:i+per]...)
		}
	}
	for _, st := range []*sql.Stmt{d.batch, d.one} {
		if st != nil {
			st.Close()
		}
	}
	return d.err
}

// write puts the demo shop into the new file through tx.
func (g *demoShop) write(ctx context.Context, tx *sql.Tx) error {
	if err := g.checkNoCustomers(ctx, tx); err != nil {
		return err
	}
	if err := g.writeSettings(ctx, tx); err != nil {
		return err
	}
	// Each table is closed before the next, so every row a foreign key
	// names is already written.
	for _, write := range []func(context.Context, *sql.Tx) error{
		g.writeCustomers, g.writeConsents, g.writePurchases, g.writeLedger, g.writeContacts, g.writeStates,
	} {
		if err := write(ctx, tx); err != nil {
			return err
		}
	}
	occ, prom, comp := g.addOccasions(ctx, tx), g.addPromises(ctx, tx), g.addComplaints(ctx, tx)
	return errors.Join(occ.close(), prom.close(), comp.close())
}

// checkNoCustomers checks again, inside the transaction, that the file has
// no customers: another program may have added someone since the first look.
func (g *demoShop) checkNoCustomers(ctx context.Context, tx *sql.Tx) error {
	var used bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM customers)").Scan(&used); err != nil {
		return err
	}
	if used {
		return fmt.Errorf("%s %w; give demo a new file", g.path, ErrHasCustomers)
	}
	return nil
}

// writeSettings writes the shop's name, the day it was made, its money and
// date ways and its staff.
func (g *demoShop) writeSettings(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES ('created_on', ?), ('shop_name', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, g.createdOn.String(), DemoShopName); err != nil {
		return err
	}
	// The demo shop is a British one, unless its file already says
	// otherwise: pounds, and dates and amounts written the British way.
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES ('currency', '£'), ('locale', 'en-GB')
		ON CONFLICT(key) DO NOTHING`); err != nil {
		return err
	}
	for _, name := range DemoStaff {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO staff(name) VALUES (?)", name); err != nil {
			return err
		}
	}
	return nil
}

func (g *demoShop) writeCustomers(ctx context.Context, tx *sql.Tx) error {
	cust := newDemoInsert(ctx, tx, "customers", `id, name, name_fold, phone, phone_digits, email, email_norm,
		birthday_year, birthday_month, birthday_day, address, notes, tags, preferred_channel,
		do_not_contact, customer_since, added_on`)
	for i := range g.customers {
		c := &g.customers[i]
		args := append([]any{c.ID}, customerArgs(c.Customer)...)
		cust.add(append(args, c.AddedOn.String())...)
	}
	return cust.close()
}

func (g *demoShop) writeConsents(ctx context.Context, tx *sql.Tx) error {
	cons := newDemoInsert(ctx, tx, "consents", "customer_id, channel, given_on, source")
	for i := range g.customers {
		c := &g.customers[i]
		for _, k := range c.Consents {
			cons.add(c.ID, string(k.Channel), k.GivenOn.String(), k.Source)
		}
	}
	return cons.close()
}

// writePurchases writes the purchases in id order.
func (g *demoShop) writePurchases(ctx context.Context, tx *sql.Tx) error {
	purch := newDemoInsert(ctx, tx, "purchases", `id, customer_id, at, day, amount_cents, discount_cents, description,
		staff, reference, refund_of, imported`)
	byID := make([]int32, len(g.purchases))
	for i := range g.purchases {
		byID[g.purchases[i].id-1] = int32(i)
	}
	for _, i := range byID {
		p := &g.purchases[i]
		var custID, refundOf rules.ID
		if p.cust >= 0 {
			custID = g.customers[p.cust].ID
		}
		if p.refundOf >= 0 {
			refundOf = g.purchases[p.refundOf].id
		}
		purch.add(p.id, nullID(custID), demoInstant(p.day, p.sec), p.day.String(), int64(p.amount),
			int64(p.discount), p.desc, p.staff, nullString(p.ref), nullID(refundOf), boolInt(p.imported))
	}
	return purch.close()
}

// writeLedger writes the ledger in the order it happened, numbering the
// rows in that order.
func (g *demoShop) writeLedger(ctx context.Context, tx *sql.Tx) error {
	ledger := newDemoInsert(ctx, tx, "ledger", "id, customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall")
	for k, i := range g.ledgerOrder() {
		l := &g.ledger[i]
		var pid rules.ID
		reason := l.reason
		if l.purchase >= 0 {
			p := &g.purchases[l.purchase]
			pid = p.id
			if l.kind == rules.LedgerRefundReversal {
				reason = fmt.Sprintf("refund of purchase %d", g.purchases[p.refundOf].id)
			}
		}
		ledger.add(k+1, g.customers[l.cust].ID, demoInstant(l.day, l.sec), l.day.String(), string(l.kind),
			l.points, nullID(pid), l.staff, reason, l.shortfall)
	}
	return ledger.close()
}

// ledgerOrder is the ledger rows by (day, time), in the order they were
// made when those are the same.
func (g *demoShop) ledgerOrder() []int32 {
	order := make([]int32, len(g.ledger))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		la, lb := &g.ledger[order[a]], &g.ledger[order[b]]
		if la.day != lb.day {
			return la.day < lb.day
		}
		if la.sec != lb.sec {
			return la.sec < lb.sec
		}
		return order[a] < order[b]
	})
	return order
}

// writeContacts writes the contacts in id order.
func (g *demoShop) writeContacts(ctx context.Context, tx *sql.Tx) error {
	contact := newDemoInsert(ctx, tx, "contacts", "id, customer_id, at, day, channel, staff, outcome, note, reminder_key")
	byID := make([]int32, len(g.contacts))
	for i := range g.contacts {
		byID[g.contacts[i].id-1] = int32(i)
	}
	for _, i := range byID {
		c := &g.contacts[i]
		contact.add(c.id, g.customers[c.cust].ID, demoInstant(c.day, c.sec), c.day.String(), string(c.channel),
			c.staff, c.outcome, c.note, c.key)
	}
	return contact.close()
}

// writeStates writes what was done with the reminders.
func (g *demoShop) writeStates(ctx context.Context, tx *sql.Tx) error {
	state := newDemoInsert(ctx, tx, "reminder_states", `key, kind, customer_id, due, state, reason, staff,
		changed_at, changed_on, contact_id`)
	for i := range g.states {
		st := &g.states[i]
		var cid rules.ID
		if st.contact >= 0 {
			cid = g.contacts[st.contact].id
		}
		state.add(st.key, string(st.kind), g.customers[st.cust].ID, st.due.String(), string(st.state), st.reason,
			st.staff, demoInstant(st.day, st.sec), st.day.String(), nullID(cid))
	}
	return state.close()
}

// addOccasions starts writing the occasions; the caller closes it.
func (g *demoShop) addOccasions(ctx context.Context, tx *sql.Tx) *demoInsert {
	occ := newDemoInsert(ctx, tx, "occasions", "id, customer_id, label, year, month, day, yearly, lead_days")
	for _, o := range g.occasions {
		var year any
		if o.Date.Year != 0 {
			year = o.Date.Year
		}
		occ.add(o.ID, o.CustomerID, o.Label, year, int(o.Date.Month), o.Date.Day, boolInt(o.Yearly), o.LeadDays)
	}
	return occ
}

// addPromises starts writing the promises; the caller closes it.
func (g *demoShop) addPromises(ctx context.Context, tx *sql.Tx) *demoInsert {
	prom := newDemoInsert(ctx, tx, "promises", "id, customer_id, what, due, staff, made_on, kept_on")
	for _, p := range g.promises {
		prom.add(p.ID, p.CustomerID, p.What, p.Due.String(), p.Staff, p.MadeOn.String(), nullDay(p.KeptOn))
	}
	return prom
}

// addComplaints starts writing the complaints; the caller closes it.
func (g *demoShop) addComplaints(ctx context.Context, tx *sql.Tx) *demoInsert {
	comp := newDemoInsert(ctx, tx, "complaints", `id, customer_id, what, received_at, received_on, severity, staff,
		resolved_on, resolved_at, resolution`)
	for _, c := range g.complaints {
		var resolvedAt any
		if !c.ResolvedOn.IsZero() {
			resolvedAt = demoInstant(c.ResolvedOn, c.resolvedSec)
		}
		comp.add(c.ID, c.CustomerID, c.What, demoInstant(c.Received, c.sec), c.Received.String(), string(c.Severity),
			c.Staff, nullDay(c.ResolvedOn), resolvedAt, c.Resolution)
	}
	return comp
}
