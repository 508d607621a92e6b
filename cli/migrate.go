package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"regulars/data"
)

// runMigrate copies the whole shop (--db, a file or a PostgreSQL address)
// into --to, a new file or an empty database, in one transaction, then
// compares every export of the two.
func runMigrate(ctx context.Context, e *Env, a args) error {
	if err := noPositional(a, "migrate"); err != nil {
		return err
	}
	to := a.vals["to"]
	if to == "" {
		return usageErr("migrate needs --to postgres://… or --to FILE.db: where the shop is copied to")
	}
	from, err := dbPath(e, a)
	if err != nil {
		return err
	}
	if data.SamePlace(from, to) {
		return fmt.Errorf("--to names the shop being copied (%s); give a new file or an empty database", to)
	}
	day, err := dateFlag(a)
	if err != nil {
		return err
	}
	busy, err := busyTimeout(e)
	if err != nil {
		return err
	}
	src, err := open(ctx, e, a, readOnly)
	if err != nil {
		return err
	}
	defer src.Close()
	day = src.Today()

	empty, err := data.IsEmptyShop(ctx, to)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s already holds a shop with customers or sales; migrate copies only into a new file or an empty database, and nothing was written", to)
	}
	newFile := false
	if !data.IsPostgresURL(to) {
		_, statErr := os.Stat(to)
		newFile = errors.Is(statErr, os.ErrNotExist)
	}
	target, err := data.Open(ctx, to, data.Options{Today: day, BusyTimeout: busy})
	if err != nil {
		if newFile {
			removeShopFile(to)
		}
		return err
	}
	counts, err := src.CopyTo(ctx, target)
	target.Close()
	if err != nil {
		if newFile {
			removeShopFile(to)
		}
		if errors.Is(err, data.ErrNotEmpty) {
			return fmt.Errorf("%s already holds a shop; migrate copies only into a new file or an empty database, and nothing was written", to)
		}
		return fmt.Errorf("the shop could not be copied to %s, and nothing was written there: %w", to, err)
	}

	// Compared as the target opens from now on, with nothing remembered.
	copied, err := data.Open(ctx, to, data.Options{Today: day, ReadOnly: true, BusyTimeout: busy})
	if err != nil {
		return fmt.Errorf("the shop was copied to %s but cannot be read back (%v); it was kept there so it can be looked at", to, err)
	}
	defer copied.Close()
	differs, err := data.CompareShops(ctx, src, copied)
	if err != nil {
		return fmt.Errorf("the shop was copied to %s but its %s export could not be compared (%v); it was kept there so it can be looked at", to, exportName(differs), err)
	}
	if differs != "" {
		return fmt.Errorf("the shop was copied to %s but its %s differs from the one of %s; the copy was kept there so it can be looked at", to, exportName(differs), from)
	}
	fmt.Fprintf(e.Stdout, "migrated %d customers, %d purchases, %d ledger rows to %s; every export matches\n",
		counts["customers"], counts["purchases"], counts["ledger"], copied.Path())
	return nil
}

// exportName is how a person names one of the compared exports.
func exportName(what string) string {
	switch what {
	case "ics":
		return "calendar export (export ics)"
	case "today":
		return "Today list"
	}
	return "export " + what
}

// removeShopFile removes a shop file migrate made and then wrote nothing
// into, with the files SQLite and Regulars keep beside it.
func removeShopFile(path string) {
	for _, f := range []string{"", "-wal", "-shm", ".in-use"} {
		os.Remove(path + f)
	}
}
