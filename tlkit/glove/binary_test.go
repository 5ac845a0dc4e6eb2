package glove_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func TestBinaryRoundTrip(t *testing.T) {
	v := tinyVectors(t, 0)
	v.Source = "tiny test vectors ✓"
	path := filepath.Join(t.TempDir(), "sub", "tiny.bin")
	if err := v.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := glove.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Words, v.Words) || !slices.Equal(got.Data, v.Data) || got.Dim != v.Dim || got.Source != v.Source {
		t.Fatalf("round trip: got %q dim %d source %q, want %q dim %d source %q", got.Words, got.Dim, got.Source, v.Words, v.Dim, v.Source)
	}
	if got.Index["queen"] != 7 {
		t.Errorf("Index[queen] = %d, want 7", got.Index["queen"])
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestDecodeDetectsCorruption(t *testing.T) {
	raw := tinyVectors(t, 0).Encode()
	flip := func(i int) []byte {
		b := slices.Clone(raw)
		b[i] ^= 0x10
		return b
	}
	for name, b := range map[string][]byte{
		"empty":            nil,
		"bad magic":        flip(0),
		"truncated":        raw[:len(raw)-1],
		"cut in half":      raw[:len(raw)/2],
		"flipped header":   flip(13),
		"flipped vector":   flip(len(raw) - 40),
		"flipped checksum": flip(len(raw) - 1),
	} {
		if _, err := glove.Decode(b); !errors.Is(err, glove.ErrCorrupt) {
			t.Errorf("%s: Decode error %v, want ErrCorrupt", name, err)
		}
	}
	if _, err := glove.Decode(raw); err != nil {
		t.Fatalf("intact: %v", err)
	}
}
