package meta

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Config configures a few-shot method: its meta-training and its adaptation to an episode.
// Start from DefaultConfig.
type Config struct {
	// Method is the few-shot method.
	Method Method `json:"method"`
	// Spec is the shape of the meta-training and meta-validation episodes. The Learner
	// classifies episodes of any shape, except with LearnHeadInit (a Spec.Ways-way head).
	Spec Spec `json:"spec"`
	// Layer is the kind of the adaptable layer, the meta-learned layer on the frozen
	// features; Hidden its width (ReLULayer only: LinearLayer keeps the feature width).
	Layer  LayerKind `json:"layer"`
	Hidden int       `json:"hidden"`
	// AdaptLayer makes MAML and FOMAML adapt the adaptable layer in the inner loop as well as
	// the head (full MAML); without it they adapt the head alone on the meta-learned layer's
	// embeddings (ANIL, Raghu et al. 2020), much cheaper. Reptile always adapts both.
	AdaptLayer bool `json:"adapt_layer"`
	// LearnHeadInit meta-learns the head's initial weights (MAML's θ includes the head);
	// without it every episode's head starts from zero, so the first inner step already
	// gives a centroid-like classifier and the labelling of the ways does not matter.
	LearnHeadInit bool `json:"learn_head_init"`
	// ProtoScale is the initial scale of ProtoNet's distances (logits = −s·‖f(q)−c‖², s
	// meta-learned through its logarithm).
	ProtoScale float64 `json:"proto_scale"`
	// MetaBatch is the number of episodes of a meta-training step; Steps the number of steps.
	MetaBatch int `json:"meta_batch"`
	Steps     int `json:"steps"`
	// LearningRate is the meta-optimiser's (Adam) peak learning rate, with a linear decay to 0;
	// WeightDecay its decoupled weight decay (AdamW) of the weight matrices (a LinearLayer's
	// Δ: towards the identity).
	LearningRate float64 `json:"learning_rate"`
	WeightDecay  float64 `json:"weight_decay"`
	// InnerSteps and InnerLR are the steps and learning rate of the per-episode gradient
	// descent of MAML, FOMAML and Reptile in meta-training; EvalInnerSteps the steps when
	// adapting to a support set at evaluation (0: InnerSteps).
	InnerSteps     int     `json:"inner_steps"`
	InnerLR        float64 `json:"inner_lr"`
	EvalInnerSteps int     `json:"eval_inner_steps"`
	// InnerLayerScale multiplies InnerLR for the adaptable layer's parameters when they adapt
	// too (Reptile; MAML and FOMAML with AdaptLayer): the layer has many more inputs than the
	// head, so it takes smaller steps.
	InnerLayerScale float64 `json:"inner_layer_scale"`
	// ValEpisodes is the number of meta-validation episodes evaluated every EvalEvery steps;
	// the weights with the best meta-validation accuracy are kept. Patience stops training
	// after that many evaluations without improvement (0: never).
	ValEpisodes int `json:"val_episodes"`
	EvalEvery   int `json:"eval_every"`
	Patience    int `json:"patience"`
	// LogRegSteps, LogRegLR and LogRegL2 configure the LogReg baseline: full-batch gradient
	// descent steps, learning rate and L2 penalty (L2/2·‖W‖²) of the head trained on each
	// support set.
	LogRegSteps int     `json:"logreg_steps"`
	LogRegLR    float64 `json:"logreg_lr"`
	LogRegL2    float64 `json:"logreg_l2"`
	// Seed seeds the initial weights and the meta-training episodes (meta-validation episodes
	// use Seed+1).
	Seed uint64 `json:"seed"`
	// CheckpointDir, when not empty, keeps the meta-training checkpoints under it, in a
	// subfolder named by the method and a hash of the configuration and the data: a second
	// Train with the same configuration and data restores the trained weights (and history)
	// instead of training again, an interrupted one resumes, and another configuration
	// trains afresh in its own subfolder.
	CheckpointDir string `json:"-"`
	// Progress shows meta-training (nil: none).
	Progress train.Progress `json:"-"`
}

// LayerKind is the kind of the adaptable layer.
type LayerKind int

const (
	// LinearLayer is x·(I + Δ) + b on the L2-normalized features, Δ square and b starting at
	// zero: the methods start from the frozen features themselves (ProtoNet then starts as
	// the nearest-centroid baseline) and meta-learn a linear map of them; weight decay pulls
	// the map back towards the identity.
	LinearLayer LayerKind = iota
	// ReLULayer is relu(x·W + b) on the standardized features (per-feature zero mean, unit
	// variance on the meta-train examples), W of Hidden columns, Glorot-uniform.
	ReLULayer
	// DiagonalLayer is x⊙w + b on the L2-normalized features, w initialised to ones: a
	// learned weight of each feature, D parameters instead of D².
	DiagonalLayer
)

// String returns "linear", "relu" or "diagonal".
func (k LayerKind) String() string {
	switch k {
	case ReLULayer:
		return "relu"
	case DiagonalLayer:
		return "diagonal"
	}
	return "linear"
}

// DefaultConfig returns the defaults of method m for 5-way 1-shot episodes with 15 queries,
// chosen on the meta-validation episodes of CLINC150 with USE-lite features: a LinearLayer
// (identity start); 4 episodes a step, 1000 steps, AdamW at 1e-3 decaying linearly, weight
// decay 3 (towards the identity); meta-validation on 100 episodes every 100 steps, the best
// weights kept.
//
//   - ProtoNet: distance scale 10 to start with.
//   - MAML and FOMAML: the head alone adapts, from zero, in 1 step at rate 30 (large, since
//     the features have unit norm; more steps at smaller rates did worse on meta-validation).
//   - Reptile: layer and head adapt, from the meta-learned layer and a zero head, in 5 steps
//     at rate 5 (the layer at 0.5), 10 steps at evaluation; 2 episodes a step (each episode
//     adapts its own copy of the 512×512 layer: Reptile is the costliest method).
//   - LogReg: 100 steps at rate 1, L2 1e-3.
//
// Seed 1.
func DefaultConfig(m Method) Config {
	cfg := Config{Method: m, Spec: Spec{Ways: 5, Shots: 1, Queries: 15}, Hidden: 256, ProtoScale: 10, MetaBatch: 4, Steps: 1000,
		LearningRate: 1e-3, WeightDecay: 3, InnerSteps: 1, InnerLR: 30, EvalInnerSteps: 1, InnerLayerScale: 0.1, ValEpisodes: 100, EvalEvery: 100,
		LogRegSteps: 100, LogRegLR: 1, LogRegL2: 1e-3, Seed: 1}
	if m == Reptile {
		cfg.InnerSteps, cfg.InnerLR, cfg.EvalInnerSteps, cfg.MetaBatch = 5, 5, 10, 2
	}
	return cfg
}

// evalSteps returns the inner steps of adaptation at evaluation.
func (c Config) evalSteps() int {
	if c.EvalInnerSteps > 0 {
		return c.EvalInnerSteps
	}
	return c.InnerSteps
}

// check returns an error naming the first invalid option.
func (c Config) check() error {
	if err := c.Spec.check(); err != nil {
		return err
	}
	switch {
	case c.Method < Centroid || c.Method > Reptile:
		return fmt.Errorf("meta: unknown method %d", int(c.Method))
	case c.Method == LogReg && (c.LogRegSteps < 1 || c.LogRegLR <= 0 || c.LogRegL2 < 0):
		return fmt.Errorf("meta: LogReg with %d steps at rate %g, L2 %g; want steps ≥ 1, rate > 0, L2 ≥ 0", c.LogRegSteps, c.LogRegLR, c.LogRegL2)
	case !c.Method.MetaTrained():
		return nil
	case c.Layer < LinearLayer || c.Layer > DiagonalLayer:
		return fmt.Errorf("meta: unknown layer kind %d", int(c.Layer))
	case c.Layer == ReLULayer && c.Hidden < 1:
		return fmt.Errorf("meta: %d hidden units; want at least 1", c.Hidden)
	case c.Method == ProtoNet && c.ProtoScale <= 0:
		return fmt.Errorf("meta: ProtoNet scale %g; want > 0", c.ProtoScale)
	case c.MetaBatch < 1 || c.Steps < 1:
		return fmt.Errorf("meta: %d steps of %d episodes; want at least 1 of each", c.Steps, c.MetaBatch)
	case c.LearningRate <= 0 || c.WeightDecay < 0:
		return fmt.Errorf("meta: learning rate %g, weight decay %g; want rate > 0, decay ≥ 0", c.LearningRate, c.WeightDecay)
	case c.Method.Adapts() && (c.InnerSteps < 1 || c.InnerLR <= 0 || c.EvalInnerSteps < 0 || c.InnerLayerScale < 0):
		return fmt.Errorf("meta: %s with %d inner steps (%d at evaluation) at rate %g; want at least 1 step, rate > 0",
			c.Method, c.InnerSteps, c.EvalInnerSteps, c.InnerLR)
	case c.ValEpisodes < 0 || c.EvalEvery < 0 || c.Patience < 0:
		return fmt.Errorf("meta: %d validation episodes every %d steps, patience %d; want none negative", c.ValEpisodes, c.EvalEvery, c.Patience)
	}
	return nil
}
