// Reading .ipynb files: nbformat 4.0–4.5 with outputs and attachments (fixtures written and validated by
// nbformat itself, see fixtures/make_fixtures.py), and one line for everything that is not such a notebook.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../../src/core/notebook/nbformat';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('readNotebook', () => {
  it.each([0, 1, 2, 3, 4, 5])('reads nbformat 4.%i with outputs and attachments', (minor) => {
    const notebook = readNotebook(fixture(`small_cnn.v4.${minor}.ipynb`));
    if ('error' in notebook) throw new Error(notebook.error);
    expect(notebook.version).toBe(`4.${minor}`);
    expect(notebook.language).toBe('python');
    expect(notebook.cells.map((c) => c.kind)).toEqual(['markup', 'code', 'code', 'markup', 'code', 'code', 'code', 'markup', 'code']);
    // Sources stored as lists of lines are joined back into the cell's text.
    expect(notebook.cells[2]!.source.split('\n')[0]).toBe('class Net(nn.Module):');
    expect(notebook.cells[4]!.source).toBe('!echo building the model\nmodel = Net()\nout = model(torch.randn(2, 3, 32, 32))\nout.shape');
  });

  it('takes the language from the kernelspec', () => {
    const r = readNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 2, metadata: { kernelspec: { language: 'R', name: 'ir' } }, cells: [] }));
    expect(r).toMatchObject({ language: 'R', cells: [] });
  });

  it.each([
    ['{"cells": [', /^not a notebook: the file is not valid JSON \(/],
    ['[]', /^not a notebook: the JSON is not an object$/],
    ['{"cells": []}', /^not a notebook: no nbformat version$/],
    ['{"nbformat": 4, "nbformat_minor": 5}', /^not a notebook: no list of cells$/],
    ['{"nbformat": 5, "nbformat_minor": 0, "cells": []}', /^nbformat 5 is newer than this reader/],
    ['{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "code", "source": 3}]}', /^malformed notebook: cell 1 has no text source$/],
    ['{"nbformat": 4, "nbformat_minor": 4, "cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "heading", "source": ""}]}', /^malformed notebook: cell 2 has cell_type "heading"/],
  ])('gives one line for %s', (text, message) => {
    const r = readNotebook(text);
    expect('error' in r && r.error).toMatch(message);
    expect('error' in r && r.error.includes('\n')).toBe(false);
  });

  it('says how to convert an nbformat 3 notebook', () => {
    expect(readNotebook(fixture('v3.ipynb'))).toEqual({ error: 'nbformat 3 notebooks are not supported; convert it with: jupyter nbconvert --to notebook --nbformat 4' });
  });
});
