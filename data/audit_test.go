package data

import (
	"context"
	"io"
	"regulars/rules"
	"strings"
	"testing"
)

func TestSensitiveActionsAreAudited(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	ann := lyCustomer(t, s, "Ann Lee")
	bob := lyCustomer(t, s, "Bob Roy")
	dup := lyCustomer(t, s, "Ann L.")
	sale := lySale(t, s, ann, 2500, 0)
	other := lySale(t, s, ann, 1000, 0)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := s.AdjustPoints(ctx, ann, 10, "goodwill", "Sam")
	must("adjust", err)
	must("void", s.VoidPurchase(ctx, sale.Purchase.ID, "Sam", "rang up twice"))
	_, err = s.MovePurchase(ctx, other.Purchase.ID, bob, "Sam")
	must("move", err)
	must("merge", s.MergeCustomers(ctx, ann, dup, "Owner"))
	_, err = s.ImportCustomersCSV(ctx, strings.NewReader("name,phone\nCara Diaz,07700 900555\n"), ImportOptions{})
	must("import customers", err)
	_, err = s.ImportPurchasesCSV(ctx, strings.NewReader("customer,date,amount\n07700 900555,2024-02-01,12.00\n"), ImportOptions{})
	must("import purchases", err)
	must("pin", s.SetOwnerPIN(ctx, "246810"))
	for i := 0; i < 5; i++ {
		s.CheckOwnerPIN(ctx, "000000", lyClock())
	}
	ruleSet := rules.DefaultRules()
	r := ruleSet[rules.KindThankYou]
	r.StayDays = 10
	ruleSet[rules.KindThankYou] = r
	must("rules", s.SetRules(ctx, ruleSet))
	l := rules.DefaultLoyalty()
	l.RewardPoints = 200
	must("loyalty", s.SetLoyalty(ctx, l))
	must("template", s.SetTemplate(ctx, rules.KindBirthday, "Happy birthday, {{.FirstName}}!"))
	must("shop name", s.SetSetting(ctx, "shop_name", "Corner Books"))
	must("export", s.ExportCustomer(ctx, bob, "Sam", io.Discard))
	must("forget", s.ForgetCustomer(ctx, bob, "Owner"))

	log, err := s.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]AuditEntry{}
	for _, e := range log {
		if _, seen := got[e.Action]; !seen {
			got[e.Action] = e
		}
	}
	for _, c := range []struct{ action, staff, subject, after string }{
		{"adjust points", "Sam", "customer 1: goodwill", ""},
		{"void purchase", "Sam", "purchase 1", "rang up twice"},
		{"move purchase", "Sam", "purchase 2", ""},
		{"merge customers", "Owner", "3 into 1", "Ann Lee"},
		{"import customers", "Owner", "", "1 customers"},
		{"import purchases", "Owner", "purchases CSV", "1 purchases"},
		{"set owner PIN", "Owner", "", ""},
		{"lock owner PIN", "Owner", "5 wrong PINs", ""},
		{"change reminder rules", "Owner", "rules", ""},
		{"change loyalty scheme", "Owner", "loyalty", `"reward_points":200`},
		{"change message template", "Owner", "template.birthday", "Happy birthday, {{.FirstName}}!"},
		{"change shop name", "Owner", "shop_name", "Corner Books"},
		{"export customer", "Sam", "customer 2", "customer-2.zip"},
		{"forget customer", "Owner", "customer 2", "Forgotten customer 2"},
	} {
		e, ok := got[c.action]
		if !ok {
			t.Errorf("no audit row for %q", c.action)
			continue
		}
		if e.Staff != c.staff || (c.subject != "" && e.Subject != c.subject) || !strings.Contains(e.After, c.after) {
			t.Errorf("%s: audit row %+v", c.action, e)
		}
		if e.At.IsZero() {
			t.Errorf("%s: no time", c.action)
		}
	}
	if e := got["change shop name"]; e.Before != "" {
		t.Errorf("shop name before = %q", e.Before)
	}
	if e := got["forget customer"]; strings.Contains(e.Before+e.After+e.Subject, "Bob") {
		t.Errorf("the forget row keeps the erased name: %+v", e)
	}
	// Newest first, and nothing the app does can change a row.
	for i := 1; i < len(log); i++ {
		if log[i].ID > log[i-1].ID {
			t.Fatal("audit log is not newest first")
		}
	}
	if len(log) < 14 {
		t.Fatalf("only %d audit rows", len(log))
	}
	if one, err := s.AuditLog(ctx, 1); err != nil || len(one) != 1 || one[0].ID != log[0].ID {
		t.Errorf("AuditLog(1) = %+v, %v", one, err)
	}
	if _, err := s.w.Exec("UPDATE audit SET staff = 'Nobody'"); err == nil {
		t.Error("an audit row was changed")
	}
	if _, err := s.w.Exec("DELETE FROM audit"); err == nil {
		t.Error("an audit row was deleted")
	}
	// The PIN's own counters are bookkeeping, not audited changes.
	var counters int
	if err := s.reader().QueryRow("SELECT count(*) FROM audit WHERE subject LIKE 'pin_%'").Scan(&counters); err != nil {
		t.Fatal(err)
	}
	if counters != 0 {
		t.Errorf("%d audit rows for the PIN counters", counters)
	}
	// Saving a setting unchanged adds nothing.
	n := len(log)
	s.SetSetting(ctx, "shop_name", "Corner Books")
	if again, _ := s.AuditLog(ctx, 0); len(again) != n {
		t.Error("an unchanged setting was audited")
	}

}
