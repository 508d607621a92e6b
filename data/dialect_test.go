package data

import "testing"

func TestDialectPGPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ?", "SELECT * FROM t WHERE a = $1"},
		{"INSERT INTO t(a, b, c) VALUES (?, ?, ?)", "INSERT INTO t(a, b, c) VALUES ($1, $2, $3)"},
		{"WHERE bal >= ?1 AND bal - points < ?1", "WHERE bal >= $1 AND bal - points < $1"},
		{"?2 + ?10 - ?1", "$2 + $10 - $1"},
		// A bare ? follows the largest number so far, as SQLite numbers it.
		{"?1, ?, ?5, ?, ?2, ?", "$1, $2, $5, $6, $2, $7"},
		{"a = ?1 AND b = ?", "a = $1 AND b = $2"},
		// Left alone: literals, quoted names, comments.
		{"SELECT '?', 'it''s ?1', x FROM t WHERE y = ?", "SELECT '?', 'it''s ?1', x FROM t WHERE y = $1"},
		{`SELECT "odd?name" FROM t WHERE a = ?`, `SELECT "odd?name" FROM t WHERE a = $1`},
		{"SELECT a -- why?\nFROM t WHERE b = ?", "SELECT a -- why?\nFROM t WHERE b = $1"},
		{"SELECT /* ?1 */ a FROM t WHERE b = ?", "SELECT /* ?1 */ a FROM t WHERE b = $1"},
		{"SELECT a FROM t -- ends in a comment?", "SELECT a FROM t -- ends in a comment?"},
		{"SELECT 'unclosed ?", "SELECT 'unclosed ?"},
		{"SELECT a /* unclosed ?", "SELECT a /* unclosed ?"},
		{"a - ?1 / ?", "a - $1 / $2"},
	} {
		if got := pgPlaceholders(c.in); got != c.want {
			t.Errorf("pgPlaceholders(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// The summary row's query keeps every parameter; no ? is left.
	q := pgPlaceholders(summaryFromFacts(" AND customer_id IN (1,2)"))
	if n := countByte(q, '?'); n != 0 {
		t.Errorf("%d question marks left in the summary query", n)
	}
}

func countByte(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return n
}
