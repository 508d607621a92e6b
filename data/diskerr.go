package data

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDiskFull means a write found no room on the disk; nothing of it was
// kept. Its text is what a person reads first.
var ErrDiskFull = errors.New("the disk is full")

// fullBelow is how little free space counts as a full disk. SQLite reports
// some writes that found no room as mere I/O errors (the WAL index cannot
// grow by its 32 KB, say); with less than this left, the disk is full.
const fullBelow = 1 << 20

// diskFull reports whether err comes from a full disk.
func diskFull(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	return errors.Is(err, ErrDiskFull) || errors.Is(err, syscall.ENOSPC)
}

// diskFullAt reports whether the disk holding path has (next to) no room left.
func diskFullAt(path string) bool {
	free, ok := freeBytes(filepath.Dir(path))
	return ok && free < fullBelow
}

// ioErrorWords says in words which kind of I/O error SQLite met, from its
// extended result code.
func ioErrorWords(code int) string {
	switch code {
	case sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_IOERR_SHORT_READ:
		return "a read failed"
	case sqlite3.SQLITE_IOERR_WRITE:
		return "a write failed"
	case sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_DIR_FSYNC:
		return "flushing to the disk failed"
	case sqlite3.SQLITE_IOERR_TRUNCATE:
		return "shortening the file failed"
	case sqlite3.SQLITE_IOERR_SHMSIZE, sqlite3.SQLITE_IOERR_SHMOPEN, sqlite3.SQLITE_IOERR_SHMMAP, sqlite3.SQLITE_IOERR_SHMLOCK:
		return "its shared-memory file (-shm) could not be used"
	case sqlite3.SQLITE_IOERR_DELETE, sqlite3.SQLITE_IOERR_DELETE_NOENT:
		return "a journal file could not be removed"
	case sqlite3.SQLITE_IOERR_LOCK, sqlite3.SQLITE_IOERR_RDLOCK, sqlite3.SQLITE_IOERR_UNLOCK, sqlite3.SQLITE_IOERR_CHECKRESERVEDLOCK:
		return "the file could not be locked"
	case sqlite3.SQLITE_IOERR_NOMEM:
		return "memory ran out"
	}
	return "an input or output error"
}

// sqliteWords is SQLite's message for an error on one line, without the
// result code the driver adds ("database disk image is malformed (11)").
func sqliteWords(se *sqlite.Error) string {
	m := oneLine(se.Error())
	if i := strings.LastIndex(m, " ("); i > 0 && strings.HasSuffix(m, ")") {
		if _, err := strconv.Atoi(m[i+2 : len(m)-1]); err == nil {
			m = m[:i]
		}
	}
	return m
}
