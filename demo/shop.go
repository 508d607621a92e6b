package demo

import (
	"fmt"
	"math/rand/v2"
	"regulars/rules"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ShopName is the name the demo gives its shop.
const ShopName = "Harbour Lane Outfitters"

// Staff are the people on the demo shop's rows.
var Staff = []string{"Maggie", "Tomasz", "Priya", "Callum"}

type demoSegment int

const (
	segNormal     demoSegment = iota
	segRegular                // buys every few weeks
	segOccasional             // two to five visits in all
	segLost                   // stopped buying 4–14 months ago
)

// Customer is a demo customer: the row the store writes, and what the
// generator decides about them (their segment, when they stop buying).
type Customer struct {
	rules.Customer
	seg        demoSegment
	stop       rules.Day // the last day this customer buys
	redeemPct  int       // chance of taking a reward when one is ready
	extraSales []rules.Day
	sales      []int32 // indexes into purchases, in time order
	balance    int64
}

// Purchase is a sale or a refund; Cust and RefundOf are indexes into the
// shop's Customers and Purchases (-1 for a walk-in, or for a sale).
type Purchase struct {
	ID       rules.ID
	Cust     int32 // index into customers; -1 for a walk-in
	Day      rules.Day
	Sec      int32
	Amount   rules.Cents
	Discount rules.Cents
	Refunded rules.Cents // sum of its refunds, positive
	Desc     string
	Staff    string
	HasRef   bool
	Ref      string
	RefundOf int32 // index of the sale refunded; -1 for a sale
	Earned   int64
	Imported bool
}

// LedgerRow is one movement of points; Cust and Purchase are indexes
// (Purchase -1 for none).
type LedgerRow struct {
	Cust      int32
	Day       rules.Day
	Sec       int32
	Kind      rules.LedgerKind
	Points    int64
	Purchase  int32 // -1 for none
	Staff     string
	Reason    string
	Shortfall int64
}

// Contact is a call, message or visit; Cust is an index into Customers.
type Contact struct {
	ID      rules.ID
	Cust    int32
	Day     rules.Day
	Sec     int32
	Channel rules.Channel
	Staff   string
	Outcome string
	Note    string
	Key     string
}

// State is what the staff did with a past reminder (Key); Cust and Contact
// are indexes (Contact -1 for none).
type State struct {
	Key     string
	Kind    rules.Kind
	Cust    int32
	Due     rules.Day
	State   rules.State
	Reason  string
	Staff   string
	Day     rules.Day
	Sec     int32
	Contact int32 // index into contacts; -1 for none
}

// Complaint is a complaint and the seconds of the day it was received and
// resolved at.
type Complaint struct {
	rules.Complaint
	Sec         int32
	ResolvedSec int32 // second of ResolvedOn the fix was reported, as its contact
}

// Shop is a demo shop being made: its rows, in the order the store writes
// them, and the seeded generator that makes them.
type Shop struct {
	rng         *rand.Rand
	n           int
	end         rules.Day
	histStart   rules.Day // purchases start here
	schemeStart rules.Day // the loyalty scheme started here; earlier sales are imported
	CreatedOn   rules.Day
	loy         rules.Loyalty
	rules       rules.Rules
	dayWeight   []int // by day from histStart
	maxWeight   int
	productCum  []int
	addOns      []int

	Customers  []Customer
	Purchases  []Purchase
	Ledger     []LedgerRow
	Contacts   []Contact
	States     []State
	Occasions  []rules.Occasion
	Promises   []rules.Promise
	Complaints []Complaint
	phones     map[int]bool // used only for membership, never iterated
	emails     map[string]bool
}

// NewShop starts a demo shop of customers customers whose history ends on
// end, seeded by seed, under the shop's loyalty scheme and reminder rules.
func NewShop(customers int, seed int64, end rules.Day, loy rules.Loyalty, rules rules.Rules) *Shop {
	g := &Shop{
		rng:         rand.New(rand.NewPCG(uint64(seed), 0x5eed_0f_7e9a1a75)),
		n:           customers,
		end:         end,
		histStart:   end.AddYears(-3),
		schemeStart: end.AddMonths(-18),
		CreatedOn:   end.AddYears(-1),
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

func (g *Shop) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.rng.IntN(n)
}

// pct is true pct times in a hundred.
func (g *Shop) pct(p int) bool { return g.rng.IntN(100) < p }

func pick[T any](g *Shop, xs []T) T { return xs[g.rng.IntN(len(xs))] }

func (g *Shop) staffName() string {
	// The owner works most shifts.
	switch r := g.rng.IntN(10); {
	case r < 4:
		return Staff[0]
	case r < 6:
		return Staff[1]
	case r < 8:
		return Staff[2]
	default:
		return Staff[3]
	}
}

// shopDay picks a day in [lo, hi] following the seasons; days the shop is
// closed are never picked while another day is possible.
func (g *Shop) shopDay(lo, hi rules.Day) rules.Day {
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
func (g *Shop) open(d rules.Day) rules.Day {
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
func (g *Shop) openSec(d rules.Day) int32 {
	open, shut := 9*3600, 17*3600+1800
	if d.Weekday() == time.Sunday {
		open, shut = 10*3600, 16*3600
	}
	return int32(open + g.rng.IntN(shut-open))
}

// Generate makes every row: the same shop for the same NewShop arguments.
func (g *Shop) Generate() {
	g.makeCustomers()
	for i := range g.Customers {
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

func (g *Shop) makeCustomers() {
	cultureTotal := 0
	for _, c := range demoCultures {
		cultureTotal += c.weight
	}
	g.Customers = make([]Customer, g.n)
	for i := range g.Customers {
		c := &g.Customers[i]
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
	for i := range g.Customers {
		c := &g.Customers[i]
		c.AddedOn = c.CustomerSince
		g.segment(c)
		if c.seg == segRegular && !slices.Contains(c.Tags, "vip") && g.pct(40) {
			c.Tags = append([]string{"vip"}, c.Tags...)
		}
	}
	// Ids follow the order in which people became customers.
	sort.SliceStable(g.Customers, func(a, b int) bool {
		return g.Customers[a].CustomerSince < g.Customers[b].CustomerSince
	})
	for i := range g.Customers {
		g.Customers[i].ID = rules.ID(i + 1)
	}
}

func (g *Shop) customerDetails(c *Customer, first, last string) {
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
func callChannel(c *Customer) rules.Channel {
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
func (g *Shop) phone() string {
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

func (g *Shop) email(first, last string) string {
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
func (g *Shop) showcase() {
	k := 2 + g.n/1000
	for range k {
		c := &g.Customers[g.intn(g.n)]
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
		c := &g.Customers[g.intn(g.n)]
		c.CustomerSince = g.open(g.end.AddDays(g.intn(13) - 6).AddYears(-1 - g.intn(5)))
		for i := range c.Consents {
			c.Consents[i].GivenOn = max(c.Consents[i].GivenOn, c.CustomerSince)
		}
	}
	for range k {
		c := &g.Customers[g.intn(g.n)]
		c.extraSales = append(c.extraSales, g.open(max(g.end.AddDays(-g.intn(14)), c.CustomerSince)))
	}
}

func (g *Shop) segment(c *Customer) {
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

func (g *Shop) salesCount(c *Customer, start rules.Day) int {
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

func (g *Shop) product() (string, rules.Cents) {
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
func (g *Shop) makeSales(ci int32) {
	c := &g.Customers[ci]
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
			g.addLedger(ci, e.day, e.sec, rules.LedgerAdjustment, e.pts, -1, rules.OwnerName, e.why, 0)
		}
	}
}

// saleDays is the days customer c buys on, in order: the day it signed up
// if that is within the history, then days spread over its active years,
// and any extra sales it was given.
func (g *Shop) saleDays(c *Customer) []rules.Day {
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
func (g *Shop) planSales(days []rules.Day) ([]demoSale, []demoEvent) {
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
func (g *Shop) planAdjustment(c *Customer) (demoEvent, bool) {
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
func (g *Shop) ringUpSale(ci int32, s demoSale) int32 {
	c := &g.Customers[ci]
	p := Purchase{Cust: ci, Day: s.day, Sec: s.sec, Amount: s.amount, Desc: s.desc,
		Staff: g.staffName(), HasRef: g.pct(50), RefundOf: -1, Imported: s.day < g.schemeStart}
	idx := int32(len(g.Purchases))
	if !p.Imported && !s.refundPlanned && c.balance >= g.loy.RewardPoints && g.pct(c.redeemPct) {
		k := c.balance / g.loy.RewardPoints
		if g.pct(70) {
			k = 1
		}
		for k > 0 && rules.Cents(k)*g.loy.RewardValue >= p.Amount {
			k--
		}
		if k > 0 {
			p.Discount = rules.Cents(k) * g.loy.RewardValue
			g.addLedger(ci, s.day, s.sec, rules.LedgerRedeem, -k*g.loy.RewardPoints, idx, p.Staff, "", 0)
		}
	}
	if !p.Imported {
		p.Earned = g.loy.EarnedFor(p.Paid())
		if p.Earned > 0 {
			g.addLedger(ci, s.day, s.sec, rules.LedgerEarn, p.Earned, idx, p.Staff, "", 0)
		}
	}
	c.sales = append(c.sales, idx)
	g.Purchases = append(g.Purchases, p)
	return idx
}

// ringUpRefund adds refund e of customer ci's purchase sale, taking back
// the points the refunded money earned as far as the balance allows.
func (g *Shop) ringUpRefund(ci int32, e demoEvent, sale int32) {
	c := &g.Customers[ci]
	orig := &g.Purchases[sale]
	orig.Refunded += e.cost
	what := "Refund: "
	if e.cost < orig.Amount {
		what = "Part refund: "
	}
	r := Purchase{Cust: ci, Day: e.day, Sec: e.sec, Amount: -e.cost, Desc: what + orig.Desc,
		Staff: g.staffName(), HasRef: g.pct(50), RefundOf: sale, Imported: e.day < g.schemeStart}
	idx := int32(len(g.Purchases))
	if orig.Earned > 0 {
		// The refund takes back the share of points the refunded money earned.
		back := orig.Earned * int64(e.cost) / int64(orig.Paid())
		if back > 0 {
			take := min(back, c.balance)
			g.addLedger(ci, e.day, e.sec, rules.LedgerRefundReversal, -take, idx, r.Staff, "", back-take)
		}
	}
	g.Purchases = append(g.Purchases, r)
}

func (p Purchase) Paid() rules.Cents { return p.Amount - p.Discount }

func (g *Shop) productNamed(p demoProduct) (string, rules.Cents) {
	pounds := int64(p.min/100) + int64(g.intn(int(p.max-p.min)/100+1))
	return p.name, rules.Cents(pounds*100 - []int64{0, 1, 5}[g.intn(3)])
}

func (g *Shop) addLedger(ci int32, d rules.Day, sec int32, kind rules.LedgerKind, pts int64, purchase int32, staff, reason string, shortfall int64) {
	g.Ledger = append(g.Ledger, LedgerRow{Cust: ci, Day: d, Sec: sec, Kind: kind, Points: pts,
		Purchase: purchase, Staff: staff, Reason: reason, Shortfall: shortfall})
	if ci >= 0 {
		g.Customers[ci].balance += pts
	}
}

func (g *Shop) makeWalkIns() {
	for range 5 + g.n/200 {
		d := g.shopDay(g.histStart, g.end)
		desc, amt := g.productNamed(demoProducts[g.addOns[g.intn(len(g.addOns))]])
		g.Purchases = append(g.Purchases, Purchase{Cust: -1, Day: d, Sec: g.openSec(d), Amount: amt,
			Desc: desc, Staff: g.staffName(), HasRef: g.pct(50), RefundOf: -1, Imported: d < g.schemeStart})
	}
}

// ensureRewardBalance gives a tiny shop one customer with a reward ready.
func (g *Shop) ensureRewardBalance() {
	best := int32(-1)
	for i := range g.Customers {
		c := &g.Customers[i]
		if c.DoNotContact {
			continue
		}
		if c.balance >= g.loy.RewardPoints {
			return
		}
		if best < 0 || c.balance > g.Customers[best].balance {
			best = int32(i)
		}
	}
	if best >= 0 {
		g.addLedger(best, g.end, 17*3600+1799, rules.LedgerAdjustment, g.loy.RewardPoints-g.Customers[best].balance,
			-1, rules.OwnerName, "Points from the old paper stamp card", 0)
	}
}

// assignPurchaseIDs numbers sales and refunds in time order, then gives
// half the tickets the till's receipt numbers.
func (g *Shop) assignPurchaseIDs() {
	order := timeOrder(len(g.Purchases), func(i int32) (rules.Day, int32) { return g.Purchases[i].Day, g.Purchases[i].Sec })
	receipt := 10400
	for k, i := range order {
		p := &g.Purchases[i]
		p.ID = rules.ID(k + 1)
		receipt += 1 + g.intn(3)
		if p.HasRef {
			p.Ref = "R" + strconv.Itoa(receipt)
		}
	}
}

// SaleFacts are what the thank-you rule needs to know of one sale.
type SaleFacts struct {
	Day      rules.Day
	Amount   rules.Cents // the ticket total
	Refunded rules.Cents // what its refunds gave back
}

// ThankYous tells which of one customer's sales (in time order) produce
// a thank_you: a fully refunded sale produces none, and neither does a sale
// less than gap days after one that produced one.
func ThankYous(sales []SaleFacts, gap int) []bool {
	out := make([]bool, len(sales))
	last := rules.Day(0)
	for i, s := range sales {
		if s.Refunded >= s.Amount {
			continue
		}
		if last != 0 && s.Day.Sub(last) < gap {
			continue
		}
		out[i] = true
		last = s.Day
	}
	return out
}

func (g *Shop) makeReminderHistory() {
	ty, ci := g.rules[rules.KindThankYou], g.rules[rules.KindCheckIn]
	for i := range g.Customers {
		c := &g.Customers[i]
		if c.DoNotContact || len(c.sales) == 0 {
			continue
		}
		facts := make([]SaleFacts, len(c.sales))
		for k, pi := range c.sales {
			p := &g.Purchases[pi]
			facts[k] = SaleFacts{Day: p.Day, Amount: p.Amount, Refunded: p.Refunded}
		}
		thanks := ThankYous(facts, ty.GapDays)
		for k, pi := range c.sales {
			p := &g.Purchases[pi]
			if ty.On && thanks[k] {
				g.purchaseFollowUp(int32(i), rules.KindThankYou, p, p.Day.AddDays(ty.AfterDays))
			}
			if ci.On && p.Refunded < p.Amount && p.Amount-p.Refunded >= ci.MinCents {
				g.purchaseFollowUp(int32(i), rules.KindCheckIn, p, p.Day.AddDays(ci.AfterDays))
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
func (g *Shop) followUp(ci int32, f demoFollowUp) rules.Day {
	r := g.intn(100)
	if r >= f.done+f.skipped {
		return 0
	}
	st := State{Key: f.key, Kind: f.kind, Cust: ci, Due: f.due, Staff: g.staffName(), Contact: -1}
	if r < f.done {
		st.State = rules.StateDone
		st.Day = f.due
		if g.pct(45) {
			st.Day = f.due.AddDays(g.intn(f.early+f.late+1) - f.early)
		}
	} else {
		st.State = rules.StateSkipped
		st.Day = f.due.AddDays(g.intn(f.late + 1))
		st.Reason = pick(g, demoSkipReasons)
		if f.kind == rules.KindStayInTouch {
			st.Reason = pick(g, demoLapsedReasons)
		}
	}
	c := &g.Customers[ci]
	st.Day = g.open(st.Day)
	if st.Day > g.end || st.Day < c.CustomerSince {
		return 0
	}
	st.Sec = g.openSec(st.Day)
	if st.State == rules.StateDone {
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
		st.Contact = int32(len(g.Contacts))
		g.Contacts = append(g.Contacts, Contact{Cust: ci, Day: st.Day, Sec: st.Sec, Channel: ch,
			Staff: st.Staff, Outcome: outcome, Note: f.note, Key: f.key})
	}
	g.States = append(g.States, st)
	if st.State == rules.StateDone {
		return st.Day
	}
	return 0
}

// messageChannel is how the counter sends a short message: the customer's
// preferred way where consent allows, else a call, else in person.
func (g *Shop) messageChannel(c *Customer) rules.Channel {
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
func (g *Shop) purchaseFollowUp(ci int32, kind rules.Kind, p *Purchase, due rules.Day) {
	if due < g.CreatedOn || due > g.end {
		return
	}
	f := demoFollowUp{kind: kind, key: fmt.Sprintf("%s:%d:purchase:%d:%s", kind, g.Customers[ci].ID, p.ID, due),
		due: due, late: 4, done: 70, skipped: 10, outcome: "thanked", note: "Thanked them for the " + firstItem(p.Desc)}
	if kind == rules.KindCheckIn {
		f.outcome = pick(g, []string{"happy", "happy", "happy", "minor issue"})
		f.note = "Asked how the " + firstItem(p.Desc) + " is doing"
	}
	g.followUp(ci, f)
}

// makeContacts spreads calls, messages and visits over each customer's
// active years; lapsed customers hear nothing after they stopped buying.
func (g *Shop) makeContacts() {
	for i := range g.Customers {
		c := &g.Customers[i]
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
				hi = min(hi, g.Purchases[c.sales[len(c.sales)-1]].Day)
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
			g.Contacts = append(g.Contacts, Contact{Cust: int32(i), Day: d, Sec: g.openSec(d),
				Channel: line.channel, Staff: g.staffName(), Outcome: pick(g, line.outcomes), Note: pick(g, line.notes)})
		}
	}
}

func (g *Shop) makeOccasions() {
	n := max(1, g.n*5/100)
	near := 1 + g.n/2000
	for k, ci := range g.rng.Perm(g.n)[:n] {
		c := &g.Customers[ci]
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
		g.Occasions = append(g.Occasions, oc)
	}
	sort.SliceStable(g.Occasions, func(a, b int) bool { return g.Occasions[a].CustomerID < g.Occasions[b].CustomerID })
	for k := range g.Occasions {
		g.Occasions[k].ID = rules.ID(k + 1)
	}
}

// activeCustomer picks a customer still buying, for promises and complaints.
func (g *Shop) activeCustomer() int32 {
	for range 50 {
		i := g.intn(g.n)
		if c := &g.Customers[i]; c.seg != segLost && len(c.sales) > 0 {
			return int32(i)
		}
	}
	return int32(g.intn(g.n))
}

func (g *Shop) promiseText() string {
	w := pick(g, demoPromiseWhat)
	if strings.Contains(w, "%d") {
		return fmt.Sprintf(w, 5+g.intn(8))
	}
	return w
}

func (g *Shop) makePromises() {
	kept := max(10, g.n*3/100)
	open := min(max(5, g.n*3/400), 25)
	for n, tries := 0, 0; n < kept && tries < 20*kept; tries++ {
		ci := g.activeCustomer()
		c := &g.Customers[ci]
		lo := max(c.CustomerSince, g.end.AddDays(-730))
		if lo > g.end.AddDays(-25) {
			continue // too new a customer for a promise long kept
		}
		n++
		made := g.shopDay(lo, g.end.AddDays(-25))
		due := made.AddDays(3 + g.intn(19))
		keptOn := g.open(min(max(due.AddDays(g.intn(7)-4), made), g.end))
		p := rules.Promise{CustomerID: c.ID, What: g.promiseText(), Due: due, Staff: g.staffName(), MadeOn: made, KeptOn: keptOn}
		g.Promises = append(g.Promises, p)
		g.Contacts = append(g.Contacts, Contact{Cust: ci, Day: keptOn, Sec: g.openSec(keptOn),
			Channel: callChannel(c), Staff: p.Staff, Outcome: "promise kept", Note: p.What + ": done"})
	}
	for k := range open {
		ci := g.activeCustomer()
		c := &g.Customers[ci]
		made := max(g.end.AddDays(-1-g.intn(20)), c.CustomerSince)
		var due rules.Day
		if k%5 < 2 {
			due = max(g.end.AddDays(-1-g.intn(6)), made.AddDays(1)) // overdue
		} else {
			due = g.end.AddDays(g.intn(15))
		}
		g.Promises = append(g.Promises, rules.Promise{CustomerID: c.ID, What: g.promiseText(), Due: due,
			Staff: g.staffName(), MadeOn: made})
	}
	sort.SliceStable(g.Promises, func(a, b int) bool { return g.Promises[a].MadeOn < g.Promises[b].MadeOn })
	for k := range g.Promises {
		g.Promises[k].ID = rules.ID(k + 1)
	}
}

func (g *Shop) makeComplaints() {
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
			received = max(g.end.AddDays(-g.intn(21)), g.Customers[ci].CustomerSince)
		} else {
			ci = int32(g.intn(g.n))
			c := &g.Customers[ci]
			if len(c.sales) == 0 {
				ci = g.activeCustomer()
				c = &g.Customers[ci]
			}
			if len(c.sales) == 0 {
				continue
			}
			sale := &g.Purchases[c.sales[g.intn(len(c.sales))]]
			received = min(sale.Day.AddDays(1+g.intn(14)), g.end.AddDays(-6))
			received = max(received, sale.Day)
		}
		c := &g.Customers[ci]
		received = g.open(received)
		what := pick(g, demoComplaints)
		cp := Complaint{Complaint: rules.Complaint{CustomerID: c.ID, What: what.what, Received: received,
			Severity: pick(g, sev), Staff: g.staffName()}, Sec: g.openSec(received)}
		if k >= open {
			resolved := received.AddDays(1 + g.intn(5))
			if g.pct(15) {
				resolved = received.AddDays(6 + g.intn(15))
			}
			cp.ResolvedOn = max(g.open(min(resolved, g.end)), received)
			cp.Resolution = what.resolution
			cp.ResolvedSec = g.openSec(cp.ResolvedOn)
			if cp.ResolvedOn == received {
				cp.ResolvedSec = max(cp.ResolvedSec, cp.Sec)
			}
			g.Contacts = append(g.Contacts, Contact{Cust: ci, Day: cp.ResolvedOn, Sec: cp.ResolvedSec,
				Channel: callChannel(c), Staff: cp.Staff, Outcome: "resolved", Note: what.resolution})
		}
		g.Complaints = append(g.Complaints, cp)
	}
	sort.SliceStable(g.Complaints, func(a, b int) bool {
		if g.Complaints[a].Received != g.Complaints[b].Received {
			return g.Complaints[a].Received < g.Complaints[b].Received
		}
		return g.Complaints[a].Sec < g.Complaints[b].Sec
	})
	for k := range g.Complaints {
		g.Complaints[k].ID = rules.ID(k + 1)
	}
}

// makeFollowUps handles the reminders that promises, complaints and
// yearly dates made since the database was created.
func (g *Shop) makeFollowUps() {
	checkIn := g.rules[rules.KindCheckIn]
	for _, p := range g.Promises {
		ci := int32(p.CustomerID - 1)
		if p.KeptOn.IsZero() || !checkIn.On || g.Customers[ci].DoNotContact {
			continue
		}
		due := p.KeptOn.AddDays(g.rules[rules.KindPromise].ResolvedDays)
		if due < g.CreatedOn || due > g.end {
			continue
		}
		g.followUp(ci, demoFollowUp{kind: rules.KindCheckIn, key: fmt.Sprintf("check_in:%d:promise:%d:%s", p.CustomerID, p.ID, due),
			due: due, late: 4, done: 70, skipped: 10, outcome: "happy", note: "Checked all is well after: " + p.What})
	}
	// A resolved complaint's follow-up stays until done, so nearly all get done.
	for _, k := range g.Complaints {
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
			due: due, late: 3, done: 95, skipped: 5, channel: callChannel(&g.Customers[ci]),
			outcome: "happy", note: "Called to check the fix held: " + k.Resolution})
	}
	occasions := g.Occasions
	for i := range g.Customers {
		c := &g.Customers[i]
		if c.DoNotContact {
			continue
		}
		for yr := g.CreatedOn.Year(); yr <= g.end.Year(); yr++ {
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
func (g *Shop) yearlyFollowUp(ci int32, kind rules.Kind, subject string, due rules.Day, outcome, note string) {
	c := &g.Customers[ci]
	if due < g.CreatedOn || due < c.AddedOn || due > g.end {
		return
	}
	g.followUp(ci, demoFollowUp{kind: kind, key: fmt.Sprintf("%s:%d:%s:%s", kind, c.ID, subject, due), due: due,
		early: 3, late: 3, done: 65, skipped: 10, outcome: outcome, note: note})
}

// makeRewardHistory deals with each customer's standing reward: one that
// became ready more than a few days ago was mostly mentioned at the till
// already; fresh ones are left for Today.
func (g *Shop) makeRewardHistory() {
	if !g.rules[rules.KindRewardReady].On {
		return
	}
	crossed := make([]rules.Day, len(g.Customers))
	lastRedeem := make([]rules.Day, len(g.Customers))
	bal := make([]int64, len(g.Customers))
	need := g.loy.RewardPoints
	for _, l := range g.Ledger {
		before := bal[l.Cust]
		bal[l.Cust] += l.Points
		if before < need && bal[l.Cust] >= need {
			crossed[l.Cust] = l.Day
		}
		if l.Kind == rules.LedgerRedeem {
			lastRedeem[l.Cust] = l.Day
		}
	}
	for i := range g.Customers {
		c := &g.Customers[i]
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
func (g *Shop) makeStayInTouchHistory() {
	r := g.rules[rules.KindStayInTouch]
	if !r.On {
		return
	}
	last := make([]rules.Day, len(g.Customers))
	for i := range g.Purchases {
		if p := &g.Purchases[i]; p.Cust >= 0 && p.RefundOf < 0 {
			last[p.Cust] = max(last[p.Cust], p.Day)
		}
	}
	for i := range g.Contacts {
		c := &g.Contacts[i]
		last[c.Cust] = max(last[c.Cust], c.Day)
	}
	for i := range g.Customers {
		c := &g.Customers[i]
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

func (g *Shop) assignContactIDs() {
	order := timeOrder(len(g.Contacts), func(i int32) (rules.Day, int32) { return g.Contacts[i].Day, g.Contacts[i].Sec })
	for k, i := range order {
		g.Contacts[i].ID = rules.ID(k + 1)
	}
}

// LedgerOrder is the ledger rows by (day, time), in the order they were
// made when those are the same.
func (g *Shop) LedgerOrder() []int32 {
	return timeOrder(len(g.Ledger), func(i int32) (rules.Day, int32) { return g.Ledger[i].Day, g.Ledger[i].Sec })
}

// timeOrder is the indexes 0..n-1 by the day and second at gives them,
// in index order when those are the same.
func timeOrder(n int, at func(i int32) (rules.Day, int32)) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		da, sa := at(order[a])
		db, sb := at(order[b])
		if da != db {
			return da < db
		}
		return sa < sb
	})
	return order
}
