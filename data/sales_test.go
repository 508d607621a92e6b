package data

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

var lyToday = lyDay(2024, time.March, 1)

func lyLedgerSummary(t *testing.T, s *Store, customer rules.ID) []string {
	t.Helper()
	rows, err := s.Ledger(context.Background(), customer)
	if err != nil {
		t.Fatalf("ledger: %v", err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Kind)+" "+itoa(r.Points))
	}
	return out
}

func TestRecordSale(t *testing.T) {
	cases := []struct {
		name        string
		opening     int64
		walkIn      bool
		amount      rules.Cents
		redeem      int64
		staff       string
		wantEarned  int64
		wantBalance int64
		wantDisc    rules.Cents
		wantReady   bool
		wantLedger  []string
	}{
		{name: "a point per whole 1.00 paid", amount: 1299, wantEarned: 12, wantBalance: 12,
			wantLedger: []string{"earn 12"}},
		{name: "less than 1.00 earns nothing", amount: 99, wantLedger: nil},
		{name: "a walk-in earns nothing", walkIn: true, amount: 5000},
		{name: "a reward is taken off and points are earned on what was paid", opening: 150, amount: 2000, redeem: 100,
			wantEarned: 15, wantBalance: 65, wantDisc: 500, wantLedger: []string{"adjustment 150", "redeem -100", "earn 15"}},
		{name: "a reward worth the whole sale earns nothing", opening: 100, amount: 500, redeem: 100,
			wantBalance: 0, wantDisc: 500, wantLedger: []string{"adjustment 100", "redeem -100"}},
		{name: "two rewards at once", opening: 230, amount: 5000, redeem: 200,
			wantEarned: 40, wantBalance: 70, wantDisc: 1000, wantLedger: []string{"adjustment 230", "redeem -200", "earn 40"}},
		{name: "reaching the reward size makes a reward ready", opening: 90, amount: 1000,
			wantEarned: 10, wantBalance: 100, wantReady: true, wantLedger: []string{"adjustment 90", "earn 10"}},
		{name: "staff named on the sale", amount: 300, staff: "Sam", wantEarned: 3, wantBalance: 3, wantLedger: []string{"earn 3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := lyOpen(t, lyToday)
			var cust rules.ID
			if !tc.walkIn {
				cust = lyCustomer(t, s, "Ann Lee")
			}
			if tc.opening > 0 {
				lyAdjust(t, s, cust, tc.opening)
			}
			r, err := s.RecordSale(ctx, Sale{CustomerID: cust, Amount: tc.amount, RedeemPoints: tc.redeem,
				Description: " coat ", Staff: tc.staff, Reference: "R1"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Earned != tc.wantEarned || r.Balance != tc.wantBalance || r.Redeemed != tc.redeem || r.RewardReady != tc.wantReady {
				t.Errorf("got earned %d balance %d redeemed %d ready %v, want %d %d %d %v",
					r.Earned, r.Balance, r.Redeemed, r.RewardReady, tc.wantEarned, tc.wantBalance, tc.redeem, tc.wantReady)
			}
			wantStaff := tc.staff
			if wantStaff == "" {
				wantStaff = rules.OwnerName
			}
			p := r.Purchase
			if p.ID == 0 || p.CustomerID != cust || p.Amount != tc.amount || p.Discount != tc.wantDisc ||
				p.Day != lyToday || p.Staff != wantStaff || p.Description != "coat" || p.Reference != "R1" {
				t.Errorf("purchase = %+v", p)
			}
			stored, err := s.Purchase(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !stored.At.Equal(p.At) || stored.Discount != p.Discount || stored.Staff != p.Staff {
				t.Errorf("stored %+v, returned %+v", stored, p)
			}
			if cust != 0 {
				if got := lyLedgerSummary(t, s, cust); !reflect.DeepEqual(got, tc.wantLedger) {
					t.Errorf("ledger %v, want %v", got, tc.wantLedger)
				}
				if b := lyBalance(t, s, cust); b != tc.wantBalance {
					t.Errorf("stored balance %d, want %d", b, tc.wantBalance)
				}
			} else if n := lyCount(t, s, "ledger"); n != 0 {
				t.Errorf("a walk-in sale wrote %d ledger rows", n)
			}
			var staffRows int
			s.w.QueryRow("SELECT count(*) FROM staff WHERE name = ?", wantStaff).Scan(&staffRows)
			if staffRows != 1 {
				t.Errorf("staff %q is not in the staff list", wantStaff)
			}
			lyCheckClean(t, s)
		})
	}
}

func TestRecordSaleRefusalsWriteNothing(t *testing.T) {
	cases := []struct {
		name    string
		sale    func(cust rules.ID) Sale
		wantErr error
		wantMsg string
	}{
		{name: "zero amount", sale: func(c rules.ID) Sale { return Sale{CustomerID: c} }, wantMsg: "the amount must be more than 0.00"},
		{name: "negative amount", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: -100} }, wantMsg: "more than 0.00"},
		{name: "too large an amount", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: rules.MaxCents + 1} }, wantMsg: "too large"},
		{name: "part of a reward", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: 5000, RedeemPoints: 150} }, wantErr: ErrRedeemNotWhole},
		{name: "negative redeem", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: 5000, RedeemPoints: -100} }, wantErr: ErrRedeemNotWhole},
		{name: "more than the balance", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: 50000, RedeemPoints: 300} }, wantErr: ErrRedeemTooMuch},
		{name: "reward worth more than the sale", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: 999, RedeemPoints: 200} }, wantErr: ErrRewardTooBig},
		{name: "walk-in redeeming", sale: func(rules.ID) Sale { return Sale{Amount: 5000, RedeemPoints: 100} }, wantErr: ErrWalkInRedeem},
		{name: "unknown customer", sale: func(c rules.ID) Sale { return Sale{CustomerID: c + 99, Amount: 5000} }, wantErr: ErrNotFound},
		{name: "till reference already used", sale: func(c rules.ID) Sale { return Sale{CustomerID: c, Amount: 5000, Reference: "T-1"} }, wantMsg: `"T-1" is already on purchase`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := lyOpen(t, lyToday)
			cust := lyCustomer(t, s, "Ann Lee")
			lyAdjust(t, s, cust, 250)
			if _, err := s.RecordSale(ctx, Sale{CustomerID: cust, Amount: 100, Reference: "T-1"}); err != nil {
				t.Fatal(err)
			}
			before := lyCounts(t, s)
			balance := lyBalance(t, s, cust)
			_, err := s.RecordSale(ctx, tc.sale(cust))
			if err == nil {
				t.Fatal("the sale was recorded")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not say %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
			if b := lyBalance(t, s, cust); b != balance {
				t.Errorf("balance went from %d to %d", balance, b)
			}
		})
	}
}

func TestRecordSaleExpiresPointsFirst(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2023, time.March, 1))
	lySetLoyalty(t, s, rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 12})
	cust := lyCustomer(t, s, "Ann Lee")
	lySale(t, s, cust, 10000, 0)
	s.SetToday(lyDay(2024, time.March, 1))

	before := lyCounts(t, s)
	if _, err := s.RecordSale(ctx, Sale{CustomerID: cust, Amount: 5000, RedeemPoints: 100}); !errors.Is(err, ErrRedeemTooMuch) {
		t.Fatalf("redeeming expired points: %v", err)
	}
	if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused sale wrote rows: before %v, after %v", before, after)
	}
	r := lySale(t, s, cust, 2000, 0)
	if r.Earned != 20 || r.Balance != 20 {
		t.Errorf("earned %d balance %d, want 20 and 20 after the old points expired", r.Earned, r.Balance)
	}
	rows, _ := s.Ledger(ctx, cust)
	if len(rows) != 3 || rows[1].Kind != rules.LedgerExpiry || rows[1].Points != -100 || rows[1].Day != lyDay(2024, time.March, 1) ||
		rows[1].Reason != "expired points earned on 2023-03-01" || rows[1].Staff != "system" {
		t.Errorf("ledger = %+v", rows)
	}
	lyCheckClean(t, s)
}

func TestRefund(t *testing.T) {
	type step struct {
		refund      rules.Cents
		wantPoints  int64 // ledger points of the reversal (0 = no row)
		wantShort   int64
		wantBalance int64
	}
	cases := []struct {
		name    string
		amount  rules.Cents
		opening int64
		redeem  int64
		spend   int64 // points redeemed elsewhere after the sale
		steps   []step
	}{
		{name: "a full refund takes back everything earned", amount: 10000,
			steps: []step{{10000, -100, 0, 0}}},
		{name: "partial refunds round down and add up to a full one", amount: 1000,
			steps: []step{{333, -3, 0, 7}, {333, -3, 0, 4}, {334, -4, 0, 0}}},
		{name: "a small refund may take back nothing", amount: 10000,
			steps: []step{{50, 0, 0, 100}, {9950, -100, 0, 0}}},
		{name: "spent points leave a shortfall and a zero balance", amount: 10000, spend: 100,
			steps: []step{{10000, -5, 95, 0}}},
		{name: "points earned on what was paid after the reward", amount: 2000, opening: 100, redeem: 100,
			steps: []step{{1000, -10, 0, 5}, {1000, -5, 0, 0}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := lyOpen(t, lyToday)
			cust := lyCustomer(t, s, "Ann Lee")
			if tc.opening > 0 {
				lyAdjust(t, s, cust, tc.opening)
			}
			sale := lySale(t, s, cust, tc.amount, tc.redeem)
			if tc.spend > 0 {
				lySale(t, s, cust, 1000, tc.spend)
			}
			s.SetToday(lyToday.AddDays(3))
			for i, st := range tc.steps {
				before := lyCount(t, s, "ledger")
				p, err := s.Refund(ctx, sale.Purchase.ID, st.refund, "", "did not fit")
				if err != nil {
					t.Fatalf("refund %d: %v", i, err)
				}
				if p.Amount != -st.refund || p.RefundOf != sale.Purchase.ID || p.CustomerID != cust || p.Day != lyToday.AddDays(3) ||
					p.Staff != rules.OwnerName || p.Description != "did not fit" {
					t.Errorf("refund %d purchase = %+v", i, p)
				}
				rows, _ := s.Ledger(ctx, cust)
				last := rows[len(rows)-1]
				if st.wantPoints == 0 && st.wantShort == 0 {
					if n := lyCount(t, s, "ledger"); n != before {
						t.Errorf("refund %d wrote a ledger row %+v", i, last)
					}
				} else if last.Kind != rules.LedgerRefundReversal || last.Points != st.wantPoints || last.Shortfall != st.wantShort ||
					last.PurchaseID != p.ID || last.Reason != "did not fit" {
					t.Errorf("refund %d reversal = %+v, want %d shortfall %d", i, last, st.wantPoints, st.wantShort)
				}
				if b := lyBalance(t, s, cust); b != st.wantBalance {
					t.Errorf("refund %d: balance %d, want %d", i, b, st.wantBalance)
				}
			}
			lyCheckClean(t, s)
		})
	}
}

func TestRefundRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	cust := lyCustomer(t, s, "Ann Lee")
	sale := lySale(t, s, cust, 5000, 0)
	voided := lySale(t, s, cust, 1000, 0)
	if err := s.VoidPurchase(ctx, voided.Purchase.ID, "", "rung up twice"); err != nil {
		t.Fatal(err)
	}
	refund, err := s.Refund(ctx, sale.Purchase.ID, 1000, "", "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		id      rules.ID
		amount  rules.Cents
		today   rules.Day
		wantMsg string
	}{
		{"nothing to refund", sale.Purchase.ID, 0, lyToday, "more than 0.00"},
		{"more than is left", sale.Purchase.ID, 4001, lyToday, "only 40.00 of purchase"},
		{"a refund of a refund", refund.ID, 100, lyToday, "is itself a refund"},
		{"a voided sale", voided.Purchase.ID, 100, lyToday, "was voided"},
		{"an unknown purchase", 999, 100, lyToday, "there is no purchase 999"},
		{"dated before the sale", sale.Purchase.ID, 100, lyToday.AddDays(-1), "before its sale"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.SetToday(tc.today)
			defer s.SetToday(lyToday)
			before := lyCounts(t, s)
			_, err := s.Refund(ctx, tc.id, tc.amount, "", "")
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
		})
	}
}

func TestRefundOfWalkInWritesNoPoints(t *testing.T) {
	s := lyOpen(t, lyToday)
	sale := lySale(t, s, 0, 5000, 0)
	p, err := s.Refund(context.Background(), sale.Purchase.ID, 5000, "Sam", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.CustomerID != 0 || p.Amount != -5000 || p.Description != "refund of purchase 1" || p.Staff != "Sam" {
		t.Errorf("refund = %+v", p)
	}
	if n := lyCount(t, s, "ledger"); n != 0 {
		t.Errorf("%d ledger rows for a walk-in", n)
	}
	lyCheckClean(t, s)
}

func TestVoidPurchase(t *testing.T) {
	cases := []struct {
		name        string
		opening     int64
		amount      rules.Cents
		redeem      int64
		refund      rules.Cents // refunded before the void
		spend       int64       // redeemed elsewhere before the void
		wantVoid    []string
		wantBalance int64
	}{
		{name: "earned points go", amount: 5000, wantVoid: []string{"void_reversal -50"}, wantBalance: 0},
		{name: "redeemed points come back", opening: 120, amount: 2000, redeem: 100,
			wantVoid: []string{"void_reversal 100", "void_reversal -15"}, wantBalance: 120},
		{name: "points a refund took back are not taken twice", amount: 10000, refund: 4000,
			wantVoid: []string{"void_reversal -60"}, wantBalance: 0},
		{name: "spent points leave a shortfall", amount: 10000, spend: 100,
			wantVoid: []string{"void_reversal -5"}, wantBalance: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := lyOpen(t, lyToday)
			cust := lyCustomer(t, s, "Ann Lee")
			if tc.opening > 0 {
				lyAdjust(t, s, cust, tc.opening)
			}
			sale := lySale(t, s, cust, tc.amount, tc.redeem)
			var refund rules.Purchase
			if tc.refund > 0 {
				var err error
				if refund, err = s.Refund(ctx, sale.Purchase.ID, tc.refund, "", ""); err != nil {
					t.Fatal(err)
				}
			}
			if tc.spend > 0 {
				lySale(t, s, cust, 1000, tc.spend)
			}
			n := len(lyLedgerSummary(t, s, cust))
			audits := lyCount(t, s, "audit")
			if err := s.VoidPurchase(ctx, sale.Purchase.ID, "Sam", "wrong till"); err != nil {
				t.Fatal(err)
			}
			if got := lyLedgerSummary(t, s, cust)[n:]; !reflect.DeepEqual(got, tc.wantVoid) {
				t.Errorf("void rows %v, want %v", got, tc.wantVoid)
			}
			if b := lyBalance(t, s, cust); b != tc.wantBalance {
				t.Errorf("balance %d, want %d", b, tc.wantBalance)
			}
			p, _ := s.Purchase(ctx, sale.Purchase.ID)
			if !p.Voided {
				t.Error("the purchase is not marked voided")
			}
			if refund.ID != 0 {
				if r, _ := s.Purchase(ctx, refund.ID); !r.Voided {
					t.Error("its refund is not marked voided")
				}
			}
			if lyCount(t, s, "audit") != audits+1 {
				t.Error("the void is not in the audit log")
			}
			rows, _ := s.Ledger(ctx, cust)
			if last := rows[len(rows)-1]; last.Staff != "Sam" || last.Reason != "wrong till" || last.PurchaseID != sale.Purchase.ID {
				t.Errorf("void row = %+v", last)
			}
			lyCheckClean(t, s)
		})
	}
}

func TestVoidRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	cust := lyCustomer(t, s, "Ann Lee")
	sale := lySale(t, s, cust, 5000, 0)
	refund, err := s.Refund(ctx, sale.Purchase.ID, 1000, "", "")
	if err != nil {
		t.Fatal(err)
	}
	done := lySale(t, s, cust, 1000, 0)
	if err := s.VoidPurchase(ctx, done.Purchase.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	later := lySale(t, s, cust, 1000, 0)
	cases := []struct {
		name    string
		id      rules.ID
		today   rules.Day
		wantMsg string
	}{
		{"voided twice", done.Purchase.ID, lyToday, "already voided"},
		{"a refund line", refund.ID, lyToday, "is a refund"},
		{"an unknown purchase", 999, lyToday, "there is no purchase 999"},
		{"before the sale", later.Purchase.ID, lyToday.AddDays(-1), "before the day it was made"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.SetToday(tc.today)
			defer s.SetToday(lyToday)
			before := lyCounts(t, s)
			err := s.VoidPurchase(ctx, tc.id, "", "")
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
		})
	}
}

func TestVoidWalkIn(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	sale := lySale(t, s, 0, 5000, 0)
	if err := s.VoidPurchase(ctx, sale.Purchase.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Purchase(ctx, sale.Purchase.ID); !p.Voided {
		t.Error("not voided")
	}
	if n := lyCount(t, s, "ledger"); n != 0 {
		t.Errorf("%d ledger rows", n)
	}
}

func TestMovePurchase(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	lyAdjust(t, s, ann, 100)
	r, err := s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 3000, RedeemPoints: 100, Description: "boots", Staff: "Sam", Reference: "T-9"})
	if err != nil {
		t.Fatal(err)
	}
	s.SetToday(lyToday.AddDays(10))
	np, err := s.MovePurchase(ctx, r.Purchase.ID, bob, "Kim")
	if err != nil {
		t.Fatal(err)
	}
	want := r.Purchase
	want.ID, want.CustomerID, want.Discount = np.ID, bob, 0
	if np.ID == r.Purchase.ID || !reflect.DeepEqual(np, want) {
		t.Errorf("moved purchase\n got %+v\nwant %+v", np, want)
	}
	old, _ := s.Purchase(ctx, r.Purchase.ID)
	if !old.Voided || old.Reference != "" {
		t.Errorf("old purchase = %+v, want voided without its reference", old)
	}
	stored, _ := s.Purchase(ctx, np.ID)
	if stored.Reference != "T-9" || stored.CustomerID != bob || stored.Day != lyToday {
		t.Errorf("new purchase = %+v", stored)
	}
	if b := lyBalance(t, s, ann); b != 100 {
		t.Errorf("Ann's balance %d, want her 100 points back", b)
	}
	rows, _ := s.Ledger(ctx, bob)
	if len(rows) != 1 || rows[0].Kind != rules.LedgerEarn || rows[0].Points != 30 || rows[0].Day != lyToday ||
		rows[0].PurchaseID != np.ID || rows[0].Staff != "Kim" {
		t.Errorf("Bob's ledger = %+v", rows)
	}
	if got := lyLedgerSummary(t, s, ann); !reflect.DeepEqual(got, []string{"adjustment 100", "redeem -100", "earn 25", "void_reversal 100", "void_reversal -25"}) {
		t.Errorf("Ann's ledger = %v", got)
	}
	ps, _ := s.Purchases(ctx, ann)
	if len(ps) != 1 || !ps[0].Voided {
		t.Errorf("Ann's purchases = %+v", ps)
	}
	lyCheckClean(t, s)
}

func TestMoveWalkInToCustomer(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	sale := lySale(t, s, 0, 4550, 0)
	np, err := s.MovePurchase(ctx, sale.Purchase.ID, ann, "")
	if err != nil {
		t.Fatal(err)
	}
	if np.CustomerID != ann || lyBalance(t, s, ann) != 45 {
		t.Errorf("moved %+v, balance %d", np, lyBalance(t, s, ann))
	}
	rows, _ := s.Ledger(ctx, ann)
	if len(rows) != 1 || rows[0].Reason != "purchase 1 moved from a walk-in sale" {
		t.Errorf("ledger = %+v", rows)
	}
	lyCheckClean(t, s)
}

func TestMoveRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	sale := lySale(t, s, ann, 5000, 0)
	refunded := lySale(t, s, ann, 5000, 0)
	refund, err := s.Refund(ctx, refunded.Purchase.ID, 100, "", "")
	if err != nil {
		t.Fatal(err)
	}
	voided := lySale(t, s, ann, 5000, 0)
	if err := s.VoidPurchase(ctx, voided.Purchase.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		id, to  rules.ID
		wantMsg string
	}{
		{"to the same customer", sale.Purchase.ID, ann, "already belongs"},
		{"to nobody", sale.Purchase.ID, 0, "only be moved to a customer"},
		{"to an unknown customer", sale.Purchase.ID, 99, "there is no customer 99"},
		{"a refund line", refund.ID, bob, "is a refund"},
		{"a sale with refunds", refunded.Purchase.ID, bob, "has refunds"},
		{"a voided sale", voided.Purchase.ID, bob, "is voided"},
		{"an unknown purchase", 999, bob, "there is no purchase 999"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := lyCounts(t, s)
			_, err := s.MovePurchase(ctx, tc.id, tc.to, "")
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
		})
	}
}

func TestPurchaseListsNewestFirstUpToToday(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	first := lySale(t, s, ann, 1000, 0)
	walkIn := lySale(t, s, 0, 700, 0)
	s.SetToday(lyToday.AddDays(1))
	second := lySale(t, s, ann, 2000, 0)
	refund, err := s.Refund(ctx, first.Purchase.ID, 500, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ps []rules.Purchase) []rules.ID {
		var out []rules.ID
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	ps, err := s.Purchases(ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ps), []rules.ID{refund.ID, second.Purchase.ID, first.Purchase.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("purchases %v, want %v", got, want)
	}
	recent, _ := s.RecentPurchases(ctx, 3)
	if got, want := ids(recent), []rules.ID{refund.ID, second.Purchase.ID, walkIn.Purchase.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("recent %v, want %v", got, want)
	}
	s.SetToday(lyToday)
	ps, _ = s.Purchases(ctx, ann)
	if got, want := ids(ps), []rules.ID{first.Purchase.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("purchases on the first day %v, want %v", got, want)
	}
	if _, err := s.Purchase(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown purchase: %v", err)
	}
}

func TestTopCustomers(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Ray")
	cy := lyCustomer(t, s, "Cy Oh")
	lySale(t, s, ann, 3000, 0)
	big := lySale(t, s, ann, 9000, 0)
	if _, err := s.Refund(ctx, big.Purchase.ID, 4000, "", ""); err != nil {
		t.Fatal(err)
	}
	lySale(t, s, bob, 10000, 0)
	mistake := lySale(t, s, cy, 50000, 0)
	if err := s.VoidPurchase(ctx, mistake.Purchase.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	lySale(t, s, cy, 100, 0)
	lySale(t, s, 0, 90000, 0)

	top, err := s.TopCustomers(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 {
		t.Fatalf("got %d lines", len(top))
	}
	if top[0].Customer.ID != bob || top[0].Spent != 10000 || top[0].Visits != 1 || top[0].Balance != 100 || top[0].Customer.Name != "Bob Ray" {
		t.Errorf("first %+v", top[0])
	}
	if top[1].Customer.ID != ann || top[1].Spent != 8000 || top[1].Visits != 2 || top[1].Balance != 80 {
		t.Errorf("second %+v", top[1])
	}
	if none, err := s.TopCustomers(ctx, 0); err != nil || len(none) != 0 {
		t.Errorf("n=0 gave %d lines (%v)", len(none), err)
	}
}

func TestImportPurchase(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyToday)
	ann := lyCustomer(t, s, "Ann Lee")
	var saleID, noEarnID rules.ID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if saleID, err = s.ImportPurchase(ctx, tx, rules.Purchase{CustomerID: ann, Day: lyDay(2023, time.May, 2), Amount: 4000, Reference: "A1"}, true); err != nil {
			return err
		}
		if noEarnID, err = s.ImportPurchase(ctx, tx, rules.Purchase{CustomerID: ann, Day: lyDay(2023, time.May, 3), Amount: 2000}, false); err != nil {
			return err
		}
		if _, err = s.ImportPurchase(ctx, tx, rules.Purchase{CustomerID: ann, Day: lyDay(2023, time.May, 9), Amount: -1000, RefundOf: saleID}, false); err != nil {
			return err
		}
		_, err = s.ImportPurchase(ctx, tx, rules.Purchase{Day: lyDay(2023, time.May, 9), Amount: 1500}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Purchase(ctx, saleID)
	if !p.Imported || p.Day != lyDay(2023, time.May, 2) || p.At.Hour() != 0 || p.Staff != rules.OwnerName || p.Reference != "A1" {
		t.Errorf("imported purchase = %+v", p)
	}
	if got := lyLedgerSummary(t, s, ann); !reflect.DeepEqual(got, []string{"earn 40", "refund_reversal -10"}) {
		t.Errorf("ledger %v", got)
	}
	if np, _ := s.Purchase(ctx, noEarnID); !np.Imported {
		t.Error("not marked imported")
	}
	lyCheckClean(t, s)

	bad := []struct {
		name    string
		p       rules.Purchase
		wantMsg string
	}{
		{"no date", rules.Purchase{CustomerID: ann, Amount: 100}, "no date"},
		{"zero amount", rules.Purchase{CustomerID: ann, Day: lyToday}, "not a usable purchase amount"},
		{"negative without a sale", rules.Purchase{CustomerID: ann, Day: lyToday, Amount: -100}, "refund of an earlier purchase"},
		{"unknown customer", rules.Purchase{CustomerID: 77, Day: lyToday, Amount: 100}, "there is no customer 77"},
		{"reference again", rules.Purchase{CustomerID: ann, Day: lyToday, Amount: 100, Reference: "A1"}, "already on purchase"},
		{"refund too large", rules.Purchase{CustomerID: ann, Day: lyToday, Amount: -3001, RefundOf: saleID}, "only 30.00"},
		{"refund for someone else", rules.Purchase{Day: lyToday, Amount: -100, RefundOf: saleID}, "different customer"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before := lyCounts(t, s)
			err := s.tx(ctx, func(tx *sql.Tx) error {
				_, err := s.ImportPurchase(ctx, tx, tc.p, true)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("error %v, want one saying %q", err, tc.wantMsg)
			}
			if after := lyCounts(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("rows before %v, after %v", before, after)
			}
		})
	}
}

// ImportPurchase is importPurchaseTx with the store's scheme and today.
func (s *Store) ImportPurchase(ctx context.Context, tx *sql.Tx, p rules.Purchase, earn bool) (rules.ID, error) {
	l, err := s.scheme(ctx)
	if err != nil {
		return 0, err
	}
	return importPurchaseTx(ctx, tx, l, s.Today(), p, earn)
}
