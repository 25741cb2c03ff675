"""Dilated, grouped and depthwise-separable convolutions (DeepLab/ASPP and ResNeXt habits)."""
import torch
import torch.nn as nn


class DepthwiseSeparable(nn.Module):
    def __init__(self, c_in, c_out, stride=1, dilation=1):
        super().__init__()
        self.depthwise = nn.Conv2d(c_in, c_in, 3, stride=stride, padding=dilation, dilation=dilation, groups=c_in, bias=False)
        self.pointwise = nn.Conv2d(c_in, c_out, 1, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.pointwise(self.depthwise(x))))


class ASPP(nn.Module):
    def __init__(self, in_channels, out_channels=64, rates=(6, 12, 18)):
        super().__init__()
        branches = [nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels), nn.ReLU())]
        for rate in rates:
            branches.append(nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 3, padding=rate, dilation=rate, bias=False),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(),
            ))
        self.branches = nn.ModuleList(branches)
        self.image_pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.ReLU())
        self.project = nn.Sequential(
            nn.Conv2d(out_channels * (len(rates) + 2), out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
            nn.Dropout(0.5),
        )

    def forward(self, x):
        size = x.shape[-2:]
        outs = [branch(x) for branch in self.branches]
        pooled = self.image_pool(x)
        outs.append(nn.functional.interpolate(pooled, size=size, mode="bilinear", align_corners=False))
        return self.project(torch.cat(outs, dim=1))


class DilatedNet(nn.Module):
    def __init__(self, num_classes=21):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(32),
            nn.ReLU(inplace=True),
        )
        self.block1 = DepthwiseSeparable(32, 64, stride=2)
        self.block2 = DepthwiseSeparable(64, 128, dilation=2)
        self.grouped = nn.Conv2d(128, 128, kernel_size=3, padding=2, dilation=2, groups=8, bias=False)
        self.valid = nn.Conv2d(128, 96, kernel_size=(3, 5), padding="valid")
        self.same = nn.Conv2d(96, 96, kernel_size=(5, 3), padding="same", dilation=(1, 2), padding_mode="reflect")
        self.aspp = ASPP(96)
        self.classifier = nn.Conv2d(64, num_classes, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x = self.stem(x)
        x = self.block1(x)
        x = self.block2(x)
        x = self.grouped(x)
        x = self.valid(x)
        x = self.same(x)
        x = self.aspp(x)
        x = self.classifier(x)
        return nn.functional.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
