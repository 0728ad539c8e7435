/** HTML that is already safe to emit (built by `html` or trusted constants). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const emit = (v: Part): string => {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(emit).join('');
  return escapeHtml(String(v));
};

/**
 * A template tag that escapes every interpolated value unless it is already
 * Html: complaint text, targets and notes reach the board from strangers.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += emit(values[i]!) + strings[i + 1]!;
  return new Html(out);
}
