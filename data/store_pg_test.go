package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"regulars/data/pgtest"
	"regulars/rules"
)

// pgShopPair is one demo shop twice: in an SQLite file, and copied row for
// row into a throwaway PostgreSQL and opened there with Open("postgres://…").
func pgShopPair(t *testing.T, customers int) (lite, pg *Store) {
	t.Helper()
	ctx := context.Background()
	end := rules.NewDay(2026, time.June, 15)
	clock := func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }
	lite, err := Open(ctx, t.TempDir()+"/shop.db", Options{Today: end, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	if _, err := lite.GenerateDemo(ctx, DemoOptions{Customers: customers, Seed: 7, End: end}); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.Start(t)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := applyPGSchema(ctx, raw, ""); err != nil {
		t.Fatal(err)
	}
	copyShopToPG(t, lite.w, raw)
	pg, err = Open(ctx, pgSocketURL(t, dsn), Options{Today: end, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	if pg.dialect != onPostgres || lite.dialect != onSQLite {
		t.Fatalf("dialects %v and %v", lite.dialect, pg.dialect)
	}
	return lite, pg
}

// pgSocketURL is the postgres:// URL of the test database dsn names: its
// socket folder as the host, no sslmode.
func pgSocketURL(t testing.TB, dsn string) string {
	t.Helper()
	return pgtest.URL(t, dsn)
}

// The same shop on SQLite and on PostgreSQL: Today, Upcoming, the
// calendar's days and Today's grouped pages are the same on both, before
// and after the same sales, contact and new customer; so are the customer
// page, the checkout card, the till's search and the rows those writes
// leave.
func TestStoreOnPostgres(t *testing.T) {
	runBeside(t)
	ctx := context.Background()
	t0 := time.Now()
	lite, pg := pgShopPair(t, 150)
	t.Logf("the two shops ready in %v", time.Since(t0).Round(time.Millisecond))
	end := lite.Today()
	days := []rules.Day{end.AddDays(-30), end.AddDays(-1), end, end.AddDays(1), end.AddDays(9)}

	same := func(what string, want, got any, errL, errP error) {
		t.Helper()
		if errL != nil || errP != nil {
			t.Fatalf("%s: SQLite %v, PostgreSQL %v", what, errL, errP)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s differs:\nSQLite     %s\nPostgreSQL %s", what, clip(fmt.Sprintf("%+v", want)), clip(fmt.Sprintf("%+v", got)))
		}
	}
	compareReads := func(when string) {
		t.Helper()
		t1 := time.Now()
		shown := 0
		for _, d := range days {
			a, e1 := lite.TodayList(ctx, d)
			b, e2 := pg.TodayList(ctx, d)
			same(fmt.Sprintf("%s: TodayList(%s)", when, d), a, b, e1, e2)
			shown += len(a)
			u1, e1 := lite.Upcoming(ctx, d, 14)
			u2, e2 := pg.Upcoming(ctx, d, 14)
			same(fmt.Sprintf("%s: Upcoming(%s)", when, d), u1, u2, e1, e2)
			for _, off := range []int{0, 25} {
				p1, e1 := lite.TodayGroupedPage(ctx, d, off, 25)
				p2, e2 := pg.TodayGroupedPage(ctx, d, off, 25)
				same(fmt.Sprintf("%s: TodayGroupedPage(%s, %d)", when, d, off), p1, p2, e1, e2)
			}
		}
		m1, e1 := lite.DueOn(ctx, end.AddDays(-3), end.AddDays(27))
		m2, e2 := pg.DueOn(ctx, end.AddDays(-3), end.AddDays(27))
		same(when+": DueOn(a month)", m1, m2, e1, e2)
		if shown == 0 || len(m1) == 0 {
			t.Errorf("%s: nothing to compare (%d reminders on Today, %d days due)", when, shown, len(m1))
		}
		t.Logf("%s: %d reminders on %d days and %d calendar days alike, compared in %v", when, shown, len(days), len(m1), time.Since(t1).Round(time.Millisecond))
	}
	compareReads("as copied")

	ids := customerIDs(t, lite.w)
	for _, id := range ids[:3] {
		c1, e1 := lite.CustomerPage(ctx, id, end)
		c2, e2 := pg.CustomerPage(ctx, id, end)
		same(fmt.Sprintf("CustomerPage(%d)", id), c1, c2, e1, e2)
	}

	// The same writes on both.
	need, err := rewardPointsOn(ctx, lite.w)
	if err != nil {
		t.Fatal(err)
	}
	var rich rules.ID
	if err := lite.w.QueryRow("SELECT customer_id FROM customer_summary WHERE balance >= ? ORDER BY customer_id LIMIT 1", need).Scan(&rich); err != nil {
		t.Fatalf("no customer with %d points: %v", need, err)
	}
	sales := []Sale{
		{CustomerID: rich, Amount: 4500, RedeemPoints: need, Description: "Cut and colour", Staff: "Ana", Reference: "T-1"},
		{CustomerID: ids[10], Amount: 2250, Description: "Trim"},
		{Amount: 990, Description: "Shampoo"},
	}
	for i, sale := range sales {
		r1, e1 := lite.RecordSale(ctx, sale)
		r2, e2 := pg.RecordSale(ctx, sale)
		same(fmt.Sprintf("RecordSale %d", i), r1, r2, e1, e2)
		if i == 0 && (r2.Redeemed != need || r2.Purchase.Discount == 0) {
			t.Errorf("the sale with a redemption: %+v", r2)
		}
	}
	var redeemed int
	if err := pg.w.QueryRow("SELECT count(*) FROM ledger WHERE kind = 'redeem' AND customer_id = ? AND day = ?", rich, end.String()).Scan(&redeemed); err != nil || redeemed != 1 {
		t.Errorf("the redemption's ledger row on PostgreSQL: %d (%v)", redeemed, err)
	}
	greedy := Sale{CustomerID: rich, Amount: 900000, RedeemPoints: 40 * need}
	_, e1 := lite.RecordSale(ctx, greedy)
	_, e2 := pg.RecordSale(ctx, greedy)
	if !errors.Is(e1, ErrRedeemTooMuch) || !errors.Is(e2, ErrRedeemTooMuch) || e1.Error() != e2.Error() {
		t.Errorf("too much redeemed: SQLite %v, PostgreSQL %v", e1, e2)
	}
	contact := rules.Contact{CustomerID: ids[20], At: lite.Now(), Day: end, Channel: rules.ChannelPhone, Staff: "Ana", Outcome: "booked", Note: "Friday 10:00"}
	k1, e1 := lite.LogContact(ctx, contact)
	k2, e2 := pg.LogContact(ctx, contact)
	same("LogContact", k1, k2, e1, e2)
	newcomer := rules.Customer{Name: "Ada Newcombe", Phone: "0612345678", Email: "ada@example.org",
		Consents: []rules.Consent{{Channel: rules.ChannelEmail, GivenOn: end, Source: "in person"}, {Channel: rules.ChannelEmail, GivenOn: end, Source: "twice"}}}
	n1, e1 := lite.AddCustomer(ctx, newcomer)
	n2, e2 := pg.AddCustomer(ctx, newcomer)
	same("AddCustomer", n1, n2, e1, e2)
	compareReads("after the writes")
	for _, id := range []rules.ID{rich, ids[20], n1} {
		c1, e1 := lite.CustomerPage(ctx, id, end)
		c2, e2 := pg.CustomerPage(ctx, id, end)
		same(fmt.Sprintf("CustomerPage(%d) after", id), c1, c2, e1, e2)
		k1, e1 := lite.CheckoutCard(ctx, id, end)
		k2, e2 := pg.CheckoutCard(ctx, id, end)
		same(fmt.Sprintf("CheckoutCard(%d) after", id), k1, k2, e1, e2)
	}
	for _, text := range []string{"ada", "Newc", "0612", "an"} {
		f1, e1 := lite.FindAtTill(ctx, text, end, 10)
		f2, e2 := pg.FindAtTill(ctx, text, end, 10)
		same(fmt.Sprintf("FindAtTill(%q) after", text), f1, f2, e1, e2)
	}

	q := "SELECT " + summaryCols + " FROM customer_summary ORDER BY customer_id"
	compareSummaryRows(t, "customer_summary after the writes", summaryRows(t, lite.w, q), summaryRows(t, pg.w, q))
	for _, tbl := range []string{"purchases", "ledger", "contacts", "customers", "consents", "staff"} {
		q := "SELECT * FROM " + tbl + " ORDER BY 1, 2"
		same(tbl+" after the writes", tableRows(t, lite.w, q), tableRows(t, pg.w, q), nil, nil)
	}

	t.Run("two tills take turns", func(t *testing.T) { pgSalesTakeTurns(t, pg, rich, need) })

	// A read-only command pointed at an empty database finds no shop there.
	if _, err := pg.w.ExecContext(ctx, "CREATE DATABASE empty"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, strings.Replace(pg.Path(), "/regulars?", "/empty?", 1), Options{MustExist: true}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("an empty database opened for a read-only command: %v", err)
	}

	// A backup on PostgreSQL is a Regulars file that passes the full check.
	if b, err := pg.Backup(ctx, t.TempDir()+"/"); err != nil || VerifyDatabaseFile(ctx, b) != nil {
		t.Errorf("a backup on PostgreSQL: %v", err)
	}
	// The check runs the ledger invariants and the summary rows' check.
	if found, err := pg.Check(ctx); err != nil || len(found) != 0 {
		t.Errorf("a check on PostgreSQL: %v %v", found, err)
	}
	if _, err := pg.w.ExecContext(ctx, "UPDATE customer_summary SET balance = balance + 1 WHERE customer_id = ?", rich); err != nil {
		t.Fatal(err)
	}
	if found, err := pg.Check(ctx); err != nil || len(found) != 1 {
		t.Errorf("a check on PostgreSQL of a spoilt summary row: %v %v", found, err)
	}
}

// tableRows reads every row of q as text, NULL as "NULL".
func tableRows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			if v.Valid {
				b.WriteString(v.String)
			} else {
				b.WriteString("NULL")
			}
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// A remote server is refused without TLS, in one sentence; a socket
// folder, this machine, TLS or an explicit sslmode=disable are not.
func TestPostgresURLRules(t *testing.T) {
	t.Setenv("PGSSLMODE", "")
	t.Setenv("PGHOST", "")
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"postgres://shop@db.example.org/regulars", false},
		{"postgresql://shop@10.0.0.5:5432/regulars?sslmode=prefer", false},
		{"postgres://shop@db.example.org/regulars?sslmode=allow", false},
		{"postgres://shop@localhost,db.example.org/regulars", false},
		{"postgres://shop@db.example.org/regulars?sslmode=require", true},
		{"postgres://shop@db.example.org/regulars?sslmode=verify-full", true},
		{"postgres://shop@db.example.org/regulars?sslmode=verify-ca", true},
		{"postgres://shop@db.example.org/regulars?sslmode=disable", true},
		{"postgres://shop@localhost/regulars", true},
		{"postgres://shop@127.0.0.1:5433/regulars", true},
		{"postgres://shop@[::1]/regulars", true},
		{"postgres:///regulars?host=%2Fvar%2Frun%2Fpostgresql", true},
		{"postgresql://shop@/regulars?host=/tmp/shop&sslmode=prefer", true},
	} {
		_, err := pgHostRule(c.url)
		switch {
		case c.ok && err != nil:
			t.Errorf("%s refused: %v", c.url, err)
		case !c.ok && err == nil:
			t.Errorf("%s accepted", c.url)
		case !c.ok && (strings.Count(strings.TrimSuffix(err.Error(), "."), ". ") > 0 || !strings.Contains(err.Error(), "sslmode=require")):
			t.Errorf("%s: not one sentence that says what to do: %q", c.url, err)
		}
	}
	// Refused before any connection is tried, and without a password in the words.
	_, err := Open(context.Background(), "postgres://shop:secret@db.example.org/regulars", Options{})
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of a remote server without TLS: %v", err)
	}
	if !isPostgresURL("postgresql://x/y") || isPostgresURL("/home/shop/postgres.db") {
		t.Error("isPostgresURL")
	}
}

// The store's SQL as PostgreSQL reads it.
func TestDialectPgSQL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"INSERT OR IGNORE INTO staff(name) VALUES (?)", "INSERT INTO staff(name) VALUES ($1) ON CONFLICT DO NOTHING"},
		{"  insert or ignore into consents(a, b)\n\t VALUES (?, ?);\n", "INSERT INTO consents(a, b)\n\t VALUES ($1, $2) ON CONFLICT DO NOTHING"},
		{"SELECT c.id FROM customers c WHERE c.id IN (SELECT value FROM json_each(?4))",
			"SELECT c.id FROM customers c WHERE c.id IN (SELECT value::bigint FROM json_array_elements_text(CAST($4 AS json)))"},
		{"SELECT 'INSERT OR IGNORE', ? FROM t", "SELECT 'INSERT OR IGNORE', $1 FROM t"},
	} {
		if got := pgSQL(c.in); got != c.want {
			t.Errorf("pgSQL(%q)\n= %q\nwant %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"INSERT INTO purchases(a) VALUES ($1)", "INSERT INTO purchases(a) VALUES ($1) RETURNING id"},
		{"INSERT INTO customer_summary(a) SELECT 1", ""},
		{"INSERT INTO settings(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ""},
		{"INSERT INTO ledger(a) VALUES ($1) RETURNING id", ""},
		{"UPDATE purchases SET voided = 1", ""},
	} {
		if got := pgReturningID(c.in); got != c.want {
			t.Errorf("pgReturningID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// pgSalesTakeTurns: two stores on one PostgreSQL (two tills) sell with
// redemptions to one customer at once; every sale either is recorded
// whole or refused for the balance, and the balance never falls below
// zero.
func pgSalesTakeTurns(t *testing.T, till1 *Store, who rules.ID, need int64) {
	ctx := context.Background()
	till2, err := Open(ctx, till1.Path(), Options{Today: till1.Today(), Clock: till1.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer till2.Close()
	balance := func() (ledger, summary int64) {
		t.Helper()
		if err := till1.w.QueryRow("SELECT (SELECT COALESCE(SUM(points), 0) FROM ledger WHERE customer_id = ?), (SELECT balance FROM customer_summary WHERE customer_id = ?)", who, who).Scan(&ledger, &summary); err != nil {
			t.Fatal(err)
		}
		return ledger, summary
	}
	// Points for about half the sales tried.
	if _, err := till1.AdjustPoints(ctx, who, 5*need, "two tills at once", rules.OwnerName); err != nil {
		t.Fatal(err)
	}
	before, _ := balance()
	l, err := till1.scheme(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A cent more than the reward takes off earns nothing: only the
	// redemptions move the balance.
	amount := rules.RewardValue(1, l) + 1
	const each = 6
	type outcome struct {
		ok, refused int
		err         error
	}
	done := make(chan outcome, 2)
	for _, till := range []*Store{till1, till2} {
		go func() {
			var o outcome
			for range each {
				_, err := till.RecordSale(ctx, Sale{CustomerID: who, Amount: amount, RedeemPoints: need})
				switch {
				case err == nil:
					o.ok++
				case errors.Is(err, ErrRedeemTooMuch):
					o.refused++
				default:
					o.err = err
				}
			}
			done <- o
		}()
	}
	var ok, refused int
	for range 2 {
		o := <-done
		if o.err != nil {
			t.Fatal(o.err)
		}
		ok, refused = ok+o.ok, refused+o.refused
	}
	after, summary := balance()
	t.Logf("balance %d before, %d after: %d sales with a redemption, %d refused for the balance", before, after, ok, refused)
	if after < 0 || after != summary || after != before-int64(ok)*need || ok+refused != 2*each || ok == 0 {
		t.Errorf("balance %d (summary row %d); %d sales, %d refused", after, summary, ok, refused)
	}
	if refused > 0 && after >= need {
		t.Errorf("a redemption was refused with %d points left", after)
	}
}

// TestTillsSeeEachOthersWritesOnPostgres: a store remembers Today between
// reads on PostgreSQL too, patches it after its own writes, and reads it
// again when another till wrote (shop_changes).
func TestTillsSeeEachOthersWritesOnPostgres(t *testing.T) {
	ctx := context.Background()
	_, a := pgShopPair(t, 60)
	end := a.Today()
	list := func(s *Store) []rules.Reminder {
		t.Helper()
		rs, err := s.TodayList(ctx, end)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	fresh := func() []rules.Reminder {
		t.Helper()
		c, err := Open(ctx, a.path, Options{Today: end, MustExist: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return list(c)
	}
	first := list(a)
	if len(first) < 3 {
		t.Fatalf("Today holds %d reminders; the test needs 3", len(first))
	}
	v := a.today1.version
	list(a)
	if !a.today1.valid || a.today1.version != v {
		t.Fatal("a second read of Today did not use what was remembered")
	}
	if _, err := a.RecordSale(ctx, Sale{CustomerID: first[0].CustomerID, Amount: 30000, Staff: "Maggie"}); err != nil {
		t.Fatal(err)
	}
	if !a.today1.valid || !a.today1.changed[first[0].CustomerID] {
		t.Fatal("the till's own sale did not note its customer for Today")
	}
	if got, want := list(a), fresh(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the till's own sale:\n%s\nwant\n%s", dvBrief(got), dvBrief(want))
	}
	if a.today1.version != v {
		t.Fatal("the till's own sale made it read Today whole again")
	}
	// Another till skips a reminder: this one reads Today again.
	b, err := Open(ctx, a.path, Options{Today: end, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SkipReminder(ctx, first[2].Key, "moved away", "Priya"); err != nil {
		t.Fatal(err)
	}
	b.Close()
	got := list(a)
	if want := fresh(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after another till's write:\n%s\nwant\n%s", dvBrief(got), dvBrief(want))
	}
	for _, r := range got {
		if r.Key == first[2].Key {
			t.Fatal("the reminder another till skipped is still on Today")
		}
	}
}

// The store's connections to PostgreSQL plan each statement for its own
// values and compile none (store_pg.go says why); settings given in the
// address win.
func TestPostgresSessionSettings(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ extra, jit, plans string }{
		{"", "off", "force_custom_plan"},
		{"&jit=on", "on", "force_custom_plan"},
	} {
		s, err := Open(ctx, pgSocketURL(t, pgtest.Shared(t))+c.extra, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var jit, plans string
		if err := s.reader().QueryRowContext(ctx, "SELECT current_setting('jit'), current_setting('plan_cache_mode')").Scan(&jit, &plans); err != nil {
			t.Fatal(err)
		}
		if jit != c.jit || plans != c.plans {
			t.Errorf("with %q: jit %s, plan_cache_mode %s; want %s, %s", c.extra, jit, plans, c.jit, c.plans)
		}
		s.Close()
	}
}
