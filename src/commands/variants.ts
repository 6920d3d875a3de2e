// compare --variant "<name>=<command>" (repeatable) and --isolating: raw strings → variant modes.
import { UsageError } from '../errors.js';
import { isolatingName } from '../format/mode-roles.js';
import type { Mode } from '../runner/modes.js';
import { parseCommandString } from './options.js';

type VariantMode = Extract<Mode, { kind: 'variant' }>;

/** Each `name=command`, in order: the first is the baseline; isolating by name, or as --isolating lists. */
export function parseVariants(raw: string[], isolating: string | undefined): VariantMode[] {
  const variants: VariantMode[] = [];
  for (const [index, text] of raw.entries()) {
    const equals = text.indexOf('=');
    if (equals < 0) throw new UsageError(`--variant: "${text}" has no "=": give --variant "<name>=<command>"`);
    const name = text.slice(0, equals).trim();
    // eslint-disable-next-line no-control-regex
    if (name === '' || /[\u0000-\u001f\u007f,]/.test(name)) throw new UsageError(`--variant: "${text}" needs a name before "=" (no commas or control characters)`);
    if (variants.some((v) => v.label === name)) throw new UsageError(`--variant: two variants are named "${name}"`);
    const command = parseCommandString(text.slice(equals + 1), `--variant ${name}`);
    variants.push({ kind: 'variant', label: name, command, isolating: isolatingName(name), baseline: index === 0 });
  }
  if (isolating !== undefined) {
    const names = isolating.split(',').map((n) => n.trim()).filter(Boolean);
    for (const name of names) {
      if (!variants.some((v) => v.label === name)) throw new UsageError(`--isolating: no variant is named "${name}"`);
    }
    for (const variant of variants) variant.isolating = names.includes(variant.label);
  }
  return variants;
}
