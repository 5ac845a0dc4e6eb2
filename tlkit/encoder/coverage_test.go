package encoder_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

func TestCharacterCoverage(t *testing.T) {
	enc := tinyBERT(t) // Knows "," and "." but no Chinese character.
	c, err := encoder.CharacterCoverage(enc, []string{"猫, 狗.", " 猫 "})
	if err != nil {
		t.Fatal(err)
	}
	if c.Chars != 5 || c.Distinct != 4 || c.Unknown != 3 || c.UnknownDistinct != 2 || !reflect.DeepEqual(c.Frequent, []string{"猫", "狗"}) {
		t.Errorf("coverage %+v; want 3 of 5 characters unknown (猫 twice, 狗), 2 of 4 distinct", c)
	}
	if got := c.UnknownShare(); got != 0.6 {
		t.Errorf("UnknownShare = %v, want 0.6", got)
	}
	if !strings.Contains(c.String(), "60.0% of 5 characters unknown") {
		t.Errorf("String() = %q", c.String())
	}
	if _, err := encoder.CharacterCoverage(testkit.NewToyEncoder(t), []string{"a"}); err == nil || !strings.Contains(err.Error(), "unknown token") {
		t.Errorf("an encoder without UnknownID: err = %v", err)
	}
}
