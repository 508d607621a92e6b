package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regulars/rules"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// ErrWrongPIN means the owner PIN given was not the right one.
var ErrWrongPIN = errors.New("that is not the owner PIN")

// ErrPINLocked means too many wrong PINs were tried.
var ErrPINLocked = errors.New("too many wrong PINs")

// ErrNoPIN means the shop has no owner PIN yet: a guarded action waits
// until one is set, it never goes ahead unguarded.
var ErrNoPIN = errors.New("no owner PIN is set yet: set one first")

// PINCost is the bcrypt cost of the owner PIN's hash: about 250 ms a try on
// the counter PC, so that guessing every 6-digit PIN from a stolen backup
// takes one core days rather than minutes, while the owner hardly waits.
const PINCost = 12

// pinCost is the cost new hashes get: PINCost, unless tests lowered it
// (QuickPINHashesForTests).
var pinCost atomic.Int32

func init() { pinCost.Store(PINCost) }

// QuickPINHashesForTests makes new PIN hashes at bcrypt's lowest cost, so
// that tests setting many PINs stay fast; a PIN hashed so checks as usual.
// Never call it outside tests.
func QuickPINHashesForTests() { pinCost.Store(int32(bcrypt.MinCost)) }

// pinTries wrong PINs in a row lock the PIN for pinLock.
const (
	pinTries = 5
	pinLock  = time.Minute
)

// HasOwnerPIN reports whether the owner has set a PIN.
func (s *Store) HasOwnerPIN(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, "owner_pin")
	return v != "", err
}

// SetOwnerPIN stores the owner PIN as a bcrypt hash, never the PIN itself.
func (s *Store) SetOwnerPIN(ctx context.Context, pin string) error {
	if err := rules.CheckPIN(pin); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), int(pinCost.Load()))
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ('owner_pin', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", string(h)); err != nil {
			return err
		}
		return audit(ctx, tx, s.Now(), rules.OwnerName, "set owner PIN", "", "", "")
	})
}

// CheckOwnerPIN verifies the PIN. After five wrong tries in a row it refuses
// every try for a minute, counted from the fifth. A shop without a PIN is
// ErrNoPIN: nothing is guarded by an empty PIN. A right PIN whose hash is
// cheaper than PINCost (set by an earlier version) is hashed again at
// PINCost, so old shops get the stronger hash without a word.
func (s *Store) CheckOwnerPIN(ctx context.Context, pin string, now time.Time) error {
	hash, err := s.Setting(ctx, "owner_pin")
	if err != nil {
		return err
	}
	if hash == "" {
		return ErrNoPIN
	}
	fails, until := s.pinState(ctx)
	if until > now.Unix() {
		wait := time.Unix(until, 0).Sub(now).Round(time.Second)
		return fmt.Errorf("%w: try again in %s", ErrPINLocked, wait)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(pin)) != nil {
		fails++
		lock := int64(0)
		if fails >= pinTries {
			lock = now.Add(pinLock).Unix()
			fails = 0
		}
		s.savePINState(ctx, fails, lock, now)
		if lock > 0 {
			return fmt.Errorf("%w: the PIN is locked for a minute", ErrPINLocked)
		}
		return fmt.Errorf("%w (%d tries left before a one-minute lock)", ErrWrongPIN, pinTries-fails)
	}
	if fails != 0 {
		s.savePINState(ctx, 0, 0, now)
	}
	if cost, err := bcrypt.Cost([]byte(hash)); err == nil && cost < int(pinCost.Load()) {
		s.rehashPIN(ctx, pin)
	}
	return nil
}

// rehashPIN stores the right PIN again at the current cost. It is best
// effort: a store that cannot be written keeps the old hash, which still
// opens.
func (s *Store) rehashPIN(ctx context.Context, pin string) {
	h, err := bcrypt.GenerateFromPassword([]byte(pin), int(pinCost.Load()))
	if err != nil || s.Writable() != nil {
		return
	}
	s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE settings SET value = ? WHERE key = 'owner_pin'", string(h))
		return err
	})
}

// pinState is the count of wrong tries and the end of any lock. A store
// that cannot be written (read-only while checked or waiting for a
// restore) keeps them in memory, so the lock holds there too.
func (s *Store) pinState(ctx context.Context) (fails int, until int64) {
	s.mu.Lock()
	mem := s.pinMem
	s.mu.Unlock()
	if mem != nil {
		return mem.fails, mem.until
	}
	fails, _ = strconv.Atoi(mustSetting(s, ctx, "pin_failures"))
	until, _ = strconv.ParseInt(mustSetting(s, ctx, "pin_locked_until"), 10, 64)
	return fails, until
}

func (s *Store) savePINState(ctx context.Context, fails int, until int64, now time.Time) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{"pin_failures": strconv.Itoa(fails), "pin_locked_until": strconv.FormatInt(until, 10)} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return err
			}
		}
		if until > 0 {
			return audit(ctx, tx, now, rules.OwnerName, "lock owner PIN", fmt.Sprintf("%d wrong PINs", pinTries), "", time.Unix(until, 0).Format(instantLayout))
		}
		return nil
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.pinMem = &pinCounters{fails, until}
	} else {
		s.pinMem = nil
	}
}

type pinCounters struct {
	fails int
	until int64
}

func mustSetting(s *Store, ctx context.Context, key string) string {
	v, _ := s.Setting(ctx, key)
	return v
}
