package data

import (
	"context"
	"regulars/rules"
)

// TodayGroupedPage is TodayList(d) from offset on, at most limit
// reminders, with the counts of the whole list, in the Today screen's
// order: its groups one after the other (Groups), each in TodayList's
// order. Only tests and benchmarks call it.
func (s *Store) TodayGroupedPage(ctx context.Context, d rules.Day, offset, limit int) (ReminderPage, error) {
	return s.listPage(ctx, listToday, d, 0, true, offset, limit)
}
