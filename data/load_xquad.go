package data

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// XQuADLanguages returns the XQuAD languages in the mirror: "en" and "zh".
func XQuADLanguages() []string { return []string{"en", "zh"} }

// LoadXQuAD loads XQuAD (Artetxe et al. 2020) in language lang (see XQuADLanguages): 1190
// extractive question answering examples over 240 paragraphs of 48 Wikipedia articles,
// professionally translated from SQuAD v1.1 (the same IDs in every language). Each example
// has one answer. The file's answer_start is a character offset; the loader turns it into a
// byte offset, so that Context[Start:Start+len(Text)] == Text. s nil means DefaultStore().
func LoadXQuAD(s *Store, lang string) ([]QAExample, error) { return loadXQuAD(storePaths(s), lang) }

// squadFile is the SQuAD v1.1 JSON layout.
type squadFile struct {
	Version string `json:"version"`
	Data    []struct {
		Title      string `json:"title"`
		Paragraphs []struct {
			Context string `json:"context"`
			QAs     []struct {
				ID       string `json:"id"`
				Question string `json:"question"`
				Answers  []struct {
					Text  string `json:"text"`
					Start int    `json:"answer_start"`
				} `json:"answers"`
			} `json:"qas"`
		} `json:"paragraphs"`
	} `json:"data"`
}

func loadXQuAD(paths pathFunc, lang string) ([]QAExample, error) {
	if !slices.Contains(XQuADLanguages(), lang) {
		return nil, fmt.Errorf("loading xquad: no language %q in the mirror, want one of %v", lang, XQuADLanguages())
	}
	name := "xquad/xquad." + lang + ".json"
	var f squadFile
	if err := readJSON(paths, name, &f); err != nil {
		return nil, fmt.Errorf("loading xquad: %w", err)
	}
	var out []QAExample
	for _, article := range f.Data {
		for _, p := range article.Paragraphs {
			for _, qa := range p.QAs {
				ex := QAExample{ID: qa.ID, Title: article.Title, Context: p.Context, Question: qa.Question}
				for _, a := range qa.Answers {
					start, ok := answerByteOffset(p.Context, a.Text, a.Start)
					if !ok {
						return nil, fmt.Errorf("loading xquad: %s: question %s: answer %q not found in its context near character %d", name, qa.ID, a.Text, a.Start)
					}
					ex.Answers = append(ex.Answers, Answer{Text: a.Text, Start: start})
				}
				out = append(out, ex)
			}
		}
	}
	return out, nil
}

// answerByteOffset converts the character offset chars of answer in context to a byte
// offset. When the answer is not exactly there, it takes the occurrence nearest to it.
func answerByteOffset(context, answer string, chars int) (int, bool) {
	start := len(context)
	n := 0
	for i := range context {
		if n == chars {
			start = i
			break
		}
		n++
	}
	if start+len(answer) <= len(context) && context[start:start+len(answer)] == answer {
		return start, true
	}
	best, bestDist := -1, 0
	for i := 0; i+len(answer) <= len(context); i++ {
		if context[i:i+len(answer)] == answer && utf8.RuneStart(context[i]) {
			dist := max(i-start, start-i)
			if best < 0 || dist < bestDist {
				best, bestDist = i, dist
			}
		}
	}
	return best, best >= 0
}
