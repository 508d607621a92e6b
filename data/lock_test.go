package data

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestLockWindowRefusesSecondAndFreesOnRelease(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	release, err := LockWindow(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockWindow(db); !errors.Is(err, ErrInUse) {
		t.Fatalf("second lock: %v, want ErrInUse", err)
	}
	release()
	again, err := LockWindow(db)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}

// A process killed while holding the lock leaves none behind.
func TestLockWindowFreedWhenHolderIsKilled(t *testing.T) {
	if os.Getenv("REGULARS_LOCK_HOLDER") != "" {
		if _, err := LockWindow(os.Getenv("REGULARS_LOCK_HOLDER")); err != nil {
			os.Exit(3)
		}
		os.Stdout.Write([]byte("locked\n"))
		select {} // hold it until killed
	}
	db := filepath.Join(t.TempDir(), "shop.db")
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLockWindowFreedWhenHolderIsKilled$")
	cmd.Env = append(os.Environ(), "REGULARS_LOCK_HOLDER="+db)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("holder did not lock: %q %v", buf, err)
	}
	if _, err := LockWindow(db); !errors.Is(err, ErrInUse) {
		t.Fatalf("lock held by another process not seen: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	release, err := LockWindow(db)
	if err != nil {
		t.Fatalf("stale lock after kill: %v", err)
	}
	release()
}
