#!/usr/bin/python3
"""Prints bench/run.sh's results as a Markdown table, with the gotl/PyTorch and gotl/TF.js ratios.

Usage: report.py OUT_DIR TIMINGS_TSV

OUT_DIR holds gotl.json, torch.json and tfjs.json; TIMINGS_TSV is out/notebooks/timings.tsv
(each notebook's latest full-mode run is shown; missing file: no notebook section).
"""
import csv
import json
import os
import platform
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    out, timings = sys.argv[1], sys.argv[2]
    gotl, torch, tfjs = (load(os.path.join(out, n + ".json")) for n in ("gotl", "torch", "tfjs"))
    print("## gotl benchmarks (%s, %d cores)\n" % (platform.processor() or platform.machine(), os.cpu_count()))
    print("### 1. Training step: USE-lite-shaped classifier, batch %d\n" % gotl["train"][0]["batch"])
    print("gotl backend `%s`; PyTorch %s, %d threads, BLAS %s\n" % (
        gotl["backend"], torch["torch"], torch["threads"],
        ", ".join(os.path.basename(b) for b in torch["blas"]) or "?"))
    gotl_go = load(os.path.join(out, "gotl-go.json")) if os.path.exists(os.path.join(out, "gotl-go.json")) else None
    print("gotl's matrix multiplies: %s%s; PyTorch's environment: OPENBLAS_CORETYPE=%s\n" % (
        gotl.get("matmul", "?"),
        "" if gotl_go is None else " (second run: %s)" % gotl_go.get("matmul", "?"),
        os.environ.get("OPENBLAS_CORETYPE", "<unset>")))
    print("| length | gotl ms/step | gotl, pure-Go matmul | PyTorch ms/step | gotl/PyTorch (goal ≤ 1.0 at 32, ≤ 1.1 at 64) |")
    print("|---:|---:|---:|---:|---:|")
    by_len = {r["length"]: r["ms_per_step"] for r in torch["train"]}
    go_len = {r["length"]: r["ms_per_step"] for r in (gotl_go or {}).get("train", [])}
    for r in gotl["train"]:
        t, g = by_len.get(r["length"]), go_len.get(r["length"])
        ratio = "%.2f" % (r["ms_per_step"] / t) if t else "—"
        print("| %d | %.1f | %s | %s | %s |" % (r["length"], r["ms_per_step"], "%.1f" % g if g else "—",
                                             "%.1f" % t if t else "—", ratio))
    products = gotl.get("matmul_products") or []
    if products:
        go_products = {(p["name"], p["n"], p["m"], p["batch"]): p for p in (gotl_go or {}).get("matmul_products", [])}
        print("\n#### The step's matrix products alone (float32, GFLOP/s = 2·batch·n·k·m / time)\n")
        print("| product | batch | n | k | m | gotl (first run) | pure-Go kernels | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for p in products:
            q = go_products.get((p["name"], p["n"], p["m"], p["batch"]))
            print("| %s | %d | %d | %d | %d | %.1f | %s | %s |" % (
                p["name"], p["batch"], p["n"], p["k"], p["m"], p["gflop_per_s"],
                "%.1f" % q["gflop_per_s"] if q else "—", "%.2f" % (p["gflop_per_s"] / q["gflop_per_s"]) if q else "—"))
    inf = gotl.get("inference")
    if inf:
        print("\n### 2. Inference: USE-lite on %d SST-2 sentences\n" % inf["sentences"])
        print("| | sentences/s | first pass (s) |")
        print("|---|---:|---:|")
        print("| gotl | %.1f | %.1f |" % (inf["sentences_per_s"], inf["first_pass_s"]))
        print("| TF.js (%s backend, batch %d) | %.1f | %.1f |" % (
            tfjs["backend"], tfjs["batch"], tfjs["sentences_per_s"], tfjs["first_pass_s"]))
        print("\ngotl/TF.js = **%.2f×** (goal ≥ 2)" % (inf["sentences_per_s"] / tfjs["sentences_per_s"]))
    print("\n### 3. Notebooks, full mode (latest run of each, from out/notebooks/timings.tsv)\n")
    if not os.path.exists(timings):
        print("No full-mode runs recorded: run `make run-notebooks` first.")
        return
    latest = {}
    with open(timings, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["mode"] == "full" and row["status"] == "ok":
                latest[row["notebook"]] = row
    if not latest:
        print("No full-mode runs recorded: run `make run-notebooks` first.")
        return
    print("| notebook | wall time | peak memory (MiB) | run at |")
    print("|---|---:|---:|---|")
    for name in sorted(latest):
        row = latest[name]
        s = int(float(row["wall_s"]))
        print("| %s | %dm%02ds | %s | %s |" % (name, s // 60, s % 60, row["peak_rss_mib"], row["date"]))


if __name__ == "__main__":
    main()
