// Package notebooks holds gotl's Jupyter notebooks (*.ipynb, run with the GoNB kernel) and
// the test that checks the notebook server setup: that `jupyter notebook` starts, lists the
// GoNB kernel with GOEXPERIMENT=simd, starts it, and serves these notebooks.
//
// The notebooks themselves are executed by `make test` (quick mode, TLKIT_QUICK=1) and
// `make run-notebooks` (full mode, outputs saved in place); see .ci/notebooks.sh.
// There is no Go API here.
package notebooks
