package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regulars/rules"
	"runtime"
	"sort"
	"strings"
	"time"
)

// DefaultBackupDir is the "backups" folder beside the database; for a
// shop on PostgreSQL, the "backups" folder in this PC's Regulars data
// folder (where a shop in a file is kept by default).
func DefaultBackupDir(dbPath string) string {
	if isPostgresURL(dbPath) {
		return filepath.Join(userDataDir(), "backups")
	}
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// userDataDir is this user's Regulars data folder:
// $XDG_DATA_HOME/regulars, or the platform's equivalent.
func userDataDir() string {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, "regulars")
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "regulars")
		}
	} else if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "regulars")
	}
	return filepath.Join(os.TempDir(), "regulars")
}

// Backup writes a consistent copy of the database to path. When path is a
// folder (or ends with a separator) the copy goes inside it under a dated
// name. The copy is written beside its final name, verified, and only then
// renamed into place, so a failed backup never leaves a broken file behind.
func (s *Store) Backup(ctx context.Context, path string) (string, error) {
	return s.backup(ctx, path, vacuumInto)
}

// copyFunc writes a consistent copy of the database src into the new file dst.
type copyFunc func(ctx context.Context, src, dst string) error

func (s *Store) backup(ctx context.Context, path string, write copyFunc) (string, error) {
	if s.dialect == onPostgres {
		write = func(ctx context.Context, _, dst string) error { return s.pgBackupInto(ctx, dst) }
	}
	target := path
	if st, err := os.Stat(path); (err == nil && st.IsDir()) || strings.HasSuffix(path, string(os.PathSeparator)) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return "", fmt.Errorf("cannot create the backup folder %s: %w", path, unwrapPath(err))
		}
		removeStaleParts(path, s.path)
		// The real time, even under --date: the name says when the copy was made.
		target = filepath.Join(path, backupName(s.path, s.clock()))
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("cannot create the backup folder %s: %w", filepath.Dir(path), unwrapPath(err))
	}
	if err := s.mayReplace(ctx, target); err != nil {
		return "", err
	}
	err := putVerified(ctx, target, func(ctx context.Context, tmp string) error {
		// Damage met while the shop is read is the shop's, not the copy's.
		return ExplainDamage(s.path, write(ctx, s.path, tmp))
	})
	if err != nil {
		return "", err
	}
	return target, nil
}

// mayReplace refuses a backup's target that exists and is not one of the
// backups Regulars makes: a shop's live file, a spreadsheet, a device, a
// link. A backup is a whole Regulars database in SQLite's rollback-journal
// mode (VACUUM INTO writes them so); a shop is in WAL mode.
func (s *Store) mayReplace(ctx context.Context, target string) error {
	st, err := os.Lstat(target)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot look at %s: %w", target, unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a file; give the backup a new name, or a folder", target)
	}
	if cur, err := os.Stat(s.path); err == nil && os.SameFile(st, cur) {
		return fmt.Errorf("%s is the database itself; give the backup a new name, or a folder", target)
	}
	if walMode(target) || VerifyDatabaseFile(ctx, target) != nil {
		return fmt.Errorf("%s exists and is not a backup made by Regulars; it was left as it is: give the backup a new name, or a folder", target)
	}
	return nil
}

// walMode reports whether the SQLite file at path is in WAL mode, as a
// shop in use is and a backup never is.
func walMode(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 20)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return head[18] == 2 || head[19] == 2
}

// vacuumInto copies the database with VACUUM INTO on a read-only
// connection of its own: it reads one snapshot, so the shop's writes go on
// meanwhile, and it writes nothing to the shop's file.
func vacuumInto(ctx context.Context, src, dst string) error {
	// mode=ro alone: query_only would refuse VACUUM INTO, which only
	// writes the new file.
	db, err := sql.Open("sqlite", sqliteURI(src, url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(5000)"}}))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if abs, err := filepath.Abs(dst); err == nil {
		dst = abs // a plain file name, never read as a "file:" address
	}
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

// putVerified has write fill target's .part file, checks it and renames it
// into place. Whatever fails, the .part is removed and target is untouched.
// The .part is made 0600 before anything is written into it, and held
// while it is written: one left by a backup that was killed is removed by
// the next backup, one still being written is not.
func putVerified(ctx context.Context, target string, write func(ctx context.Context, tmp string) error) error {
	tmp := target + ".part"
	f, err := createHeld(tmp)
	if err != nil {
		if errors.Is(err, errHeld) {
			return fmt.Errorf("another backup to %s is under way", target)
		}
		return fmt.Errorf("the backup to %s failed: %w; the database itself is untouched", target, err)
	}
	defer f.Close()
	defer os.Remove(tmp + "-journal")
	defer os.Remove(tmp)
	if err := write(ctx, tmp); err != nil {
		if diskFull(err) || diskFullAt(target) {
			return fmt.Errorf("the disk is full: the backup to %s was not written; the database itself is untouched", target)
		}
		return fmt.Errorf("the backup to %s failed: %w; the database itself is untouched", target, (&Store{path: target}).explain(unwrapPath(err)))
	}
	if err := f.Sync(); err != nil {
		if diskFullAt(target) {
			return fmt.Errorf("the disk is full: the backup to %s was not written; the database itself is untouched", target)
		}
		return fmt.Errorf("the backup to %s failed: %w; the database itself is untouched", target, err)
	}
	if err := VerifyDatabaseFile(ctx, tmp); err != nil {
		return fmt.Errorf("the backup written to %s did not verify (%v); the database itself is untouched", target, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("cannot put the backup at %s: %w", target, unwrapPath(err))
	}
	syncDir(filepath.Dir(target))
	return nil
}

// Backup files are named after their database and the time they were
// taken ("regulars-2026-06-15-090000.db"), so that rotation needs nothing
// but the names and the backups of two databases sharing a folder (the
// shop and its demo) never mix.
const backupStamp = "2006-01-02-150405"

func backupName(dbPath string, t time.Time) string {
	return backupShop(dbPath) + "-" + t.Format(backupStamp) + ".db"
}

// backupShop is the name a database's backups start with: its file name
// without the extension; for a shop on PostgreSQL, "postgres-" and the
// database's name.
func backupShop(dbPath string) string {
	if isPostgresURL(dbPath) {
		return "postgres-" + pgDatabaseName(dbPath)
	}
	base := filepath.Base(dbPath)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// BackupFile is one backup in a folder.
type BackupFile struct {
	Path  string
	Shop  string    // the database it is a backup of, by file name without extension
	Taken time.Time // from its name, local time
	Size  int64
}

// parseBackupName reads "<shop>-YYYY-MM-DD-HHMMSS.db".
func parseBackupName(name string) (shop string, taken time.Time, ok bool) {
	n := len(backupStamp) + len(".db")
	if len(name) <= n+1 || !strings.HasSuffix(name, ".db") || name[len(name)-n-1] != '-' {
		return "", time.Time{}, false
	}
	t, err := time.ParseInLocation(backupStamp, name[len(name)-n:len(name)-3], time.Local)
	if err != nil {
		return "", time.Time{}, false
	}
	return name[:len(name)-n-1], t, true
}

// Backups lists the backups of the database at dbPath found in dirs,
// newest first; folders that cannot be read are passed over.
func Backups(dbPath string, dirs ...string) []BackupFile {
	var out []BackupFile
	for _, d := range dirs {
		if d == "" {
			continue
		}
		bs, _ := ListBackups(d)
		for _, b := range bs {
			if b.Shop == backupShop(dbPath) {
				out = append(out, b)
			}
		}
	}
	sortBackups(out)
	return out
}

// ListBackups lists the backups in dir, newest first. Files not named like
// backups are left out (and never removed by rotation).
func ListBackups(dir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the backup folder %s: %w", dir, unwrapPath(err))
	}
	var out []BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		shop, t, ok := parseBackupName(e.Name())
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupFile{Path: filepath.Join(dir, e.Name()), Shop: shop, Taken: t, Size: info.Size()})
	}
	sortBackups(out)
	return out, nil
}

func sortBackups(bs []BackupFile) {
	sort.SliceStable(bs, func(i, j int) bool {
		if !bs[i].Taken.Equal(bs[j].Taken) {
			return bs[i].Taken.After(bs[j].Taken)
		}
		return bs[i].Path > bs[j].Path
	})
}

// PruneBackups removes the backups of the database at dbPath in dir that
// rotation does not keep and returns how many went.
func PruneBackups(dir, dbPath string) (int, error) {
	if _, err := ListBackups(dir); err != nil {
		return 0, err
	}
	bs := Backups(dbPath, dir)
	taken := make([]time.Time, len(bs))
	for i, b := range bs {
		taken[i] = b.Taken
	}
	n := 0
	for i, k := range rules.KeepBackups(taken) {
		if k {
			continue
		}
		if err := os.Remove(bs[i].Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return n, fmt.Errorf("cannot remove the old backup %s: %w", bs[i].Path, unwrapPath(err))
		}
		n++
	}
	return n, nil
}

// BackupDue reports whether the backups folder of the database at dbPath
// holds no backup of it taken on day: the first start of each day makes one.
func BackupDue(dbPath string, day rules.Day) bool {
	for _, b := range Backups(dbPath, DefaultBackupDir(dbPath)) {
		if rules.DayOf(b.Taken) == day {
			return false
		}
	}
	return true
}

// BackupReport says what an automatic backup did.
type BackupReport struct {
	Path      string // the new backup beside the database
	Pruned    int    // old backups rotation removed, in both folders
	Second    string // the copy in the second folder; "" when none was made
	SecondErr error  // why the second copy failed, when it did
}

// AutoBackup backs the database up into DefaultBackupDir, rotates the
// backups there, then copies the new backup (verified again) into the
// owner's second backup folder, when one is set, and rotates that too. A
// failure to reach the second folder does not fail the backup; it is
// reported in SecondErr.
func (s *Store) AutoBackup(ctx context.Context) (BackupReport, error) {
	var rep BackupReport
	dir := DefaultBackupDir(s.path)
	removeStaleParts(dir, s.path)
	path, err := s.Backup(ctx, dir+string(os.PathSeparator))
	if err != nil {
		return rep, err
	}
	rep.Path = path
	n, err := PruneBackups(dir, s.path)
	rep.Pruned += n
	if err != nil {
		return rep, err
	}
	second, err := s.SecondBackupDir(ctx)
	if err != nil || second == "" {
		return rep, err
	}
	removeStaleParts(second, s.path)
	rep.Second, rep.SecondErr = copyBackup(ctx, path, second, copyFile)
	if rep.SecondErr == nil {
		n, err := PruneBackups(second, s.path)
		rep.Pruned += n
		rep.SecondErr = err
	}
	return rep, nil
}

// removeStaleParts removes the half-written backups of the database at
// dbPath that backups cut off (the app killed, the PC switched off) left in
// dir, with their journals; those a running backup holds stay.
func removeStaleParts(dir, dbPath string) {
	parts, _ := filepath.Glob(filepath.Join(globEscape(dir), "*.db.part"))
	for _, p := range parts {
		shop, _, ok := parseBackupName(strings.TrimSuffix(filepath.Base(p), ".part"))
		if ok && shop == backupShop(dbPath) && abandoned(p) {
			os.Remove(p)
			os.Remove(p + "-journal")
		}
	}
	journals, _ := filepath.Glob(filepath.Join(globEscape(dir), "*.db.part-journal"))
	for _, j := range journals {
		p := strings.TrimSuffix(j, "-journal")
		shop, _, ok := parseBackupName(strings.TrimSuffix(filepath.Base(p), ".part"))
		if _, err := os.Lstat(p); ok && shop == backupShop(dbPath) && errors.Is(err, os.ErrNotExist) {
			os.Remove(j) // its .part went; nothing holds a journal alone
		}
	}
}

// copyBackup copies the backup file src into the folder dir under the
// same name, verified before it takes that name.
func copyBackup(ctx context.Context, src, dir string, copy func(src, dst string) error) (string, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("the second backup folder %s is missing (is the stick or drive plugged in?)", dir)
	}
	target := filepath.Join(dir, filepath.Base(src))
	err := putVerified(ctx, target, func(_ context.Context, tmp string) error { return copy(src, tmp) })
	if err != nil {
		return "", err
	}
	return target, nil
}

// secondDirKey is the setting naming the second backup folder.
const secondDirKey = "backup.second_dir"

// SecondBackupDir is the owner's second backup folder (a USB stick, a
// cloud-synced folder), "" when none is set.
func (s *Store) SecondBackupDir(ctx context.Context) (string, error) {
	return s.Setting(ctx, secondDirKey)
}

// SetSecondBackupDir sets the second backup folder; "" sets none. The
// folder must exist now and take files.
func (s *Store) SetSecondBackupDir(ctx context.Context, dir string) error {
	dir, err := CheckSecondBackupDir(s.path, dir)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, secondDirKey, dir)
}

// CheckSecondBackupDir says what is wrong with dir as the second backup
// folder of the database at dbPath, and returns it cleaned; "" (none) is
// fine.
func CheckSecondBackupDir(dbPath, dir string) (string, error) {
	dir = strings.TrimSpace(dir)
	if dir == "" {
		return "", nil
	}
	if !filepath.IsAbs(dir) {
		return "", fmt.Errorf("the second backup folder must be a full path, such as /media/stick/regulars")
	}
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return "", fmt.Errorf("there is no folder %s", dir)
	}
	if dir == filepath.Clean(DefaultBackupDir(dbPath)) || dir == filepath.Dir(dbPath) {
		return "", fmt.Errorf("the second backup folder must be somewhere else than the database, ideally off this PC")
	}
	f, err := os.CreateTemp(dir, ".regulars-write-test-*")
	if err != nil {
		return "", fmt.Errorf("cannot write into %s: %w", dir, unwrapPath(err))
	}
	f.Close()
	os.Remove(f.Name())
	return dir, nil
}

// secondCopyMaxAge is how old the newest copy off the PC may get before
// the app warns.
const secondCopyMaxAge = 7 * 24 * time.Hour

// SecondCopyWarning says, in one sentence, what is wrong with the copies of
// the database at dbPath in the second backup folder dir at the time now,
// or "" when the newest one is at most 7 days old.
func SecondCopyWarning(dbPath, dir string, now time.Time) string {
	if dir == "" {
		return "Backups are kept on this PC only: choose a second backup folder (a USB stick or a cloud-synced folder) in Settings."
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Sprintf("The second backup folder %s is missing: plug in the stick or drive, or choose another folder in Settings.", dir)
	}
	if _, err := ListBackups(dir); err != nil {
		return fmt.Sprintf("The second backup folder %s cannot be read.", dir)
	}
	bs := Backups(dbPath, dir)
	if len(bs) == 0 {
		return fmt.Sprintf("There is no backup in the second backup folder %s yet.", dir)
	}
	if now.Sub(bs[0].Taken) > secondCopyMaxAge {
		return fmt.Sprintf("The newest backup in %s is from %s, more than 7 days ago.", dir, bs[0].Taken.Format("2 Jan 2006"))
	}
	return ""
}

// VerifyDatabaseFile opens a file read-only and runs the full check on it:
// a whole Regulars database of a schema this build understands, with the
// schema exactly as the app makes it, every page sound, every row's keys
// naming rows that exist, and every ledger invariant kept. It writes
// nothing. Every backup's copy passes it before it takes its name: the
// copy is checked, not the shop. VACUUM INTO reads every row of every table
// of the shop to write it (a damaged table page stops it) and builds the
// copy's indexes afresh, so what is checked is what a restore brings back,
// on the one snapshot the backup took; the shop's own pages are checked by
// `regulars check` and the window's first start of a day.
func VerifyDatabaseFile(ctx context.Context, path string) error {
	if err := verifyHeader(ctx, path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", sqliteURI(path, readOnlyParams(5000)))
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := &Store{path: path}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return tmp.explain(err)
	}
	if res != "ok" {
		return fmt.Errorf("%s is damaged (%s)", path, oneLine(res))
	}
	problems, err := tmp.schemaFindings(ctx, db)
	if err != nil {
		return tmp.explain(err)
	}
	if len(problems) > 0 {
		return schemaError{path, problems}
	}
	return keysAndLedger(ctx, path, db)
}

// verifyHeader checks, from its header and schema version alone, that the
// file at path is a Regulars database this build can read.
func verifyHeader(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is %w (it is not a file)", path, ErrNotDatabase)
	}
	if err := checkHeader(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", sqliteURI(path, readOnlyParams(5000)))
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := &Store{path: path}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return tmp.explain(err)
	}
	if version == 0 {
		return fmt.Errorf("%s is %w", path, ErrNotDatabase)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("%s: %w (schema %d; this version knows up to %d)", path, ErrNewerSchema, version, SchemaVersion())
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return unwrapPath(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return unwrapPath(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
