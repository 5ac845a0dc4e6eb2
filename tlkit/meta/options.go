package meta

import (
	"fmt"
	"path/filepath"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/quick"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// NoCheckpoint, as Options.CheckpointDir, turns the checkpoints and the saved scores off:
// Run always trains and evaluates. It equals probe.NoCache (tlkit.NoCache).
const NoCheckpoint = probe.NoCache

// splitSeed draws Run's split of the source (RandomDomainSplit or ClassSplit): the same
// for every Options.Seed, so that seeds of the methods are compared on the same classes.
const splitSeed = 1

// Options configures Run, a few-shot experiment on frozen features. Start from
// DefaultOptions.
type Options struct {
	// Targets are datasets whose intents (all of them) form cross-dataset tests, e.g.
	// Banking77, after the test on the source's meta-test classes.
	Targets []*data.IntentClassification
	// Methods are the methods, baselines included, in the order of Result.Methods.
	Methods []Method
	// Spec is the episode shape of meta-training, meta-validation and the tests.
	Spec Spec
	// TestEpisodes is the number of episodes of each test set; 0 trains (or restores) the
	// methods without testing them (Test.Scores stay empty).
	TestEpisodes int
	// Steps is the meta-training steps of every meta-trained method (Config.Steps).
	Steps int
	// ValEpisodes is the number of meta-validation episodes, evaluated every EvalEvery
	// meta-training steps (Config.ValEpisodes, Config.EvalEvery).
	ValEpisodes, EvalEvery int
	// PerClass keeps the first PerClass examples of each intent (0: all): smaller data,
	// quicker feature extraction (see FromIntents).
	PerClass int
	// ValDomains and TestDomains, when TestDomains is not nil, name the meta-validation and
	// meta-test domains of the source (DomainSplit; the other domains are meta-training's).
	// Otherwise the split is drawn with a fixed seed: RandomDomainSplit with 2 validation and
	// 3 test domains when the source has at least 4 domains, else ClassSplit with 20%
	// validation and 30% test intents (Banking77), but at least Spec.Ways intents in each.
	ValDomains, TestDomains []string
	// Seed seeds the methods' weights and meta-training episodes (Config.Seed) and the test
	// episodes (Seed+1000); the split does not depend on it.
	Seed uint64
	// CheckpointDir holds the meta-training checkpoints (Config.CheckpointDir) and the saved
	// test scores (under scores/), so that a second identical Run restores the trained
	// methods and reads their scores. "" or NoCheckpoint: none, always train and evaluate.
	CheckpointDir string
	// Progress shows meta-training (nil: train.AutoProgress(), a live GoNB cell or a
	// terminal progress bar; train.NoProgress() for none).
	Progress train.Progress
	// Configure, when not nil, adjusts each method's configuration before it trains: it gets
	// DefaultConfig(method) with Spec, Steps, Seed, Progress, ValEpisodes, EvalEvery and
	// CheckpointDir of these options applied (Config.Method tells the method). It may change
	// the training episodes (Config.Spec); the test episodes keep Options.Spec.
	Configure func(*Config)
	// Features configures the feature extraction (probe.ExtractFeatures, disk-cached): the
	// zero value pools natively and caches under probe.DefaultFeatureCacheDir(). A nil
	// Runner is a new one for the encoder on the process-wide backend.
	Features probe.FeatureOptions
}

// DefaultOptions returns the defaults: every method of Methods; 5-way 1-shot episodes with
// 15 queries; 600 test episodes (quick mode, $TLKIT_QUICK: 100); DefaultConfig's training
// with 1000 steps (quick: 50), meta-validation on 100 episodes (quick: 40) every 100 steps
// (quick: 25); every example of every intent (quick: 15 a class); seed 1; checkpoints
// under the cache (data.DefaultStore().CacheDir/meta); progress by train.AutoProgress;
// native pooling and the default feature cache.
func DefaultOptions() Options {
	return Options{
		Methods:      append([]Method(nil), Methods...),
		Spec:         Spec{Ways: 5, Shots: 1, Queries: 15},
		TestEpisodes: quick.Or(100, 600),
		Steps:        quick.Or(50, 1000),
		ValEpisodes:  quick.Or(40, 100),
		EvalEvery:    quick.Or(25, 100),
		PerClass:     quick.Or(15, 0),
		Seed:         1,
		// Filled in, not left "" (no checkpoints): the default keeps them.
		CheckpointDir: filepath.Join(data.DefaultStore().CacheDir, "meta"),
	}
}

// checkpoints reports whether o keeps checkpoints and scores.
func (o Options) checkpoints() bool { return o.CheckpointDir != "" && o.CheckpointDir != NoCheckpoint }

// config returns the Config that Run trains method m with (see Options.Configure).
func (o Options) config(m Method, progress train.Progress) Config {
	cfg := DefaultConfig(m)
	cfg.Spec, cfg.Steps, cfg.Seed, cfg.Progress = o.Spec, o.Steps, o.Seed, progress
	cfg.ValEpisodes, cfg.EvalEvery = o.ValEpisodes, o.EvalEvery
	if o.checkpoints() {
		cfg.CheckpointDir = o.CheckpointDir
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	return cfg
}

// check returns an error naming the first invalid option (PerClass is checked by
// FromIntents, the method configurations by Train).
func (o Options) check() error {
	switch {
	case len(o.Methods) == 0:
		return fmt.Errorf("no method")
	case o.TestEpisodes < 0:
		return fmt.Errorf("%d test episodes; want 0 (no test) or more", o.TestEpisodes)
	}
	for i, t := range o.Targets {
		if t == nil {
			return fmt.Errorf("cross-dataset target %d is nil", i)
		}
	}
	return nil
}
