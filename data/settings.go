package data

import (
	"context"
	"encoding/json"
	"fmt"
	"regulars/rules"
)

// Rules returns the reminder rules, defaults filled in for anything unset.
func (s *Store) Rules(ctx context.Context) (rules.Rules, error) {
	v, err := s.Setting(ctx, "rules")
	if err != nil {
		return rules.DefaultRules(), err
	}
	return rules.RulesFrom(v)
}

// SetRules stores the reminder rules.
func (s *Store) SetRules(ctx context.Context, r rules.Rules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, "rules", string(b))
}

// Loyalty returns the points scheme.
func (s *Store) Loyalty(ctx context.Context) (rules.Loyalty, error) {
	v, err := s.Setting(ctx, "loyalty")
	if err != nil {
		return rules.DefaultLoyalty(), err
	}
	return rules.LoyaltyFrom(v)
}

// SetLoyalty stores the points scheme from today on. Earlier schemes are
// kept with the day they started, so points earned under them still check.
func (s *Store) SetLoyalty(ctx context.Context, l rules.Loyalty) error {
	if err := l.Validate(); err != nil {
		return err
	}
	prev, err := s.Loyalty(ctx)
	if err != nil {
		prev = rules.DefaultLoyalty()
	}
	h, err := s.loyaltyHistory(ctx)
	if err != nil {
		return err
	}
	if len(h) == 0 {
		h = append(h, rules.DatedLoyalty{Scheme: prev}) // in force from the start
	}
	today := s.Today()
	if last := &h[len(h)-1]; last.From == today.String() {
		last.Scheme = l
	} else {
		h = append(h, rules.DatedLoyalty{From: today.String(), Scheme: l})
	}
	cur, err := json.Marshal(l)
	if err != nil {
		return err
	}
	hist, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := s.SetSetting(ctx, "loyalty", string(cur)); err != nil {
		return err
	}
	return s.SetSetting(ctx, "loyalty_history", string(hist))
}

func (s *Store) loyaltyHistory(ctx context.Context) (rules.LoyaltyHistory, error) {
	v, err := s.Setting(ctx, "loyalty_history")
	if err != nil || v == "" {
		return nil, err
	}
	var h rules.LoyaltyHistory
	if err := json.Unmarshal([]byte(v), &h); err != nil {
		return nil, fmt.Errorf("the stored history of loyalty schemes is damaged (%v)", err)
	}
	return h, nil
}

// ShopName is how messages sign off.
func (s *Store) ShopName(ctx context.Context) (string, error) {
	v, err := s.Setting(ctx, "shop_name")
	if v == "" {
		v = "our shop"
	}
	return v, err
}
