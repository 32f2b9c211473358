/** Reading cards as a person would: their texts, their buttons, their inputs' values. */

/** Every text a person can read on a card (text blocks, facts, titles, choices). */
export function textsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) textsOf(n, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'fallbackText']) {
      if (typeof o[key] === 'string') out.push(o[key]);
    }
    for (const [key, v] of Object.entries(o)) {
      if (key !== 'data' && typeof v === 'object') textsOf(v, out);
    }
  }
  return out;
}
export const textOf = (card: unknown) => textsOf(card).join('\n');

/**
 * Whether a card's texts (`textsOf`) show a person's text line by line, as typed: each
 * of its lines that is not blank, made inert (`escape`), one after the other (a space
 * may be shown as a no-break space).
 */
export function showsLines(
  texts: readonly string[],
  text: string,
  escape: (line: string) => string,
): boolean {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => escape(l.trimEnd()));
  const shown = texts.map((t) => t.replace(/\u00a0/g, ' '));
  return shown.some((_, i) => lines.every((l, j) => shown[i + j] === l));
}

/** The Action.Execute actions on a card (nested forms included), by verb. */
export function executeActions(
  node: unknown,
  out: { verb: string; data: Record<string, unknown> }[] = [],
) {
  if (Array.isArray(node)) {
    for (const n of node) executeActions(n, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') {
      out.push({ verb: o.verb, data: (o.data ?? {}) as Record<string, unknown> });
    }
    for (const [key, v] of Object.entries(o)) if (key !== 'refresh') executeActions(v, out);
  }
  return out;
}
export const verbsOn = (card: unknown) => [...new Set(executeActions(card).map((a) => a.verb))];

/** The value an input of the card holds, by id. */
export function inputValue(node: unknown, id: string): unknown {
  if (Array.isArray(node)) {
    for (const n of node) {
      const v = inputValue(n, id);
      if (v !== undefined) return v;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && o.id === id)
      return o.value ?? null;
    for (const v of Object.values(o)) {
      const found = inputValue(v, id);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Every element and action of a card, depth first (sub-cards of Action.ShowCard included). */
export function cardNodes(
  node: unknown,
  out: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  if (Array.isArray(node)) {
    for (const n of node) cardNodes(n, out);
  } else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    for (const v of Object.values(node)) cardNodes(v, out);
  }
  return out;
}

/** What a person reads on a card, facts as `title: value`: text blocks, facts, button titles. */
export function readableTexts(card: unknown): string[] {
  return cardNodes(card).flatMap((n) => {
    if (n.type === 'TextBlock') return [String(n.text)];
    if (typeof n.title === 'string' && typeof n.value === 'string')
      return [`${n.title}: ${n.value}`];
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) return [String(n.title)];
    return [];
  });
}
