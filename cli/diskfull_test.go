package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a tmpfs of size bytes in a new folder and returns the
// folder. Mounting needs root: elsewhere the test is skipped with the
// reason printed (CI runs as root, and there a failed mount fails).
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: filling a small disk needs root to mount a tmpfs (CI runs as root)")
	}
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs at %s: %v %s", dir, err, strings.TrimSpace(string(out)))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("skipped: " + msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file that takes all the room on dir's disk but leave bytes.
func fillDisk(t *testing.T, dir string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	var n int64
	for {
		w, err := f.Write(chunk)
		n += int64(w)
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(max(0, n-leave)); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFullDiskDuringSaleImportAndBackup fills a small disk holding the shop
// to several levels, from quite full to full, and sells, imports and backs
// up on it. Each write happens whole or says "the disk is full" and leaves
// nothing; once room is made, check passes and every sale acknowledged is
// there.
func TestFullDiskDuringSaleImportAndBackup(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, 3<<20)
	elsewhere := t.TempDir()
	shop := filepath.Join(disk, "shop.db")
	var b strings.Builder
	b.WriteString("name,phone\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "Customer %d,07700 9%05d\n", i, i)
	}
	if r := run(t, "import", "customers", writeFile(t, elsewhere, "c.csv", b.String()), "--db", shop); r.code != 0 {
		t.Fatal(r.stderr)
	}
	acked := map[string]bool{} // "purchase N customer C"
	customers := 30
	refused := 0
	for level, leave := range []int64{1 << 20, 256 << 10, 96 << 10, 40 << 10, 12 << 10, 0} {
		var more strings.Builder
		more.WriteString("name,phone,notes\n")
		for i := 0; i < 200; i++ {
			fmt.Fprintf(&more, "New %d-%d,07800 %d%05d,%s\n", level, i, level, i, strings.Repeat("a note to take room ", 8))
		}
		moreCSV := writeFile(t, elsewhere, fmt.Sprintf("more%d.csv", level), more.String())
		filler := fillDisk(t, disk, leave)
		says := func(what string, r result) {
			t.Helper()
			if r.code == 0 {
				return
			}
			refused++
			if r.code != 1 || !oneSentence(r.stderr) || !strings.Contains(strings.ToLower(r.stderr), "the disk is full") {
				t.Errorf("%s with %d KB free: exit %d %q; want one sentence saying the disk is full", what, leave>>10, r.code, r.stderr)
			}
		}
		for i := 1; i <= 3; i++ {
			r := run(t, "sale", "--db", shop, "--customer", fmt.Sprint(i), "--amount", "25.00")
			says("sale", r)
			if r.code == 0 {
				line := strings.TrimSpace(r.stdout)
				acked[line[:strings.Index(line, " points")]] = true
			}
		}
		r := run(t, "import", "customers", moreCSV, "--db", shop)
		says("import", r)
		if r.code == 0 {
			customers += 200
		}
		r = run(t, "backup", "--db", shop, "--to", filepath.Join(disk, "backups")+string(os.PathSeparator))
		says("backup", r)
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		// Room again: the shop is whole, and holds exactly what was acknowledged.
		r = run(t, "check", "--db", shop)
		if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("(%d customers)", customers)) {
			t.Fatalf("check after a full disk (%d KB free): exit %d %s%s; want %d customers", leave>>10, r.code, r.stdout, r.stderr, customers)
		}
		exp := run(t, "export", "purchases", "--db", shop)
		for a := range acked {
			var id, cust int
			fmt.Sscanf(a, "purchase %d customer %d", &id, &cust)
			if !strings.Contains(exp.stdout, fmt.Sprintf("\n%d,%d,", id, cust)) {
				t.Errorf("acknowledged %s is lost", a)
			}
		}
		entries, _ := os.ReadDir(filepath.Join(disk, "backups"))
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".db") {
				t.Errorf("a backup on the full disk left %s", e.Name())
			} else if r := run(t, "check", "--db", filepath.Join(disk, "backups", e.Name())); r.code != 0 {
				t.Errorf("backup %s: %s", e.Name(), r.stderr)
			}
		}
	}
	if refused == 0 {
		t.Fatal("the disk never filled up")
	}
	t.Logf("%d writes refused on a full disk, %d sales acknowledged and kept, %d customers", refused, len(acked), customers)
}
