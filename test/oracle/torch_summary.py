#!/usr/bin/python3
"""Ground truth for `ml-notes summary`: build a model with real PyTorch, run it once, print the same JSON.

MAC convention (one multiply-add = 1 MAC; bias additions, activations, softmax, scaling and other
element-wise work are NOT counted). It is computed here independently, per atomic call, from the real
module and the real tensors it received and returned:

  module (and its subclasses)        MACs of one call
  ---------------------------------  ------------------------------------------------------------------
  Conv1d/2d/3d                       out.numel() * (in_channels / groups) * prod(kernel_size)
  ConvTranspose1d/2d/3d              in.numel() * (out_channels / groups) * prod(kernel_size)
  Linear (incl. LazyLinear once      out.numel() * in_features
    materialized)
  Bilinear                           out.numel() * in1_features * in2_features
  MultiheadAttention (one unit)      N * [ L*E*E            (query projection)
                                           + S*kdim*E       (key projection)
                                           + S*vdim*E       (value projection)
                                           + L*S'*E         (Q Kᵀ over all heads)
                                           + L*S'*E         (attention weights · V)
                                           + L*E*E ]        (output projection)
                                     L = target length, S = source length, N = batch (1 if unbatched),
                                     E = embed_dim, S' = S + add_bias_kv + add_zero_attn
  RNN / GRU / LSTM                   steps * Σ_layers Σ_directions G*H*(I_l + R)  (+ steps*H*P per
                                     layer and direction for LSTM proj_size=P)
                                     G = gates (RNN 1, GRU 3, LSTM 4), H = hidden_size,
                                     I_0 = input_size, I_l = D*R for l > 0, D = 2 if bidirectional else 1,
                                     R = proj_size if proj_size > 0 else hidden_size,
                                     steps = N*T (batched), T (unbatched), data rows (PackedSequence)
  RNNCell / GRUCell / LSTMCell       N * G*H*(input_size + hidden_size)
  everything else (norms, activations, pooling, dropout, embedding, padding, upsampling, flatten,
  identity, user-defined leaf modules)                            0

Functional ops written directly in a forward (`q @ k.transpose(-2, -1)`, `F.conv2d`, `torch.matmul`)
belong to no module call, so they are counted nowhere; the model's `macs` is the sum over its calls.

Calls are the atomic module calls: leaf modules (no children) plus MultiheadAttention as one unit (its
out_proj is never called as a module), once per call in execution order; the same module called twice
appears twice. `params` of a call is that module's own parameter count (recursive for
MultiheadAttention). Totals count each shared parameter once, as `model.parameters()` does.

Usage:
  torch_summary.py FILE [--model EXPR] --input 1,3,224,224 [--input ...] [--dtype float|long]
  torch_summary.py --batch < jobs.json      (a JSON list of {file, model, inputs, dtype, dtypes?, fills?,
                                            package?, bare_packages?, absent_modules?}; prints a JSON list of summaries or {"error": ...})

A job's `dtypes` gives one dtype per input (a waveform and its lengths), `fills` the value an input is filled
with instead of zeros (sequence lengths that packing needs to be positive); `bare_packages` names packages whose
__init__ is not run: they are registered as plain packages over their installed folders, so a model file
inside them and the files it imports run unmodified while the package's own start-up (torchtext's loads a C
extension that Debian's build cannot import) is skipped; `absent_modules` are registered empty (a tokenizer
library that a model package imports but its model never uses, and Debian does not package).
"""

import argparse
import contextlib
import importlib.machinery
import importlib.util
import json
import math
import os
import sys
import traceback
import warnings

import torch
import torch.nn as nn
from torch.nn.utils.rnn import PackedSequence

# The corpus lives in the repository: leave no __pycache__ folders next to its files.
sys.dont_write_bytecode = True

DTYPES = {"float": torch.float32, "long": torch.long}

# Where installed packages and the standard library live (sys.path at start, less this script's folder).
# Modules loaded from anywhere else (the corpus, a repository snapshot) are dropped after each job, so two
# corpus folders that both have a `utils.py` or a `models` package do not see each other's.
INSTALLED_ROOTS = tuple(os.path.join(p, "") for p in sys.path[1:] if os.path.isabs(p))

# The number of gates each recurrent layer computes per step.
RNN_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


# ---------------------------------------------------------------------------------------------------
# Shapes in the CLI's JSON schema.

def shape_of(value):
    """A tensor's shape as a list of ints, a tuple/list as a list of shapes, anything else None."""
    if isinstance(value, PackedSequence):
        return list(value.data.shape)
    if isinstance(value, torch.Tensor):
        return list(value.shape)
    if isinstance(value, (tuple, list)):
        return [shape_of(item) for item in value]
    return None


def first_tensor(value):
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, PackedSequence):
        return value.data
    if isinstance(value, (tuple, list)):
        for item in value:
            found = first_tensor(item)
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------------------------------------------
# MACs, one function per row of the convention table above.

def conv_macs(module, inputs, output):
    return output.numel() * (module.in_channels // module.groups) * math.prod(module.kernel_size)


def conv_transpose_macs(module, inputs, output):
    return inputs[0].numel() * (module.out_channels // module.groups) * math.prod(module.kernel_size)


def linear_macs(module, inputs, output):
    return output.numel() * module.in_features


def bilinear_macs(module, inputs, output):
    return output.numel() * module.in1_features * module.in2_features


def attention_lengths(module, query, key):
    """(N, L, S) from the real query and key tensors, honouring batch_first and unbatched inputs."""
    if query.dim() == 2:
        return 1, query.shape[0], key.shape[0]
    if module.batch_first:
        return query.shape[0], query.shape[1], key.shape[1]
    return query.shape[1], query.shape[0], key.shape[0]


def multihead_attention_macs(module, inputs, output):
    query, key = inputs[0], inputs[1]
    n, target, source = attention_lengths(module, query, key)
    e = module.embed_dim
    attended = source + (1 if module.bias_k is not None else 0) + (1 if module.add_zero_attn else 0)
    projections = target * e * e + source * module.kdim * e + source * module.vdim * e + target * e * e
    matmuls = 2 * target * attended * e
    return n * (projections + matmuls)


def recurrent_steps(module, inputs):
    data = inputs[0]
    if isinstance(data, PackedSequence):
        return data.data.shape[0]
    if data.dim() == 2:
        return data.shape[0]
    return data.shape[0] * data.shape[1]


def rnn_macs(module, inputs, output):
    gates = RNN_GATES[module.mode]
    hidden = module.hidden_size
    projection = getattr(module, "proj_size", 0)
    recurrent = projection if projection > 0 else hidden
    directions = 2 if module.bidirectional else 1
    per_step = 0
    for layer in range(module.num_layers):
        layer_input = module.input_size if layer == 0 else directions * recurrent
        per_direction = gates * hidden * (layer_input + recurrent) + hidden * projection
        per_step += directions * per_direction
    return recurrent_steps(module, inputs) * per_step


def rnn_cell_macs(module, inputs, output):
    gates = {nn.RNNCell: 1, nn.GRUCell: 3, nn.LSTMCell: 4}[next(c for c in type(module).__mro__ if c in (nn.RNNCell, nn.GRUCell, nn.LSTMCell))]
    batch = inputs[0].shape[0] if inputs[0].dim() == 2 else 1
    return batch * gates * module.hidden_size * (module.input_size + module.hidden_size)


# Looked up along the module's MRO, so subclasses (NonDynamicallyQuantizableLinear) use their base's rule.
MAC_RULES = {
    nn.Conv1d: conv_macs,
    nn.Conv2d: conv_macs,
    nn.Conv3d: conv_macs,
    nn.ConvTranspose1d: conv_transpose_macs,
    nn.ConvTranspose2d: conv_transpose_macs,
    nn.ConvTranspose3d: conv_transpose_macs,
    nn.Linear: linear_macs,
    nn.Bilinear: bilinear_macs,
    nn.MultiheadAttention: multihead_attention_macs,
    nn.RNNBase: rnn_macs,
    nn.RNNCellBase: rnn_cell_macs,
}


def macs_of(module, inputs, output):
    for cls in type(module).__mro__:
        rule = MAC_RULES.get(cls)
        if rule is not None:
            return int(rule(module, inputs, output if isinstance(output, torch.Tensor) else first_tensor(output)))
    return 0


# ---------------------------------------------------------------------------------------------------
# Recording atomic calls.

def is_atomic(module):
    return isinstance(module, nn.MultiheadAttention) or next(module.children(), None) is None


def atomic_modules(model):
    """(path, module) for every atomic module, skipping everything inside a MultiheadAttention."""
    inside_attention = set()
    for path, module in model.named_modules():
        if isinstance(module, nn.MultiheadAttention):
            inside_attention.update(id(m) for m in module.modules() if m is not module)
    return [(path, m) for path, m in model.named_modules() if is_atomic(m) and id(m) not in inside_attention]


def capture_attention_arguments(module, record):
    """MHA is often called with keywords; forward hooks in torch 1.13 see positional args only."""
    original = module.forward

    def forward(query, key, value, *args, **kwargs):
        record[id(module)] = (query, key, value)
        return original(query, key, value, *args, **kwargs)

    module.forward = forward


def record_calls(model, run):
    calls = []
    pending = {}
    attention_arguments = {}
    handles = []
    for path, module in atomic_modules(model):
        if isinstance(module, nn.MultiheadAttention):
            capture_attention_arguments(module, attention_arguments)

        def pre_hook(mod, inputs, path=path):
            # The slot is taken before the call so the order is the order calls start.
            pending.setdefault(id(mod), []).append(len(calls))
            calls.append(None)

        def post_hook(mod, inputs, output, path=path):
            slot = pending[id(mod)].pop()
            seen = attention_arguments.pop(id(mod), None) if isinstance(mod, nn.MultiheadAttention) else None
            mac_inputs = seen if seen is not None else inputs
            calls[slot] = {
                "path": path,
                "type": type(mod).__name__,
                "input": [shape_of(x) for x in (seen if seen is not None else inputs)],
                "output": shape_of(output),
                "params": sum(p.numel() for p in mod.parameters()),
                "macs": macs_of(mod, mac_inputs, output),
            }

        handles.append(module.register_forward_pre_hook(pre_hook))
        handles.append(module.register_forward_hook(post_hook))
    try:
        output = run()
    finally:
        for handle in handles:
            handle.remove()
    return output, [c for c in calls if c is not None]


# ---------------------------------------------------------------------------------------------------
# Loading the model file.

def package_root(folder):
    """The folder above the outermost package (a folder with __init__.py) holding `folder`, and the dotted
    package name; (folder, None) when the file is not in a package."""
    parts = []
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    return folder, ".".join(parts) or None


def register_model_guard():
    """torchvision's @register_model refuses a second registration of a name; the copies under the corpus
    re-register names the installed package already registered, so the registry is swapped out while a
    copy is executed and restored afterwards."""
    try:
        from torchvision.models import _api
    except Exception:
        return lambda: None
    saved = dict(_api.BUILTIN_MODELS)
    _api.BUILTIN_MODELS.clear()

    def restore():
        _api.BUILTIN_MODELS.clear()
        _api.BUILTIN_MODELS.update(saved)

    return restore


def load_module(path, package, serial):
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    root, detected = package_root(folder)
    package = package or detected
    for entry in (folder, root):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    if package is not None and package == detected:
        # A file of a package in the corpus is imported the normal way, so its __init__ runs first.
        return importlib.import_module(f"{package}.{stem}")
    if package is None:
        name = f"_oracle_corpus_{serial}_{stem}"
    else:
        # A file copied out of an installed package (torchvision) runs inside that package, so its relative
        # imports reach the installed internals, under a name of its own so it does not replace the original.
        name = f"{package}._oracle_corpus_{serial}_{stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    restore = register_model_guard()
    try:
        spec.loader.exec_module(module)
    finally:
        restore()
    return module


def register_bare_packages(names, file):
    """Each named package as an empty package module over its folder (installed, or in the file's own tree),
    parents first."""
    for name in names:
        if name in sys.modules:
            continue
        parent, _, leaf = name.rpartition(".")
        search = sys.modules[parent].__path__ if parent else [package_root(os.path.dirname(os.path.abspath(file)))[0], *sys.path]
        spec = importlib.machinery.PathFinder.find_spec(leaf, search)
        if spec is None or spec.submodule_search_locations is None:
            raise ImportError(f"no installed package {name}")
        package = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(name, None, is_package=True))
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules[name] = package


def register_absent_modules(names):
    """Each named module as an empty module: a dependency the model file imports but never uses to build or run
    the model (whisper's tokenizer imports tiktoken), which Debian does not package."""
    for name in names:
        sys.modules.setdefault(name, importlib.util.module_from_spec(importlib.machinery.ModuleSpec(name, None)))


def is_installed(module):
    """Whether a module comes from the installed packages; a bare package (no file) does not."""
    location = getattr(module, "__file__", None)
    if location is None:
        return getattr(module, "__path__", None) is None
    return location.startswith(INSTALLED_ROOTS)


def forget_corpus_modules(saved_path):
    """Drops the modules one job imported from outside the installed packages, and the sys.path entries it added."""
    for name, module in list(sys.modules.items()):
        if not is_installed(module):
            del sys.modules[name]
    sys.path[:] = saved_path


def default_model_expression(module):
    """The last nn.Module subclass defined in the file that builds without arguments."""
    candidates = [
        value for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, nn.Module) and value.__module__ == module.__name__
    ]
    for cls in reversed(candidates):
        try:
            cls()
            return f"{cls.__name__}()"
        except Exception:
            continue
    raise ValueError("no nn.Module subclass in the file builds without arguments; pass --model")


# ---------------------------------------------------------------------------------------------------
# One summary.

def summarize(job, serial=0):
    torch.manual_seed(0)
    register_bare_packages(job.get("bare_packages", []), job["file"])
    register_absent_modules(job.get("absent_modules", []))
    module = load_module(job["file"], job.get("package"), serial)
    expression = job.get("model") or default_model_expression(module)
    torch.manual_seed(0)
    model = eval(expression, vars(module))
    # Eval mode with grad enabled: the no-grad fast path of TransformerEncoderLayer skips sub-module hooks.
    model.eval()
    dtypes = job.get("dtypes") or [job.get("dtype", "float")] * len(job["inputs"])
    fills = job.get("fills") or [None] * len(job["inputs"])
    inputs = [torch.full(shape, fill or 0, dtype=DTYPES[dtype]) for shape, dtype, fill in zip(job["inputs"], dtypes, fills)]
    with torch.enable_grad():
        output, calls = record_calls(model, lambda: model(*inputs))
    parameters = list(model.parameters())
    return {
        "model": expression,
        "input": [list(shape) for shape in job["inputs"]],
        "output": shape_of(output),
        "params": sum(p.numel() for p in parameters),
        "trainable_params": sum(p.numel() for p in parameters if p.requires_grad),
        "macs": sum(call["macs"] for call in calls),
        "calls": calls,
    }


def summarize_safely(job, serial):
    saved_path = list(sys.path)
    try:
        return summarize(job, serial)
    except Exception as error:  # One broken entry must not lose the others' results.
        return {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(limit=6)}
    finally:
        forget_corpus_modules(saved_path)


def parse_shape(text):
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--model")
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="float")
    parser.add_argument("--package", help="run FILE as a module of this installed package")
    parser.add_argument("--batch", action="store_true", help="read a JSON list of jobs from stdin")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    if args.batch:
        jobs = json.load(sys.stdin)
        # Scripts in the corpus print at import time; stdout carries only the results.
        with contextlib.redirect_stdout(sys.stderr):
            results = [summarize_safely(job, serial) for serial, job in enumerate(jobs)]
        json.dump(results, sys.stdout)
        sys.stdout.write("\n")
        return 0
    if not args.file or not args.input:
        parser.error("FILE and at least one --input are required (or --batch)")
    job = {"file": args.file, "model": args.model, "inputs": [parse_shape(s) for s in args.input],
           "dtype": args.dtype, "package": args.package}
    sys.stdout.write(readable_json(summarize(job)) + "\n")
    return 0


def readable_json(summary):
    """The summary as JSON with one call per line."""
    head = {key: value for key, value in summary.items() if key != "calls"}
    calls = ",\n  ".join(json.dumps(call) for call in summary["calls"])
    return json.dumps(head)[:-1] + ', "calls": [\n  ' + calls + "\n]}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
