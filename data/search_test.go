package data

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// searchBySQL is the search as one statement, as it was written before the
// names were kept in memory: the definition the search must keep to.
func searchBySQL(t *testing.T, s *Store, text string, limit int) []Customer {
	t.Helper()
	tt := strings.ToLower(strings.TrimSpace(text))
	like := "%" + escapeLike(tt) + "%"
	digits := PhoneDigits(tt)
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
		c := Customer{Name: n, Phone: fmt.Sprintf("+44 7700 9%05d", i*37), Email: strings.ToLower(strings.Fields(n)[0]) + fmt.Sprintf("%d@Example.org", i)}
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
	if _, err := s.w.Exec("UPDATE customers SET name = 'Xavier Quinn', name_fold = 'xavier QUINN' WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.SearchCustomers(ctx, "quinn", 10)
	if len(got) != 1 || got[0].ID != 3 {
		t.Errorf("after a rename: %v", searchNames(got))
	}
}

func searchNames(cs []Customer) []string {
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
			c := Customer{Name: name, Phone: rapid.SampledFrom([]string{"", "0161 496 0000", "+44 20 7946 0123", "07700 900 123"}).Draw(rt, "phone")}
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
