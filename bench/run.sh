#!/usr/bin/env bash
# Side-by-side benchmarks of gotl against PyTorch CPU and TF.js on Node (`make bench`).
#
# Usage: bench/run.sh [--quick]
#
# Measures, in one run on this machine:
#   1. the training step time of the same USE-lite-shaped transformer classifier (batch 32,
#      sequence length 32 and 64) in gotl (bench/gotl) and in PyTorch (bench/torch_step.py),
#      printed as the ratio gotl/PyTorch (below 1: gotl is faster); gotl runs twice, with its
#      matrix multiplies in OpenBLAS (when libopenblas.so.0 loads) and in the pure-Go kernels
#      (GOMLX_DOT_BLAS=false), and times the step's largest matrix products alone (GFLOP/s);
#   2. USE-lite's inference throughput (sentences/s) in gotl and in TF.js on Node
#      (@energetic-ai/embeddings, bench/uselite-ref/throughput.mjs) on the same 2000 SST-2
#      sentences, printed as the ratio gotl/TF.js (above 1: gotl is faster);
#   3. the wall time and peak memory of each notebook's latest full-mode run, from
#      out/notebooks/timings.tsv (written by `make run-notebooks`; this script does not rerun
#      them: a full run takes hours).
# --quick times 5 steps instead of 20 and embeds 500 sentences instead of 2000.
#
# Prerequisites, installed here when missing: Debian's python3-torch with
# libopenblas0-pthread (so that PyTorch does not use the reference BLAS; gotl loads the same
# library), and the npm packages
# of bench/uselite-ref (npm ci). Results: out/bench/{gotl,gotl-go,torch,tfjs}.json and
# out/bench/results.md (the table printed at the end).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export GOEXPERIMENT=simd
export GODEBUG="${GODEBUG:+${GODEBUG},}asyncpreemptoff=1"
if [[ -z "${TLKIT_DATA:-}" && -d "${ROOT}/../shared/data" ]]; then
	TLKIT_DATA="$(cd "${ROOT}/../shared/data" && pwd)"
	export TLKIT_DATA
fi
OUT="${ROOT}/out/bench"
STEPS=20 SENTENCES=2000
if [[ "${1:-}" == "--quick" ]]; then
	STEPS=5 SENTENCES=500
elif [[ $# -gt 0 ]]; then
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit 2
fi

say() { printf 'bench: %s\n' "$*" >&2; }
sudo_cmd() { if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi; }

# Prerequisites.
missing=()
dpkg -s python3-torch >/dev/null 2>&1 || missing+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if ((${#missing[@]} > 0)); then
	say "installing ${missing[*]} (apt) ..."
	sudo_cmd apt-get update -qq
	sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ ! -d bench/uselite-ref/node_modules/@energetic-ai/embeddings ]]; then
	say "installing bench/uselite-ref's npm packages (npm ci) ..."
	(cd bench/uselite-ref && npm ci --no-audit --no-fund >/dev/null)
fi
mkdir -p "${OUT}"

say "building bench/gotl ..."
go build -o "${OUT}/gotl-bench" ./bench/gotl
"${OUT}/gotl-bench" -write-sentences "${OUT}/sentences.json" -n "${SENTENCES}"

say "1/3 training step and its matrix products: gotl (${STEPS} steps per length) ..."
"${OUT}/gotl-bench" -matmul "${STEPS}" -steps "${STEPS}" -lengths 32,64 -sentences "${OUT}/sentences.json" >"${OUT}/gotl.json.tmp"
mv "${OUT}/gotl.json.tmp" "${OUT}/gotl.json"
say "1/3 the same with the pure-Go matrix multiply (GOMLX_DOT_BLAS=false) ..."
GOMLX_DOT_BLAS=false "${OUT}/gotl-bench" -matmul "${STEPS}" -steps "${STEPS}" -lengths 32,64 >"${OUT}/gotl-go.json.tmp"
mv "${OUT}/gotl-go.json.tmp" "${OUT}/gotl-go.json"
say "1/3 training step: PyTorch ..."
/usr/bin/python3 bench/torch_step.py --steps "${STEPS}" --lengths 32,64 --threads "$(nproc)" >"${OUT}/torch.json.tmp"
mv "${OUT}/torch.json.tmp" "${OUT}/torch.json"
say "2/3 inference: TF.js on Node (${SENTENCES} sentences) ..."
(cd bench/uselite-ref && node throughput.mjs "${OUT}/sentences.json" 32) >"${OUT}/tfjs.json.tmp"
mv "${OUT}/tfjs.json.tmp" "${OUT}/tfjs.json"

/usr/bin/python3 bench/report.py "${OUT}" "${ROOT}/out/notebooks/timings.tsv" | tee "${OUT}/results.md"
