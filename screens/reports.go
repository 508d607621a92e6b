package screens

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// reportsScreen shows whether the follow-up is working.
type reportsScreen struct {
	a      *App
	people *widget.Label
	follow *widget.Table
	rows   []data.FollowUpRow
	note   *widget.Label
	obj    fyne.CanvasObject
}

func newReports(a *App) screen {
	r := &reportsScreen{a: a}
	r.people = widget.NewLabel("")
	r.people.Wrapping = fyne.TextWrapWord
	r.note = widget.NewLabel("")
	r.note.Importance = widget.LowImportance
	r.note.Wrapping = fyne.TextWrapWord
	cols := []string{"Reminder", "Done on time", "Done late", "Skipped", "Missed", "Share on time"}
	r.follow = widget.NewTableWithHeaders(
		func() (int, int) { return len(r.rows), len(cols) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= len(r.rows) {
				return
			}
			row := r.rows[id.Row]
			l := o.(*widget.Label)
			switch id.Col {
			case 0:
				l.SetText(kindTitle(row.Kind))
			case 1:
				l.SetText(fmt.Sprint(row.OnTime))
			case 2:
				l.SetText(fmt.Sprint(row.Late))
			case 3:
				l.SetText(fmt.Sprint(row.Skipped))
			case 4:
				l.SetText(fmt.Sprint(row.Missed))
			case 5:
				if t := row.OnTime + row.Late + row.Skipped + row.Missed; t > 0 {
					l.SetText(fmt.Sprintf("%d%%", row.OnTime*100/t))
				} else {
					l.SetText("—")
				}
			}
		})
	r.follow.ShowHeaderColumn = false
	r.follow.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	r.follow.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(cols[id.Col])
		}
	}
	for i, w := range []float32{200, 120, 100, 90, 90, 120} {
		r.follow.SetColumnWidth(i, w)
	}
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	r.obj = container.NewBorder(container.NewVBox(bold("Customers"), r.people, bold("Follow-up")), r.note, nil, nil, r.follow)
	return r
}

func (r *reportsScreen) content() fyne.CanvasObject { return container.NewPadded(r.obj) }

func (r *reportsScreen) focus() {}

func (r *reportsScreen) reload() {
	day := r.a.Today()
	type reportData struct {
		act    data.Activity
		follow []data.FollowUpRow
		since  data.Day
	}
	background(r.a, func(ctx context.Context) (reportData, error) {
		var d reportData
		var err error
		if d.act, err = r.a.store.CustomerActivity(ctx, day); err != nil {
			return d, err
		}
		d.follow, d.since, err = r.a.store.FollowUp(ctx, day)
		return d, err
	}, func(d reportData, err error) {
		if err != nil {
			r.a.showError(err)
			return
		}
		a := d.act
		r.people.SetText(fmt.Sprintf("%d customers: %d active (bought in the last 90 days), %d lapsing (90–180 days), %d drifting (180–365 days), %d lost (over a year), %d never bought.",
			a.Total, a.Active, a.Lapsing, a.Drifting, a.Lost, a.Never))
		r.rows = d.follow
		r.follow.Refresh()
		var missed []string
		for _, row := range d.follow {
			if row.Missed > 0 {
				missed = append(missed, fmt.Sprintf("%d %s", row.Missed, strings.ToLower(kindTitle(row.Kind))))
			}
		}
		note := fmt.Sprintf("Counted from %s, the day this database was created, so imported history does not drown the figures.", longDate(d.since))
		if len(missed) > 0 {
			note += " Missed: " + strings.Join(missed, ", ") + "."
		}
		r.note.SetText(note)
	})
}
