package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/data/pgtest"
	"regulars/rules"
)

// forgetTill makes the next TillName read the till again, as a new start
// of the program does.
func forgetTill() {
	thisTill.Lock()
	thisTill.known = false
	thisTill.Unlock()
}

// useTill names this PC's till for the test, and forgets it after.
func useTill(t *testing.T, name string) {
	t.Helper()
	thisTill.Lock()
	thisTill.name, thisTill.known = name, true
	thisTill.Unlock()
	t.Cleanup(forgetTill)
}

// The till's name is kept on the PC, in TillFile: set once, read after a
// new start; REGULARS_TILL names the till instead; a bad name is refused
// in one sentence and the kept one stays.
func TestTillNameKeptOnThePC(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(TillEnv, "")
	t.Cleanup(forgetTill)
	forgetTill()
	if n := TillName(); n != "" {
		t.Fatalf("a PC with no till named says %q", n)
	}
	if err := SetTillName("  Front  "); err != nil {
		t.Fatal(err)
	}
	file, err := TillFile()
	if err != nil || file != filepath.Join(dir, "regulars", "till") {
		t.Fatalf("TillFile %q %v", file, err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "Front\n" {
		t.Fatalf("the till file holds %q (%v)", b, err)
	}
	forgetTill()
	if n := TillName(); n != "Front" {
		t.Errorf("after a new start the till is %q, want Front", n)
	}
	err = SetTillName("Back\x07office")
	if err == nil || strings.Count(err.Error(), ". ") > 0 || TillName() != "Front" {
		t.Errorf("a name with a control character: %v; the till is now %q", err, TillName())
	}
	t.Setenv(TillEnv, "Fitting rooms")
	forgetTill()
	if n := TillName(); n != "Fitting rooms" {
		t.Errorf("with REGULARS_TILL the till is %q", n)
	}
	t.Setenv(TillEnv, "")
	if err := SetTillName(""); err != nil {
		t.Fatal(err)
	}
	forgetTill()
	if n := TillName(); n != "" {
		t.Errorf("a forgotten till is still %q", n)
	}
}

// tillShop is an empty shop with one customer, in a file or on a
// throwaway PostgreSQL.
func namedTillShop(t *testing.T, onPG bool) (*Store, rules.ID) {
	t.Helper()
	ctx := context.Background()
	where := filepath.Join(t.TempDir(), "shop.db")
	if onPG {
		where = pgSocketURL(t, pgtest.Shared(t))
	}
	clock := func() time.Time { return time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local) }
	s, err := Open(ctx, where, Options{Today: rules.NewDay(2026, time.June, 15), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	id, err := s.AddCustomer(ctx, rules.Customer{Name: "Ada Till", Phone: "07700 900123"})
	if err != nil {
		t.Fatal(err)
	}
	return s, id
}

// A sale, a redemption, a contact and a void made at the till "Front"
// record "Front" on the purchase, on every ledger row, on the contact and
// in the audit log, on both engines; the customer's timeline names it.
func TestSaleRecordsItsTill(t *testing.T) {
	for _, onPG := range []bool{false, true} {
		name := map[bool]string{false: "SQLite", true: "PostgreSQL"}[onPG]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, id := namedTillShop(t, onPG)
			useTill(t, "Front")
			first, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 15000, Staff: "Anna"})
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 2000, RedeemPoints: 100, Staff: "Anna"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.LogContact(ctx, rules.Contact{CustomerID: id, Channel: "phone", Staff: "Anna", Note: "thanked"}); err != nil {
				t.Fatal(err)
			}
			if err := s.VoidPurchase(ctx, second.Purchase.ID, "Anna", "rung up twice"); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				"SELECT count(*), sum(CASE WHEN till = 'Front' THEN 1 ELSE 0 END) FROM purchases",
				"SELECT count(*), sum(CASE WHEN till = 'Front' THEN 1 ELSE 0 END) FROM ledger",
				"SELECT count(*), sum(CASE WHEN till = 'Front' THEN 1 ELSE 0 END) FROM contacts",
				"SELECT count(*), sum(CASE WHEN till = 'Front' THEN 1 ELSE 0 END) FROM audit WHERE action = 'void purchase'",
			} {
				var n, front int
				if err := s.reader().QueryRowContext(ctx, q).Scan(&n, &front); err != nil {
					t.Fatal(err)
				}
				if n == 0 || front != n {
					t.Errorf("%s: %d rows, %d at Front", q, n, front)
				}
			}
			p, err := s.Purchase(ctx, first.Purchase.ID)
			if err != nil || p.Till != "Front" || p.Staff != "Anna" {
				t.Errorf("the sale reads back as %+v %v", p, err)
			}
			log, err := s.AuditLog(ctx, 10)
			if err != nil || len(log) == 0 || log[0].Till != "Front" || log[0].Staff != "Anna" {
				t.Errorf("the audit log reads %+v %v", log, err)
			}
			page, err := s.CustomerPage(ctx, id, s.Today())
			if err != nil {
				t.Fatal(err)
			}
			tills := map[TimelineKind]string{}
			for _, e := range Timeline(page, s.Today()) {
				tills[e.Kind] = e.Till()
			}
			if tills[TimelineSale] != "Front" || tills[TimelineContact] != "Front" {
				t.Errorf("the timeline's tills: %v", tills)
			}
			if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
				t.Errorf("check: %v %v", problems, err)
			}
		})
	}
}

// The exports keep their columns: the same shop's sales made at a named
// till and at one without a name export byte for byte alike.
func TestTillLeavesExportsAlone(t *testing.T) {
	ctx := context.Background()
	export := func(till string) map[string]string {
		s, id := namedTillShop(t, false)
		useTill(t, till)
		if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 15000, Staff: "Anna"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordSale(ctx, Sale{CustomerID: id, Amount: 2000, RedeemPoints: 100}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LogContact(ctx, rules.Contact{CustomerID: id, Channel: "phone", Staff: "Anna"}); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, what := range []string{"customers", "purchases", "ledger", "contacts", "reminders", "complaints"} {
			var b bytes.Buffer
			if err := s.ExportCSV(ctx, what, &b); err != nil {
				t.Fatal(err)
			}
			out[what] = b.String()
		}
		return out
	}
	named, unnamed := export("Front"), export("")
	for what, b := range named {
		if b != unnamed[what] {
			t.Errorf("export %s differs with a till named:\n%s\nwithout:\n%s", what, b, unnamed[what])
		}
		if strings.Contains(b, "Front") {
			t.Errorf("export %s names the till:\n%s", what, b)
		}
	}
}
