package data

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// windows1252High maps the bytes 0x80–0x9F of Windows-1252 to runes; the bytes 0xA0–0xFF
// are the same as in Latin-1 (the rune with the byte's value). Undefined bytes map to the
// C1 control of the same value, as Python's "cp1252" codec does with errors="ignore" off.
var windows1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

// decodeWindows1252 decodes b as Windows-1252, the encoding of the MR, SUBJ and TREC files
// (their 0x85, 0x91–0x97 bytes are ellipses, quotes and dashes).
func decodeWindows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xa0:
			sb.WriteRune(windows1252High[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// toUTF8 returns b as a string: unchanged when it is valid UTF-8, else decoded as
// Windows-1252.
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return decodeWindows1252(b)
}

// big5Punctuation replaces the Big5-encoded punctuation found in some NLTK state_union files
// (the 1970–1974 Nixon addresses) by its Unicode equivalent.
var big5Punctuation = strings.NewReplacer(
	"\xa1@", " ", // ideographic space, used as an indent
	"\xa1X", "—",
	"\xa1\xa6", "’",
	"\xa1\xa7", "“",
	"\xa1\xa8", "”",
	"\xa1K", "…",
)

// firstInvalidUTF8 returns the byte offset of the first invalid UTF-8 sequence in s, or -1.
func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// checkUTF8 returns an error naming the file, line and first bad byte when raw is not UTF-8.
func checkUTF8(raw []byte, name string) error {
	if utf8.Valid(raw) {
		return nil
	}
	i := firstInvalidUTF8(string(raw))
	return fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
		name, 1+bytes.Count(raw[:i], []byte("\n")), raw[i])
}
