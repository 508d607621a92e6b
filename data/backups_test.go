package data

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regulars/rules"
	"strings"
	"syscall"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

// shopDB is the database the backups in these tests are of.
const shopDB = "/shop/regulars.db"

func touchBackup(t *testing.T, dir string, when time.Time) string {
	t.Helper()
	p := filepath.Join(dir, backupName(shopDB, when))
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPruneBackupsLeavesOtherFilesAlone(t *testing.T) {
	dir := t.TempDir()
	for d := 0; d < 10; d++ {
		touchBackup(t, dir, at("2026-06-01 09:00").AddDate(0, 0, d))
	}
	other := filepath.Join(dir, "my-copy.db")
	os.WriteFile(other, []byte("mine"), 0o600)
	// The demo shop's backups share the folder but are rotated on their own.
	demo := filepath.Join(dir, backupName("/shop/regulars-demo.db", at("2026-05-01 09:00")))
	os.WriteFile(demo, []byte("demo"), 0o600)
	n, err := PruneBackups(dir, shopDB)
	if err != nil {
		t.Fatal(err)
	}
	bs := Backups(shopDB, dir)
	// 4-10 June are the 7 days; the newest of weeks 23 and 24 and of June
	// are among them, so 1-3 June go.
	if n != 3 || len(bs) != 7 {
		t.Fatalf("pruned %d, left %d; want 3 and 7", n, len(bs))
	}
	if bs[0].Taken != at("2026-06-10 09:00") || bs[6].Taken != at("2026-06-04 09:00") {
		t.Errorf("kept %v .. %v", bs[0].Taken, bs[6].Taken)
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file not named like a backup was removed")
	}
	if _, err := os.Stat(demo); err != nil {
		t.Error("another database's backup was removed")
	}
	all, _ := ListBackups(dir)
	if len(all) != 8 || all[7].Shop != "regulars-demo" || all[0].Shop != "regulars" {
		t.Errorf("ListBackups = %+v", all)
	}
}

func TestParseBackupName(t *testing.T) {
	for _, c := range []struct {
		name, shop string
		ok         bool
	}{
		{"regulars-2026-06-15-090000.db", "regulars", true},
		{"regulars-demo-2026-06-15-090000.db", "regulars-demo", true},
		{"my shop-2026-06-15-090000.db", "my shop", true},
		{"regulars-2026-06-15-090000.db.part", "", false},
		{"regulars-2026-02-30-090000.db", "", false},
		{"-2026-06-15-090000.db", "", false},
		{"2026-06-15-090000.db", "", false},
		{"regulars.db", "", false},
		{"regulars_2026-06-15-090000.db", "", false},
	} {
		shop, _, ok := parseBackupName(c.name)
		if ok != c.ok || shop != c.shop {
			t.Errorf("%q: %q %v, want %q %v", c.name, shop, ok, c.shop, c.ok)
		}
	}
}

func TestBackupDue(t *testing.T) {
	db := filepath.Join(t.TempDir(), "regulars.db")
	today := rules.NewDay(2026, 6, 15)
	if !BackupDue(db, today) {
		t.Error("a missing folder should want a backup")
	}
	dir := DefaultBackupDir(db)
	os.Mkdir(dir, 0o700)
	if !BackupDue(db, today) {
		t.Error("an empty folder should want a backup")
	}
	os.WriteFile(filepath.Join(dir, backupName("regulars-demo.db", at("2026-06-15 08:00"))), nil, 0o600)
	if !BackupDue(db, today) {
		t.Error("the demo's backup should not count for the shop")
	}
	os.WriteFile(filepath.Join(dir, backupName(db, at("2026-06-14 18:00"))), nil, 0o600)
	if !BackupDue(db, today) {
		t.Error("yesterday's backup should not count for today")
	}
	os.WriteFile(filepath.Join(dir, backupName(db, at("2026-06-15 08:59"))), nil, 0o600)
	if BackupDue(db, today) {
		t.Error("a backup taken today should do for today")
	}
}

// fullDisk is a file system with room for only limit bytes: writes past it
// fail with ENOSPC, as a full disk does.
type fullDisk struct {
	f     *os.File
	limit int64
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.limit <= 0 {
		return 0, &os.PathError{Op: "write", Path: d.f.Name(), Err: syscall.ENOSPC}
	}
	n := int64(len(p))
	if n > d.limit {
		n = d.limit
	}
	w, err := d.f.Write(p[:n])
	d.limit -= int64(w)
	if err == nil && int64(w) < int64(len(p)) {
		err = &os.PathError{Op: "write", Path: d.f.Name(), Err: syscall.ENOSPC}
	}
	return w, err
}

// copyToFullDisk copies src to dst through a disk that fills up after limit bytes.
func copyToFullDisk(limit int64) func(src, dst string) error {
	return func(src, dst string) error {
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(&fullDisk{out, limit}, in)
		return err
	}
}

// shopState is what a person would notice changing: every table as CSV.
func shopState(t *testing.T, s *Store) string {
	t.Helper()
	var b bytes.Buffer
	for _, k := range ExportKinds {
		if err := s.ExportCSV(context.Background(), k, &b); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func TestBackupOnFullDiskLeavesDatabaseUntouched(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	for i := 0; i < 30; i++ {
		id := lyCustomer(t, s, fmt.Sprintf("Customer %d", i))
		lySale(t, s, id, 12345, 0)
	}
	before := shopState(t, s)
	dir := filepath.Join(t.TempDir(), "backups")
	// The disk fills up part way through the copy.
	vacuumThenFill := func(ctx context.Context, src, dst string) error {
		staged := filepath.Join(t.TempDir(), "staged.db")
		if err := vacuumInto(ctx, src, staged); err != nil {
			return err
		}
		return copyToFullDisk(8192)(staged, dst)
	}
	_, err := s.backup(ctx, dir+string(os.PathSeparator), vacuumThenFill)
	if err == nil {
		t.Fatal("a backup onto a full disk succeeded")
	}
	for _, want := range []string{"disk is full", "not written", "database itself is untouched"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("the failed backup left %d files behind (%s)", len(left), left[0].Name())
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("live database after the failed backup: %v %v", problems, err)
	}
	if after := shopState(t, s); after != before {
		t.Error("the live database changed")
	}
	// The shop goes on: a sale, then a backup with room, works.
	lySale(t, s, 1, 500, 0)
	if _, err := s.Backup(ctx, dir+string(os.PathSeparator)); err != nil {
		t.Fatalf("backup with room: %v", err)
	}
}

func TestSecondCopyOnFullDiskSaysSo(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	lyCustomer(t, s, "Ann Lee")
	path, err := s.Backup(ctx, filepath.Join(t.TempDir(), "b")+string(os.PathSeparator))
	if err != nil {
		t.Fatal(err)
	}
	second := t.TempDir()
	_, err = copyBackup(ctx, path, second, copyToFullDisk(100))
	if err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("err = %v, want a full disk", err)
	}
	if left, err := os.ReadDir(second); err != nil || len(left) != 0 {
		t.Errorf("the failed copy left %v behind (%v)", left, err)
	}
	if _, err := copyBackup(ctx, path, filepath.Join(second, "unplugged"), copyFile); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("copy to a missing folder: %v", err)
	}
}

func TestAutoBackupRotatesAndCopiesToSecondFolder(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	clock := at("2026-06-01 09:00")
	s, err := Open(ctx, filepath.Join(root, "shop", "regulars.db"), Options{Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lyCustomer(t, s, "Ann Lee")
	second := filepath.Join(root, "stick")
	if err := s.SetSecondBackupDir(ctx, second); err == nil {
		t.Error("a folder that does not exist was accepted")
	}
	if err := s.SetSecondBackupDir(ctx, "relative/path"); err == nil {
		t.Error("a relative folder was accepted")
	}
	if err := s.SetSecondBackupDir(ctx, filepath.Join(root, "shop")); err == nil {
		t.Error("the database's own folder was accepted")
	}
	os.Mkdir(second, 0o700)
	if err := s.SetSecondBackupDir(ctx, second); err != nil {
		t.Fatal(err)
	}
	// Twenty days of starts and exits.
	for d := 0; d < 20; d++ {
		for _, h := range []time.Duration{0, 9 * time.Hour} {
			clock = at("2026-06-01 09:00").AddDate(0, 0, d).Add(h)
			rep, err := s.AutoBackup(ctx)
			if err != nil || rep.SecondErr != nil {
				t.Fatalf("day %d: %v / %v", d, err, rep.SecondErr)
			}
			if filepath.Dir(rep.Path) != DefaultBackupDir(s.Path()) || filepath.Dir(rep.Second) != second {
				t.Fatalf("backup at %s and %s", rep.Path, rep.Second)
			}
		}
	}
	for _, dir := range []string{DefaultBackupDir(s.Path()), second} {
		bs := Backups(s.Path(), dir)
		// Both of 20 June's, 14-19 June as days (the later of each day's
		// two), and 7 June as the newest of ISO week 23; weeks 24 and 25 and
		// June are days already.
		var got []string
		for _, b := range bs {
			got = append(got, b.Taken.Format("01-02 15:04"))
			if err := VerifyDatabaseFile(ctx, b.Path); err != nil {
				t.Errorf("%s: %v", b.Path, err)
			}
			st, _ := os.Stat(b.Path)
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v", b.Path, st.Mode().Perm())
			}
		}
		want := "06-20 18:00 06-20 09:00 06-19 18:00 06-18 18:00 06-17 18:00 06-16 18:00 06-15 18:00 06-14 18:00 06-07 18:00"
		if strings.Join(got, " ") != want {
			t.Errorf("%s keeps\n %s\nwant\n %s", dir, strings.Join(got, " "), want)
		}
	}
	st, _ := os.Stat(DefaultBackupDir(s.Path()))
	if st.Mode().Perm() != 0o700 {
		t.Errorf("backup folder mode %v, want 0700", st.Mode().Perm())
	}
	// A backup cut off left a .part and its journal behind, however
	// recently; one running now holds its .part; another shop's are not ours.
	dir := DefaultBackupDir(s.Path())
	stale := filepath.Join(dir, backupName(s.Path(), at("2026-06-03 09:00"))+".part")
	journal := stale + "-journal"
	fresh := filepath.Join(dir, backupName(s.Path(), at("2026-06-20 20:00"))+".part")
	other := filepath.Join(dir, backupName("/shop/other.db", at("2026-06-03 09:00"))+".part")
	for _, p := range []string{stale, journal, fresh, other} {
		os.WriteFile(p, []byte("half"), 0o600)
	}
	running, err := holdFile(fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer running()
	if _, err := s.AutoBackup(ctx); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, journal: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s kept = %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	// The stick is pulled out: the backup still happens, the copy says why not.
	os.Rename(second, second+"-away")
	rep, err := s.AutoBackup(ctx)
	if err != nil || rep.Path == "" {
		t.Fatalf("backup without the stick: %v", err)
	}
	if rep.SecondErr == nil || !strings.Contains(rep.SecondErr.Error(), "missing") {
		t.Errorf("second copy error = %v", rep.SecondErr)
	}
	var audited int
	s.reader().QueryRow("SELECT count(*) FROM audit WHERE action = 'change second backup folder' AND after = ?", second).Scan(&audited)
	if audited != 1 {
		t.Errorf("setting the second folder was audited %d times", audited)
	}
}

func TestSecondCopyWarning(t *testing.T) {
	dir := t.TempDir()
	now := at("2026-06-15 09:00")
	if w := SecondCopyWarning(shopDB, "", now); !strings.Contains(w, "this PC only") {
		t.Errorf("unset: %q", w)
	}
	if w := SecondCopyWarning(shopDB, filepath.Join(dir, "gone"), now); !strings.Contains(w, "missing") {
		t.Errorf("missing: %q", w)
	}
	if w := SecondCopyWarning(shopDB, dir, now); !strings.Contains(w, "no backup") {
		t.Errorf("empty: %q", w)
	}
	touchBackup(t, dir, at("2026-06-07 18:00"))
	if w := SecondCopyWarning(shopDB, dir, now); !strings.Contains(w, "7 Jun 2026, more than 7 days ago") {
		t.Errorf("old: %q", w)
	}
	os.WriteFile(filepath.Join(dir, backupName("/shop/regulars-demo.db", at("2026-06-14 09:00"))), nil, 0o600)
	if w := SecondCopyWarning(shopDB, dir, now); w == "" {
		t.Error("a fresh backup of the demo does not make the shop's copy fresh")
	}
	touchBackup(t, dir, at("2026-06-08 09:00"))
	if w := SecondCopyWarning(shopDB, dir, now); w != "" {
		t.Errorf("7 days old exactly should do: %q", w)
	}
}

func TestRestoreIsAudited(t *testing.T) {
	ctx := context.Background()
	s := lyOpen(t, lyDay(2024, 3, 1))
	lyCustomer(t, s, "Ann Lee")
	b, err := s.Backup(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	live := s.Path()
	s.Close()
	aside, err := Restore(ctx, b, live)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, live, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	log, err := r.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 {
		t.Fatalf("audit log: %v %v", log, err)
	}
	if e := log[0]; e.Action != "restore from backup" || e.Subject != b || e.Before != aside {
		t.Errorf("audit row %+v", e)
	}
	if st, _ := os.Stat(live); st.Mode().Perm() != 0o600 {
		t.Errorf("restored database mode %v", st.Mode().Perm())
	}
}
