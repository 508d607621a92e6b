package rules

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Kind is the kind of a reminder.
type Kind string

// Reminder kinds, as in the product's rules table.
const (
	KindThankYou          Kind = "thank_you"
	KindCheckIn           Kind = "check_in"
	KindBirthday          Kind = "birthday"
	KindAnniversary       Kind = "anniversary"
	KindOccasion          Kind = "occasion"
	KindPromise           Kind = "promise"
	KindComplaintFollowup Kind = "complaint_followup"
	KindStayInTouch       Kind = "stay_in_touch"
	KindRewardReady       Kind = "reward_ready"
	KindPointsExpiring    Kind = "points_expiring"
)

// Kinds lists every reminder kind in the order the rules table gives them.
var Kinds = []Kind{KindThankYou, KindCheckIn, KindBirthday, KindAnniversary, KindOccasion,
	KindPromise, KindComplaintFollowup, KindStayInTouch, KindRewardReady, KindPointsExpiring}

// Marketing reports whether the kind is withheld from "do not contact"
// customers; promises and complaint follow-ups are obligations and still show.
func (k Kind) Marketing() bool {
	return k != KindPromise && k != KindComplaintFollowup
}

// Rule holds the owner's numbers for one reminder kind. Fields that a kind
// does not use stay zero.
type Rule struct {
	On bool `json:"on"`
	// AfterDays: days from the event to the due day (thank_you 1, check_in 7,
	// complaint follow-up while open 1, stay_in_touch 90, points_expiring 30
	// before the expiry).
	AfterDays int `json:"after_days"`
	// BeforeDays: shown this many days before due (birthday 7, promise 1).
	BeforeDays int `json:"before_days"`
	// StayDays: stays on Today this many days after due; 0 means until done.
	StayDays int `json:"stay_days"`
	// MinCents: check_in only for purchases of at least this much.
	MinCents Cents `json:"min_cents,omitempty"`
	// GapDays: thank_you at most one per customer in this many days.
	GapDays int `json:"gap_days,omitempty"`
	// ResolvedDays: complaint follow-up this many days after resolution;
	// for promises, the check-in this many days after it is kept.
	ResolvedDays int `json:"resolved_days,omitempty"`
}

// Rules are the reminder rules by kind.
type Rules map[Kind]Rule

// DefaultRules are the product's defaults.
func DefaultRules() Rules {
	return Rules{
		KindThankYou:          {On: true, AfterDays: 1, StayDays: 14, GapDays: 30},
		KindCheckIn:           {On: true, AfterDays: 7, StayDays: 21, MinCents: 5000},
		KindBirthday:          {On: true, BeforeDays: 7, StayDays: 7},
		KindAnniversary:       {On: true, BeforeDays: 7, StayDays: 7},
		KindOccasion:          {On: true, BeforeDays: 7, StayDays: 7},
		KindPromise:           {On: true, BeforeDays: 1, ResolvedDays: 3},
		KindComplaintFollowup: {On: true, AfterDays: 1, ResolvedDays: 3},
		KindStayInTouch:       {On: true, AfterDays: 90},
		KindRewardReady:       {On: true},
		KindPointsExpiring:    {On: true, AfterDays: 30},
	}
}

// Loyalty is the points scheme.
type Loyalty struct {
	// CentsPerPoint: one point per this much spent (100 = 1 point per 1.00).
	CentsPerPoint Cents `json:"cents_per_point"`
	// RewardPoints: points per reward (100).
	RewardPoints int64 `json:"reward_points"`
	// RewardValue: money off per reward (5.00).
	RewardValue Cents `json:"reward_value"`
	// ExpiryMonths: points expire this many months after they were earned; 0 = never.
	ExpiryMonths int `json:"expiry_months"`
}

// DefaultLoyalty is the product's default scheme.
func DefaultLoyalty() Loyalty {
	return Loyalty{CentsPerPoint: 100, RewardPoints: 100, RewardValue: 500}
}

// Validate says what is wrong with a scheme.
func (l Loyalty) Validate() error {
	switch {
	case l.CentsPerPoint <= 0:
		return fmt.Errorf("the amount per point must be more than 0")
	case l.RewardPoints <= 0:
		return fmt.Errorf("the points per reward must be more than 0")
	case l.RewardValue <= 0:
		return fmt.Errorf("the value of a reward must be more than 0")
	case l.ExpiryMonths < 0 || l.ExpiryMonths > 120:
		return fmt.Errorf("points expiry must be between 0 (never) and 120 months")
	}
	return nil
}

// EarnedFor is the points earned on an amount paid: whole units only.
func (l Loyalty) EarnedFor(paid Cents) int64 {
	if paid <= 0 || l.CentsPerPoint <= 0 {
		return 0
	}
	return int64(paid / l.CentsPerPoint)
}

// Validate says what is wrong with the rule numbers.
func (r Rules) Validate() error {
	for _, k := range Kinds {
		x := r[k]
		if x.AfterDays < 0 || x.BeforeDays < 0 || x.StayDays < 0 || x.MinCents < 0 || x.GapDays < 0 || x.ResolvedDays < 0 {
			return fmt.Errorf("the numbers for %s must not be negative", k)
		}
		if x.AfterDays > 3660 || x.BeforeDays > 366 || x.StayDays > 3660 || x.GapDays > 3660 || x.ResolvedDays > 366 {
			return fmt.Errorf("the numbers for %s are too large", k)
		}
	}
	return nil
}

// RulesFrom reads the stored rules setting; "" gives the defaults.
func RulesFrom(v string) (Rules, error) {
	r := DefaultRules()
	if v == "" {
		return r, nil
	}
	var stored Rules
	if err := json.Unmarshal([]byte(v), &stored); err != nil {
		return r, fmt.Errorf("the stored reminder rules are damaged (%v); save them again in Settings", err)
	}
	for k, x := range stored {
		if _, ok := r[k]; ok {
			r[k] = x
		}
	}
	return r, nil
}

// LoyaltyFrom reads the stored loyalty setting; "" gives the default scheme.
func LoyaltyFrom(v string) (Loyalty, error) {
	l := DefaultLoyalty()
	if v == "" {
		return l, nil
	}
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return DefaultLoyalty(), fmt.Errorf("the stored loyalty scheme is damaged (%v); save it again in Settings", err)
	}
	return l, nil
}

// DatedLoyalty is a scheme and the day it came into force ("" for the start).
type DatedLoyalty struct {
	From   string  `json:"from"`
	Scheme Loyalty `json:"scheme"`
}

// LoyaltyHistory lists the schemes in force over time, oldest first.
type LoyaltyHistory []DatedLoyalty

// on is the scheme in force on day d; fallback when there is no history.
func (h LoyaltyHistory) On(d Day, fallback Loyalty) Loyalty {
	if len(h) == 0 {
		return fallback
	}
	l := h[0].Scheme
	for _, e := range h[1:] {
		if e.From <= d.String() {
			l = e.Scheme
		}
	}
	return l
}

// Locales are the ways of writing dates and amounts the window offers, as
// language tags: en-GB 23/11/2026 and 1,234.50; en-US 11/23/2026 and
// 1,234.50; de-DE 23.11.2026 and 1.234,50; fr-FR 23/11/2026 and 1 234,50.
// Files and the command line keep YYYY-MM-DD and 1234.50 whatever is chosen.
var Locales = []string{"en-GB", "en-US", "de-DE", "fr-FR"}

// CheckLocale says what is wrong with a locale setting; "" (follow the
// computer) is fine.
func CheckLocale(tag string) error {
	if tag == "" {
		return nil
	}
	for _, l := range Locales {
		if l == tag {
			return nil
		}
	}
	return fmt.Errorf("%q is not a date and number format this app knows (%s)", tag, strings.Join(Locales, ", "))
}
