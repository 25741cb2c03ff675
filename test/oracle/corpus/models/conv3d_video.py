"""A C3D-style video classifier: 3-D convolutions and pooling over (time, height, width)."""
import torch
import torch.nn as nn


class C3DSmall(nn.Module):
    def __init__(self, num_classes=10):
        super(C3DSmall, self).__init__()
        self.conv1 = nn.Conv3d(3, 16, kernel_size=(3, 3, 3), padding=(1, 1, 1))
        self.pool1 = nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.conv2 = nn.Conv3d(16, 32, kernel_size=(3, 3, 3), padding=(1, 1, 1))
        self.pool2 = nn.MaxPool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), ceil_mode=True)
        self.conv3 = nn.Conv3d(32, 32, kernel_size=(1, 3, 3), stride=(1, 2, 2), groups=4)
        self.bn3 = nn.BatchNorm3d(32)
        self.pool3 = nn.AvgPool3d(kernel_size=2, stride=2, padding=1)
        self.up = nn.ConvTranspose3d(32, 8, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.pool = nn.AdaptiveAvgPool3d((1, 2, 2))
        self.fc = nn.Linear(8 * 4, num_classes)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout3d(p=0.2)

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.pool1(x)
        x = self.relu(self.conv2(x))
        x = self.pool2(x)
        x = self.relu(self.bn3(self.conv3(x)))
        x = self.pool3(x)
        x = self.dropout(self.up(x))
        x = self.pool(x)
        x = x.view(-1, 8 * 4)
        return self.fc(x)
