"""A 1-D convolutional keyword spotter on raw audio (M5-style) with 'same' padding and upsampling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class M5(nn.Module):
    def __init__(self, n_input=1, n_output=35, stride=16, n_channel=32):
        super().__init__()
        self.conv1 = nn.Conv1d(n_input, n_channel, kernel_size=80, stride=stride)
        self.bn1 = nn.BatchNorm1d(n_channel)
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(n_channel, n_channel, kernel_size=3)
        self.bn2 = nn.BatchNorm1d(n_channel)
        self.pool2 = nn.MaxPool1d(4)
        self.conv3 = nn.Conv1d(n_channel, 2 * n_channel, kernel_size=3)
        self.bn3 = nn.BatchNorm1d(2 * n_channel)
        self.pool3 = nn.MaxPool1d(4)
        self.conv4 = nn.Conv1d(2 * n_channel, 2 * n_channel, kernel_size=3, padding="same", dilation=2)
        self.bn4 = nn.BatchNorm1d(2 * n_channel)
        self.pool4 = nn.MaxPool1d(4)
        self.fc1 = nn.Linear(2 * n_channel, n_output)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(self.bn1(x))
        x = self.pool1(x)
        x = self.conv2(x)
        x = F.relu(self.bn2(x))
        x = self.pool2(x)
        x = self.conv3(x)
        x = F.relu(self.bn3(x))
        x = self.pool3(x)
        x = self.conv4(x)
        x = F.relu(self.bn4(x))
        x = self.pool4(x)
        x = F.avg_pool1d(x, x.shape[-1])
        x = x.permute(0, 2, 1)
        x = self.fc1(x)
        return F.log_softmax(x, dim=2)


class Vocoder(nn.Module):
    """Upsamples a mel spectrogram with transposed 1-D convolutions (output_padding, dilation)."""

    def __init__(self, n_mels=80, channels=(128, 64, 32), ratios=(4, 4, 2)):
        super().__init__()
        layers = [nn.ReflectionPad1d(3), nn.Conv1d(n_mels, channels[0], kernel_size=7)]
        c_in = channels[0]
        for c_out, r in zip(channels[1:] + (channels[-1],), ratios):
            layers += [
                nn.LeakyReLU(0.2),
                nn.ConvTranspose1d(c_in, c_out, kernel_size=2 * r, stride=r, padding=r // 2 + r % 2, output_padding=r % 2),
                nn.Conv1d(c_out, c_out, kernel_size=3, dilation=3, padding=3),
            ]
            c_in = c_out
        layers += [nn.LeakyReLU(0.2), nn.ReplicationPad1d((3, 3)), nn.Conv1d(c_in, 1, kernel_size=7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, mel):
        return self.model(mel)
