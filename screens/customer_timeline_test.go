package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	"regulars/rules"
)

// TestTimelineShowsEachObligationOnceAndSalesWithTheirPoints: Ann's open
// complaint and open promise head her timeline, each once (not again as
// their open reminders); her sale shows the points it earned; past the
// open ones the lines run newest first, each with an icon.
func TestTimelineShowsEachObligationOnceAndSalesWithTheirPoints(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ctx := context.Background()
	if _, err := f.store.AddComplaint(ctx, rules.Complaint{CustomerID: f.ann, What: "zip broke",
		ReceivedAt: time.Date(2026, 6, 1, 16, 0, 0, 0, time.Local), Severity: rules.SeverityMedium, Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.AddPromise(ctx, rules.Promise{CustomerID: f.ann, What: "order floor mats", Due: mustDay("2026-06-03"), Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	f.app.openCustomer(f.ann)
	page := f.app.screens["customers"].(*customersScreen).page
	complaints, promises := 0, 0
	for i, e := range page.timeline {
		if e.icon == nil {
			t.Errorf("line %d %q has no icon", i, e.text)
		}
		if e.complaint != nil || strings.HasPrefix(e.text, "Complaint follow-up: open") {
			complaints++
		}
		if e.promise != nil || strings.HasPrefix(e.text, "Promise: open") {
			promises++
		}
	}
	if complaints != 1 || promises != 1 {
		t.Errorf("the open complaint is listed %d times, the promise %d times", complaints, promises)
	}
	if len(page.timeline) < 4 || !page.timeline[0].open || !page.timeline[1].open {
		t.Fatalf("the open complaint and promise do not head the timeline: %+v", page.timeline)
	}
	var sale string
	for i, e := range page.timeline[2:] {
		if e.open {
			t.Errorf("an open line after the others: %q", e.text)
		}
		if i > 0 && e.day > page.timeline[i+1].day {
			t.Errorf("%s (%q) comes after %s", e.day, e.text, page.timeline[i+1].day)
		}
		if strings.Contains(e.text, "Bought") {
			sale = e.text
		}
	}
	if !strings.Contains(sale, "80.00") || !strings.Contains(sale, "earned 80 points") {
		t.Errorf("the sale reads %q", sale)
	}
}
