#!/usr/bin/python3
"""Executes one Jupyter notebook headlessly and reports the first failing cell clearly.

Used by .ci/notebooks.sh; run with Debian's /usr/bin/python3 (which has nbclient):

    /usr/bin/python3 .ci/execute_notebook.py [--kernel gonb] [--timeout 1800]
        [--startup-timeout 300] [--report FILE] [--timings FILE] [--from-cell N] SRC DST

The kernel starts in SRC's folder (so for GoNB, $GONB_DIR is that folder). On success the
executed notebook is written to DST (which may be SRC itself) and the exit status is 0. On a
failing cell, a timeout or a dead kernel, the partly executed notebook is written to DST only
when DST is not SRC (an in-place run never overwrites a notebook with a failed run); a short
report (notebook, cell number, cell source, the cell's output and error) is printed to
--report (default: stderr), and the exit status is 1.

With --timings FILE, one tab-separated line is appended to FILE for each run: the date, the
notebook, the mode (quick when $TLKIT_QUICK is set, else full), ok or failed, the wall time in
seconds and the peak memory in MiB: the largest resident set of any process the run started
(the kernel and every cell's program; getrusage(RUSAGE_CHILDREN).ru_maxrss). A successful
whole run in full mode also records its wall time in the notebook's metadata
(metadata.gotl.full_mode_seconds), which `make site` shows.

With --from-cell N (1-based, as the failure report counts cells), the cells before N keep
their saved outputs and run only their declarations (a GoNB cell's part before its "%%" line,
and "!" shell lines), so that later cells compile; cells from N on execute as usual. It is for
a notebook whose earlier cells are unchanged since their saved outputs were made: a new
section at the end is executed without repeating hours of earlier training.
"""

import argparse
import datetime
import os
import re
import resource
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_OUTPUT_LINES = 60


def write_atomically(nb, path):
    """Writes nb to path through a temporary file in the same folder, then renames it."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ipynb", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a notebook is an ordinary file.
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def cell_outputs_text(cell):
    """Returns the text of a cell's stream, error and plain-text outputs, ANSI codes removed."""
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(out.get("text", ""))
        elif kind == "error":
            parts.append("%s: %s\n" % (out.get("ename", ""), out.get("evalue", "")))
            parts.extend(line + "\n" for line in out.get("traceback", []))
        elif kind in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain")
            if text:
                parts.append(text if isinstance(text, str) else "".join(text))
    lines = ANSI.sub("", "".join(parts)).rstrip("\n").splitlines()
    if len(lines) > MAX_OUTPUT_LINES:
        lines = ["... (%d lines omitted)" % (len(lines) - MAX_OUTPUT_LINES)] + lines[-MAX_OUTPUT_LINES:]
    return "\n".join(lines)


def append_timing(path, notebook, ok, seconds):
    """Appends the run's wall time and peak memory (see --timings) to path as a TSV line."""
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    mode = "quick" if os.environ.get("TLKIT_QUICK") else "full"
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    new = not os.path.exists(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        if new:
            f.write("date\tnotebook\tmode\tstatus\twall_s\tpeak_rss_mib\n")
        f.write("%s\t%s\t%s\t%s\t%.0f\t%.0f\n" % (
            when, os.path.basename(notebook), mode, "ok" if ok else "failed", seconds, peak_mib))


def declarations(source):
    """The part of a GoNB cell that declares (before its "%%" line): what later cells need."""
    lines = []
    for line in source.splitlines():
        if line.strip() == "%%":
            break
        lines.append(line)
    return "\n".join(lines).strip()


def execute_from(client, nb, first):
    """Executes nb's cells from index first on; earlier code cells run only their declarations,
    in a scratch copy, so that their saved outputs stay as they are."""
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if index >= first:
                client.execute_cell(cell, index)
                continue
            decl = declarations(cell.source)
            if decl:
                # execute_cell stores the cell it ran at index: put the saved one back.
                client.execute_cell(nbformat.v4.new_code_cell(decl), index)
                nb.cells[index] = cell


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="gonb")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=int, default=300, help="seconds for the kernel to start")
    parser.add_argument("--report", help="file for the failure report (default: stderr)")
    parser.add_argument("--timings", help="TSV file to append the wall time and peak memory to")
    parser.add_argument("--from-cell", type=int, default=1,
                        help="execute cells from this one (1-based); earlier cells keep their outputs and run only their declarations")
    parser.add_argument("src")
    parser.add_argument("dst")
    args = parser.parse_args()

    nb = nbformat.read(args.src, as_version=4)
    current = {"index": None}

    def on_cell_start(cell, cell_index, **_):
        current["index"] = cell_index

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.src))}},
        on_cell_start=on_cell_start,
    )
    start = time.monotonic()
    try:
        if args.from_cell <= 1:
            client.execute()
        else:
            execute_from(client, nb, args.from_cell - 1)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        if args.timings:
            append_timing(args.timings, args.src, False, time.monotonic() - start)
        if os.path.abspath(args.dst) != os.path.abspath(args.src):
            write_atomically(nb, args.dst)
        idx = current["index"]
        if isinstance(e, CellTimeoutError):
            what = "timed out after %ds (set CELL_TIMEOUT to change the limit)" % args.timeout
        elif isinstance(e, DeadKernelError):
            what = "killed the kernel (%s)" % e
        else:
            what = "failed"
        lines = []
        if idx is None:
            lines.append("%s: the kernel failed before any cell ran: %s" % (args.src, e))
        else:
            cell = nb.cells[idx]
            code_no = sum(1 for c in nb.cells[: idx + 1] if c.cell_type == "code")
            lines.append("%s: cell %d (code cell #%d) %s:" % (args.src, idx + 1, code_no, what))
            lines.extend("    " + line for line in cell.source.splitlines())
            text = cell_outputs_text(cell)
            if text:
                lines.append("  output:")
                lines.extend("    " + line for line in text.splitlines())
            if isinstance(e, CellExecutionError):
                evalue = ANSI.sub("", e.evalue).strip().splitlines() or [""]
                lines.append("  error: %s: %s" % (e.ename, evalue[0]))
                lines.extend("    " + line for line in evalue[1:])
        if os.path.abspath(args.dst) != os.path.abspath(args.src):
            lines.append("  partly executed notebook: %s" % args.dst)
        report = "\n".join(lines) + "\n"
        if args.report:
            with open(args.report, "w", encoding="utf-8") as f:
                f.write(report)
        else:
            sys.stderr.write(report)
        return 1
    elapsed = time.monotonic() - start
    if args.timings:
        append_timing(args.timings, args.src, True, elapsed)
    if not os.environ.get("TLKIT_QUICK") and args.from_cell <= 1:
        # The run time of a whole full-mode run, for readers (make site shows it).
        nb.metadata.setdefault("gotl", {})["full_mode_seconds"] = round(elapsed)
    write_atomically(nb, args.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
