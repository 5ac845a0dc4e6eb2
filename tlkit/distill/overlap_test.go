package distill

import (
	"testing"

	"github.com/nlp-transfer/gotl/data"
)

// Shared digits and names find their translation; pairs with nothing in common fall to the
// first candidate (a tie), which is right only for the first pair.
func TestCharacterOverlap(t *testing.T) {
	pairs := []data.TranslationPair{
		{Source: "I like cats.", Target: "我喜欢猫。"},
		{Source: "It costs 25 dollars.", Target: "这要25美元。"},
		{Source: "Tom lives in Paris.", Target: "Tom住在巴黎。"},
		{Source: "Good night.", Target: "晚安。"},
	}
	zhEn, enZh, err := CharacterOverlap(pairs)
	if err != nil {
		t.Fatal(err)
	}
	// zh→en: "这要25美元。" finds the 25; "Tom住在巴黎。" finds the t and o of "It costs 25
	// dollars." (cosine 5/√34 against 3/√24 for its translation); the other two share nothing
	// with any English sentence and pick the first, right for pair 0.
	if zhEn != 0.5 {
		t.Errorf("zh→en %v, want 0.5", zhEn)
	}
	// en→zh: every English sentence shares letters with "Tom住在巴黎。" (t, o) and picks it;
	// "It costs 25 dollars." too, its t and o outweighing the 2 and 5: right for pair 2 only.
	if enZh != 0.25 {
		t.Errorf("en→zh %v, want 0.25", enZh)
	}
	if _, _, err := CharacterOverlap(nil); err == nil {
		t.Error("no pairs: no error")
	}
}
