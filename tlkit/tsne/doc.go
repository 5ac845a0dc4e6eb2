// Package tsne computes t-SNE embeddings (van der Maaten & Hinton, "Visualizing Data
// using t-SNE", JMLR 2008) of up to a few thousand vectors, e.g. sentence embeddings,
// into 2-D for a scatter plot.
//
// It is the exact algorithm, O(n²) in time and memory per iteration, in plain Go:
//
//  1. optionally, PCA to Options.PCADims dimensions (50 by default), which speeds up the
//     distances and removes noise;
//  2. for each point, a Gaussian over its neighbours whose bandwidth is found by binary
//     search so that its perplexity is Options.Perplexity; the conditional
//     probabilities are symmetrized into P;
//  3. gradient descent on KL(P‖Q), Q being Student-t similarities of the 2-D points,
//     with early exaggeration (P×12 for the first 250 iterations), momentum 0.5 then
//     0.8, and per-coordinate adaptive gains (Jacobs 1988), as in the authors' code.
//
// The result depends only on the input and Options (Seed included), not on the
// number of CPUs: the O(n²) loops are split over goroutines by rows and their partial
// sums are combined in a fixed order.
//
// t-SNE preserves neighbourhoods, not distances: the sizes of clusters and the gaps
// between them in the plot mean little.
package tsne
