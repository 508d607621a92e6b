package data

import (
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

// goneHandled appends to rs and ws, for the customers of fs, every reminder
// done or skipped by d, due by dueBy, that the rules no longer give.
func (fs *factSet) goneHandled(d, dueBy Day, rs []Reminder, ws []words) ([]Reminder, []words) {
	given := make(map[string]bool, len(rs))
	for i := range rs {
		given[rs[i].Key] = true
	}
	var keys []string
	for key, st := range fs.states {
		if (st.State == StateDone || st.State == StateSkipped) && st.ChangedOn <= d && !given[key] {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		k, err := ParseReminderKey(key)
		if err != nil || k.Due > dueBy {
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
func (e engine) goneCand(f *customerFacts, k ReminderKey) cand {
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
				if k.Kind == KindCheckIn && !p.KeptOn.IsZero() {
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
		if day, err := ParseDay(rest); err == nil {
			c.event = day
		}
	case "touch":
		c.event = k.Due.AddDays(-e.rules[KindStayInTouch].AfterDays)
	case "reward":
		c.event = k.Due
		c.points = balanceAsOf(f.Ledger, k.Due)
	}
	return c
}
