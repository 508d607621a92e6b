package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regulars/demo"
	"regulars/rules"
)

// demoEndKey records the day a demo shop's history ends on.
const demoEndKey = "demo_end"

// OpenDemo opens the demo shop kept at path, whose history ends on opt.End
// (as `regulars demo --date` makes it), with today as the store's
// simulated date (zero for the real one). A demo made for another day is
// made again: a Today weeks past the end of its history would be a list
// of missed reminders, not a sensible day. A file at path that is not a
// demo shop is refused, never replaced.
func OpenDemo(ctx context.Context, path string, opt DemoOptions, today rules.Day) (*Store, error) {
	day := opt.End
	if _, err := os.Stat(path); err == nil {
		s, err := Open(ctx, path, Options{Today: today, MustExist: true})
		if err != nil {
			return nil, fmt.Errorf("the demo shop at %s cannot be opened: %w", path, err)
		}
		name, _ := s.Setting(ctx, "shop_name")
		end, _ := s.Setting(ctx, demoEndKey)
		n, err := s.CountCustomers(ctx)
		s.Close()
		switch {
		case err != nil:
			return nil, err
		case name != demo.ShopName && end == "" && n > 0:
			return nil, fmt.Errorf("%s is not a demo shop; it was left as it is", path)
		case end == day.String() && n > 0:
			return Open(ctx, path, Options{Today: today, MustExist: true})
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("cannot make the demo shop again: %w", unwrapPath(err))
			}
		}
	}
	s, err := Open(ctx, path, Options{Today: today})
	if err != nil {
		return nil, err
	}
	if _, err := s.GenerateDemo(ctx, opt); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.SetSetting(ctx, demoEndKey, day.String()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
