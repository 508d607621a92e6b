package printing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"regulars/rules"
)

func TestReportPrintsEveryFigure(t *testing.T) {
	day := func(s string) rules.Day {
		d, err := rules.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	r := rules.Report{Day: day("2026-06-15"),
		Now:       rules.Activity{Total: 40, Active: 20, Lapsing: 8, Drifting: 6, Lost: 4, Never: 2},
		Retention: rules.Retention{From: day("2025-06-16"), To: day("2026-06-15"), Base: 30, Kept: 21},
		FollowUp: rules.FollowUpReport{Since: day("2025-06-15"),
			ByKind:  []rules.FollowUpRow{{Kind: rules.KindThankYou, OnTime: 30, Late: 5, Skipped: 3, Missed: 2}},
			ByStaff: []rules.StaffFollowUpRow{{Staff: "Maya", OnTime: 30, Late: 5}, {Missed: 2}}},
		Complaints: rules.ComplaintReport{Received: 4, Resolved: 3, Within24h: 1, MedianHours: 30.5, Customers: 4, BoughtAgain: 2},
		Points: rules.PointsReport{Outstanding: 1234, Holders: 12, Liability: 5500, Redeemed: 800, RedeemedValue: 4000,
			Scheme: rules.DefaultLoyalty()},
		Top: []rules.TopCustomer{{Customer: rules.Customer{ID: 7, Name: "Zoë Ñúñez"}, Spent: 123456, Visits: 9, Balance: 120}},
	}
	for m := range 12 {
		r.Months = append(r.Months, rules.MonthActivity{MonthEnd: day("2025-06-30").AddMonths(m),
			Activity: rules.Activity{Total: 40, Active: 10 + m, Lapsing: 8, Drifting: 6, Lost: 4}})
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
		"1,234 points held by 12 customers, worth 55.00", "Zoë Ñúñez", "1,234.56", "Jun 2025", "May 2026")
}

// The report and the call sheet write every date, amount and count with
// the shop's Format, as the window does.
func TestPrintoutsUseTheShopsFormat(t *testing.T) {
	f := Format{
		Date:    func(d rules.Day) string { return "D<" + d.String() + ">" },
		Weekday: func(d rules.Day) string { return "W<" + d.String() + ">" },
		Month:   func(d rules.Day) string { return "M<" + d.String()[:7] + ">" },
		Money:   func(c rules.Cents) string { return "$" + c.String() },
		Number:  func(n int64) string { return fmt.Sprintf("#%d", n) },
	}
	s := Shop{Name: "Alder & Co", Format: f}
	day := rules.NewDay(2026, 6, 15)
	r := rules.Report{Day: day,
		Retention: rules.Retention{From: rules.NewDay(2025, 6, 16), To: day, Base: 30, Kept: 21},
		FollowUp:  rules.FollowUpReport{Since: rules.NewDay(2025, 6, 15)},
		Points:    rules.PointsReport{Outstanding: 1234, Holders: 12, Liability: 5500, Scheme: rules.DefaultLoyalty()},
		Months:    []rules.MonthActivity{{MonthEnd: rules.NewDay(2026, 5, 31), Activity: rules.Activity{Active: 3}}},
		Top:       []rules.TopCustomer{{Customer: rules.Customer{Name: "Zoë"}, Spent: 123456, Visits: 9, Balance: 120}},
	}
	var rep, calls bytes.Buffer
	if err := Report(&rep, s, r); err != nil {
		t.Fatal(err)
	}
	items := []rules.Reminder{{Kind: rules.KindCheckIn, CustomerName: "Ann Lee", Phone: "07700 900123", OverdueDays: 3}}
	if err := CallSheet(&calls, s, day, items); err != nil {
		t.Fatal(err)
	}
	texts := poppler(t, rep.Bytes(), pageCount(rep.Bytes()))
	if texts == nil {
		return
	}
	texts = append(texts, poppler(t, calls.Bytes(), 1)...)
	all := strings.Join(texts, "\n")
	wantText(t, "printouts", all, "As of W<2026-06-15>", "between D<2024-06-16> and D<2025-06-15> came back by D<2026-06-15>",
		"Reminders due from D<2025-06-15>", "M<2026-05>", "#1234 points held by #12 customers, worth $55.00",
		"= $5.00 each", "$1234.56", "Calls for W<2026-06-15>", "1 call to make", "#3 days overdue")
}
