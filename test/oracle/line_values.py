#!/usr/bin/python3
"""Ground truth for `ml-notes annotate`: what each statement of a model file's code produced when real
PyTorch ran the model, line by line.

The model is built and run once with a tracer on the file's frames (sys.settrace). When a statement
finishes (the frame moves to a line outside it, or returns), the value it produced is read: the targets
of an assignment or augmented assignment from the frame's locals, a return statement's value from the
return event. A `for` loop's carried variables (assigned in its body and bound before it) are read each
time the loop goes back to its header, i.e. after every iteration.

Values are printed as the editor writes them: a tensor as `[1, 64, 56, 56]`, a tuple as `(a, b)`, a list
as `list(a, b)`, None as `None`, ints as numbers.

Usage:
  line_values.py --batch < jobs.json   (a JSON list of {file, model, inputs, dtype, package?}; prints a
                                        JSON list of {"statements": {END_LINE: [values]}, "loops":
                                        {HEADER_LINE: {name: [values]}}} or {"error": ...})
"""

import ast
import contextlib
import json
import os
import sys
import traceback

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_summary import DTYPES, default_model_expression, load_module  # noqa: E402


def show(value):
    if isinstance(value, torch.Tensor):
        return "[" + ", ".join(str(d) for d in value.shape) + "]"
    if isinstance(value, tuple):
        items = [show(v) for v in value[:16]]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "list(" + ", ".join(show(v) for v in value[:16]) + ")"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return str(value)
    return type(value).__name__


def holds_tensor(value):
    if isinstance(value, torch.Tensor):
        return True
    if isinstance(value, (tuple, list)):
        return any(holds_tensor(v) for v in value[:16])
    return False


def target_value(target, frame_locals):
    """The value an assignment target holds now; None when it is not a plain name (or tuple of names)."""
    if isinstance(target, ast.Name):
        return frame_locals.get(target.id, _MISSING)
    if isinstance(target, (ast.Tuple, ast.List)):
        items = [target_value(t, frame_locals) for t in target.elts]
        return _MISSING if any(i is _MISSING for i in items) else tuple(items)
    return _MISSING


_MISSING = object()


def bound_names(target):
    """Names an assignment target rebinds: `x`, `a, b`; not `x[i]` or `self.y` (those mutate, not rebind)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in bound_names(t)]
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    return []


def assigned_names(body):
    names = set()
    for node in body:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Assign):
                for t in sub.targets:
                    names.update(bound_names(t))
            elif isinstance(sub, ast.AugAssign):
                names.update(bound_names(sub.target))
    return names


def computes(value):
    """A right-hand side that computes a new value (not `return x`, `identity = x`, `y = self.scale`)."""
    return value is not None and not isinstance(value, (ast.Name, ast.Attribute, ast.Constant))


class FileIndex:
    """The statements of one file that compute a value (a hint can describe them), by start line, and its
    `for` loops."""

    def __init__(self, path):
        with open(path, encoding="utf8") as handle:
            tree = ast.parse(handle.read())
        self.statements = {}
        self.loops = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.AugAssign) or (isinstance(node, (ast.Assign, ast.Return, ast.AnnAssign)) and computes(node.value)):
                self.statements.setdefault(node.lineno, node)
            elif isinstance(node, ast.For):
                self.loops[node.lineno] = (node, assigned_names(node.body))


class Tracer:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.index = FileIndex(self.path)
        self.statements = {}
        self.loops = {}
        # Per frame: the statement running, and the loops entered (header line -> carried names).
        self.pending = {}
        self.entered = {}

    def finish(self, frame, returned=_MISSING):
        node = self.pending.pop(id(frame), None)
        if node is None:
            return
        if isinstance(node, ast.Return):
            value = returned
        elif isinstance(node, ast.Assign):
            values = [target_value(t, frame.f_locals) for t in node.targets]
            value = values[0] if values else _MISSING
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            value = target_value(node.target, frame.f_locals)
        else:
            value = _MISSING
        if value is not _MISSING:
            self.statements.setdefault(node.end_lineno, []).append(show(value))

    def loop_header(self, frame, line):
        node, names = self.index.loops[line]
        key = (id(frame), line)
        if key not in self.entered:
            self.entered[key] = sorted(n for n in names if n in frame.f_locals)
            return
        carried = self.entered[key]
        record = self.loops.setdefault(line, {})
        for name in carried:
            if name in frame.f_locals and holds_tensor(frame.f_locals[name]):
                record.setdefault(name, []).append(show(frame.f_locals[name]))

    def local(self, frame, event, arg):
        if event == "line":
            pending = self.pending.get(id(frame))
            if pending is not None and not (pending.lineno <= frame.f_lineno <= pending.end_lineno):
                self.finish(frame)
            if frame.f_lineno in self.index.loops:
                self.loop_header(frame, frame.f_lineno)
            node = self.index.statements.get(frame.f_lineno)
            if node is not None and id(frame) not in self.pending:
                self.pending[id(frame)] = node
        elif event == "return":
            self.finish(frame, arg)
            for key in [k for k in self.entered if k[0] == id(frame)]:
                # A loop left by `return` or by running out: its last iteration ends here.
                del self.entered[key]
        return self.local

    def global_trace(self, frame, event, arg):
        if event == "call" and os.path.abspath(frame.f_code.co_filename) == self.path:
            return self.local
        return None


def run(job, serial=0):
    # The model's own prints (nanoGPT warns about slow attention) must not mix with the JSON on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        return run_quietly(job, serial)


def run_quietly(job, serial):
    torch.manual_seed(0)
    module = load_module(job["file"], job.get("package"), serial)
    expression = job.get("model") or default_model_expression(module)
    model = eval(expression, vars(module))
    model.eval()
    dtype = DTYPES[job.get("dtype", "float")]
    inputs = [torch.zeros(*shape, dtype=dtype) for shape in job["inputs"]]
    tracer = Tracer(job["file"])
    sys.settrace(tracer.global_trace)
    try:
        with torch.enable_grad():
            model(*inputs)
    finally:
        sys.settrace(None)
    return {"statements": {str(k): v for k, v in tracer.statements.items()}, "loops": {str(k): v for k, v in tracer.loops.items()}}


def main():
    torch.set_num_threads(1)
    jobs = json.load(sys.stdin)
    out = []
    for serial, job in enumerate(jobs):
        try:
            out.append(run(job, serial))
        except Exception as error:  # one failing model must not hide the others
            out.append({"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=3)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
