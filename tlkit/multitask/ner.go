package multitask

import (
	"fmt"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// NER fine-tunes enc as a tagger on d (named entities, chunks, part of speech): Run with
// the one task TokenTask(d). The result's only task (Result.Tasks[0]) holds the dev curve,
// the test scores (entity-level precision, recall and F1, overall and per type, as conlleval
// computes them, when the tags are IOB; token accuracy otherwise) and the test predictions
// (TestTags, for WritePredictions).
func NER(enc encoder.Encoder, d *data.TokenClassification, opts Options) (*Result, error) {
	if d == nil || len(d.Train) == 0 {
		return nil, fmt.Errorf("multitask.NER: the dataset has no training sentences")
	}
	return Run(enc, []Task{TokenTask(d)}, opts)
}

// WritePredictions writes sentences with their predicted tags as conlleval's input: one
// "token gold predicted" line a word, a blank line after each sentence, atomically. pred holds
// one tag a word of each sentence (a TaskResult's TestTags for the test sentences).
func WritePredictions(path string, sentences []data.TaggedSentence, pred [][]string) error {
	if len(pred) != len(sentences) {
		return fmt.Errorf("writing predictions to %s: %d predicted sentences for %d sentences", path, len(pred), len(sentences))
	}
	var b strings.Builder
	for i, s := range sentences {
		if len(pred[i]) != len(s.Tokens) {
			return fmt.Errorf("writing predictions to %s: sentence %d has %d words and %d predicted tags", path, i, len(s.Tokens), len(pred[i]))
		}
		for w, tok := range s.Tokens {
			fmt.Fprintf(&b, "%s %s %s\n", tok, s.Tags[w], pred[i][w])
		}
		b.WriteString("\n")
	}
	if err := cachefile.WriteFile(path, []byte(b.String())); err != nil {
		return fmt.Errorf("writing the predictions: %w", err)
	}
	return nil
}
