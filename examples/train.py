"""A training loop for a small CNN classifier on 32x32 images (CIFAR-sized)."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(64 * 8 * 8, 128)
        self.dropout = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = self.flatten(x)
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        return self.fc2(x)


def make_loaders(n=512, batch_size=64):
    x = torch.randn(n, 3, 32, 32)
    y = torch.randint(0, 10, (n,))
    train = TensorDataset(x[: n * 3 // 4], y[: n * 3 // 4])
    val = TensorDataset(x[n * 3 // 4 :], y[n * 3 // 4 :])
    return DataLoader(train, batch_size=batch_size, shuffle=True), DataLoader(val, batch_size=batch_size)


def evaluate(model, loader, criterion):
    model.eval()
    losses = []
    with torch.no_grad():
        for xb, yb in loader:
            losses.append(criterion(model(xb), yb).item())
    return float(np.mean(losses))


def train(epochs=5, lr=1e-3):
    model = SmallCNN()
    train_loader, val_loader = make_loaders()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.05)
    for epoch in range(epochs):
        model.train()
        batch_losses = []
        for xb, yb in train_loader:
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        val_loss = evaluate(model, val_loader, criterion)
        print(f"epoch {epoch}: train {np.mean(batch_losses):.3f} val {val_loss:.3f}")
    return model


if __name__ == "__main__":
    train()
