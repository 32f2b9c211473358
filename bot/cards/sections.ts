/** Small pieces more than one card uses. */
import type { CardElement, Choice, Container, TextBlock } from './adaptive-card';
import { escapeMarkdown } from './text';
import { w, type Lang } from '../i18n';
import { URGENCY_LABELS } from '../../src/consultation/labels';
import type { Urgency } from '../../src/consultation/types';
import type { Category, Destination } from '../../src/knowledge/knowledge';

const OTHER: Category = { id: 'other', ja: 'その他', en: 'Other', guidebook: [], destinations: [] };

/** The category's name; an id missing from the taxonomy is shown as the id itself. */
export function categoryName(id: string, categories: readonly Category[], lang: Lang): string {
  const cat = categories.find((c) => c.id === id);
  return cat ? cat[lang] : id;
}

/** The taxonomy as choices; an empty taxonomy still offers 「その他」 so the set is never empty. */
export function categoryChoices(categories: readonly Category[], lang: Lang): Choice[] {
  const list = categories.length > 0 ? categories : [OTHER];
  return list.map((cat) => ({ title: cat[lang], value: cat.id }));
}

const BADGE: Record<Urgency, Pick<Container, 'style'> & Pick<TextBlock, 'color' | 'isSubtle'>> = {
  critical: { style: 'attention', color: 'attention' },
  high: { style: 'warning', color: 'attention' },
  normal: { style: 'emphasis', color: 'default' },
  low: { style: 'default', color: 'default', isSubtle: true },
};

/** The urgency as a coloured badge: red for 緊急 and 高, plain for 通常 and 低. */
export function urgencyBadge(urgency: Urgency, lang: Lang): Container {
  const b = BADGE[urgency];
  const loud = urgency === 'critical' || urgency === 'high';
  return {
    type: 'Container',
    style: b.style,
    items: [
      {
        type: 'TextBlock',
        text: `${loud ? '● ' : ''}${URGENCY_LABELS[urgency][lang]}`,
        weight: loud ? 'bolder' : 'default',
        ...(b.color ? { color: b.color } : {}),
        ...(b.isSubtle ? { isSubtle: true } : {}),
      },
    ],
  };
}

/** A link target that is safe inside markdown `[text](url)`: http(s) only, no breaking characters. */
export function markdownUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replace(
    /[()<>\s]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** One line of the quick list: name (linked), telephone with its remark, hours. */
export function destinationLine(d: Destination, lang: Lang): CardElement {
  // The destinations are fixed: each line is written once per language and shared.
  const lines = destinationLines.get(d) ?? {};
  destinationLines.set(d, lines);
  return (lines[lang] ??= Object.freeze(writeDestinationLine(d, lang)));
}

const destinationLines = new WeakMap<Destination, Partial<Record<Lang, CardElement>>>();

function writeDestinationLine(d: Destination, lang: Lang): CardElement {
  const name = escapeMarkdown(d.name[lang]);
  const url = d.url ? markdownUrl(d.url) : null;
  const parts = [url ? `[${name}](${url})` : name];
  if (d.tel) {
    const note = d.telNote ? `（${escapeMarkdown(d.telNote[lang])}）` : '';
    parts.push(`${w('destinations.tel', lang)} ${escapeMarkdown(d.tel)}${note}`);
  }
  if (d.hours) parts.push(`${w('destinations.hours', lang)} ${escapeMarkdown(d.hours[lang])}`);
  return { type: 'TextBlock', text: parts.join(' ・ '), wrap: true, spacing: 'small' };
}

/** A heading inside a card. */
export function heading(text: string, spacing: 'medium' | 'large' = 'large'): TextBlock {
  return {
    type: 'TextBlock',
    text,
    weight: 'bolder',
    size: 'medium',
    wrap: true,
    spacing,
    separator: spacing === 'large',
  };
}
