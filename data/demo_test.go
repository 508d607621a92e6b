package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regulars/demo"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

var demoEnd = rules.NewDay(2025, time.June, 15)

func newDemoStore(t *testing.T, name string) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), name), Options{Today: demoEnd})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func demoStore(t *testing.T, opt DemoOptions) (*Store, DemoReport) {
	t.Helper()
	s := newDemoStore(t, "demo.db")
	r, err := s.GenerateDemo(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// dumpTables renders every row of every table, in rowid order.
func dumpTables(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.reader().QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := s.reader().QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "== %s %v\n", table, cols)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

func count(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.reader().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestDemoSameOptionsSameBytes(t *testing.T) {
	runBeside(t)
	opt := DemoOptions{Customers: 300, Seed: 7, End: demoEnd}
	a, _ := demoStore(t, opt)
	b, _ := demoStore(t, opt)
	da, db := dumpTables(t, a), dumpTables(t, b)
	if da != db {
		t.Fatal("two demos with the same options differ")
	}
	if !strings.Contains(da, "== purchases") || len(da) < 10000 {
		t.Fatalf("the dump looks empty: %d bytes", len(da))
	}
	c, _ := demoStore(t, DemoOptions{Customers: 300, Seed: 4, End: demoEnd})
	if dumpTables(t, c) == da {
		t.Fatal("a different seed made the same demo")
	}
}

func TestDemoDefaultsEndToToday(t *testing.T) {
	s, r := demoStore(t, DemoOptions{Customers: 50})
	if r.Customers != 50 {
		t.Fatalf("made %d customers, want 50", r.Customers)
	}
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE day > ?", demoEnd.String()); n != 0 {
		t.Fatalf("%d purchases after the store's today", n)
	}
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE day > ?", demoEnd.AddDays(-14).String()); n == 0 {
		t.Fatal("no purchases in the two weeks before the store's today")
	}
}

func TestDemoNothingAfterEnd(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 300, End: demoEnd})
	end := demoEnd.String()
	checks := []string{
		"SELECT count(*) FROM purchases WHERE day > ?1 OR substr(at, 1, 10) <> day",
		"SELECT count(*) FROM ledger WHERE day > ?1 OR substr(at, 1, 10) <> day",
		"SELECT count(*) FROM contacts WHERE day > ?1 OR substr(at, 1, 10) <> day",
		"SELECT count(*) FROM complaints WHERE received_on > ?1 OR resolved_on > ?1 OR substr(received_at, 1, 10) <> received_on",
		"SELECT count(*) FROM promises WHERE made_on > ?1 OR kept_on > ?1",
		"SELECT count(*) FROM reminder_states WHERE changed_on > ?1 OR due > ?1 OR substr(changed_at, 1, 10) <> changed_on",
		"SELECT count(*) FROM customers WHERE customer_since > ?1 OR added_on > ?1 OR added_on <> customer_since",
		"SELECT count(*) FROM consents WHERE given_on > ?1",
		"SELECT count(*) FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE p.day < c.customer_since",
		"SELECT count(*) FROM ledger l JOIN customers c ON c.id = l.customer_id WHERE l.day < c.customer_since",
	}
	for _, q := range checks {
		if n := count(t, s, q, end); n != 0 {
			t.Errorf("%d rows dated after %s or inconsistent: %s", n, end, q)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE day < ?", demoEnd.AddYears(-3).String()); n != 0 {
		t.Errorf("%d purchases more than three years before the end", n)
	}
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE substr(day, 6) IN ('12-25', '12-26', '01-01')"); n != 0 {
		t.Errorf("%d sales on days the shop is shut", n)
	}
	// Times are during opening hours.
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE substr(at, 12) < '09:00:00' OR substr(at, 12) >= '17:30:00'"); n != 0 {
		t.Errorf("%d purchases outside opening hours", n)
	}
}

func TestDemoSettingsAndStaff(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 100, End: demoEnd})
	ctx := context.Background()
	created, err := s.CreatedOn(ctx)
	if err != nil || created != demoEnd.AddYears(-1) {
		t.Fatalf("created_on = %s, %v; want a year before %s", created, err, demoEnd)
	}
	if name, _ := s.ShopName(ctx); name != demo.ShopName {
		t.Fatalf("shop name %q", name)
	}
	if n := count(t, s, "SELECT count(*) FROM staff"); n != 4 {
		t.Fatalf("%d staff, want 4", n)
	}
	if n := count(t, s, `SELECT count(*) FROM purchases WHERE staff NOT IN (SELECT name FROM staff)`); n != 0 {
		t.Fatalf("%d purchases by someone not on the staff list", n)
	}
	// The shortcut taken for speed is undone: later writes are durable again.
	var sync int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "After Demo"}); err != nil {
		t.Fatal(err)
	}
}

func TestDemoRefusesDatabaseWithCustomers(t *testing.T) {
	s := newDemoStore(t, "used.db")
	ctx := context.Background()
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "Ann Example"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.GenerateDemo(ctx, DemoOptions{Customers: 10, End: demoEnd})
	if !errors.Is(err, ErrHasCustomers) {
		t.Fatalf("err = %v, want ErrHasCustomers", err)
	}
	want := s.Path() + " already has customers; give demo a new file"
	if err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
	if n := count(t, s, "SELECT count(*) FROM purchases"); n != 0 {
		t.Fatalf("refused demo still wrote %d purchases", n)
	}
}

func TestDemoRefusesBadSizes(t *testing.T) {
	s := newDemoStore(t, "bad.db")
	for _, n := range []int{-1, DemoMaxCustomers + 1} {
		if _, err := s.GenerateDemo(context.Background(), DemoOptions{Customers: n, End: demoEnd}); err == nil {
			t.Errorf("%d customers accepted", n)
		}
	}
}

func TestDemoReportMatchesTables(t *testing.T) {
	s, r := demoStore(t, DemoOptions{Customers: 300, Seed: 4, End: demoEnd})
	got := DemoReport{
		Customers:  count(t, s, "SELECT count(*) FROM customers"),
		Purchases:  count(t, s, "SELECT count(*) FROM purchases WHERE amount_cents > 0"),
		Refunds:    count(t, s, "SELECT count(*) FROM purchases WHERE amount_cents < 0"),
		Contacts:   count(t, s, "SELECT count(*) FROM contacts"),
		Complaints: count(t, s, "SELECT count(*) FROM complaints"),
		Promises:   count(t, s, "SELECT count(*) FROM promises"),
		Occasions:  count(t, s, "SELECT count(*) FROM occasions"),
		LedgerRows: count(t, s, "SELECT count(*) FROM ledger"),
	}
	if got != r {
		t.Fatalf("report %+v, tables %+v", r, got)
	}
	// A believable shop: about ten sales a customer, about 3% refunded.
	if per := float64(r.Purchases) / float64(r.Customers); per < 7 || per > 14 {
		t.Errorf("%.1f sales per customer", per)
	}
	if share := float64(r.Refunds) / float64(r.Purchases); share < 0.015 || share > 0.05 {
		t.Errorf("%.3f of sales refunded", share)
	}
	if r.Promises < 15 || r.Complaints < 5 || r.Occasions < 10 || r.Contacts < r.Customers {
		t.Errorf("too little history: %+v", r)
	}
	walkIns := count(t, s, "SELECT count(*) FROM purchases WHERE customer_id IS NULL")
	if walkIns == 0 || walkIns > 20 {
		t.Errorf("%d walk-in sales", walkIns)
	}
	dec := count(t, s, "SELECT count(*) FROM purchases WHERE amount_cents > 0 AND substr(day, 6, 2) = '12'")
	feb := count(t, s, "SELECT count(*) FROM purchases WHERE amount_cents > 0 AND substr(day, 6, 2) = '02'")
	if dec < feb*2 {
		t.Errorf("December %d sales, February %d: no Christmas peak", dec, feb)
	}
}

func TestDemoCustomersAreValidAndUnique(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 300, Seed: 4, End: demoEnd})
	cs, err := s.Customers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	phones, emails := map[string]bool{}, map[string]bool{}
	var withEmail, withBirthday, noYear, dnc, accented int
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			t.Errorf("customer %d: %v", c.ID, err)
		}
		if d := rules.PhoneDigits(c.Phone); d != "" {
			if phones[d] {
				t.Errorf("phone %s used twice", c.Phone)
			}
			phones[d] = true
		}
		if e := rules.NormEmail(c.Email); e != "" {
			if emails[e] {
				t.Errorf("email %s used twice", c.Email)
			}
			emails[e] = true
			withEmail++
		}
		if !c.Birthday.IsZero() {
			withBirthday++
			if c.Birthday.Year == 0 {
				noYear++
			}
		}
		if c.DoNotContact {
			dnc++
		}
		if strings.ContainsFunc(c.Name, func(r rune) bool { return r > 127 }) {
			accented++
		}
	}
	if len(phones) < 270 || withEmail < 200 || withBirthday < 170 || noYear == 0 || dnc == 0 || accented == 0 {
		t.Fatalf("phones %d, emails %d, birthdays %d (%d without year), do not contact %d, accented names %d",
			len(phones), withEmail, withBirthday, noYear, dnc, accented)
	}
	for _, q := range []string{
		"SELECT count(*) FROM consents c JOIN customers u ON u.id = c.customer_id WHERE c.channel = 'email' AND u.email = ''",
		"SELECT count(*) FROM consents c JOIN customers u ON u.id = c.customer_id WHERE c.channel IN ('sms', 'phone') AND u.phone = ''",
		"SELECT count(*) FROM consents c JOIN customers u ON u.id = c.customer_id WHERE u.do_not_contact = 1 OR c.given_on < u.customer_since",
		"SELECT count(*) FROM customers WHERE phone = '' AND preferred_channel IN ('sms', 'phone')",
		// Contacts go only where they can: a number to ring, an address with consent to write to.
		"SELECT count(*) FROM contacts c JOIN customers u ON u.id = c.customer_id WHERE c.channel IN ('sms', 'phone') AND u.phone = ''",
		`SELECT count(*) FROM contacts c JOIN customers u ON u.id = c.customer_id WHERE c.channel IN ('sms', 'email')
			AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = u.id AND k.channel = c.channel)`,
		"SELECT count(*) FROM contacts c JOIN customers u ON u.id = c.customer_id WHERE u.do_not_contact = 1 AND c.channel NOT IN ('in_person', 'phone')",
		"SELECT count(*) FROM contacts c JOIN customers u ON u.id = c.customer_id WHERE c.day < u.customer_since",
	} {
		if n := count(t, s, q); n != 0 {
			t.Errorf("%d rows: %s", n, q)
		}
	}
}

// demoLedgerRow as read back for checking.
type ledgerCheckRow struct {
	id, customer   int64
	day, kind      string
	points         int64
	purchase       sql.NullInt64
	staff, reason  string
	shortfall      int64
	amount, disc   int64
	refundOf       sql.NullInt64
	purchaseImport bool
}

func TestDemoLedgerHoldsItsInvariants(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 300, Seed: 11, End: demoEnd})
	ctx := context.Background()
	loy, _ := s.Loyalty(ctx)
	rows, err := s.reader().QueryContext(ctx, `SELECT l.id, l.customer_id, l.day, l.kind, l.points, l.purchase_id, l.staff, l.reason,
		l.shortfall, COALESCE(p.amount_cents, 0), COALESCE(p.discount_cents, 0), p.refund_of, COALESCE(p.imported, 0)
		FROM ledger l LEFT JOIN purchases p ON p.id = l.purchase_id ORDER BY l.customer_id, l.day, l.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	balance := map[int64]int64{}
	kinds := map[string]int{}
	var shortfalls int
	for rows.Next() {
		var r ledgerCheckRow
		if err := rows.Scan(&r.id, &r.customer, &r.day, &r.kind, &r.points, &r.purchase, &r.staff, &r.reason,
			&r.shortfall, &r.amount, &r.disc, &r.refundOf, &r.purchaseImport); err != nil {
			t.Fatal(err)
		}
		kinds[r.kind]++
		balance[r.customer] += r.points
		if balance[r.customer] < 0 {
			t.Fatalf("customer %d goes to %d points at ledger row %d", r.customer, balance[r.customer], r.id)
		}
		if r.staff == "" {
			t.Errorf("row %d names no staff", r.id)
		}
		switch rules.LedgerKind(r.kind) {
		case rules.LedgerEarn:
			if want := loy.EarnedFor(rules.Cents(r.amount - r.disc)); !r.purchase.Valid || r.points != want || r.refundOf.Valid || r.purchaseImport {
				t.Errorf("earn row %d: %d points for purchase %v paying %d, want %d", r.id, r.points, r.purchase, r.amount-r.disc, want)
			}
		case rules.LedgerRedeem:
			if !r.purchase.Valid || r.points >= 0 || r.points%loy.RewardPoints != 0 ||
				rules.Cents(-r.points/loy.RewardPoints)*loy.RewardValue != rules.Cents(r.disc) || r.disc >= r.amount {
				t.Errorf("redeem row %d: %d points for a discount of %d on %d", r.id, r.points, r.disc, r.amount)
			}
		case rules.LedgerRefundReversal:
			if !r.purchase.Valid || !r.refundOf.Valid || r.points > 0 || r.shortfall < 0 {
				t.Errorf("refund reversal %d: %d points, shortfall %d, purchase %v", r.id, r.points, r.shortfall, r.purchase)
			}
			var earned, paid int64
			err := s.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(l.points), 0), p.amount_cents - p.discount_cents
				FROM purchases p LEFT JOIN ledger l ON l.purchase_id = p.id AND l.kind = 'earn' WHERE p.id = ?`, r.refundOf.Int64).Scan(&earned, &paid)
			if err != nil {
				t.Fatal(err)
			}
			if due := earned * -r.amount / paid; r.shortfall-r.points != due {
				t.Errorf("refund reversal %d takes back %d with shortfall %d, want %d in all", r.id, -r.points, r.shortfall, due)
			}
			if r.shortfall > 0 {
				shortfalls++
			}
		case rules.LedgerAdjustment:
			if r.reason == "" || r.purchase.Valid {
				t.Errorf("adjustment %d without reason or with a purchase", r.id)
			}
		default:
			t.Errorf("row %d has kind %s", r.id, r.kind)
		}
	}
	if kinds["earn"] == 0 || kinds["redeem"] == 0 || kinds["refund_reversal"] == 0 || kinds["adjustment"] == 0 {
		t.Errorf("ledger kinds %v: some are missing", kinds)
	}
	rich := 0
	for _, b := range balance {
		if b >= loy.RewardPoints {
			rich++
		}
	}
	if rich == 0 {
		t.Error("no customer has a reward ready")
	}
	// Every earning sale has exactly one earn row; imported history earns nothing.
	if n := count(t, s, `SELECT count(*) FROM purchases p WHERE p.amount_cents > 0 AND p.customer_id IS NOT NULL
		AND p.imported = 0 AND p.amount_cents - p.discount_cents >= 100
		AND (SELECT count(*) FROM ledger l WHERE l.purchase_id = p.id AND l.kind = 'earn') <> 1`); n != 0 {
		t.Errorf("%d sales without exactly one earn row", n)
	}
	if n := count(t, s, `SELECT count(*) FROM purchases p JOIN ledger l ON l.purchase_id = p.id WHERE p.imported = 1`); n != 0 {
		t.Errorf("%d ledger rows on imported history", n)
	}
	scheme := demoEnd.AddMonths(-18).String()
	if n := count(t, s, "SELECT count(*) FROM purchases WHERE (day < ?1) <> (imported = 1)", scheme); n != 0 {
		t.Errorf("%d purchases imported on the wrong side of the scheme's start", n)
	}
	if n := count(t, s, "SELECT count(*) FROM ledger WHERE day < ?", scheme); n != 0 {
		t.Errorf("%d ledger rows before the scheme started", n)
	}
}

func TestDemoIDsFollowTime(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 200, Seed: 2, End: demoEnd})
	for _, table := range []string{"purchases", "ledger", "contacts"} {
		q := fmt.Sprintf(`SELECT count(*) FROM %[1]s a JOIN %[1]s b ON b.id = a.id + 1 WHERE b.at < a.at`, table)
		if n := count(t, s, q); n != 0 {
			t.Errorf("%s: %d ids out of time order", table, n)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM purchases r JOIN purchases p ON p.id = r.refund_of WHERE r.at <= p.at OR r.customer_id <> p.customer_id OR -r.amount_cents > p.amount_cents"); n != 0 {
		t.Errorf("%d refunds that do not follow their sale", n)
	}
}

// demoFacts is what the reminder checks need to know of one customer.
type demoFacts struct {
	dnc      bool
	since    rules.Day
	birthday rules.YearlyDate
	sales    []demo.SaleFacts
	saleIDs  []int64
	activity map[rules.Day]bool // days with a sale or a contact
	crossing rules.Day          // the standing reward crossing, if any
}

func loadDemoFacts(t *testing.T, s *Store) map[int64]*demoFacts {
	t.Helper()
	ctx := context.Background()
	cs, err := s.Customers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	facts := map[int64]*demoFacts{}
	for _, c := range cs {
		facts[c.ID] = &demoFacts{dnc: c.DoNotContact, since: c.CustomerSince, birthday: c.Birthday, activity: map[rules.Day]bool{}}
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT p.id, p.customer_id, p.day, p.amount_cents,
		COALESCE((SELECT -SUM(r.amount_cents) FROM purchases r WHERE r.refund_of = p.id), 0)
		FROM purchases p WHERE p.amount_cents > 0 AND p.customer_id IS NOT NULL ORDER BY p.customer_id, p.day, p.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, cust int64
		var day string
		var f demo.SaleFacts
		if err := rows.Scan(&id, &cust, &day, &f.Amount, &f.Refunded); err != nil {
			t.Fatal(err)
		}
		f.Day, _ = rules.ParseDay(day)
		facts[cust].sales = append(facts[cust].sales, f)
		facts[cust].saleIDs = append(facts[cust].saleIDs, id)
		facts[cust].activity[f.Day] = true
	}
	rows.Close()
	rows, err = s.reader().QueryContext(ctx, "SELECT customer_id, day FROM contacts")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var cust int64
		var day string
		if err := rows.Scan(&cust, &day); err != nil {
			t.Fatal(err)
		}
		d, _ := rules.ParseDay(day)
		facts[cust].activity[d] = true
	}
	rows.Close()
	rows, err = s.reader().QueryContext(ctx, "SELECT customer_id, day, kind, points FROM ledger ORDER BY customer_id, day, id")
	if err != nil {
		t.Fatal(err)
	}
	bal, redeemed := map[int64]int64{}, map[int64]rules.Day{}
	for rows.Next() {
		var cust, pts int64
		var day, kind string
		if err := rows.Scan(&cust, &day, &kind, &pts); err != nil {
			t.Fatal(err)
		}
		d, _ := rules.ParseDay(day)
		before := bal[cust]
		bal[cust] += pts
		if before < 100 && bal[cust] >= 100 {
			facts[cust].crossing = d
		}
		if kind == "redeem" {
			redeemed[cust] = d
		}
	}
	rows.Close()
	for id, f := range facts {
		if bal[id] < 100 || redeemed[id] > f.crossing {
			f.crossing = 0
		}
	}
	return facts
}

func TestDemoReminderHistoryFollowsTheRules(t *testing.T) {
	runBeside(t)
	s, _ := demoStore(t, DemoOptions{Customers: 300, Seed: 4, End: demoEnd})
	ctx := context.Background()
	created := demoEnd.AddYears(-1)
	facts := loadDemoFacts(t, s)

	// The reminders the rules make from sales, computed again from the stored facts.
	valid := map[string]bool{}
	for id, f := range facts {
		if f.dnc {
			continue
		}
		thanks := demo.ThankYous(f.sales, 30)
		for k, x := range f.sales {
			if thanks[k] {
				valid[fmt.Sprintf("thank_you:%d:purchase:%d:%s", id, f.saleIDs[k], x.Day.AddDays(1))] = true
			}
			if x.Amount-x.Refunded >= 5000 && x.Refunded < x.Amount {
				valid[fmt.Sprintf("check_in:%d:purchase:%d:%s", id, f.saleIDs[k], x.Day.AddDays(7))] = true
			}
		}
	}

	rows, err := s.reader().QueryContext(ctx, `SELECT s.key, s.kind, s.customer_id, s.due, s.state, s.reason, s.staff, s.changed_on,
		c.id, c.day, c.customer_id, c.reminder_key, c.outcome
		FROM reminder_states s LEFT JOIN contacts c ON c.id = s.contact_id ORDER BY s.key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	states := map[string]int{}
	for rows.Next() {
		var key, kind, due, state, reason, staff, changed string
		var customer int64
		var cid, ccust sql.NullInt64
		var cday, ckey, outcome sql.NullString
		if err := rows.Scan(&key, &kind, &customer, &due, &state, &reason, &staff, &changed, &cid, &cday, &ccust, &ckey, &outcome); err != nil {
			t.Fatal(err)
		}
		states[kind+" "+state]++
		f := facts[customer]
		dueDay, _ := rules.ParseDay(due)
		changedDay, _ := rules.ParseDay(changed)
		parts := strings.Split(key, ":")
		if parts[0] != kind || parts[1] != fmt.Sprint(customer) || parts[len(parts)-1] != due {
			t.Errorf("state %s does not match its kind %s, customer %d, due %s", key, kind, customer, due)
			continue
		}
		if f.dnc && rules.Kind(kind).Marketing() {
			t.Errorf("state %s for a do-not-contact customer", key)
		}
		subject := strings.Join(parts[2:len(parts)-1], ":")
		switch {
		case strings.HasPrefix(subject, "purchase:"):
			if !valid[key] {
				t.Errorf("state %s is for no reminder the rules make", key)
			}
		case kind == "stay_in_touch":
			// Due 90 days after the last sale or contact, with none since.
			from := dueDay.AddDays(-90)
			if !f.activity[from] && from != f.since {
				t.Errorf("state %s: nothing happened on %s", key, from)
			}
			for d := from + 1; d < dueDay; d++ {
				if f.activity[d] {
					t.Errorf("state %s: the customer was seen on %s, which moves the due day", key, d)
					break
				}
			}
		case kind == "reward_ready":
			if dueDay != f.crossing {
				t.Errorf("state %s: the standing reward was reached on %s", key, f.crossing)
			}
		case kind == "birthday":
			if f.birthday.IsZero() || f.birthday.In(dueDay.Year()) != dueDay {
				t.Errorf("state %s: birthday is %s", key, f.birthday)
			}
		case kind == "anniversary":
			if n := dueDay.Year() - f.since.Year(); n < 1 || f.since.AddYears(n) != dueDay {
				t.Errorf("state %s: customer since %s", key, f.since)
			}
		case kind == "occasion", kind == "complaint_followup", kind == "check_in" && strings.HasPrefix(subject, "promise:"):
			var n int
			switch kind {
			case "occasion":
				n = count(t, s, `SELECT count(*) FROM occasions WHERE 'occasion:' || id = ? AND customer_id = ? AND month = ?
					AND (day = ? OR (month = 2 AND day = 29))`, subject, customer, int(dueDay.Time().Month()), dueDay.Time().Day())
			case "complaint_followup":
				n = count(t, s, `SELECT count(*) FROM complaints WHERE 'complaint:' || id || ':resolved' = ? AND customer_id = ?
					AND date(resolved_on, '+3 days') = ?`, subject, customer, due)
			default:
				n = count(t, s, `SELECT count(*) FROM promises WHERE 'promise:' || id = ? AND customer_id = ?
					AND date(kept_on, '+3 days') = ?`, subject, customer, due)
			}
			if n != 1 {
				t.Errorf("state %s names nothing the customer has", key)
			}
		default:
			t.Errorf("state %s is of an unexpected kind", key)
		}
		// Reminders that stay until done are worked whenever they fell due.
		if kind != "stay_in_touch" && kind != "reward_ready" && kind != "complaint_followup" && dueDay < created {
			t.Errorf("state %s is due before the database was created", key)
		}
		// Up to ten days late, and two more when the shop was shut for Christmas.
		if changedDay < dueDay.AddDays(-3) || changedDay > dueDay.AddDays(12) || changedDay > demoEnd || staff == "" {
			t.Errorf("state %s changed on %s by %q", key, changed, staff)
		}
		switch state {
		case "done":
			if !cid.Valid || cday.String != changed || ccust.Int64 != customer || ckey.String != key || outcome.String == "" {
				t.Errorf("done state %s has contact %v on %s with key %q", key, cid, cday.String, ckey.String)
			}
			if kind == "thank_you" && outcome.String != "thanked" {
				t.Errorf("thank-you contact outcome %q", outcome.String)
			}
		case "skipped":
			if cid.Valid || reason == "" {
				t.Errorf("skipped state %s: contact %v, reason %q", key, cid, reason)
			}
		default:
			t.Errorf("state %s is %s", key, state)
		}
	}
	for _, k := range []string{"thank_you done", "thank_you skipped", "check_in done", "check_in skipped",
		"birthday done", "anniversary done", "stay_in_touch done", "stay_in_touch skipped", "reward_ready done",
		"complaint_followup done"} {
		if states[k] == 0 {
			t.Errorf("no %s reminders: %v", k, states)
		}
	}
	// Some reminders are left alone so reports have misses to count.
	handled := states["thank_you done"] + states["thank_you skipped"]
	all := 0
	for key := range valid {
		if strings.HasPrefix(key, "thank_you:") {
			d, _ := rules.ParseDay(key[strings.LastIndex(key, ":")+1:])
			if d >= created && d <= demoEnd {
				all++
			}
		}
	}
	if share := float64(handled) / float64(all); share < 0.6 || share > 0.9 {
		t.Errorf("%d of %d thank-yous handled", handled, all)
	}
	if n := count(t, s, "SELECT count(*) FROM contacts WHERE reminder_key <> '' AND reminder_key NOT IN (SELECT key FROM reminder_states)"); n != 0 {
		t.Errorf("%d contacts name a reminder with no state", n)
	}
}

func TestDemoTodayHasSomethingOfEveryKind(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 300, Seed: 9, End: demoEnd})
	end := demoEnd.String()
	checks := []struct {
		what string
		q    string
	}{
		{"overdue promises", "SELECT count(*) FROM promises WHERE kept_on IS NULL AND due < ?1"},
		{"promises due in the next two weeks", "SELECT count(*) FROM promises WHERE kept_on IS NULL AND due >= ?1 AND due <= date(?1, '+14 days')"},
		{"kept promises", "SELECT count(*) FROM promises WHERE kept_on IS NOT NULL"},
		{"open complaints", "SELECT count(*) FROM complaints WHERE resolved_on IS NULL AND received_on >= date(?1, '-30 days')"},
		{"resolved complaints", "SELECT count(*) FROM complaints WHERE resolved_on IS NOT NULL AND resolution <> ''"},
		{"recent purchases", "SELECT count(*) FROM purchases WHERE day >= date(?1, '-14 days') AND customer_id IS NOT NULL"},
		{"birthdays this week", `SELECT count(*) FROM customers WHERE do_not_contact = 0 AND birthday_month IS NOT NULL AND EXISTS (
			SELECT 1 FROM (SELECT date(?1, (o - 7) || ' days') AS d FROM (WITH RECURSIVE n(o) AS (SELECT 0 UNION ALL SELECT o + 1 FROM n WHERE o < 14) SELECT o FROM n))
			WHERE CAST(substr(d, 6, 2) AS INTEGER) = birthday_month AND CAST(substr(d, 9, 2) AS INTEGER) = birthday_day)`},
		{"anniversaries this week", `SELECT count(*) FROM customers WHERE do_not_contact = 0 AND customer_since <= date(?1, '-1 year') AND EXISTS (
			SELECT 1 FROM (SELECT date(?1, (o - 7) || ' days') AS d FROM (WITH RECURSIVE n(o) AS (SELECT 0 UNION ALL SELECT o + 1 FROM n WHERE o < 14) SELECT o FROM n))
			WHERE substr(d, 6) = substr(customer_since, 6))`},
		{"lapsed customers", `SELECT count(*) FROM customers c WHERE do_not_contact = 0
			AND (SELECT max(day) FROM purchases WHERE customer_id = c.id) < date(?1, '-90 days')
			AND COALESCE((SELECT max(day) FROM contacts WHERE customer_id = c.id), '') < date(?1, '-90 days')`},
		{"customers with a reward ready", `SELECT count(*) FROM (SELECT customer_id FROM ledger GROUP BY customer_id HAVING sum(points) >= 100)`},
		{"custom occasions", "SELECT count(*) FROM occasions"},
	}
	for _, c := range checks {
		if n := count(t, s, c.q, end); n == 0 {
			t.Errorf("no %s on %s", c.what, end)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM complaints WHERE resolved_on IS NULL"); n > count(t, s, "SELECT count(*) FROM complaints")/2 {
		t.Errorf("%d complaints open: most should be resolved", n)
	}
}

func TestDemoTinyShops(t *testing.T) {
	runBeside(t)
	for _, n := range []int{1, 2, 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s, r := demoStore(t, DemoOptions{Customers: n, Seed: int64(n), End: demoEnd})
			if r.Customers != n || count(t, s, "SELECT count(*) FROM customers") != n {
				t.Fatalf("report %+v", r)
			}
			if n := count(t, s, "SELECT count(*) FROM ledger l WHERE (SELECT sum(points) FROM ledger m WHERE m.customer_id = l.customer_id AND (m.day < l.day OR (m.day = l.day AND m.id <= l.id))) < 0"); n != 0 {
				t.Fatalf("%d ledger rows leave a negative balance", n)
			}
		})
	}
}
