package data

import (
	"context"
	"reflect"
	"testing"
)

// Families that reach across customers, or belong to walk-ins, are read
// customer by customer and then checked again whole: each problem is said
// once, none is lost.
func TestCheckFamiliesAcrossCustomersAndWalkIns(t *testing.T) {
	const sale = "INSERT INTO purchases(customer_id, at, day, amount_cents, discount_cents, refund_of, voided) VALUES "
	cases := []struct {
		name   string
		tamper []string
		want   []string
	}{
		{"a walk-in's discount larger than its sale",
			[]string{sale + "(NULL, '2024-03-01 09:00:00', '2024-03-01', 100, 500, NULL, 0)"},
			[]string{"purchase 5 has a discount of 5.00 on an amount of 1.00"}},
		{"a walk-in's sale refunded twice over, its discount too large",
			[]string{sale + "(NULL, '2024-03-01 09:00:00', '2024-03-01', 1000, 2000, NULL, 0)",
				sale + "(NULL, '2024-03-02 09:00:00', '2024-03-02', -800, 0, 5, 0)",
				sale + "(NULL, '2024-03-03 09:00:00', '2024-03-03', -800, 0, 5, 0)"},
			[]string{"purchase 5 has a discount of 20.00 on an amount of 10.00",
				"purchase 5 of 10.00 has 16.00 refunded, more than it was"}},
		{"a walk-in's sale refunded to a customer",
			[]string{sale + "(NULL, '2024-03-01 09:00:00', '2024-03-01', 1000, 0, NULL, 0)",
				sale + "(2, '2024-03-02 09:00:00', '2024-03-02', -500, 0, 5, 0)"},
			[]string{"refund 6 is for customer 2 but purchase 5 was for a walk-in"}},
		{"Bob's refund of Ann's sale, with its reversal on Bob",
			[]string{sale + "(2, '2024-03-02 09:00:00', '2024-03-02', -1000, 0, 1, 0)",
				lyLedgerInsert + "(2, '2024-03-02 09:00:00', '2024-03-02', 'refund_reversal', -10, 5, 'Owner', '', 0)"},
			[]string{"refund 5 is for customer 2 but purchase 1 was for customer 1",
				"customer 2: the balance falls to -10 at ledger row 8 on 2024-03-02"}},
		{"Bob earning twice on Ann's sale, which Ann's refund then reverses too little of",
			[]string{lyLedgerInsert + "(2, '2024-03-02 09:00:00', '2024-03-02', 'earn', 50, 1, 'Owner', '', 0)",
				lyLedgerInsert + "(2, '2024-03-03 09:00:00', '2024-03-03', 'earn', 50, 1, 'Owner', '', 0)"},
			[]string{"ledger row 5 (customer 1, refund_reversal -10 on 2024-03-01): refund 3 should take back 30 points, not 10 with a shortfall of 0",
				"ledger row 8 (customer 2, earn 50 on 2024-03-02): purchase 1 already earned points in row 2",
				"ledger row 8 (customer 2, earn 50 on 2024-03-02): purchase 1 is customer 1",
				"ledger row 9 (customer 2, earn 50 on 2024-03-03): purchase 1 already earned points in row 2",
				"ledger row 9 (customer 2, earn 50 on 2024-03-03): purchase 1 is customer 1"}},
		{"a row naming a purchase that is not there",
			[]string{"PRAGMA foreign_keys = OFF",
				lyLedgerInsert + "(2, '2024-03-02 09:00:00', '2024-03-02', 'earn', 5, 99, 'Owner', '', 0)",
				"PRAGMA foreign_keys = ON"},
			[]string{"ledger row 8 refers to a purchases row that does not exist",
				"ledger row 8 (customer 2, earn 5 on 2024-03-02): purchase 99 does not exist"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := lyCheckShop(t)
			lyExec(t, s, tc.tamper...)
			probs, err := s.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.What)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
