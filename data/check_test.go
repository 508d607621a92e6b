package data

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// lyCheckShop is a small shop with every kind of row, clean to begin with:
// Ann (1): adjustment 200 (row 1), sale 1 of 50.00 (earn 50, row 2),
// sale 2 of 30.00 redeeming 100 (rows 3 and 4), refund 3 of 10.00 on sale 1
// (row 5). Bob (2): sale 4 of 20.00 (row 6), voided (row 7).
func lyCheckShop(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	lyAdjust(t, s, ann, 200)
	lySale(t, s, ann, 5000, 0)
	lySale(t, s, ann, 3000, 100)
	if _, err := s.Refund(ctx, 1, 1000, "", ""); err != nil {
		t.Fatal(err)
	}
	lySale(t, s, bob, 2000, 0)
	if err := s.VoidPurchase(ctx, 4, "", ""); err != nil {
		t.Fatal(err)
	}
	if n := lyCount(t, s, "ledger"); n != 7 {
		t.Fatalf("the shop has %d ledger rows, want 7", n)
	}
	return s
}

// lyExec tampers with the shop in raw SQL, then works the summary rows out
// again from what it wrote, so that check finds the tampering itself.
func lyExec(t *testing.T, s *Store, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.rebuildSummariesOf(ctx, tx); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

const lyLedgerInsert = "INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff, reason, shortfall) VALUES "

func TestCheckCleanShop(t *testing.T) {
	s := lyCheckShop(t)
	lyCheckClean(t, s)
}

func TestCheckFindsTampering(t *testing.T) {
	runBeside(t)
	cases := []struct {
		name   string
		tamper []string
		want   string
	}{
		{"earn row with the wrong points",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, imported) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', 1000, 1)",
				lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'earn', 99, 5, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, earn 99 on 2024-03-01): purchase 5 paid 10.00, which earns 10 points"},
		{"a second earn row",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'earn', 50, 1, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, earn 50 on 2024-03-01): purchase 1 already earned points in row 2"},
		{"earn row without a purchase",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'earn', 5, NULL, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, earn 5 on 2024-03-01): it names no purchase"},
		{"earn row on another customer's purchase",
			[]string{lyLedgerInsert + "(2, '2024-03-01 09:00:00', '2024-03-01', 'earn', 50, 1, 'Owner', '', 0)"},
			"ledger row 8 (customer 2, earn 50 on 2024-03-01): purchase 1 is customer 1"},
		{"earn row on a refund",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'earn', 5, 3, 'Owner', '', 0)"},
			"purchase 3 is a refund, which earns nothing"},
		{"redeem row not matching the discount",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'redeem', -100, 1, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, redeem -100 on 2024-03-01): purchase 1 took 0.00 off, which is not what 100 points are worth"},
		{"redeem row on a refund",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'redeem', -100, 3, 'Owner', '', 0)"},
			"purchase 3 is a refund, not a sale"},
		{"refund without its reversal",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', -1000, 1)"},
			"refund 5 of purchase 1 should take back 10 points but no reversal was written"},
		{"refund reversal of the wrong size",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', -1000, 1)",
				lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'refund_reversal', -3, 5, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, refund_reversal -3 on 2024-03-01): refund 5 should take back 10 points, not 3 with a shortfall of 0"},
		{"refund reversal on a sale",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'refund_reversal', -1, 1, 'Owner', '', 0)"},
			"purchase 1 is a sale, not a refund"},
		{"adjustment without a reason",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, adjustment 5 on 2024-03-01): an adjustment needs a reason"},
		{"row without staff",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, '', 'gift', 0)"},
			"ledger row 8 (customer 1, adjustment 5 on 2024-03-01): no staff member is named"},
		{"shortfall on an adjustment",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, 'Owner', 'gift', 3)"},
			"a shortfall of 3 does not belong on it"},
		{"balance below zero",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', -1000, NULL, 'Owner', 'oops', 0)"},
			"customer 1: the balance falls to -835 at ledger row 8 on 2024-03-01"},
		{"expiry of points earned that same day",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'expiry', -10, NULL, 'system', 'x', 0)"},
			"ledger row 8 (customer 1, expiry -10 on 2024-03-01): only 0 points earned before then were left to expire"},
		{"expiry of more than is left",
			[]string{lyLedgerInsert + "(1, '2025-03-01 00:00:00', '2025-03-01', 'expiry', -166, NULL, 'system', 'x', 0)"},
			"only 165 points earned before then were left to expire"},
		{"void reversal on a purchase that is not voided",
			[]string{lyLedgerInsert + "(1, '2024-03-01 09:00:00', '2024-03-01', 'void_reversal', -5, 1, 'Owner', '', 0)"},
			"ledger row 8 (customer 1, void_reversal -5 on 2024-03-01): purchase 1 is not voided"},
		{"an earn row changed behind the trigger's back",
			[]string{"DROP TRIGGER ledger_no_update", "UPDATE ledger SET points = 70 WHERE id = 2"},
			"ledger row 2 (customer 1, earn 70 on 2024-03-01): purchase 1 paid 50.00, which earns 50 points"},
		{"a void reversal changed",
			[]string{"DROP TRIGGER ledger_no_update", "UPDATE ledger SET points = -5 WHERE id = 7"},
			"voided purchase 4 gave back 0 and took back 5 points, but should give back 0 and take back 20"},
		{"a sale voided without its points",
			[]string{"UPDATE purchases SET voided = 1 WHERE id = 2"},
			"voided purchase 2 gave back 0 and took back 0 points, but should give back 100 and take back 25"},
		{"a refund left standing when its sale was voided",
			[]string{"UPDATE purchases SET voided = 1 WHERE id = 1"},
			"refund 3 of voided purchase 1 is not voided"},
		{"a refund of a refund",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', -100, 3)"},
			"refund 5 is of purchase 3, which is itself a refund"},
		{"a refund for another customer",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of) VALUES (2, '2024-03-01 09:00:00', '2024-03-01', -100, 1)"},
			"refund 5 is for customer 2 but purchase 1 was for customer 1"},
		{"refunds larger than the sale",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, refund_of) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', -4500, 1)"},
			"purchase 1 of 50.00 has 55.00 refunded, more than it was"},
		{"a discount larger than the sale",
			[]string{"INSERT INTO purchases(customer_id, at, day, amount_cents, discount_cents) VALUES (1, '2024-03-01 09:00:00', '2024-03-01', 100, 500)"},
			"purchase 5 has a discount of 5.00 on an amount of 1.00"},
		{"a row for a customer who does not exist",
			[]string{"PRAGMA foreign_keys = OFF", lyLedgerInsert + "(99, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, 'Owner', 'gift', 0)",
				"PRAGMA foreign_keys = ON"},
			"ledger row 8 refers to a customers row that does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := lyCheckShop(t)
			lyExec(t, s, tc.tamper...)
			probs, err := s.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range probs {
				found = found || strings.Contains(p.What, tc.want)
			}
			if !found {
				t.Errorf("no problem says %q; got %q", tc.want, probs)
			}
			again, _ := s.Check(context.Background())
			if !reflect.DeepEqual(probs, again) {
				t.Errorf("a second check differs: %q then %q", probs, again)
			}
		})
	}
}

func TestCheckOrdersProblemsByCustomerThenRow(t *testing.T) {
	s := lyCheckShop(t)
	lyExec(t, s,
		lyLedgerInsert+"(2, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, 'Owner', '', 0)",
		lyLedgerInsert+"(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, '', 'gift', 0)",
		lyLedgerInsert+"(1, '2024-03-01 09:00:00', '2024-03-01', 'adjustment', 5, NULL, 'Owner', '', 0)",
		"INSERT INTO purchases(customer_id, at, day, amount_cents, discount_cents) VALUES (2, '2024-03-01 09:00:00', '2024-03-01', 100, 500)",
	)
	probs, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"purchase 5 has a discount of 5.00 on an amount of 1.00",
		"ledger row 9 (customer 1, adjustment 5 on 2024-03-01): no staff member is named",
		"ledger row 10 (customer 1, adjustment 5 on 2024-03-01): an adjustment needs a reason",
		"ledger row 8 (customer 2, adjustment 5 on 2024-03-01): an adjustment needs a reason",
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.What)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
