#!/usr/bin/python3
"""Ground truth for the transformer-LM training-memory calculator (src/core/formulas/lmMemory.ts): a GPT-2
style model written here in plain torch (fused QKV, manual attention with softmax and dropout, GELU MLP,
pre-LayerNorm, dropout on embeddings, attention and residuals, tied output layer, cross-entropy loss), run
for one training step on CPU in float32. Measured the way torch_costs.py measures: every storage autograd
saves (saved_tensors_hooks, deduplicated by storage, parameters apart), with and without activation
checkpointing (torch.utils.checkpoint per block), the parameter count and the real Adam state after one step.

Usage: lm_memory.py < config.json   ({"layers", "d_model", "heads", "vocab", "seq_len", "batch"}) prints JSON.
"""

import json
import math
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint


class Block(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.attn_dropout = nn.Dropout(p)
        self.resid_dropout = nn.Dropout(p)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        self.mlp_dropout = nn.Dropout(p)

    def attention(self, x):
        b, s, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (t.view(b, s, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // self.heads))
        mask = torch.ones(s, s, dtype=torch.bool).tril()
        weights = self.attn_dropout(F.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1))
        y = (weights @ v).transpose(1, 2).contiguous().view(b, s, d)
        return self.resid_dropout(self.c_proj(y))

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp_dropout(self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)))))


class GPT(nn.Module):
    def __init__(self, layers, d, heads, vocab, seq_len, p=0.1, checkpoint=False):
        super().__init__()
        self.checkpoint = checkpoint
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(seq_len, d)
        self.drop = nn.Dropout(p)
        self.blocks = nn.ModuleList(Block(d, heads, p) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, tokens, targets):
        s = tokens.shape[1]
        x = self.drop(self.wte(tokens) + self.wpe(torch.arange(s)))
        for block in self.blocks:
            x = torch.utils.checkpoint.checkpoint(block, x) if self.checkpoint else block(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))


def saved_bytes(model, run):
    held = {p.storage().data_ptr() for p in model.parameters()}
    seen = {}

    def pack(tensor):
        key = tensor.storage().data_ptr()
        if key not in held and key not in seen:
            seen[key] = tensor.storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        loss = run()
    return loss, sum(seen.values())


def measure(c):
    result = {}
    for checkpoint in (False, True):
        torch.manual_seed(0)
        model = GPT(c["layers"], c["d_model"], c["heads"], c["vocab"], c["seq_len"], checkpoint=checkpoint).train()
        tokens = torch.randint(c["vocab"], (c["batch"], c["seq_len"]))
        loss, saved = saved_bytes(model, lambda: model(tokens, tokens))
        result["checkpointed_saved_bytes" if checkpoint else "saved_bytes"] = saved
        if not checkpoint:
            loss.backward()
            parameters = [p for p in model.parameters()]
            optimizer = torch.optim.Adam(parameters, lr=1e-3)
            optimizer.step()
            result["params"] = sum(p.numel() for p in parameters)
            result["param_tensors"] = len(parameters)
            result["adam_bytes"] = sum(v.numel() * v.element_size() for state in optimizer.state_dict()["state"].values() for v in state.values() if isinstance(v, torch.Tensor))
    return result


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    json.dump(measure(json.load(sys.stdin)), sys.stdout)
    sys.stdout.write("\n")
