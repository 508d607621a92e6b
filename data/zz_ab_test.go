package data

import (
	"context"
	"database/sql"
	"os"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

func (s *Store) statesNarrow(ctx context.Context, q querier, rs []rules.Reminder, d rules.Day) (map[string]rules.Day, error) {
	out := make(map[string]rules.Day, len(rs))
	const batch = 500
	for start := 0; start < len(rs); start += batch {
		part := rs[start:min(start+batch, len(rs))]
		args := make([]any, 0, len(part)+1)
		args = append(args, d.String())
		for i := range part {
			args = append(args, part[i].Key)
		}
		err := s.scanEachOn(ctx, q, `SELECT key, changed_on FROM reminder_states WHERE changed_on <= ? AND key IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args,
			func(r *sql.Rows, day *sql.RawBytes) error {
				var key string
				if err := r.Scan(&key, day); err != nil {
					return err
				}
				out[key] = dayFromBytes(*day)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func TestZZStatesAB(t *testing.T) {
	db := os.Getenv("PROF_DB")
	if db == "" {
		return
	}
	ctx := context.Background()
	s, err := Open(ctx, db, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := s.Today()
	set, _ := s.readSettings(ctx, s.reader())
	q := s.reader()
	pf, err := s.readPartialBase(ctx, q, set.engine, d)
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := s.collectPartial(ctx, q, set.engine, pf, remindersRead{
		look: func(_ rules.ID, c *cand) bool { return c.shownFrom <= d && (c.until == 0 || d <= c.until) },
		day:  func(*cand) (rules.Day, rules.Day, rules.Day) { return d, d, d },
		keep: func(_ *cand, r *rules.Reminder) bool { return true },
		asOf: d, until: d,
	}, d)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		t0 := time.Now()
		a, err := s.statesOfKeys(ctx, q, rs, d)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		b, err := s.statesNarrow(ctx, q, rs, d)
		if err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		t.Logf("%d keys: full %v narrow %v (%d %d)", len(rs), t1.Sub(t0), t2.Sub(t1), len(a), len(b))
	}
}
