package importers

import (
	"fmt"
	"regulars/rules"
	"strconv"
	"strings"
)

// StoredPurchase is what a refund needs to know of a purchase already
// stored.
type StoredPurchase struct {
	ID         rules.ID
	CustomerID rules.ID // 0 for a walk-in
	Day        rules.Day
	Amount     rules.Cents
	Voided     bool
	Refunded   rules.Cents // refunds so far, as a positive amount
}

// PlannedPurchase is a row that will be written.
type PlannedPurchase struct {
	Row        PurchaseRow
	CustomerID rules.ID
	RefundDB   rules.ID    // the stored purchase a refund refunds
	RefundIdx  int         // or the planned row it refunds; -1 when none
	refunded   rules.Cents // refunds of this row planned so far
}

// fileTarget is what a value of the file's id column stands for.
type fileTarget struct {
	planned int      // index into the plan, or -1
	dbID    rules.ID // a stored purchase (the row was skipped as already present)
	badLine int      // the row was bad
	twice   bool
}

// CustomerMatcher answers the store's MatchCustomer question from memory,
// by the same rules in the same order, so a file of thousands of rows
// needs no query per row.
type CustomerMatcher struct {
	byPhone map[string][]rules.ID
	byEmail map[string][]rules.ID
	ids     map[rules.ID]bool
}

// NewCustomerMatcher is a matcher that knows no customer yet.
func NewCustomerMatcher() CustomerMatcher {
	return CustomerMatcher{byPhone: map[string][]rules.ID{}, byEmail: map[string][]rules.ID{}, ids: map[rules.ID]bool{}}
}

// Add makes a customer known by id, phone digits and normalised email, in
// id order.
func (m CustomerMatcher) Add(id rules.ID, phoneDigits, emailNorm string) {
	m.ids[id] = true
	if phoneDigits != "" {
		m.byPhone[phoneDigits] = append(m.byPhone[phoneDigits], id)
	}
	if emailNorm != "" {
		m.byEmail[emailNorm] = append(m.byEmail[emailNorm], id)
	}
}

// Match returns the customer a value names and how many it matches at the
// first rule that matches any: 1, 0 (none at all), or more (ambiguous).
func (m CustomerMatcher) Match(value string) (rules.ID, int) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, 0
	}
	if d := rules.PhoneDigits(v); d != "" && rules.CheckPhone(v) == nil {
		if ids := m.byPhone[d]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if strings.Contains(v, "@") {
		if ids := m.byEmail[rules.NormEmail(v)]; len(ids) > 0 {
			return ids[0], len(ids)
		}
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && m.ids[id] {
		return id, 1
	}
	return 0, 0
}

// RefundTargets is every stored purchase a refund of rows might name:
// numeric refund_of values and rows already present under their reference
// (refs: stored purchases by reference).
func RefundTargets(rows []PurchaseRow, refs map[string]rules.ID) []rules.ID {
	var wanted []rules.ID
	for _, p := range rows {
		if id, err := strconv.ParseInt(p.RefundOf, 10, 64); err == nil && id > 0 {
			wanted = append(wanted, id)
		}
		if id, ok := refs[p.Reference]; ok && p.Reference != "" {
			wanted = append(wanted, id)
		}
	}
	return wanted
}

// PurchasePlanner resolves the rows of a purchases file, in order, against
// what the store loaded up front: customers, references and refunds.
type PurchasePlanner struct {
	today   rules.Day
	refs    map[string]rules.ID         // stored purchases by reference
	stored  map[rules.ID]StoredPurchase // stored purchases a row may name
	matcher CustomerMatcher             // the customers
	several func(value string) (rules.ID, string, error)
	ids     map[string]*fileTarget // what each value of the file's id column stands for
	planned map[string]int         // references claimed by planned rows
	refLine map[string]PurchaseRow // the first row of the file with each reference

	Plan    []PlannedPurchase
	Bad     []RowError
	Skipped int
}

// NewPurchasePlanner plans rows as of today. several names the customer a
// value matching several customers stands for, or says why it names none
// (the reason); its error is a failure to read.
func NewPurchasePlanner(today rules.Day, refs map[string]rules.ID, stored map[rules.ID]StoredPurchase, matcher CustomerMatcher,
	several func(value string) (rules.ID, string, error)) *PurchasePlanner {
	return &PurchasePlanner{today: today, refs: refs, stored: stored, matcher: matcher, several: several,
		ids: map[string]*fileTarget{}, planned: map[string]int{}, refLine: map[string]PurchaseRow{}}
}

// setID records what a value of the file's id column stands for; a value
// used twice stands for nothing a refund may name.
func (pl *PurchasePlanner) setID(fileID string, t fileTarget) {
	if fileID == "" {
		return
	}
	if old, ok := pl.ids[fileID]; ok {
		old.twice = true
		return
	}
	pl.ids[fileID] = &t
}

// fail marks a row bad.
func (pl *PurchasePlanner) fail(p PurchaseRow, reason string) {
	pl.Bad = append(pl.Bad, RowError{Line: p.Line, Reason: reason})
	pl.setID(p.FileID, fileTarget{planned: -1, badLine: p.Line})
}

// Add plans one row, skips it as already present, or marks it bad. Only a
// failure to read the database is an error.
func (pl *PurchasePlanner) Add(p PurchaseRow) error {
	if p.Bad {
		pl.setID(p.FileID, fileTarget{planned: -1, badLine: p.Line})
		return nil
	}
	if p.Day > AheadLimit(pl.today) {
		pl.fail(p, fmt.Sprintf("date %s is more than a year after today (%s)", p.Day, pl.today))
		return nil
	}
	present, reason := pl.checkReference(p)
	if reason != "" {
		pl.fail(p, reason)
		return nil
	}
	if present {
		return nil
	}
	pp := PlannedPurchase{Row: p, RefundIdx: -1}
	id, reason, err := pl.customerOf(p.Customer)
	if err != nil {
		return err
	}
	if reason != "" {
		pl.fail(p, reason)
		return nil
	}
	pp.CustomerID = id
	if p.Amount < 0 {
		if reason := pl.planRefund(p, &pp); reason != "" {
			pl.fail(p, reason)
			return nil
		}
	}
	if p.Reference != "" {
		pl.planned[p.Reference] = len(pl.Plan)
	}
	pl.setID(p.FileID, fileTarget{planned: len(pl.Plan)})
	pl.Plan = append(pl.Plan, pp)
	return nil
}

// checkReference looks for a row's reference among earlier rows and stored
// purchases. The same receipt again is skipped (present); another sale under
// its number is a mistake, not something already present (the reason).
func (pl *PurchasePlanner) checkReference(p PurchaseRow) (present bool, reason string) {
	if p.Reference == "" {
		return false, ""
	}
	if first, ok := pl.refLine[p.Reference]; ok && (first.Amount != p.Amount || first.Day != p.Day || first.Customer != p.Customer) {
		return false, fmt.Sprintf("reference %s is already on line %d, with %s", p.Reference, first.Line, PurchaseDiff(first.Amount, first.Day, p))
	} else if !ok {
		pl.refLine[p.Reference] = p
	}
	if id, ok := pl.refs[p.Reference]; ok {
		if o, ok := pl.stored[id]; ok && (o.Amount != p.Amount || o.Day != p.Day) {
			return false, fmt.Sprintf("reference %s is already purchase %d, with %s", p.Reference, id, PurchaseDiff(o.Amount, o.Day, p))
		}
		pl.Skipped++
		pl.setID(p.FileID, fileTarget{planned: -1, dbID: id})
		return true, ""
	}
	if i, ok := pl.planned[p.Reference]; ok {
		pl.Skipped++
		pl.setID(p.FileID, fileTarget{planned: i})
		return true, ""
	}
	return false, ""
}

// customerOf finds the customer a row's phone, email or id names; 0 for a
// walk-in. A value that names no one, or several, comes back as the reason.
func (pl *PurchasePlanner) customerOf(value string) (rules.ID, string, error) {
	if value == "" {
		return 0, "", nil
	}
	switch id, n := pl.matcher.Match(value); n {
	case 1:
		return id, "", nil
	case 0:
		return 0, fmt.Sprintf("no customer has the phone, email or id %q", value), nil
	}
	return pl.several(value)
}

// planRefund checks a refund against the purchase it refunds and counts it
// against what is left of that purchase; it says why when it cannot.
func (pl *PurchasePlanner) planRefund(p PurchaseRow, pp *PlannedPurchase) string {
	orig, name, reason := pl.refundOriginal(p, pp)
	if reason != "" {
		return reason
	}
	switch {
	case orig.Voided:
		return fmt.Sprintf("%s was voided and cannot be refunded", name)
	case orig.Amount < 0:
		return fmt.Sprintf("%s is itself a refund", name)
	case p.Customer == "":
		pp.CustomerID = orig.CustomerID
	case pp.CustomerID != orig.CustomerID:
		if orig.CustomerID == 0 {
			return fmt.Sprintf("%s was a walk-in sale, not a sale to customer %d", name, pp.CustomerID)
		}
		return fmt.Sprintf("%s belongs to customer %d, not to customer %d", name, orig.CustomerID, pp.CustomerID)
	}
	if p.Day < orig.Day {
		return fmt.Sprintf("the refund is dated before %s (%s)", name, orig.Day)
	}
	if left := orig.Amount - orig.Refunded; -p.Amount > left {
		return fmt.Sprintf("the refund of %s is more than the %s left to refund of %s", -p.Amount, left, name)
	}
	if pp.RefundIdx >= 0 {
		pl.Plan[pp.RefundIdx].refunded += -p.Amount
	} else {
		o := pl.stored[pp.RefundDB]
		o.Refunded += -p.Amount
		pl.stored[pp.RefundDB] = o
	}
	return ""
}

// refundOriginal finds the purchase a refund names, an earlier row of the
// file, else a stored purchase, and how to name it in a reason.
func (pl *PurchasePlanner) refundOriginal(p PurchaseRow, pp *PlannedPurchase) (orig StoredPurchase, name, reason string) {
	if t, ok := pl.ids[p.RefundOf]; ok {
		switch {
		case t.twice:
			return StoredPurchase{}, "", fmt.Sprintf("refund_of %s names more than one earlier row of the file", p.RefundOf)
		case t.badLine != 0:
			return StoredPurchase{}, "", fmt.Sprintf("refund_of %s names the row on line %d, which is bad", p.RefundOf, t.badLine)
		case t.planned >= 0:
			o := pl.Plan[t.planned]
			pp.RefundIdx = t.planned
			return StoredPurchase{CustomerID: o.CustomerID, Day: o.Row.Day, Amount: o.Row.Amount, Refunded: o.refunded},
				fmt.Sprintf("the purchase on line %d", o.Row.Line), ""
		default:
			pp.RefundDB = t.dbID
			return pl.stored[t.dbID], fmt.Sprintf("purchase %d", t.dbID), ""
		}
	}
	id, err := strconv.ParseInt(p.RefundOf, 10, 64)
	o, ok := pl.stored[id]
	if err != nil || !ok {
		return StoredPurchase{}, "", fmt.Sprintf("refund_of %q names no earlier row of the file and no stored purchase", p.RefundOf)
	}
	pp.RefundDB = id
	return o, "purchase " + p.RefundOf, ""
}
