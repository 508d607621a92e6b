package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRestoreWaitsForStoresAndStoresWaitForRestore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	path := s.Path()
	// An open store keeps a restore out.
	if _, _, err := lockForRestore(path, 50*time.Millisecond); !errors.Is(err, ErrInUseByCommand) {
		t.Fatalf("restore beside an open store: %v", err)
	}
	s.Close()
	work, release, err := lockForRestore(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// While the restore runs, a store waits, and is refused when it lasts too long.
	start := time.Now()
	if _, err := Open(ctx, path, Options{MustExist: true, BusyTimeout: 100 * time.Millisecond}); !errors.Is(err, ErrRestoring) {
		t.Fatalf("open during a restore: %v", err)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("the store gave up after %v, before its busy timeout", waited)
	}
	if _, err := Open(ctx, path, Options{ReadOnly: true, BusyTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrRestoring) {
		t.Fatalf("read-only open during a restore: %v", err)
	}
	// A second restore is refused at once.
	if _, _, err := lockForRestore(path, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "another restore") {
		t.Fatalf("second restore: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		s, err := Open(ctx, path, Options{MustExist: true, BusyTimeout: 5 * time.Second})
		if err == nil {
			s.Close()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	release()
	if err := <-done; err != nil {
		t.Fatalf("the waiting store did not open when the restore ended: %v", err)
	}
	// What a restore killed part-way leaves behind is no lock at all.
	if !abandoned(work) {
		t.Error("the restore's work file is still held")
	}
	if s, err := Open(ctx, path, Options{MustExist: true}); err != nil {
		t.Fatalf("open beside a left-over work file: %v", err)
	} else {
		s.Close()
	}
}
