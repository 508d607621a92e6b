package rules

import (
	"cmp"
	mbits "math/bits"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Pairs of customers that may be one person: the duplicates screen's rules.

// DuplicateReason is why two customers may be one person.
type DuplicateReason string

const (
	SameEmail   DuplicateReason = "email"   // the same email, in any case
	SamePhone   DuplicateReason = "phone"   // the same phone digits
	SameName    DuplicateReason = "name"    // the same name, once normalised
	SwappedName DuplicateReason = "swapped" // first and last name the other way round
	SimilarName DuplicateReason = "similar" // one letter apart, with the same first letter
)

// reasonRank orders reasons from the strongest.
var reasonRank = map[DuplicateReason]int{SameEmail: 0, SamePhone: 1, SameName: 2, SwappedName: 3, SimilarName: 4}

// DuplicateCustomer is one side of a suggested pair.
type DuplicateCustomer struct {
	ID    ID
	Name  string
	Phone string
	Email string
}

// DuplicatePair is two customers that may be one person, the lower id
// first, with every reason found, strongest first.
type DuplicatePair struct {
	A, B    DuplicateCustomer
	Reasons []DuplicateReason
}

// MaybeFamily says the pair shares a phone and nothing else: often two
// people of one household rather than one person twice.
func (p DuplicatePair) MaybeFamily() bool {
	return len(p.Reasons) == 1 && p.Reasons[0] == SamePhone
}

// DuplicateCandidate is what the rules look at of a customer.
type DuplicateCandidate struct {
	DuplicateCustomer
	PhoneDigits string // as PhoneDigits gives them
	EmailNorm   string // as NormEmail gives it
}

// SuggestPairs applies the rules to customers given in any order: the
// same phone digits, the same email, or names alike (the same normalised
// name, first and last name swapped, or one letter apart with the same
// first letter) when no phone or email of theirs differs. Each
// rule groups the customers by a key in one pass (a map), so the work
// grows with the number of customers and of pairs found, never with every
// pair of customers. Similar names are found through their one-letter
// deletions: two names one edit apart share one (the longer with a letter
// deleted is the shorter, or both with the changed letter deleted are the
// same).
func SuggestPairs(cs []DuplicateCandidate) []DuplicatePair {
	f := pairFinder{byID: make(map[ID]*DuplicateCandidate, len(cs)), reasons: map[[2]ID][]DuplicateReason{}}
	for i := range cs {
		f.byID[cs[i].ID] = &cs[i]
	}
	f.sameKey(cs, func(c *DuplicateCandidate) string { return c.PhoneDigits }, SamePhone)
	f.sameKey(cs, func(c *DuplicateCandidate) string { return c.EmailNorm }, SameEmail)
	f.names(cs)
	return f.pairs()
}

// pairFinder gathers the reasons each pair of customers may be one person.
type pairFinder struct {
	byID    map[ID]*DuplicateCandidate
	reasons map[[2]ID][]DuplicateReason // by the pair's ids, lower first
}

// add notes reason r for customers a and b, unless only their names are
// alike and a phone or email of theirs differs.
func (f *pairFinder) add(a, b ID, r DuplicateReason) {
	if a == b {
		return
	}
	if r != SamePhone && r != SameEmail && contradict(f.byID[a], f.byID[b]) {
		return
	}
	k := [2]ID{min(a, b), max(a, b)}
	if !slices.Contains(f.reasons[k], r) {
		f.reasons[k] = append(f.reasons[k], r)
	}
}

// addEachPair adds r for every pair of ids.
func (f *pairFinder) addEachPair(ids []ID, r DuplicateReason) {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			f.add(ids[i], ids[j], r)
		}
	}
}

// sameKey groups the customers by a key and adds r for each pair within a
// group; an empty key groups no one.
func (f *pairFinder) sameKey(cs []DuplicateCandidate, key func(c *DuplicateCandidate) string, r DuplicateReason) {
	groups := map[string][]ID{}
	for i := range cs {
		if k := key(&cs[i]); k != "" {
			groups[k] = append(groups[k], cs[i].ID)
		}
	}
	for _, ids := range groups {
		f.addEachPair(ids, r)
	}
}

// names groups the customers by normalised name, then compares the names
// with each other, each distinct name once: swapped, or one letter apart.
func (f *pairFinder) names(cs []DuplicateCandidate) {
	byName := map[string][]ID{}
	for i := range cs {
		if n := NormName(cs[i].Name); n != "" {
			byName[n] = append(byName[n], cs[i].ID)
		}
	}
	names := make([]string, 0, len(byName))
	for n, ids := range byName {
		names = append(names, n)
		f.addEachPair(ids, SameName)
	}
	pairNames := func(x, y string, r DuplicateReason) {
		for _, a := range byName[x] {
			for _, b := range byName[y] {
				f.add(a, b, r)
			}
		}
	}
	for _, n := range names {
		if sw := swappedName(n); sw != n && byName[sw] != nil && n < sw {
			pairNames(n, sw, SwappedName)
		}
	}
	for _, p := range similarNames(names) {
		pairNames(p[0], p[1], SimilarName)
	}
}

// similarNames lists the pairs of distinct names one edit apart with the
// same first letter. Each name's deletions are made into hashes with the
// name's index in their low bits, sorted: names sharing a hash are compared
// (a hash shared by chance is weeded out by the comparison).
func similarNames(names []string) [][2]string {
	bits := uint(mbits.Len(uint(len(names))))
	size := 0
	for _, n := range names {
		size += len(n) + 1
	}
	keys := make([]uint64, 0, size)
	for i, n := range names {
		keys = oneDeleted(keys, n, uint64(i), bits)
	}
	slices.Sort(keys)
	var out [][2]string
	seen := map[[2]int]bool{}
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi]>>bits == keys[lo]>>bits {
			hi++
		}
		for i := lo; i < hi; i++ {
			for j := i + 1; j < hi; j++ {
				a, b := int(keys[i]&(1<<bits-1)), int(keys[j]&(1<<bits-1))
				x, y := names[a], names[b]
				if a == b || seen[[2]int{a, b}] || !sameFirstLetter(x, y) || !oneEditApart(x, y) {
					continue
				}
				seen[[2]int{a, b}] = true
				out = append(out, [2]string{x, y})
			}
		}
		lo = hi
	}
	return out
}

// pairs is the pairs found, each with its reasons strongest first, in the
// order compareDuplicatePairs gives.
func (f *pairFinder) pairs() []DuplicatePair {
	out := make([]DuplicatePair, 0, len(f.reasons))
	for k, rs := range f.reasons {
		slices.SortFunc(rs, func(a, b DuplicateReason) int { return cmp.Compare(reasonRank[a], reasonRank[b]) })
		a, b := f.byID[k[0]], f.byID[k[1]]
		out = append(out, DuplicatePair{A: a.DuplicateCustomer, B: b.DuplicateCustomer, Reasons: rs})
	}
	slices.SortFunc(out, compareDuplicatePairs)
	return out
}

// compareDuplicatePairs puts the pairs with more reasons first, then those
// with the stronger first reason, then by id.
func compareDuplicatePairs(x, y DuplicatePair) int {
	return cmp.Or(
		cmp.Compare(len(y.Reasons), len(x.Reasons)),
		cmp.Compare(reasonRank[x.Reasons[0]], reasonRank[y.Reasons[0]]),
		cmp.Compare(x.A.ID, y.A.ID),
		cmp.Compare(x.B.ID, y.B.ID))
}

// contradict says whether two customers have different phones, or
// different emails: then names alike are two people who share a name, as
// many do in a large shop, not one person entered twice.
func contradict(a, b *DuplicateCandidate) bool {
	differ := func(x, y string) bool { return x != "" && y != "" && x != y }
	return differ(a.PhoneDigits, b.PhoneDigits) || differ(a.EmailNorm, b.EmailNorm)
}

// NormName is a name as the duplicate rules compare it: in lower case,
// its words split at spaces and punctuation ("Mary-Kate  O'Brien" is
// "mary kate o brien").
func NormName(name string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// swappedName is a normalised name with its first and last words the
// other way round ("lee ann" for "ann lee").
func swappedName(n string) string {
	w := strings.Split(n, " ")
	if len(w) < 2 {
		return n
	}
	w[0], w[len(w)-1] = w[len(w)-1], w[0]
	return strings.Join(w, " ")
}

// oneDeleted appends to keys the hash (FNV-1a) of n and of each way of
// deleting one letter but the first from it, each with index in its low
// bits: names alike keep their first letter, and two names one edit apart
// with the same first letter are also one edit apart past it.
func oneDeleted(keys []uint64, n string, index uint64, bits uint) []uint64 {
	rs := []rune(n)
	for skip := 1; skip <= len(rs); skip++ { // skipping none at the end: n itself
		h := uint64(14695981039346656037)
		for i, r := range rs {
			if i != skip {
				h = (h ^ uint64(r)) * 1099511628211
			}
		}
		keys = append(keys, h<<bits|index)
	}
	return keys
}

func sameFirstLetter(x, y string) bool {
	a, b := []rune(x), []rune(y)
	return len(a) > 0 && len(b) > 0 && a[0] == b[0]
}

// oneEditApart says whether x and y differ by exactly one letter changed,
// added or taken away.
func oneEditApart(x, y string) bool {
	a, b := []rune(x), []rune(y)
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
			}
		}
		return diff == 1
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i:], b[i+1:])
	}
	return false
}

// MergeCustomers is customer k with what d adds when d is merged into k:
// k's phone, email, address, birthday, channel and first day win where
// they are set (the same birthday with a year wins over it without, an
// earlier first day over a later one), notes are joined, do-not-contact
// holds if either says so, and the tags are both's, once each whatever
// their case, sorted. Consents are left out: they are the store's to merge.
func MergeCustomers(k, d Customer) Customer {
	m := k
	fill := func(dst *string, src string) {
		if strings.TrimSpace(*dst) == "" {
			*dst = src
		}
	}
	fill(&m.Phone, d.Phone)
	fill(&m.Email, d.Email)
	fill(&m.Address, d.Address)
	if m.Notes == "" {
		m.Notes = d.Notes
	} else if d.Notes != "" && d.Notes != m.Notes {
		m.Notes += "\n" + d.Notes
	}
	if m.Birthday.IsZero() || (m.Birthday.Year == 0 && d.Birthday.Year != 0 && d.Birthday.Month == m.Birthday.Month && d.Birthday.Day == m.Birthday.Day) {
		if !d.Birthday.IsZero() {
			m.Birthday = d.Birthday
		}
	}
	if m.PreferredChannel == "" {
		m.PreferredChannel = d.PreferredChannel
	}
	m.DoNotContact = k.DoNotContact || d.DoNotContact
	if m.CustomerSince.IsZero() || (!d.CustomerSince.IsZero() && d.CustomerSince < m.CustomerSince) {
		if !d.CustomerSince.IsZero() {
			m.CustomerSince = d.CustomerSince
		}
	}
	seen := map[string]bool{}
	var tags []string
	for _, t := range append(append([]string{}, k.Tags...), d.Tags...) {
		if !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			tags = append(tags, t)
		}
	}
	sort.Strings(tags)
	m.Tags = tags
	m.Consents = nil
	return m
}
