package data

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"regulars/rules"
)

// ExportICS writes the owner's calendar: every customer's birthday and
// occasion, and every promise not yet kept, as all-day events. UIDs are
// stable ("birthday-12@regulars") so a calendar program that subscribes
// updates events instead of duplicating them. Do-not-contact customers are
// included: the calendar is the shop's own.
func (s *Store) ExportICS(ctx context.Context, w io.Writer) error {
	stamp, today := s.Now().UTC(), s.Today()
	var events []rules.CalendarEvent
	addEvent := func(uid, summary string, first rules.Day, yearly bool) {
		events = append(events, rules.CalendarEvent{UID: uid, Summary: summary, First: first, Yearly: yearly})
	}
	err := s.eachRow(ctx, `SELECT id, name, birthday_year, birthday_month, birthday_day FROM customers
		WHERE birthday_month IS NOT NULL AND forgotten = 0 ORDER BY id`, nil, func(r *sql.Rows) error {
		var id rules.ID
		var name string
		var y sql.NullInt64
		var m, d int
		if err := r.Scan(&id, &name, &y, &m, &d); err != nil {
			return err
		}
		if first, ok := rules.FirstOccurrence(int(y.Int64), m, d); ok {
			addEvent(fmt.Sprintf("birthday-%d@regulars", id), "Birthday: "+name, first, true)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.eachRow(ctx, `SELECT o.id, o.label, o.year, o.month, o.day, o.yearly, c.name FROM occasions o
		JOIN customers c ON c.id = o.customer_id WHERE c.forgotten = 0 ORDER BY o.id`, nil, func(r *sql.Rows) error {
		var id rules.ID
		var label, name string
		var y sql.NullInt64
		var m, d, yearly int
		if err := r.Scan(&id, &label, &y, &m, &d, &yearly, &name); err != nil {
			return err
		}
		if first, ok := rules.FirstOccurrence(int(y.Int64), m, d); ok && (yearly != 0 || y.Valid) {
			addEvent(fmt.Sprintf("occasion-%d@regulars", id), label+": "+name, first, yearly != 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.eachRow(ctx, `SELECT p.id, p.what, p.due, c.name FROM promises p JOIN customers c ON c.id = p.customer_id
		WHERE p.made_on <= ? AND (p.kept_on IS NULL OR p.kept_on > ?) ORDER BY p.id`,
		[]any{today.String(), today.String()}, func(r *sql.Rows) error {
			var id rules.ID
			var what, due, name string
			if err := r.Scan(&id, &what, &due, &name); err != nil {
				return err
			}
			d, err := rules.ParseDay(due)
			if err != nil {
				return nil // a damaged date cannot be put on a calendar
			}
			addEvent(fmt.Sprintf("promise-%d@regulars", id), "Promise to "+name+": "+what, d, false)
			return nil
		})
	if err != nil {
		return err
	}
	return rules.WriteCalendar(w, stamp, events)
}
