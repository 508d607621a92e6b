package screens

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// Clock tells the time and wakes the pop-up checks; tests drive a fake one.
type Clock interface {
	Now() time.Time
	After(time.Duration) <-chan time.Time
}

// Notifier sends a desktop notification.
type Notifier interface {
	Notify(title, body string)
}

type desktopNotifier struct{ fa fyne.App }

func (n desktopNotifier) Notify(title, body string) {
	n.fa.SendNotification(fyne.NewNotification(title, body))
}

// checkEvery is how often the pop-up looks for newly due reminders.
const checkEvery = 15 * time.Minute

// popups shows what has fallen due: at start, every 15 minutes and at
// midnight. A reminder is popped at most once a day.
type popups struct {
	a      *App
	popped map[string]rules.Day // reminder key -> day it was popped
	day    rules.Day            // the day of the latest check
	count  int
	dlg    dialog.Dialog
	tray   bool
	// shown counts the pop-up dialogs shown and last is the text of the
	// latest; tests read them while the timer goroutine may write.
	shown atomic.Int32
	mu    sync.Mutex
	last  string
	// held is the summary waiting for another question (the owner's PIN,
	// the first run's set-up…) to be answered; waiting, that a goroutine
	// looks for that.
	held    func()
	waiting bool
}

// questionWait is how often a held summary looks whether the question
// in front of it has been answered.
const questionWait = 250 * time.Millisecond

// Shown is how many pop-ups have been shown.
func (p *popups) Shown() int { return int(p.shown.Load()) }

// Last is the text of the latest pop-up.
func (p *popups) Last() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

func newPopups(a *App) *popups {
	p := &popups{a: a, popped: map[string]rules.Day{}}
	day := a.Today()
	for _, k := range a.fa.Preferences().StringList("popped." + day.String()) {
		p.popped[k] = day
	}
	_, p.tray = a.fa.(desktop.App)
	return p
}

// start runs the first check and the timer loop.
func (p *popups) start() {
	p.check()
	go p.loop(p.a.ctx)
}

// untilNextCheck is 15 minutes, or less when midnight comes sooner.
func untilNextCheck(now time.Time) time.Duration { return untilNext(now, checkEvery) }

// untilNext is every, or less when midnight comes sooner.
func untilNext(now time.Time, every time.Duration) time.Duration {
	y, m, d := now.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
	if w := midnight.Sub(now); w < every {
		return w
	}
	return every
}

// every is how often the owner wants the pop-up to look (Settings).
func (p *popups) every() time.Duration {
	if d, err := p.a.store.PopupEvery(p.a.ctx); err == nil {
		return d
	}
	return checkEvery
}

func (p *popups) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.a.clock.After(untilNext(p.a.clock.Now(), p.every())):
			fyne.Do(p.check)
		}
	}
}

// check looks for reminders due today that have not been popped yet.
func (p *popups) check() {
	day := p.a.Today()
	if !p.day.IsZero() && day != p.day {
		// A new day on a PC left on overnight: the day's lists are kept,
		// every screen shows the new day's work, and the day's backup is
		// made.
		s := p.a.store
		background(p.a, func(ctx context.Context) (struct{}, error) {
			if s.Writable() != nil {
				return struct{}{}, nil
			}
			return struct{}{}, s.CatchUp(ctx)
		}, func(struct{}, error) {
			p.a.changed()
			if s.Writable() == nil {
				p.a.afterCheck()
			}
		})
	}
	p.day = day
	background(p.a, func(ctx context.Context) (rules.Queue, error) {
		return p.a.store.TodayQueue(ctx, day)
	}, func(q rules.Queue, err error) {
		if errors.Is(err, data.ErrUnreachable) {
			return // the status line says so already (watch.go)
		}
		if err != nil {
			p.a.say(lang.L("Could not check reminders: %v"), err)
			return
		}
		p.setCount(q.Open())
		// Only the day's work pops up: the drifting customers beyond the
		// day's share and the rewards to mention at the till never do.
		var fresh []rules.Reminder
		for _, r := range q.Work() {
			if d, ok := p.popped[r.Key]; ok && d == day {
				continue
			}
			fresh = append(fresh, r)
		}
		if len(fresh) == 0 {
			return
		}
		var keys []string
		for _, r := range fresh {
			p.popped[r.Key] = day
		}
		for k, d := range p.popped {
			if d == day {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		p.a.fa.Preferences().SetStringList("popped."+day.String(), keys)
		p.show(q, len(fresh))
	})
}

// summary is the pop-up text: the queue's groups with their counts,
// obligations first, as the Today screen heads them; then how many of
// them are new since the last pop-up, and the rewards to mention at the
// till, which are not counted as work.
func summary(q rules.Queue, fresh int) string {
	var b strings.Builder
	for _, part := range q.Parts {
		if n := len(part.Rows); n > 0 && part.Group.Work() {
			fmt.Fprintf(&b, "%s: %d\n", queueTitle(part.Group), n)
		}
	}
	if open := q.Open(); fresh > 0 && fresh < open {
		fmt.Fprintf(&b, "%s\n", fmt.Sprintf(lang.N("%d of them new since the last look", fresh), fresh))
	}
	if n := len(q.Part(rules.QueueMention).Rows); n > 0 {
		fmt.Fprintf(&b, "%s\n", fmt.Sprintf(lang.L("And to mention when they come in: %d"), n))
	}
	return strings.TrimSpace(b.String())
}

func (p *popups) show(q rules.Queue, fresh int) {
	text := summary(q, fresh)
	p.mu.Lock()
	p.last = text
	p.mu.Unlock()
	title := fmt.Sprintf(lang.L("%d to do for your customers"), q.Open())
	p.a.opt.Notify.Notify(fmt.Sprintf(lang.L("Regulars: %s"), title), strings.ReplaceAll(text, "\n", ", "))
	if p.dlg != nil {
		p.dlg.Hide()
		p.dlg = nil
	}
	p.held = func() { p.showDialog(title, text) }
	p.showWhenFree()
}

// showWhenFree shows the held summary now, or, while another question is
// open in the window, once it has been answered: the summary never
// covers a question.
func (p *popups) showWhenFree() {
	if p.held == nil {
		return
	}
	if p.a.win.Canvas().Overlays().Top() == nil {
		show := p.held
		p.held = nil
		show()
		return
	}
	if p.waiting {
		return
	}
	p.waiting = true
	go func() {
		tick := time.NewTicker(questionWait)
		defer tick.Stop()
		for {
			select {
			case <-p.a.ctx.Done():
				return
			case <-tick.C:
			}
			shown := make(chan bool, 1)
			p.a.onUI(func() {
				p.showWhenFree()
				if p.held == nil {
					p.waiting = false
				}
				shown <- !p.waiting
			})
			select {
			case <-p.a.ctx.Done():
				return
			case done := <-shown:
				if done {
					return
				}
			}
		}
	}()
}

// showDialog puts the summary up with its way to Today.
func (p *popups) showDialog(title, text string) {
	body := widget.NewLabel(text)
	open := widget.NewButton(lang.L("Open Today"), nil)
	open.Importance = widget.HighImportance
	later := widget.NewButton(lang.L("Later"), nil)
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(body, container.NewHBox(later, open)), p.a.win)
	open.OnTapped = func() { d.Hide(); p.a.show("today") }
	later.OnTapped = d.Hide
	d.SetOnClosed(func() {
		// Back to work: the keyboard goes to the list on show.
		if sc, ok := p.a.screens[p.a.current]; ok {
			sc.focus()
		}
	})
	p.dlg = d
	d.Show()
	p.shown.Add(1)
}

// setCount shows the day's queue count (groups 1–4 as shown) on the
// navigation and in the tray menu.
func (p *popups) setCount(n int) {
	p.count = n
	if b, ok := p.a.navBtns["today"]; ok {
		if n > 0 {
			b.SetText(fmt.Sprintf(lang.L("Today (%s)"), wholeNumber(int64(n))))
		} else {
			b.SetText(lang.L("Today"))
		}
	}
	desk, ok := p.a.fa.(desktop.App)
	if !ok || !trayAvailable() {
		return
	}
	label := fmt.Sprintf(lang.L("%d to do today"), n)
	desk.SetSystemTrayMenu(fyne.NewMenu(lang.L("Regulars"),
		fyne.NewMenuItem(label, func() { p.a.win.Show(); p.a.show("today") }),
		fyne.NewMenuItem(lang.L("Open Regulars"), func() { p.a.win.Show(); p.a.win.RequestFocus() }),
	))
}

// trayAvailable reports whether the desktop can show a tray: on Linux the
// tray speaks D-Bus, and without a session bus the toolkit's tray crashes
// when the app quits.
func trayAvailable() bool {
	if runtime.GOOS == "linux" || strings.HasSuffix(runtime.GOOS, "bsd") {
		return os.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
	}
	return true
}

// refreshCount recounts after a change, without popping anything. The
// Today screen, once built, recounts with every reload of its queue.
func (p *popups) refreshCount() {
	if _, ok := p.a.screens["today"]; ok {
		return
	}
	day := p.a.Today()
	background(p.a, func(ctx context.Context) (int, error) {
		q, err := p.a.store.TodayQueue(ctx, day)
		return q.Open(), err
	}, func(n int, err error) {
		if err == nil {
			p.setCount(n)
		}
	})
}

// kindPlural names a kind for a group heading: "Thank-yous", "Customer anniversaries".
func kindPlural(k rules.Kind) string {
	p := []rune(kindLabel(k, 2))
	if len(p) == 0 {
		return ""
	}
	return string(unicode.ToUpper(p[0])) + string(p[1:])
}

// kindLabel names a kind for people.
func kindLabel(k rules.Kind, n int) string {
	switch k {
	case rules.KindThankYou:
		return lang.XN("kind.thank_you", "thank-yous", n)
	case rules.KindCheckIn:
		return lang.XN("kind.check_in", "check-in calls", n)
	case rules.KindBirthday:
		return lang.XN("kind.birthday", "birthdays", n)
	case rules.KindAnniversary:
		return lang.XN("kind.anniversary", "customer anniversaries", n)
	case rules.KindOccasion:
		return lang.XN("kind.occasion", "occasions", n)
	case rules.KindPromise:
		return lang.XN("kind.promise", "promises", n)
	case rules.KindComplaintFollowup:
		return lang.XN("kind.complaint_followup", "complaint follow-ups", n)
	case rules.KindStayInTouch:
		return lang.XN("kind.stay_in_touch", "stay-in-touch", n)
	case rules.KindRewardReady:
		return lang.XN("kind.reward_ready", "rewards ready", n)
	case rules.KindPointsExpiring:
		return lang.XN("kind.points_expiring", "points expiring", n)
	}
	return string(k)
}
