"""A small CNN to try ML Notes on: hover a layer, read the shapes after each line, fix the shape error."""
import torch
import torch.nn as nn
import torch.nn.functional as F


# ml-notes: input=[8, 3, 32, 32]
class TinyNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1)
        self.pool = nn.MaxPool2d(2)
        # 32 channels on an 8x8 grid reach this layer: 32 * 8 * 8 = 2048 features, not 4096.
        self.fc = nn.Linear(32 * 16 * 8, num_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)
