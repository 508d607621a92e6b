package data

import (
	"context"
	"fmt"
	"regulars/rules"
	"testing"
)

// tillShop has ten neighbours whose phones differ in the last digit, a
// family sharing a phone, and customers found by email and number.
func tillShop(t *testing.T) (*Store, map[string]rules.ID) {
	t.Helper()
	s := newTestStore(t, "2026-06-02")
	ctx := context.Background()
	ids := map[string]rules.ID{}
	add := func(key string, c rules.Customer) {
		id, err := s.AddCustomer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ids[key] = id
	}
	add("ann", rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Email: "Ann@Example.com"})
	add("annie", rules.Customer{Name: "Annie Hall", Email: "ann@example.com.au"})
	for d := 0; d <= 9; d++ {
		add(fmt.Sprint(d), rules.Customer{Name: fmt.Sprintf("Neighbour %d", d), Phone: fmt.Sprintf("07700 94199%d", d)})
	}
	add("cara", rules.Customer{Name: "Cara Twin", Phone: "0161 496 0000"})
	add("cass", rules.Customer{Name: "Cass Twin", Phone: "0161-496-0000"})
	return s, ids
}

func TestExactMatchesComeFirstAndDecideEnter(t *testing.T) {
	s, ids := tillShop(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		text  string
		exact []string // the exact matches, in order
		pick  string   // whom Enter takes; "" when a list must decide
		more  bool     // other matches follow the exact ones
	}{
		{"a whole phone among its neighbours", "07700 941999", []string{"9"}, "9", false},
		{"the phone written another way", "+0 7700-941-990", []string{"0"}, "0", false},
		{"the phone's digits alone", "07700941993", []string{"3"}, "3", false},
		{"a phone not yet whole", "07700 94199", nil, "", true},
		{"a family's phone", "0161 496 0000", []string{"cara", "cass"}, "", false},
		{"an email, any case, over the emails it starts", "ANN@example.com", []string{"ann"}, "ann", true},
		{"a customer number over the phones that hold it", fmt.Sprint(ids["1"]), []string{"1"}, "1", true},
		{"a number with a leading zero is not a customer number", "0" + fmt.Sprint(ids["1"]), nil, "", false},
		{"the only match by name", "Annie", nil, "annie", true},
		{"several by name", "Ann", nil, "", true},
		{"nobody", "07700 941899", nil, "", false},
	}
	name := map[rules.ID]string{}
	for k, id := range ids {
		name[id] = k
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := s.FindAtTill(ctx, c.text, s.Today(), 8)
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != c.text {
				t.Errorf("the search says it is for %q", r.Text)
			}
			var exact []string
			for _, m := range r.Matches[:r.Exact()] {
				exact = append(exact, name[m.ID])
			}
			if fmt.Sprint(exact) != fmt.Sprint(c.exact) {
				t.Errorf("exact matches %v, want %v", exact, c.exact)
			}
			if more := len(r.Matches) > r.Exact(); more != c.more {
				t.Errorf("other matches after the exact ones: %v, want %v (%d matches)", more, c.more, len(r.Matches))
			}
			m, ok := r.Pick()
			if got := name[m.ID]; ok != (c.pick != "") || got != c.pick {
				t.Errorf("Enter takes %q (%v), want %q", got, ok, c.pick)
			}
		})
	}
}

func TestTillMatchesShowTheLastVisit(t *testing.T) {
	s, ids := tillShop(t)
	ctx := context.Background()
	s.SetToday(mustParseDay("2026-05-20"))
	if _, err := s.RecordSale(ctx, Sale{CustomerID: ids["1"], Amount: 1000}); err != nil {
		t.Fatal(err)
	}
	s.SetToday(mustParseDay("2026-06-01"))
	late, err := s.RecordSale(ctx, Sale{CustomerID: ids["1"], Amount: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidPurchase(ctx, late.Purchase.ID, "Sam", "wrong customer"); err != nil {
		t.Fatal(err)
	}
	s.SetToday(mustParseDay("2026-06-02"))
	r, err := s.FindAtTill(ctx, "07700 94199", s.Today(), 20)
	if err != nil {
		t.Fatal(err)
	}
	visits := map[rules.ID]string{}
	for _, m := range r.Matches {
		visits[m.ID] = m.LastVisit.String()
	}
	if len(visits) != 10 || visits[ids["1"]] != "2026-05-20" || visits[ids["2"]] != "" {
		t.Errorf("last visits %v: neighbour 1 came on 20 May (the void is no visit), the others never", visits)
	}
}
