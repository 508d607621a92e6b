package screens

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/dialog"
)

// TestPopupWaitsForAnOpenQuestion: a pop-up that falls due while another
// question is open in the window (here a confirmation) does not cover
// it: its notification goes at once, the summary once the question is
// answered. The test's goroutine is the window's (uiLoop).
func TestPopupWaitsForAnOpenQuestion(t *testing.T) {
	now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
	loop := newUILoop()
	a := startAppAt(t, twoTillShop(t, now, false), now, loop)
	p := a.popups
	loop.until(t, "the pop-up at start", func() bool { return p.Shown() == 1 })
	p.dlg.Hide()
	notify := a.opt.Notify.(*countingNotifier)
	question := dialog.NewConfirm("Delete?", "Delete this note?", func(bool) {}, a.win)
	question.Show()

	q, err := a.store.TodayQueue(context.Background(), a.Today())
	if err != nil {
		t.Fatal(err)
	}
	p.show(q, 1)
	if notify.count() != 2 {
		t.Errorf("notifications = %d, want 2: the second goes at once", notify.count())
	}
	loop.runFor(3 * questionWait)
	if p.Shown() != 1 || p.dlg != nil {
		t.Fatalf("the pop-up covered an open question: %d pop-ups", p.Shown())
	}
	question.Hide()
	loop.until(t, "the pop-up once the question is answered", func() bool { return p.Shown() == 2 })
	if p.dlg == nil || a.win.Canvas().Overlays().Top() == nil {
		t.Error("the pop-up is not on the window after the question")
	}
}
