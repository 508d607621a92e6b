package data

import (
	"fmt"
	"regulars/rules"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func rmDay(s string) rules.Day {
	d, err := rules.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// rmRules are the default rules with only the kinds named switched on.
func rmRules(kinds ...rules.Kind) rules.Rules {
	r := rules.DefaultRules()
	for k, x := range r {
		x.On = slices.Contains(kinds, k)
		r[k] = x
	}
	return r
}

func rmCustomer() rules.Customer {
	return rules.Customer{ID: 7, Name: "Ann Lee", AddedOn: rmDay("2020-01-01")}
}

// rmOnToday is Today for one customer, computed the way the store does.
func rmOnToday(f customerFacts, ruleSet rules.Rules, l rules.Loyalty, states map[string]reminderState, d rules.Day) []rules.Reminder {
	var out []rules.Reminder
	for _, r := range candidates(f, ruleSet, l, d) {
		st, has := states[r.Key]
		applyState(&r, st, has, d)
		if onToday(&r, d) {
			out = append(out, r)
		}
	}
	return out
}

// rmAsOf is every candidate with its state applied for d.
func rmAsOf(f customerFacts, rules rules.Rules, l rules.Loyalty, states map[string]reminderState, d rules.Day) []rules.Reminder {
	rs := candidates(f, rules, l, d)
	for i := range rs {
		st, has := states[rs[i].Key]
		applyState(&rs[i], st, has, d)
	}
	return rs
}

func rmKeys(rs []rules.Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key)
	}
	sort.Strings(out)
	return out
}

func rmSale(id rules.ID, day string, cents rules.Cents) factPurchase {
	return factPurchase{ID: id, Day: rmDay(day), Amount: cents}
}

func rmRefund(id, of rules.ID, day string, cents rules.Cents) factPurchase {
	return factPurchase{ID: id, Day: rmDay(day), Amount: -cents, RefundOf: of}
}

// TestRules pins down each rule's edges: for each case, the keys on Today
// on each date given.
func TestRules(t *testing.T) {
	base := rmCustomer()
	dnc := base
	dnc.DoNotContact = true
	dnc.Birthday = rules.YearlyDate{Month: 6, Day: 12}
	dnc.CustomerSince = rmDay("2020-06-12")
	leap := base
	leap.Birthday = rules.YearlyDate{Year: 1992, Month: 2, Day: 29}
	noYear := base
	noYear.Birthday = rules.YearlyDate{Month: 6, Day: 12}
	jan2 := base
	jan2.Birthday = rules.YearlyDate{Month: 1, Day: 2}
	dec30 := base
	dec30.Birthday = rules.YearlyDate{Year: 1970, Month: 12, Day: 30}
	since := base
	since.CustomerSince = rmDay("2025-01-10")
	added := base
	added.AddedOn = rmDay("2025-02-01")
	annivLeap := base
	annivLeap.CustomerSince = rmDay("2024-02-29")
	annivLeap.AddedOn = rmDay("2024-02-29")

	custom := func(f func(r rules.Rules)) rules.Rules {
		r := rmRules(rules.KindThankYou, rules.KindCheckIn)
		f(r)
		return r
	}

	type want map[string][]string // date -> keys on Today
	cases := []struct {
		name  string
		facts customerFacts
		rules rules.Rules
		loyal rules.Loyalty
		want  want
	}{
		{
			name:  "thank_you is due the day after, still shown 14 days after due, gone the day after",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-05-31", 2000)}},
			rules: rmRules(rules.KindThankYou),
			want: want{
				"2026-05-31": nil,
				"2026-06-01": {"thank_you:7:purchase:1:2026-06-01"},
				"2026-06-15": {"thank_you:7:purchase:1:2026-06-01"},
				"2026-06-16": nil,
			},
		},
		{
			name:  "a purchase on 31 Dec is thanked on 1 Jan of the next year",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2025-12-31", 2000)}},
			rules: rmRules(rules.KindThankYou),
			want:  want{"2026-01-01": {"thank_you:7:purchase:1:2026-01-01"}},
		},
		{
			name: "a purchase 29 days after a thanked one gets no thank_you",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 2000), rmSale(2, "2026-01-30", 2000)}},
			rules: rmRules(rules.KindThankYou),
			want:  want{"2026-01-31": nil, "2026-01-02": {"thank_you:7:purchase:1:2026-01-02"}},
		},
		{
			name: "a purchase 30 days after a thanked one gets one",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 2000), rmSale(2, "2026-01-31", 2000)}},
			rules: rmRules(rules.KindThankYou),
			want:  want{"2026-02-01": {"thank_you:7:purchase:2:2026-02-01"}},
		},
		{
			name: "the gap counts from the purchase that produced a thank_you",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 2000), rmSale(2, "2026-01-20", 2000), rmSale(3, "2026-01-31", 2000)}},
			rules: rmRules(rules.KindThankYou),
			want:  want{"2026-01-21": nil, "2026-02-01": {"thank_you:7:purchase:3:2026-02-01"}},
		},
		{
			name: "a fully refunded purchase gets no thank_you or check_in and does not block the gap",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 10000), rmRefund(2, 1, "2026-01-01", 10000), rmSale(3, "2026-01-10", 6000)}},
			rules: rmRules(rules.KindThankYou, rules.KindCheckIn),
			want: want{
				"2026-01-02": nil,
				"2026-01-08": nil,
				"2026-01-11": {"thank_you:7:purchase:3:2026-01-11"},
				"2026-01-17": {"check_in:7:purchase:3:2026-01-17", "thank_you:7:purchase:3:2026-01-11"},
			},
		},
		{
			name: "a refund dated after the day looked at does not count yet",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 10000), rmRefund(2, 1, "2026-01-05", 10000)}},
			rules: rmRules(rules.KindThankYou),
			want:  want{"2026-01-02": {"thank_you:7:purchase:1:2026-01-02"}, "2026-01-05": nil},
		},
		{
			name: "a partial refund that takes the purchase below 50.00 cancels the check_in",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{
				rmSale(1, "2026-01-01", 6000), rmRefund(2, 1, "2026-01-03", 1001)}},
			rules: rmRules(rules.KindThankYou, rules.KindCheckIn),
			want:  want{"2026-01-08": {"thank_you:7:purchase:1:2026-01-02"}},
		},
		{
			name:  "a check_in is due 7 days after a purchase of exactly 50.00 and stays 21 days",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 5000)}},
			rules: rmRules(rules.KindCheckIn),
			want: want{
				"2026-01-07": nil,
				"2026-01-08": {"check_in:7:purchase:1:2026-01-08"},
				"2026-01-29": {"check_in:7:purchase:1:2026-01-08"},
				"2026-01-30": nil,
			},
		},
		{
			name:  "a purchase of 49.99 gets no check_in",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 4999)}},
			rules: rmRules(rules.KindCheckIn),
			want:  want{"2026-01-08": nil},
		},
		{
			name:  "a 29 Feb birthday is due on 28 Feb in 2026 and on 29 Feb in 2028",
			facts: customerFacts{Customer: leap},
			rules: rmRules(rules.KindBirthday),
			want: want{
				"2026-02-21": {"birthday:7:birthday:2026-02-28"},
				"2026-03-07": {"birthday:7:birthday:2026-02-28"},
				"2026-03-08": nil,
				"2028-02-29": {"birthday:7:birthday:2028-02-29"},
			},
		},
		{
			name:  "a birthday without a year works the same",
			facts: customerFacts{Customer: noYear},
			rules: rmRules(rules.KindBirthday),
			want: want{
				"2026-06-04": nil,
				"2026-06-05": {"birthday:7:birthday:2026-06-12"},
				"2026-06-19": {"birthday:7:birthday:2026-06-12"},
				"2026-06-20": nil,
			},
		},
		{
			name:  "a 2 Jan birthday shows on 28 Dec of the year before",
			facts: customerFacts{Customer: jan2},
			rules: rmRules(rules.KindBirthday),
			want:  want{"2025-12-26": {"birthday:7:birthday:2026-01-02"}, "2025-12-25": nil},
		},
		{
			name:  "a 30 Dec birthday still shows on 3 Jan",
			facts: customerFacts{Customer: dec30},
			rules: rmRules(rules.KindBirthday),
			want:  want{"2026-01-03": {"birthday:7:birthday:2025-12-30"}, "2026-01-06": {"birthday:7:birthday:2025-12-30"}, "2026-01-07": nil},
		},
		{
			name:  "an anniversary on 29 Feb falls on 28 Feb, from the first full year",
			facts: customerFacts{Customer: annivLeap},
			rules: rmRules(rules.KindAnniversary),
			want: want{
				"2024-02-29": nil,
				"2025-02-28": {"anniversary:7:anniversary:2025-02-28"},
				"2028-02-22": {"anniversary:7:anniversary:2028-02-29"},
			},
		},
		{
			name:  "a customer who never bought is due a stay_in_touch 90 days after customer_since",
			facts: customerFacts{Customer: since},
			rules: rmRules(rules.KindStayInTouch),
			want:  want{"2025-04-09": nil, "2025-04-10": {"stay_in_touch:7:touch:2025-04-10"}, "2026-01-01": {"stay_in_touch:7:touch:2025-04-10"}},
		},
		{
			name:  "without customer_since, stay_in_touch counts from the day the customer was added",
			facts: customerFacts{Customer: added},
			rules: rmRules(rules.KindStayInTouch),
			want:  want{"2025-05-02": {"stay_in_touch:7:touch:2025-05-02"}},
		},
		{
			name: "a contact resets stay_in_touch",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 2000)},
				ContactDays: []rules.Day{rmDay("2026-03-01")}},
			rules: rmRules(rules.KindStayInTouch),
			want: want{
				"2026-02-28": nil,
				"2026-04-01": nil,
				"2026-05-30": {"stay_in_touch:7:touch:2026-05-30"},
			},
		},
		{
			name: "a contact after the day looked at does not count yet",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 2000)},
				ContactDays: []rules.Day{rmDay("2026-04-02")}},
			rules: rmRules(rules.KindStayInTouch),
			want:  want{"2026-04-01": {"stay_in_touch:7:touch:2026-04-01"}, "2026-04-02": nil},
		},
		{
			name: "do not contact keeps only promises and complaint follow-ups",
			facts: customerFacts{Customer: dnc,
				Purchases:  []factPurchase{rmSale(1, "2026-06-05", 9000)},
				Occasions:  []rules.Occasion{{ID: 3, CustomerID: 7, Label: "Wedding", Date: rules.YearlyDate{Month: 6, Day: 14}, Yearly: true, LeadDays: 7}},
				Promises:   []rules.Promise{{ID: 4, CustomerID: 7, What: "order mats", Due: rmDay("2026-06-12"), MadeOn: rmDay("2026-06-01")}},
				Complaints: []rules.Complaint{{ID: 5, CustomerID: 7, What: "zip", Received: rmDay("2026-06-10")}},
				Ledger:     []factLedger{{ID: 1, Day: rmDay("2026-06-05"), Points: 150}},
			},
			rules: rules.DefaultRules(),
			loyal: rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 1},
			want: want{"2026-06-12": {
				"complaint_followup:7:complaint:5:open:2026-06-11",
				"promise:7:promise:4:2026-06-12",
			}},
		},
		{
			name: "a promise shows one day before; once kept, a check_in follows 3 days later",
			facts: customerFacts{Customer: base, Promises: []rules.Promise{
				{ID: 4, CustomerID: 7, What: "order mats", Due: rmDay("2026-06-10"), MadeOn: rmDay("2026-06-01"), KeptOn: rmDay("2026-06-12")}}},
			rules: rmRules(rules.KindPromise, rules.KindCheckIn),
			want: want{
				"2026-06-08": nil,
				"2026-06-09": {"promise:7:promise:4:2026-06-10"},
				"2026-06-11": {"promise:7:promise:4:2026-06-10"},
				"2026-06-12": nil,
				"2026-06-15": {"check_in:7:promise:4:2026-06-15"},
			},
		},
		{
			name: "a promise made after the day looked at is not there yet",
			facts: customerFacts{Customer: base, Promises: []rules.Promise{
				{ID: 4, CustomerID: 7, What: "order mats", Due: rmDay("2026-06-10"), MadeOn: rmDay("2026-06-10")}}},
			rules: rmRules(rules.KindPromise),
			want:  want{"2026-06-09": nil, "2026-06-10": {"promise:7:promise:4:2026-06-10"}},
		},
		{
			name: "a complaint is followed up the day after while open, 3 days after it is resolved",
			facts: customerFacts{Customer: base, Complaints: []rules.Complaint{
				{ID: 5, CustomerID: 7, What: "zip", Received: rmDay("2026-06-01"), ResolvedOn: rmDay("2026-06-05")}}},
			rules: rmRules(rules.KindComplaintFollowup),
			want: want{
				"2026-06-01": nil,
				"2026-06-02": {"complaint_followup:7:complaint:5:open:2026-06-02"},
				"2026-06-04": {"complaint_followup:7:complaint:5:open:2026-06-02"},
				"2026-06-05": nil,
				"2026-06-08": {"complaint_followup:7:complaint:5:resolved:2026-06-08"},
				"2026-09-01": {"complaint_followup:7:complaint:5:resolved:2026-06-08"},
			},
		},
		{
			name: "reward_ready falls due the day the balance reaches the reward and goes when redeemed",
			facts: customerFacts{Customer: base, Ledger: []factLedger{
				{ID: 1, Day: rmDay("2026-06-01"), Points: 60},
				{ID: 2, Day: rmDay("2026-06-03"), Points: 50},
				{ID: 3, Day: rmDay("2026-06-05"), Points: -100, Redeem: true},
				{ID: 4, Day: rmDay("2026-06-07"), Points: 95},
			}},
			rules: rmRules(rules.KindRewardReady),
			loyal: rules.DefaultLoyalty(),
			want: want{
				"2026-06-02": nil,
				"2026-06-03": {"reward_ready:7:reward:2026-06-03"},
				"2026-06-04": {"reward_ready:7:reward:2026-06-03"},
				"2026-06-05": nil,
				"2026-06-07": {"reward_ready:7:reward:2026-06-07"},
			},
		},
		{
			name: "reward_ready goes when the balance drops below the reward without a redeem",
			facts: customerFacts{Customer: base, Ledger: []factLedger{
				{ID: 1, Day: rmDay("2026-06-01"), Points: 120},
				{ID: 2, Day: rmDay("2026-06-03"), Points: -30},
			}},
			rules: rmRules(rules.KindRewardReady),
			loyal: rules.DefaultLoyalty(),
			want:  want{"2026-06-02": {"reward_ready:7:reward:2026-06-01"}, "2026-06-03": nil},
		},
		{
			name: "points_expiring spends oldest points first and warns 30 days before the rest expire",
			facts: customerFacts{Customer: base, Ledger: []factLedger{
				{ID: 1, Day: rmDay("2025-01-10"), Points: 100},
				{ID: 2, Day: rmDay("2025-03-05"), Points: 50},
				{ID: 3, Day: rmDay("2025-06-01"), Points: -120, Redeem: true},
			}},
			rules: rmRules(rules.KindPointsExpiring),
			loyal: rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 12},
			want: want{
				"2025-12-11": nil, // the January lot was spent
				"2026-02-02": nil,
				"2026-02-03": {"points_expiring:7:expiry:2026-03-05:2026-02-03"},
				"2026-03-04": {"points_expiring:7:expiry:2026-03-05:2026-02-03"},
				"2026-03-05": nil,
			},
		},
		{
			name: "lots expiring the same day make one reminder",
			facts: customerFacts{Customer: base, Ledger: []factLedger{
				{ID: 1, Day: rmDay("2025-01-30"), Points: 10},
				{ID: 2, Day: rmDay("2025-01-31"), Points: 20},
			}},
			rules: rmRules(rules.KindPointsExpiring),
			loyal: rules.Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500, ExpiryMonths: 1},
			want:  want{"2025-02-27": {"points_expiring:7:expiry:2025-02-28:2025-01-29"}},
		},
		{
			name:  "without expiry there is no points_expiring",
			facts: customerFacts{Customer: base, Ledger: []factLedger{{ID: 1, Day: rmDay("2025-01-10"), Points: 100}}},
			rules: rmRules(rules.KindPointsExpiring),
			loyal: rules.DefaultLoyalty(),
			want:  want{"2025-12-20": nil, "2026-01-09": nil},
		},
		{
			name:  "a rule switched off yields nothing",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 9000)}},
			rules: rmRules(rules.KindCheckIn),
			want:  want{"2026-01-02": nil, "2026-01-08": {"check_in:7:purchase:1:2026-01-08"}},
		},
		{
			name:  "changed numbers take effect",
			facts: customerFacts{Customer: base, Purchases: []factPurchase{rmSale(1, "2026-01-01", 9000)}},
			rules: custom(func(r rules.Rules) {
				r[rules.KindThankYou] = rules.Rule{On: true, AfterDays: 2, StayDays: 3, GapDays: 30}
				r[rules.KindCheckIn] = rules.Rule{On: true, AfterDays: 7, StayDays: 21, MinCents: 10000}
			}),
			want: want{
				"2026-01-02": nil,
				"2026-01-03": {"thank_you:7:purchase:1:2026-01-03"},
				"2026-01-06": {"thank_you:7:purchase:1:2026-01-03"},
				"2026-01-07": nil,
				"2026-01-08": nil,
			},
		},
		{
			name: "occasions show their lead days before; one-off ones only in their year",
			facts: customerFacts{Customer: base, Occasions: []rules.Occasion{
				{ID: 3, CustomerID: 7, Label: "Wedding", Date: rules.YearlyDate{Year: 2010, Month: 9, Day: 4}, Yearly: true, LeadDays: 14},
				{ID: 4, CustomerID: 7, Label: "Moved house", Date: rules.YearlyDate{Year: 2026, Month: 9, Day: 10}, LeadDays: 0},
			}},
			rules: rmRules(rules.KindOccasion),
			want: want{
				"2026-08-20": nil,
				"2026-08-21": {"occasion:7:occasion:3:2026-09-04"},
				"2026-09-10": {"occasion:7:occasion:3:2026-09-04", "occasion:7:occasion:4:2026-09-10"},
				"2026-09-17": {"occasion:7:occasion:4:2026-09-10"},
				"2027-09-10": {"occasion:7:occasion:3:2027-09-04"},
			},
		},
		{
			name: "facts dated after the day looked at are ignored",
			facts: customerFacts{Customer: base,
				Purchases:  []factPurchase{rmSale(1, "2026-01-01", 9000), rmSale(2, "2026-01-05", 9000)},
				Complaints: []rules.Complaint{{ID: 5, CustomerID: 7, What: "zip", Received: rmDay("2026-01-03"), ResolvedOn: rmDay("2026-01-06")}},
				Ledger:     []factLedger{{ID: 1, Day: rmDay("2026-01-01"), Points: 90}, {ID: 2, Day: rmDay("2026-01-05"), Points: 90}},
			},
			rules: rules.DefaultRules(),
			loyal: rules.DefaultLoyalty(),
			want: want{"2026-01-04": {
				"complaint_followup:7:complaint:5:open:2026-01-04",
				"thank_you:7:purchase:1:2026-01-02",
			}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.loyal
			if l.RewardPoints == 0 {
				l = rules.DefaultLoyalty()
			}
			dates := make([]string, 0, len(c.want))
			for d := range c.want {
				dates = append(dates, d)
			}
			sort.Strings(dates)
			for _, d := range dates {
				got := rmKeys(rmOnToday(c.facts, c.rules, l, nil, rmDay(d)))
				want := slices.Clone(c.want[d])
				sort.Strings(want)
				if !slices.Equal(got, want) {
					t.Errorf("on %s: got %q, want %q", d, got, want)
				}
			}
		})
	}
}

func TestMissedAfterUntilAndOverdueDays(t *testing.T) {
	f := customerFacts{Customer: rmCustomer(), Purchases: []factPurchase{rmSale(1, "2026-05-31", 2000)}}
	ruleSet := rmRules(rules.KindThankYou)
	on15 := rmOnToday(f, ruleSet, rules.DefaultLoyalty(), nil, rmDay("2026-06-15"))
	if len(on15) != 1 || on15[0].OverdueDays != 14 || on15[0].Until != rmDay("2026-06-15") {
		t.Fatalf("on 15 June: %+v", on15)
	}
	all := rmAsOf(f, ruleSet, rules.DefaultLoyalty(), nil, rmDay("2026-06-16"))
	if len(all) != 1 || all[0].State != rules.StateMissed {
		t.Fatalf("on 16 June the thank_you should be missed: %+v", all)
	}
	done := map[string]reminderState{all[0].Key: {State: rules.StateDone, ChangedOn: rmDay("2026-06-03")}}
	all = rmAsOf(f, ruleSet, rules.DefaultLoyalty(), done, rmDay("2026-06-16"))
	if all[0].State != rules.StateDone || all[0].DoneOn != rmDay("2026-06-03") {
		t.Fatalf("done stays done after its last day: %+v", all[0])
	}
	// Done on 3 June: a look at 2 June does not know it yet.
	if got := rmOnToday(f, ruleSet, rules.DefaultLoyalty(), done, rmDay("2026-06-02")); len(got) != 1 {
		t.Fatalf("a state changed after the day looked at must be ignored: %+v", got)
	}
}

func TestSnoozeReappearsAndDoesNotExtend(t *testing.T) {
	f := customerFacts{Customer: rmCustomer(), Purchases: []factPurchase{rmSale(1, "2026-05-31", 2000)}}
	ruleSet := rmRules(rules.KindThankYou)
	key := "thank_you:7:purchase:1:2026-06-01"
	states := map[string]reminderState{key: {State: rules.StateSnoozed, SnoozedUntil: rmDay("2026-06-10"), ChangedOn: rmDay("2026-06-02")}}
	if got := rmOnToday(f, ruleSet, rules.DefaultLoyalty(), states, rmDay("2026-06-09")); len(got) != 0 {
		t.Errorf("snoozed reminder shown on 9 June: %+v", got)
	}
	got := rmOnToday(f, ruleSet, rules.DefaultLoyalty(), states, rmDay("2026-06-10"))
	if len(got) != 1 || got[0].Key != key || got[0].OverdueDays != 9 {
		t.Errorf("snoozed until 10 June must reappear on 10 June: %+v", got)
	}
	states[key] = reminderState{State: rules.StateSnoozed, SnoozedUntil: rmDay("2026-06-20"), ChangedOn: rmDay("2026-06-02")}
	if got := rmOnToday(f, ruleSet, rules.DefaultLoyalty(), states, rmDay("2026-06-16")); len(got) != 0 {
		t.Errorf("a snooze must not extend the last day: %+v", got)
	}
	if all := rmAsOf(f, ruleSet, rules.DefaultLoyalty(), states, rmDay("2026-06-16")); all[0].State != rules.StateMissed {
		t.Errorf("snoozed past its last day is missed, got %s", all[0].State)
	}
	if all := rmAsOf(f, ruleSet, rules.DefaultLoyalty(), states, rmDay("2026-06-12")); all[0].State != rules.StateSnoozed || all[0].SnoozedUntil != rmDay("2026-06-20") {
		t.Errorf("while snoozed the state says so: %+v", all[0])
	}
}

func TestYearlyHistoryStartsWhenTheCustomerWasAdded(t *testing.T) {
	c := rmCustomer()
	c.AddedOn = rmDay("2024-03-01")
	c.Birthday = rules.YearlyDate{Month: 2, Day: 20}
	f := customerFacts{Customer: c}
	got := rmKeys(candidates(f, rmRules(rules.KindBirthday), rules.DefaultLoyalty(), rmDay("2026-06-01")))
	want := []string{"birthday:7:birthday:2025-02-20", "birthday:7:birthday:2026-02-20", "birthday:7:birthday:2027-02-20"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Looking at a day before the customer was added still shows that day's birthday.
	got = rmKeys(rmOnToday(f, rmRules(rules.KindBirthday), rules.DefaultLoyalty(), nil, rmDay("2023-02-18")))
	if !slices.Equal(got, []string{"birthday:7:birthday:2023-02-20"}) {
		t.Errorf("before the customer was added: %q", got)
	}
}

func TestBirthdaysBeforeTheBirthYearAreSkipped(t *testing.T) {
	c := rmCustomer()
	c.AddedOn = rmDay("2024-01-01")
	c.Birthday = rules.YearlyDate{Year: 2025, Month: 5, Day: 1}
	got := rmKeys(candidates(customerFacts{Customer: c}, rmRules(rules.KindBirthday), rules.DefaultLoyalty(), rmDay("2024-12-01")))
	if !slices.Equal(got, []string{"birthday:7:birthday:2025-05-01"}) {
		t.Errorf("got %q", got)
	}
}

func TestPointsLots(t *testing.T) {
	rows := []rules.LedgerRow{
		{ID: 3, Day: rmDay("2025-06-01"), Kind: rules.LedgerRedeem, Points: -120},
		{ID: 1, Day: rmDay("2025-01-31"), Kind: rules.LedgerEarn, Points: 100},
		{ID: 2, Day: rmDay("2025-03-05"), Kind: rules.LedgerAdjustment, Points: 50},
		{ID: 4, Day: rmDay("2025-07-01"), Kind: rules.LedgerEarn, Points: 40},
		{ID: 5, Day: rmDay("2025-07-02"), Kind: rules.LedgerRefundReversal, Points: -10},
	}
	got := rules.PointsLots(rows, 1)
	want := []rules.PointsLot{
		{Row: 1, Earned: rmDay("2025-01-31"), Expires: rmDay("2025-02-28"), Points: 100, Left: 0},
		{Row: 2, Earned: rmDay("2025-03-05"), Expires: rmDay("2025-04-05"), Points: 50, Left: 20},
		{Row: 4, Earned: rmDay("2025-07-01"), Expires: rmDay("2025-08-01"), Points: 40, Left: 40},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// The reversal on 2 July spends the oldest lot with points left.
	want[1].Left = 10
	got = rules.PointsLots(append(rows, rules.LedgerRow{ID: 6, Day: rmDay("2025-07-02"), Kind: rules.LedgerRedeem, Points: -10}), 1)
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := rules.PointsLots(rows, 0); got[0].Expires != 0 || got[1].Left != 20 {
		t.Errorf("without expiry lots never expire: %+v", got)
	}
}

// rmGenFacts makes a random customer with a history around 2025-2026.
func rmGenFacts(t *rapid.T) (customerFacts, rules.Rules, rules.Loyalty) {
	start := rmDay("2025-01-01")
	day := func(label string) rules.Day { return start.AddDays(rapid.IntRange(0, 700).Draw(t, label)) }
	c := rules.Customer{ID: 3, Name: "Bo", AddedOn: day("added"), DoNotContact: rapid.IntRange(0, 5).Draw(t, "dnc") == 0}
	if rapid.Bool().Draw(t, "hasBirthday") {
		c.Birthday = rules.YearlyDate{Year: rapid.SampledFrom([]int{0, 1960, 2000}).Draw(t, "by"),
			Month: time.Month(rapid.IntRange(1, 12).Draw(t, "bm")), Day: rapid.IntRange(1, 28).Draw(t, "bd")}
		if rapid.IntRange(0, 4).Draw(t, "leap") == 0 {
			c.Birthday.Month, c.Birthday.Day, c.Birthday.Year = 2, 29, 0
		}
	}
	if rapid.Bool().Draw(t, "hasSince") {
		c.CustomerSince = start.AddDays(rapid.IntRange(-900, 700).Draw(t, "since"))
	}
	f := customerFacts{Customer: c}
	var id rules.ID
	for i, n := 0, rapid.IntRange(0, 8).Draw(t, "purchases"); i < n; i++ {
		id++
		p := factPurchase{ID: id, Day: day("pday"), Amount: rules.Cents(rapid.IntRange(1, 20000).Draw(t, "amount"))}
		f.Purchases = append(f.Purchases, p)
		if rapid.IntRange(0, 3).Draw(t, "refund") == 0 {
			id++
			back := rules.Cents(rapid.IntRange(1, int(p.Amount)).Draw(t, "back"))
			f.Purchases = append(f.Purchases, factPurchase{ID: id, Day: p.Day.AddDays(rapid.IntRange(0, 40).Draw(t, "rlag")), Amount: -back, RefundOf: p.ID})
		}
	}
	for i, n := 0, rapid.IntRange(0, 4).Draw(t, "contacts"); i < n; i++ {
		f.ContactDays = append(f.ContactDays, day("contact"))
	}
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "occasions"); i < n; i++ {
		o := rules.Occasion{ID: rules.ID(i + 1), Label: "x", Date: rules.YearlyDate{Year: rapid.SampledFrom([]int{0, 2025, 2026}).Draw(t, "oy"),
			Month: time.Month(rapid.IntRange(1, 12).Draw(t, "om")), Day: rapid.IntRange(1, 28).Draw(t, "od")},
			LeadDays: rapid.IntRange(0, 60).Draw(t, "lead")}
		o.Yearly = o.Date.Year == 0 || rapid.Bool().Draw(t, "yearly")
		f.Occasions = append(f.Occasions, o)
	}
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "promises"); i < n; i++ {
		p := rules.Promise{ID: rules.ID(i + 1), What: "x", MadeOn: day("made")}
		p.Due = p.MadeOn.AddDays(rapid.IntRange(0, 30).Draw(t, "pdue"))
		if rapid.Bool().Draw(t, "kept") {
			p.KeptOn = p.MadeOn.AddDays(rapid.IntRange(0, 40).Draw(t, "kept"))
		}
		f.Promises = append(f.Promises, p)
	}
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "complaints"); i < n; i++ {
		k := rules.Complaint{ID: rules.ID(i + 1), What: "x", Received: day("received")}
		if rapid.Bool().Draw(t, "resolved") {
			k.ResolvedOn = k.Received.AddDays(rapid.IntRange(0, 20).Draw(t, "rlag"))
		}
		f.Complaints = append(f.Complaints, k)
	}
	var bal int64
	ldays := make([]rules.Day, rapid.IntRange(0, 10).Draw(t, "ledger"))
	for i := range ldays {
		ldays[i] = day("lday")
	}
	slices.Sort(ldays)
	for i, d := range ldays {
		pts := int64(rapid.IntRange(-150, 150).Draw(t, "points"))
		if bal+pts < 0 {
			pts = -bal
		}
		if pts == 0 {
			continue
		}
		bal += pts
		f.Ledger = append(f.Ledger, factLedger{ID: rules.ID(i + 1), Day: d, Points: pts, Redeem: pts < 0 && rapid.Bool().Draw(t, "redeem")})
	}
	ruleSet := rules.DefaultRules()
	for _, k := range rules.Kinds {
		r := ruleSet[k]
		r.On = rapid.IntRange(0, 5).Draw(t, "on") > 0
		r.AfterDays = rapid.IntRange(0, 100).Draw(t, "after")
		r.BeforeDays = rapid.IntRange(0, 30).Draw(t, "before")
		if r.StayDays != 0 || rapid.Bool().Draw(t, "stays") {
			r.StayDays = rapid.IntRange(0, 40).Draw(t, "stay")
		}
		r.GapDays = rapid.IntRange(0, 60).Draw(t, "gap")
		r.ResolvedDays = rapid.IntRange(0, 10).Draw(t, "resolvedDays")
		ruleSet[k] = r
	}
	l := rules.DefaultLoyalty()
	l.ExpiryMonths = rapid.SampledFrom([]int{0, 1, 6, 12}).Draw(t, "expiry")
	return f, ruleSet, l
}

func TestEngineProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f, ruleSet, l := rmGenFacts(t)
		d := rmDay("2025-01-01").AddDays(rapid.IntRange(-30, 760).Draw(t, "d"))
		first := rmKeys(candidates(f, ruleSet, l, d))
		if again := rmKeys(candidates(f, ruleSet, l, d)); !slices.Equal(first, again) {
			t.Fatalf("computing twice differs:\n%q\n%q", first, again)
		}
		for i := 1; i < len(first); i++ {
			if first[i] == first[i-1] {
				t.Fatalf("key %s given twice", first[i])
			}
		}
		// Random states on some of the reminders, changed on random days.
		states := map[string]reminderState{}
		for _, k := range first {
			switch rapid.IntRange(0, 5).Draw(t, "state") {
			case 1:
				states[k] = reminderState{State: rules.StateDone, ChangedOn: d.AddDays(rapid.IntRange(-20, 20).Draw(t, "ch"))}
			case 2:
				states[k] = reminderState{State: rules.StateSnoozed, ChangedOn: d.AddDays(rapid.IntRange(-20, 20).Draw(t, "ch")),
					SnoozedUntil: d.AddDays(rapid.IntRange(-10, 30).Draw(t, "until"))}
			case 3:
				states[k] = reminderState{State: rules.StateSkipped, ChangedOn: d.AddDays(rapid.IntRange(-20, 20).Draw(t, "ch"))}
			}
		}
		seen := map[string]bool{}
		for _, r := range rmOnToday(f, ruleSet, l, states, d) {
			if seen[r.Key] {
				t.Fatalf("Today lists %s twice", r.Key)
			}
			seen[r.Key] = true
			if r.ShownFrom > d || (r.Until != 0 && d > r.Until) {
				t.Fatalf("%s is listed on %s outside %s..%s", r.Key, d, r.ShownFrom, r.Until)
			}
			if r.Kind.Marketing() && f.Customer.DoNotContact {
				t.Fatalf("%s listed for a do-not-contact customer", r.Key)
			}
			if !ruleSet[r.Kind].On {
				t.Fatalf("%s listed with its rule off", r.Key)
			}
			if r.OverdueDays != max(0, d.Sub(r.Due)) {
				t.Fatalf("%s overdue %d on %s", r.Key, r.OverdueDays, d)
			}
		}
		// The calendar's one pass agrees with Today computed day by day.
		to := d.AddDays(rapid.IntRange(0, 45).Draw(t, "span"))
		fs := f.sorted()
		e := engine{ruleSet, l}
		byDay := map[rules.Day][]string{}
		e.dueOn(&fs, d, to, func(x rules.Day, c *cand) {
			r := c.reminder(&fs.Customer)
			st, has := states[r.Key]
			applyState(&r, st, has, x)
			if onToday(&r, x) {
				byDay[x] = append(byDay[x], r.Key)
			}
		})
		for x := d; x <= to; x++ {
			var want []string
			for _, r := range rmOnToday(f, ruleSet, l, states, x) {
				if r.Due == x {
					want = append(want, r.Key)
				}
			}
			sort.Strings(want)
			got := byDay[x]
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Fatalf("on %s the calendar has %q, Today due that day %q", x, got, want)
			}
		}
	})
}

func TestPointsLotsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var rows []rules.LedgerRow
		var bal int64
		d := rmDay("2025-01-01")
		for i, n := 0, rapid.IntRange(0, 30).Draw(t, "n"); i < n; i++ {
			d = d.AddDays(rapid.IntRange(0, 40).Draw(t, "step"))
			pts := int64(rapid.IntRange(-200, 200).Draw(t, "pts"))
			if bal+pts < 0 {
				pts = -bal
			}
			if pts == 0 {
				continue
			}
			bal += pts
			rows = append(rows, rules.LedgerRow{ID: rules.ID(i + 1), Day: d, Points: pts})
		}
		lots := rules.PointsLots(rows, rapid.IntRange(0, 24).Draw(t, "months"))
		var left int64
		spentAll := true
		for i, l := range lots {
			if l.Left < 0 || l.Left > l.Points {
				t.Fatalf("lot %d left %d of %d", i, l.Left, l.Points)
			}
			// Oldest first: a lot with points left is followed only by untouched ones.
			if !spentAll && l.Left != l.Points {
				t.Fatalf("lot %d was spent before an older lot was used up: %+v", i, lots)
			}
			if l.Left > 0 {
				spentAll = false
			}
			left += l.Left
		}
		if left != bal {
			t.Fatalf("lots hold %d, the balance is %d", left, bal)
		}
	})
}

func TestCandidatesDoNotChangeTheirInput(t *testing.T) {
	f := customerFacts{Customer: rmCustomer(), Ledger: []factLedger{
		{ID: 2, Day: rmDay("2026-01-02"), Points: 150}, {ID: 1, Day: rmDay("2026-01-01"), Points: 10}}}
	before := fmt.Sprint(f.Ledger)
	rs := candidates(f, rmRules(rules.KindRewardReady), rules.DefaultLoyalty(), rmDay("2026-01-05"))
	if fmt.Sprint(f.Ledger) != before {
		t.Errorf("candidates reordered the caller's ledger")
	}
	if len(rs) != 1 || !strings.HasSuffix(rs[0].Key, ":2026-01-02") {
		t.Errorf("unsorted input still gives the crossing day: %+v", rs)
	}
}

func TestPointsExpiringStaysInHistoryAfterTheExpiry(t *testing.T) {
	f := customerFacts{Customer: rmCustomer(), Ledger: []factLedger{
		{ID: 1, Day: rmDay("2025-01-10"), Points: 100},
		// Written by the ledger when the points expire: it must not make the
		// warning before it vanish.
		{ID: 2, Day: rmDay("2026-01-10"), Points: -100},
	}}
	l := rules.Loyalty{CentsPerPoint: 100, RewardPoints: 1000, RewardValue: 500, ExpiryMonths: 12}
	rs := rmAsOf(f, rmRules(rules.KindPointsExpiring), l, nil, rmDay("2026-03-01"))
	if len(rs) != 1 || rs[0].Key != "points_expiring:7:expiry:2026-01-10:2025-12-11" || rs[0].State != rules.StateMissed || rs[0].Until != rmDay("2026-01-09") {
		t.Fatalf("got %+v", rs)
	}
}

// TestYearlyWindowProperty checks the yearly rule against its plain
// statement: a birthday is on Today on d exactly when the occurrence of
// d's year, the year before or the year after has d in its window.
func TestYearlyWindowProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rmCustomer()
		c.AddedOn = rmDay("2024-01-01").AddDays(rapid.IntRange(0, 1000).Draw(t, "added"))
		c.Birthday = rules.YearlyDate{Year: rapid.SampledFrom([]int{0, 1990, 2025}).Draw(t, "year"),
			Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month")), Day: rapid.IntRange(1, 31).Draw(t, "day")}
		if !rules.ValidDate(max(c.Birthday.Year, 2000), c.Birthday.Month, c.Birthday.Day) {
			c.Birthday.Day = 28
		}
		ruleSet := rmRules(rules.KindBirthday)
		r := ruleSet[rules.KindBirthday]
		r.BeforeDays = rapid.IntRange(0, 40).Draw(t, "before")
		r.StayDays = rapid.IntRange(0, 40).Draw(t, "stay")
		ruleSet[rules.KindBirthday] = r
		d := rmDay("2024-01-01").AddDays(rapid.IntRange(0, 1500).Draw(t, "d"))
		var want []string
		for yr := d.Year() - 1; yr <= d.Year()+1; yr++ {
			if c.Birthday.Year != 0 && yr < c.Birthday.Year {
				continue
			}
			due := c.Birthday.In(yr)
			if due.AddDays(-r.BeforeDays) <= d && d <= due.AddDays(r.StayDays) {
				want = append(want, fmt.Sprintf("birthday:7:birthday:%s", due))
			}
		}
		got := rmKeys(rmOnToday(customerFacts{Customer: c}, ruleSet, rules.DefaultLoyalty(), nil, d))
		if !slices.Equal(got, want) {
			t.Fatalf("on %s with %s: got %q, want %q", d, c.Birthday, got, want)
		}
	})
}

// Test helpers: the reminders of one customer from their whole facts.

// sorted returns f with its dated facts in (day, id) order, copying only
// what needs sorting so the caller's slices are left alone.
func (f customerFacts) sorted() customerFacts {
	if !slices.IsSortedFunc(f.Purchases, comparePurchaseFacts) {
		f.Purchases = slices.Clone(f.Purchases)
		slices.SortStableFunc(f.Purchases, comparePurchaseFacts)
	}
	if !slices.IsSortedFunc(f.Ledger, compareLedgerFacts) {
		f.Ledger = slices.Clone(f.Ledger)
		slices.SortStableFunc(f.Ledger, compareLedgerFacts)
	}
	return f
}

// candidates returns every reminder that exists as of asOf, ignoring facts
// dated after it. Yearly kinds give every occurrence from the customer's
// first day on the books up to the first one shown after asOf.
func candidates(f customerFacts, ruleSet rules.Rules, loyalty rules.Loyalty, asOf rules.Day) []rules.Reminder {
	f = f.sorted()
	var out []rules.Reminder
	engine{ruleSet, loyalty}.each(&f, asOf, asOf, func(c *cand) {
		out = append(out, c.reminder(&f.Customer))
	})
	return out
}

// lastFactDay is the day of f's latest dated fact, zero when it has none:
// as of that day or any later one the dated reminders are those of lastDay.
func (f *customerFacts) lastFactDay() rules.Day {
	var last rules.Day
	f.eachFactDay(func(d rules.Day) { last = max(last, d) })
	return last
}

// lastDay is the latest day a Day can hold: "as of lastDay" is as the facts
// stand, whatever their dates.
var lastDay = rules.NewDay(9999, time.December, 31)
