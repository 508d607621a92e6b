package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"regulars/rules"
	"strconv"
	"strings"
)

// What differs between the SQL the store writes (SQLite's) and what
// PostgreSQL reads lives here.

// pgPlaceholders rewrites a query's parameters from SQLite's spelling to
// PostgreSQL's: "?N" becomes "$N", and a bare "?" takes the number SQLite
// gives it (one more than the largest number before it). Question marks
// inside string literals, quoted names and comments are left alone.
func pgPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	largest := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			// A literal or a quoted name runs to the next same quote; a
			// doubled quote inside it closes and reopens it, which this
			// copies as it is.
			i = copyPast(&b, q, i, 1, q[i:i+1])
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			i = copyPast(&b, q, i, 0, "\n")
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			i = copyPast(&b, q, i, 2, "*/")
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := largest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			largest = max(largest, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// copyPast copies q from i through the first end after its first skip
// bytes (to the end of q when there is none) and returns where it stopped.
func copyPast(b *strings.Builder, q string, i, skip int, end string) int {
	n := len(q)
	if k := strings.Index(q[i+skip:], end); k >= 0 {
		n = i + skip + k + len(end)
	}
	b.WriteString(q[i:n])
	return n
}

// dialect is the engine under a Store: the SQLite file (the zero value) or
// a PostgreSQL database. The store's SQL is SQLite's; on PostgreSQL every
// statement passes through pgSQL (pgConn) on its way to the server.
type dialect int

const (
	onSQLite dialect = iota
	onPostgres
)

func (d dialect) String() string {
	if d == onPostgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// ErrNotOnPostgres means a shop on PostgreSQL was asked for something only
// a shop in a file does so far.
var ErrNotOnPostgres = errors.New("not on PostgreSQL yet")

// notOnPostgres refuses what for in one sentence on a shop on PostgreSQL.
func (s *Store) notOnPostgres(what string) error {
	if s.dialect != onPostgres {
		return nil
	}
	return fmt.Errorf("%s is %w: it works on a shop in a file only", what, ErrNotOnPostgres)
}

// isPostgresURL says whether where names a PostgreSQL database rather than
// a file.
func isPostgresURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

var (
	orIgnoreRe = regexp.MustCompile(`(?is)^\s*INSERT\s+OR\s+IGNORE\s+INTO\s`)
	jsonEachRe = regexp.MustCompile(`(?i)SELECT\s+value\s+FROM\s+json_each\((\$\d+)\)`)
	insertRe   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+([a-z_]+)\b`)
	returnRe   = regexp.MustCompile(`(?i)\bRETURNING\b`)
	rowidRe    = regexp.MustCompile(`\browid\b`)
	nocaseRe   = regexp.MustCompile(`(?i)([a-z_][a-z_0-9.]*)\s+COLLATE\s+NOCASE\b`)
)

// pgSQL rewrites one of the store's statements, written for SQLite, into
// PostgreSQL's SQL: the parameters ($N), INSERT OR IGNORE (ON CONFLICT DO
// NOTHING), and the list of ids a query reads from a JSON array
// (json_each; the ids are numbers, as SQLite compares them).
func pgSQL(q string) string {
	q = pgPlaceholders(q)
	if loc := orIgnoreRe.FindStringIndex(q); loc != nil {
		q = "INSERT INTO " + strings.TrimRight(q[loc[1]:], " \t\r\n;") + " ON CONFLICT DO NOTHING"
	}
	if strings.Contains(q, "json_each") {
		q = jsonEachRe.ReplaceAllString(q, "SELECT value::bigint FROM json_array_elements_text(CAST($1 AS json))")
	}
	if strings.Contains(q, "NOCASE") {
		// SQLite's NOCASE folds the ASCII letters alone; PostgreSQL has
		// no such collation, and lower() comes nearest.
		q = nocaseRe.ReplaceAllString(q, `lower($1) COLLATE "C"`)
	}
	if strings.Contains(q, "rowid") {
		// Storage order: SQLite's rowid is the id where a table has one;
		// the reminder states have none and are read in any order.
		by := "id"
		if strings.Contains(q, "FROM reminder_states") {
			by = "ctid"
		}
		q = rowidRe.ReplaceAllString(q, by)
	}
	return q
}

// pgIDTables are the tables whose rows get their id from the database: an
// INSERT into one of them reads the id back (RETURNING id), PostgreSQL
// having no last_insert_rowid.
var pgIDTables = map[string]bool{
	"staff": true, "customers": true, "purchases": true, "occasions": true, "promises": true,
	"complaints": true, "contacts": true, "ledger": true, "audit": true,
}

// pgReturningID gives the INSERT q (already in PostgreSQL's SQL) a
// RETURNING id when its table makes ids and it reads nothing back yet, or
// "" when it needs none.
func pgReturningID(q string) string {
	m := insertRe.FindStringSubmatch(q)
	if m == nil || !pgIDTables[strings.ToLower(m[1])] || returnRe.MatchString(q) {
		return ""
	}
	return strings.TrimRight(q, " \t\r\n;") + " RETURNING id"
}

// lockCustomer holds, inside a write transaction, the customer until the
// transaction ends, so that two tills writing for the same customer take
// turns: the second reads the balance after the first has committed. On
// PostgreSQL it locks the customer's row, not the summary row: a write
// works the summary row out again by deleting it and inserting it anew
// (updateSummaries), and a lock waiting on a deleted row ends holding
// nothing. FOR NO KEY UPDATE still lets other writes refer to the
// customer meanwhile. SQLite needs nothing: its one writer holds the
// whole file from the transaction's start (_txlock=immediate).
func (s *Store) lockCustomer(ctx context.Context, tx *sql.Tx, id rules.ID) error {
	if s.dialect != onPostgres || id == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM customers WHERE id = ? FOR NO KEY UPDATE", id)
	if err != nil {
		return err
	}
	return rows.Close()
}

// numberLength is SQL for the length of the number col written out, as
// SQLite's length() gives it for a number.
func (d dialect) numberLength(col string) string {
	if d == onPostgres {
		return "length(" + col + "::text)"
	}
	return "length(" + col + ")"
}

// tableCount is SQL that counts the tables named name (0 or 1).
func (d dialect) tableCount(name string) string {
	if d == onPostgres {
		return "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '" + name + "'"
	}
	return "SELECT count(*) FROM sqlite_master WHERE name = '" + name + "'"
}

// OnPostgres says whether the shop is on PostgreSQL rather than in a file.
func (s *Store) OnPostgres() bool { return s.dialect == onPostgres }
