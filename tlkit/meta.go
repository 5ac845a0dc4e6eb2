package tlkit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/meta"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// metaSplitSeed draws MetaLearn's domain split, the same for every seed of the methods.
const metaSplitSeed = 1

// MetaConfig configures MetaLearn; create it with MetaLearn, set options, and call Done.
type MetaConfig struct {
	enc            encoder.Encoder
	source         *data.IntentClassification
	targets        []*data.IntentClassification
	methods        []meta.Method
	spec           meta.Spec
	testEpisodes   int
	steps          int
	valEpisodes    int
	evalEvery      int
	perClass       int
	valDomains     []string
	testDomains    []string
	seed           uint64
	checkpointDir  string
	progress       train.Progress
	progressSet    bool
	configure      func(*meta.Config)
	featureOptions FeatureOptions
}

// MetaLearn starts the configuration of a few-shot experiment on frozen features of enc:
// the intents of source are split by domain into meta-train, meta-validation and meta-test
// intents (meta.RandomDomainSplit: 2 validation and 3 test domains, or the Domains given;
// a source of fewer than 4 domains, such as Banking77, is split by intent instead: 20%
// validation and 30% test intents, meta.ClassSplit), every
// method is meta-trained on episodes of the meta-train intents (model selection on the
// meta-validation ones) and every method is tested on the same episodes of the unseen
// meta-test domains, and of each Cross dataset (all its intents: a cross-dataset test).
//
// Defaults: every method of meta.Methods; 5-way 1-shot episodes with 15 queries; 600 test
// episodes (QuickOr(100, 600)); meta.DefaultConfig's training with QuickOr(50, 1000) steps,
// meta-validation on QuickOr(40, 100) episodes every QuickOr(25, 100) steps; every example
// of every intent (QuickOr(15, 0) a class); seed 1; checkpoints under
// the cache (.cache/meta), so a second call with the same settings restores the trained
// methods instead of training again; progress by train.AutoProgress.
//
// Features come from ExtractFeatures (cached on disk), with the encoder's native pooling.
func MetaLearn(enc encoder.Encoder, source *data.IntentClassification) *MetaConfig {
	return &MetaConfig{enc: enc, source: source, methods: append([]meta.Method(nil), meta.Methods...),
		spec: meta.Spec{Ways: 5, Shots: 1, Queries: 15}, testEpisodes: QuickOr(100, 600), steps: QuickOr(50, 1000),
		valEpisodes: QuickOr(40, 100), evalEvery: QuickOr(25, 100),
		perClass: QuickOr(15, 0), seed: 1,
		checkpointDir: filepath.Join(data.DefaultStore().CacheDir, "meta")}
}

// Cross adds datasets whose intents (all of them) form cross-dataset tests, e.g. Banking77.
func (c *MetaConfig) Cross(targets ...*data.IntentClassification) *MetaConfig {
	c.targets = append(c.targets, targets...)
	return c
}

// Methods sets the methods, baselines included (default meta.Methods).
func (c *MetaConfig) Methods(ms ...meta.Method) *MetaConfig {
	c.methods = append([]meta.Method(nil), ms...)
	return c
}

// Episodes sets the episode shape, of meta-training and of the tests (default 5, 1, 15).
func (c *MetaConfig) Episodes(ways, shots, queries int) *MetaConfig {
	c.spec = meta.Spec{Ways: ways, Shots: shots, Queries: queries}
	return c
}

// TestEpisodes sets the number of test episodes of each test set; 0 trains (or restores) the
// methods without testing them (MetaTest.Scores stay empty).
func (c *MetaConfig) TestEpisodes(n int) *MetaConfig {
	c.testEpisodes = n
	return c
}

// Steps sets the meta-training steps of every meta-trained method.
func (c *MetaConfig) Steps(n int) *MetaConfig {
	c.steps = n
	return c
}

// Validation sets the number of meta-validation episodes and how often (in steps) they are
// evaluated during meta-training.
func (c *MetaConfig) Validation(episodes, everySteps int) *MetaConfig {
	c.valEpisodes, c.evalEvery = episodes, everySteps
	return c
}

// PerClass keeps the first n examples of each intent (0: all): smaller data, quicker
// feature extraction.
func (c *MetaConfig) PerClass(n int) *MetaConfig {
	c.perClass = n
	return c
}

// Domains names the meta-validation and meta-test domains of source (the other domains are
// meta-training's), instead of drawing them at random.
func (c *MetaConfig) Domains(val, test []string) *MetaConfig {
	c.valDomains, c.testDomains = val, test
	return c
}

// Seed sets the seed of the methods' weights and of the episodes (default 1); the domain
// split does not depend on it (see Domains).
func (c *MetaConfig) Seed(seed uint64) *MetaConfig {
	c.seed = seed
	return c
}

// CheckpointDir sets the folder of the meta-training checkpoints (NoCache: none, always
// train).
func (c *MetaConfig) CheckpointDir(dir string) *MetaConfig {
	c.checkpointDir = dir
	return c
}

// Progress sets the progress display of meta-training (nil: none).
func (c *MetaConfig) Progress(p train.Progress) *MetaConfig {
	c.progress, c.progressSet = p, true
	return c
}

// Configure sets a function that adjusts each method's configuration (given
// meta.DefaultConfig with the options above applied) before it trains.
func (c *MetaConfig) Configure(f func(*meta.Config)) *MetaConfig {
	c.configure = f
	return c
}

// Features sets the feature extraction options (default: native pooling, default cache).
func (c *MetaConfig) Features(opts FeatureOptions) *MetaConfig {
	c.featureOptions = opts
	return c
}

// MetaTest is one test set of a MetaResult: episodes of unseen classes.
type MetaTest struct {
	// Name names the test, e.g. "clinc150 unseen domains" or "banking77".
	Name string
	// Sampler draws its episodes (episode i is the same for every method).
	Sampler *meta.Sampler
	// Scores holds each method's score, in MetaResult.Methods order.
	Scores []meta.Score
}

// MetaResult is the outcome of MetaLearn.
type MetaResult struct {
	// Spec is the episode shape.
	Spec meta.Spec
	// Source is the meta-learning data and Split its division into meta-train, -validation
	// and -test classes.
	Source *meta.Dataset
	Split  meta.Split
	// Methods are the methods, and Learners their trained learners, in the same order.
	Methods  []meta.Method
	Learners []*meta.Learner
	// Tests are the test sets: the source's meta-test classes, then each Cross dataset.
	Tests []MetaTest
	// Seconds is the wall time of each method's training (0 for a restored one, almost 0 for
	// the baselines).
	Seconds []float64
}

// Done checks the configuration, extracts the features (cached), trains the methods
// (restoring checkpointed ones) and scores them on every test set. Scores are saved under
// the checkpoint folder too: a second identical call reads them instead of evaluating.
func (c *MetaConfig) Done() (*MetaResult, error) {
	if c.enc == nil || c.source == nil {
		return nil, fmt.Errorf("MetaLearn: no encoder or no source dataset")
	}
	if len(c.methods) == 0 {
		return nil, fmt.Errorf("MetaLearn: no method")
	}
	if c.testEpisodes < 0 {
		return nil, fmt.Errorf("MetaLearn: %d test episodes; want 0 (no test) or more", c.testEpisodes)
	}
	backend, err := Backend()
	if err != nil {
		return nil, err
	}
	opts := c.featureOptions
	if opts.Runner == nil {
		opts.Runner = encoder.NewRunner(backend, c.enc)
	}
	datasets := make([]*meta.Dataset, 0, 1+len(c.targets))
	for _, d := range append([]*data.IntentClassification{c.source}, c.targets...) {
		ds, err := meta.FromIntents(d, c.perClass)
		if err != nil {
			return nil, fmt.Errorf("MetaLearn: %w", err)
		}
		features, err := ExtractFeatures(c.enc, ds.Texts, opts)
		if err != nil {
			return nil, fmt.Errorf("MetaLearn: %s: %w", d.Name, err)
		}
		if err := ds.SetFeatures(features); err != nil {
			return nil, fmt.Errorf("MetaLearn: %w", err)
		}
		datasets = append(datasets, ds)
	}
	res := &MetaResult{Spec: c.spec, Source: datasets[0], Methods: c.methods}
	switch n := len(res.Source.Classes); {
	case c.testDomains != nil:
		res.Split, err = meta.DomainSplit(res.Source, c.valDomains, c.testDomains)
	case len(res.Source.Domains()) >= 4:
		res.Split, err = meta.RandomDomainSplit(res.Source, 2, 3, metaSplitSeed)
	default:
		res.Split, err = meta.ClassSplit(res.Source, max(1, n/5), max(1, n*3/10), metaSplitSeed)
	}
	if err != nil {
		return nil, fmt.Errorf("MetaLearn: %w", err)
	}
	testSeed := c.seed + 1000
	sampler, err := meta.NewSampler(res.Source, res.Split.Test, c.spec, testSeed)
	if err != nil {
		return nil, fmt.Errorf("MetaLearn: meta-test episodes: %w", err)
	}
	name := res.Source.Name + " unseen domains"
	if res.Split.TestDomains == nil {
		name = res.Source.Name + " unseen intents"
	}
	res.Tests = append(res.Tests, MetaTest{Name: name, Sampler: sampler})
	for _, ds := range datasets[1:] {
		sampler, err := meta.NewSampler(ds, ds.AllClasses(), c.spec, testSeed)
		if err != nil {
			return nil, fmt.Errorf("MetaLearn: %s episodes: %w", ds.Name, err)
		}
		res.Tests = append(res.Tests, MetaTest{Name: ds.Name, Sampler: sampler})
	}
	testKeys := make([]string, len(res.Tests))
	for i, t := range res.Tests {
		testKeys[i] = fmt.Sprintf("%s %s seed %d data %s", t.Name, t.Sampler.Spec(), t.Sampler.Seed(),
			t.Sampler.Dataset().Fingerprint(t.Sampler.Classes()))
	}
	progress := c.progress
	if !c.progressSet {
		progress = train.AutoProgress()
	}
	for _, m := range c.methods {
		cfg := meta.DefaultConfig(m)
		cfg.Spec, cfg.Steps, cfg.Seed, cfg.Progress = c.spec, c.steps, c.seed, progress
		cfg.ValEpisodes, cfg.EvalEvery = c.valEpisodes, c.evalEvery
		if c.checkpointDir != NoCache {
			cfg.CheckpointDir = c.checkpointDir
		}
		if c.configure != nil {
			c.configure(&cfg)
		}
		start := time.Now()
		l, err := meta.Train(backend, res.Source, res.Split, cfg)
		if err != nil {
			return nil, fmt.Errorf("MetaLearn: %w", err)
		}
		res.Learners = append(res.Learners, l)
		res.Seconds = append(res.Seconds, time.Since(start).Seconds())
		for i := range res.Tests {
			if c.testEpisodes == 0 {
				continue
			}
			t := &res.Tests[i]
			score, err := c.evaluate(l, t, testKeys[i])
			if err != nil {
				return nil, fmt.Errorf("MetaLearn: %s on %s: %w", m, t.Name, err)
			}
			t.Scores = append(t.Scores, score)
		}
	}
	return res, nil
}

// evaluate scores l on c.testEpisodes episodes of t, or reads the score saved by an earlier
// identical evaluation (same Learner key, test data, episodes) under the checkpoint folder.
func (c *MetaConfig) evaluate(l *meta.Learner, t *MetaTest, testKey string) (meta.Score, error) {
	var path string
	if c.checkpointDir != NoCache {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s %s %d", l.Key(), testKey, c.testEpisodes)))
		path = filepath.Join(c.checkpointDir, "scores", hex.EncodeToString(sum[:16])+".json")
		var s meta.Score
		if raw, err := os.ReadFile(path); err == nil && json.Unmarshal(raw, &s) == nil && len(s.PerEpisode) == c.testEpisodes {
			return s, nil
		}
	}
	s, err := l.Evaluate(t.Sampler, c.testEpisodes)
	if err != nil || path == "" {
		return s, err
	}
	raw, err := json.Marshal(s)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err == nil {
		err = atomicfile.WriteFile(path, raw)
	}
	if err != nil {
		return s, fmt.Errorf("saving the score: %w", err)
	}
	return s, nil
}

// Score returns method m's score on the test named test, and whether there is one.
func (r *MetaResult) Score(m meta.Method, test string) (meta.Score, bool) {
	for _, t := range r.Tests {
		if t.Name != test {
			continue
		}
		for i, mm := range r.Methods {
			if mm == m {
				return t.Scores[i], true
			}
		}
	}
	return meta.Score{}, false
}

// Best returns the method with the highest mean accuracy on test t (an index into Tests);
// the first method when the test was not run.
func (r *MetaResult) Best(t int) meta.Method {
	best := 0
	for i, s := range r.Tests[t].Scores {
		if s.Mean > r.Tests[t].Scores[best].Mean {
			best = i
		}
	}
	return r.Methods[best]
}

// Markdown returns the scores as a Markdown table: one row a method, one column a test set,
// each cell the mean accuracy ± its 95% confidence interval, in percent.
func (r *MetaResult) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s |", r.Spec)
	for _, t := range r.Tests {
		fmt.Fprintf(&b, " %s |", t.Name)
	}
	b.WriteString("\n|---|")
	for range r.Tests {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, m := range r.Methods {
		fmt.Fprintf(&b, "| %s |", m.Title())
		for _, t := range r.Tests {
			if i < len(t.Scores) {
				fmt.Fprintf(&b, " %s |", t.Scores[i].Percent())
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// EpisodeHTML renders episode i of test set t (an index into Tests) as HTML: the support
// examples of each way, then every query with its intent and each method's prediction
// (green when right, red when wrong), for a notebook (gonbui.DisplayHTML).
func (r *MetaResult) EpisodeHTML(t, i int) (string, error) {
	if t < 0 || t >= len(r.Tests) {
		return "", fmt.Errorf("EpisodeHTML: test %d of %d", t, len(r.Tests))
	}
	test := r.Tests[t]
	ds := test.Sampler.Dataset()
	e := test.Sampler.Episode(i)
	preds := make([]meta.Prediction, len(r.Learners))
	for m, l := range r.Learners {
		p, err := l.Predict(ds, []meta.Episode{e})
		if err != nil {
			return "", fmt.Errorf("EpisodeHTML: %w", err)
		}
		preds[m] = p[0]
	}
	esc := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<h4>%s, episode %d: %s</h4>\n<table>\n<tr><th>way</th><th>intent</th><th>support examples</th></tr>\n",
		esc(test.Name), i, esc(e.Spec.String()))
	for w, c := range e.Classes {
		var texts []string
		for k, j := range e.Support {
			if e.SupportLabels[k] == w {
				texts = append(texts, "“"+esc(ds.Texts[j])+"”")
			}
		}
		fmt.Fprintf(&b, "<tr><td>%d</td><td><b>%s</b></td><td style=\"text-align:left\">%s</td></tr>\n",
			w, esc(ds.Classes[c].Name), strings.Join(texts, "<br>"))
	}
	b.WriteString("</table>\n<table>\n<tr><th>query</th><th>intent</th>")
	for _, m := range r.Methods {
		fmt.Fprintf(&b, "<th>%s</th>", esc(m.Title()))
	}
	b.WriteString("</tr>\n")
	for q, j := range e.Query {
		gold := e.QueryLabels[q]
		fmt.Fprintf(&b, "<tr><td style=\"text-align:left\">%s</td><td>%s</td>", esc(ds.Texts[j]), esc(ds.Classes[e.Classes[gold]].Name))
		for m := range r.Methods {
			got := preds[m].Labels[q]
			color := "#1a7f37"
			if got != gold {
				color = "#cf222e"
			}
			fmt.Fprintf(&b, "<td style=\"color:%s\">%s</td>", color, esc(ds.Classes[e.Classes[got]].Name))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("<tr><td><i>accuracy</i></td><td></td>")
	for m := range r.Methods {
		fmt.Fprintf(&b, "<td><i>%.0f%%</i></td>", 100*preds[m].Accuracy(e))
	}
	b.WriteString("</tr>\n</table>\n")
	return b.String(), nil
}
