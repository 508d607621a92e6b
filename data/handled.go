package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regulars/rules"
	"slices"
	"strings"
)

// handledKindOrder ranks kinds as Kinds lists them, in SQL: CASE kind
// WHEN 'first kind' THEN 0 … END.
var handledKindOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE kind")
	for i, k := range rules.Kinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k, i)
	}
	b.WriteString(" END")
	return b.String()
}()

// HandledPage is HandledOn(d) as the Today screen's Done tab shows it:
// grouped by kind in the order of Kinds (Groups), each group by customer
// and latest due first; from offset on, at most limit reminders (all of
// them when limit < 0), with the counts of the whole list. The counts and
// the page's keys come from the reminder states in one statement; only the
// page's customers are computed, so a busy day's thousand reminders cost
// no more than a page of them.
func (s *Store) HandledPage(ctx context.Context, d rules.Day, offset, limit int) (ReminderPage, error) {
	if limit < 0 {
		limit = -1
	}
	p := ReminderPage{Offset: offset, Counts: map[rules.Kind]int{}}
	page, err := s.readHandled(ctx, &p, d, offset, limit)
	if err != nil {
		return p, err
	}
	sortHandled(page)
	for _, k := range rules.Kinds {
		if n := p.Counts[k]; n > 0 {
			p.Groups = append(p.Groups, ReminderGroup{Kind: k, Count: n})
		}
	}
	if len(page) == 0 {
		return p, nil
	}
	p.Rows, err = s.handledReminders(ctx, d, page)
	return p, err
}

// handledRow is a reminder state of the page, as stored.
type handledRow struct {
	text     string
	key      rules.ReminderKey
	customer rules.ID
	state    reminderState
	name     string
}

// readHandled counts the day's handled reminders by kind into p and reads
// the states of the page's rows.
func (s *Store) readHandled(ctx context.Context, p *ReminderPage, d rules.Day, offset, limit int) ([]handledRow, error) {
	// The page is cut from the day's keys alone; only its rows are looked
	// up for their state's details and their customer's name.
	if limit < 0 { // every row
		limit = math.MaxInt32
	}
	rows, err := s.reader().QueryContext(ctx, `WITH h AS (
			SELECT key, kind, customer_id, due FROM reminder_states
			WHERE changed_on = ?1 AND state IN ('done', 'skipped'))
		SELECT 0, kind, count(*), '', 0, '', '', '', '' FROM h GROUP BY kind
		UNION ALL
		SELECT 1, p.kind, 0, p.key, p.customer_id, st.state, st.reason, st.staff, COALESCE(c.name, '') FROM (
			SELECT * FROM h ORDER BY `+handledKindOrder+`, customer_id, due DESC, key DESC LIMIT ?2 OFFSET ?3) p
			JOIN reminder_states st ON st.key = p.key
			LEFT JOIN customers c ON c.id = p.customer_id`,
		d.String(), limit, max(offset, 0))
	if err != nil {
		return nil, s.explain(err)
	}
	var page []handledRow
	err = eachRow(rows, func(r *sql.Rows) error {
		var part, n int
		var customer rules.ID
		var kind, key, state, reason, staff, name string
		if err := r.Scan(&part, &kind, &n, &key, &customer, &state, &reason, &staff, &name); err != nil {
			return err
		}
		if part == 0 {
			p.Counts[rules.Kind(kind)] = n
			p.Total += n
			return nil
		}
		k, err := rules.ParseReminderKey(key)
		if err != nil {
			return err
		}
		page = append(page, handledRow{key, k, customer, reminderState{State: rules.State(state), Reason: reason, Staff: staff, ChangedOn: d}, name})
		return nil
	})
	if err != nil {
		return nil, s.explain(err)
	}
	return page, nil
}

// sortHandled puts the page in the order it was cut in, which the joins
// need not keep.
func sortHandled(page []handledRow) {
	slices.SortFunc(page, func(a, b handledRow) int {
		switch {
		case a.key.Kind != b.key.Kind:
			return slices.Index(rules.Kinds, a.key.Kind) - slices.Index(rules.Kinds, b.key.Kind)
		case a.customer != b.customer:
			return cmpID(a.customer, b.customer)
		case a.key.Due != b.key.Due:
			return int(b.key.Due) - int(a.key.Due)
		}
		return strings.Compare(b.text, a.text)
	})
}

// handledReminders computes the reminders of the page's states, handled on
// d, in the page's order.
func (s *Store) handledReminders(ctx context.Context, d rules.Day, page []handledRow) ([]rules.Reminder, error) {
	// Reminders may be handled ahead of their day: work the customers out
	// as far as the latest of the page's.
	dueBy := d.AddDays(30)
	var ids []rules.ID
	only := map[rules.ID]map[rules.Day]bool{}
	for _, h := range page {
		dueBy = max(dueBy, h.key.Due)
		ids = append(ids, h.customer)
		if only[h.customer] == nil {
			only[h.customer] = map[rules.Day]bool{}
		}
		only[h.customer][h.key.Due] = true
	}
	slices.SortFunc(ids, cmpID)
	ids = slices.Compact(ids)
	// Only the page's reminders are computed: those of its customers due
	// on the days of its keys.
	worked, err := s.historyOnly(ctx, d, dueBy, ids, only, compareByDue, func(r *rules.Reminder) bool {
		return (r.State == rules.StateDone || r.State == rules.StateSkipped) && r.DoneOn == d
	})
	if err != nil {
		return nil, err
	}
	return handledRowsAsReminders(page, worked, d), nil
}

// handledRowsAsReminders gives each of the page's states its worked-out
// reminder, or the reminder its state tells of when the rules no longer
// make it.
func handledRowsAsReminders(page []handledRow, worked []rules.Reminder, d rules.Day) []rules.Reminder {
	byKey := make(map[string]*rules.Reminder, len(worked))
	for i := range worked {
		byKey[worked[i].Key] = &worked[i]
	}
	var out []rules.Reminder
	for _, h := range page {
		// States moved by a merge keep the key of the customer merged away;
		// the reminder they apply to carries the key of the one kept.
		own := h.key
		own.CustomerID = h.customer
		if r := byKey[own.String()]; r != nil {
			out = append(out, *r)
			delete(byKey, own.String())
			continue
		}
		// A key the rules cannot make again: it was still done that day,
		// so it is listed as its state tells it.
		out = append(out, rules.Reminder{Key: h.text, Kind: h.key.Kind, CustomerID: h.customer,
			CustomerName: h.name, Subject: h.key.Subject, Due: h.key.Due, ShownFrom: h.key.Due,
			State: h.state.State, DoneOn: d, Staff: h.state.Staff, Reason: h.state.Reason})
	}
	return out
}
