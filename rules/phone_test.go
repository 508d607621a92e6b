package rules

import "testing"

func TestPhoneDigits(t *testing.T) {
	cases := map[string]string{
		"+44 (0)20 7946-0958": "4402079460958",
		"555.123.4567":        "5551234567",
		"":                    "",
		"no digits":           "",
		"０１２":                 "", // only ASCII digits count
	}
	for in, want := range cases {
		if got := PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckPhone(t *testing.T) {
	good := []string{"", "  ", "+44 (0)20 7946 0958", "555-1234", "12345", "06/1234567", "123456789012345"}
	for _, in := range good {
		if err := CheckPhone(in); err != nil {
			t.Errorf("CheckPhone(%q): %v", in, err)
		}
	}
	bad := []string{"1234", "1234567890123456", "0044+123456", "call 555 1234", "555-1234 ext 2", "++44 1234567"}
	for _, in := range bad {
		if err := CheckPhone(in); err == nil {
			t.Errorf("CheckPhone(%q) accepted", in)
		}
	}
}

func TestEmails(t *testing.T) {
	if got := NormEmail("  Ann.Lee@Example.COM "); got != "ann.lee@example.com" {
		t.Errorf("NormEmail = %q", got)
	}
	for _, in := range []string{"", "ann@example.com", "a.b+shop@mail.example.org"} {
		if err := CheckEmail(in); err != nil {
			t.Errorf("CheckEmail(%q): %v", in, err)
		}
	}
	for _, in := range []string{"ann", "ann@localhost", "Ann <ann@example.com>", "ann@@example.com", "@example.com", "ann@example.com, bob@example.com"} {
		if err := CheckEmail(in); err == nil {
			t.Errorf("CheckEmail(%q) accepted", in)
		}
	}
}

func TestNames(t *testing.T) {
	for _, in := range []string{"Ann", "  Zoë O'Brien-Smith "} {
		if err := CheckName(in); err != nil {
			t.Errorf("CheckName(%q): %v", in, err)
		}
	}
	long := make([]rune, 201)
	for i := range long {
		long[i] = 'é'
	}
	for _, in := range []string{"", "   ", "Ann\x00Lee", "Ann\nLee", string(long)} {
		if err := CheckName(in); err == nil {
			t.Errorf("CheckName(%q) accepted", in)
		}
	}
	cases := map[string]string{"Ann Lee": "Ann", "  Bob  ": "Bob", "": "", "Zoë": "Zoë"}
	for in, want := range cases {
		if got := FirstName(in); got != want {
			t.Errorf("FirstName(%q) = %q, want %q", in, got, want)
		}
	}
}
