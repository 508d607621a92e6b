package data

import (
	"context"
	"fmt"
	"regulars/rules"
	"strconv"
	"time"
)

// TodayQueue is the Today screen's queue on d: TodayList(d) grouped as
// BuildQueue says, with the facts it needs read alongside (when each open
// complaint came in, the drifting customers' spend over the last year, what
// was done today, the day's share of drifting customers). It writes
// nothing.
func (s *Store) TodayQueue(ctx context.Context, d rules.Day) (rules.Queue, error) {
	open, err := s.TodayList(ctx, d)
	if err != nil {
		return rules.Queue{}, err
	}
	f := rules.QueueFacts{Day: d, Open: open, Received: map[string]time.Time{}}
	if f.Share, err = s.DriftingShare(ctx); err != nil {
		return rules.Queue{}, err
	}
	if f.Done, err = s.doneTodayByGroup(ctx, d); err != nil {
		return rules.Queue{}, err
	}
	var complaints []rules.Reminder
	var drifting []rules.ID
	for _, r := range open {
		switch {
		case r.Kind == rules.KindComplaintFollowup && r.OpenComplaint:
			complaints = append(complaints, r)
		case r.Kind == rules.KindStayInTouch:
			drifting = append(drifting, r.CustomerID)
		}
	}
	if len(complaints) > 0 {
		obl, err := s.Obligations(ctx, complaints)
		if err != nil {
			return rules.Queue{}, err
		}
		for key, o := range obl {
			if o.Complaint != nil {
				f.Received[key] = o.Complaint.ReceivedAt
			}
		}
	}
	if f.Spend, err = s.YearSpend(ctx, d, drifting); err != nil {
		return rules.Queue{}, err
	}
	return rules.BuildQueue(f), nil
}

// doneTodayByGroup counts the reminders done or skipped on d by the queue
// group they were in.
func (s *Store) doneTodayByGroup(ctx context.Context, d rules.Day) (map[rules.QueueGroup]int, error) {
	out := map[rules.QueueGroup]int{}
	rows, err := s.reader().QueryContext(ctx, `SELECT kind, due, count(*) FROM reminder_states
		WHERE changed_on = ? AND state IN ('done', 'skipped') GROUP BY kind, due`, d.String())
	if err != nil {
		return nil, s.explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, due string
		var n int
		if err := rows.Scan(&kind, &due, &n); err != nil {
			return nil, s.explain(err)
		}
		day, err := rules.ParseDay(due)
		if err != nil {
			return nil, fmt.Errorf("a reminder done on %s has a damaged due day %q", d, due)
		}
		out[rules.QueueGroupOf(rules.Kind(kind), day, d)] += n
	}
	return out, s.explain(rows.Err())
}

// maxDriftingShare bounds the daily share: more than a shift could call.
const maxDriftingShare = 500

// DriftingShare is at most how many drifting customers (stay in touch) a
// day's queue holds.
func (s *Store) DriftingShare(ctx context.Context) (int, error) {
	v, err := s.Setting(ctx, "drifting_per_day")
	if err != nil || v == "" {
		return rules.DefaultDriftingShare, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxDriftingShare {
		return rules.DefaultDriftingShare, nil
	}
	return n, nil
}

// SetDriftingShare stores the day's share of drifting customers, 0 to 500.
func (s *Store) SetDriftingShare(ctx context.Context, n int) error {
	if n < 0 || n > maxDriftingShare {
		return fmt.Errorf("the drifting customers a day must be between 0 and %d, not %d", maxDriftingShare, n)
	}
	return s.SetSetting(ctx, "drifting_per_day", strconv.Itoa(n))
}
