# Written for the oracle corpus: configuration math in numpy, sinusoid tables registered as buffers,
# legacy typed constructors, an STFT front end and attention pooling through the functional
# multi-head attention, as speech and seq2seq models write them.
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def sinusoid_table(n_position, d_hid):
    def angles(position):
        return [position / np.power(10000, 2 * (j // 2) / d_hid) for j in range(d_hid)]

    table = np.array([angles(p) for p in range(n_position)])
    table[:, 0::2] = np.sin(table[:, 0::2])
    table[:, 1::2] = np.cos(table[:, 1::2])
    return torch.FloatTensor(table).unsqueeze(0)


def sinusoids(length, channels, max_timescale=10000):
    log_increment = np.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-log_increment * torch.arange(channels // 2))
    scaled = torch.arange(length)[:, np.newaxis] * inv_timescales[np.newaxis, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)


class AttentionPool(nn.Module):
    def __init__(self, width, heads, out_dim):
        super().__init__()
        self.positional = nn.Parameter(torch.randn(17, width) / width ** 0.5)
        self.q_proj = nn.Linear(width, width)
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.c_proj = nn.Linear(width, out_dim)
        self.heads = heads
        self.head = nn.Linear(out_dim, 3)

    def forward(self, x):
        x = x.flatten(start_dim=2).permute(2, 0, 1)
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
        x = x + self.positional[:, None, :].to(x.dtype)
        x, _ = F.multi_head_attention_forward(
            query=x[:1], key=x, value=x,
            embed_dim_to_check=x.shape[-1],
            num_heads=self.heads,
            q_proj_weight=self.q_proj.weight,
            k_proj_weight=self.k_proj.weight,
            v_proj_weight=self.v_proj.weight,
            in_proj_weight=None,
            in_proj_bias=torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            bias_k=None,
            bias_v=None,
            add_zero_attn=False,
            dropout_p=0.0,
            out_proj_weight=self.c_proj.weight,
            out_proj_bias=self.c_proj.bias,
            use_separate_proj_weight=True,
            training=self.training,
            need_weights=False,
        )
        return self.head(x.squeeze(0))


class SpeechEncoder(nn.Module):
    def __init__(self, n_fft=64, hop=16, width=32, n_ctx=40):
        super().__init__()
        self.n_fft = n_fft
        self.hop = hop
        self.register_buffer('window', torch.hann_window(n_fft))
        n_freq = n_fft // 2 + 1
        hidden = int(np.ceil(np.sqrt(n_freq * width)))
        self.conv1 = nn.Conv1d(n_freq, hidden, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(hidden, width, kernel_size=3, stride=2, padding=1)
        self.register_buffer('positional_embedding', sinusoids(n_ctx, width))
        self.register_buffer('pos_table', sinusoid_table(n_ctx, width))
        self.scale = torch.Tensor(1, width, 1)
        self.norm = nn.LayerNorm(width)
        self.pool = AttentionPool(width, heads=4, out_dim=int(np.prod([2, 3])))
        depth_rates = np.linspace(0, 0.2, 3).tolist()
        self.drop = nn.Dropout(depth_rates[1])

    def forward(self, audio):
        spec = torch.stft(audio, self.n_fft, self.hop, window=self.window, return_complex=True)
        magnitudes = spec[..., :-1].abs() ** 2
        mel = torch.clamp(magnitudes, min=1e-10).log10()
        x = F.gelu(self.conv1(mel))
        x = F.gelu(self.conv2(x))
        x = x.permute(0, 2, 1)
        x = self.drop(x + self.positional_embedding[: x.shape[1]] + self.pos_table[:, : x.shape[1]])
        x = self.norm(x)
        frames = torch.div(torch.tensor(x.shape[1]), 4, rounding_mode='floor')
        grid = x[:, :16].transpose(1, 2).reshape(x.shape[0], x.shape[2], 4, 4)
        return self.pool(grid), frames
