package rules

import (
	"sort"
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

func TestKeepBackups(t *testing.T) {
	// Every day at 09:00 and 18:00 from 1 Jan to 15 Jun 2026.
	var everyDay []time.Time
	for d := at("2026-01-01 09:00"); !d.After(at("2026-06-15 18:00")); d = d.Add(12 * time.Hour) {
		everyDay = append(everyDay, d)
		everyDay = append(everyDay, d.Add(9*time.Hour))
		d = d.Add(12 * time.Hour)
	}
	cases := []struct {
		name  string
		taken []time.Time
		want  []string // kept, newest first
	}{
		{"nothing", nil, nil},
		{"one", []time.Time{at("2026-06-15 09:00")}, []string{"2026-06-15 09:00"}},
		{"two the same day: both", []time.Time{at("2026-06-15 09:00"), at("2026-06-15 18:00")},
			[]string{"2026-06-15 18:00", "2026-06-15 09:00"}},
		{"the latest day keeps 8, earlier days their newest",
			[]time.Time{at("2026-06-14 09:00"), at("2026-06-14 18:00"),
				at("2026-06-15 09:00"), at("2026-06-15 10:00"), at("2026-06-15 11:00"), at("2026-06-15 12:00"), at("2026-06-15 13:00"),
				at("2026-06-15 14:00"), at("2026-06-15 15:00"), at("2026-06-15 16:00"), at("2026-06-15 17:00"), at("2026-06-15 18:00")},
			[]string{"2026-06-15 18:00", "2026-06-15 17:00", "2026-06-15 16:00", "2026-06-15 15:00", "2026-06-15 14:00",
				"2026-06-15 13:00", "2026-06-15 12:00", "2026-06-15 11:00", "2026-06-14 18:00"}},
		{"shut on Sundays: the last 7 days with a backup",
			[]time.Time{at("2026-06-15 09:00"), at("2026-06-13 09:00"), at("2026-06-12 09:00"), at("2026-06-11 09:00"),
				at("2026-06-10 09:00"), at("2026-06-09 09:00"), at("2026-06-08 09:00"), at("2026-06-06 09:00")},
			// 6 June is the 8th day but the newest of its ISO week 23.
			[]string{"2026-06-15 09:00", "2026-06-13 09:00", "2026-06-12 09:00", "2026-06-11 09:00",
				"2026-06-10 09:00", "2026-06-09 09:00", "2026-06-08 09:00", "2026-06-06 09:00"}},
		{"every day for five months: 7 days, 4 weeks, 12 months", everyDay,
			[]string{
				"2026-06-15 18:00", "2026-06-15 09:00", "2026-06-14 18:00", "2026-06-13 18:00", "2026-06-12 18:00", "2026-06-11 18:00",
				"2026-06-10 18:00", "2026-06-09 18:00", // 7 days
				"2026-06-07 18:00", "2026-05-31 18:00", // weeks 23 and 22 (week 25 and 24 are kept as days)
				"2026-04-30 18:00", "2026-03-31 18:00", "2026-02-28 18:00", "2026-01-31 18:00", // months
			}},
		{"monthly only for two years: the last 12 months",
			func() []time.Time {
				var ts []time.Time
				for m := 0; m < 24; m++ {
					ts = append(ts, at("2024-07-01 09:00").AddDate(0, m, 0))
				}
				return ts
			}(),
			[]string{"2026-06-01 09:00", "2026-05-01 09:00", "2026-04-01 09:00", "2026-03-01 09:00", "2026-02-01 09:00",
				"2026-01-01 09:00", "2025-12-01 09:00", "2025-11-01 09:00", "2025-10-01 09:00", "2025-09-01 09:00",
				"2025-08-01 09:00", "2025-07-01 09:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Hand them over oldest first: the order must not matter.
			in := append([]time.Time{}, c.taken...)
			sort.Slice(in, func(i, j int) bool { return in[i].Before(in[j]) })
			keep := KeepBackups(in)
			var got []string
			for i := len(in) - 1; i >= 0; i-- {
				if keep[i] {
					got = append(got, in[i].Format("2006-01-02 15:04"))
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("kept\n %v\nwant\n %v", got, c.want)
			}
		})
	}
}
