package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckComparesTheKeptReportFigures: `check` finds a customer's kept
// share or the shop's kept totals that the facts do not give, and nothing
// on a sound shop; damaged totals are not read.
func TestCheckComparesTheKeptReportFigures(t *testing.T) {
	s, _ := demoStore(t, DemoOptions{Customers: 200, Seed: 6, End: demoEnd})
	ctx := context.Background()
	s.SetToday(demoEnd)
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if day, usable := keptState(t, s); day != demoEnd || !usable {
		t.Fatalf("the report figures are kept for %s (usable %v), want %s", day, usable, demoEnd)
	}
	problems, err := s.Check(ctx)
	if err != nil || len(problems) != 0 {
		t.Fatalf("a sound shop: %v, %v", problems, err)
	}
	want, err := s.refReport(ctx, demoEnd, 10)
	if err != nil {
		t.Fatal(err)
	}
	sameStaffOrder(&want.FollowUp)

	// A customer's kept spend changed by hand, and the totals' count of
	// customers.
	var changed ID
	if err := s.w.QueryRow("SELECT customer_id FROM report_customers WHERE has_line <> 0 ORDER BY customer_id LIMIT 1").Scan(&changed); err != nil {
		t.Fatal(err)
	}
	lyExec(t, s, fmt.Sprintf("UPDATE report_customers SET spent = spent + 1 WHERE customer_id = %d", changed))
	var data []byte
	if err := s.w.QueryRow("SELECT data FROM report_totals").Scan(&data); err != nil {
		t.Fatal(err)
	}
	tot, err := unpackTotals(data)
	if err != nil {
		t.Fatal(err)
	}
	tot.known++
	if _, err := s.w.Exec("UPDATE report_totals SET data = ?", tot.pack()); err != nil {
		t.Fatal(err)
	}
	problems, err = s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, p := range problems {
		text = append(text, p.What)
	}
	wantText := []string{
		fmt.Sprintf("customer %d: the figures kept for the Reports page do not match the facts", changed),
		"the shop's totals kept for the Reports page do not match the facts",
	}
	for _, w := range wantText {
		if !slices.ContainsFunc(text, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("check gave %q, want a problem starting %q", text, w)
		}
	}
	if len(problems) != len(wantText) {
		t.Errorf("check gave %d problems, want %d: %q", len(problems), len(wantText), text)
	}
	// The report reads what is kept: the tampered count shows.
	got, err := s.Report(ctx, demoEnd, 10)
	if err != nil || got.Now.Total != want.Now.Total+1 {
		t.Fatalf("the report counts %d customers (%v), want the tampered %d", got.Now.Total, err, want.Now.Total+1)
	}

	// Damaged totals are not read: the report is worked out from the facts.
	lyExec(t, s, "UPDATE report_totals SET data = x'ff'")
	before := s.keptReads.Load()
	got, err = s.Report(ctx, demoEnd, 10)
	if err != nil {
		t.Fatal(err)
	}
	if s.keptReads.Load() != before {
		t.Fatal("the report read damaged kept totals")
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("with damaged kept totals the report is\n%+v\nwant\n%+v", got, want)
	}
	if problems, err = s.Check(ctx); err != nil || !slices.ContainsFunc(problems, func(p Problem) bool {
		return strings.HasPrefix(p.What, wantText[1])
	}) {
		t.Fatalf("check with damaged totals: %v, %v", problems, err)
	}

	// A write that cannot take its customer's old share off the damaged
	// totals sets every kept row aside; the next works them out afresh.
	for range 2 {
		if _, err := s.RecordSale(ctx, Sale{CustomerID: changed, Amount: 2500, Staff: "Sam"}); err != nil {
			t.Fatal(err)
		}
	}
	if problems, err = s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("after two sales: %v, %v", problems, err)
	}
	if n := reportSame(t, "after two sales", s, demoEnd); n != 1 {
		t.Fatal("after two sales the report is not read from the kept figures")
	}
}

// Damaged kept rows never panic: they read as damaged.
func TestKeptReportRowsDamagedReadAsDamaged(t *testing.T) {
	p := reportPart{customer: true, now: bandLapsing, base: true, follow: []followCount{{kind: 2, outcome: outcomeLate, staff: "Sam", n: 3}},
		took: []time.Duration{5e12}, balance: 240, spent: 12345, visits: 3, hasLine: true}
	p.months[3] = bandActive
	good := p.pack()
	back, err := unpackPart(good)
	if err != nil || !reflect.DeepEqual(back, p) {
		t.Fatalf("packed and unpacked: %+v, %v; want %+v", back, err, p)
	}
	tot := newReportTotals()
	tot.add(&p, 1)
	goodTotals := tot.pack()
	r := rand.New(rand.NewPCG(1, 2))
	for _, b := range [][]byte{good, goodTotals} {
		for i := range 3000 {
			bad := slices.Clone(b)
			switch i % 3 {
			case 0:
				bad = bad[:r.IntN(len(bad))]
			case 1:
				bad[r.IntN(len(bad))] = byte(r.UintN(256))
			default:
				bad = append(bad, byte(r.UintN(256)))
			}
			if q, err := unpackPart(bad); err == nil {
				tot.add(&q, 1) // whatever it reads must add up without trouble
			}
			if x, err := unpackTotals(bad); err == nil {
				var rep Report
				rep.Day = demoEnd
				x.fill(&rep, demoEnd)
			}
		}
	}
}

// Opening a shop on a new day works the kept figures out for it while the
// readers are not yet open: the writer alone reads the facts.
func TestOpeningOnANewDayKeepsTheReportFigures(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/shop.db"
	s, err := Open(ctx, path, Options{Today: demoEnd})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 60, Seed: 3, End: demoEnd}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	next := demoEnd.AddDays(1)
	s, err = Open(ctx, path, Options{Today: next})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if day, usable := keptState(t, s); day != next || !usable {
		t.Fatalf("opened on %s, the report figures are kept for %s (usable %v)", next, day, usable)
	}
	if n := reportSame(t, "opened on a new day", s, next); n != 1 {
		t.Fatal("the report of the new day was not read from the kept figures")
	}
}
