#!/usr/bin/python3
"""Renders the notebooks, with their saved outputs, to a static HTML site.

Used by `make site`; run with Debian's /usr/bin/python3 (which has nbconvert):

    /usr/bin/python3 .ci/site.py [--out out/site] [NOTEBOOK...]

Each notebook (default: every notebooks/*.ipynb, sorted) becomes OUT/NAME.html, its plots
inline (nbconvert embeds image outputs as data: URIs), with a link back to OUT/index.html.
The index lists every notebook with its title, its "What you will learn" list and its time to
run in full mode, as the last full run recorded it in the notebook's metadata
(metadata.gotl.full_mode_seconds, written by .ci/execute_notebook.py). Nothing is executed.
Each file is written to a temporary file and renamed into place.
"""

import argparse
import glob
import html
import os
import re
import sys
import tempfile

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

BACK_LINK = '<p style="margin:1em 2em"><a href="index.html">&larr; all notebooks</a></p>'


def write_atomically(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".site-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def summary(nb, path):
    """The notebook's title, its "What you will learn" markdown and its full-mode run time."""
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None or not first.source.lstrip().startswith("# "):
        raise SystemExit("site: %s: the first markdown cell must start with a '# ' title" % path)
    lines = first.source.strip().splitlines()
    title = lines[0][2:].strip()
    learn = []
    for i, line in enumerate(lines):
        if line.strip().lower().startswith("**what you will learn"):
            for item in lines[i + 1:]:
                if not item.strip() and learn:
                    break
                if item.strip():
                    learn.append(item)
            break
    seconds = (nb.metadata.get("gotl") or {}).get("full_mode_seconds")
    if seconds is None:
        run = "time to run: not recorded yet (run it in full mode once)"
    elif seconds < 90:
        run = "time to run in full mode: %d s" % seconds
    else:
        run = "time to run in full mode: about %d min" % round(seconds / 60)
    return title, "\n".join(learn), run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out/site")
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(glob.glob("notebooks/*.ipynb"))
    if not notebooks:
        raise SystemExit("site: no notebooks/*.ipynb (run from the repository root)")
    os.makedirs(args.out, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    entries = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        title, learn, run = summary(nb, path)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + BACK_LINK, body, count=1)
        name = os.path.splitext(os.path.basename(path))[0] + ".html"
        write_atomically(os.path.join(args.out, name), body)
        entries.append((name, title, learn, run))
        print("site: %s -> %s" % (path, os.path.join(args.out, name)))
    items = []
    for name, title, learn, run in entries:
        items.append(
            '<li><h2><a href="%s">%s</a></h2><p class="run">%s</p>%s</li>'
            % (html.escape(name), html.escape(title), html.escape(run), markdown2html(learn) if learn else "")
        )
    index = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gotl notebooks</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
li{margin-bottom:1.5em} h2{margin-bottom:.2em} .run{color:#555;margin:.2em 0}</style></head>
<body><h1>gotl: NLP transfer learning in Go</h1>
<p>Each notebook with the outputs of its last full-mode run; open it in Jupyter
(<code>make notebooks</code>) to run it yourself.</p>
<ol>
%s
</ol></body></html>
""" % "\n".join(items)
    write_atomically(os.path.join(args.out, "index.html"), index)
    print("site: %d notebooks, index %s" % (len(entries), os.path.join(args.out, "index.html")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
