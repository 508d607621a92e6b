package data

import (
	"context"
	"regulars/rules"
	"testing"
	"time"
)

func TestShopDetailsRoundTripAndRefusals(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	got, err := s.Shop(ctx)
	if err != nil || got.Name != "our shop" || got.Address != "" || got.Currency != "" {
		t.Fatalf("fresh shop = %+v, %v", got, err)
	}
	want := rules.ShopDetails{Name: "Café Noë", Address: "1 Harbour Lane\nPortree", Currency: "£"}
	if err := s.SetShop(ctx, rules.ShopDetails{Name: "  Café Noë ", Address: want.Address + "\n", Currency: " £ "}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Shop(ctx); got != want {
		t.Errorf("shop = %+v, want %+v", got, want)
	}
	for _, bad := range []rules.ShopDetails{
		{Name: "", Currency: "£"},
		{Name: "Shop", Currency: "12"},
		{Name: "Shop", Currency: "EUR €"},
		{Name: "Shop", Currency: "-"},
	} {
		if err := s.SetShop(ctx, bad); err == nil {
			t.Errorf("SetShop(%+v) accepted", bad)
		}
	}
	if got, _ := s.Shop(ctx); got != want {
		t.Errorf("a refused change altered the shop: %+v", got)
	}
}

func TestPopupEveryStaysWithinFifteenMinutes(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	if got, _ := s.PopupEvery(ctx); got != 15*time.Minute {
		t.Errorf("default = %v", got)
	}
	if err := s.SetPopupEvery(ctx, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PopupEvery(ctx); got != 5*time.Minute {
		t.Errorf("after setting 5 min = %v", got)
	}
	for _, bad := range []time.Duration{0, 30 * time.Second, 16 * time.Minute, 90 * time.Second} {
		if err := s.SetPopupEvery(ctx, bad); err == nil {
			t.Errorf("SetPopupEvery(%v) accepted", bad)
		}
	}
	// A value put there by hand out of range falls back to the promise of 15 minutes.
	s.SetSetting(ctx, "popup_minutes", "600")
	if got, _ := s.PopupEvery(ctx); got != 15*time.Minute {
		t.Errorf("out-of-range stored value read as %v", got)
	}
}

func TestTodayCountWithFollowsTheRulesGiven(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee", Birthday: rules.YearlyDate{Month: 6, Day: 3}})
	bob := rmAddCustomer(t, s, rules.Customer{Name: "Bob Roy"})
	if _, err := s.RecordSale(ctx, Sale{CustomerID: ann, Amount: 8000}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPromise(ctx, rules.Promise{CustomerID: bob, What: "order mats", Due: rmDay("2026-06-02"), Staff: "Sam"}); err != nil {
		t.Fatal(err)
	}
	s.SetToday(rmDay("2026-06-02"))
	today, err := s.TodayList(ctx, s.Today())
	if err != nil {
		t.Fatal(err)
	}
	if len(today) != 3 { // thank-you, birthday (shown from 27 May), promise
		t.Fatalf("Today = %d reminders: %+v", len(today), today)
	}
	stored, _ := s.Rules(ctx)
	cases := []struct {
		name string
		edit func(rules.Rules)
		want int
	}{
		{"stored rules agree with Today", func(rules.Rules) {}, len(today)},
		{"birthdays off", func(r rules.Rules) { x := r[rules.KindBirthday]; x.On = false; r[rules.KindBirthday] = x }, 2},
		{"thank-you two days after", func(r rules.Rules) { x := r[rules.KindThankYou]; x.AfterDays = 2; r[rules.KindThankYou] = x }, 2},
		{"birthdays shown only on the day", func(r rules.Rules) { x := r[rules.KindBirthday]; x.BeforeDays = 0; r[rules.KindBirthday] = x }, 2},
		{"everything off", func(r rules.Rules) {
			for k, x := range r {
				x.On = false
				r[k] = x
			}
		}, 0},
	}
	for _, c := range cases {
		r := rules.Rules{}
		for k, x := range stored {
			r[k] = x
		}
		c.edit(r)
		got, err := s.TodayCountWith(ctx, s.Today(), r)
		if err != nil || got != c.want {
			t.Errorf("%s: count = %d, %v; want %d", c.name, got, err, c.want)
		}
	}
	bad := rules.Rules{rules.KindThankYou: {On: true, AfterDays: -1}}
	if _, err := s.TodayCountWith(ctx, s.Today(), bad); err == nil {
		t.Error("negative numbers were accepted")
	}
	if now, _ := s.Rules(ctx); now[rules.KindBirthday] != stored[rules.KindBirthday] {
		t.Error("the preview changed the stored rules")
	}
}

func TestObligationsNameThePromiseAndComplaint(t *testing.T) {
	s := rmStore(t, "2026-06-01")
	ctx := context.Background()
	ann := rmAddCustomer(t, s, rules.Customer{Name: "Ann Lee"})
	pr, err := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "order mats", Due: rmDay("2026-06-01"), Staff: "Sam"})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := s.AddPromise(ctx, rules.Promise{CustomerID: ann, What: "fit bumper", Due: rmDay("2026-05-30"), Staff: "Priya", MadeOn: rmDay("2026-05-20"), KeptOn: rmDay("2026-05-29")})
	co, err := s.AddComplaint(ctx, rules.Complaint{CustomerID: ann, What: "zip broke", ReceivedAt: time.Date(2026, 5, 31, 16, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.TodayList(ctx, s.Today())
	if err != nil {
		t.Fatal(err)
	}
	ob, err := s.Obligations(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[rules.Kind]bool{}
	for _, r := range rs {
		o := ob[r.Key]
		seen[r.Kind] = true
		switch r.Kind {
		case rules.KindPromise:
			if o.Promise == nil || o.Promise.ID != pr || o.Promise.Staff != "Sam" {
				t.Errorf("promise reminder: %+v", o)
			}
		case rules.KindCheckIn:
			if o.Promise == nil || o.Promise.ID != kept {
				t.Errorf("check-in after a kept promise: %+v", o)
			}
		case rules.KindComplaintFollowup:
			if o.Complaint == nil || o.Complaint.ID != co || o.Complaint.ReceivedAt.Hour() != 16 {
				t.Errorf("complaint follow-up: %+v", o)
			}
		default:
			if o.Promise != nil || o.Complaint != nil {
				t.Errorf("%s has an obligation: %+v", r.Kind, o)
			}
		}
	}
	if !seen[rules.KindPromise] || !seen[rules.KindCheckIn] || !seen[rules.KindComplaintFollowup] {
		t.Errorf("Today should hold a promise, a check-in and a complaint follow-up: %+v", rs)
	}
}
