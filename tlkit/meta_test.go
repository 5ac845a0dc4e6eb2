package tlkit

import (
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/meta"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// The MetaLearn builder only fills meta.Options: its result is that of meta.Run (and
// MetaLearnWith) with the same options, number for number. The experiment itself is tested
// in tlkit/meta.
func TestMetaLearnFacade(t *testing.T) {
	store := testkit.Store()
	clinc, err := data.LoadCLINC150(store)
	if err != nil {
		t.Skipf("CLINC150 unavailable: %v", err)
	}
	banking, err := data.LoadBanking77(store)
	if err != nil {
		t.Skipf("Banking77 unavailable: %v", err)
	}
	enc := testkit.NewToyEncoder(t)
	configure := func(c *meta.Config) { c.MetaBatch = 2 }
	b := MetaLearn(enc, clinc).Cross(banking).Methods(meta.LogReg, meta.ProtoNet).Episodes(5, 2, 3).TestEpisodes(10).Steps(4).
		Validation(5, 2).PerClass(6).Domains([]string{"banking"}, []string{"home", "travel"}).Seed(2).CheckpointDir(NoCache).
		Progress(nil).Configure(configure).Features(FeatureOptions{CacheDir: NoCache})
	opts := DefaultMetaOptions()
	opts.Targets, opts.Methods = []*data.IntentClassification{banking}, []meta.Method{meta.LogReg, meta.ProtoNet}
	opts.Spec = meta.Spec{Ways: 5, Shots: 2, Queries: 3}
	opts.TestEpisodes, opts.Steps, opts.ValEpisodes, opts.EvalEvery, opts.PerClass, opts.Seed = 10, 4, 5, 2, 6, 2
	opts.ValDomains, opts.TestDomains = []string{"banking"}, []string{"home", "travel"}
	opts.CheckpointDir, opts.Progress, opts.Configure = NoCache, train.NoProgress(), configure
	opts.Features = FeatureOptions{CacheDir: NoCache}
	got := b.Options()
	if got.Progress != opts.Progress || got.Configure == nil || got.CheckpointDir != opts.CheckpointDir ||
		!slices.Equal(got.TestDomains, opts.TestDomains) || got.Spec != opts.Spec || got.Seed != opts.Seed {
		t.Errorf("builder options %+v, want %+v", got, opts)
	}
	fromBuilder, err := b.Done()
	if err != nil {
		t.Fatal(err)
	}
	direct, err := MetaLearnWith(enc, clinc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fromBuilder.Markdown() != direct.Markdown() || fromBuilder.Split.String() != direct.Split.String() {
		t.Fatalf("builder:\n%s\nMetaLearnWith:\n%s", fromBuilder.Markdown(), direct.Markdown())
	}
	var tests []MetaTest = direct.Tests
	for i := range tests {
		for m := range direct.Methods {
			if a, b := fromBuilder.Tests[i].Scores[m], tests[i].Scores[m]; !slices.Equal(a.PerEpisode, b.PerEpisode) {
				t.Errorf("%s, %s: %v and %v", tests[i].Name, direct.Methods[m], a, b)
			}
		}
	}
}
