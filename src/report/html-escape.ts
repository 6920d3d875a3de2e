// Escaping for everything the worker controls (command, task names, process commands, reasons)
// on its way into the HTML report. OWASP's rule for HTML text and quoted attributes: encode
// & < > " ' / — plus the JavaScript line terminators and control characters, so a name can never
// end an element, open a tag, break out of an attribute or a script block, or hide in the page.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '/': '&#x2F;',
  '\u2028': '&#x2028;',
  '\u2029': '&#x2029;',
};

// C0 controls other than tab, LF and CR (and DEL) are parse errors in HTML; show them as U+FFFD.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text safe for HTML element content and for quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(CONTROL_CHARS, '\uFFFD')
    .replace(/[&<>"'/\u2028\u2029]/g, (char) => HTML_ENTITIES[char]!);
}

/**
 * JSON that can sit inside a <script type="application/json"> block: `<` can never form
 * `</script>` or `<!--`, and U+2028/U+2029 cannot end a line if someone evaluates it as JS.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Shortens long labels (a 4 kB command line) before escaping, so tables and legends stay readable. */
export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`;
}
