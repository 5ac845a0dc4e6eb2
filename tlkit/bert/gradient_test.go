package bert_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// The gradients of MLMLoss with respect to the encoder's weights match central finite
// differences: attention (queries, keys, values of both layers), position embeddings and the
// head's transform. Weights of spread 0.3 make the attention far from uniform, so a wrong
// softmax or attention gradient shows.
func TestMLMLossGradientMatchesFiniteDifferences(t *testing.T) {
	cfg := tinyConfig()
	cfg.InitializerRange = 0.3
	m, err := bert.New(cfg, writeTinyVocab(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddMLMHead(4); err != nil {
		t.Fatal(err)
	}
	cfg = m.Config()
	ids := [][]int32{{2, 5, 6, 4, 8, 9, 3, 0}, {2, 10, 4, 7, 12, 4, 16, 3}}
	mask := [][]bool{{true, true, true, true, true, true, true, false}, {true, true, true, true, true, true, true, true}}
	positions := []int32{3, 10, 13}
	labels := []int32{7, 11, 9}
	weights := []float32{1, 1, 1}
	names := []string{
		"/embeddings/position_embeddings",
		"/layer_0/attention/query/weights", "/layer_0/attention/key/weights", "/layer_0/attention/value/weights",
		"/layer_1/attention/query/weights", "/layer_1/attention/key/weights",
		"/mlm/transform/weights",
	}
	var vars []*model.Variable
	for _, n := range names {
		v := m.Store().GetVariable(n)
		if v == nil {
			t.Fatalf("the model has no variable %s", n)
		}
		vars = append(vars, v)
	}
	exec, err := model.NewExec(mustBackend(t), m.Store(), func(scope *model.Scope, ids, mask, pos, lab, w *graph.Node) []*graph.Node {
		loss := bert.MLMLoss(scope, cfg, ids, mask, pos, lab, w)
		out := []*graph.Node{loss}
		for _, v := range vars {
			out = append(out, graph.Gradient(loss, v.NodeValue(loss.Graph()))[0])
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	eval := func() (loss float64, grads [][]float32) {
		out, err := exec.Exec(ids, mask, positions, labels, weights)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out[1:] {
			grads = append(grads, tensors.MustCopyFlatData[float32](o))
		}
		return float64(tensors.MustCopyFlatData[float32](out[0])[0]), grads
	}
	_, grads := eval()
	for vi, v := range vars {
		value := tensors.MustCopyFlatData[float32](v.MustValue())
		set := func(i int, x float32) {
			changed := append([]float32(nil), value...)
			changed[i] = x
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(changed, v.Shape().Dimensions...)); err != nil {
				t.Fatal(err)
			}
		}
		for _, i := range []int{0, 5, 17, 40, 101} {
			const eps = 1e-2
			set(i, value[i]+eps)
			up, _ := eval()
			set(i, value[i]-eps)
			down, _ := eval()
			set(i, value[i])
			numeric, analytic := (up-down)/(2*eps), float64(grads[vi][i])
			if math.Abs(numeric-analytic) > 2e-3+0.02*math.Abs(numeric) {
				t.Errorf("d loss / d %s[%d] = %.6f, finite differences give %.6f", names[vi], i, analytic, numeric)
			}
		}
	}
}
