package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenRefusesFilesThatAreNotShopsAndWritesNothingToThem(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	foreign := filepath.Join(dir, "recipes.db")
	raw, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('bread')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	emptySQLite := filepath.Join(dir, "blank.db")
	raw, _ = sql.Open("sqlite", emptySQLite)
	if _, err := raw.Exec("PRAGMA page_size = 4096; VACUUM"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	zero := filepath.Join(dir, "zero.db")
	if err := os.WriteFile(zero, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{foreign, emptySQLite, zero} {
		before, _ := os.ReadFile(path)
		for _, opt := range []Options{{}, {MustExist: true}, {ReadOnly: true}} {
			s, err := Open(ctx, path, opt)
			if err == nil {
				s.Close()
				t.Fatalf("%s opened (%+v)", filepath.Base(path), opt)
			}
			if !errors.Is(err, ErrNotDatabase) {
				t.Errorf("%s: %v; want ErrNotDatabase", filepath.Base(path), err)
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("opening %s changed it", filepath.Base(path))
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("the folder holds %d files, want the 3 made here", len(entries))
	}
}

func TestOpenRefusesAShopWhoseSchemaWasChanged(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	path := s.Path()
	s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TRIGGER zero_points AFTER INSERT ON ledger BEGIN UPDATE ledger SET points = 0 WHERE id = new.id; END"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, path, Options{MustExist: true})
	if !errors.Is(err, ErrChanged) || !errors.Is(err, ErrDamaged) {
		t.Fatalf("open: %v; want the changed schema refused", err)
	}
	if want := `the schema has a trigger "zero_points" that Regulars did not make`; !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Errorf("open: %v; want it to say %s", err, want)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the refused file was written to")
	}
}

func TestANewShopAppearsWholeOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	// What a creation killed half-way leaves: its own file, never the shop.
	left := filepath.Join(dir, ".shop.db.new-123")
	if err := os.WriteFile(left, []byte("half a schema"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		// The shop, and the lock beside it, are all that is left.
		if n := e.Name(); n != "shop.db" && n != "shop.db.in-use" {
			t.Errorf("left in the folder: %s", n)
		}
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the new shop: %v %v", st, err)
	}
	if s, err := Open(ctx, path, Options{MustExist: true}); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
}
