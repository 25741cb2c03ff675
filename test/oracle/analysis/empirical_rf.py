# Empirical gradient receptive field of real PyTorch modules along the first spatial axis (test/oracle/
# analysis/receptive-field.oracle.test.ts runs it). Reads JSON jobs on stdin: {name, code, model, input,
# positions, first?, seeds?, unpool?}. For output rows o = first … first + positions (centred by default,
# all columns), it backprops a one-hot gradient at channel 0 in eval mode, in float64, and records
# the extent [lo, hi] of input rows with a non-zero gradient (union over seeds, channels and columns).
# `positions` spans whole periods of the layout, so per job it prints the largest and smallest extent,
# the jump (shift of lo across the span / positions) and the start (mean centre minus o·jump; pixel i
# spans [i, i + 1]) as exact fractions.
import json, sys
from fractions import Fraction
import torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)

def swap_max_pools(module):
    # Max pooling's influence set over all inputs is its window; average pooling's gradient shows it
    # deterministically (a max's gradient reaches only the argmax of one particular input).
    for name, child in module.named_children():
        if isinstance(child, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d)) and not child.return_indices:
            cls = {nn.MaxPool1d: nn.AvgPool1d, nn.MaxPool2d: nn.AvgPool2d, nn.MaxPool3d: nn.AvgPool3d}[type(child)]
            setattr(module, name, cls(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
        else:
            swap_max_pools(child)

def measure(job):
    scope = {'torch': torch, 'nn': nn, 'F': F}
    exec(job['code'], scope)
    spans = {}
    for seed in range(job.get('seeds', 2)):
        torch.manual_seed(seed)
        model = eval(job['model'], scope)
        swap_max_pools(model)
        model = model.double().eval()
        x = torch.randn(*job['input'], dtype=torch.float64, requires_grad=True)
        if job.get('unpool'):
            # MaxUnpool alone: its input is x, its indices come from pooling random data of the output size.
            k = job['unpool']
            _, indices = F.max_pool2d(torch.randn(job['input'][0], job['input'][1], job['input'][2] * k, job['input'][3] * k), k, return_indices=True)
            y = model(x, indices)
        else:
            y = model(x)
        h = y.shape[2]
        first = job.get('first', h // 2 - job['positions'] // 2)
        # Twice the span: the first position that reads anything may lie up to a period in.
        last = min(h - 1, first + 2 * job['positions'])
        assert 0 <= first and first + job['positions'] < h, f"{job['name']}: positions outside the output ({h} rows)"
        for o in range(first, last + 1):
            g = torch.zeros_like(y)
            # The whole row o: the field along H is the same at every column, and a column of a
            # transposed conv's gaps would read nothing.
            g[0, 0, o] = 1
            (grad,) = torch.autograd.grad(y, x, g, retain_graph=True)
            rows = grad[0].abs().sum(dim=tuple(d for d in range(grad[0].dim()) if d != 1)).nonzero().flatten().tolist()
            if rows:
                lo, hi = min(rows), max(rows)
                old = spans.get(o)
                spans[o] = (min(lo, old[0]), max(hi, old[1])) if old else (lo, hi)
    # The positions span whole periods: jump from the shift across them, size and start over them.
    n = job['positions']
    assert spans, f"{job['name']}: no output position has a non-zero input gradient"
    first = min(spans)
    assert first + n in spans, f"{job['name']}: position {first + n} reads nothing but {first} does: not a whole period"
    jump = Fraction(spans[first + n][0] - spans[first][0], n)
    period = [(o, spans[o]) for o in range(first, first + n) if o in spans]
    sizes = [hi - lo + 1 for _, (lo, hi) in period]
    start = sum(Fraction(lo + hi + 1, 2) - o * jump for o, (lo, hi) in period) / len(period)
    return {'name': job['name'], 'size': max(sizes), 'min_size': min(sizes), 'jump': str(jump), 'start': str(start), 'covered': len(period), 'positions': n}

jobs = json.load(sys.stdin)
print(json.dumps([measure(j) for j in jobs]))
