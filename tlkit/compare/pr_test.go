package compare

import (
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

func TestPrecisionRecallOfRuns(t *testing.T) {
	task, opts, head := bagOfWordsToy()
	noProbs := Method{Name: "labels only", Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		return Outcome{TestPred: make([]int, len(task.Test))}, nil
	}}
	c, err := Compare(task, []Method{BagOfWordsMethod("tf-idf", opts, head), noProbs}, []int64{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gold := data.Labels(task.Test)
	curves, err := c.PrecisionRecall("tf-idf", len(task.Train), 1, gold)
	if err != nil {
		t.Fatal(err)
	}
	// The toy task is learnt perfectly: both seeds rank the positives first.
	if len(curves) != 2 || curves[0].AveragePrecision != 1 || curves[1].AveragePrecision != 1 {
		t.Errorf("%d curves, APs %v; want 2 seeds at AP 1", len(curves), curves)
	}
	for _, tc := range []struct {
		method   string
		positive int
		gold     []int
		want     string
	}{
		{"labels only", 1, gold, "test probability rows"},
		{"tf-idf", 2, gold, "class 2 outside"},
		{"tf-idf", 1, gold[:1], "1 gold labels for 3"},
		{"nope", 1, gold, `no run of "nope"`},
	} {
		if _, err := c.PrecisionRecall(tc.method, len(task.Train), tc.positive, tc.gold); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s, class %d: err = %v, want one containing %q", tc.method, tc.positive, err, tc.want)
		}
	}
	reports, err := c.Reports("tf-idf", len(task.Train), gold)
	if err != nil || len(reports) != 2 || reports[0].Classes[1].F1 != 1 || reports[1].Confusion[0][0] != 1 {
		t.Errorf("Reports: %+v, %v; want 2 perfect reports", reports, err)
	}
	if _, err := c.Reports("tf-idf", 7, gold); err == nil {
		t.Error("Reports at a size never run: no error")
	}
	c.Methods = c.Methods[:1]
	p, err := c.PlotPrecisionRecall(len(task.Train), 1, gold)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Max != 100 || !strings.Contains(p.Title.Text, `"pos"`) {
		t.Errorf("plot: X max %v, title %q", p.X.Max, p.Title.Text)
	}
}

func TestTunedMethodsPickOnDev(t *testing.T) {
	task := methodTask()
	head := probe.DefaultHeadOptions()
	head.Standardize = false
	opts := bow.DefaultOptions()
	opts.MinDF = 1
	lrs := []float64{1e-4, 3e-2}
	tuned, err := TunedBagOfWords("tf-idf", opts, head, lrs...).Run(task, 1)
	if err != nil {
		t.Fatal(err)
	}
	best := -1.0
	for _, lr := range lrs {
		h := head
		h.LearningRate = lr
		out, err := BagOfWordsMethod("x", opts, h).Run(task, 1)
		if err != nil {
			t.Fatal(err)
		}
		best = max(best, out.Dev)
	}
	if tuned.Dev != best {
		t.Errorf("tuned dev %v, want the best candidate's %v", tuned.Dev, best)
	}
}
