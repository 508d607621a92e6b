package rules

import (
	"reflect"
	"testing"
	"time"
)

func TestFifoLots(t *testing.T) {
	d := NewDay(2024, time.January, 31)
	row := func(id ID, day Day, pts int64) LedgerRow {
		return LedgerRow{ID: id, Day: day, Points: pts}
	}
	cases := []struct {
		name   string
		rows   []LedgerRow
		months int
		want   []PointsLot
	}{
		{"nothing", nil, 12, nil},
		{"spending takes the oldest first",
			[]LedgerRow{row(1, d, 100), row(2, d.AddDays(1), 50), row(3, d.AddDays(2), -120)}, 12,
			[]PointsLot{{Row: 2, Earned: d.AddDays(1), Expires: NewDay(2025, time.February, 1), Points: 50, Left: 30}}},
		{"rows are taken by day then id, whatever order they come in",
			[]LedgerRow{row(3, d.AddDays(2), -120), row(2, d.AddDays(1), 50), row(1, d, 100)}, 1,
			[]PointsLot{{Row: 2, Earned: d.AddDays(1), Expires: NewDay(2024, time.March, 1), Points: 50, Left: 30}}},
		{"expiry clamps to the month's end", []LedgerRow{row(1, d, 7)}, 1,
			[]PointsLot{{Row: 1, Earned: d, Expires: NewDay(2024, time.February, 29), Points: 7, Left: 7}}},
		{"no expiry", []LedgerRow{row(1, d, 7), row(2, d, -7), row(3, d, 4)}, 0,
			[]PointsLot{{Row: 3, Earned: d, Points: 4, Left: 4}}},
		{"overspending leaves nothing", []LedgerRow{row(1, d, 7), row(2, d, -9)}, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fifoLots(tc.rows, tc.months); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// fifoLots is the lots of rows with points left.
func fifoLots(rows []LedgerRow, months int) []PointsLot {
	var out []PointsLot
	for _, l := range PointsLots(rows, months) {
		if l.Left > 0 {
			out = append(out, l)
		}
	}
	return out
}

func TestReversalDue(t *testing.T) {
	cases := []struct {
		name     string
		earned   int64
		paid     Cents
		refunded Cents
		before   int64
		want     int64
	}{
		{"full refund", 100, 10000, 10000, 0, 100},
		{"a third rounds down", 10, 1000, 333, 0, 3},
		{"two thirds less the first third", 10, 1000, 666, 3, 3},
		{"the rest", 10, 1000, 1000, 6, 4},
		{"refunded more than paid takes all", 15, 1500, 2000, 0, 15},
		{"nothing earned", 0, 1000, 1000, 0, 0},
		{"nothing paid", 10, 0, 500, 0, 0},
		{"already taken", 10, 1000, 500, 7, 0},
		{"large numbers do not overflow", 999_999_999, 99_999_999_999, 99_999_999_998, 0, 999_999_998},
	}
	for _, tc := range cases {
		if got := ReversalDue(tc.earned, tc.paid, tc.refunded, tc.before); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestSpendable(t *testing.T) {
	d := NewDay(2024, time.May, 1)
	rows := []LedgerRow{{ID: 1, Day: d, Points: 100}, {ID: 2, Day: d.AddDays(2), Points: -70}, {ID: 3, Day: d.AddDays(3), Points: 20}}
	cases := []struct {
		day  Day
		want int64
	}{
		{d.AddDays(-1), 0},
		{d, 30},
		{d.AddDays(1), 30},
		{d.AddDays(2), 30},
		{d.AddDays(3), 50},
	}
	for _, tc := range cases {
		if got := Spendable(rows, tc.day); got != tc.want {
			t.Errorf("on %s: %d, want %d", tc.day, got, tc.want)
		}
	}
}
