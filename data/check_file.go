package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regulars/rules"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Checks at the right time. Opening a shop reads no more than its first
// page: SQLite's 100-byte header (checkHeader), the schema version and the
// names of its tables. A damaged page met later, by any read, becomes one
// sentence (explain, ExplainDamage). Reading the whole file is left to the
// full check (fileFindings and the ledger, check.go): `regulars check`,
// every backup's copy before it takes its name, and the window's first
// start of each day, in the background.

// appID is the application id Regulars leaves in the header: none. A file
// with another is another program's (a GeoPackage, an MBTiles map…).
const appID = 0

// checkHeader refuses, from SQLite's 100-byte header alone, a file that is
// not an SQLite database, one that is another program's (its application
// id), one whose header is damaged, and a shop of a newer schema, before
// the driver gets a chance to read any of it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	head := make([]byte, 100)
	n, _ := io.ReadFull(f, head)
	switch {
	case n == 0:
		return fmt.Errorf("%s is %w (the file is empty: 0 bytes)", path, ErrNotDatabase)
	case n < 16 || string(head[:16]) != "SQLite format 3\x00":
		return fmt.Errorf("%s is %w (it is not an SQLite file)", path, ErrNotDatabase)
	case n < 100:
		return fmt.Errorf("%s is %w (the file is cut short: %d bytes)", path, ErrDamaged, n)
	}
	if !headerSound(head) {
		return fmt.Errorf("%s is %w (its header is not an SQLite header); restore it from a backup", path, ErrDamaged)
	}
	if err := cutShort(path, f, head); err != nil {
		return err
	}
	if id := binary.BigEndian.Uint32(head[68:72]); id != appID {
		return fmt.Errorf("%s is %w (it belongs to another program: application id %s)", path, ErrNotDatabase, appIDWords(id))
	}
	// The schema version as last checkpointed: a newer one may wait in the
	// WAL (schemaVersion reads that), an older one never does.
	if v := int32(binary.BigEndian.Uint32(head[60:64])); int(v) > SchemaVersion() {
		return newerSchema(path, int(v))
	}
	return nil
}

// headerSound checks the header's fixed fields: the page size, the file
// format versions and the payload fractions.
func headerSound(head []byte) bool {
	size := int(binary.BigEndian.Uint16(head[16:18]))
	if size == 1 {
		size = 65536
	}
	if size < 512 || size&(size-1) != 0 {
		return false
	}
	if w, r := head[18], head[19]; w < 1 || w > 2 || r < 1 || r > 2 {
		return false
	}
	return head[21] == 64 && head[22] == 32 && head[23] == 32
}

// cutShort refuses a file shorter than its header says it is: a copy cut
// off, a disk that filled. The header's page count holds when it was
// written with the change counter beside it; while a WAL holds pages a
// checkpoint may be growing the file, so only a file without one is
// measured.
func cutShort(path string, f *os.File, head []byte) error {
	pages := int64(binary.BigEndian.Uint32(head[28:32]))
	if pages == 0 || binary.BigEndian.Uint32(head[24:28]) != binary.BigEndian.Uint32(head[92:96]) {
		return nil
	}
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	size := int64(binary.BigEndian.Uint16(head[16:18]))
	if size == 1 {
		size = 65536
	}
	if have := st.Size() / size; have < pages {
		return fmt.Errorf("%s is %w (the file is cut short: it holds %d of its %d pages); restore it from a backup", path, ErrDamaged, have, pages)
	}
	return nil
}

// appIDWords shows an application id as its four letters when it is
// letters (most are), else in hex.
func appIDWords(id uint32) string {
	b := []byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%#08x", id)
		}
	}
	return fmt.Sprintf("%q", b)
}

func newerSchema(path string, version int) error {
	return fmt.Errorf("%s: %w (schema %d; this version knows up to %d): update Regulars to open it", path, ErrNewerSchema, version, SchemaVersion())
}

// ownTables refuses an SQLite file of a schema version Regulars knows that
// lacks Regulars' own tables: another program's file. It reads the schema's
// names alone, so check can still list a schema changed by hand.
func (s *Store) ownTables(ctx context.Context, db querier, version int) error {
	if version < 1 {
		return nil
	}
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('settings', 'customers', 'purchases', 'ledger')`).Scan(&n)
	if err != nil {
		return s.explain(err)
	}
	if n != 4 {
		return fmt.Errorf("%s is %w (it holds tables of another program)", s.path, ErrNotDatabase)
	}
	return nil
}

// fileFindings is the file part of the full check: SQLite's integrity
// check over every page, the schema as Regulars makes it, and the foreign
// keys. damaged says the integrity check failed; then nothing more is read.
func (s *Store) fileFindings(ctx context.Context, db querier) (found []finding, damaged bool, err error) {
	add := func(format string, args ...any) {
		found = append(found, finding{what: fmt.Sprintf(format, args...)})
	}
	msgs, err := column[string](ctx, db, "PRAGMA integrity_check")
	for _, m := range msgs {
		if m != "ok" {
			add("the database file is damaged: %s", oneLine(m))
		}
	}
	if err != nil {
		// The check may stop at the damage it reports.
		var se *sqlite.Error
		if !errors.As(err, &se) || (se.Code()&0xff != sqlite3.SQLITE_CORRUPT && se.Code()&0xff != sqlite3.SQLITE_NOTADB) {
			return nil, false, s.explain(err)
		}
		if len(found) == 0 {
			add("the database file is damaged: %s", sqliteWords(se))
		}
	}
	if len(found) > 0 {
		return found, true, nil
	}
	schema, err := s.schemaFindings(ctx, db)
	if err != nil {
		return nil, false, s.explain(err)
	}
	for _, p := range schema {
		add("%s", p)
	}
	keys, err := s.keyFindings(ctx, db)
	return append(found, keys...), false, err
}

// keyFindings lists the rows that name a row that does not exist.
func (s *Store) keyFindings(ctx context.Context, db querier) ([]finding, error) {
	var found []finding
	fk, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, s.explain(err)
	}
	defer fk.Close()
	for fk.Next() {
		var table, parent string
		var rowid, fkid any
		if err := fk.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, s.explain(err)
		}
		found = append(found, finding{what: fmt.Sprintf("%s row %v refers to a %s row that does not exist", table, rowid, parent)})
	}
	return found, s.explain(fk.Err())
}

// ledgerFindings checks every ledger invariant against the shop's loyalty
// scheme as it was on each day (checkLedger), in one read transaction on
// db.
func (s *Store) ledgerFindings(ctx context.Context, db *sql.DB) ([]finding, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.explain(err)
	}
	defer tx.Rollback()
	return s.ledgerFindingsIn(ctx, tx, tx)
}

// ledgerFindingsIn is ledgerFindings read through q, and through lq for
// the ledger's rows read beside the purchases (the same transaction on
// SQLite; on PostgreSQL a second one reading the same snapshot).
func (s *Store) ledgerFindingsIn(ctx context.Context, q, lq querier) ([]finding, error) {
	var found []finding
	v, err := settingIn(ctx, q, "loyalty")
	if err != nil {
		return nil, s.explain(err)
	}
	l, err := rules.LoyaltyFrom(v)
	if err == nil {
		err = l.Validate()
	}
	if err != nil {
		found = append(found, finding{what: fmt.Sprintf("the loyalty scheme is not usable (%v); points were checked against the default scheme", err)})
		l = rules.DefaultLoyalty()
	}
	var history rules.LoyaltyHistory
	v, err = settingIn(ctx, q, "loyalty_history")
	if err != nil {
		return nil, s.explain(err)
	}
	if v != "" {
		if err := json.Unmarshal([]byte(v), &history); err != nil {
			found = append(found, finding{what: fmt.Sprintf("the stored history of loyalty schemes is damaged (%v)", err)})
			history = nil
		}
	}
	ledger, err := s.checkLedger(ctx, q, lq, l, history)
	if err != nil {
		return nil, err
	}
	return append(found, ledger...), nil
}

// settingIn reads one raw setting through q; "" when it is not set.
func settingIn(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// keysAndLedger is what the full check adds to the integrity and schema
// checks VerifyDatabaseFile makes of a backup: the foreign keys and the
// ledger, as one sentence naming path, or nil.
func keysAndLedger(ctx context.Context, path string, db *sql.DB) error {
	s := &Store{path: path, r: db}
	keys, err := s.keyFindings(ctx, db)
	if err != nil {
		return err
	}
	ledger, err := s.ledgerFindings(ctx, db)
	if err != nil {
		return err
	}
	problems := problemsOf(append(keys, ledger...))
	if len(problems) == 0 {
		return nil
	}
	list := make([]string, len(problems))
	for i, p := range problems {
		list[i] = p.What
	}
	return fmt.Errorf("%s is %w: %s", path, ErrDamaged, morePhrase(list, "problem"))
}

// ExplainDamage turns SQLite's own words for a damaged file or one of
// another kind, met by any read at any moment, into one sentence naming
// path. Other errors are returned as they are.
func ExplainDamage(path string, err error) error {
	if err == nil || errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotDatabase) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return (&Store{path: path}).explain(se)
		}
		return err
	}
	// The words alone, when a wrapping on the way kept no more than them.
	m := strings.ToLower(err.Error())
	switch {
	case strings.Contains(m, "database disk image is malformed"):
		return fmt.Errorf("%s is %w (the database disk image is malformed); restore it from a backup", path, ErrDamaged)
	case strings.Contains(m, "file is not a database"):
		return fmt.Errorf("%s is %w (the file is damaged or of another kind)", path, ErrNotDatabase)
	}
	return err
}
