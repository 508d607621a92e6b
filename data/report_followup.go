package data

import (
	"cmp"
	"context"
	"database/sql"
	"regulars/rules"
	"slices"
	"strconv"
	"strings"
)

// The follow-up report counts every reminder due over a year or more by how
// it was handled. Its figures are those of AllReminders, but nothing here
// makes a Reminder's words or sorts the list: the rules give each
// customer's candidates, each is looked up among that customer's stored
// states and counted, and the handled reminders the rules no longer give
// are counted from their stored states.

// followState is a stored reminder state a follow-up report may count.
type followState struct {
	key     string
	state   rules.State
	staff   string
	changed rules.Day
	pos     int32 // in rowid order
	given   bool  // a candidate of the rules has this key
	moved   bool  // moved here by a merge; key is the survivor's
}

func (f *followState) stored() reminderState {
	return reminderState{State: f.state, Staff: f.staff, ChangedOn: f.changed}
}

// followStates are the states of reminders due from since to day, changed
// on or before day, with the customer they are stored under.
type followStates struct {
	rows pile[ownedState]
}

type ownedState struct {
	owner rules.ID
	st    followState
}

// readFollowStates reads the stored states that can count. A merge moves
// state rows to the surviving customer but keeps their keys, which name
// the customer merged away: they are taken under the key the survivor's
// reminder has now (see settleStates).
func (s *Store) readFollowStates(ctx context.Context, since, day rules.Day) (*followStates, error) {
	where := "changed_on <= ? AND due <= ?"
	args := []any{day.String(), day.String()}
	if !since.IsZero() {
		where += " AND due >= ?"
		args = append(args, since.String())
	}
	fs := &followStates{}
	// The few staff names recur thousands of times; each is kept once.
	names := map[string]string{}
	var v [5]any
	var c cells
	err := s.eachTableRow(ctx, "reminder_states", "key, customer_id, state, staff, changed_on", where, args, func(r *sql.Rows, _ *sql.RawBytes) error {
		if err := r.Scan(&v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			return err
		}
		cust, staff := c.int(v[1]), c.text(v[3])
		name, ok := names[staff]
		if !ok {
			name = staff
			names[name] = name
		}
		st := followState{key: c.text(v[0]), state: stateOf(c.text(v[2])), staff: name, changed: c.dayOf(v[4]), pos: int32(fs.rows.len())}
		if !keyNames(st.key, cust) {
			if k, err := rules.ParseReminderKey(st.key); err == nil && k.CustomerID != cust {
				k.CustomerID = cust
				st.key, st.moved = k.String(), true
			}
		}
		fs.rows.add(ownedState{owner: cust, st: st})
		return c.err
	})
	return fs, err
}

// stateOf is s as a State, the known ones shared rather than copied.
func stateOf(s string) rules.State {
	for _, st := range []rules.State{rules.StateDone, rules.StateSkipped, rules.StateOpen, rules.StateSnoozed} {
		if s == string(st) {
			return st
		}
	}
	return rules.State(s)
}

// keyNames reports whether key is kind:id:… for customer id, without
// allocating: nearly every stored key is, and only the others need parsing.
func keyNames(key string, id rules.ID) bool {
	i := strings.IndexByte(key, ':')
	if i < 0 {
		return false
	}
	var n rules.ID
	j := i + 1
	for ; j < len(key) && key[j] >= '0' && key[j] <= '9'; j++ {
		n = n*10 + rules.ID(key[j]-'0')
		if n > 1<<53 {
			return false
		}
	}
	return j > i+1 && j < len(key) && key[j] == ':' && key[i+1] != '0' && n == id
}

// byCustomer groups the states by the slot of their customer, in the
// order they were read (settleStates sorts each group). States of
// customers not on the books are left out: they never count.
func (fs *followStates) byCustomer(rf *reportFacts) (rows []followState, start []int32) {
	slots := make([]int32, fs.rows.len())
	fs.rows.each(func(i int, o *ownedState) {
		slots[i] = -1
		if sl, ok := rf.slots.get(o.owner); ok && int(sl) < rf.known {
			slots[i] = sl
		}
	})
	return groupPile(slots, &fs.rows, len(rf.slots.ids), func(o *ownedState) followState { return o.st })
}

// settleStates sorts g, a customer's states, by key and keeps one state
// per key, as readFacts keeps them: a state stored under the customer's
// own key wins over one moved there by a merge, and of several moved to
// one key the one changed last (then the last stored) wins. It returns
// the states kept, at the start of g.
func settleStates(g []followState) []followState {
	slices.SortFunc(g, func(a, b followState) int {
		return cmp.Or(strings.Compare(a.key, b.key), boolInt(a.moved)-boolInt(b.moved),
			int(a.changed)-int(b.changed), int(a.pos-b.pos))
	})
	for i := 1; i < len(g); i++ {
		if g[i].key == g[i-1].key {
			// The first of a run is the own state, if any; else the
			// moved ones are by change, and the last wins.
			if g[i].moved && !g[i-1].moved {
				g[i].key = "" // dropped below
				g[i], g[i-1] = g[i-1], g[i]
			} else {
				g[i-1].key = ""
			}
		}
	}
	kept := g[:0]
	for _, r := range g {
		if r.key != "" {
			kept = append(kept, r)
		}
	}
	return kept
}

// find is the state in g (sorted by key) keyed key, or nil.
func findState(g []followState, key []byte) *followState {
	lo, hi := 0, len(g)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g[m].key < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(g) && g[lo].key == string(key) {
		return &g[lo]
	}
	return nil
}

// appendCandKey appends c.key(customer) to b, without allocating.
func appendCandKey(b []byte, c *cand, customer rules.ID) []byte {
	b = append(b, c.kind...)
	b = append(b, ':')
	b = strconv.AppendInt(b, customer, 10)
	b = append(b, ':')
	switch {
	case c.subject != "":
		b = append(b, c.subject...)
	case c.tag == "expiry":
		b = append(b, "expiry:"...)
		b = append(b, c.event.String()...)
	default:
		b = append(b, c.tag...)
		b = append(b, ':')
		b = strconv.AppendInt(b, c.id, 10)
		if c.suffix != "" {
			b = append(b, ':')
			b = append(b, c.suffix...)
		}
	}
	b = append(b, ':')
	return appendDay(b, c.due)
}

// followTally counts reminders by kind and by staff member.
type followTally struct {
	byKind  []rules.FollowUpRow // in Kinds' order
	byStaff map[string]*rules.StaffFollowUpRow
}

func newFollowTally() *followTally {
	t := &followTally{byStaff: map[string]*rules.StaffFollowUpRow{}}
	for _, k := range rules.Kinds {
		t.byKind = append(t.byKind, rules.FollowUpRow{Kind: k})
	}
	return t
}

func (t *followTally) add(r *rules.Reminder) {
	if i := slices.Index(rules.Kinds, r.Kind); i >= 0 {
		row := &t.byKind[i]
		tally(*r, &row.OnTime, &row.Late, &row.Skipped, &row.Missed, &row.Open)
	}
	st := t.byStaff[r.Staff]
	if st == nil {
		st = &rules.StaffFollowUpRow{Staff: r.Staff}
		t.byStaff[r.Staff] = st
	}
	tally(*r, &st.OnTime, &st.Late, &st.Skipped, &st.Missed, &st.Open)
}

func (t *followTally) merge(o *followTally) {
	for i := range t.byKind {
		a, b := &t.byKind[i], o.byKind[i]
		a.OnTime, a.Late, a.Skipped, a.Missed, a.Open = a.OnTime+b.OnTime, a.Late+b.Late, a.Skipped+b.Skipped, a.Missed+b.Missed, a.Open+b.Open
	}
	for name, b := range o.byStaff {
		a := t.byStaff[name]
		if a == nil {
			t.byStaff[name] = b
			continue
		}
		a.OnTime, a.Late, a.Skipped, a.Missed, a.Open = a.OnTime+b.OnTime, a.Late+b.Late, a.Skipped+b.Skipped, a.Missed+b.Missed, a.Open+b.Open
	}
}

func (t *followTally) report(since rules.Day) rules.FollowUpReport {
	rep := rules.FollowUpReport{Since: since, ByKind: t.byKind}
	for _, st := range t.byStaff {
		rep.ByStaff = append(rep.ByStaff, *st)
	}
	slices.SortFunc(rep.ByStaff, func(a, b rules.StaffFollowUpRow) int {
		if (a.Staff == "") != (b.Staff == "") {
			return boolInt(a.Staff == "") - boolInt(b.Staff == "")
		}
		// Names that differ only in case come in a fixed order.
		return cmp.Or(strings.Compare(strings.ToLower(a.Staff), strings.ToLower(b.Staff)), strings.Compare(a.Staff, b.Staff))
	})
	return rep
}

// followUpOf counts the reminders due from since to day as AllReminders(day)
// gives them: every candidate of the rules as of day with its stored state,
// and the reminders done or skipped that the rules no longer give.
func followUpOf(rf *reportFacts, e engine, states *followStates, since, day rules.Day) rules.FollowUpReport {
	rows, start := states.byCustomer(rf)
	tallies := make([]*followTally, maxWorkers)
	keys := make([][]byte, maxWorkers)
	atOnce(rf.known, func(w, from, to int) {
		if tallies[w] == nil {
			tallies[w], keys[w] = newFollowTally(), make([]byte, 0, 96)
		}
		for sl := from; sl < to; sl++ {
			keys[w] = followSlot(rf, e, settleStates(rows[start[sl]:start[sl+1]]), sl, since, day, keys[w], tallies[w].add)
		}
	})
	tallies = slices.DeleteFunc(tallies, func(t *followTally) bool { return t == nil })
	if len(tallies) == 0 {
		return newFollowTally().report(since)
	}
	t := tallies[0]
	for _, o := range tallies[1:] {
		t.merge(o)
	}
	return t.report(since)
}

// followSlot gives add every reminder of the customer in slot sl that
// followUpOf counts: g are the customer's states (settleStates); key is a
// buffer, returned for the next call.
func followSlot(rf *reportFacts, e engine, g []followState, sl int, since, day rules.Day, key []byte, add func(r *rules.Reminder)) []byte {
	if sl >= rf.known || rf.forgotten[sl] {
		return key
	}
	f := &rf.facts[sl]
	id := f.Customer.ID
	e.each(f, day, day, func(c *cand) {
		if c.due > day || c.due < since {
			return
		}
		var st reminderState
		key = appendCandKey(key[:0], c, id)
		found := findState(g, key)
		if found != nil {
			st = found.stored()
			found.given = true
		}
		r := rules.Reminder{Kind: c.kind, Due: c.due, Until: c.until}
		applyState(&r, st, found != nil, day)
		add(&r)
	})
	for i := range g {
		fs := &g[i]
		if fs.given || (fs.state != rules.StateDone && fs.state != rules.StateSkipped) {
			continue
		}
		k, err := rules.ParseReminderKey(fs.key)
		if err != nil || k.CustomerID != id || k.Due > day || k.Due < since {
			continue
		}
		c := e.goneCand(f, k)
		if c.key(id) != fs.key {
			continue // a key this version of the rules cannot make again
		}
		r := rules.Reminder{Kind: c.kind, Due: c.due, Until: c.until}
		applyState(&r, fs.stored(), true, day)
		add(&r)
	}
	return key
}
