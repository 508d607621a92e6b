package screens

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestLoyaltyReadyListReadsPagesAsItScrolls: the Loyalty screen reads how
// many have a reward ready and the first page of them, and the rest as the
// list scrolls; the rows end up everyone HoldersFrom gives, in its order,
// and the summary counts what Balances gives.
func TestLoyaltyReadyListReadsPagesAsItScrolls(t *testing.T) {
	ctx, s, day := pagingShop(t)
	l, err := s.Loyalty(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.HoldersFrom(ctx, l.RewardPoints)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2*readyPageSize {
		t.Fatalf("only %d customers with a reward ready: too few to page", len(all))
	}
	bal, err := s.Balances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outstanding int64
	holders := 0
	for _, b := range bal {
		outstanding += b
		if b > 0 {
			holders++
		}
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool("shift.chosen", true)
	fa.Preferences().SetBool("firstrun.done", true)
	y, m, d := day.Date()
	a := New(ctx, fa, s, Options{DBPath: s.Path(), Date: day, Screen: "loyalty",
		Clock: &fakeClock{now: time.Date(y, m, d, 9, 0, 0, 0, time.Local)}, Notify: &countingNotifier{}, Synchronous: true})
	t.Cleanup(func() { a.win.Close() })
	a.win.Resize(fyne.NewSize(1280, 800))
	ly := a.screens["loyalty"].(*loyaltyScreen)
	if ly.ready.total != len(all) || len(ly.ready.rows) != readyPageSize {
		t.Fatalf("the first read: %d of %d rows, want %d of %d", len(ly.ready.rows), ly.ready.total, readyPageSize, len(all))
	}
	summary := ly.summary.Text
	rep, err := s.PointsReport(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if want := "worth up to " + money(rep.Liability) + " in whole rewards"; rep.Liability == 0 || !strings.Contains(summary, want) {
		t.Errorf("the summary %q does not give Reports' liability: %q", summary, want)
	}
	for _, w := range []string{pointsText(outstanding) + " held by " + wholeNumber(int64(holders)) + " customers", wholeNumber(int64(len(all))) + " customers have a reward ready"} {
		if !strings.Contains(summary, w) {
			t.Errorf("the summary %q does not say %q", summary, w)
		}
	}
	ly.readyL.ScrollToBottom()
	ly.readyL.Refresh()
	a.win.Canvas().Capture()
	ly.moreReady(len(all) - 1)
	var got, want []string
	for _, r := range ly.ready.rows {
		got = append(got, fmt.Sprintf("%d %s %s %d", r.id, r.name, r.phone, r.balance))
	}
	for _, h := range all {
		want = append(want, fmt.Sprintf("%d %s %s %d", h.Customer.ID, h.Customer.Name, h.Customer.Phone, h.Balance))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("after scrolling, %d rows differ from HoldersFrom's %d", len(got), len(want))
	}
}
