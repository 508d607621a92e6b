package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// ErrWrongPIN means the owner PIN given was not the right one.
var ErrWrongPIN = errors.New("that is not the owner PIN")

// ErrPINLocked means too many wrong PINs were tried.
var ErrPINLocked = errors.New("too many wrong PINs")

// pinTries wrong PINs in a row lock the PIN for pinLock.
const (
	pinTries = 5
	pinLock  = time.Minute
)

// CheckPIN says what is wrong with a new PIN.
func CheckPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 12 {
		return fmt.Errorf("the PIN must have 4 to 12 digits")
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return fmt.Errorf("the PIN may hold digits only")
		}
	}
	return nil
}

// HasOwnerPIN reports whether the owner has set a PIN.
func (s *Store) HasOwnerPIN(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, "owner_pin")
	return v != "", err
}

// SetOwnerPIN stores the owner PIN as a bcrypt hash, never the PIN itself.
func (s *Store) SetOwnerPIN(ctx context.Context, pin string) error {
	if err := CheckPIN(pin); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES ('owner_pin', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", string(h)); err != nil {
			return err
		}
		return audit(ctx, tx, s.Now(), OwnerName, "set owner PIN", "", "", "")
	})
}

// CheckOwnerPIN verifies the PIN. After five wrong tries in a row it refuses
// every try for a minute, counted from the fifth.
func (s *Store) CheckOwnerPIN(ctx context.Context, pin string, now time.Time) error {
	hash, err := s.Setting(ctx, "owner_pin")
	if err != nil {
		return err
	}
	if hash == "" {
		return nil
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
	return nil
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
			return audit(ctx, tx, now, OwnerName, "lock owner PIN", fmt.Sprintf("%d wrong PINs", pinTries), "", time.Unix(until, 0).Format(instantLayout))
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
