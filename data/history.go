package data

import (
	"cmp"
	"regulars/rules"
	"slices"
	"strconv"
	"strings"
)

// Reminders the facts no longer call for keep their history. Doing a
// stay-in-touch call logs a contact, which moves the next stay-in-touch to
// another day; keeping a promise ends the promise reminder; resolving a
// complaint ends the follow-up of the open complaint; a refund can end a
// thank-you. The reminder that was done or skipped is still part of the
// customer's history, so it is rebuilt from its stored state and key.

// historyAhead is how many days past the day asked a customer's history
// reaches: what is coming up soon.
const historyAhead = 30

// newestDueFirst is the order of a customer's history.
func newestDueFirst(a, b *rules.Reminder) int { return -compareByDue(a, b) }

// history is every reminder of the customers of fs as of d due up to
// dueBy, in every state, with the ones done or skipped that the facts no
// longer give, sorted by cmp; with keep set, only those it keeps. Their
// words come beside them, and named are the purchases their messages name
// (those of the whole list, kept or not).
func (fs *factSet) history(d, dueBy rules.Day, cmp func(a, b *rules.Reminder) int, keep func(r *rules.Reminder) bool) ([]rules.Reminder, []*messageParts, map[rules.ID]bool) {
	var rs []rules.Reminder
	var ws []messageParts
	for i := range fs.customers {
		f := &fs.customers[i]
		// Counting first is cheaper than growing the slices: a reminder
		// and its words are large.
		only := fs.only[f.Customer.ID]
		if fs.only != nil && only == nil {
			continue
		}
		n := 0
		fs.engine.each(f, d, dueBy, func(c *cand) {
			if c.due <= dueBy && (only == nil || only[c.due]) {
				n++
			}
		})
		rs, ws = slices.Grow(rs, n), slices.Grow(ws, n)
		points, last := balanceAsOf(f.Ledger, d), lastPurchase(f.Purchases, d)
		fs.engine.each(f, d, dueBy, func(c *cand) {
			if c.due > dueBy || (only != nil && !only[c.due]) {
				return
			}
			rs = append(rs, fs.reminder(f, c, d))
			ws = append(ws, factWordsWith(f, c, d, d, points, last))
		})
	}
	rs, ws = fs.goneHandled(d, dueBy, rs, ws)
	wp := sortInPlace(rs, ws, cmp)
	if rs == nil {
		rs = []rules.Reminder{} // a history with nothing in it is an empty list, as it always was
	}
	named := namedPurchases(wp)
	if keep != nil {
		var kr []rules.Reminder
		var kw []*messageParts
		for i := range rs {
			if keep(&rs[i]) {
				kr, kw = append(kr, rs[i]), append(kw, wp[i])
			}
		}
		rs, wp = kr, kw
	}
	return rs, wp, named
}

// sortInPlace is sortBoth moving the reminders within rs rather than into
// a copy: they are large, and the order they were made in is not needed.
func sortInPlace(rs []rules.Reminder, ws []messageParts, cmp func(a, b *rules.Reminder) int) []*messageParts {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp(&rs[i], &rs[j]) })
	wp := make([]*messageParts, len(ws))
	for to, from := range idx {
		wp[to] = &ws[from]
	}
	// rs[to] takes rs[idx[to]], one cycle of the permutation at a time;
	// idx[j] = j marks a place filled.
	for i := range idx {
		if idx[i] == i {
			continue
		}
		first := rs[i]
		j := i
		for {
			k := idx[j]
			idx[j] = j
			if k == i {
				rs[j] = first
				break
			}
			rs[j] = rs[k]
			j = k
		}
	}
	return wp
}

// fileState files a stored reminder state of customer cust under key.
func (fs *factSet) fileState(key string, cust rules.ID, st reminderState) {
	if fs.stateLast != nil && st.ChangedOn > fs.stateLast[cust] {
		fs.stateLast[cust] = st.ChangedOn
	}
	if fs.stateKeys != nil {
		if _, seen := fs.states[key]; !seen {
			fs.stateKeys[cust] = append(fs.stateKeys[cust], key)
		}
	}
	fs.states[key] = st
}

// stateFiler files reminder states into fs as they are read, in any order.
// A merge moves state rows to the surviving customer but keeps their keys,
// which name the customer merged away; they are filed under the key the
// survivor's reminder has now. A customer's own rows are filed at once,
// moved rows at the end in the order of their changes (day, state,
// kind, customer, due, key), so that of two moved onto one key the later
// change wins and a row of the survivor's own always does.
type stateFiler struct {
	fs    *factSet
	moved []movedState
}

type movedState struct {
	key  string
	k    rules.ReminderKey
	cust rules.ID
	st   reminderState
}

func (f *stateFiler) add(key string, cust rules.ID, st reminderState) {
	if k, err := rules.ParseReminderKey(key); err == nil && k.CustomerID != cust {
		f.moved = append(f.moved, movedState{key, k, cust, st})
		return
	}
	f.fs.fileState(key, cust, st)
}

func (f *stateFiler) done() {
	slices.SortFunc(f.moved, func(a, b movedState) int {
		return cmp.Or(cmp.Compare(a.st.ChangedOn, b.st.ChangedOn), cmp.Compare(a.st.State, b.st.State),
			cmp.Compare(a.k.Kind, b.k.Kind), cmp.Compare(a.cust, b.cust), cmp.Compare(a.k.Due, b.k.Due), cmp.Compare(a.key, b.key))
	})
	fs := f.fs
	moved := map[string]bool{}
	for _, m := range f.moved {
		if fs.stateLast != nil && m.st.ChangedOn > fs.stateLast[m.cust] {
			fs.stateLast[m.cust] = m.st.ChangedOn
		}
		if fs.merged != nil {
			fs.merged[m.cust] = true
		}
		m.k.CustomerID = m.cust
		key := m.k.String()
		if _, taken := fs.states[key]; taken && !moved[key] {
			continue // the survivor's own row
		}
		moved[key] = true
		fs.fileState(key, m.cust, m.st)
	}
	f.moved = nil
}

// goneHandled appends to rs and ws, for the customers of fs, every reminder
// done or skipped by d, due by dueBy, that the rules no longer give.
func (fs *factSet) goneHandled(d, dueBy rules.Day, rs []rules.Reminder, ws []messageParts) ([]rules.Reminder, []messageParts) {
	given := make(map[string]bool, len(rs))
	for i := range rs {
		given[rs[i].Key] = true
	}
	var keys []string
	for key, st := range fs.states {
		if (st.State == rules.StateDone || st.State == rules.StateSkipped) && st.ChangedOn <= d && !given[key] {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		k, err := rules.ParseReminderKey(key)
		if err != nil || k.Due > dueBy || (fs.only != nil && !fs.only[k.CustomerID][k.Due]) {
			continue
		}
		i, ok := fs.index[k.CustomerID]
		if !ok {
			continue
		}
		f := &fs.customers[i]
		c := fs.engine.goneCand(f, k)
		r := fs.reminder(f, &c, d)
		if r.Key != key {
			continue // a key this version of the rules cannot make again
		}
		rs = append(rs, r)
		ws = append(ws, factWords(f, &c, d, d))
	}
	return rs, ws
}

// goneCand rebuilds the candidate of key k from what the facts still hold,
// so its words read as they did: what was bought, promised or complained
// about, and when.
func (e engine) goneCand(f *customerFacts, k rules.ReminderKey) cand {
	c := cand{kind: k.Kind, subject: k.Subject, due: k.Due, shownFrom: k.Due}
	tag, rest, _ := strings.Cut(k.Subject, ":")
	idText, suffix, _ := strings.Cut(rest, ":")
	id, _ := strconv.ParseInt(idText, 10, 64)
	switch tag {
	case "purchase":
		c.tag, c.id = tag, id
		c.event = k.Due.AddDays(-e.rules[k.Kind].AfterDays)
		for _, p := range f.Purchases {
			if p.ID == id {
				c.event, c.amount = p.Day, p.Amount
			}
		}
	case "promise":
		c.tag, c.id = tag, id
		for _, p := range f.Promises {
			if p.ID == id {
				c.text, c.event = p.What, p.MadeOn
				if k.Kind == rules.KindCheckIn && !p.KeptOn.IsZero() {
					c.event = p.KeptOn
				}
			}
		}
	case "complaint":
		c.tag, c.id, c.suffix = tag, id, suffix
		for _, x := range f.Complaints {
			if x.ID == id {
				c.text, c.event = x.What, x.Received
				if suffix == "resolved" && !x.ResolvedOn.IsZero() {
					c.event = x.ResolvedOn
				}
			}
		}
	case "occasion":
		c.tag, c.id = tag, id
		for _, o := range f.Occasions {
			if o.ID == id {
				c.text = o.Label
			}
		}
	case "expiry":
		c.tag = tag
		if day, err := rules.ParseDay(rest); err == nil {
			c.event = day
		}
	case "touch":
		c.event = k.Due.AddDays(-e.rules[rules.KindStayInTouch].AfterDays)
	case "reward":
		c.event = k.Due
		c.points = balanceAsOf(f.Ledger, k.Due)
	}
	return c
}
