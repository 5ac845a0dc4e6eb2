package data

import "testing"

func TestDecodeWindows1252(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"clich\xe9s", "clichés"},
		{"wait\x85 \x93yes\x94 \x96 \x97 don\x92t", "wait… “yes” – — don’t"},
		{"plain ascii", "plain ascii"},
		{"already UTF-8: café", "already UTF-8: café"}, // toUTF8 leaves valid UTF-8 alone
	} {
		if got := toUTF8([]byte(tc.in)); got != tc.want {
			t.Errorf("toUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := toUTF8([]byte(big5Punctuation.Replace("man\xa1\xa6s \xa1X \xa1\xa7a\xa1\xa8\xa1K"))); got != "man’s — “a”…" {
		t.Errorf("Big5 punctuation decoded to %q", got)
	}
}
