#!/usr/bin/python3
"""Ground truth for the costs ML Notes estimates: what real PyTorch does in one training step.

Models are loaded exactly as torch_summary.py loads them (its functions are reused), then run once in
train mode with batch inputs, and four things are measured, each the way PyTorch itself reports it:

  forward FLOPs        torch.profiler with with_flops=True: the FLOPs PyTorch 1.13 counts (aten::conv2d, mm,
                       addmm, bmm, baddbmm; mul and add as elementwise), per op event, attributed to the line
                       outside the torch package that called the torch function it ran in (SourceLines)
  backward FLOPs       the same profiler around backward() of the sum of the output(s)
  saved activations    every tensor autograd saves for backward (torch.autograd.graph.saved_tensors_hooks),
                       deduplicated by storage; parameters and buffers (held anyway) are listed apart
  parameter, gradient  nbytes of model.parameters(), of their .grad after backward, and of the real
  and optimizer bytes  optimizer's state_dict()["state"] tensors after one step (SGD, SGD with momentum,
                       Adam, AdamW)

Usage:
  torch_costs.py --batch < jobs.json    (a JSON list of torch_summary.py jobs, each with optional "amp": true
                                         to measure saved tensors again under torch.autocast("cpu", bfloat16),
                                         and "bfloat16": true to measure the model turned to bfloat16);
                                         prints a JSON list of results or {"error": ...}
"""

import contextlib
import json
import os
import sys
import traceback
import warnings

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode

# This script's folder is sys.path[0], so the summary oracle's loader imports as a module (same models, same inputs).
import torch_summary  # noqa: E402

sys.dont_write_bytecode = True

TORCH_DIR = os.path.join(os.path.dirname(os.path.abspath(torch.__file__)), "")
# Ops whose FLOPs the 1.13 profiler computes; the matrix products count 2 FLOPs per multiply-add.
MATRIX_OPS = {"aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"}
ELEMENTWISE_OPS = {"aten::mul", "aten::add"}

OPTIMIZERS = {
    "sgd": lambda params: torch.optim.SGD(params, lr=0.01),
    "sgd-momentum": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9),
    "adam": lambda params: torch.optim.Adam(params, lr=1e-3),
    "adamw": lambda params: torch.optim.AdamW(params, lr=1e-3),
}


class SourceLines(TorchFunctionMode):
    """Wraps every torch function called from outside the torch package in a profiler range named after the
    calling line (`line:FILE:LINE`), so each aten op the profiler counts can be traced back to that line.
    Nested calls (F.linear calling aten::addmm) stay inside their caller's range."""

    def __init__(self):
        super().__init__()
        self.depth = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self.depth > 0 or getattr(func, "__name__", "") == "__get__":
            return func(*args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None and (frame.f_code.co_filename.startswith(TORCH_DIR) or frame.f_code.co_filename.startswith("<")):
            frame = frame.f_back
        label = f"line:{os.path.abspath(frame.f_code.co_filename)}:{frame.f_lineno}" if frame is not None else "line:?:0"
        self.depth += 1
        try:
            with torch.profiler.record_function(label):
                return func(*args, **kwargs)
        finally:
            self.depth -= 1


def source_line(event):
    """The `FILE:LINE` of the SourceLines range enclosing a profiler event, or '?'."""
    parent = event.cpu_parent
    while parent is not None:
        if parent.name.startswith("line:"):
            return parent.name[len("line:"):]
        parent = parent.cpu_parent
    return "?"


def profiled_flops(events):
    """Matrix-product FLOPs per source line, per op and in total, and elementwise FLOPs, from profiler events."""
    by_line = {}
    matrix = 0
    elementwise = 0
    ops = {}
    for event in events:
        flops = getattr(event, "flops", 0) or 0
        if flops <= 0:
            continue
        if event.name in MATRIX_OPS:
            matrix += flops
            ops[event.name] = ops.get(event.name, 0) + flops
            key = source_line(event)
            by_line[key] = by_line.get(key, 0) + flops
        elif event.name in ELEMENTWISE_OPS:
            elementwise += flops
    return {"matrix_flops": matrix, "elementwise_flops": elementwise, "by_line": by_line, "by_op": ops}


def storage_key(tensor):
    return tensor.storage().data_ptr(), tensor.device.type


def storage_bytes(tensor):
    return tensor.storage().nbytes()


def saved_storages(model, run):
    """Runs `run` while recording every tensor autograd saves; returns (output, report)."""
    held = {}
    for tensor in list(model.parameters()) + list(model.buffers()):
        held[storage_key(tensor)] = storage_bytes(tensor)
    seen = {}

    def pack(tensor):
        key = storage_key(tensor)
        if key not in seen:
            seen[key] = (storage_bytes(tensor), str(tensor.dtype).replace("torch.", ""), key in held)
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        output = run()
    activations = {k: v for k, v in seen.items() if not v[2]}
    by_dtype = {}
    for size, dtype, _ in activations.values():
        by_dtype[dtype] = by_dtype.get(dtype, 0) + size
    return output, {
        "bytes": sum(v[0] for v in activations.values()),
        "storages": len(activations),
        "by_dtype": by_dtype,
        "held_bytes": sum(v[0] for v in seen.values() if v[2]),
    }


def tensors_of(value):
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in tensors_of(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in tensors_of(item)]
    return []


def loss_of(output):
    """The sum of every floating output that requires grad: one backward through all of them."""
    terms = [t.float().sum() for t in tensors_of(output) if t.requires_grad and t.is_floating_point()]
    if not terms:
        raise ValueError("the model's output does not require grad")
    return sum(terms)


def optimizer_state_bytes(model, name):
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = OPTIMIZERS[name](parameters)
    optimizer.step()
    total = 0
    for state in optimizer.state_dict()["state"].values():
        for value in state.values():
            if isinstance(value, torch.Tensor):
                total += value.numel() * value.element_size()
    return total


def measure(job, serial):
    torch.manual_seed(0)
    torch_summary.register_bare_packages(job.get("bare_packages", []), job["file"])
    torch_summary.register_absent_modules(job.get("absent_modules", []))
    module = torch_summary.load_module(job["file"], job.get("package"), serial)
    expression = job.get("model") or torch_summary.default_model_expression(module)
    torch.manual_seed(0)
    model = eval(expression, vars(module))
    model.train()
    dtypes = job.get("dtypes") or [job.get("dtype", "float")] * len(job["inputs"])
    fills = job.get("fills") or [None] * len(job["inputs"])
    inputs = [torch.full(shape, fill or 0, dtype=torch_summary.DTYPES[dtype]) for shape, dtype, fill in zip(job["inputs"], dtypes, fills)]
    # Random values: zeros would make max-pool indices and ReLU masks degenerate but not change any size.
    inputs = [t.uniform_() if t.is_floating_point() and fill is None else t for t, fill in zip(inputs, fills)]
    activities = [torch.profiler.ProfilerActivity.CPU]
    with torch.profiler.profile(activities=activities, with_flops=True, record_shapes=True) as forward_profile:
        with SourceLines():
            output, saved = saved_storages(model, lambda: model(*inputs))
    loss = loss_of(output)
    with torch.profiler.profile(activities=activities, with_flops=True) as backward_profile:
        loss.backward()
    parameters = list(model.parameters())
    result = {
        "model": expression,
        "input": [list(shape) for shape in job["inputs"]],
        "forward": profiled_flops(forward_profile.events()),
        "backward": profiled_flops(backward_profile.events()),
        "saved": saved,
        "params_bytes": sum(p.numel() * p.element_size() for p in parameters),
        "grads_bytes": sum(p.grad.numel() * p.grad.element_size() for p in parameters if p.grad is not None),
        "optimizer_bytes": {name: optimizer_state_bytes(model, name) for name in OPTIMIZERS},
    }
    if job.get("amp"):
        model.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            _, result["saved_amp"] = saved_storages(model, lambda: model(*inputs))
    if job.get("bfloat16"):
        try:
            result["bfloat16"] = measure_bfloat16(model, inputs)
        except RuntimeError as error:  # Some CPU kernels lack bfloat16 (hardtanh's backward in 1.13).
            result["bfloat16"] = {"error": f"{type(error).__name__}: {error}"}
    return result


def measure_bfloat16(model, inputs):
    """The model and its floating inputs turned to bfloat16 (model.to(torch.bfloat16)): saved storages,
    parameter, gradient and optimizer bytes of pure bfloat16 training."""
    model.zero_grad(set_to_none=True)
    model.to(torch.bfloat16)
    low = [t.to(torch.bfloat16) if t.is_floating_point() else t for t in inputs]
    output, saved = saved_storages(model, lambda: model(*low))
    loss_of(output).backward()
    parameters = list(model.parameters())
    return {
        "saved": saved,
        "params_bytes": sum(p.numel() * p.element_size() for p in parameters),
        "grads_bytes": sum(p.grad.numel() * p.grad.element_size() for p in parameters if p.grad is not None),
        "optimizer_bytes": {name: optimizer_state_bytes(model, name) for name in OPTIMIZERS},
    }


def measure_safely(job, serial):
    saved_path = list(sys.path)
    try:
        return measure(job, serial)
    except Exception as error:  # One broken entry must not lose the others' results.
        return {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(limit=6)}
    finally:
        torch_summary.forget_corpus_modules(saved_path)


def main(argv):
    if argv != ["--batch"]:
        sys.stderr.write(__doc__)
        return 2
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    jobs = json.load(sys.stdin)
    with contextlib.redirect_stdout(sys.stderr):
        results = [measure_safely(job, serial) for serial, job in enumerate(jobs)]
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
