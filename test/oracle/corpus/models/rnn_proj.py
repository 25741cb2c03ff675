"""Recurrent encoders: an LSTM with projections (LSTMP, Sak et al. 2014), stacked GRU and Elman RNN."""
import torch
import torch.nn as nn


class SpeechEncoder(nn.Module):
    def __init__(self, n_mels=40, hidden=256, proj=64, layers=3, n_speakers=50):
        super().__init__()
        self.lstm = nn.LSTM(input_size=n_mels, hidden_size=hidden, num_layers=layers, proj_size=proj, batch_first=True)
        self.linear = nn.Linear(proj, proj)
        self.relu = nn.ReLU()
        self.classifier = nn.Linear(proj, n_speakers)

    def forward(self, mels):
        # mels: (batch, frames, n_mels)
        _, (hidden, _) = self.lstm(mels)
        embeds_raw = self.relu(self.linear(hidden[-1]))
        embeds = embeds_raw / (torch.norm(embeds_raw, dim=1, keepdim=True) + 1e-5)
        return self.classifier(embeds)


class RecurrentZoo(nn.Module):
    """Time-major recurrent layers of every kind, with their hidden states passed along."""

    def __init__(self, input_size=20, hidden_size=32):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, num_layers=2, nonlinearity="relu")
        self.gru = nn.GRU(hidden_size, hidden_size, bidirectional=True)
        self.lstm = nn.LSTM(2 * hidden_size, hidden_size, num_layers=2, bidirectional=True, proj_size=8)
        self.cell = nn.GRUCell(16, hidden_size)
        self.out = nn.Linear(hidden_size, 4)

    def forward(self, x):
        # x: (seq, batch, features)
        y, h_rnn = self.rnn(x)
        y, h_gru = self.gru(y)
        y, (h, c) = self.lstm(y)
        last = y[-1]  # (batch, 2 * proj)
        state = self.cell(last, h_gru[0])
        return self.out(state)
