package compare

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
)

// compareTask has 8 training examples (6 of label 0, 2 of label 1) and 4 test examples.
func compareTask() *data.TextClassification {
	task := &data.TextClassification{Name: "toy/compare", Labels: []string{"neg", "pos"}}
	for i := range 8 {
		label := 0
		if i%4 == 3 {
			label = 1
		}
		task.Train = append(task.Train, data.Example{Text: fmt.Sprintf("train %d", i), Label: label})
	}
	for i, label := range []int{0, 1, 0, 1} {
		task.Test = append(task.Test, data.Example{Text: fmt.Sprintf("test %d", i), Label: label})
	}
	return task
}

// fakeMethods: "oracle" is always right; "coin" gets 3 of 4 right with seed 1 and 2 of 4
// with seed 2. Calls are counted per method.
func fakeMethods(calls map[string]int) []Method {
	return []Method{
		{Name: "oracle", Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
			calls["oracle"]++
			return Outcome{TestPred: data.Labels(task.Test), Dev: 0.5}, nil
		}},
		{Name: "coin / v1", Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
			calls["coin"]++
			switch seed {
			case 1:
				return Outcome{TestPred: []int{0, 1, 0, 0}}, nil // 3/4
			case 2:
				return Outcome{TestPred: []int{0, 0, 0, 0}}, nil // 2/4
			}
			return Outcome{}, fmt.Errorf("unexpected seed %d", seed)
		}},
	}
}

func TestCompareTable(t *testing.T) {
	calls := map[string]int{}
	var log bytes.Buffer
	c, err := Compare(compareTask(), fakeMethods(calls), []int64{1, 2}, Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if calls["oracle"] != 2 || calls["coin"] != 2 {
		t.Errorf("calls %v, want 2 each", calls)
	}
	if len(c.Runs) != 4 || len(c.Results) != 2 || fmt.Sprint(c.Sizes) != "[8]" {
		t.Fatalf("%d runs, %d results, sizes %v; want 4, 2, [8]", len(c.Runs), len(c.Results), c.Sizes)
	}
	oracle, _ := c.Result("oracle", 0)
	if oracle.Accuracy.Mean != 1 || oracle.Accuracy.Std != 0 || oracle.MacroF1.Mean != 1 || oracle.AccuracyCI != [2]float64{1, 1} {
		t.Errorf("oracle: %+v, want accuracy 1 ± 0, CI [1, 1]", oracle)
	}
	coin, ok := c.Result("coin / v1", 8)
	if !ok {
		t.Fatal("no result for coin / v1")
	}
	// Seed 1: accuracy 3/4; F1 of neg = 2·(2/3)·1/(2/3+1) = 0.8, of pos = 1 (P=1, R=1/2 → 2/3).
	// Seed 2: accuracy 1/2; F1 of neg = 2·(1/2)·1/(3/2) = 2/3, of pos = 0.
	wantF1 := []float64{(0.8 + 2.0/3) / 2, (2.0 / 3) / 2}
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !close(coin.Accuracy.Mean, 0.625) || !close(coin.Accuracy.Std, math.Sqrt(2*0.125*0.125)) || coin.Accuracy.N != 2 {
		t.Errorf("coin accuracy %+v, want 0.625 ± %.4f over 2 seeds", coin.Accuracy, math.Sqrt(2*0.125*0.125))
	}
	if m := (wantF1[0] + wantF1[1]) / 2; !close(coin.MacroF1.Mean, m) {
		t.Errorf("coin macro-F1 mean %v, want %v", coin.MacroF1.Mean, m)
	}
	if lo, hi := coin.AccuracyCI[0], coin.AccuracyCI[1]; !(lo < 0.625 && hi > 0.625 && lo >= 0 && hi <= 1) {
		t.Errorf("coin accuracy CI [%v, %v] does not bracket the mean 0.625", lo, hi)
	}
	md := c.Markdown()
	for _, want := range []string{"| method | accuracy % | 95% CI | macro-F1 % |", "| oracle | 100.0 ± 0.0 | 100.0–100.0 | 100.0 ± 0.0 | 2 |", "| coin / v1 ⚠ 1/2 | 62.5 ± 17.7 |", "⚠ k/n: k of the n runs predict (nearly) one class"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if _, err := c.Plot(); err != nil {
		t.Errorf("Plot: %v", err)
	}
	// Seed 2 of the coin predicts one class for every test example: flagged, with a warning;
	// the oracle and seed 1 are not.
	for _, r := range c.Runs {
		if want := r.Method == "coin / v1" && r.Seed == 2; (r.Degenerate != "") != want {
			t.Errorf("%s seed %d: Degenerate %q, want flagged: %v", r.Method, r.Seed, r.Degenerate, want)
		}
	}
	if oracle.DegenerateRuns != 0 || coin.DegenerateRuns != 1 {
		t.Errorf("degenerate runs: oracle %d, coin %d; want 0 and 1", oracle.DegenerateRuns, coin.DegenerateRuns)
	}
	if want := "warning: coin / v1 n=8 seed=2 on toy/compare predicts class 0 for 100.0% of the test examples (gold: 50.0%): a broken run"; !strings.Contains(log.String(), want) ||
		strings.Count(log.String(), "warning:") != 1 {
		t.Errorf("log lacks the one warning %q:\n%s", want, log.String())
	}
	if c.label("coin / v1") != "coin / v1 [degenerate runs]" || c.label("oracle") != "oracle" {
		t.Errorf("plot labels %q, %q", c.label("coin / v1"), c.label("oracle"))
	}
}

func TestCompareJSONRoundTrip(t *testing.T) {
	c, err := Compare(compareTask(), fakeMethods(map[string]int{}), []int64{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out", "comparison.json")
	if err := c.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadComparison(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the comparison:\n%+v\nwant\n%+v", back, c)
	}
	raw, _ := os.ReadFile(path)
	for _, key := range []string{`"accuracy_ci"`, `"test_pred"`, `"macro_f1"`, `"n_test": 4`} {
		if !bytes.Contains(raw, []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the JSON (no temporary file)", len(entries))
	}
}

func TestCompareResume(t *testing.T) {
	dir := t.TempDir()
	calls := map[string]int{}
	first, err := Compare(compareTask(), fakeMethods(calls), []int64{1, 2}, Options{ResultsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := ReadComparison(comparisonPath(dir, compareTask().Name))
	if err != nil {
		t.Fatalf("the comparison was not saved in ResultsDir: %v", err)
	}
	if !reflect.DeepEqual(saved.Results, first.Results) {
		t.Errorf("saved comparison results %+v, want %+v", saved.Results, first.Results)
	}
	// The second call must reuse every saved run: methods that fail if called.
	failing := []Method{
		{Name: "oracle", Run: func(*data.TextClassification, int64) (Outcome, error) {
			t.Error("oracle ran again")
			return Outcome{}, fmt.Errorf("must not run")
		}},
		{Name: "coin / v1", Run: func(*data.TextClassification, int64) (Outcome, error) {
			t.Error("coin ran again")
			return Outcome{}, fmt.Errorf("must not run")
		}},
	}
	var log bytes.Buffer
	second, err := Compare(compareTask(), failing, []int64{1, 2}, Options{ResultsDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first.Results, second.Results) {
		t.Errorf("resumed results %+v, want %+v", second.Results, first.Results)
	}
	for _, r := range second.Runs {
		if !r.Reused {
			t.Errorf("run %s seed %d not marked reused", r.Method, r.Seed)
		}
	}
	if strings.Count(log.String(), "saved result") != 4 {
		t.Errorf("log:\n%s\nwant 4 lines saying saved result", log.String())
	}

	// A run interrupted half-way: a new seed runs, the saved ones are reused.
	calls = map[string]int{}
	methods := fakeMethods(calls)
	methods[1].Run = func(task *data.TextClassification, seed int64) (Outcome, error) {
		calls["coin"]++
		return Outcome{TestPred: []int{1, 1, 1, 1}}, nil
	}
	if _, err := Compare(compareTask(), methods, []int64{1, 2, 3}, Options{ResultsDir: dir}); err != nil {
		t.Fatal(err)
	}
	if calls["oracle"] != 1 || calls["coin"] != 1 {
		t.Errorf("with one new seed: calls %v, want 1 each", calls)
	}

	// Other data under the same task name: nothing is reused.
	calls = map[string]int{}
	changed := compareTask()
	changed.Train[0].Text = "changed"
	if _, err := Compare(changed, fakeMethods(calls), []int64{1, 2}, Options{ResultsDir: dir}); err != nil {
		t.Fatal(err)
	}
	if calls["oracle"] != 2 || calls["coin"] != 2 {
		t.Errorf("changed task: calls %v, want 2 each (saved results are for other data)", calls)
	}

	// A corrupt saved file is recomputed.
	path := runPath(dir, "toy/compare", "oracle", 8, 1)
	if err := os.WriteFile(path, []byte(`{"version": 1, "task_sha`), 0o644); err != nil {
		t.Fatal(err)
	}
	calls = map[string]int{}
	if _, err := Compare(changed, fakeMethods(calls), []int64{1, 2}, Options{ResultsDir: dir}); err != nil {
		t.Fatal(err)
	}
	if calls["oracle"] != 1 || calls["coin"] != 0 {
		t.Errorf("corrupt saved run: calls %v, want oracle 1, coin 0", calls)
	}
}

func TestSweep(t *testing.T) {
	calls := map[string]int{}
	sizes := []int{1, 4, 100}
	var seen []string
	methods := []Method{{Name: "oracle", Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		calls["oracle"]++
		seen = append(seen, fmt.Sprintf("%d/%d", len(task.Train), seed))
		return Outcome{TestPred: data.Labels(task.Test)}, nil
	}}}
	c, err := Sweep(compareTask(), methods, sizes, []int64{7, 8}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Sizes) != "[1 4 8]" || len(c.Results) != 3 {
		t.Errorf("sizes %v, %d results; want [1 4 8] (100 capped at 8), 3", c.Sizes, len(c.Results))
	}
	if got := strings.Join(seen, " "); got != "1/7 1/8 4/7 4/8 8/7 8/8" {
		t.Errorf("runs saw train sizes/seeds %s", got)
	}
	if !strings.Contains(c.Markdown(), "| oracle | 4 | 100.0 ± 0.0 |") {
		t.Errorf("Markdown lacks the n=4 row:\n%s", c.Markdown())
	}
	if _, err := c.PlotCurve(); err != nil {
		t.Errorf("PlotCurve: %v", err)
	}
	for _, bad := range [][]int{{}, {4, 2}, {0, 3}} {
		if _, err := Sweep(compareTask(), methods, bad, []int64{1}, Options{}); err == nil {
			t.Errorf("sizes %v accepted", bad)
		}
	}
	dup := append(fakeMethods(calls), fakeMethods(calls)[0])
	if _, err := Compare(compareTask(), dup, []int64{1}, Options{}); err == nil || !strings.Contains(err.Error(), "two methods") {
		t.Errorf("duplicate method names: %v", err)
	}
	wrongLen := []Method{{Name: "short", Run: func(*data.TextClassification, int64) (Outcome, error) {
		return Outcome{TestPred: []int{0}}, nil
	}}}
	if _, err := Compare(compareTask(), wrongLen, []int64{1}, Options{}); err == nil || !strings.Contains(err.Error(), "short") {
		t.Errorf("wrong number of predictions: %v", err)
	}
}

func TestSubsample(t *testing.T) {
	task := &data.TextClassification{Name: "toy", Labels: []string{"a", "b", "c"}}
	for i := range 100 {
		label := 0
		switch {
		case i%10 == 9:
			label = 2 // 10%
		case i%10 >= 6:
			label = 1 // 30%
		}
		task.Train = append(task.Train, data.Example{Text: fmt.Sprint(i), Label: label})
	}
	for _, n := range []int{3, 10, 25, 50, 99} {
		sub := Subsample(task, n, 42)
		if len(sub.Train) != n {
			t.Fatalf("n=%d: kept %d", n, len(sub.Train))
		}
		counts := sub.LabelCounts(sub.Train)
		for l, c := range counts {
			want := float64(n) * []float64{0.6, 0.3, 0.1}[l]
			if c < 1 || math.Abs(float64(c)-want) > 1 {
				t.Errorf("n=%d: label %d kept %d, want about %.1f and at least 1", n, l, c, want)
			}
		}
		again := Subsample(task, n, 42)
		if !reflect.DeepEqual(sub.Train, again.Train) {
			t.Errorf("n=%d: not deterministic", n)
		}
		other := Subsample(task, n, 43)
		if n < 90 && reflect.DeepEqual(sub.Train, other.Train) {
			t.Errorf("n=%d: seeds 42 and 43 keep the same examples", n)
		}
	}
	// Nested: with one seed, the 25 kept examples are among the 50.
	small, large := Subsample(task, 25, 5), Subsample(task, 50, 5)
	in := map[string]bool{}
	for _, ex := range large.Train {
		in[ex.Text] = true
	}
	for _, ex := range small.Train {
		if !in[ex.Text] {
			t.Errorf("example %q of n=25 is not in n=50", ex.Text)
		}
	}
	// In task order.
	prev := -1
	for _, ex := range small.Train {
		var i int
		fmt.Sscan(ex.Text, &i)
		if i <= prev {
			t.Fatalf("subsample not in task order: %d after %d", i, prev)
		}
		prev = i
	}
	if full := Subsample(task, 1000, 1); len(full.Train) != 100 || &full.Train[0] != &task.Train[0] {
		t.Error("n above len(Train) must keep the whole train split")
	}
	if len(task.Train) != 100 {
		t.Error("Subsample changed the task")
	}
}

// TestDefaultOptions checks that DefaultOptions is what the zero value means.
func TestDefaultOptions(t *testing.T) {
	task := &data.TextClassification{Name: "t", Labels: []string{"a", "b"},
		Train: []data.Example{{Text: "x", Label: 0}, {Text: "y", Label: 1}},
		Test:  []data.Example{{Text: "x", Label: 0}, {Text: "y", Label: 1}, {Text: "z", Label: 1}}}
	first := Method{Name: "first", Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		return Outcome{TestPred: []int{0, 0, 1}}, nil
	}}
	seeds := []int64{1, 2, 3}
	zero, err := Compare(task, []Method{first}, seeds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	def, err := Compare(task, []Method{first}, seeds, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if zero.Markdown() != def.Markdown() || zero.Level != 0.95 {
		t.Errorf("zero options:\n%s\nDefaultOptions:\n%s\nlevel %v; want the same tables at 0.95", zero.Markdown(), def.Markdown(), zero.Level)
	}
}
