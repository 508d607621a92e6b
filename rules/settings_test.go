package rules

import "testing"

func TestCheckLocale(t *testing.T) {
	for _, tc := range []struct {
		tag string
		ok  bool
	}{
		{"", true}, {"en-GB", true}, {"en-US", true}, {"de-DE", true}, {"fr-FR", true},
		{"de", false}, {"en_GB", false}, {"en-gb", false}, {"xx-YY", false},
	} {
		if err := CheckLocale(tc.tag); (err == nil) != tc.ok {
			t.Errorf("CheckLocale(%q) = %v", tc.tag, err)
		}
	}
}
