#!/usr/bin/python3
"""Training step time of a USE-lite-shaped transformer classifier in PyTorch CPU, for `make bench`.

Usage: /usr/bin/python3 bench/torch_step.py [--batch 32] [--lengths 32,64] [--steps 20]
                                            [--warmup 3] [--threads 2]

Prints one JSON object: {"torch": VERSION, "blas": ..., "threads": N,
"train": [{"length": L, "batch": B, "steps": S, "ms_per_step": T}, ...]}.

The model is the one bench/gotl times (tlkit's fine-tuning model on USE-lite): token embeddings
8002×256, x = 2·e + sinusoidal timing; two pre-norm transformer layers of width 512 (4 heads,
the first projects its residual 256→512), ReLU feed-forward 1536; a pooler (masked mean, dense
tanh, L2 normalisation); dropout 0.1 and a linear 2-class head; softmax cross-entropy and AdamW
(lr 1e-4, weight decay 0.01) on random token ids, every row exactly L tokens long. A step is
forward, backward and the optimizer update, as in gotl.

Run with Debian's python3-torch and libopenblas0-pthread installed (bench/run.sh checks it).
"""
import argparse
import json
import math
import time

import torch
from torch import nn
import torch.nn.functional as F

VOCAB, EMBED, HIDDEN, FFN, HEADS = 8002, 256, 512, 1536, 4


class Layer(nn.Module):
    def __init__(self, width_in, project_residual):
        super().__init__()
        self.norm1 = nn.LayerNorm(width_in, eps=1e-6)
        self.qkv = nn.Linear(width_in, 3 * HIDDEN)
        self.out = nn.Linear(HIDDEN, HIDDEN)
        self.residual = nn.Linear(width_in, HIDDEN) if project_residual else None
        self.norm2 = nn.LayerNorm(HIDDEN, eps=1e-6)
        self.ffn1 = nn.Linear(HIDDEN, FFN)
        self.ffn2 = nn.Linear(FFN, HIDDEN)

    def forward(self, x, token_mask, key_bias):
        b, n, _ = x.shape
        hd = HIDDEN // HEADS
        q, k, v = self.qkv(self.norm1(x)).split(HIDDEN, dim=-1)
        q = q.view(b, n, HEADS, hd).transpose(1, 2) / math.sqrt(hd)
        k = k.view(b, n, HEADS, hd).transpose(1, 2)
        v = v.view(b, n, HEADS, hd).transpose(1, 2)
        w = torch.softmax(q @ k.transpose(-1, -2) + key_bias, dim=-1)
        ctx = (w @ v).transpose(1, 2).reshape(b, n, HIDDEN)
        res = x if self.residual is None else self.residual(x) * token_mask
        y = self.out(ctx) + res
        f = self.ffn2(F.relu(self.ffn1(self.norm2(y))))
        return f * token_mask + y


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, EMBED)
        inv = torch.exp(torch.arange(EMBED // 2, dtype=torch.float32) * (-math.log(1e4) / (EMBED // 2 - 1)))
        self.register_buffer("inv_timescales", inv)
        self.layer0 = Layer(EMBED, True)
        self.layer1 = Layer(HIDDEN, False)
        self.pooler = nn.Linear(HIDDEN, HIDDEN)
        self.head = nn.Linear(HIDDEN, 2)

    def forward(self, ids, mask):
        n = ids.shape[1]
        mask_f = mask.float()
        token_mask = mask_f.unsqueeze(-1)
        key_bias = ((1 - mask_f) * -1e9)[:, None, None, :]
        e = self.emb(ids)
        t = torch.arange(n, dtype=torch.float32)[:, None] * self.inv_timescales[None, :]
        x = (e + (e + torch.cat([t.sin(), t.cos()], -1)[None])) * token_mask
        x = self.layer0(x, token_mask, key_bias)
        x = self.layer1(x, token_mask, key_bias) * token_mask
        mean = x.sum(1) / mask_f.sum(-1, keepdim=True).clamp(min=1)
        h = torch.tanh(self.pooler(mean))
        pooled = h * torch.rsqrt((h * h).sum(-1, keepdim=True).clamp(min=1e-12))
        return self.head(F.dropout(pooled, 0.1, self.training))


def time_steps(batch, length, warmup, steps):
    torch.manual_seed(1)
    model = Classifier()
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    mask = torch.ones(batch, length, dtype=torch.bool)

    def step():
        ids = torch.randint(0, 8000, (batch, length))
        ys = torch.randint(0, 2, (batch,))
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, mask), ys)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) * 1000 / steps


def blas_info():
    """The BLAS library PyTorch's process has loaded (from /proc/self/maps)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line}
        return sorted(libs)
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lengths", default="32,64")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = []
    for length in (int(x) for x in args.lengths.split(",")):
        ms = time_steps(args.batch, length, args.warmup, args.steps)
        results.append({"length": length, "batch": args.batch, "steps": args.steps, "ms_per_step": ms})
    print(json.dumps({"torch": torch.__version__, "blas": blas_info(), "threads": torch.get_num_threads(),
                      "train": results}, indent=2))


if __name__ == "__main__":
    main()
