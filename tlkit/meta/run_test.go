package meta_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/quick"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/meta"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// intentsOrSkip returns CLINC150 and Banking77 from the test mirror, skipping the test when
// either is unavailable.
func intentsOrSkip(t *testing.T) (clinc, banking *data.IntentClassification) {
	t.Helper()
	clinc, err := data.LoadCLINC150(testkit.Store())
	if err != nil {
		t.Skipf("CLINC150 unavailable: %v", err)
	}
	banking, err = data.LoadBanking77(testkit.Store())
	if err != nil {
		t.Skipf("Banking77 unavailable: %v", err)
	}
	return clinc, banking
}

// smallOptions returns quick options: 5-way 2-shot episodes with 3 queries, 12 test
// episodes, 3 steps, 6 examples an intent, checkpoints under dir, no progress, no feature
// cache.
func smallOptions(dir string, methods ...meta.Method) meta.Options {
	opts := meta.DefaultOptions()
	opts.Methods = methods
	opts.Spec = meta.Spec{Ways: 5, Shots: 2, Queries: 3}
	opts.TestEpisodes, opts.Steps, opts.PerClass = 12, 3, 6
	opts.CheckpointDir, opts.Progress = dir, train.NoProgress()
	opts.Features = probe.FeatureOptions{CacheDir: probe.NoCache}
	return opts
}

// checkRun runs opts twice (the second run restores the methods and reads the saved
// scores) and checks the shape of the result, the split, the saved scores, that the two
// runs agree, the Markdown table and an episode's HTML. It returns the first result.
func checkRun(t *testing.T, enc encoder.Encoder, source, cross *data.IntentClassification, aboveChance bool) *meta.Result {
	t.Helper()
	dir := t.TempDir()
	opts := smallOptions(dir, meta.Centroid, meta.ProtoNet, meta.FOMAML)
	opts.Targets = []*data.IntentClassification{cross}
	res, err := meta.Run(enc, source, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The test intents come from domains that meta-training never saw.
	for _, c := range res.Split.Test {
		if d := res.Source.Classes[c].Domain; slices.Contains(res.Split.TrainDomains, d) || !slices.Contains(res.Split.TestDomains, d) {
			t.Errorf("test intent %s of domain %s; meta-train domains %v", res.Source.Classes[c].Name, d, res.Split.TrainDomains)
		}
	}
	if len(res.Tests) != 2 || res.Tests[0].Name != source.Name+" unseen domains" || res.Tests[1].Name != cross.Name {
		t.Fatalf("tests %+v", res.Tests)
	}
	if len(res.Learners) != 3 || len(res.Seconds) != 3 || res.Learners[0].History != nil || res.Learners[1].History == nil {
		t.Fatalf("%d learners, %d times; want 3, the baseline without history", len(res.Learners), len(res.Seconds))
	}
	for _, test := range res.Tests {
		if len(test.Scores) != 3 {
			t.Fatalf("%s: %d scores, want 3", test.Name, len(test.Scores))
		}
		for i, s := range test.Scores {
			if s.Episodes != 12 || s.Mean <= 0 || (aboveChance && s.Mean <= 0.2) {
				t.Errorf("%s, %s: %v; want 12 episodes, above chance", test.Name, res.Methods[i], s)
			}
		}
	}
	if s, ok := res.Score(meta.ProtoNet, cross.Name); !ok || s.Mean != res.Tests[1].Scores[1].Mean {
		t.Errorf("Score(ProtoNet, %s) = %v, %v", cross.Name, s, ok)
	}
	if _, ok := res.Score(meta.MAML, cross.Name); ok {
		t.Error("a score for a method that did not run")
	}
	if best := res.Best(0); !slices.Contains(res.Methods, best) {
		t.Errorf("best method %s", best)
	}
	scores, _ := filepath.Glob(filepath.Join(dir, "scores", "*.json"))
	if len(scores) != 6 {
		t.Errorf("%d saved scores, want 6 (3 methods × 2 tests)", len(scores))
	}
	again, err := meta.Run(enc, source, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Tests {
		for m := range res.Methods {
			if a, b := res.Tests[i].Scores[m], again.Tests[i].Scores[m]; !slices.Equal(a.PerEpisode, b.PerEpisode) {
				t.Errorf("%s, %s: %v then %v", res.Tests[i].Name, res.Methods[m], a, b)
			}
		}
	}
	if md := res.Markdown(); !strings.Contains(md, "| ProtoNet |") || !strings.Contains(md, cross.Name) {
		t.Errorf("Markdown:\n%s", md)
	}
	page, err := res.EpisodeHTML(0, 3)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Tests[0].Sampler.Episode(3)
	for _, want := range []string{res.Source.Classes[e.Classes[0]].Name, "FOMAML", "accuracy"} {
		if !strings.Contains(page, want) {
			t.Errorf("episode HTML lacks %q", want)
		}
	}
	if _, err := res.EpisodeHTML(2, 0); err == nil {
		t.Error("EpisodeHTML of test 2 of 2: no error")
	}
	// Without test episodes: trained (restored), not tested.
	notest := smallOptions(dir, meta.ProtoNet)
	notest.TestEpisodes = 0
	r, err := meta.Run(enc, source, notest)
	if err != nil || len(r.Tests[0].Scores) != 0 || r.Learners[0].History == nil {
		t.Errorf("TestEpisodes 0: %v, %+v", err, r)
	}
	if _, ok := r.Score(meta.ProtoNet, r.Tests[0].Name); ok {
		t.Error("a score without test episodes")
	}
	return res
}

// TestRunToyEncoder runs the whole experiment offline, on the features of a tiny encoder
// (near chance: only the plumbing is checked).
func TestRunToyEncoder(t *testing.T) {
	clinc, banking := intentsOrSkip(t)
	checkRun(t, testkit.NewToyEncoder(t), clinc, banking, false)
}

// TestRunGloVe runs it on averaged GloVe vectors, which separate intents far above chance.
func TestRunGloVe(t *testing.T) {
	enc := testkit.GloVe(t, 20000)
	clinc, banking := intentsOrSkip(t)
	checkRun(t, enc, clinc, banking, true)
}

// A source of fewer than 4 domains is split by intent, and the options' domains are used
// when given.
func TestRunSplits(t *testing.T) {
	clinc, banking := intentsOrSkip(t)
	enc := testkit.NewToyEncoder(t)
	opts := smallOptions(meta.NoCheckpoint, meta.Centroid)
	res, err := meta.Run(enc, banking, opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Source.Classes); res.Split.TestDomains != nil || len(res.Split.Test) != n*3/10 || len(res.Split.Val) != n/5 ||
		res.Tests[0].Name != "banking77 unseen intents" {
		t.Errorf("Banking77 split %s, test %q", res.Split, res.Tests[0].Name)
	}
	clincDomains := func() []string {
		ds, err := meta.FromIntents(clinc, 1)
		if err != nil {
			t.Fatal(err)
		}
		return ds.Domains()
	}()
	opts.ValDomains, opts.TestDomains = clincDomains[:1], clincDomains[1:3]
	res, err = meta.Run(enc, clinc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Split.ValDomains, clincDomains[:1]) || !slices.Equal(res.Split.TestDomains, clincDomains[1:3]) {
		t.Errorf("split %s; want validation domain %v, test domains %v", res.Split, clincDomains[:1], clincDomains[1:3])
	}
	if _, err := os.Stat(meta.NoCheckpoint); err == nil {
		t.Errorf("a folder named %q was created", meta.NoCheckpoint)
	}
}

func TestRunErrors(t *testing.T) {
	clinc, _ := intentsOrSkip(t)
	enc := testkit.NewToyEncoder(t)
	negative := smallOptions(meta.NoCheckpoint, meta.Centroid)
	negative.TestEpisodes = -1
	nilTarget := smallOptions(meta.NoCheckpoint, meta.Centroid)
	nilTarget.Targets = []*data.IntentClassification{nil}
	badPerClass := smallOptions(meta.NoCheckpoint, meta.Centroid)
	badPerClass.PerClass = -3
	badConfig := smallOptions(meta.NoCheckpoint, meta.ProtoNet)
	badConfig.Configure = func(c *meta.Config) { c.ProtoScale = 0 }
	for _, c := range []struct {
		name   string
		enc    encoder.Encoder
		source *data.IntentClassification
		opts   meta.Options
		want   string
	}{
		{"no encoder", nil, clinc, smallOptions(meta.NoCheckpoint, meta.Centroid), "no encoder"},
		{"no source", enc, nil, smallOptions(meta.NoCheckpoint, meta.Centroid), "no source"},
		{"no method", enc, clinc, smallOptions(meta.NoCheckpoint), "no method"},
		{"negative test episodes", enc, clinc, negative, "-1 test episodes"},
		{"nil target", enc, clinc, nilTarget, "target 0 is nil"},
		{"negative per class", enc, clinc, badPerClass, "-3 examples per class"},
		{"bad configuration", enc, clinc, badConfig, "ProtoNet scale 0"},
	} {
		_, err := meta.Run(c.enc, c.source, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "meta.Run: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestDefaultOptions(t *testing.T) {
	for _, mode := range []string{"", "1"} {
		t.Setenv(quick.EnvVar, mode)
		opts := meta.DefaultOptions()
		full := mode == ""
		pick := func(q, f int) int {
			if full {
				return f
			}
			return q
		}
		if !slices.Equal(opts.Methods, meta.Methods) || opts.Spec != (meta.Spec{Ways: 5, Shots: 1, Queries: 15}) || opts.Seed != 1 ||
			opts.TestEpisodes != pick(100, 600) || opts.Steps != pick(50, 1000) || opts.ValEpisodes != pick(40, 100) ||
			opts.EvalEvery != pick(25, 100) || opts.PerClass != pick(15, 0) ||
			opts.CheckpointDir != filepath.Join(data.DefaultStore().CacheDir, "meta") || opts.Progress != nil || opts.Configure != nil {
			t.Errorf("$%s=%q: %+v", quick.EnvVar, mode, opts)
		}
		// The list is a copy: changing it leaves meta.Methods alone.
		opts.Methods[0] = meta.Reptile
		if meta.Methods[0] != meta.Centroid {
			t.Fatal("DefaultOptions shares meta.Methods")
		}
	}
}
