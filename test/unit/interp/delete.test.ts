// `del` of a module's attribute removes the submodule or parameter, as Module.__delattr__ does: DETR builds a
// ResNet-50 backbone and deletes its classifier (`del self.backbone.fc`). Counts are worked by hand.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

const BACKBONE = `${HEADER}
class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 10)
        self.scale = nn.Parameter(torch.ones(8))

    def forward(self, x):
        return self.conv(x)
`;

describe('del of attributes', () => {
  it('drops a deleted submodule from the model and its parameter count', () => {
    const text = `${BACKBONE}
class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        del self.backbone.fc

    def forward(self, x):
        return self.backbone(x)
`;
    const s = summary(text, { model: 'Detector()', inputs: ['1,3,10,10'] });
    expect(outputs(s)).toEqual([['backbone.conv', [1, 8, 8, 8]]]);
    // conv 3*8*3*3 + 8 = 224, scale 8; the deleted fc (8*10 + 10 = 90) is gone.
    expect(s.params).toBe(232);
  });

  it('drops a deleted parameter and a plain attribute', () => {
    const text = `${BACKBONE}
class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        del self.backbone.scale
        self.width = 4
        del self.width
        self.head = nn.Linear(8, getattr(self, 'width', 2))

    def forward(self, x):
        return self.head(self.backbone(x).mean((2, 3)))
`;
    const s = summary(text, { model: 'Detector()', inputs: ['1,3,10,10'] });
    // conv 224, fc 90, head 8*2 + 2 = 18; the deleted scale (8) is gone.
    expect(s.params).toBe(332);
    expect(outputs(s)).toEqual([['backbone.conv', [1, 8, 8, 8]], ['head', [1, 2]]]);
  });
});
