package cli

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// needTool finds a program a test needs. Where it is missing the test is
// skipped with the reason printed, except under CI=true, where a missing
// tool fails it: CI must run what it claims to.
func needTool(t *testing.T, name, forWhat string, probe ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil && len(probe) > 0 {
		if out, perr := exec.Command(path, probe...).CombinedOutput(); perr != nil {
			err = fmt.Errorf("%s %s failed: %v %s", name, strings.Join(probe, " "), perr, bytes.TrimSpace(out))
		}
	}
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s is needed for %s and cannot run here (%v); make deps installs it", name, forWhat, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("skipped: " + msg)
	return ""
}

// step is one system call a command makes on one of the shop's files: a
// kill is injected at its n-th time.
type step struct {
	call, path string
	n          int
}

func (s step) String() string { return fmt.Sprintf("%s #%d on %s", s.call, s.n, filepath.Base(s.path)) }

// stepCalls are the system calls that change files: every one is a step.
var stepCalls = []string{"openat", "linkat", "renameat", "renameat2", "unlinkat", "fsync", "fdatasync", "ftruncate", "pwrite64", "write", "fchmodat"}

// pathCall are the calls that name their file rather than take a descriptor.
var pathCall = map[string]bool{"openat": true, "linkat": true, "renameat": true, "renameat2": true, "unlinkat": true, "fchmodat": true}

var traceLine = regexp.MustCompile(`^\d+\s+(\w+)\((.*)`)
var tracePath = regexp.MustCompile(`"([^"]+)"|<([^<>]+)>`)

// commandSteps runs a command under strace and lists the steps it makes on
// files in dir, in order: each distinct call and file, first at its first
// time, then (for calls made many times, such as page writes) also half
// way and at the last, when all is set.
func commandSteps(t *testing.T, strace, dir string, all bool, args ...string) []step {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, append([]string{"-f", "-qq", "-y", "-o", out, "-e", "trace=" + strings.Join(stepCalls, ",")}, args...)...)
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("traced run of %v: %v %s", args, err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type key struct{ call, path string }
	var order []key
	count := map[key]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := traceLine.FindStringSubmatch(sc.Text())
		if m == nil || strings.Contains(m[2], "resumed>") {
			continue
		}
		// The file: a path-based call's first quoted argument (its first
		// <…> is the working folder's), a descriptor-based call's <…>
		// (its quoted argument is the data written).
		var path string
		for _, p := range tracePath.FindAllStringSubmatch(m[2], -1) {
			if pathCall[m[1]] && p[1] != "" || !pathCall[m[1]] && p[2] != "" {
				path = p[1] + p[2]
				break
			}
		}
		if m[1] == "openat" && !strings.Contains(m[2], "O_CREAT") {
			continue // opening to read changes nothing
		}
		if !strings.HasPrefix(path, dir+string(os.PathSeparator)) {
			continue // stdout, libraries, /proc
		}
		k := key{m[1], path}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	var steps []step
	for _, k := range order {
		ns := []int{1}
		if all && count[k] > 2 {
			ns = append(ns, count[k]/2, count[k])
		}
		for _, n := range slices.Compact(ns) {
			steps = append(steps, step{k.call, k.path, n})
		}
	}
	return steps
}

// killAt runs the command with SIGKILL injected at the step, and reports
// whether the kill happened (a step made on another thread first may move).
func killAt(t *testing.T, strace, dir string, s step, args ...string) bool {
	t.Helper()
	cmd := exec.Command(strace, append([]string{"-f", "-qq", "-o", os.DevNull, "-P", s.path,
		"-e", "trace=" + s.call, "-e", fmt.Sprintf("inject=%s:signal=SIGKILL:when=%d", s.call, s.n)}, args...)...)
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
	out, err := cmd.CombinedOutput()
	if err == nil {
		return false
	}
	// strace ends as its tracee did: by SIGKILL.
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ee.ExitCode() == 137 || ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	t.Fatalf("%v at %s: %v %s", args, s, err, out)
	return false
}

// purchaseList is the shop's purchases as "id customer amount" lines.
func purchaseList(t *testing.T, db string) string {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT id, customer_id, amount_cents FROM purchases ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	n := 0
	for rows.Next() {
		var id, cust, amount int64
		if err := rows.Scan(&id, &cust, &amount); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %d %d\n", id, cust, amount)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%s has no purchases", db)
	}
	return b.String()
}

// resetFolder empties dir but for the files named, and puts back files.
func resetFolder(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashInsideRestoreAndBackup kills `restore` and `backup` at every
// step they make on the shop's files, the rename included: the shop is
// always usable (check passes) and holds either what it held or the
// backup, never a mix; a backup folder never holds a broken backup under
// a backup's name; and the next restore or backup clears what the killed
// one left. make crashtest also kills half way and at the end of calls made
// many times (the page writes).
func TestCrashInsideRestoreAndBackup(t *testing.T) {
	t.Parallel()
	strace := needTool(t, "strace", "the kills inside restore and backup", "-qq", "-o", os.DevNull, "true")
	all := os.Getenv("REGULARS_CRASH_STEPS") == "all"
	dir, shop := smallShop(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if r := run(t, "backup", "--db", shop, "--to", backup); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for i := 1; i <= 3; i++ { // the shop moves on after its backup
		if r := run(t, "sale", "--db", shop, "--customer", fmt.Sprint(i), "--amount", "77.00"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	before, restored := purchaseList(t, shop), purchaseList(t, backup)
	pristine, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatal("no shop")
	}
	shopFiles := map[string][]byte{"shop.db": pristine}

	t.Run("restore", func(t *testing.T) {
		resetFolder(t, dir, shopFiles)
		args := []string{binary, "restore", backup, "--db", shop}
		steps := commandSteps(t, strace, dir, all, args...)
		if len(steps) < 8 {
			t.Fatalf("only %d steps found: %v", len(steps), steps)
		}
		kills := 0
		for _, s := range steps {
			resetFolder(t, dir, shopFiles)
			if !killAt(t, strace, dir, s, args...) {
				continue
			}
			kills++
			if r := run(t, "check", "--db", shop); r.code != 0 {
				t.Fatalf("killed at %s: check fails: %s%s", s, r.stdout, r.stderr)
			}
			if got := purchaseList(t, shop); got != before && got != restored {
				t.Fatalf("killed at %s: the shop holds neither what it held nor the backup:\n%s", s, got)
			}
			if r := run(t, "sale", "--db", shop, "--customer", "5", "--amount", "1.00"); r.code != 0 {
				t.Fatalf("killed at %s: sale: %s", s, r.stderr)
			}
			if r := run(t, "restore", backup, "--db", shop); r.code != 0 {
				t.Fatalf("killed at %s: the next restore: %s", s, r.stderr)
			}
			if got := purchaseList(t, shop); got != restored {
				t.Fatalf("killed at %s: the next restore left\n%s", s, got)
			}
			left, _ := filepath.Glob(filepath.Join(dir, "*.restoring*"))
			if len(left) > 0 {
				t.Fatalf("killed at %s: the next restore left %v", s, left)
			}
		}
		if kills < len(steps)/2 {
			t.Errorf("only %d of %d steps were reached", kills, len(steps))
		}
		t.Logf("restore killed at %d of %d steps (%v)", kills, len(steps), steps)
	})

	t.Run("backup", func(t *testing.T) {
		resetFolder(t, dir, shopFiles)
		// A file of its own name, so that every run makes the same steps
		// (a folder's backups are named after the second they are taken).
		folder := filepath.Join(dir, "backups")
		target := filepath.Join(folder, "shop-backup.db")
		args := []string{binary, "backup", "--db", shop, "--to", target}
		steps := commandSteps(t, strace, dir, all, args...)
		if len(steps) < 4 {
			t.Fatalf("only %d steps found: %v", len(steps), steps)
		}
		kills := 0
		for _, s := range steps {
			resetFolder(t, dir, shopFiles)
			if !killAt(t, strace, dir, s, args...) {
				continue
			}
			kills++
			if got := purchaseList(t, shop); got != before {
				t.Fatalf("killed at %s: the backup changed the shop:\n%s", s, got)
			}
			entries, _ := os.ReadDir(folder)
			for _, e := range entries {
				p := filepath.Join(folder, e.Name())
				st, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("killed at %s: %s has mode %v", s, e.Name(), st.Mode().Perm())
				}
				if strings.HasSuffix(e.Name(), ".db") {
					if r := run(t, "check", "--db", p); r.code != 0 {
						t.Fatalf("killed at %s: %s is not a whole backup: %s", s, e.Name(), r.stderr)
					}
				}
			}
			if r := run(t, "backup", "--db", shop, "--to", target); r.code != 0 {
				t.Fatalf("killed at %s: the next backup: %s", s, r.stderr)
			}
			entries, _ = os.ReadDir(folder)
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".db") {
					t.Fatalf("killed at %s: the next backup left %s", s, e.Name())
				}
			}
		}
		if kills < len(steps)/2 {
			t.Errorf("only %d of %d steps were reached", kills, len(steps))
		}
		t.Logf("backup killed at %d of %d steps (%v)", kills, len(steps), steps)
	})
}
