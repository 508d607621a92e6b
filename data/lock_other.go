//go:build !unix

package data

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrInUse means another Regulars window already has the database open.
var ErrInUse = errors.New("already open in another Regulars window")

// LockWindow takes the one-window lock of a database. Without flock, an
// exclusively opened lock file stands in; the system closes it when the
// process ends.
func LockWindow(dbPath string) (release func(), err error) {
	p := dbPath + ".lock"
	os.Remove(p) // succeeds only when no running window holds it open
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s is %w; use that window, or close it first", dbPath, ErrInUse)
	}
	return func() { f.Close(); os.Remove(p) }, nil
}

// holdFile marks the file at path as being written; without flock, the
// file's age stands in (see abandoned).
func holdFile(path string) (release func(), err error) { return func() {}, nil }

// abandoned reports whether the file at path was left behind: without
// flock, a file untouched for an hour is.
func abandoned(path string) bool {
	st, err := os.Stat(path)
	return err == nil && time.Since(st.ModTime()) > time.Hour
}

// Without flock the shop's lock is the window's alone: a restore still
// refuses to run beside a window, and commands do not wait for it.

func openLockFile(string, bool) (*os.File, error) { return nil, nil }

func tryLock(*os.File, bool) bool { return true }

func unlock(*os.File) {}

func heldExclusively(string) bool { return false }

func createHeld(path string) (*os.File, error) {
	for _, j := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + j)
	}
	return os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
}
