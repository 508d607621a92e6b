package data

import (
	"context"
	"database/sql"
)

// Activity counts customers by how recently they bought.
type Activity struct {
	Total    int
	Active   int // bought in the last 90 days
	Lapsing  int // last bought 90–180 days ago
	Drifting int // last bought 180–365 days ago
	Lost     int // last bought over a year ago
	Never    int // never bought
}

// CustomerActivity counts customers by their latest purchase as of day.
func (s *Store) CustomerActivity(ctx context.Context, day Day) (Activity, error) {
	var a Activity
	rows, err := s.reader().QueryContext(ctx, `SELECT c.id, (SELECT max(p.day) FROM purchases p
		WHERE p.customer_id = c.id AND p.amount_cents > 0 AND p.voided = 0 AND p.day <= ?) FROM customers c`, day.String())
	if err != nil {
		return a, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id ID
		var last sql.NullString
		if err := rows.Scan(&id, &last); err != nil {
			return a, err
		}
		a.Total++
		d := scanDay(last)
		switch age := day.Sub(d); {
		case d.IsZero():
			a.Never++
		case age < 90:
			a.Active++
		case age < 180:
			a.Lapsing++
		case age < 365:
			a.Drifting++
		default:
			a.Lost++
		}
	}
	return a, rows.Err()
}

// FollowUpRow is how one kind of reminder was handled.
type FollowUpRow struct {
	Kind    Kind
	OnTime  int // done on or before the due day
	Late    int // done after the due day
	Skipped int
	Missed  int // left the list unhandled
	Open    int // still on the list
}

// FollowUp counts how reminders due from the day the database was created
// up to day were handled, per kind. It returns the day counting starts.
func (s *Store) FollowUp(ctx context.Context, day Day) ([]FollowUpRow, Day, error) {
	since, err := s.CreatedOn(ctx)
	if err != nil {
		return nil, 0, err
	}
	all, err := s.AllReminders(ctx, day)
	if err != nil {
		return nil, since, err
	}
	byKind := map[Kind]*FollowUpRow{}
	for _, k := range Kinds {
		byKind[k] = &FollowUpRow{Kind: k}
	}
	for _, r := range all {
		if r.Due < since || r.Due > day {
			continue
		}
		row := byKind[r.Kind]
		if row == nil {
			continue
		}
		switch r.State {
		case StateDone:
			if r.DoneOn <= r.Due {
				row.OnTime++
			} else {
				row.Late++
			}
		case StateSkipped:
			row.Skipped++
		case StateMissed:
			row.Missed++
		default:
			row.Open++
		}
	}
	out := make([]FollowUpRow, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, *byKind[k])
	}
	return out, since, nil
}

// HandledOn lists the reminders done or skipped on day d. Only the customers
// with a state changed that day are worked out, so it stays quick however
// large the shop.
func (s *Store) HandledOn(ctx context.Context, d Day) ([]Reminder, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT customer_id FROM reminder_states
		WHERE changed_on = ? AND state IN ('done', 'skipped') ORDER BY customer_id`, d.String())
	if err != nil {
		return nil, s.explain(err)
	}
	var ids []ID
	for rows.Next() {
		var id ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Reminder
	for _, id := range ids {
		rs, err := s.CustomerReminders(ctx, id, d)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if (r.State == StateDone || r.State == StateSkipped) && r.DoneOn == d {
				out = append(out, r)
			}
		}
	}
	return out, nil
}
