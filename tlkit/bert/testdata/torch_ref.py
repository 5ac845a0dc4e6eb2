#!/usr/bin/python3
"""Reference BERT forward pass in plain PyTorch, for tlkit/bert's parity test.

Usage: torch_ref.py CHECKPOINT_DIR INPUT_JSON

CHECKPOINT_DIR holds config.json and model.safetensors (as bert.Model.Save writes them, or a
HuggingFace BERT checkpoint). INPUT_JSON is {"ids": [[...], ...], "mask": [[0/1, ...], ...]}:
rows of token ids padded to one length, and the mask of real tokens. Prints
{"states": [batch][length][hidden], "pooled": [batch][hidden]} as JSON on stdout.

An independent implementation of HuggingFace's BertModel (eval mode, token type 0, absolute
positions): it does not use the transformers library. The safetensors file is parsed here with
struct + json + torch.frombuffer.
"""
import json
import math
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = bytearray(raw[8 + n :])
    out = {}
    for name, e in header.items():
        if name == "__metadata__" or e["dtype"] not in DTYPES:
            continue
        begin, end = e["data_offsets"]
        t = torch.frombuffer(data[begin:end], dtype=DTYPES[e["dtype"]]) if end > begin else torch.zeros(0)
        out[name] = t.to(torch.float32).reshape(e["shape"]).clone()
    return out


def main():
    ckpt, inputs_path = sys.argv[1], sys.argv[2]
    with open(ckpt + "/config.json") as f:
        cfg = json.load(f)
    w = load_safetensors(ckpt + "/model.safetensors")
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""

    def p(name):
        return w[prefix + name]

    with open(inputs_path) as f:
        inp = json.load(f)
    ids = torch.tensor(inp["ids"], dtype=torch.long)
    mask = torch.tensor(inp["mask"], dtype=torch.float32)
    batch, length = ids.shape
    hidden = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    head_dim = hidden // heads
    eps = cfg.get("layer_norm_eps", 1e-12)
    act = cfg.get("hidden_act", "gelu")

    def layer_norm(x, name):
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + eps) * p(name + ".weight") + p(name + ".bias")

    def linear(x, name):
        return x @ p(name + ".weight").t() + p(name + ".bias")

    def activation(x):
        if act == "gelu":
            return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
        if act in ("gelu_new", "gelu_pytorch_tanh"):
            return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
        if act == "relu":
            return torch.clamp(x, min=0)
        raise ValueError("unsupported hidden_act " + act)

    with torch.no_grad():
        x = (
            p("embeddings.word_embeddings.weight")[ids]
            + p("embeddings.position_embeddings.weight")[:length].unsqueeze(0)
            + p("embeddings.token_type_embeddings.weight")[0].view(1, 1, hidden)
        )
        x = layer_norm(x, "embeddings.LayerNorm")
        # Extended attention mask as HuggingFace builds it: 0 for real keys, dtype min for padding.
        bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min

        def split(t):
            return t.view(batch, length, heads, head_dim).permute(0, 2, 1, 3)

        for i in range(cfg["num_hidden_layers"]):
            L = "encoder.layer.%d." % i
            q = split(linear(x, L + "attention.self.query"))
            k = split(linear(x, L + "attention.self.key"))
            v = split(linear(x, L + "attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + bias
            probs = torch.softmax(scores, dim=-1)
            ctx = (probs @ v).permute(0, 2, 1, 3).reshape(batch, length, hidden)
            a = layer_norm(linear(ctx, L + "attention.output.dense") + x, L + "attention.output.LayerNorm")
            f = activation(linear(a, L + "intermediate.dense"))
            x = layer_norm(linear(f, L + "output.dense") + a, L + "output.LayerNorm")
        pooled = torch.tanh(linear(x[:, 0], "pooler.dense"))

    json.dump({"states": x.tolist(), "pooled": pooled.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
