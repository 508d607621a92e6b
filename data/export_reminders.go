package data

import (
	"context"
	"encoding/csv"
	"regulars/rules"
)

// exportReminders writes every reminder as of today, with its state.
func (s *Store) exportReminders(ctx context.Context, cw *csv.Writer) error {
	rs, err := s.AllReminders(ctx, s.Today())
	if err != nil {
		return err
	}
	if err := cw.Write([]string{"key", "kind", "customer", "due", "state", "done_on", "staff", "reason"}); err != nil {
		return err
	}
	for _, r := range rs {
		err := cw.Write([]string{rules.CSVText(r.Key), string(r.Kind), itoa(r.CustomerID), r.Due.String(), string(r.State),
			r.DoneOn.String(), rules.CSVText(r.Staff), rules.CSVText(r.Reason)})
		if err != nil {
			return err
		}
	}
	return nil
}
