package data

import (
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"strconv"
	"strings"
	"time"
)

// Service after the sale, as the window needs it: the shop's details, how
// often the pop-up looks, what a rule change would do to Today, and the
// promise or complaint behind a reminder.

// Shop returns the shop's details.
func (s *Store) Shop(ctx context.Context) (rules.ShopDetails, error) {
	var d rules.ShopDetails
	var err error
	if d.Name, err = s.ShopName(ctx); err != nil {
		return d, err
	}
	if d.Address, err = s.Setting(ctx, "shop_address"); err != nil {
		return d, err
	}
	if d.Currency, err = s.Setting(ctx, "currency"); err != nil {
		return d, err
	}
	d.Locale, err = s.Setting(ctx, "locale")
	return d, err
}

// SetShop stores the shop's details in one transaction.
func (s *Store) SetShop(ctx context.Context, d rules.ShopDetails) error {
	d.Name, d.Address, d.Currency = strings.TrimSpace(d.Name), strings.TrimSpace(d.Address), strings.TrimSpace(d.Currency)
	d.Locale = strings.TrimSpace(d.Locale)
	if err := d.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, kv := range [][2]string{{"shop_name", d.Name}, {"shop_address", d.Address}, {"currency", d.Currency}, {"locale", d.Locale}} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// The pop-up looks for newly due reminders at least every 15 minutes (the
// product promises that much); the owner may ask for it more often.
const (
	DefaultPopupEvery = 15 * time.Minute
	minPopupEvery     = time.Minute
)

// PopupEvery is how often the pop-up looks for newly due reminders.
func (s *Store) PopupEvery(ctx context.Context) (time.Duration, error) {
	v, err := s.Setting(ctx, "popup_minutes")
	if err != nil || v == "" {
		return DefaultPopupEvery, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || time.Duration(n)*time.Minute < minPopupEvery || time.Duration(n)*time.Minute > DefaultPopupEvery {
		return DefaultPopupEvery, nil
	}
	return time.Duration(n) * time.Minute, nil
}

// SetPopupEvery stores how often the pop-up looks, in whole minutes from 1 to 15.
func (s *Store) SetPopupEvery(ctx context.Context, every time.Duration) error {
	if every < minPopupEvery || every > DefaultPopupEvery || every%time.Minute != 0 {
		return fmt.Errorf("the pop-up checks every 1 to 15 whole minutes, not %v", every)
	}
	return s.SetSetting(ctx, "popup_minutes", strconv.Itoa(int(every/time.Minute)))
}

// TodayCountWith is how many reminders Today would list on d if the rules
// were r: the preview beside the rule switches. It writes nothing.
func (s *Store) TodayCountWith(ctx context.Context, d rules.Day, r rules.Rules) (int, error) {
	full := rules.DefaultRules()
	for k, x := range r {
		if _, ok := full[k]; ok {
			full[k] = x
		}
	}
	if err := full.Validate(); err != nil {
		return 0, err
	}
	fs, err := s.loadFacts(ctx, d, 0)
	if err != nil {
		return 0, err
	}
	fs.engine.rules = full
	n := 0
	for i := range fs.customers {
		f := &fs.customers[i]
		fs.engine.each(f, d, d, func(c *cand) {
			if c.shownFrom > d || (c.until != 0 && d > c.until) {
				return
			}
			r := fs.reminder(f, c, d)
			if onToday(&r, d) {
				n++
			}
		})
	}
	return n, nil
}

// Obligation is the promise or the complaint a reminder is about (the
// check-in after a kept promise names its promise too); both nil otherwise.
type Obligation struct {
	Promise   *rules.Promise
	Complaint *rules.Complaint
}

// Obligations looks up, by reminder key, the promise or complaint behind
// each reminder of rs that has one: who answers for a promise, when a
// complaint came in.
func (s *Store) Obligations(ctx context.Context, rs []rules.Reminder) (map[string]Obligation, error) {
	promiseOf := map[rules.ID][]string{}
	complaintOf := map[rules.ID][]string{}
	for _, r := range rs {
		if id, ok := subjectID(r.Subject, "promise"); ok {
			promiseOf[id] = append(promiseOf[id], r.Key)
		}
		if id, ok := subjectID(r.Subject, "complaint"); ok {
			complaintOf[id] = append(complaintOf[id], r.Key)
		}
	}
	out := map[string]Obligation{}
	promises, err := byIDs(ctx, s, scanPromise, "SELECT "+promiseCols+" FROM promises", keysOf(promiseOf))
	if err != nil {
		return nil, err
	}
	for i := range promises {
		for _, key := range promiseOf[promises[i].ID] {
			out[key] = Obligation{Promise: &promises[i]}
		}
	}
	complaints, err := byIDs(ctx, s, scanComplaint, "SELECT "+complaintCols+" FROM complaints", keysOf(complaintOf))
	if err != nil {
		return nil, err
	}
	for i := range complaints {
		for _, key := range complaintOf[complaints[i].ID] {
			out[key] = Obligation{Complaint: &complaints[i]}
		}
	}
	return out, nil
}

func keysOf(m map[rules.ID][]string) []rules.ID {
	out := make([]rules.ID, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	return out
}

// byIDs reads the rows of q whose id is in ids, a few hundred at a time.
func byIDs[T any](ctx context.Context, s *Store, scan func(rowScanner) (T, error), q string, ids []rules.ID) ([]T, error) {
	var out []T
	err := inBatches(ids, func(part []rules.ID) error {
		rows, err := queryFacts(ctx, s, scan, q+" WHERE id IN ("+marks(len(part))+") ORDER BY id", idArgs(part)...)
		out = append(out, rows...)
		return err
	})
	return out, err
}
