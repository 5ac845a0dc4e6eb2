package multitask

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// Kind says what a task predicts.
type Kind int

const (
	// SentenceKind tasks predict one label per text (sentiment, question type...), from the
	// encoder's pooled sentence vector.
	SentenceKind Kind = iota
	// TokenKind tasks predict one tag per word (named entities, chunks, part of speech...),
	// from the encoder's state of the word's first sub-word piece.
	TokenKind
	// RelationKind tasks predict the relation between two marked nominals of a sentence,
	// from the encoder's states of the two opening entity markers (see MarkEntities).
	RelationKind
)

// String returns "sentence", "token" or "relation".
func (k Kind) String() string {
	switch k {
	case TokenKind:
		return "token"
	case RelationKind:
		return "relation"
	}
	return "sentence"
}

// Task is one task of a run: a sentence classification, token classification or relation
// classification dataset, with a weight on its loss. Create it with SentenceTask, TokenTask or
// RelationTask.
type Task struct {
	// Name identifies the task in results and checkpoints (default: the dataset's name).
	// Names must be unique within a run.
	Name string
	// Sentences is a sentence classification dataset, Tokens a token classification one,
	// Relations a relation classification one: exactly one is set.
	Sentences *data.TextClassification
	Tokens    *data.TokenClassification
	Relations *data.RelationClassification
	// Weight multiplies the task's loss (0: 1). The heads see only their own task's gradient,
	// so the weights only change how much each task pulls on the shared encoder.
	Weight float64
}

// SentenceTask returns the task of classifying d's texts.
func SentenceTask(d *data.TextClassification) Task { return Task{Name: d.Name, Sentences: d} }

// TokenTask returns the task of tagging d's words. Tags written in IOB1 or IOB2 (entities,
// chunks) are learnt in IOB2 and scored at the entity level (metrics.EntityF1, as conlleval
// does); other tags (part of speech) are scored by token accuracy.
func TokenTask(d *data.TokenClassification) Task { return Task{Name: d.Name, Tokens: d} }

// WithWeight returns a copy of t with loss weight w.
func (t Task) WithWeight(w float64) Task {
	t.Weight = w
	return t
}

// Kind returns the task's kind.
func (t Task) Kind() Kind {
	switch {
	case t.Tokens != nil:
		return TokenKind
	case t.Relations != nil:
		return RelationKind
	}
	return SentenceKind
}

// Sizes returns the number of training, dev and test examples (sentences for token tasks).
func (t Task) Sizes() (train, dev, test int) {
	if t.Tokens != nil {
		return t.Tokens.Counts()
	}
	if t.Sentences != nil {
		return t.Sentences.Counts()
	}
	if t.Relations != nil {
		return t.Relations.Counts()
	}
	return 0, 0, 0
}

// Subsample returns a copy of t keeping at most nTrain, nDev and nTest examples of each
// split (0: all), chosen at random with seed and kept in their original order. The
// dataset itself is not changed. Quick experiments use it.
func (t Task) Subsample(nTrain, nDev, nTest int, seed uint64) Task {
	if t.Tokens != nil {
		d := *t.Tokens
		d.Train = subsample(d.Train, nTrain, seed)
		d.Dev = subsample(d.Dev, nDev, seed+1)
		d.Test = subsample(d.Test, nTest, seed+2)
		t.Tokens = &d
	}
	if t.Sentences != nil {
		d := *t.Sentences
		d.Train = subsample(d.Train, nTrain, seed)
		d.Dev = subsample(d.Dev, nDev, seed+1)
		d.Test = subsample(d.Test, nTest, seed+2)
		t.Sentences = &d
	}
	if t.Relations != nil {
		d := *t.Relations
		d.Train = subsample(d.Train, nTrain, seed)
		d.Dev = subsample(d.Dev, nDev, seed+1)
		d.Test = subsample(d.Test, nTest, seed+2)
		t.Relations = &d
	}
	return t
}

// subsample returns at most n items of xs (n ≤ 0: all), chosen with seed, in order.
func subsample[T any](xs []T, n int, seed uint64) []T {
	if n <= 0 || n >= len(xs) {
		return xs
	}
	idx := rand.New(rand.NewPCG(seed, 0x5b5a)).Perm(len(xs))[:n]
	sort.Ints(idx)
	out := make([]T, n)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// devFraction is the share of the training examples moved to dev for tasks without a dev
// split (CoNLL-2000, TREC).
const devFraction = 0.1

// example is one tokenized example.
type example struct {
	ids    []int32
	label  int   // Sentence and relation tasks: the class.
	e1, e2 int   // Relation tasks: the index in ids of each opening entity marker (-1: clipped).
	first  []int // Token tasks: the index in ids of each word's first piece (-1: none).
	tags   []int // Token tasks: each word's tag index.
}

// prepared is a task checked, with a dev split, its labels and its tokenized examples.
type prepared struct {
	Task
	kind   Kind
	labels []string
	// entity is true for token tasks with IOB tags (scored by entity F1); scheme is the
	// scheme of their gold tags.
	entity bool
	scheme metrics.Scheme
	// Gold word tags of dev and test (token tasks), as in the data.
	devTags, testTags [][]string
	// Words of each split (token tasks).
	devWords, testWords [][]string
	// other is the index of the label "Other" (relation tasks; -1 without one): the prediction
	// of an example whose markers are clipped.
	other            int
	train, dev, test []example
}

// metricName names the task's evaluation metric.
func (p *prepared) metricName() string {
	switch {
	case p.kind == SentenceKind:
		return "accuracy"
	case p.kind == RelationKind:
		return "macro-F1"
	case p.entity:
		return "entity F1"
	}
	return "token accuracy"
}

// prepare checks the tasks, carves dev splits where missing (with seed), and tokenizes them.
func prepare(enc encoder.Encoder, tasks []Task, maxTokens int, seed uint64) ([]*prepared, error) {
	if len(tasks) == 0 {
		return nil, errors.New("multitask: no tasks")
	}
	names := map[string]bool{}
	var wt *encoder.WordTokenizer
	out := make([]*prepared, len(tasks))
	for i, t := range tasks {
		set := 0
		for _, isSet := range []bool{t.Sentences != nil, t.Tokens != nil, t.Relations != nil} {
			if isSet {
				set++
			}
		}
		if set != 1 {
			return nil, fmt.Errorf("multitask: task %d (%q) must have exactly one of Sentences, Tokens and Relations", i, t.Name)
		}
		if t.Name == "" {
			switch {
			case t.Sentences != nil:
				t.Name = t.Sentences.Name
			case t.Tokens != nil:
				t.Name = t.Tokens.Name
			default:
				t.Name = t.Relations.Name
			}
		}
		if names[t.Name] {
			return nil, fmt.Errorf("multitask: two tasks are named %q; give them different Names", t.Name)
		}
		names[t.Name] = true
		if t.Weight == 0 {
			t.Weight = 1
		}
		if t.Weight < 0 {
			return nil, fmt.Errorf("multitask: task %s has a negative weight %g", t.Name, t.Weight)
		}
		p := &prepared{Task: t, kind: t.Kind()}
		var err error
		if p.kind != SentenceKind && wt == nil {
			if wt, err = encoder.NewWordTokenizer(enc, maxTokens); err != nil {
				return nil, fmt.Errorf("multitask: %w", err)
			}
		}
		switch p.kind {
		case SentenceKind:
			err = p.prepareSentences(enc, maxTokens, seed)
		case TokenKind:
			err = p.prepareTokens(wt, seed)
		default:
			err = p.prepareRelations(wt, seed)
		}
		if err != nil {
			return nil, fmt.Errorf("multitask: task %s: %w", t.Name, err)
		}
		out[i] = p
	}
	return out, nil
}

func (p *prepared) prepareSentences(enc encoder.Encoder, maxTokens int, seed uint64) error {
	d := *p.Sentences
	if len(d.Train) == 0 || len(d.Labels) < 2 {
		return fmt.Errorf("%d training examples and %d labels; need examples and at least 2 labels", len(d.Train), len(d.Labels))
	}
	if len(d.Dev) == 0 {
		if err := d.CarveDev(devFraction, seed); err != nil {
			return err
		}
	}
	p.Sentences = &d
	p.labels = slices.Clone(d.Labels)
	for _, split := range []struct {
		name string
		src  []data.Example
		dst  *[]example
	}{{"train", d.Train, &p.train}, {"dev", d.Dev, &p.dev}, {"test", d.Test, &p.test}} {
		texts := make([]string, len(split.src))
		for i, ex := range split.src {
			if ex.Label < 0 || ex.Label >= len(d.Labels) {
				return fmt.Errorf("%s example %d has label %d, outside the %d labels", split.name, i, ex.Label, len(d.Labels))
			}
			texts[i] = ex.Text
		}
		ids, err := enc.Tokenize(texts)
		if err != nil {
			return fmt.Errorf("tokenizing the %s texts: %w", split.name, err)
		}
		*split.dst = make([]example, len(ids))
		for i, row := range ids {
			(*split.dst)[i] = example{ids: row[:min(len(row), maxTokens)], label: split.src[i].Label}
		}
	}
	return nil
}

func (p *prepared) prepareTokens(wt *encoder.WordTokenizer, seed uint64) error {
	d := *p.Tokens
	if len(d.Train) == 0 {
		return errors.New("no training sentences")
	}
	if len(d.Dev) == 0 {
		if err := d.CarveDev(devFraction, seed); err != nil {
			return err
		}
	}
	p.Tokens = &d
	// Entity tags (IOB1 or IOB2) are learnt in IOB2; any other tag set as it is.
	p.entity = true
	var all [][]string
	for _, split := range [][]data.TaggedSentence{d.Train, d.Dev, d.Test} {
		for _, s := range split {
			if len(s.Tags) != len(s.Tokens) {
				return fmt.Errorf("a sentence has %d tokens but %d tags", len(s.Tokens), len(s.Tags))
			}
			if len(s.Tags) > 0 && !metrics.IsIOB(s.Tags) {
				p.entity = false
			}
			all = append(all, s.Tags)
		}
	}
	if p.entity {
		var err error
		if p.scheme, err = metrics.DetectScheme(all); err != nil {
			return err
		}
	}
	trainTags := make([][]string, len(d.Train))
	seen := map[string]bool{}
	for i, s := range d.Train {
		trainTags[i] = s.Tags
		if p.entity {
			trainTags[i], _ = metrics.Convert(s.Tags, metrics.IOB2)
		}
		for _, t := range trainTags[i] {
			seen[t] = true
		}
	}
	// Tags of dev and test that training lacks can't be predicted, but are scored.
	for _, split := range [][]data.TaggedSentence{d.Dev, d.Test} {
		for _, s := range split {
			tags := s.Tags
			if p.entity {
				tags, _ = metrics.Convert(s.Tags, metrics.IOB2)
			}
			for _, t := range tags {
				seen[t] = true
			}
		}
	}
	for t := range seen {
		p.labels = append(p.labels, t)
	}
	sort.Slice(p.labels, func(i, j int) bool {
		a, b := p.labels[i], p.labels[j]
		if (a == "O") != (b == "O") {
			return a == "O"
		}
		return a < b
	})
	index := make(map[string]int, len(p.labels))
	for i, l := range p.labels {
		index[l] = i
	}
	encode := func(sentences []data.TaggedSentence, tags [][]string, dropEmpty bool) ([]example, error) {
		out := make([]example, 0, len(sentences))
		for i, s := range sentences {
			wtok, err := wt.Tokenize(s.Tokens)
			if err != nil {
				return nil, fmt.Errorf("sentence %d: %w", i, err)
			}
			ex := example{ids: wtok.IDs, first: wtok.First}
			if tags != nil {
				ex.tags = make([]int, len(s.Tokens))
				has := false
				for w, t := range tags[i] {
					ex.tags[w] = index[t]
					has = has || wtok.First[w] >= 0
				}
				if dropEmpty && !has {
					continue
				}
			}
			out = append(out, ex)
		}
		return out, nil
	}
	var err error
	if p.train, err = encode(d.Train, trainTags, true); err != nil {
		return fmt.Errorf("tokenizing the training sentences: %w", err)
	}
	if len(p.train) == 0 {
		return errors.New("no training sentence has a token the encoder knows")
	}
	if p.dev, err = encode(d.Dev, nil, false); err != nil {
		return fmt.Errorf("tokenizing the dev sentences: %w", err)
	}
	if p.test, err = encode(d.Test, nil, false); err != nil {
		return fmt.Errorf("tokenizing the test sentences: %w", err)
	}
	for _, s := range d.Dev {
		p.devTags, p.devWords = append(p.devTags, s.Tags), append(p.devWords, s.Tokens)
	}
	for _, s := range d.Test {
		p.testTags, p.testWords = append(p.testTags, s.Tags), append(p.testWords, s.Tokens)
	}
	return nil
}
