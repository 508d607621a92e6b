package data

import (
	"context"
	"encoding/csv"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

// hostile are texts a spreadsheet would run, and a few it would not.
var hostile = []string{`=HYPERLINK("http://evil","click")`, "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1)", "\t=1", "'=already", "plain"}

// TestEveryCSVExportNeutralisesTextButNotNumbers exports every table of a
// shop whose names, notes, descriptions, staff, reasons and tags start like
// formulas: no cell of any export starts one, except the numbers (a
// refund's amount, a redeem's points), which stay numbers; and the
// customers and purchases exports import again unchanged.
func TestEveryCSVExportNeutralisesTextButNotNumbers(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	var ids []rules.ID
	for i, h := range hostile {
		id, err := s.AddCustomer(ctx, rules.Customer{Name: "Customer " + strings.TrimSpace(h), Notes: h, Tags: []string{strings.TrimSpace(h) + "x"}})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// A name that is nothing but a formula.
			if err := s.UpdateCustomer(ctx, rules.Customer{ID: id, Name: h, Notes: h, Tags: []string{"=tag"}}); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}
	if err := s.AddStaff(ctx, "=Staff(1)"); err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		res, err := s.RecordSale(ctx, Sale{CustomerID: ids[i], Amount: 20000, Description: h, Staff: "=Staff(1)", Reference: h})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refund(ctx, res.Purchase.ID, 500, "=Staff(1)", h); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AdjustPoints(ctx, ids[i], -10, h, "=Staff(1)"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LogContact(ctx, rules.Contact{CustomerID: ids[i], Channel: rules.ChannelPhone, Staff: "=Staff(1)", Outcome: h, Note: h}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ids[i], What: h, Staff: "=Staff(1)"}); err != nil {
			t.Fatal(err)
		}
	}
	numeric := map[string]bool{"amount": true, "points": true}
	exports := map[string][][]string{}
	for _, what := range ExportKinds {
		var b strings.Builder
		if err := s.ExportCSV(ctx, what, &b); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		exports[what] = rows
		negatives := 0
		for _, row := range rows[1:] {
			for i, cell := range row {
				col := rows[0][i]
				if numeric[col] {
					if strings.HasPrefix(cell, "'") {
						t.Errorf("%s: the number %s %q was made text", what, col, cell)
					}
					if strings.HasPrefix(cell, "-") {
						negatives++
					}
					continue
				}
				if rules.FormulaStart(cell) {
					t.Errorf("%s: %s cell %q starts a formula", what, col, cell)
				}
			}
		}
		if (what == "purchases" || what == "ledger") && negatives == 0 {
			t.Errorf("%s: no negative number to check", what)
		}
	}
	// Our own exports import again as they were.
	t2 := newTestStore(t, "2026-03-02")
	var cust strings.Builder
	s.ExportCSV(ctx, "customers", &cust)
	if rep, err := t2.ImportCustomersCSV(ctx, strings.NewReader(cust.String()), ImportOptions{}); err != nil {
		t.Fatalf("import of the customers export: %v %v", err, rep.Bad)
	}
	var again strings.Builder
	t2.ExportCSV(ctx, "customers", &again)
	if strip := func(s string) string { // points differ: the ledger was not imported
		rows, _ := csv.NewReader(strings.NewReader(s)).ReadAll()
		var out []string
		for _, r := range rows {
			out = append(out, strings.Join(r[:len(r)-1], "|"))
		}
		return strings.Join(out, "\n")
	}; strip(again.String()) != strip(cust.String()) {
		t.Errorf("customers changed on the way round:\n%s\nbecame\n%s", cust.String(), again.String())
	}
	got, err := t2.Customers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Name != hostile[0] || got[0].Notes != hostile[0] || !slices.Equal(got[0].Tags, []string{"=tag"}) {
		t.Errorf("the first customer came back as %q %q %q", got[0].Name, got[0].Notes, got[0].Tags)
	}
	var purchases strings.Builder
	s.ExportCSV(ctx, "purchases", &purchases)
	if rep, err := t2.ImportPurchasesCSV(ctx, strings.NewReader(purchases.String()), ImportOptions{}); err != nil {
		t.Fatalf("import of the purchases export: %v %v", err, rep.Bad)
	}
	var pAgain strings.Builder
	t2.ExportCSV(ctx, "purchases", &pAgain)
	if pAgain.String() != purchases.String() {
		t.Errorf("purchases changed on the way round:\n%s\nbecame\n%s", purchases.String(), pAgain.String())
	}
}
