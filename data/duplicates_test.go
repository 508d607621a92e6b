package data

import (
	"context"
	"fmt"
	"path/filepath"
	"regulars/rules"
	"slices"
	"testing"
	"time"
)

func candidate(id rules.ID, name, phone, email string) DuplicateCandidate {
	return DuplicateCandidate{DuplicateCustomer: DuplicateCustomer{ID: id, Name: name, Phone: phone, Email: email},
		PhoneDigits: rules.PhoneDigits(phone), EmailNorm: rules.NormEmail(email)}
}

func TestSuggestPairsRules(t *testing.T) {
	type side struct{ name, phone, email string }
	cases := []struct {
		name   string
		a, b   side
		want   []DuplicateReason // nil: not suggested
		family bool
	}{
		{"same phone written two ways", side{"Ann Lee", "07700 900123", ""}, side{"Ann Leigh", "07700-900-123", ""}, []DuplicateReason{SamePhone}, true},
		{"same email in another case", side{"Ann Lee", "", "Ann.Lee@Example.com"}, side{"A Lee", "", "ann.lee@example.COM "}, []DuplicateReason{SameEmail}, false},
		{"phone, email and name", side{"Ann Lee", "07700 900123", "ann@example.com"}, side{"ann lee", "07700900123", "ANN@example.com"}, []DuplicateReason{SameEmail, SamePhone, SameName}, false},
		{"a family on one phone", side{"Ann Lee", "0161 496 0000", ""}, side{"Bob Lee", "0161 496 0000", "bob@example.com"}, []DuplicateReason{SamePhone}, true},
		{"the same name, once normalised", side{"Mary-Kate O'Brien", "07700 900123", ""}, side{"mary kate  o brien", "", "mk@example.com"}, []DuplicateReason{SameName}, false},
		{"first and last name swapped", side{"Ann Lee", "", ""}, side{"Lee, Ann", "07700 900123", ""}, []DuplicateReason{SwappedName}, false},
		{"one letter added", side{"Jon Smith", "", ""}, side{"John Smith", "", ""}, []DuplicateReason{SimilarName}, false},
		{"one letter changed", side{"Zoe Smith", "", "zoe@example.com"}, side{"Zoë Smith", "", ""}, []DuplicateReason{SimilarName}, false},
		{"one letter taken away at the end", side{"Ann Lees", "", ""}, side{"Ann Lee", "", ""}, []DuplicateReason{SimilarName}, false},
		{"another first letter", side{"Ann Lee", "", ""}, side{"Dan Lee", "", ""}, nil, false},
		{"two letters apart", side{"Jon Smyth", "", ""}, side{"John Smith", "", ""}, nil, false},
		{"letters the other way round", side{"Ann Lee", "", ""}, side{"Ann Ele", "", ""}, nil, false},
		{"one name, two phones: two people", side{"Oliver Smith", "07700 900001", ""}, side{"Oliver Smith", "07700 900002", ""}, nil, false},
		{"one name, two emails: two people", side{"Oliver Smith", "", "o1@example.com"}, side{"Oliver Smith", "", "o2@example.com"}, nil, false},
		{"nothing alike", side{"Ann Lee", "07700 900001", "a@example.com"}, side{"Bob Roy", "07700 900002", "b@example.com"}, nil, false},
		{"no phone and no email are not the same phone or email", side{"Ann Lee", "", ""}, side{"Bob Roy", "", ""}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := SuggestPairs([]DuplicateCandidate{candidate(7, c.b.name, c.b.phone, c.b.email), candidate(3, c.a.name, c.a.phone, c.a.email)})
			if c.want == nil {
				if len(got) != 0 {
					t.Fatalf("suggested %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d pairs, want 1: %+v", len(got), got)
			}
			p := got[0]
			if p.A.ID != 3 || p.B.ID != 7 || p.A.Name != c.a.name || !slices.Equal(p.Reasons, c.want) || p.MaybeFamily() != c.family {
				t.Errorf("got %+v (family %v), want reasons %v (family %v)", p, p.MaybeFamily(), c.want, c.family)
			}
		})
	}
}

// TestSuggestPairsGroupsWithoutComparingEveryPair: 50,000 customers, with
// a few hundred duplicates among them, are paired; a pairwise comparison
// would take minutes and time the test out. Its time is a benchmark's
// (BenchmarkSuggestPairs), not a test's.
func TestSuggestPairsGroupsWithoutComparingEveryPair(t *testing.T) {
	runBeside(t)
	if testing.Short() {
		t.Skip("a large shop")
	}
	cs := pairingShop()
	start := time.Now()
	got := SuggestPairs(cs)
	took := time.Since(start)
	if len(got) != 300 {
		t.Fatalf("%d pairs, want 300", len(got))
	}
	t.Logf("50,300 customers paired in %v", took)
}

// pairingShop is 50,000 customers and 300 more who repeat one of them.
func pairingShop() []DuplicateCandidate {
	var cs []DuplicateCandidate
	for i := range 50000 {
		cs = append(cs, candidate(rules.ID(i+1), fmt.Sprintf("Person%05d Surname%03d", i, i%997), fmt.Sprintf("07700 %06d", i), fmt.Sprintf("p%d@example.com", i)))
	}
	for i := range 300 {
		cs = append(cs, candidate(rules.ID(50001+i), fmt.Sprintf("Person%05d Surname%03d", i*100, (i*100)%997), "", ""))
	}
	return cs
}

// BenchmarkSuggestPairs pairs 50,300 customers in memory: the duplicates
// screen's work once the customers are read.
func BenchmarkSuggestPairs(b *testing.B) {
	cs := pairingShop()
	for b.Loop() {
		if got := SuggestPairs(cs); len(got) != 300 {
			b.Fatalf("%d pairs, want 300", len(got))
		}
	}
	b.ReportMetric(msPerOp(b), "ms/op")
}

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
