package data

import (
	"context"
	"database/sql"
	"regulars/rules"
	"strings"
	"time"
)

// AuditEntry is one row of the audit log: who did what, when, and the value
// before and after. Nobody can change or remove it; the table's triggers
// refuse both.
type AuditEntry struct {
	ID      rules.ID
	At      time.Time
	Staff   string
	Action  string
	Subject string
	Before  string
	After   string
	Till    string // the till it was done at; "" before tills had names
}

// AuditLog returns the newest limit rows of the audit log, newest first
// (limit <= 0: 200).
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 200
	}
	var out []AuditEntry
	err := s.eachRow(ctx, "SELECT id, at, staff, action, subject, before, after, till FROM audit ORDER BY id DESC LIMIT ?", []any{limit},
		func(r *sql.Rows) error {
			var e AuditEntry
			var at string
			if err := r.Scan(&e.ID, &at, &e.Staff, &e.Action, &e.Subject, &e.Before, &e.After, &e.Till); err != nil {
				return err
			}
			e.At = parseInstant(at)
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// settingAction names the audit action for a setting the owner changes,
// or "" for the app's own bookkeeping (the PIN's counters, the PIN hash,
// which SetOwnerPIN audits without its value).
func settingAction(key string) string {
	switch {
	case key == "shop_name":
		return "change shop name"
	case key == "rules":
		return "change reminder rules"
	case key == "loyalty":
		return "change loyalty scheme"
	case strings.HasPrefix(key, "template."):
		return "change message template"
	case key == secondDirKey:
		return "change second backup folder"
	}
	return ""
}
