//go:build unix

package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrInUse means another Regulars window already has the database open.
var ErrInUse = errors.New("already open in another Regulars window")

// LockWindow takes the one-window lock of a database. The operating system
// drops the lock when the process ends, however it ends, so a killed app
// never leaves a stale lock behind.
func LockWindow(dbPath string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder for %s: %w", dbPath, unwrapPath(err))
	}
	f, err := os.OpenFile(dbPath+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock beside %s: %w", dbPath, unwrapPath(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is %w; use that window, or close it first", dbPath, ErrInUse)
		}
		return nil, fmt.Errorf("cannot lock %s: %w", dbPath, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// holdFile locks the file at path for as long as this process writes it,
// so that abandoned can tell it from one a killed process left behind.
func holdFile(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// abandoned reports whether the file at path is held by no running
// process: the one that was writing it is gone.
func abandoned(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

// openLockFile opens a lock file; with create false a missing one is nil.
func openLockFile(path string, create bool) (*os.File, error) {
	if !create {
		f, err := os.OpenFile(path, os.O_RDONLY, 0)
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("cannot open the lock %s: %w", path, unwrapPath(err))
		}
		return f, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock %s: %w", path, unwrapPath(err))
	}
	return f, nil
}

// tryLock takes flock on f, exclusive or shared, without waiting.
func tryLock(f *os.File, exclusive bool) bool {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	return syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB) == nil
}

func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// heldExclusively reports whether a running process holds the file at path
// exclusively.
func heldExclusively(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	return !tryLock(f, false)
}

// createHeld makes the file at path, empty, and holds it exclusively. A
// file of that name left by a killed process is replaced, with its
// journal; one a running process holds means that process is doing the
// same work.
func createHeld(path string) (*os.File, error) {
	if _, err := os.Lstat(path); err == nil {
		if !abandoned(path) {
			return nil, fmt.Errorf("%s is %w", path, errHeld)
		}
		os.Remove(path)
	}
	// Journals left beside it would be played back into the new file.
	for _, j := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(path + j)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", path, unwrapPath(err))
	}
	if !tryLock(f, true) {
		f.Close()
		return nil, fmt.Errorf("%s is %w", path, errHeld)
	}
	return f, nil
}
