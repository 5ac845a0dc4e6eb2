package data

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// QuestionTypes returns the classes of QuestionType, in label order: the English question
// word ("how many" also stands for "how much", "who" for "whom" and "whose").
func QuestionTypes() []string {
	return []string{"what", "who", "how many", "when", "which", "how", "where"}
}

// QuestionType returns the label (an index into QuestionTypes) of an English question: its
// first question word. ok is false for a question without one of those words ("Is it ...?")
// and for "why", too rare in XQuAD (15 questions) to learn.
func QuestionType(question string) (label int, ok bool) {
	words := strings.FieldsFunc(strings.ToLower(question), func(r rune) bool { return !unicode.IsLetter(r) })
	types := QuestionTypes()
	for i, w := range words {
		t := w
		switch w {
		case "whom", "whose":
			t = "who"
		case "how":
			if i+1 < len(words) && (words[i+1] == "many" || words[i+1] == "much") {
				t = "how many"
			}
		case "why":
			return 0, false
		}
		if k := slices.Index(types, t); k >= 0 {
			return k, true
		}
	}
	return 0, false
}

// CrossLingualClassification is a text classification in a source language whose test
// examples are also given in a target language, one for one: a classifier trained on the
// source language is scored on TargetTest without a target-language label in training
// (zero-shot cross-lingual transfer).
type CrossLingualClassification struct {
	// TextClassification holds the source-language splits.
	*TextClassification
	// Source and Target name the languages, e.g. "en" and "zh".
	Source, Target string
	// TargetTest[i] is Test[i] in the target language, with the same label.
	TargetTest []Example
}

// xquadSplitSeed fixes the article split of LoadXQuADQuestionTypes.
const xquadSplitSeed = 1

// LoadXQuADQuestionTypes builds question-type classification from XQuAD (LoadXQuAD): each
// English question labelled by QuestionType (1160 of the 1190; "why" and questions without a
// question word are left out), split by article so that no paragraph is shared between
// splits — 16 of the 48 articles for test, 6 for dev, the rest for training, drawn with a
// fixed seed — and the test questions also in their professional Chinese translations
// (TargetTest). The labels come from the English wording only.
func LoadXQuADQuestionTypes(s *Store) (*CrossLingualClassification, error) {
	en, err := LoadXQuAD(s, "en")
	if err != nil {
		return nil, err
	}
	zh, err := LoadXQuAD(s, "zh")
	if err != nil {
		return nil, err
	}
	return XQuADQuestionTypes(en, zh, 16, 6, xquadSplitSeed)
}

// XQuADQuestionTypes is LoadXQuADQuestionTypes on loaded examples (source and target, matched
// by ID) with nTest and nDev articles held out, drawn with seed.
func XQuADQuestionTypes(source, target []QAExample, nTest, nDev int, seed uint64) (*CrossLingualClassification, error) {
	byID := make(map[string]string, len(target))
	for _, ex := range target {
		byID[ex.ID] = ex.Question
	}
	var titles []string
	for _, ex := range source {
		if !slices.Contains(titles, ex.Title) {
			titles = append(titles, ex.Title)
		}
	}
	if nTest < 1 || nDev < 0 || nTest+nDev >= len(titles) {
		return nil, fmt.Errorf("xquad question types: %d test and %d dev articles of %d leave none for training", nTest, nDev, len(titles))
	}
	slices.Sort(titles)
	rng := rand.New(rand.NewPCG(seed, pcgStream))
	rng.Shuffle(len(titles), func(i, j int) { titles[i], titles[j] = titles[j], titles[i] })
	split := make(map[string]int, len(titles)) // 0 train, 1 dev, 2 test
	for i, t := range titles {
		switch {
		case i < nTest:
			split[t] = 2
		case i < nTest+nDev:
			split[t] = 1
		}
	}
	out := &CrossLingualClassification{TextClassification: &TextClassification{Name: "xquad_question_types", Labels: QuestionTypes()},
		Source: "en", Target: "zh"}
	for _, ex := range source {
		label, ok := QuestionType(ex.Question)
		if !ok {
			continue
		}
		e := Example{Text: ex.Question, Label: label}
		switch split[ex.Title] {
		case 0:
			out.Train = append(out.Train, e)
		case 1:
			out.Dev = append(out.Dev, e)
		default:
			q, ok := byID[ex.ID]
			if !ok || strings.TrimSpace(q) == "" {
				return nil, fmt.Errorf("xquad question types: question %s has no translation in the target language", ex.ID)
			}
			out.Test = append(out.Test, e)
			out.TargetTest = append(out.TargetTest, Example{Text: q, Label: label})
		}
	}
	return out, nil
}
