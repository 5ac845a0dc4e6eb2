package data

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"
)

// TranslationPair is a sentence and its translation.
type TranslationPair struct {
	// Source is the sentence (English in en_zh), Target its translation (Chinese).
	Source string `json:"source"`
	Target string `json:"target"`
}

// ParallelCorpus is a set of translation pairs, split into train and test.
type ParallelCorpus struct {
	// Name is the dataset's registry name; SourceLang and TargetLang the ISO 639-1 codes of
	// the two sides ("en", "zh").
	Name, SourceLang, TargetLang string
	Train, Test                  []TranslationPair
}

// String is a one-line summary: "en_zh: en→zh; train 20116, test 1000 pairs".
func (c *ParallelCorpus) String() string {
	return fmt.Sprintf("%s: %s→%s; train %d, test %d pairs", c.Name, c.SourceLang, c.TargetLang, len(c.Train), len(c.Test))
}

// Sources returns the source sentences of pairs; Targets their translations.
func Sources(pairs []TranslationPair) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.Source
	}
	return out
}

// Targets returns the target sentences of pairs.
func Targets(pairs []TranslationPair) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.Target
	}
	return out
}

// EnZhTestPairs is the number of pairs LoadEnZh holds out for test.
const EnZhTestPairs = 1000

// LoadEnZh loads the en_zh dataset: 21 116 English–Chinese sentence pairs from Tatoeba (via
// manythings.org's cmn.txt). The file has no split; the loader holds out EnZhTestPairs pairs
// with SplitPairs and DefaultSeed, so that no English and no Chinese sentence of the test
// pairs occurs in training (many English sentences have several translations, and the
// other way round). s nil means DefaultStore().
func LoadEnZh(s *Store) (*ParallelCorpus, error) { return loadEnZh(storePaths(s)) }

func loadEnZh(paths pathFunc) (*ParallelCorpus, error) {
	const name = "en_zh/cmn.txt"
	raw, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading en_zh: %w", err)
	}
	pairs, err := ParseTranslationPairs(raw, name)
	if err != nil {
		return nil, fmt.Errorf("loading en_zh: %w", err)
	}
	train, test, err := SplitPairs(pairs, EnZhTestPairs, DefaultSeed)
	if err != nil {
		return nil, fmt.Errorf("loading en_zh: %w", err)
	}
	return &ParallelCorpus{Name: "en_zh", SourceLang: "en", TargetLang: "zh", Train: train, Test: test}, nil
}

// ParseTranslationPairs reads lines of "SOURCE<TAB>TARGET" (further tab-separated fields,
// such as Tatoeba's attribution, are ignored; blank lines are skipped). where names the file
// in errors. A line without a tab, with an empty side, or not UTF-8 is an error naming its
// line.
func ParseTranslationPairs(content []byte, where string) ([]TranslationPair, error) {
	var out []TranslationPair
	for i, line := range bytes.Split(content, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			return nil, fmt.Errorf("%s:%d: not valid UTF-8; convert the file to UTF-8", where, i+1)
		}
		fields := strings.Split(string(line), "\t")
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: want SOURCE<TAB>TARGET, found no tab", where, i+1)
		}
		src, tgt := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if src == "" || tgt == "" {
			return nil, fmt.Errorf("%s:%d: empty sentence on the %s side", where, i+1, map[bool]string{true: "source", false: "target"}[src == ""])
		}
		out = append(out, TranslationPair{Source: src, Target: tgt})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sentence pairs", where)
	}
	return out, nil
}

// SplitPairs holds nTest pairs out of pairs for test, chosen at random with seed, such that
// no source sentence and no target sentence of a test pair occurs in a training pair: pairs
// linked by a shared sentence (on either side) form a group that goes to one split whole.
// Groups are drawn in a seeded random order and a group that would overshoot nTest is left
// in training, so test gets exactly nTest pairs unless the groups cannot make that sum.
// Both splits keep the pairs' original order.
func SplitPairs(pairs []TranslationPair, nTest int, seed uint64) (train, test []TranslationPair, err error) {
	if nTest < 0 || nTest >= len(pairs) {
		return nil, nil, fmt.Errorf("splitting %d pairs: want 0 ≤ test pairs < %d, got %d", len(pairs), len(pairs), nTest)
	}
	// Union-find over pairs, joined by shared source or target sentences.
	parent := make([]int, len(pairs))
	for i := range parent {
		parent[i] = i
	}
	var find func(i int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := map[string]int{}
	for i, p := range pairs {
		for _, key := range []string{"s\x00" + p.Source, "t\x00" + p.Target} {
			if j, ok := first[key]; ok {
				parent[find(i)] = find(j)
			} else {
				first[key] = i
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range pairs {
		r := find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x7a7a))
	rng.Shuffle(len(roots), func(a, b int) { roots[a], roots[b] = roots[b], roots[a] })
	inTest := make([]bool, len(pairs))
	n := 0
	for _, r := range roots {
		if g := groups[r]; n+len(g) <= nTest {
			for _, i := range g {
				inTest[i] = true
			}
			n += len(g)
		}
		if n == nTest {
			break
		}
	}
	if n != nTest {
		return nil, nil, fmt.Errorf("splitting %d pairs: the groups of pairs sharing a sentence cannot make %d test pairs (got %d)", len(pairs), nTest, n)
	}
	for i, p := range pairs {
		if inTest[i] {
			test = append(test, p)
		} else {
			train = append(train, p)
		}
	}
	return slices.Clip(train), slices.Clip(test), nil
}
