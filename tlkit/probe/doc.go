// Package probe is gotl's feature extraction: sentence vectors from a frozen encoder
// (ExtractFeatures, with a disk cache keyed by the encoder's weights and the texts, and
// ExtractChunkedFeatures for texts longer than the encoder reads) and classifiers trained on
// them (TrainHead: logistic regression or a one-hidden-layer MLP, early stopping on dev).
//
// Run is the method's one call: features of a task's three splits, a head on the training
// split, scores on test. The heads are also the low-level classifier of the other methods:
// the domain classifier of the proxy A-distance (tlkit/adapt) and the logistic baseline of
// few-shot learning (tlkit/meta).
package probe
