#!/usr/bin/python3
"""Ground truth for `ml-notes summary` on Jupyter notebooks: run the notebook's code cells in order in a
real IPython shell (magics, shell escapes and help included, as Jupyter runs them; a cell that raises is
recorded and the next cell runs, like `jupyter nbconvert --execute --allow-errors`), then build the model
from the notebook's namespace, run it once with PyTorch and print torch_summary.py's JSON, each call with
the notebook cell (1-based over all cells) and the line in that cell where PyTorch made it.

Usage: notebook_summary.py < jobs.json   (a JSON list of {notebook, model, inputs, dtype}; prints a JSON
list of summaries or {"error": ...})
"""

import contextlib
import inspect
import io
import json
import os
import re
import sys
import traceback
import warnings

import nbformat
import torch
from IPython.core.interactiveshell import InteractiveShell

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_summary  # noqa: E402  (the same call recording, shapes and MAC rules as the file oracle)

CELL_FILE = re.compile(r"^<ipython-input-(\d+)-[0-9a-f]+>$")


def run_cells(notebook_path):
    """Runs every code cell in a fresh shell; returns the shell, execution count -> cell number, failed cells."""
    notebook = nbformat.read(notebook_path, as_version=4)
    nbformat.validate(notebook)
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    os.chdir(os.path.dirname(os.path.abspath(notebook_path)))
    cell_of_count = {}
    failed = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        cell_of_count[shell.execution_count] = number
        # Cell output (prints, help pages, shell commands) must not mix with the JSON on stdout.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(cell.source, store_history=True)
        if not result.success:
            failed.append(number)
    return shell, cell_of_count, failed


def cell_position(cell_of_count):
    """(cell, line) of the innermost frame that runs code of a notebook cell, or (None, None)."""
    frame = inspect.currentframe()
    while frame is not None:
        match = CELL_FILE.match(frame.f_code.co_filename)
        if match and int(match.group(1)) in cell_of_count:
            return cell_of_count[int(match.group(1))], frame.f_lineno
        frame = frame.f_back
    return None, None


def summarize(job):
    shell, cell_of_count, failed = run_cells(job["notebook"])
    torch.manual_seed(0)
    model = eval(job["model"], shell.user_ns)
    model.eval()
    dtype = torch_summary.DTYPES[job.get("dtype", "float")]
    inputs = [torch.zeros(*shape, dtype=dtype) for shape in job["inputs"]]
    positions = []
    handles = [
        module.register_forward_pre_hook(lambda mod, args: positions.append(cell_position(cell_of_count)))
        for _, module in torch_summary.atomic_modules(model)
    ]
    try:
        with torch.enable_grad():
            output, calls = torch_summary.record_calls(model, lambda: model(*inputs))
    finally:
        for handle in handles:
            handle.remove()
    for call, (cell, line) in zip(calls, positions):
        call["cell"], call["line"] = cell, line
    parameters = list(model.parameters())
    return {
        "model": job["model"],
        "input": [list(shape) for shape in job["inputs"]],
        "output": torch_summary.shape_of(output),
        "params": sum(p.numel() for p in parameters),
        "trainable_params": sum(p.numel() for p in parameters if p.requires_grad),
        "macs": sum(call["macs"] for call in calls),
        "calls": calls,
        "failed_cells": failed,
    }


def main():
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    results = []
    for job in json.load(sys.stdin):
        try:
            results.append(summarize(job))
        except Exception as error:  # One broken entry must not lose the others' results.
            results.append({"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(limit=6)})
    sys.stdout.write(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
