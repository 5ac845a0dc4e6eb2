package train

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Status is a snapshot of a run, passed to a Progress after each step and evaluation.
type Status struct {
	// Step is the number of steps done, of TotalSteps; Epoch the current epoch (0-based), of
	// Epochs.
	Step, TotalSteps, Epoch, Epochs int
	// Loss is the mean training loss of the last few steps.
	Loss float64
	// Metric is the latest evaluation (if HasMetric), BestMetric the best so far.
	Metric, BestMetric float64
	HasMetric          bool
	// Elapsed is the time since the run (or its resumption) started.
	Elapsed time.Duration
	// History is the run's history so far (read-only).
	History *History
}

// Progress displays a run's progress.
type Progress interface {
	// Update is called after each step and each evaluation.
	Update(s Status)
	// Done is called once at the end, with the run's error (nil on success).
	Done(s Status, err error)
}

// AutoProgress returns NotebookProgress() inside a GoNB notebook and TerminalProgress on
// standard error otherwise.
func AutoProgress() Progress {
	if gonbui.IsNotebook {
		return NotebookProgress()
	}
	return TerminalProgress(os.Stderr)
}

// NoProgress returns a Progress that shows nothing.
func NoProgress() Progress { return noProgress{} }

type noProgress struct{}

func (noProgress) Update(Status)      {}
func (noProgress) Done(Status, error) {}

// TerminalProgress returns a progress bar written to w: redrawn in place (with \r), at most
// 5 times a second, when w is a terminal; otherwise a plain line at each evaluation and at
// every 10% of the steps.
func TerminalProgress(w io.Writer) Progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &terminalProgress{w: w, tty: tty}
}

type terminalProgress struct {
	w         io.Writer
	tty       bool
	last      time.Time
	lastEvals int
	lastTenth int
}

// line formats the status on one line.
func (s Status) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %d/%d", s.Step, s.TotalSteps)
	if s.Epochs > 0 {
		fmt.Fprintf(&b, "  epoch %d/%d", min(s.Epoch+1, s.Epochs), s.Epochs)
	}
	if !math.IsNaN(s.Loss) {
		fmt.Fprintf(&b, "  loss %.4f", s.Loss)
	}
	if s.HasMetric {
		fmt.Fprintf(&b, "  dev %.4f (best %.4f)", s.Metric, s.BestMetric)
	}
	fmt.Fprintf(&b, "  %s", s.Elapsed.Round(time.Second))
	if s.Step > 0 && s.Step < s.TotalSteps {
		left := time.Duration(float64(s.Elapsed) / float64(s.Step) * float64(s.TotalSteps-s.Step))
		fmt.Fprintf(&b, " (~%s left)", left.Round(time.Second))
	}
	return b.String()
}

func bar(step, total, width int) string {
	if total <= 0 {
		return ""
	}
	n := min(width, step*width/total)
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "] "
}

func (p *terminalProgress) Update(s Status) {
	evals := 0
	if s.History != nil {
		evals = len(s.History.Evals)
	}
	if p.tty {
		if time.Since(p.last) < 200*time.Millisecond && evals == p.lastEvals {
			return
		}
		p.last, p.lastEvals = time.Now(), evals
		fmt.Fprintf(p.w, "\r%s%s\x1b[K", bar(s.Step, s.TotalSteps, 30), s.line())
		return
	}
	tenth := 0
	if s.TotalSteps > 0 {
		tenth = s.Step * 10 / s.TotalSteps
	}
	if evals != p.lastEvals || tenth != p.lastTenth {
		p.lastEvals, p.lastTenth = evals, tenth
		fmt.Fprintln(p.w, s.line())
	}
}

func (p *terminalProgress) Done(s Status, err error) {
	if p.tty {
		fmt.Fprintf(p.w, "\r%s%s\x1b[K\n", bar(s.Step, s.TotalSteps, 30), s.line())
	} else {
		fmt.Fprintln(p.w, s.line())
	}
	if err != nil {
		fmt.Fprintf(p.w, "training stopped: %v\n", err)
	}
}

// NotebookProgress returns a Progress for GoNB notebooks: a live cell output (updated at most
// twice a second with gonbui.UpdateHTML) showing the step, epoch, loss and dev metric with a
// sparkline of the loss, replaced at the end by a final, persistent gonbui.DisplayHTML.
func NotebookProgress() Progress {
	return &notebookProgress{id: "tlkit-train-" + gonbui.UniqueID()}
}

type notebookProgress struct {
	mu        sync.Mutex
	id        string
	last      time.Time
	lastEvals int
}

func (p *notebookProgress) Update(s Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	evals := 0
	if s.History != nil {
		evals = len(s.History.Evals)
	}
	if time.Since(p.last) < 500*time.Millisecond && evals == p.lastEvals {
		return
	}
	p.last, p.lastEvals = time.Now(), evals
	gonbui.UpdateHTML(p.id, StatusHTML(s, nil))
}

func (p *notebookProgress) Done(s Status, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	gonbui.UpdateHTML(p.id, "") // Clear the transient output.
	gonbui.DisplayHTML(StatusHTML(s, err))
}

// StatusHTML renders s (and err, if any) as a small HTML block with a progress bar, the
// numbers, and SVG sparklines of the training loss and of the dev metric.
func StatusHTML(s Status, err error) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;font-size:90%">`)
	pct := 0.0
	if s.TotalSteps > 0 {
		pct = 100 * float64(s.Step) / float64(s.TotalSteps)
	}
	fmt.Fprintf(&b, `<div style="width:300px;height:8px;border:1px solid #888;display:inline-block"><div style="width:%.1f%%;height:100%%;background:#4a90d9"></div></div> `, pct)
	b.WriteString(html.EscapeString(s.line()))
	if s.History != nil && len(s.History.Loss) > 1 {
		b.WriteString(`<br>loss `)
		b.WriteString(sparkline(s.History.Loss, 300, 40, "#d9534f"))
		if len(s.History.Evals) > 1 {
			metrics := make([]float64, len(s.History.Evals))
			for i, e := range s.History.Evals {
				metrics[i] = e.Metric
			}
			b.WriteString(` dev `)
			b.WriteString(sparkline(metrics, 150, 40, "#5cb85c"))
		}
	}
	if err != nil {
		fmt.Fprintf(&b, `<br><span style="color:#c00">training stopped: %s</span>`, html.EscapeString(err.Error()))
	}
	b.WriteString(`</div>`)
	return b.String()
}

// sparkline renders values as an inline SVG polyline (at most 300 points: longer series are
// averaged in bins).
func sparkline(values []float64, width, height int, colour string) string {
	const maxPoints = 300
	if len(values) > maxPoints {
		binned := make([]float64, maxPoints)
		for i := range binned {
			lo, hi := i*len(values)/maxPoints, (i+1)*len(values)/maxPoints
			sum := 0.0
			for _, v := range values[lo:hi] {
				sum += v
			}
			binned[i] = sum / float64(hi-lo)
		}
		values = binned
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	var pts strings.Builder
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		x := float64(i) * float64(width-2) / float64(max(len(values)-1, 1))
		y := float64(height-2) * (1 - (v-lo)/(hi-lo))
		fmt.Fprintf(&pts, "%.1f,%.1f ", x+1, y+1)
	}
	return fmt.Sprintf(`<svg width="%d" height="%d" style="vertical-align:middle;background:#f8f8f8"><polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/></svg>`,
		width, height, colour, strings.TrimSpace(pts.String()))
}
