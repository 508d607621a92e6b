package screens

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/dialog"

	"regulars/data"
)

// TestPopupWaitsForAnOpenQuestion: a pop-up that falls due while another
// question is open in the window (here a confirmation) does not cover
// it: its notification goes at once, the summary once the question is
// answered.
func TestPopupWaitsForAnOpenQuestion(t *testing.T) {
	f := newFixture(t)
	p := f.app.popups
	if p.Shown() != 1 {
		t.Fatalf("pop-ups at start = %d, want 1", p.Shown())
	}
	f.dismissPopup()
	question := dialog.NewConfirm("Delete?", "Delete this note?", func(bool) {}, f.app.win)
	question.Show()

	waitFor(t, "the timer", func() bool { return f.clock.pending() == 1 })
	f.store.SetToday(mustDay("2026-06-01"))
	if _, err := f.store.RecordSale(context.Background(), data.Sale{CustomerID: f.bob, Amount: 1200}); err != nil {
		t.Fatal(err)
	}
	f.store.SetToday(mustDay("2026-06-02"))
	f.clock.Advance(15 * time.Minute)
	waitFor(t, "the second notification", func() bool { return f.notify.count() == 2 })
	time.Sleep(3 * questionWait)
	if p.Shown() != 1 || p.dlg != nil {
		t.Fatalf("the pop-up covered an open question: %d pop-ups", p.Shown())
	}
	question.Hide()
	waitFor(t, "the pop-up once the question is answered", func() bool { return p.Shown() == 2 })
	if got := p.Last(); got != "Due today: 2\n1 of them new since the last look" {
		t.Errorf("after the question the pop-up says %q", got)
	}
}
