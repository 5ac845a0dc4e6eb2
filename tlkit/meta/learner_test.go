package meta

import (
	"math"
	"reflect"
	"testing"

	"github.com/nlp-transfer/gotl/internal/backend"
)

// toyConfig returns a small, fast configuration of m for 5-way 1-shot toy episodes.
func toyConfig(m Method) Config {
	cfg := DefaultConfig(m)
	cfg.Spec = Spec{Ways: 5, Shots: 1, Queries: 5}
	cfg.Hidden, cfg.Steps, cfg.MetaBatch = 16, 40, 2
	cfg.LearningRate = 3e-3
	cfg.InnerSteps, cfg.EvalInnerSteps = 2, 3
	cfg.ValEpisodes, cfg.EvalEvery = 20, 20
	return cfg
}

func TestTrainEveryMethod(t *testing.T) {
	ds := toyDataset(t, 40, 12, 12, 1.0, 1)
	split, err := DomainSplit(ds, []string{"domain1"}, []string{"domain2"})
	if err != nil {
		t.Fatal(err)
	}
	test, err := NewSampler(ds, split.Test, Spec{Ways: 5, Shots: 1, Queries: 5}, 99)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Methods {
		l, err := Train(backend.MustGet(), ds, split, toyConfig(m))
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		score, err := l.Evaluate(test, 30)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		// The toy classes are well separated: every method must beat chance (20%) by far.
		if score.Mean < 0.5 || score.Episodes != 30 || len(score.PerEpisode) != 30 || !(score.CI95 > 0) {
			t.Errorf("%s: score %v; want above 50%% over 30 episodes", m, score)
		}
		if m.MetaTrained() {
			h := l.History
			if h == nil || len(h.Loss) != 40 || len(h.Evals) != 2 {
				t.Fatalf("%s: history %+v; want 40 losses and 2 evaluations", m, h)
			}
			for _, v := range h.Loss {
				if math.IsNaN(v) || v <= 0 {
					t.Fatalf("%s: training loss %g", m, v)
				}
			}
		}
		t.Logf("%-8s %v", m, score)
	}
}

func TestTrainIsDeterministicAndCheckpointed(t *testing.T) {
	ds := toyDataset(t, 20, 8, 6, 1.0, 2)
	split, err := ClassSplit(ds, 5, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := toyConfig(MAML)
	cfg.Steps = 10
	cfg.CheckpointDir = t.TempDir()
	a, err := Train(backend.MustGet(), ds, split, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Restored from the checkpoint, without training: the same history and predictions.
	b, err := Train(backend.MustGet(), ds, split, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.History.Loss, b.History.Loss) {
		t.Error("the restored run has another history")
	}
	cfg.CheckpointDir = ""
	c, err := Train(backend.MustGet(), ds, split, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.History.Loss, c.History.Loss) {
		t.Errorf("two runs with the same seed: losses %v and %v", a.History.Loss, c.History.Loss)
	}
	s, _ := NewSampler(ds, split.Test, Spec{Ways: 5, Shots: 1, Queries: 3}, 5)
	eps := s.Episodes(20) // More than one prediction chunk.
	pa, err := a.Predict(ds, eps)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := b.Predict(ds, eps)
	pc, _ := c.Predict(ds, eps)
	if !reflect.DeepEqual(pa, pb) || !reflect.DeepEqual(pa, pc) {
		t.Error("same weights, different predictions")
	}
	if len(pa) != 20 || len(pa[0].Labels) != 15 || len(pa[0].Probs[0]) != 5 {
		t.Errorf("predictions of shape %d×%d×%d, want 20×15×5", len(pa), len(pa[0].Labels), len(pa[0].Probs[0]))
	}
	// MAML's head starts from zero in each episode: it classifies 3-way episodes too; with a
	// meta-learned 5-way start, it cannot.
	s3, _ := NewSampler(ds, split.Test, Spec{Ways: 3, Shots: 2, Queries: 3}, 5)
	if p, err := a.Predict(ds, s3.Episodes(2)); err != nil || len(p[0].Probs[0]) != 3 {
		t.Errorf("MAML on 3-way episodes: %v", err)
	}
	cfg.LearnHeadInit = true
	d, err := Train(backend.MustGet(), ds, split, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Predict(ds, s3.Episodes(1)); err == nil {
		t.Error("MAML with a learnt 5-way head start on 3-way episodes: no error")
	}
}

func TestConfigErrors(t *testing.T) {
	ds := toyDataset(t, 20, 8, 6, 1.0, 2)
	split, _ := ClassSplit(ds, 5, 5, 1)
	for name, mutate := range map[string]func(*Config){
		"no hidden units":  func(c *Config) { c.Layer, c.Hidden = ReLULayer, 0 },
		"no steps":         func(c *Config) { c.Steps = 0 },
		"no inner steps":   func(c *Config) { c.InnerSteps = 0 },
		"negative rate":    func(c *Config) { c.LearningRate = -1 },
		"one-way episodes": func(c *Config) { c.Spec.Ways = 1 },
	} {
		cfg := toyConfig(MAML)
		mutate(&cfg)
		if _, err := Train(backend.MustGet(), ds, split, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Train(backend.MustGet(), &Dataset{Name: "empty"}, split, toyConfig(Centroid)); err == nil {
		t.Error("no features: no error")
	}
}

func TestParseMethods(t *testing.T) {
	ms, err := ParseMethods("protonet, MAML,reptile")
	if err != nil || !reflect.DeepEqual(ms, []Method{ProtoNet, MAML, Reptile}) {
		t.Errorf("ParseMethods: %v, %v", ms, err)
	}
	if all, _ := ParseMethods("all"); len(all) != 6 {
		t.Errorf("all: %v", all)
	}
	for _, bad := range []string{"", "maml,maml", "proto"} {
		if _, err := ParseMethods(bad); err == nil {
			t.Errorf("ParseMethods(%q): no error", bad)
		}
	}
}
