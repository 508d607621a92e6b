package data

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// The shop's lock. Every store holds it shared from Open to Close: every
// command, and the window. A restore holds it exclusively from its check of
// the backup to its end, so no sale is ever acknowledged into the file
// being replaced: a sale that comes meanwhile waits, and is refused with a
// sentence when the restore takes longer than it may wait.
//
// The lock is flock(2) on "<shop>.in-use". flock grants a shared lock
// whenever no exclusive one is held, so a restore waiting behind a stream
// of sales would never get its turn; while it waits it therefore holds its
// work file, "<shop>.restoring", exclusively, and a store that sees that
// file held lets go and waits too.

// ErrRestoring means a restore was replacing the database for longer than
// a command could wait.
var ErrRestoring = errors.New("the database is being restored from a backup")

// ErrInUseByCommand means a restore waited in vain for the commands using
// the database to finish.
var ErrInUseByCommand = errors.New("the database is in use by another command")

// errHeld means another running program is writing a work file (a
// backup's .part, a restore's copy).
var errHeld = errors.New("being written by another Regulars")

// lockPoll is how often a waiting lock is tried again.
const lockPoll = 5 * time.Millisecond

// restoreWait is how long a restore waits for the commands using the
// database to finish.
const restoreWait = 15 * time.Second

func inUsePath(dbPath string) string     { return dbPath + ".in-use" }
func restoringPath(dbPath string) string { return dbPath + ".restoring" }

// useShop takes the shop's lock shared, waiting up to wait for a restore
// to end. With create false (a read-only store) a missing lock file is
// not made: nothing is written, and a shop whose lock file is missing has
// never been restored or written by this version.
func useShop(dbPath string, wait time.Duration, create bool) (release func(), err error) {
	f, err := openLockFile(inUsePath(dbPath), create)
	if err != nil || f == nil {
		return func() {}, err
	}
	deadline := time.Now().Add(wait)
	for {
		if tryLock(f, false) {
			if !heldExclusively(restoringPath(dbPath)) {
				return func() { f.Close() }, nil
			}
			unlock(f) // a restore waits for its turn: let it have it
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (%s); try again in a moment", ErrRestoring, dbPath)
		}
		time.Sleep(lockPoll)
	}
}

// lockForRestore takes the shop's lock exclusively for a restore, waiting
// up to wait for the commands using it to finish. It returns the work
// file, created empty and held, into which the backup is copied.
func lockForRestore(dbPath string, wait time.Duration) (work string, release func(), err error) {
	work = restoringPath(dbPath)
	gate, err := createHeld(work)
	if errors.Is(err, errHeld) {
		return "", nil, fmt.Errorf("another restore of %s is under way; nothing was changed", dbPath)
	}
	if err != nil {
		return "", nil, err
	}
	f, err := openLockFile(inUsePath(dbPath), true)
	if err != nil {
		gate.Close()
		return "", nil, err
	}
	deadline := time.Now().Add(wait)
	for !tryLock(f, true) {
		if time.Now().After(deadline) {
			f.Close()
			gate.Close()
			os.Remove(work)
			return "", nil, fmt.Errorf("%w (%s); nothing was changed: try again when it has finished", ErrInUseByCommand, dbPath)
		}
		time.Sleep(lockPoll)
	}
	return work, func() {
		f.Close()
		gate.Close()
	}, nil
}
