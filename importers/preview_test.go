package importers

import (
	"slices"
	"strings"
	"testing"
)

func TestGuessField(t *testing.T) {
	for header, want := range map[string]string{
		"Name": "name", "Full name": "name", "E-mail Address": "email", "E-mail 1 - Value": "email",
		"Mobile Phone": "phone", "Phone 1 - Value": "phone", "Tel.": "phone", "DOB": "birthday",
		"Date of birth": "birthday", "Given Name": "first_name", "Surname": "last_name", "Customer since": "customer_since",
		"Opt-out": "do_not_contact", "Labels": "tags", "Points": "points", "Favourite colour": "", "": "",
	} {
		if got := GuessField(header); got != want {
			t.Errorf("GuessField(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestSampleCSVGuessesEachFieldOnce(t *testing.T) {
	file := "\ufeffFirst Name,Middle Name,Last Name,Phone 1 - Value,Mobile,E-mail 1 - Value,Birthday\r\n" +
		"Ann,,Lee,0161 496 0000,07700 900001,ann@example.com,1980-06-16\r\n" +
		"Bob,J,Roy,,,,\r\n" +
		"Cat,,Day,,,,\r\n"
	s, err := SampleCSV(strings.NewReader(file), 2)
	if err != nil {
		t.Fatal(err)
	}
	wantGuess := []string{"first_name", "", "last_name", "phone", "", "email", "birthday"}
	if !slices.Equal(s.Guess, wantGuess) || len(s.Rows) != 2 || s.Header[0] != "First Name" || s.Rows[1][2] != "Roy" {
		t.Errorf("sample %+v", s)
	}
	// A full name column wins over the parts.
	s, err = SampleCSV(strings.NewReader("Given name,Name,Surname\nA,A B,B\n"), 5)
	if err != nil || !slices.Equal(s.Guess, []string{"", "name", ""}) {
		t.Errorf("sample %+v %v", s, err)
	}
	for _, bad := range []string{"", "name;phone;email\n", "\xff\xfen\x00"} {
		if _, err := SampleCSV(strings.NewReader(bad), 2); err == nil {
			t.Errorf("SampleCSV(%q) gave no error", bad)
		}
	}
}
