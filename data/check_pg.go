package data

import (
	"context"
	"database/sql"
	"fmt"
)

// The full check of a shop on PostgreSQL. The file's own checks (its
// pages, its schema) are SQLite's; PostgreSQL keeps its pages itself. The
// rows are checked alike on both engines: every reference, every ledger
// invariant and the summary rows, all read in one snapshot of the shop.

// pgSnapshot is one snapshot of a shop on PostgreSQL read through two
// transactions (REPEATABLE READ, READ ONLY): the second takes the first's
// snapshot (SET TRANSACTION SNAPSHOT), so two queries can be read side by
// side and still see the same shop, whatever the tills commit meanwhile.
type pgSnapshot struct{ main, side *sql.Tx }

func (s *Store) pgSnapshot(ctx context.Context) (*pgSnapshot, error) {
	db := s.reader()
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	main, err := db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	var id string
	if err := main.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
		main.Rollback()
		return nil, err
	}
	side, err := db.BeginTx(ctx, opts)
	if err != nil {
		main.Rollback()
		return nil, err
	}
	if _, err := side.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+id+"'"); err != nil {
		side.Rollback()
		main.Rollback()
		return nil, err
	}
	return &pgSnapshot{main, side}, nil
}

func (p *pgSnapshot) close() {
	p.side.Rollback()
	p.main.Rollback()
}

// checkOnPostgres is Check on PostgreSQL: the references, the ledger
// invariants and the summary rows, in one snapshot.
func (s *Store) checkOnPostgres(ctx context.Context) ([]Problem, error) {
	snap, err := s.pgSnapshot(ctx)
	if err != nil {
		return nil, s.explain(err)
	}
	defer snap.close()
	found, err := referenceFindings(ctx, snap.main)
	if err != nil {
		return nil, s.explain(err)
	}
	ledger, err := s.ledgerFindingsIn(ctx, snap.main, snap.side)
	if err != nil {
		return nil, err
	}
	summary, err := summaryFindingsOn(ctx, snap.main, onPostgres)
	if err != nil {
		return nil, s.explain(err)
	}
	return problemsOf(append(append(found, ledger...), summary...)), nil
}

// reference is one column that names a row of another table, as both
// schemas declare it; row is how a row of the table is named.
type reference struct{ table, row, column, parent string }

// references are every reference of the schema. PostgreSQL enforces them,
// but a session may be told not to (session_replication_role, disabled
// triggers, a dropped constraint): the check looks at the rows themselves.
var references = []reference{
	{"consents", "customer_id || ':' || channel", "customer_id", "customers"},
	{"purchases", "id", "customer_id", "customers"},
	{"purchases", "id", "refund_of", "purchases"},
	{"occasions", "id", "customer_id", "customers"},
	{"promises", "id", "customer_id", "customers"},
	{"complaints", "id", "customer_id", "customers"},
	{"contacts", "id", "customer_id", "customers"},
	{"ledger", "id", "customer_id", "customers"},
	{"ledger", "id", "purchase_id", "purchases"},
	{"reminder_states", "key", "customer_id", "customers"},
	{"reminder_states", "key", "contact_id", "contacts"},
	{"not_duplicates", "first_id || '-' || second_id", "first_id", "customers"},
	{"not_duplicates", "first_id || '-' || second_id", "second_id", "customers"},
	{"customer_summary", "customer_id", "customer_id", "customers"},
}

// referenceFindings lists the rows that name a row that does not exist,
// in the words of the file's foreign key check.
func referenceFindings(ctx context.Context, q querier) ([]finding, error) {
	var found []finding
	for _, r := range references {
		bad, err := column[string](ctx, q, "SELECT ("+r.row+")::text FROM "+r.table+" t WHERE t."+r.column+
			" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "+r.parent+" p WHERE p.id = t."+r.column+") ORDER BY 1")
		if err != nil {
			return nil, err
		}
		for _, row := range bad {
			found = append(found, finding{what: fmt.Sprintf("%s row %s refers to a %s row that does not exist", r.table, row, r.parent)})
		}
	}
	return found, nil
}
