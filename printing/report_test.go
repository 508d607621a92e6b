package printing

import (
	"bytes"
	"strings"
	"testing"

	"regulars/data"
)

func TestReportPrintsEveryFigure(t *testing.T) {
	day := func(s string) data.Day {
		d, err := data.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	r := data.Report{Day: day("2026-06-15"),
		Now:       data.Activity{Total: 40, Active: 20, Lapsing: 8, Drifting: 6, Lost: 4, Never: 2},
		Retention: data.Retention{From: day("2025-06-16"), To: day("2026-06-15"), Base: 30, Kept: 21},
		FollowUp: data.FollowUpReport{Since: day("2025-06-15"),
			ByKind:  []data.FollowUpRow{{Kind: data.KindThankYou, OnTime: 30, Late: 5, Skipped: 3, Missed: 2}},
			ByStaff: []data.StaffFollowUpRow{{Staff: "Maya", OnTime: 30, Late: 5}, {Missed: 2}}},
		Complaints: data.ComplaintReport{Received: 4, Resolved: 3, Within24h: 1, MedianHours: 30.5, Customers: 4, BoughtAgain: 2},
		Points: data.PointsReport{Outstanding: 1234, Holders: 12, Liability: 5500, Redeemed: 800, RedeemedValue: 4000,
			Scheme: data.DefaultLoyalty()},
		Top: []data.TopCustomer{{Customer: data.Customer{ID: 7, Name: "Zoë Ñúñez"}, Spent: 123456, Visits: 9, Balance: 120}},
	}
	for m := range 12 {
		r.Months = append(r.Months, data.MonthActivity{MonthEnd: day("2025-06-30").AddMonths(m),
			Activity: data.Activity{Total: 40, Active: 10 + m, Lapsing: 8, Drifting: 6, Lost: 4}})
	}
	var b bytes.Buffer
	if err := Report(&b, shop, r); err != nil {
		t.Fatal(err)
	}
	n := pageCount(b.Bytes())
	if n < 1 || n > 3 {
		t.Fatalf("%d pages", n)
	}
	checkPDF(t, b.Bytes(), n)
	texts := poppler(t, b.Bytes(), n)
	if texts == nil {
		return
	}
	all := strings.Join(texts, "\n")
	wantText(t, "report", all, "Reports — Alder & Co", "Monday 15 June 2026", "20 active", "70% of last year's customers",
		"80% average shop", "Thank you", "Maya", "Nobody (left unhandled)", "Median time to resolve: 30.5 hours",
		"1234 points held by 12 customers, worth 55.00", "Zoë Ñúñez", "1234.56", "Jun 25", "May 26")
}
