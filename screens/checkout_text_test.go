package screens

import "testing"

func TestSentenceCaseCapitalisesTheFirstLetterNotByte(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"the reward is worth more than the sale", "The reward is worth more than the sale."},
		{"  already a sentence.  ", "Already a sentence."},
		{"éclair was not found", "Éclair was not found."},
		{"“Ann Lee” has no phone", "“Ann Lee” has no phone."},
		{"ßtraße", "ßtraße."}, // no capital of its own: left as it is
		{"", ""},
	} {
		if got := sentenceCase(c.in); got != c.want {
			t.Errorf("sentenceCase(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
