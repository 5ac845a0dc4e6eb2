// Package meta is gotl's few-shot learning: episodic sampling and meta-learning on frozen
// sentence features.
//
// A few-shot task, an episode, is an N-way K-shot classification problem: N classes never
// seen in training, K labelled examples of each (the support set) and Q more of each to
// classify (the query set). Meta-learning trains on many such episodes drawn from other
// classes so that the model learns to learn new classes from a handful of examples.
//
// # Data
//
// A Dataset groups labelled texts and their feature vectors (one vector a text, e.g. frozen
// USE-lite sentence embeddings from probe.ExtractFeatures) into classes. FromIntents builds
// one from an intent dataset (CLINC150, Banking77). A Split divides the classes into disjoint
// meta-train, meta-validation and meta-test sets; DomainSplit splits by domain, so that the
// meta-test intents come from domains never seen in meta-training. A Sampler draws episodes
// from one set of classes: Episode(i) depends only on the sampler's seed and i, so the same
// seed always gives the same episodes, in any order, and every method is scored on the same
// test episodes (paired comparisons).
//
// # Methods
//
// Every meta-learned method runs on the frozen features through one meta-learned adaptable
// layer (Config.Layer): by default a linear map of the L2-normalized features, initialised
// to the identity, so that each method starts from the pretrained features themselves; the
// encoder never changes.
//
//   - ProtoNet, Prototypical Networks (Snell et al. 2017, https://arxiv.org/abs/1703.05175):
//     a class is the mean of its support embeddings (its prototype) and a query gets the
//     softmax over minus its scaled squared Euclidean distances to the prototypes. Loss: the
//     query cross-entropy, −log p(y|q) = s‖f(q)−c_y‖² + log Σ_c exp(−s‖f(q)−c‖²).
//   - MAML, Model-Agnostic Meta-Learning (Finn et al. 2017, https://arxiv.org/abs/1703.03400):
//     a classifier is adapted to each episode by a few steps of gradient descent on its
//     support loss, θ' = θ − α∇L_S(θ); the meta-objective is the query loss after adaptation,
//     L_Q(θ'). Its gradient, ∇_θ L_Q(θ') = (I − α∇²L_S(θ))∇L_Q(θ') for one step, holds second
//     derivatives: GoMLX's reverse-mode autodiff differentiates through the inner gradients
//     exactly, since every op of the inner loop's backward graph has a gradient itself
//     (checked against the closed form of a linear model with squared loss, and against
//     finite differences, in the tests). By default the inner loop adapts an N-way head that
//     starts from zero in every episode, on the meta-learned layer's embeddings (ANIL, Raghu
//     et al. 2020, https://arxiv.org/abs/1909.09157; the zero start makes the labelling of
//     the ways irrelevant); Config.AdaptLayer adapts the layer too, Config.LearnHeadInit
//     meta-learns the head's start.
//   - FOMAML, first-order MAML: the same with the inner gradients held constant
//     (StopGradient), i.e. the meta-gradient is ∇L_Q evaluated at the adapted weights.
//   - Reptile (Nichol et al. 2018, https://arxiv.org/abs/1803.02999): adapt the layer and the
//     head to the episode's examples (support and query) by plain gradient descent, then move
//     the initialisation towards the adapted weights: the meta-gradient θ − mean(θ') is fed
//     to Adam. At test time it adapts on the support set alone.
//
// Two baselines need no meta-training: Centroid, the nearest class centroid (cosine) on the
// raw frozen features, and LogReg, a new logistic-regression head trained on each episode's
// support features.
//
// Meta-training runs on tlkit/train's loop (Adam, schedule, evaluation on meta-validation
// episodes with the best weights kept, resumable checkpoints). The training loss recorded
// is the query cross-entropy of the training episodes after adaptation (ProtoNet: with the
// prototypes; Reptile: after adapting on the queries too, so lower).
//
// # Scores
//
// Accuracy is averaged over test episodes and reported with the 95% confidence interval of
// the few-shot literature, 1.96·s/√n over n episodes (Score).
//
// # Experiments
//
// Run is a whole experiment on an encoder's frozen features, configured by Options (start
// from DefaultOptions): feature extraction, the split of an intent dataset, the training of
// every method and its scores on the same test episodes of the meta-test intents and of
// cross-dataset targets, checkpointed and saved so that a second identical Run only reads
// them. Its Result renders the scores as a Markdown table and an episode as HTML. The
// tlkit package exposes it as tlkit.MetaLearn.
package meta
