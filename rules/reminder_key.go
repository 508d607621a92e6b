package rules

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ReminderKey is the parts a reminder key is made of.
type ReminderKey struct {
	Kind       Kind
	CustomerID ID
	Subject    string
	Due        Day
}

// String formats the key as kind:customer:subject:due.
func (k ReminderKey) String() string {
	return fmt.Sprintf("%s:%d:%s:%s", k.Kind, k.CustomerID, k.Subject, k.Due)
}

// ErrBadReminderKey means a reminder key is malformed.
var ErrBadReminderKey = errors.New("not a reminder key")

// ParseReminderKey splits kind:customer:subject:due; the subject may itself
// hold colons.
func ParseReminderKey(s string) (ReminderKey, error) {
	bad := func() (ReminderKey, error) {
		return ReminderKey{}, fmt.Errorf("%q is %w (kind:customer:subject:YYYY-MM-DD)", s, ErrBadReminderKey)
	}
	first := strings.Index(s, ":")
	last := strings.LastIndex(s, ":")
	if first < 0 || last <= first {
		return bad()
	}
	kind := Kind(s[:first])
	if !slices.Contains(Kinds, kind) {
		return bad()
	}
	idText, subject, ok := strings.Cut(s[first+1:last], ":")
	if !ok || subject == "" {
		return bad()
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return bad()
	}
	due, err := ParseDay(s[last+1:])
	if err != nil {
		return bad()
	}
	return ReminderKey{Kind: kind, CustomerID: id, Subject: subject, Due: due}, nil
}
