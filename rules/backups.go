package rules

import (
	"sort"
	"time"
)

// How many backups rotation keeps: up to 8 of the latest day that has
// any (the morning's, the ones made by hand, the one at close), then the
// newest of each of the latest 7 days, 4 weeks and 12 months that have one.
const (
	keepLatestDay = 8
	keepDaily     = 7
	keepWeekly    = 4
	keepMonthly   = 12
)

// KeepBackups decides what rotation keeps. The newest 8 backups of the
// latest day that has a backup stay, so the morning's is not replaced by
// the one made at close. For each of the last 7 days that have a backup,
// the newest backup of that day stays; likewise for the last 4 ISO weeks
// and the last 12 months. A backup any rule keeps stays. The result is in
// the order of taken, whatever that order is.
func KeepBackups(taken []time.Time) []bool {
	order := make([]int, len(taken))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return taken[order[a]].After(taken[order[b]]) })
	keep := make([]bool, len(taken))
	for n, i := range order {
		if n == keepLatestDay || DayOf(taken[i]) != DayOf(taken[order[0]]) {
			break
		}
		keep[i] = true
	}
	kinds := []struct {
		n      int
		bucket func(time.Time) int
	}{
		{keepDaily, func(t time.Time) int { y, m, d := t.Date(); return y*10000 + int(m)*100 + d }},
		{keepWeekly, func(t time.Time) int { y, w := t.ISOWeek(); return y*100 + w }},
		{keepMonthly, func(t time.Time) int { return t.Year()*100 + int(t.Month()) }},
	}
	for _, r := range kinds {
		last, kept := -1, 0
		for _, i := range order {
			if kept == r.n {
				break
			}
			if b := r.bucket(taken[i]); b != last {
				keep[i] = true
				last = b
				kept++
			}
		}
	}
	return keep
}
