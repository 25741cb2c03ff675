"""Less common layers: Bilinear, lazy layers, PixelShuffle/Unshuffle, Unflatten, padding, norms, softmax."""
import torch
import torch.nn as nn


class SuperResolution(nn.Module):
    """ESPCN-style sub-pixel upscaling (Shi et al., 2016)."""

    def __init__(self, upscale_factor=3, channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 64, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(64, 64, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(64, 32, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(32, channels * upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self.unshuffle = nn.PixelUnshuffle(2)
        self.norm = nn.GroupNorm(2, channels * 4)
        self.inorm = nn.InstanceNorm2d(channels * 4, affine=True)
        self.lrn = nn.LocalResponseNorm(2)
        self.pad = nn.ZeroPad2d((1, 0, 2, 1))
        self.reflect = nn.ReflectionPad2d(1)
        self.const = nn.ConstantPad2d(2, 3.5)
        self.act = nn.PReLU()
        self.hard = nn.Hardswish()

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = torch.tanh(self.conv2(x))
        x = self.hard(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        x = self.unshuffle(self.pad(x))
        x = self.lrn(self.inorm(self.norm(x)))
        return self.const(self.reflect(x))


class PairScorer(nn.Module):
    """Scores (user, item) pairs with a bilinear form; the first layer learns its width lazily."""

    def __init__(self, n_users=100, n_items=200, dim=16):
        super().__init__()
        self.users = nn.Embedding(n_users, dim)
        self.items = nn.EmbeddingBag(n_items, dim, mode="mean")
        self.bilinear = nn.Bilinear(dim, dim, 8)
        self.lazy = nn.LazyLinear(12)
        self.unflatten = nn.Unflatten(1, (3, 4))
        self.flatten = nn.Flatten(start_dim=1)
        self.softmax = nn.Softmax(dim=-1)
        self.score = nn.Linear(12, 1)

    def forward(self, pairs):
        # pairs: (batch, 1 + items_per_user) of ids; column 0 is the user.
        user = self.users(pairs[:, 0])
        items = self.items(pairs[:, 1:])
        x = self.bilinear(user, items)
        x = self.lazy(x)
        x = self.softmax(self.unflatten(x))
        return self.score(self.flatten(x))
