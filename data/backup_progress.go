package data

import (
	"os"
	"path/filepath"
)

// BackupWritten says how far a backup of the database at dbPath into its
// backups folder has got, for a progress bar: the bytes written so far to
// the copy being made, and the size of the database with its journal,
// which the copy grows towards (a copy leaves out free pages, so it may
// stop short). Both are 0 when no backup is being written.
func BackupWritten(dbPath string) (written, total int64) {
	parts, _ := filepath.Glob(filepath.Join(DefaultBackupDir(dbPath), "*.db.part"))
	var newest os.FileInfo
	for _, p := range parts {
		shop, _, ok := parseBackupName(filepath.Base(p[:len(p)-len(".part")]))
		st, err := os.Stat(p)
		if !ok || shop != backupShop(dbPath) || err != nil {
			continue
		}
		if newest == nil || st.ModTime().After(newest.ModTime()) {
			newest = st
		}
	}
	if newest == nil {
		return 0, 0
	}
	for _, p := range []string{dbPath, dbPath + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	return newest.Size(), total
}
