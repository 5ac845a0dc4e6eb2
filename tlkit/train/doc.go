// Package train is gotl's one training loop, shared by every method that updates weights:
// fine-tuning, heads trained on frozen features, and (later) domain adaptation, multi-task
// learning, meta-learning and masked-language-model pretraining.
//
// A training run is configured with New(...)....Done() and started with Trainer.Run. The
// model is a loss function over the variables of a GoMLX model.Store (typically an encoder's
// variables plus a task head); the loop owns everything else:
//
//   - AdamW (decoupled weight decay, bias correction) built into the step graph, with a
//     per-variable learning-rate multiplier for discriminative (layer-wise decayed) rates;
//   - learning-rate schedules (linear warmup, then linear decay or constant), computed on the
//     host by Schedule.LearningRate and fed to the graph as a scalar each step;
//   - gradual unfreezing (ULMFiT): one more group of variables trainable at each epoch;
//   - a deterministic data order: shuffled per epoch by a seeded PCG, optionally bucketed by
//     length so that padded batches come in few shapes;
//   - evaluation on held-out data, early stopping with patience, and the best weights kept;
//   - checkpoints (best and last) written atomically, from which an interrupted run resumes
//     bit-identically;
//   - a clear error on a NaN or infinite loss;
//   - progress as a terminal bar or a live GoNB cell, and a History of losses and metrics.
//
// Same seed, same data and same options give bit-identical weights and metrics.
//
// Importing the package registers the gradient of Rsqrt in GoMLX (v0.28.2 has none), which
// the LayerNorms of gotl's encoders need to be trained.
//
// On the pure-Go backend, train with GOMLX_BACKEND=go:ops_sequential: gomlx/compute v0.1.2's
// parallel op executor can deadlock in the backward pass (two concurrent large matmuls each
// waiting in workerspool.Pool.Saturate for a worker the other holds). Matmuls still use every
// core with ops_sequential.
package train
