package data

import (
	"context"
	"fmt"
	"regulars/rules"
	"slices"
	"sync"
)

// Today of the current day, remembered between reads.
//
// The window reads Today after every sale, contact and reminder done, and
// reading it for a whole shop takes most of a second at 50,000 customers.
// So a store remembers the last Today it read for the current day, before
// its words, and reads again only what changed: the customers its own
// writes noted (touch), from their facts. Anything else reads it all again:
// a write that noted no customer (settings, templates, a customer's
// details), another day, other rules or scheme, another program's commit
// (PRAGMA data_version).
type todayMemo struct {
	mu  sync.Mutex
	day rules.Day
	patched
}

// patched is a list of reminders read once and then patched: the
// customers this store wrote since are read again from their facts.
type patched struct {
	valid    bool
	version  int64  // the writer's data_version when read
	settings string // the rules and the scheme it was read under
	rs       []rules.Reminder
	ws       []messageParts
	changed  map[rules.ID]bool // customers this store wrote since
}

// wrote tells what the store remembers that a write of its own committed,
// changing the customers ids (none: anything may have changed): Today and
// the calendar patch them, the whole-shop read is read again.
func (s *Store) wrote(ids []rules.ID) {
	s.today1.mu.Lock()
	s.today1.wrote(ids)
	s.today1.mu.Unlock()
	s.calendar.mu.Lock()
	s.calendar.wrote(ids)
	s.calendar.mu.Unlock()
	s.upcoming.mu.Lock()
	s.upcoming.wrote(ids)
	s.upcoming.mu.Unlock()
	s.base.forget()
}

// maxTodayPatch is the most customers a read patches; past it, it reads
// everyone again.
const maxTodayPatch = 200

// wrote notes, after a commit, the customers a write changed; a write that
// noted none forgets the list.
func (m *patched) wrote(ids []rules.ID) {
	if !m.valid {
		return
	}
	if len(ids) == 0 || len(m.changed)+len(ids) > maxTodayPatch {
		m.forget()
		return
	}
	for _, id := range ids {
		m.changed[id] = true
	}
}

func (m *patched) forget() {
	m.valid, m.rs, m.ws, m.changed = false, nil, nil, nil
}

// remember starts the list over with rs and ws.
func (m *patched) remember(rs []rules.Reminder, ws []messageParts) {
	m.valid, m.rs, m.ws, m.changed = true, rs, ws, map[rules.ID]bool{}
}

// readOrPatch brings m up to date: read reads everything again when m
// holds nothing, not what is asked (fits false), or was read before
// another program's commit or under other rules or scheme; else the
// customers this store wrote since are read again from their facts as of
// asOf and collect gives their reminders. It says whether it read all.
func (s *Store) readOrPatch(ctx context.Context, set shopSettings, m *patched, fits bool, asOf rules.Day,
	read func() ([]rules.Reminder, []messageParts, error), collect func(*factSet) ([]rules.Reminder, []messageParts)) (bool, error) {
	version, _, err := s.searchVersion(ctx)
	if err != nil {
		return false, err
	}
	key := fmt.Sprint(set.engine.rules, set.engine.loyalty)
	if !m.valid || !fits || m.version != version || m.settings != key {
		rs, ws, err := read()
		if err != nil {
			return false, err
		}
		m.remember(rs, ws)
		m.version, m.settings = version, key
		return true, nil
	}
	if len(m.changed) > 0 {
		fs, err := s.readFacts(ctx, s.reader(), set, asOf, m.changedIDs(), false)
		if err != nil {
			return false, err
		}
		m.patch(collect(fs))
	}
	return false, nil
}

// changedIDs is the customers written since, in order.
func (m *patched) changedIDs() []rules.ID {
	ids := make([]rules.ID, 0, len(m.changed))
	for id := range m.changed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// patch puts rs and ws, read again, in the place of the changed
// customers' reminders.
func (m *patched) patch(rs []rules.Reminder, ws []messageParts) {
	kept := 0
	for i := range m.rs {
		if !m.changed[m.rs[i].CustomerID] {
			m.rs[kept], m.ws[kept] = m.rs[i], m.ws[i]
			kept++
		}
	}
	m.rs, m.ws = append(m.rs[:kept], rs...), append(m.ws[:kept], ws...)
	m.changed = map[rules.ID]bool{}
}

// todayRemembered is todayFromFacts for d, from what this store remembers
// when d is the current day and nothing but its own noted writes changed
// since. It returns copies the caller may change.
func (s *Store) todayRemembered(ctx context.Context, set shopSettings, d rules.Day) ([]rules.Reminder, []messageParts, error) {
	if d != s.Today() || s.factsOnly {
		return s.todayFromFacts(ctx, set, d)
	}
	m := &s.today1
	m.mu.Lock()
	defer m.mu.Unlock()
	read, err := s.readOrPatch(ctx, set, &m.patched, m.day == d, d,
		func() ([]rules.Reminder, []messageParts, error) { return s.todayFromFacts(ctx, set, d) },
		func(fs *factSet) ([]rules.Reminder, []messageParts) { return collectToday(fs, d) })
	if err != nil {
		return nil, nil, err
	}
	if read {
		m.day = d
	}
	return slices.Clone(m.rs), slices.Clone(m.ws), nil
}

// calendarMemo remembers the last calendar span read (DueMonth, DueCounts,
// DueDayPage), unworded: choosing a day of the month shown, or paging
// through it, reads nothing again, and after this store's own writes only
// the customers written are read again. Another program's commit, or
// other rules or scheme read it all again.
type calendarMemo struct {
	mu       sync.Mutex
	from, to rules.Day
	patched
}

// dueRemembered is dueFromFacts for from..to, or for a span around them
// already read.
func (s *Store) dueRemembered(ctx context.Context, set shopSettings, from, to rules.Day) ([]rules.Reminder, []messageParts, error) {
	if s.factsOnly {
		return s.dueFromFacts(ctx, set, from, to)
	}
	m := &s.calendar
	m.mu.Lock()
	defer m.mu.Unlock()
	read, err := s.readOrPatch(ctx, set, &m.patched, from >= m.from && to <= m.to, m.to,
		func() ([]rules.Reminder, []messageParts, error) { return s.dueFromFacts(ctx, set, from, to) },
		func(fs *factSet) ([]rules.Reminder, []messageParts) { return dueOfFacts(fs, m.from, m.to) })
	if err != nil {
		return nil, nil, err
	}
	if read {
		m.from, m.to = from, to
	}
	var rs []rules.Reminder
	var ws []messageParts
	for i := range m.rs {
		if d := m.rs[i].Due; d >= from && d <= to {
			rs, ws = append(rs, m.rs[i]), append(ws, m.ws[i])
		}
	}
	return rs, ws, nil
}

// upcomingMemo remembers the last Upcoming read, unworded, and is patched
// like Today after this store's own writes.
type upcomingMemo struct {
	mu       sync.Mutex
	day, end rules.Day
	patched
}

// upcomingRemembered is upcomingFromFacts for d to end, from what this
// store remembers when nothing but its own noted writes changed since. It
// returns copies the caller may change.
func (s *Store) upcomingRemembered(ctx context.Context, set shopSettings, d, end rules.Day) ([]rules.Reminder, []messageParts, error) {
	if s.factsOnly {
		return s.upcomingFromFacts(ctx, set, d, end)
	}
	m := &s.upcoming
	m.mu.Lock()
	defer m.mu.Unlock()
	read, err := s.readOrPatch(ctx, set, &m.patched, m.day == d && m.end == end, d,
		func() ([]rules.Reminder, []messageParts, error) { return s.upcomingFromFacts(ctx, set, d, end) },
		func(fs *factSet) ([]rules.Reminder, []messageParts) { return collectUpcoming(fs, d, end) })
	if err != nil {
		return nil, nil, err
	}
	if read {
		m.day, m.end = d, end
	}
	return slices.Clone(m.rs), slices.Clone(m.ws), nil
}

// baseMemo remembers the last partial read of the whole shop
// (readPartialBase) until this store's next write: opening the window
// reads Today, Upcoming and the pop-up's count for the same day, and they
// share it.
type baseMemo struct {
	mu       sync.Mutex
	valid    bool
	day      rules.Day
	version  int64
	settings string
	pf       *partialFacts
}

func (m *baseMemo) forget() {
	m.mu.Lock()
	m.valid, m.pf = false, nil
	m.mu.Unlock()
}

// partialBase is readPartialBase for d, or the read remembered for d.
func (s *Store) partialBase(ctx context.Context, q querier, e engine, d rules.Day) (*partialFacts, error) {
	version, _, err := s.searchVersion(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprint(e.rules, e.loyalty)
	m := &s.base
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.valid && m.day == d && m.version == version && m.settings == key {
		return m.pf, nil
	}
	pf, err := s.readPartialBase(ctx, q, e, d)
	if err != nil {
		return nil, err
	}
	m.valid, m.day, m.version, m.settings, m.pf = true, d, version, key, pf
	return pf, nil
}
