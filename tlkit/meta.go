package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/meta"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Meta-learning lives in package tlkit/meta; these are its facade.

// MetaOptions configures a few-shot experiment (meta.Options).
type MetaOptions = meta.Options

// MetaResult is the outcome of MetaLearn (meta.Result).
type MetaResult = meta.Result

// MetaTest is one test set of a MetaResult: episodes of unseen classes (meta.Test).
type MetaTest = meta.Test

// DefaultMetaOptions returns meta.DefaultOptions().
func DefaultMetaOptions() MetaOptions { return meta.DefaultOptions() }

// MetaLearnWith runs a few-shot experiment on frozen features of enc with opts (meta.Run).
func MetaLearnWith(enc encoder.Encoder, source *data.IntentClassification, opts MetaOptions) (*MetaResult, error) {
	return meta.Run(enc, source, opts)
}

// MetaConfig builds the MetaOptions of a MetaLearn experiment: create it with MetaLearn,
// set options, and call Done. Each method sets one field of the options.
type MetaConfig struct {
	enc    encoder.Encoder
	source *data.IntentClassification
	opts   MetaOptions
}

// MetaLearn starts the configuration of a few-shot experiment on frozen features of enc,
// from DefaultMetaOptions: the intents of source are split by domain into meta-train,
// meta-validation and meta-test intents (2 validation and 3 test domains drawn with a fixed
// seed, or the Domains given; a source of fewer than 4 domains, such as Banking77, is split
// by intent), every method is meta-trained on episodes of the meta-train intents and tested
// on the same episodes of the unseen meta-test intents and of each Cross dataset. Done runs
// it (meta.Run).
func MetaLearn(enc encoder.Encoder, source *data.IntentClassification) *MetaConfig {
	return &MetaConfig{enc: enc, source: source, opts: meta.DefaultOptions()}
}

// Cross adds datasets whose intents (all of them) form cross-dataset tests, e.g. Banking77
// (MetaOptions.Targets).
func (c *MetaConfig) Cross(targets ...*data.IntentClassification) *MetaConfig {
	c.opts.Targets = append(c.opts.Targets, targets...)
	return c
}

// Methods sets the methods, baselines included (default meta.Methods).
func (c *MetaConfig) Methods(ms ...meta.Method) *MetaConfig {
	c.opts.Methods = append([]meta.Method(nil), ms...)
	return c
}

// Episodes sets the episode shape, of meta-training and of the tests (default 5, 1, 15).
func (c *MetaConfig) Episodes(ways, shots, queries int) *MetaConfig {
	c.opts.Spec = meta.Spec{Ways: ways, Shots: shots, Queries: queries}
	return c
}

// TestEpisodes sets the number of test episodes of each test set; 0 trains (or restores) the
// methods without testing them (MetaTest.Scores stay empty).
func (c *MetaConfig) TestEpisodes(n int) *MetaConfig {
	c.opts.TestEpisodes = n
	return c
}

// Steps sets the meta-training steps of every meta-trained method.
func (c *MetaConfig) Steps(n int) *MetaConfig {
	c.opts.Steps = n
	return c
}

// Validation sets the number of meta-validation episodes and how often (in steps) they are
// evaluated during meta-training.
func (c *MetaConfig) Validation(episodes, everySteps int) *MetaConfig {
	c.opts.ValEpisodes, c.opts.EvalEvery = episodes, everySteps
	return c
}

// PerClass keeps the first n examples of each intent (0: all): smaller data, quicker
// feature extraction.
func (c *MetaConfig) PerClass(n int) *MetaConfig {
	c.opts.PerClass = n
	return c
}

// Domains names the meta-validation and meta-test domains of source (the other domains are
// meta-training's), instead of drawing them at random.
func (c *MetaConfig) Domains(val, test []string) *MetaConfig {
	c.opts.ValDomains, c.opts.TestDomains = val, test
	return c
}

// Seed sets the seed of the methods' weights and of the episodes (default 1); the domain
// split does not depend on it (see Domains).
func (c *MetaConfig) Seed(seed uint64) *MetaConfig {
	c.opts.Seed = seed
	return c
}

// CheckpointDir sets the folder of the meta-training checkpoints and saved scores (NoCache:
// none, always train).
func (c *MetaConfig) CheckpointDir(dir string) *MetaConfig {
	c.opts.CheckpointDir = dir
	return c
}

// Progress sets the progress display of meta-training (nil: none).
func (c *MetaConfig) Progress(p train.Progress) *MetaConfig {
	if p == nil {
		p = train.NoProgress()
	}
	c.opts.Progress = p
	return c
}

// Configure sets a function that adjusts each method's configuration (given
// meta.DefaultConfig with the options above applied) before it trains.
func (c *MetaConfig) Configure(f func(*meta.Config)) *MetaConfig {
	c.opts.Configure = f
	return c
}

// Features sets the feature extraction options (default: native pooling, default cache).
func (c *MetaConfig) Features(opts FeatureOptions) *MetaConfig {
	c.opts.Features = opts
	return c
}

// Options returns the options set so far.
func (c *MetaConfig) Options() MetaOptions { return c.opts }

// Done runs the experiment (meta.Run): it extracts the features (cached), trains the
// methods (restoring checkpointed ones) and scores them on every test set.
func (c *MetaConfig) Done() (*MetaResult, error) {
	return meta.Run(c.enc, c.source, c.opts)
}
