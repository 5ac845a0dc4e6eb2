package pretrain

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// stepTimer is a Progress that notes when the first step (which includes compiling the step
// graph) ended and when the last did.
type stepTimer struct {
	first, last time.Time
	steps       int
}

func (s *stepTimer) Update(st train.Status) {
	if st.Step == 1 && s.first.IsZero() {
		s.first = time.Now()
	}
	if st.Step > s.steps {
		s.steps, s.last = st.Step, time.Now()
	}
}
func (*stepTimer) Done(train.Status, error) {}

// BenchmarkPretrain measures the pretraining throughput of the default mini-BERT (DefaultOptions)
// on the Brown corpus: wordpieces a second through a whole training step (forward, backward,
// AdamW), the first step (graph compilation) left out. Run it with a fixed count, as
//
//	go test -run - -bench Pretrain -benchtime 10x ./tlkit/pretrain
func BenchmarkPretrain(b *testing.B) {
	o := DefaultOptions()
	o.Corpora = []string{"brown"}
	o.EvalRows = 0
	o.Steps = b.N + 1
	o.MaxTokens = max(o.Steps*o.BatchSize*(o.SeqLen-2), 20000)
	o.CheckpointEvery = o.Steps
	o.Dir = filepath.Join(b.TempDir(), "run")
	o.Resume = false
	timer := &stepTimer{}
	o.Progress = timer
	b.ResetTimer()
	if _, err := Pretrain(o); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	secs := timer.last.Sub(timer.first).Seconds()
	if timer.steps > 1 && secs > 0 {
		tokens := float64((timer.steps - 1) * o.BatchSize * o.SeqLen)
		b.ReportMetric(tokens/secs, "tokens/s")
		b.ReportMetric(secs/float64(timer.steps-1), "s/step")
	}
}
