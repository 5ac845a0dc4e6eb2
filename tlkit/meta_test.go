package tlkit

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/meta"
)

func TestMetaLearnGloVe(t *testing.T) {
	store := data.DefaultStore()
	store.Offline = true
	enc, err := LoadEncoder("glove:20000", store)
	if err != nil {
		t.Skipf("GloVe vectors unavailable: %v", err)
	}
	clinc, err := data.LoadCLINC150(store)
	if err != nil {
		t.Skipf("CLINC150 unavailable: %v", err)
	}
	banking, err := data.LoadBanking77(store)
	if err != nil {
		t.Skipf("Banking77 unavailable: %v", err)
	}
	dir := t.TempDir()
	run := func() *MetaResult {
		res, err := MetaLearn(enc, clinc).Cross(banking).Methods(meta.Centroid, meta.ProtoNet, meta.FOMAML).
			Episodes(5, 2, 3).TestEpisodes(12).Steps(3).PerClass(6).CheckpointDir(dir).Progress(nil).
			Features(FeatureOptions{CacheDir: NoCache}).Done()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run()
	// The test intents come from domains that meta-training never saw.
	for _, c := range res.Split.Test {
		if d := res.Source.Classes[c].Domain; slices.Contains(res.Split.TrainDomains, d) || !slices.Contains(res.Split.TestDomains, d) {
			t.Errorf("test intent %s of domain %s; meta-train domains %v", res.Source.Classes[c].Name, d, res.Split.TrainDomains)
		}
	}
	if len(res.Tests) != 2 || res.Tests[0].Name != "clinc150 unseen domains" || res.Tests[1].Name != "banking77" {
		t.Fatalf("tests %+v", res.Tests)
	}
	for _, test := range res.Tests {
		if len(test.Scores) != 3 {
			t.Fatalf("%s: %d scores, want 3", test.Name, len(test.Scores))
		}
		for i, s := range test.Scores {
			if s.Episodes != 12 || s.Mean <= 0.2 {
				t.Errorf("%s, %s: %v; want 12 episodes, above chance", test.Name, res.Methods[i], s)
			}
		}
	}
	scores, _ := filepath.Glob(filepath.Join(dir, "scores", "*.json"))
	if len(scores) != 6 {
		t.Errorf("%d saved scores, want 6 (3 methods × 2 tests)", len(scores))
	}
	// A second run restores the methods and reads the scores: the same numbers.
	again := run()
	for i := range res.Tests {
		for m := range res.Methods {
			if a, b := res.Tests[i].Scores[m], again.Tests[i].Scores[m]; !slices.Equal(a.PerEpisode, b.PerEpisode) {
				t.Errorf("%s, %s: %v then %v", res.Tests[i].Name, res.Methods[m], a, b)
			}
		}
	}
	md := res.Markdown()
	if !strings.Contains(md, "| ProtoNet |") || !strings.Contains(md, "banking77") {
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
	if _, err := os.Stat(filepath.Join(dir, "scores")); err != nil {
		t.Error(err)
	}
	// Without test episodes: trained, not tested.
	notest, err := MetaLearn(enc, clinc).Methods(meta.ProtoNet).Episodes(5, 2, 3).TestEpisodes(0).Steps(3).PerClass(6).
		CheckpointDir(dir).Progress(nil).Features(FeatureOptions{CacheDir: NoCache}).Done()
	if err != nil || len(notest.Tests[0].Scores) != 0 || notest.Learners[0].History == nil {
		t.Errorf("TestEpisodes(0): %v, %+v", err, notest)
	}
}
