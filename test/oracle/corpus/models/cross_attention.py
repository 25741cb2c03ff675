"""Attention modules straight from nn: self-attention, cross-attention with kdim/vdim, a Transformer decoder."""
import torch
import torch.nn as nn


class CrossAttentionFusion(nn.Module):
    """Text tokens attend to image features of another width (kdim/vdim), sequence-first layout."""

    def __init__(self, d_model=64, image_dim=48, heads=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, heads, dropout=0.1)
        self.cross_attn = nn.MultiheadAttention(d_model, heads, kdim=image_dim, vdim=image_dim)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))

    def forward(self, text, image):
        # text: (T, B, d_model), image: (S, B, image_dim)
        attended, _ = self.self_attn(text, text, text)
        x = self.norm1(text + attended)
        fused, weights = self.cross_attn(query=x, key=image, value=image)
        x = self.norm2(x + fused)
        return x + self.ff(x), weights


class TinyDecoder(nn.Module):
    """nn.TransformerDecoder over an encoder memory, batch-first, with a causal mask."""

    def __init__(self, vocab=300, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=128, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=layers)
        self.memory_proj = nn.Linear(32, d_model)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        b, t = tokens.shape
        memory = self.memory_proj(torch.zeros(b, 10, 32))
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        x = self.decoder(self.embed(tokens), memory, tgt_mask=mask)
        return self.lm_head(x)
