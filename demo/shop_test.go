package demo

import (
	"fmt"
	"regulars/rules"
	"testing"
	"time"
)

func TestDemoThankYous(t *testing.T) {
	d := rules.NewDay(2025, time.March, 1)
	tests := []struct {
		name  string
		sales []SaleFacts
		want  []bool
	}{
		{"first sale thanks", []SaleFacts{{d, 1000, 0}}, []bool{true}},
		{"second within 30 days does not", []SaleFacts{{d, 1000, 0}, {d.AddDays(29), 1000, 0}}, []bool{true, false}},
		{"30 days later thanks again", []SaleFacts{{d, 1000, 0}, {d.AddDays(30), 1000, 0}}, []bool{true, true}},
		{"gap counts from the thanked sale", []SaleFacts{{d, 1000, 0}, {d.AddDays(20), 1000, 0}, {d.AddDays(35), 1000, 0}},
			[]bool{true, false, true}},
		{"fully refunded gets none and starts no gap", []SaleFacts{{d, 1000, 1000}, {d.AddDays(3), 1000, 0}},
			[]bool{false, true}},
		{"part refund still thanks", []SaleFacts{{d, 1000, 400}}, []bool{true}},
		{"same day: only the first", []SaleFacts{{d, 1000, 0}, {d, 500, 0}}, []bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ThankYous(tc.sales, 30)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
