package data

import (
	"fmt"
	"slices"
)

// XQuADLanguages returns the XQuAD languages in the mirror: "en" and "zh".
func XQuADLanguages() []string { return []string{"en", "zh"} }

// LoadXQuAD loads XQuAD (Artetxe et al. 2020) in language lang (see XQuADLanguages): 1190
// extractive question answering examples over 240 paragraphs of 48 Wikipedia articles,
// professionally translated from SQuAD v1.1 (the same IDs in every language). Each example
// has one answer. It is parsed by ParseSQuAD: answer offsets are checked and turned into byte
// offsets, so that Context[Start:Start+len(Text)] == Text. s nil means DefaultStore().
func LoadXQuAD(s *Store, lang string) ([]QAExample, error) { return loadXQuAD(storePaths(s), lang) }

func loadXQuAD(paths pathFunc, lang string) ([]QAExample, error) {
	if !slices.Contains(XQuADLanguages(), lang) {
		return nil, fmt.Errorf("loading xquad: no language %q in the mirror, want one of %v", lang, XQuADLanguages())
	}
	name := "xquad/xquad." + lang + ".json"
	raw, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading xquad: %w", err)
	}
	out, err := ParseSQuAD(raw, name)
	if err != nil {
		return nil, fmt.Errorf("loading xquad: %w", err)
	}
	return out, nil
}
