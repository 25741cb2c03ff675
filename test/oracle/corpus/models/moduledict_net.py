"""A multi-head model whose branches live in nn.ModuleDict and are chosen by name."""
import torch
import torch.nn as nn


class MultiTaskNet(nn.Module):
    def __init__(self, in_features=32, hidden=64, tasks=None):
        super().__init__()
        if tasks is None:
            tasks = {"age": 1, "gender": 2, "emotion": 7}
        self.backbone = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.LayerNorm(hidden),
            nn.Tanh(),
            nn.Linear(hidden, hidden),
            nn.ELU(),
        )
        self.heads = nn.ModuleDict({name: nn.Linear(hidden, n) for name, n in tasks.items()})
        self.activations = nn.ModuleDict([
            ["softplus", nn.Softplus()],
            ["logsoftmax", nn.LogSoftmax(dim=-1)],
        ])
        self.task_activation = {"age": "softplus", "gender": "logsoftmax", "emotion": "logsoftmax"}

    def forward(self, x):
        features = self.backbone(x)
        outputs = []
        for name, head in self.heads.items():
            act = self.activations[self.task_activation[name]]
            outputs.append(act(head(features)))
        return torch.cat(outputs, dim=-1)
