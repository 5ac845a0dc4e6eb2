#!/usr/bin/env bash
# Runs gotl's notebooks with the GoNB kernel: headlessly (execute) or in a Jupyter server (serve).
#
# Usage:
#   .ci/notebooks.sh execute [--quick|--full] [--inplace] [--from-cell N] [NOTEBOOK...]
#       Executes the given notebooks (default: every notebooks/*.ipynb, sorted) with
#       nbclient (.ci/execute_notebook.py, as `jupyter nbconvert --execute`), one at a time. Exits non-zero if any cell of any
#       notebook fails, after trying them all, and prints each failing notebook with its error.
#       --quick (default): TLKIT_QUICK=1; executed copies go to out/notebooks/ (ignored by git).
#       --full: TLKIT_QUICK unset; outputs are saved in place (as with `make run-notebooks`).
#       --inplace: save outputs in place in quick mode too.
#       --from-cell N: execute cells N and later (1-based); earlier cells keep their saved
#       outputs and run only their declarations (for a new section after unchanged cells).
#       $CELL_TIMEOUT (default 1800) bounds each cell, in seconds.
#       Each run appends its wall time and peak memory to out/notebooks/timings.tsv.
#   .ci/notebooks.sh serve
#       Starts `jupyter notebook` on http://${IP:-127.0.0.1}:${PORT:-8888}/ serving notebooks/,
#       with the token $JUPYTER_TOKEN (a random one when unset), and prints the URL to open.
#
# Both modes set TLKIT_DATA to the dataset mirror ../shared/data when it is unset and that
# folder exists. The kernel inherits this script's environment (TLKIT_QUICK, TLKIT_DATA,
# GOMLX_BACKEND, ...); its kernel.json adds PATH and GOEXPERIMENT=simd (see .ci/setup.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export GOEXPERIMENT=simd
export GODEBUG="${GODEBUG:+${GODEBUG},}asyncpreemptoff=1"

# Jupyter runs on Debian's /usr/bin/python3 (installed by .ci/setup.sh), never on whatever
# python3 comes first in PATH.
JUPYTER=/usr/bin/jupyter
KERNEL=gonb
OUT_DIR="${ROOT}/out/notebooks"

die() { printf 'notebooks: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

check_installed() {
	[[ -x "${JUPYTER}" ]] && /usr/bin/python3 -c 'import nbclient' 2>/dev/null || die "${JUPYTER} not found: run 'make setup' (or .ci/setup.sh) first"
	"${JUPYTER}" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "${KERNEL}" ||
		die "the '${KERNEL}' Jupyter kernel is not registered: run 'make setup' (or .ci/setup.sh) first"
}

default_data() {
	if [[ -z "${TLKIT_DATA:-}" && -d "${ROOT}/../shared/data" ]]; then
		TLKIT_DATA="$(cd "${ROOT}/../shared/data" && pwd)"
		export TLKIT_DATA
	fi
}

cmd_execute() {
	local quick=1 inplace=0 inplace_set=0 from_cell=1
	local notebooks=()
	while (($# > 0)); do
		case "$1" in
		--quick) quick=1 ;;
		--full) quick=0 ;;
		--inplace) inplace=1 inplace_set=1 ;;
		--from-cell)
			[[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--from-cell needs a cell number (1-based)"
			from_cell="$2"
			shift
			;;
		-h | --help) usage ;;
		-*) die "unknown flag $1 (see: $0 --help)" ;;
		*) notebooks+=("$1") ;;
		esac
		shift
	done
	if ((quick == 0 && inplace_set == 0)); then
		inplace=1
	fi
	if ((${#notebooks[@]} == 0)); then
		shopt -s nullglob
		notebooks=(notebooks/*.ipynb)
		shopt -u nullglob
		if ((${#notebooks[@]} == 0)); then
			echo "notebooks: no notebooks/*.ipynb to execute"
			return 0
		fi
		# Globs expand sorted (in the C locale: 00-tour before 01-...).
		mapfile -t notebooks < <(printf '%s\n' "${notebooks[@]}" | LC_ALL=C sort)
	fi
	check_installed
	default_data
	if ((quick)); then
		export TLKIT_QUICK=1
	else
		unset TLKIT_QUICK
	fi

	local mode="full"
	((quick)) && mode="quick"
	local where="${OUT_DIR#"${ROOT}/"}/"
	((inplace)) && where="in place"
	echo "notebooks: executing ${#notebooks[@]} notebook(s), ${mode} mode, outputs ${where}; TLKIT_DATA=${TLKIT_DATA:-<unset>}"
	mkdir -p "${OUT_DIR}"

	local failed=() nb name dst log report start
	for nb in "${notebooks[@]}"; do
		[[ -f "${nb}" ]] || die "${nb}: no such notebook"
		name="$(basename "${nb}" .ipynb)"
		log="${OUT_DIR}/${name}.log"
		report="${OUT_DIR}/${name}.error.txt"
		dst="${OUT_DIR}/${name}.ipynb"
		((inplace)) && dst="${nb}"
		rm -f "${report}"
		printf 'notebooks: %-40s ... ' "${nb}"
		start=${SECONDS}
		# The kernel starts in the notebook's own folder, so GONB_DIR is that folder and
		# ${GONB_DIR}/.. is the repository root for notebooks/*.ipynb. The log holds the
		# kernel's own (verbose) logging.
		if /usr/bin/python3 "${ROOT}/.ci/execute_notebook.py" --kernel "${KERNEL}" \
			--timeout "${CELL_TIMEOUT:-1800}" --startup-timeout 300 --report "${report}" --timings "${OUT_DIR}/timings.tsv" \
			--from-cell "${from_cell}" "${nb}" "${dst}" >"${log}" 2>&1; then
			echo "ok ($((SECONDS - start))s)"
		else
			echo "FAILED ($((SECONDS - start))s)"
			failed+=("${nb}")
			if [[ -s "${report}" ]]; then
				cat "${report}" >&2
			else
				tail -n 40 "${log}" >&2
			fi
			echo "  kernel log: ${log#"${ROOT}/"}" >&2
		fi
	done
	if ((${#failed[@]} > 0)); then
		echo "notebooks: ${#failed[@]} of ${#notebooks[@]} failed: ${failed[*]}" >&2
		return 1
	fi
	echo "notebooks: all ${#notebooks[@]} passed"
}

cmd_serve() {
	check_installed
	default_data
	local ip="${IP:-127.0.0.1}" port="${PORT:-8888}"
	if [[ -z "${JUPYTER_TOKEN:-}" ]]; then
		JUPYTER_TOKEN="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"
	fi
	export JUPYTER_TOKEN
	local args=(notebook --no-browser "--ip=${ip}" "--port=${port}" --port-retries=0
		"--notebook-dir=${ROOT}/notebooks")
	[[ "$(id -u)" == 0 ]] && args+=(--allow-root)
	cat <<MSG

  Jupyter (GoNB kernel) is starting; open this URL in a browser:

      http://${ip}:${port}/tree?token=${JUPYTER_TOKEN}

  Notebooks: ${ROOT}/notebooks   TLKIT_DATA=${TLKIT_DATA:-<unset>}   TLKIT_QUICK=${TLKIT_QUICK:-<unset>}
  Stop with Ctrl-C (twice).

MSG
	exec "${JUPYTER}" "${args[@]}"
}

case "${1:-}" in
execute) shift; cmd_execute "$@" ;;
serve) shift; (($# == 0)) || die "serve takes no arguments (use PORT=, IP=, JUPYTER_TOKEN=)"; cmd_serve ;;
*) usage ;;
esac
