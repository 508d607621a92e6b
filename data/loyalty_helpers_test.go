package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"regulars/rules"
	"testing"
	"time"
)

// lyTB is what both *testing.T and *rapid.T offer the helpers below.
type lyTB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// lyClock is a fixed time of day, so nothing depends on when tests run.
func lyClock() time.Time { return time.Date(2024, time.March, 1, 10, 30, 0, 0, time.Local) }

func lyDay(y int, m time.Month, d int) rules.Day { return rules.NewDay(y, m, d) }

// lyOpenIn opens a fresh shop in dir whose today is the given day.
func lyOpenIn(t lyTB, dir string, today rules.Day) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "shop.db"), Options{Today: today, Clock: lyClock})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func lyOpen(t *testing.T, today rules.Day) *Store {
	t.Helper()
	return openTestShop(t, Options{Today: today, Clock: lyClock})
}

func lyCustomer(t lyTB, s *Store, name string) rules.ID {
	t.Helper()
	id, err := s.AddCustomer(context.Background(), rules.Customer{Name: name})
	if err != nil {
		t.Fatalf("add customer %s: %v", name, err)
	}
	return id
}

func lySale(t lyTB, s *Store, customer rules.ID, amount rules.Cents, redeem int64) SaleResult {
	t.Helper()
	r, err := s.RecordSale(context.Background(), Sale{CustomerID: customer, Amount: amount, RedeemPoints: redeem})
	if err != nil {
		t.Fatalf("sale of %s to customer %d redeeming %d: %v", amount, customer, redeem, err)
	}
	return r
}

func lyAdjust(t lyTB, s *Store, customer rules.ID, points int64) {
	t.Helper()
	if _, err := s.AdjustPoints(context.Background(), customer, points, "opening balance", rules.OwnerName); err != nil {
		t.Fatalf("adjust %d: %v", points, err)
	}
}

func lyBalance(t lyTB, s *Store, customer rules.ID) int64 {
	t.Helper()
	b, err := s.Balance(context.Background(), customer)
	if err != nil {
		t.Fatalf("balance: %v", err)
	}
	return b
}

// lyCount counts the rows of a table, read through the writer so it sees
// everything committed.
func lyCount(t lyTB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.w.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// lyCounts is the row count of every table a loyalty write can touch.
func lyCounts(t lyTB, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"purchases", "ledger", "audit", "staff"} {
		out[table] = lyCount(t, s, table)
	}
	return out
}

func lySetLoyalty(t lyTB, s *Store, l rules.Loyalty) {
	t.Helper()
	if err := s.SetLoyalty(context.Background(), l); err != nil {
		t.Fatalf("set loyalty: %v", err)
	}
}

func lyCheckClean(t lyTB, s *Store) {
	t.Helper()
	probs, err := s.Check(context.Background())
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if len(probs) > 0 {
		t.Fatalf("check found problems: %v", probs)
	}
}

// ApplyExpiry writes expiry rows for points whose expiry day is on or
// before asOf and that are still unspent, oldest first. Running it again
// writes nothing more. It returns the points expired. Only tests call it:
// the app expires one customer's points at a time, when it writes their
// sales and points.
func (s *Store) ApplyExpiry(ctx context.Context, asOf rules.Day) (int64, error) {
	l, err := s.scheme(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = applyExpiryTx(ctx, tx, l, asOf, 0)
		return err
	})
	return n, err
}

// AllLedger lists every loyalty row up to today, by customer, oldest first.
func (s *Store) AllLedger(ctx context.Context) ([]rules.LedgerRow, error) {
	rows, err := queryLedger(ctx, s.reader(), "SELECT "+ledgerCols+` FROM ledger
		WHERE day <= ? ORDER BY customer_id, day, id`, s.Today().String())
	return rows, s.explain(err)
}

func min2(a, b int) int { return min(a, b) }
