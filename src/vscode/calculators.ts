// "ML Notes: Calculator…": a quick pick of the notes' calculators, then one validated input box per
// input (with defaults, prefilled from a hovered layer when opened from a hover), then the result with
// its substituted formula and actions (copy, insert at cursor, open derivation).
import * as vscode from 'vscode';
import { calculators, findCalculator } from '../core/calculators';
import { prefillInputs, validateInput } from '../core/calculators/inputs';
import type { Calculator, CalculatorOutput, RawInputs } from '../core/calculators/types';
import type { NotesTreeTopic } from '../core/notes/types';
import type { Log } from './log';

/** Arguments of the command when it is invoked from a hover link or a test. */
export interface CalculatorCommandArgs {
  readonly id?: string;
  readonly inputs?: RawInputs;
}

type StepResult = { readonly action: 'next'; readonly value: string } | { readonly action: 'back' } | { readonly action: 'cancel' };

/** The empty box's grey text: whether the field may stay empty, and what to type. */
function placeholderFor(optional: boolean, example: string | undefined): string {
  if (example === undefined) return optional ? vscode.l10n.t('(optional)') : '';
  return optional ? vscode.l10n.t('(optional) e.g. {0}', example) : vscode.l10n.t('e.g. {0}', example);
}

function askInput(calc: Calculator, index: number, value: string, inputsSoFar: Record<string, string>): Promise<StepResult> {
  const spec = calc.inputs[index]!;
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = `${calc.title} (${index + 1}/${calc.inputs.length})`;
    const example = spec.example ?? spec.default;
    box.prompt = example ? vscode.l10n.t('{0}: {1} Example: {2}', spec.name, spec.description, example) : `${spec.name}: ${spec.description}`;
    box.placeholder = spec.default ?? placeholderFor(spec.optional === true, spec.example);
    box.value = value;
    box.buttons = index > 0 ? [vscode.QuickInputButtons.Back] : [];
    box.ignoreFocusOut = true;
    let settled = false;
    const finish = (result: StepResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      box.dispose();
    };
    const showValidation = (text: string): string | undefined => {
      const own = validateInput(spec, text);
      // On the last input, also show problems that involve several inputs (kernel larger than padded input).
      const cross = own === undefined && index === calc.inputs.length - 1 ? calc.validate({ ...inputsSoFar, [spec.name]: text })[0] : undefined;
      const message = own ?? cross;
      box.validationMessage = message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
      return message;
    };
    // A box opens without an error: an empty required field is only flagged once the user accepts it.
    if (value !== '') showValidation(value);
    box.onDidChangeValue(showValidation);
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish({ action: 'back' }));
    box.onDidAccept(() => {
      if (showValidation(box.value) === undefined) finish({ action: 'next', value: box.value });
    });
    box.onDidHide(() => finish({ action: 'cancel' }));
    box.show();
  });
}

/** Walks the inputs one box at a time, with Back; undefined when the user cancels. */
async function collectInputs(calc: Calculator, prefill: Record<string, string>): Promise<Record<string, string> | undefined> {
  const values: Record<string, string> = { ...prefill };
  let index = 0;
  while (index < calc.inputs.length) {
    const spec = calc.inputs[index]!;
    const step = await askInput(calc, index, values[spec.name] ?? spec.default ?? '', values);
    if (step.action === 'cancel') return undefined;
    if (step.action === 'back') {
      index = Math.max(0, index - 1);
      continue;
    }
    values[spec.name] = step.value;
    index++;
  }
  return values;
}

function resultText(output: CalculatorOutput): string {
  const { result } = output;
  return typeof result === 'number' || Array.isArray(result) ? String(result) : JSON.stringify(result);
}

async function showResult(calc: Calculator, output: CalculatorOutput): Promise<void> {
  const actions = [
    { label: vscode.l10n.t('$(copy) Copy result'), action: 'copy' as const },
    { label: vscode.l10n.t('$(insert) Insert at cursor'), action: 'insert' as const },
    { label: vscode.l10n.t('$(book) Open derivation'), action: 'derivation' as const },
  ];
  const picked = await vscode.window.showQuickPick(
    actions.map((a) => ({ ...a, detail: a.action === 'derivation' ? output.topic : undefined })),
    { title: `${calc.title} = ${resultText(output)}`, placeHolder: output.formula, ignoreFocusOut: true },
  );
  if (!picked) return;
  const text = `${output.formula}`;
  if (picked.action === 'copy') await vscode.env.clipboard.writeText(resultText(output));
  if (picked.action === 'insert') {
    const editor = vscode.window.activeTextEditor;
    if (editor) await editor.edit((b) => b.insert(editor.selection.active, resultText(output)));
    else await vscode.env.clipboard.writeText(text);
  }
  if (picked.action === 'derivation') await vscode.commands.executeCommand('mlNotes.openDerivation', output.topic);
}

async function pickCalculator(): Promise<Calculator | undefined> {
  const picked = await vscode.window.showQuickPick(
    calculators.map((c) => ({ label: c.title, description: c.id, detail: c.description, id: c.id })),
    { title: vscode.l10n.t('ML Notes: Calculator'), placeHolder: vscode.l10n.t('Which calculator?'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked ? findCalculator(picked.id) : undefined;
}

export function registerCalculators(context: vscode.ExtensionContext, log: Log): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mlNotes.calculator', async (arg?: CalculatorCommandArgs | NotesTreeTopic) => {
      // From the sidebar's context menu the argument is a topic node: open its first calculator.
      const args: CalculatorCommandArgs | undefined = arg && 'kind' in arg ? { id: arg.calculators[0] } : arg;
      const calc = args?.id ? findCalculator(args.id) : await pickCalculator();
      if (!calc) {
        if (args?.id) void vscode.window.showWarningMessage(vscode.l10n.t("ML Notes has no calculator '{0}'.", args.id));
        return;
      }
      const inputs = await collectInputs(calc, args?.inputs ? prefillInputs(calc, args.inputs) : {});
      if (!inputs) return;
      const outcome = calc.compute(inputs);
      if (!outcome.ok) {
        log.info(`calculator ${calc.id}: ${outcome.errors.join('; ')}`);
        void vscode.window.showErrorMessage(outcome.errors.join(' '));
        return;
      }
      await showResult(calc, outcome);
    }),
  );
}
