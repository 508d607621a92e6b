package data

import (
	"context"
	"regulars/rules"
)

// checkPassedKey is the setting holding the day the shop last passed the
// window's full check: the first start of a day runs it, later starts that
// day do not. It lives in the shop's own file, so each shop (and the demo)
// keeps its own, and a restored backup brings the day it was checked.
const checkPassedKey = "check.passed_on"

// DailyCheckDue says whether the shop has not passed the full check on day
// (the real date: the day the window starts, whatever --date says).
func (s *Store) DailyCheckDue(ctx context.Context, day rules.Day) (bool, error) {
	v, err := s.Setting(ctx, checkPassedKey)
	if err != nil {
		return true, err
	}
	passed, err := rules.ParseDay(v)
	return err != nil || passed != day, nil
}

// CheckPassed notes that the shop passed the full check on day.
func (s *Store) CheckPassed(ctx context.Context, day rules.Day) error {
	return s.SetSetting(ctx, checkPassedKey, day.String())
}
