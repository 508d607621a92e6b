package data

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"regulars/rules"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// searchBySQL is the search as one statement, as it was written before the
// names were kept in memory: the definition the search must keep to.
func searchBySQL(t *testing.T, s *Store, text string, limit int) []rules.Customer {
	t.Helper()
	tt := strings.ToLower(strings.TrimSpace(text))
	like := "%" + escapeLike(tt) + "%"
	digits := rules.PhoneDigits(tt)
	digitLike := ""
	if len(digits) >= 2 {
		digitLike = "%" + digits + "%"
	}
	cs, err := s.queryCustomers(context.Background(), "SELECT "+customerCols+` FROM customers
		WHERE name_fold LIKE ? ESCAPE '\' OR email_norm LIKE ? ESCAPE '\' OR (? <> '' AND phone_digits LIKE ?)
		ORDER BY (name_fold LIKE ? ESCAPE '\') DESC, name_fold, id LIMIT ?`,
		like, like, digitLike, digitLike, escapeLike(tt)+"%", limit)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestSearchMatchesTheStatement(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	names := []string{"Ann Lee", "Anna Leeds", "Dan Ode", "Élodie Brun", "ann-marie o'neil", "Bob 50% Off", "Zoë_Under", "Lee Ann", "ANNE BOLEYN"}
	for i, n := range names {
		c := rules.Customer{Name: n, Phone: fmt.Sprintf("+44 7700 9%05d", i*37), Email: strings.ToLower(strings.Fields(n)[0]) + fmt.Sprintf("%d@Example.org", i)}
		if _, err := s.AddCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, text := range []string{"ann", "ANN", " lee ", "e", "élo", "50%", "_", "%", "o'n", "example", "7700", "00 9", "+44", "1", "zz", "lee ann", "0", "EXAMPLE.ORG"} {
		for _, limit := range []int{1, 3, 50} {
			got, err := s.SearchCustomers(ctx, text, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := searchBySQL(t, s, text, limit); !reflect.DeepEqual(got, want) {
				t.Errorf("search %q limit %d: got %v, want %v", text, limit, searchNames(got), searchNames(want))
			}
		}
	}
	// Changes made behind the store's back are seen too.
	writeAround(t, s, "UPDATE customers SET name = 'Xavier Quinn', name_fold = 'xavier QUINN' WHERE id = 3")
	got, _ := s.SearchCustomers(ctx, "quinn", 10)
	if len(got) != 1 || got[0].ID != 3 {
		t.Errorf("after a rename: %v", searchNames(got))
	}
}

// writeAround runs q on a connection of its own, as another program would:
// the store's writes say what they change, others' are seen by the file's
// data_version.
func writeAround(t failer, s *Store, q string, args ...any) sql.Result {
	t.Helper()
	if s.dialect == onPostgres {
		return writeAroundOnPostgres(t, s, q, args...)
	}
	db, err := sql.Open("sqlite", s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// writeAroundOnPostgres is writeAround on PostgreSQL: another till's
// connection runs q and counts its change, as every till's write does.
func writeAroundOnPostgres(t failer, s *Store, q string, args ...any) sql.Result {
	t.Helper()
	other, err := Open(context.Background(), s.path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.w.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	res, err := tx.Exec(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(pgCountChange); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return res
}

func searchNames(cs []rules.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestSearchProperty(t *testing.T) {
	lyRapidChecks(t, 30, 5)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		s, err := Open(ctx, t.TempDir()+"/s.db", Options{})
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		letters := rapid.SampledFrom([]rune("aAbeé Z_%.1290-"))
		word := rapid.StringOfN(letters, 1, 8, -1)
		for i := range rapid.IntRange(0, 12).Draw(rt, "n") {
			name := strings.TrimSpace(word.Draw(rt, "name"))
			if name == "" {
				name = "x"
			}
			c := rules.Customer{Name: name, Phone: rapid.SampledFrom([]string{"", "0161 496 0000", "+44 20 7946 0123", "07700 900 123"}).Draw(rt, "phone")}
			if rapid.Bool().Draw(rt, "email") {
				c.Email = fmt.Sprintf("p%d@x.org", i)
			}
			if _, err := s.AddCustomer(ctx, c); err != nil {
				rt.Fatal(err)
			}
		}
		for range 4 {
			text := word.Draw(rt, "text")
			limit := rapid.IntRange(1, 5).Draw(rt, "limit")
			got, err := s.SearchCustomers(ctx, text, limit)
			if err != nil {
				rt.Fatal(err)
			}
			if want := searchBySQL(t, s, text, limit); !reflect.DeepEqual(got, want) {
				rt.Fatalf("search %q limit %d: got %v, want %v", text, limit, searchNames(got), searchNames(want))
			}
		}
	})
}

// checkSearches compares the search with the statement for every text and
// limit given.
func checkSearches(t *testing.T, s *Store, texts []string, limits ...int) {
	t.Helper()
	ctx := context.Background()
	for _, text := range texts {
		for _, limit := range limits {
			got, err := s.SearchCustomers(ctx, text, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := searchBySQL(t, s, text, limit); !reflect.DeepEqual(got, want) {
				t.Errorf("search %q limit %d: got %v, want %v", text, limit, searchNames(got), searchNames(want))
			}
		}
	}
}

func addCustomers(t *testing.T, s *Store, cs ...rules.Customer) []rules.ID {
	t.Helper()
	var ids []rules.ID
	for _, c := range cs {
		id, err := s.AddCustomer(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestSearchNamePrefixRun(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	// Names around the run of "ann": just below it ("anm", "an"), in it
	// (equal, longer, twice the same name), just above ("ano"), and others
	// holding it elsewhere.
	var cs []rules.Customer
	for _, n := range []string{"an", "anm zed", "ann", "Ann", "ann lee", "anna", "anna", "annz", "ano", "b ann", "joanne", "zz ann", "aaa", "zzz"} {
		cs = append(cs, rules.Customer{Name: n})
	}
	addCustomers(t, s, cs...)
	texts := []string{"ann", "an", "a", "anna", "annz", "annzz", "ano", "aaa", "aa", "zzz", "zz", "z", "ann lee", "b", "anm zed", "0"}
	checkSearches(t, s, texts, 1, 2, 3, 5, 6, 7, 50)
	got, err := s.SearchCustomers(context.Background(), "ann", 50)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ann", "Ann", "ann lee", "anna", "anna", "annz", "b ann", "joanne", "zz ann"}
	if names := searchNames(got); !reflect.DeepEqual(names, want) {
		t.Errorf("search ann: %v, want %v", names, want)
	}
}

func TestSearchFragmentsDoNotSpanFields(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	addCustomers(t, s,
		rules.Customer{Name: "Abc", Email: "def@ghi.org", Phone: "0161 496 0000"},
		rules.Customer{Name: "Xyz", Email: "uvw@rst.org", Phone: "0113 496 0999"},
	)
	// The end of one column and the start of the next (with fewer than two
	// digits: those would be looked for in the phones).
	for _, text := range []string{"bcdef", "bc de", "orgxyz", "org0", "rg0", "c d", "z uvw", "0xyz", "0abc", "ndefg"} {
		got, err := s.SearchCustomers(context.Background(), text, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("search %q found %v", text, searchNames(got))
		}
	}
	checkSearches(t, s, []string{"abc", "bc", "def@", "@ghi", "ghi.org", "org", "0161", "496", "4960", "0999", "1 4", "c", "de"}, 1, 10)
}

func TestSearchShortTextsAndDigits(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	addCustomers(t, s,
		rules.Customer{Name: "Al", Phone: "0161 496 0012", Email: "al12@example.org"},
		rules.Customer{Name: "Bo 12", Phone: "0113 496 0345"},
		rules.Customer{Name: "Cy", Phone: "+44 20 7946 0123", Email: "cy@b12.example"},
		rules.Customer{Name: "Di a12", Phone: "07700 900 456"},
		rules.Customer{Name: "Ed", Email: "ed@example.org"},
		rules.Customer{Name: "12 Fay"},
		// In both lists of "0161496": found once.
		rules.Customer{Name: "Gus", Phone: "0161 496 0000", Email: "g0161496@example.org"},
	)
	texts := []string{
		"a", "l", "1", "12", "a1", "a12", "l12", "0", "01", "012", "0123",
		"00 9", "7700 9", "496", "496 0", "9460", "+44", "(0161)", "0161-496", "2 f", "12 f", "b1", "345", "4560", "0161496", "161 49", "g016",
	}
	checkSearches(t, s, texts, 1, 2, 50)
}

func TestSearchNonASCIINames(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	addCustomers(t, s,
		rules.Customer{Name: "Élodie Brun", Email: "élodie@exämple.fr"},
		rules.Customer{Name: "Zoë Ødegård"},
		rules.Customer{Name: "ÉLISE"},
		rules.Customer{Name: "王小明", Email: "wang@example.cn"},
		rules.Customer{Name: "İlker"},
		rules.Customer{Name: "Łukasz Żółć"},
		rules.Customer{Name: "eloise"},
	)
	texts := []string{"é", "élo", "ÉLO", "éli", "elo", "lod", "ë", "zoë", "ø", "ødeg", "gård", "ä", "exä", "xämp",
		"王", "小明", "王小", "明", "i̇l", "İl", "ilk", "łuk", "żół", "ółć", "ć"}
	checkSearches(t, s, texts, 1, 2, 50)
}

func TestSearchFollowsEdits(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	ids := addCustomers(t, s,
		rules.Customer{Name: "Ann Lee", Phone: "0161 496 0000", Email: "ann@example.org"},
		rules.Customer{Name: "Bob Marsh", Phone: "0161 496 0001", Email: "bob@example.org"},
		rules.Customer{Name: "Cat Lee", Phone: "0161 496 0002"},
		rules.Customer{Name: "Dan Lee", Email: "dan.lee@example.org"},
	)
	texts := []string{"lee", "ann", "marsh", "quinn", "496 0001", "9999", "example", "xq@"}
	checkSearches(t, s, texts, 2, 50) // the lists are made here...
	edit := func(id rules.ID, change func(*rules.Customer)) {
		t.Helper()
		c, err := s.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		change(&c)
		if err := s.UpdateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// ...and must follow each change after.
	edit(ids[1], func(c *rules.Customer) { c.Name = "Bob Quinn" })
	checkSearches(t, s, texts, 2, 50)
	edit(ids[2], func(c *rules.Customer) { c.Phone = "0161 999 9999" })
	checkSearches(t, s, texts, 2, 50)
	edit(ids[3], func(c *rules.Customer) { c.Email = "xq@example.net" })
	checkSearches(t, s, texts, 2, 50)
	if err := s.MergeCustomers(ctx, ids[0], ids[2], "test"); err != nil {
		t.Fatal(err)
	}
	checkSearches(t, s, texts, 2, 50)
	if err := s.ForgetCustomer(ctx, ids[3], "test"); err != nil {
		t.Fatal(err)
	}
	checkSearches(t, s, texts, 2, 50)
	addCustomers(t, s, rules.Customer{Name: "Leela Quinn", Phone: "0161 496 0001"})
	checkSearches(t, s, texts, 2, 50)
	// Behind the store's back, by another program.
	writeAround(t, s, "DELETE FROM customers WHERE name_fold = 'leela quinn'")
	checkSearches(t, s, texts, 2, 50)
	writeAround(t, s, "UPDATE customers SET email_norm = 'quinn@x.org', phone_digits = '99990001' WHERE id = ?", ids[0])
	checkSearches(t, s, texts, 2, 50)
}

func TestSearchNamesWrittenOutOfOrder(t *testing.T) {
	s := newTestStore(t, "2026-06-15")
	ids := addCustomers(t, s,
		rules.Customer{Name: "ann"}, rules.Customer{Name: "anne"}, rules.Customer{Name: "bob ann"}, rules.Customer{Name: "carl"}, rules.Customer{Name: "dora"},
	)
	texts := []string{"ann", "anne", "an", "carl", "car", "blob", "b", "la a", "dora"}
	// Capitals in name_fold, written around the store: SQLite sorts them
	// by their bytes while LIKE folds them, so the names starting with
	// "ann" are no longer one run.
	for _, q := range []struct {
		id   rules.ID
		fold string
	}{{ids[1], "ANNE"}, {ids[3], "Carla Ann"}} {
		writeAround(t, s, "UPDATE customers SET name_fold = ? WHERE id = ?", q.fold, q.id)
		checkSearches(t, s, texts, 1, 2, 50)
	}
	// And in an email.
	writeAround(t, s, "UPDATE customers SET email_norm = 'Dora.Ann@Example.ORG' WHERE id = ?", ids[4])
	checkSearches(t, s, append(texts, "dora.a", "@exa", "e.org", "a.ann"), 1, 2, 50)
}

func TestSearchNameInABlob(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	ids := addCustomers(t, s, rules.Customer{Name: "ann"}, rules.Customer{Name: "anne"}, rules.Customer{Name: "bob ann"}, rules.Customer{Name: "carl"})
	// A blob, written around the store: SQLite sorts it after every text.
	// Its bytes are searched as they always were, where LIKE would not
	// look into a blob.
	writeAround(t, s, "UPDATE customers SET name_fold = CAST('ann blob' AS BLOB) WHERE id = ?", ids[3])
	for _, text := range []string{"ann", "an", "blob", "b", "anne", "carl"} {
		for _, limit := range []int{1, 2, 50} {
			got, err := s.searchIDs(ctx, text, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := searchAsBefore(t, s, text, limit); !slices.Equal(got, want) {
				t.Errorf("search %q limit %d: got %v, want %v", text, limit, got, want)
			}
		}
	}
	if got, _ := s.searchIDs(ctx, "ann", 10); !slices.Equal(got, []rules.ID{ids[0], ids[1], ids[3], ids[2]}) {
		t.Errorf("search ann: %v, want the blob after the other names", got)
	}
}

// searchAsBefore is the search as it was when every keystroke read every
// name in memory, in the order SQLite sorts them.
func searchAsBefore(t *testing.T, s *Store, text string, limit int) []rules.ID {
	t.Helper()
	rows, err := s.reader().Query("SELECT id, name_fold, email_norm, phone_digits FROM customers ORDER BY name_fold, id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	digits := rules.PhoneDigits(text)
	if len(digits) < 2 {
		digits = ""
	}
	var first, rest []rules.ID
	for rows.Next() {
		var e searchEntry
		if err := rows.Scan(&e.id, &e.name, &e.email, &e.phone); err != nil {
			t.Fatal(err)
		}
		name, email := lowerASCII(e.name), lowerASCII(e.email)
		switch {
		case strings.HasPrefix(name, text):
			first = append(first, e.id)
		case strings.Contains(name, text) || strings.Contains(email, text) || (digits != "" && strings.Contains(e.phone, digits)):
			rest = append(rest, e.id)
		}
	}
	return append(first, rest...)[:min(limit, len(first)+len(rest))]
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestSearchFindProperty compares the search through the sorted names
// with a reading of every entry, on many small made-up
// shops: names, emails and phones of few letters, so that fragments are
// found everywhere.
func TestSearchFindProperty(t *testing.T) {
	lyRapidChecks(t, 1000, 100)
	rapid.Check(t, func(rt *rapid.T) {
		letters := rapid.SampledFrom([]byte("abé01 .@-"))
		field := func(name string, max int) string {
			return string(rapid.SliceOfN(letters, 0, max).Draw(rt, name))
		}
		digits := rapid.SampledFrom([]byte("012"))
		var entries []searchEntry
		for i := range rapid.IntRange(0, 80).Draw(rt, "n") {
			entries = append(entries, searchEntry{
				id:    rules.ID(i + 1),
				name:  field("name", 7),
				email: field("email", 7),
				phone: string(rapid.SliceOfN(digits, 0, 7).Draw(rt, "phone")),
			})
		}
		slices.SortFunc(entries, func(a, b searchEntry) int {
			return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
		})
		ix := &customerIndex{entries: entries, sorted: true}
		for range 10 {
			var text string
			if len(entries) > 0 && rapid.Bool().Draw(rt, "taken") {
				// A piece of one entry, or of two side by side.
				e := entries[rapid.IntRange(0, len(entries)-1).Draw(rt, "entry")]
				all := e.name + e.email + e.phone
				from := rapid.IntRange(0, len(all)).Draw(rt, "from")
				text = all[from:rapid.IntRange(from, len(all)).Draw(rt, "to")]
			} else {
				text = field("text", 5)
			}
			if text == "" {
				continue
			}
			limit := rapid.IntRange(1, 12).Draw(rt, "limit")
			d := rules.PhoneDigits(text)
			if len(d) < 2 {
				d = ""
			}
			if got, want := ix.find(text, limit), ix.scanAll(text, d, limit); !slices.Equal(got, want) {
				rt.Fatalf("find %q limit %d: got %v, want %v", text, limit, got, want)
			}
		}
	})
}

// TestSearchPropertyWithEdits searches a shop as it changes, through the
// store and around it.
func TestSearchPropertyWithEdits(t *testing.T) {
	lyRapidChecks(t, 20, 4)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		s, err := Open(ctx, t.TempDir()+"/s.db", Options{})
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		word := rapid.StringOfN(rapid.SampledFrom([]rune("abAé ly1")), 1, 7, -1)
		phone := rapid.SampledFrom([]string{"", "0161 496 0000", "0161 496 0101", "07700 900 123", "0113 496 0011"})
		customer := func() rules.Customer {
			name := strings.TrimSpace(word.Draw(rt, "name"))
			if name == "" {
				name = "x"
			}
			c := rules.Customer{Name: name, Phone: phone.Draw(rt, "phone")}
			if rapid.Bool().Draw(rt, "email") {
				c.Email = "p" + strings.ReplaceAll(word.Draw(rt, "email"), " ", "") + "@x.org"
			}
			return c
		}
		var ids []rules.ID
		for range rapid.IntRange(0, 8).Draw(rt, "n") {
			id, err := s.AddCustomer(ctx, customer())
			if err != nil {
				rt.Fatal(err)
			}
			ids = append(ids, id)
		}
		for range 12 {
			switch rapid.IntRange(0, 4).Draw(rt, "action") {
			case 0:
				id, err := s.AddCustomer(ctx, customer())
				if err != nil {
					rt.Fatal(err)
				}
				ids = append(ids, id)
			case 1:
				if len(ids) == 0 {
					continue
				}
				c := customer()
				c.ID = rapid.SampledFrom(ids).Draw(rt, "edited")
				if err := s.UpdateCustomer(ctx, c); err != nil {
					rt.Fatal(err)
				}
			case 2:
				if len(ids) == 0 {
					continue
				}
				i := rapid.IntRange(0, len(ids)-1).Draw(rt, "deleted")
				writeAround(rt, s, "DELETE FROM customers WHERE id = ?", ids[i])
				ids = slices.Delete(ids, i, i+1)
			default:
				text := word.Draw(rt, "text")
				limit := rapid.IntRange(1, 5).Draw(rt, "limit")
				got, err := s.SearchCustomers(ctx, text, limit)
				if err != nil {
					rt.Fatal(err)
				}
				if want := searchBySQL(t, s, text, limit); !reflect.DeepEqual(got, want) {
					rt.Fatalf("search %q limit %d: got %v, want %v", text, limit, searchNames(got), searchNames(want))
				}
			}
		}
	})
}

// failer is what the checks below need of a *testing.T or a *rapid.T.
type failer interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// indexedEntries is what the index holds once brought up to date by a
// search.
func indexedEntries(t failer, s *Store) []searchEntry {
	t.Helper()
	if _, err := s.searchIDs(context.Background(), "zzzzz", 1); err != nil {
		t.Fatal(err)
	}
	ix := &s.search
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return slices.Clone(ix.entries)
}

// checkFresh compares the index, patched or read again, with one read
// afresh from the file, and the searches with the statement.
func checkFresh(t failer, s *Store, texts []string) {
	t.Helper()
	got := indexedEntries(t, s)
	want, err := s.readSearchEntries(context.Background(), "", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the index holds\n%v\nread afresh:\n%v", got, want)
	}
	for _, text := range texts {
		for _, limit := range []int{1, 3, 50} {
			tt := strings.ToLower(strings.TrimSpace(text))
			ids, err := s.searchIDs(context.Background(), tt, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := searchBySQLIDs(t, s, text, limit); !slices.Equal(ids, want) {
				t.Fatalf("search %q limit %d: got %v, want %v", text, limit, ids, want)
			}
		}
	}
}

func searchBySQLIDs(t failer, s *Store, text string, limit int) []rules.ID {
	t.Helper()
	tt := strings.ToLower(strings.TrimSpace(text))
	like := "%" + escapeLike(tt) + "%"
	digits := rules.PhoneDigits(tt)
	digitLike := ""
	if len(digits) >= 2 {
		digitLike = "%" + digits + "%"
	}
	ids, err := idList(context.Background(), s.reader(), `SELECT id FROM customers
		WHERE name_fold LIKE ? ESCAPE '\' OR email_norm LIKE ? ESCAPE '\' OR (? <> '' AND phone_digits LIKE ?)
		ORDER BY (name_fold LIKE ? ESCAPE '\') DESC, name_fold, id LIMIT ?`,
		like, like, digitLike, digitLike, escapeLike(tt)+"%", limit)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestSearchPatchesEveryKindOfWrite makes each kind of write the shop
// knows and checks that the index, patched with the customers the write
// changed, holds what an index read afresh holds, and that the store's own
// writes are patched in, not read again, while writes around it are.
func TestSearchPatchesEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	ids := addCustomers(t, s,
		rules.Customer{Name: "Ann Lee", Phone: "0161 496 0000", Email: "ann@example.org"},
		rules.Customer{Name: "Bob Marsh", Phone: "0161 496 0001", Email: "bob@example.org"},
		rules.Customer{Name: "Cat Lee", Phone: "0161 496 0002"},
		rules.Customer{Name: "Dan Lee", Email: "dan.lee@example.org"},
		rules.Customer{Name: "Eve Ann", Phone: "0113 496 0777"},
		rules.Customer{Name: "Fay Quinn", Email: "fay@quinn.example"},
	)
	texts := []string{"lee", "ann", "marsh", "quinn", "496 0001", "0777", "example", "xq@", "a", "zed", "new", "vcard"}
	checkFresh(t, s, texts)
	edit := func(id rules.ID, change func(*rules.Customer)) {
		t.Helper()
		c, err := s.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		change(&c)
		if err := s.UpdateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	patched := []struct {
		what  string
		write func()
	}{
		{"a new name", func() { edit(ids[1], func(c *rules.Customer) { c.Name = "Bob Quinn" }) }},
		{"a new phone", func() { edit(ids[2], func(c *rules.Customer) { c.Phone = "0161 999 9999" }) }},
		{"a new email", func() { edit(ids[3], func(c *rules.Customer) { c.Email = "xq@example.net" }) }},
		{"only the notes", func() { edit(ids[0], func(c *rules.Customer) { c.Notes = "likes scarves" }) }},
		{"the same name twice", func() {
			edit(ids[4], func(c *rules.Customer) { c.Name = "Zed" })
			edit(ids[4], func(c *rules.Customer) { c.Name = "Eve Ann" })
		}},
		{"an edited customer edited again", func() { edit(ids[1], func(c *rules.Customer) { c.Name = "Bob Marsh-Quinn" }) }},
		{"a new customer", func() {
			ids = append(ids, addCustomers(t, s, rules.Customer{Name: "Newt Lee", Phone: "0161 496 0001"})...)
		}},
		{"a sale", func() {
			if _, err := s.RecordSale(ctx, Sale{CustomerID: ids[0], Amount: 4250, Description: "scarf"}); err != nil {
				t.Fatal(err)
			}
		}},
		{"a merge", func() {
			if err := s.MergeCustomers(ctx, ids[2], ids[3], "test"); err != nil {
				t.Fatal(err)
			}
		}},
		{"a forgotten customer", func() {
			if err := s.ForgetCustomer(ctx, ids[5], "test"); err != nil {
				t.Fatal(err)
			}
		}},
		{"a new customer edited before a search", func() {
			id := addCustomers(t, s, rules.Customer{Name: "Temp Lee"})[0]
			edit(id, func(c *rules.Customer) { c.Name = "Temp Ann" })
			if err := s.MergeCustomers(ctx, ids[0], id, "test"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, w := range patched {
		reloads := s.search.reloads
		w.write()
		checkFresh(t, s, texts)
		if s.search.reloads != reloads {
			t.Errorf("after %s everyone was read again", w.what)
		}
	}
	// Imports, and writes around the store: everyone is read again.
	reread := []struct {
		what  string
		write func()
	}{
		{"a CSV import", func() {
			_, err := s.ImportCustomersCSV(ctx, strings.NewReader("name,phone,email\nZed Annex,07700 900555,zed@new.example\nAnn Zed,,ann.zed@new.example\n"), ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"a vCard import", func() {
			card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\nTEL:0113 496 0123\r\nEMAIL:vera@vcard.example\r\nEND:VCARD\r\n"
			if _, err := s.ImportVCard(ctx, strings.NewReader(card), ImportOptions{}); err != nil {
				t.Fatal(err)
			}
		}},
		{"a rename around the store", func() { writeAround(t, s, "UPDATE customers SET name_fold = 'ann around' WHERE id = 1") }},
		{"a delete around the store", func() { writeAround(t, s, "DELETE FROM customers WHERE name_fold = 'zed annex'") }},
		{"new digits around the store", func() {
			writeAround(t, s, "UPDATE customers SET email_norm = 'quinn@x.org', phone_digits = '99990001' WHERE id = 2")
		}},
	}
	for _, w := range reread {
		reloads := s.search.reloads
		w.write()
		checkFresh(t, s, texts)
		if s.search.reloads != reloads+1 {
			t.Errorf("after %s the index was not read again", w.what)
		}
	}
	// Capitals in a name: read again, and not patched until they go.
	writeAround(t, s, "UPDATE customers SET name_fold = 'Ann CAPS' WHERE id = 1")
	checkFresh(t, s, texts)
	reloads := s.search.reloads
	edit(ids[1], func(c *rules.Customer) { c.Name = "Bob Again" })
	checkFresh(t, s, texts)
	if s.search.reloads != reloads+1 {
		t.Errorf("a name with capitals was patched around")
	}
	edit(ids[0], func(c *rules.Customer) { c.Name = "Ann Plain" })
	checkFresh(t, s, texts)
	reloads = s.search.reloads
	edit(ids[1], func(c *rules.Customer) { c.Name = "Bob Plain" })
	checkFresh(t, s, texts)
	if s.search.reloads != reloads {
		t.Errorf("without capitals the index is still read again")
	}
}

// TestSearchPatchProperty makes random writes of every kind, a few between
// searches, and compares the index after each search with one read afresh.
func TestSearchPatchProperty(t *testing.T) {
	lyRapidChecks(t, 40, 8)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		s, err := Open(ctx, t.TempDir()+"/s.db", Options{Today: rules.NewDay(2026, 6, 15)})
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		word := rapid.StringOfN(rapid.SampledFrom([]rune("abAé ly1")), 1, 7, -1)
		phone := rapid.SampledFrom([]string{"", "0161 496 0000", "0161 496 0101", "07700 900 123", "0113 496 0011"})
		customer := func() rules.Customer {
			name := strings.TrimSpace(word.Draw(rt, "name"))
			if name == "" {
				name = "x"
			}
			c := rules.Customer{Name: name, Phone: phone.Draw(rt, "phone")}
			if rapid.Bool().Draw(rt, "email") {
				c.Email = "p" + strings.ReplaceAll(word.Draw(rt, "email"), " ", "") + "@x.org"
			}
			return c
		}
		var ids []rules.ID
		add := func() {
			id, err := s.AddCustomer(ctx, customer())
			if err != nil {
				rt.Fatal(err)
			}
			ids = append(ids, id)
		}
		for range rapid.IntRange(0, 6).Draw(rt, "n") {
			add()
		}
		texts := []string{"a", "ab", "aby", "é", "l", "ly", "1", "496", "0000", "x.org", "pa"}
		checkFresh(rt, s, texts)
		pick := func(label string) (int, bool) {
			if len(ids) == 0 {
				return 0, false
			}
			return rapid.IntRange(0, len(ids)-1).Draw(rt, label), true
		}
		for range rapid.IntRange(1, 20).Draw(rt, "steps") {
			switch rapid.IntRange(0, 9).Draw(rt, "action") {
			case 0:
				add()
			case 1:
				if i, ok := pick("edited"); ok {
					c, err := s.Customer(ctx, ids[i])
					if err != nil {
						rt.Fatal(err)
					}
					n := customer()
					switch rapid.IntRange(0, 3).Draw(rt, "field") {
					case 0:
						c.Name = n.Name
					case 1:
						c.Phone = n.Phone
					case 2:
						c.Email = n.Email
					default:
						c.Notes = n.Name
					}
					if err := s.UpdateCustomer(ctx, c); err != nil {
						rt.Fatal(err)
					}
				}
			case 2:
				if i, ok := pick("forgotten"); ok {
					if err := s.ForgetCustomer(ctx, ids[i], "test"); err != nil {
						rt.Fatal(err)
					}
				}
			case 3:
				i, ok1 := pick("kept")
				j, ok2 := pick("dropped")
				if ok1 && ok2 && i != j {
					if err := s.MergeCustomers(ctx, ids[i], ids[j], "test"); err != nil {
						rt.Fatal(err)
					}
					ids = slices.Delete(ids, j, j+1)
				}
			case 4:
				var b strings.Builder
				b.WriteString("name,phone,email\n")
				for range rapid.IntRange(1, 3).Draw(rt, "rows") {
					c := customer()
					fmt.Fprintf(&b, "%q,%q,%q\n", c.Name, c.Phone, c.Email)
				}
				// Rows clashing with customers already there are skipped.
				if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(b.String()), ImportOptions{SkipBad: true}); err != nil {
					rt.Fatal(err)
				}
				all, err := idList(ctx, s.reader(), "SELECT id FROM customers ORDER BY id")
				if err != nil {
					rt.Fatal(err)
				}
				ids = all
			case 5:
				if i, ok := pick("sold to"); ok {
					if _, err := s.RecordSale(ctx, Sale{CustomerID: ids[i], Amount: 1000, Description: "scarf"}); err != nil {
						rt.Fatal(err)
					}
				}
			case 6:
				// Around the store.
				if i, ok := pick("renamed around"); ok {
					name := strings.ToLower(customer().Name)
					if rapid.Bool().Draw(rt, "capitals") {
						name = strings.ToUpper(name)
					}
					writeAround(rt, s, "UPDATE customers SET name_fold = ? WHERE id = ?", name, ids[i])
				}
			case 7:
				if i, ok := pick("deleted around"); ok {
					// Not those with purchases: the foreign keys refuse.
					res := writeAround(rt, s, "PRAGMA foreign_keys = ON; DELETE FROM customers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM purchases WHERE customer_id = ?1)", ids[i])
					if n, _ := res.RowsAffected(); n == 1 {
						ids = slices.Delete(ids, i, i+1)
					}
				}
			default:
				checkFresh(rt, s, texts)
			}
		}
		checkFresh(rt, s, texts)
	})
}

// TestSearchSeesOtherWriters: after a second store on the same file (the
// command line while the window is open) or a bulk write (the demo) wrote,
// the next search reads everyone again, and then patches again.
func TestSearchSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	texts := []string{"a", "an", "lee", "496", "example", "quinn"}
	checkFresh(t, s, texts)
	reloads := s.search.reloads
	if _, err := s.GenerateDemo(ctx, DemoOptions{Customers: 40, Seed: 3, End: s.Today()}); err != nil {
		t.Fatal(err)
	}
	checkFresh(t, s, texts)
	if s.search.reloads != reloads+1 {
		t.Errorf("after the demo the index was not read again")
	}
	other, err := Open(ctx, s.path, Options{Today: s.Today()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	checkFresh(t, other, texts) // the other store watches too
	c, err := other.Customer(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	ids := addCustomers(t, s, rules.Customer{Name: "Ann Quinn", Email: "ann@quinn.example"})
	c.Name = "Zoe Quinn"
	if err := other.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := other.ForgetCustomer(ctx, ids[0], "test"); err != nil {
		t.Fatal(err)
	}
	reloads = s.search.reloads
	checkFresh(t, s, texts)
	checkFresh(t, other, texts)
	if s.search.reloads != reloads+1 {
		t.Errorf("after the other store's writes the index was not read again")
	}
	c.Name = "Zoe Lee"
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	reloads = s.search.reloads
	checkFresh(t, s, texts)
	checkFresh(t, other, texts)
	if s.search.reloads != reloads {
		t.Errorf("after its own write the index was read again")
	}
}

// A store that only reads (the window while the file is checked) sees
// other programs' writes too.
func TestSearchOfAReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-06-15")
	addCustomers(t, s, rules.Customer{Name: "Ann Lee"}, rules.Customer{Name: "Bob Marsh"})
	ro, err := Open(ctx, s.path, Options{ReadOnly: true, Today: s.Today()})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	checkFresh(t, ro, []string{"lee", "marsh", "quinn"})
	addCustomers(t, s, rules.Customer{Name: "Cat Quinn"})
	checkFresh(t, ro, []string{"lee", "marsh", "quinn"})
	if got, err := ro.SearchCustomers(ctx, "quinn", 5); err != nil || len(got) != 1 {
		t.Errorf("the read-only store finds %v, %v", searchNames(got), err)
	}
}

// escapeLike escapes LIKE's wildcards in s, for the reference statements.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
