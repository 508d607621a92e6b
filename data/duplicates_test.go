package data

import (
	"context"
	"path/filepath"
	"regulars/rules"
	"slices"
	"testing"
)

func TestNotTheSamePersonIsRemembered(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Open(ctx, path, Options{Today: rules.NewDay(2026, 6, 1)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []rules.ID
	for _, c := range []rules.Customer{{Name: "Ann Lee", Phone: "0161 496 0000"}, {Name: "Bob Lee", Phone: "0161-496-0000"}, {Name: "Cat Lee", Phone: "01614960000"}} {
		id, err := s.AddCustomer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	ann, bob, cat := ids[0], ids[1], ids[2]
	pairs := func(s *Store) [][2]rules.ID {
		t.Helper()
		ps, err := s.SuggestDuplicates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out [][2]rules.ID
		for _, p := range ps {
			out = append(out, [2]rules.ID{p.A.ID, p.B.ID})
		}
		return out
	}
	if got := pairs(s); len(got) != 3 {
		t.Fatalf("pairs before: %v", got)
	}
	if err := s.MarkNotDuplicates(ctx, bob, ann, "Sam"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkNotDuplicates(ctx, ann, bob, "Sam"); err != nil {
		t.Fatalf("marking a pair twice: %v", err)
	}
	if err := s.MarkNotDuplicates(ctx, ann, ann, "Sam"); err == nil {
		t.Error("a customer was told apart from themselves")
	}
	s.Close()
	// Opened again, the pair stays told apart; the others are still suggested.
	s, err = Open(ctx, path, Options{Today: rules.NewDay(2026, 6, 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := pairs(s), [][2]rules.ID{{ann, cat}, {bob, cat}}; !slices.Equal(got, want) {
		t.Fatalf("pairs after: %v, want %v", got, want)
	}
	// A customer merged away takes their marks along.
	if err := s.MergeCustomers(ctx, cat, bob, "Sam"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.reader().QueryRow("SELECT count(*) FROM not_duplicates").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d marks left after the merge (%v)", n, err)
	}
}
