// Package metrics scores classifiers: accuracy, precision, recall and F1 (per class and
// macro-averaged), the confusion matrix, mean ± standard deviation over seeds, and
// percentile-bootstrap confidence intervals.
//
// Predictions and gold labels are plain []int class indices in [0, numClasses), as in
// data.Example.Label. All functions are pure: no globals, no hidden state; BootstrapCI
// draws from its own generator seeded by the caller.
//
// # Errors
//
// The scoring functions (Accuracy, Confusion, Classification, MacroF1, BootstrapCI) have
// plain return values so that they compose, e.g. Accuracy can be passed to BootstrapCI.
// Like gonum, they panic with a message naming the problem when given inconsistent input
// (pred and gold of different lengths, no examples, a label outside [0, numClasses)):
// that is a bug in the caller, not a runtime condition. Code that scores labels it
// did not produce itself (a user's file, a CLI) calls Check first, which returns the
// same problem as an error.
//
// # Conventions
//
// The definitions follow scikit-learn (precision_recall_fscore_support and
// classification_report with labels=range(numClasses), zero_division=0): a class that
// is never predicted has precision 0, a class absent from gold has recall 0, F1 is 0 when
// precision + recall is 0, and macro averages are unweighted means over all numClasses
// classes, including those with no support.
package metrics
