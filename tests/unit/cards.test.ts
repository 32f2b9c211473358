import {
  CARD_DETAILS_MAX_CHARS,
  CARD_INPUTS,
  CARD_VERBS,
  INTAKE_FIELDS,
  INTAKE_MAX_LENGTH,
  LIST_MAX_ROWS,
  MAX_REFRESH_USERS,
  consultationCard,
  editFormCard,
  errorCard,
  escapeMarkdown,
  formatTokyo,
  lineBlocks,
  messageParagraphs,
  MAX_LINE_BLOCKS,
  helpCard,
  ledgerListButton,
  waitingButton,
  intakeFormCard,
  listCard,
  noticeCard,
  refreshUserIds,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type CardVerb,
  type ConsultationCardModel,
  type ConsultationFacts,
  type ConsultationListItem,
  type ExecuteAction,
  type IntakeValues,
  type TextBlock,
  type AnswerSummary,
  type RelatedOnCard,
  type ReplyFormModel,
  CARD_ANSWER_MAX_CHARS,
  VERBS,
  answerSection,
  replyErrors,
  replyFormCard,
  replyPreviewCard,
  waitingCard,
  SIMILAR_EXCERPT_CHARS,
  type SimilarOnCard,
} from '../../bot/cards';
import { templatesFor } from '../../src/mail/templates';
import { DELIVERY_STATUS_LABELS, ERASURE_LABELS } from '../../src/consultation/labels';
import { DELIVERY_STATUSES, ERASURE_REASONS } from '../../src/consultation/types';
import type { Lang } from '../../bot/i18n';
import { STATES, type State } from '../../src/consultation/types';
import { localize } from '../../src/i18n/messages';
import { validateCard } from '../support/adaptive-cards';
import { showsLines } from '../support/card-reading';
import { consultationRecord } from '../support/fixtures';
import { editValues, fingerprints } from '../../src/consultation/correction';
import { parseCommand } from '../../bot/commands';

// People are the Playground's mock users.
const ALEX = { id: 'user-id-0', name: 'Alex Wilber' };
const MEGAN = { id: 'user-id-1', name: 'Megan Bowen' };
const ADELE = { id: 'user-id-2', name: 'Adele Vance' };
const LANGS: readonly Lang[] = ['ja', 'en'];

function facts(state: State, overrides: Partial<ConsultationFacts> = {}): ConsultationFacts {
  const owner = state === 'received' ? null : ALEX;
  const specialist =
    state === 'dispatched' || state === 'answered' || state === 'closed' ? MEGAN : null;
  return {
    id: 123,
    number: '2026-000123',
    channel: 'phone',
    state,
    categoryId: 'ransomware',
    urgency: 'critical',
    subject: '社内のファイルサーバが暗号化された',
    details: '朝出社したらファイルが開けず、身代金を要求する画面が表示された。',
    receivedAt: '2026-11-26T00:30:00.000Z',
    consulter: { organisation: '株式会社サンプル製作所', person: '総務担当' },
    firstLineOwner: owner,
    specialist,
    coordinationNeeded: specialist ? true : null,
    closedAt: state === 'closed' ? '2026-11-28T08:00:00.000Z' : null,
    erasure: null,
    version: 4,
    ...overrides,
  };
}

function model(
  state: State,
  actions: readonly CardVerb[],
  overrides: Partial<ConsultationCardModel> = {},
): ConsultationCardModel {
  return {
    consultation: facts(state),
    lastChange: { action: 'claim', by: ALEX, at: '2026-11-26T05:05:00.000Z' },
    actions,
    specialists: [MEGAN, ADELE],
    refreshUserIds: [ALEX.id, MEGAN.id, ADELE.id],
    ...overrides,
  };
}

/** The same consulter's other consultations: the latest closed, an older one still open. */
const RELATED: RelatedOnCard = {
  total: 3,
  records: [
    {
      number: '2026-000045',
      state: 'closed',
      ledgerUrl: 'https://madoguchi.example/tab/ledger?id=45',
    },
    {
      number: '2026-000030',
      state: 'dispatched',
      ledgerUrl: 'https://madoguchi.example/tab/ledger?id=30',
    },
  ],
};

/** Every subset of the card's verbs (2^8 = 256). */
function subsets(): CardVerb[][] {
  const out: CardVerb[][] = [];
  for (let mask = 0; mask < 1 << CARD_VERBS.length; mask++) {
    out.push(CARD_VERBS.filter((_, i) => mask & (1 << i)));
  }
  return out;
}

/** Every element of a card, ShowCard sub-cards and ActionSets included. */
function allElements(card: { body: CardElement[]; actions?: CardAction[] }): CardElement[] {
  const out: CardElement[] = [];
  const visitActions = (actions: CardAction[] | undefined) => {
    for (const a of actions ?? [])
      if (a.type === 'Action.ShowCard') visit(a.card.body, a.card.actions);
  };
  const visit = (elements: CardElement[], actions?: CardAction[]) => {
    for (const e of elements) {
      out.push(e);
      if (e.type === 'Container') visit(e.items);
      if (e.type === 'ColumnSet') for (const col of e.columns) visit(col.items);
      if (e.type === 'ActionSet') visitActions(e.actions);
    }
    visitActions(actions);
  };
  visit(card.body, card.actions);
  return out;
}

/** Every Action.Execute a user can press (top-level, in sub-cards and in ActionSets). */
function executeActions(card: AdaptiveCard): ExecuteAction[] {
  const out: ExecuteAction[] = [];
  const collect = (actions: CardAction[] | undefined) => {
    for (const a of actions ?? []) {
      if (a.type === 'Action.Execute') out.push(a);
      if (a.type === 'Action.ShowCard') collect(a.card.actions);
    }
  };
  collect(card.actions);
  for (const e of allElements(card)) if (e.type === 'ActionSet') collect(e.actions);
  return out;
}

const texts = (card: AdaptiveCard): string[] =>
  allElements(card).flatMap((e) => {
    if (e.type === 'TextBlock') return [e.text];
    if (e.type === 'FactSet') return e.facts.flatMap((f) => [f.title, f.value]);
    return [];
  });

const bytes = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('validateCard (the adaptivecards library, schema 1.5)', () => {
  it('accepts a minimal valid card', () => {
    expect(
      validateCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'x' }],
      }),
    ).toEqual([]);
  });

  it('reports an unknown element type', () => {
    const errors = validateCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlok', text: 'x' }],
    });
    expect(errors.join('\n')).toMatch(/Unknown element type "TextBlok"/);
  });

  it('reports an input without id, also inside a ShowCard', () => {
    const top = validateCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Input.Text' }],
    });
    expect(top.join('\n')).toMatch(/All inputs must have a unique Id/);
    const nested = validateCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [],
      actions: [
        {
          type: 'Action.ShowCard',
          title: 'f',
          card: { type: 'AdaptiveCard', body: [{ type: 'Input.Text' }] },
        },
      ],
    });
    expect(nested.join('\n')).toMatch(/All inputs must have a unique Id/);
  });

  it('reports a bad enum value, a duplicate id, an empty choice set, the wrong version and too many refresh ids', () => {
    const errors = validateCard({
      type: 'AdaptiveCard',
      version: '1.4',
      refresh: {
        action: { type: 'Action.Execute', verb: 'refresh' },
        userIds: Array.from({ length: 61 }, (_, i) => `u${i}`),
      },
      body: [
        { type: 'TextBlock', text: 'x', color: 'red' },
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.ChoiceSet', id: 'c', choices: [] },
      ],
    }).join('\n');
    expect(errors).toMatch(/Invalid value "red" for property "color"/);
    expect(errors).toMatch(/Duplicate Id "a"/);
    expect(errors).toMatch(/at least one choice/);
    expect(errors).toMatch(/version must be "1.5"/);
    expect(errors).toMatch(/61 ids/);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['**x**', '\\*\\*x\\*\\*'],
    ['[a](http://evil)', '\\[a\\]\\(http://evil\\)'],
    ['<script>alert(1)</script>', '\\<script\\>alert\\(1\\)\\</script\\>'],
    ['# h', '\\# h'],
    ['- list', '\\- list'],
    ['+ list', '\\+ list'],
    ['1. list', '1\\. list'],
    ['  12) list', '  12\\) list'],
    ['a\\b', 'a\\\\b'],
    ['\\*not bold\\*', '\\\\\\*not bold\\\\\\*'],
    ['_x_ `code` ~~s~~ a|b', '\\_x\\_ \\`code\\` \\~\\~s\\~\\~ a\\|b'],
    ['{{DATE(2026-01-01T00:00:00Z)}}', '\\{\\{DATE\\(2026-01-01T00:00:00Z\\)\\}\\}'],
    ['R&D &amp;', 'R\\&D \\&amp;'],
    ['line\n# two\r\n- three', 'line\n\\# two\n\\- three'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('leaves ordinary Japanese text, numbers and mid-line hyphens alone', () => {
    for (const s of [
      '2026-000123',
      '03-5805-1731',
      '株式会社サンプル製作所（総務）',
      'Windows 10.',
    ]) {
      expect(escapeMarkdown(s)).toBe(s);
    }
  });
});

describe('messageParagraphs', () => {
  it('makes each line of a message a paragraph, inert, without blank ones', () => {
    expect(messageParagraphs('担当分野外です。\r\n1. 別の専門員へ\n\n  **急ぎ**  \n')).toBe(
      '担当分野外です。\n\n1\\. 別の専門員へ\n\n\\*\\*急ぎ\\*\\*',
    );
    expect(messageParagraphs(' \n\u3000')).toBe('');
  });
});

describe('lineBlocks', () => {
  it('shows each line as typed in a block of its own, a blank line as a gap', () => {
    const text = 'お世話になります。\r\n1. 回線を抜く\n2. 警察に相談\n\n\n  以上\u3000\n';
    expect(lineBlocks(text, { spacing: 'small', isSubtle: true })).toEqual([
      {
        type: 'TextBlock',
        text: 'お世話になります。',
        wrap: true,
        isSubtle: true,
        spacing: 'small',
      },
      { type: 'TextBlock', text: '1\\. 回線を抜く', wrap: true, isSubtle: true, spacing: 'none' },
      { type: 'TextBlock', text: '2\\. 警察に相談', wrap: true, isSubtle: true, spacing: 'none' },
      // Indented with no-break spaces (with spaces it would be code); after blank lines, one gap.
      {
        type: 'TextBlock',
        text: '\u00a0\u00a0以上',
        wrap: true,
        isSubtle: true,
        spacing: 'medium',
      },
    ]);
    expect(lineBlocks(' \n\u3000\n')).toEqual([]);
    expect(lineBlocks('\t電話')[0]!.text).toBe('\u00a0'.repeat(4) + '電話');
  });

  it('keeps markdown inert on every line, and runs the lines past the last block together', () => {
    const blocks = lineBlocks('# 見出し\n- [a](http://evil)\n**x**');
    expect(blocks.map((b) => b.text)).toEqual([
      '\\# 見出し',
      '\\- \\[a\\]\\(http://evil\\)',
      '\\*\\*x\\*\\*',
    ]);
    const many = Array.from({ length: MAX_LINE_BLOCKS + 5 }, (_, i) => `行${i + 1}`).join('\n');
    const cut = lineBlocks(many);
    expect(cut).toHaveLength(MAX_LINE_BLOCKS);
    expect(cut[MAX_LINE_BLOCKS - 1]!.text).toBe(
      `行${MAX_LINE_BLOCKS} 行${MAX_LINE_BLOCKS + 1} 行${MAX_LINE_BLOCKS + 2} 行${MAX_LINE_BLOCKS + 3} 行${MAX_LINE_BLOCKS + 4} 行${MAX_LINE_BLOCKS + 5}`,
    );
  });

  it('shows a consultation’s details line by line on its card', () => {
    const details = '次の画面が出た:\n「ファイルは暗号化されました」\n\n社内の3台が同じ状態';
    const card = consultationCard(
      model('received', ['claim'], { consultation: facts('received', { details }) }),
      'ja',
    );
    expect(showsLines(texts(card), details, escapeMarkdown)).toBe(true);
    expect(validateCard(card)).toEqual([]);
  });
});

describe('formatTokyo', () => {
  it('shows instants in Tokyo time', () => {
    expect(formatTokyo('2026-11-26T05:05:00Z')).toBe('2026/11/26 14:05');
    expect(formatTokyo('2026-12-31T15:30:00Z')).toBe('2027/01/01 00:30');
    expect(formatTokyo('2026-11-26T05:05:00Z', 'short')).toBe('11/26 14:05');
    expect(formatTokyo('2026-12-31T15:30:00Z', 'date')).toBe('2027/01/01');
  });
});

describe('consultationCard', () => {
  describe.each(STATES.flatMap((state) => LANGS.map((lang) => [state, lang] as const)))(
    'state %s, %s',
    (state, lang) => {
      it('validates with no errors for every subset of actions, and shows exactly those actions', () => {
        for (const actions of subsets()) {
          const card = consultationCard(model(state, actions), lang);
          expect({ actions, errors: validateCard(card) }).toEqual({ actions, errors: [] });
          const verbs = executeActions(card).map((a) => a.verb);
          // The answer form also has its template and similar-cases buttons; 記録を修正
          // asks for its form.
          const shown = actions.map((a) => (a === 'edit' ? VERBS.editForm : a));
          const expected = actions.includes('answer')
            ? [...shown, 'reply.template', 'reply.similar']
            : shown;
          expect({ actions, verbs: [...new Set(verbs)].sort() }).toEqual({
            actions,
            verbs: [...expected].sort(),
          });
        }
      });

      it('validates for every subset of actions with the same consulter’s other consultations, one open and linked', () => {
        for (const actions of subsets()) {
          const card = consultationCard(
            model(state, actions, {
              related: RELATED,
              ledgerUrl: 'https://madoguchi.example/tab/ledger?id=123',
            }),
            lang,
          );
          expect({ actions, errors: validateCard(card) }).toEqual({ actions, errors: [] });
          expect(texts(card)).toContain(lang === 'ja' ? '同じ相談者' : 'Same consulter');
        }
      });

      it('validates with no specialists, no last change, no details and an unknown category', () => {
        const card = consultationCard(
          model(state, CARD_VERBS, {
            specialists: [],
            lastChange: null,
            refreshUserIds: [],
            consultation: facts(state, {
              details: '',
              categoryId: 'no-such-category',
              consulter: { organisation: null, person: null },
            }),
          }),
          lang,
        );
        expect(validateCard(card)).toEqual([]);
        expect(card.refresh).toBeUndefined();
      });
    },
  );

  describe.each(ERASURE_REASONS.flatMap((reason) => LANGS.map((lang) => [reason, lang] as const)))(
    'erased (%s), %s',
    (reason, lang) => {
      /** As the service leaves an erased record: the consulter's fields and words gone. */
      const erased = (over: Partial<ConsultationFacts> = {}) =>
        facts('closed', {
          subject: '',
          details: '',
          consulter: { organisation: null, person: null },
          erasure: { at: '2031-11-27T03:00:00.000Z', reason },
          version: 9,
          ...over,
        });

      it('validates with no errors and no button, whatever actions it is given', () => {
        for (const actions of subsets()) {
          const card = consultationCard(
            model('closed', actions, {
              consultation: erased(),
              lastChange: { action: 'erase', by: ADELE, at: '2031-11-27T03:00:00.000Z' },
              ledgerUrl: 'https://madoguchi.example/tab/ledger?id=123',
              related: RELATED,
              answer: {
                id: 5,
                author: MEGAN,
                createdAt: '2026-11-27T00:00:00.000Z',
                delivery: 'email',
                deliveryStatus: 'failed',
                body: '回答本文',
                lastError: null,
                canRetry: true,
              },
            }),
            lang,
          );
          expect({ actions, errors: validateCard(card) }).toEqual({ actions, errors: [] });
          expect(card.actions).toBeUndefined();
          expect(card.refresh).toBeUndefined();
          expect(
            allElements(card).filter((e) => e.type === 'ActionSet' || e.type.startsWith('Input.')),
          ).toEqual([]);
          // Nothing of the consulter, their other consultations neither.
          expect(JSON.stringify(card)).not.toContain('2026-000045');
        }
      });

      it('says when and why, keeps the facts statistics need, and nothing of the consulter', () => {
        // Even if the record still carried them, the card would show none of the consulter's.
        const card = consultationCard(
          model('closed', CARD_VERBS, {
            consultation: { ...facts('closed'), erasure: erased().erasure },
          }),
          lang,
        );
        const all = texts(card).join('\n');
        const labels = ERASURE_LABELS[reason][lang];
        expect(all).toContain(
          lang === 'ja'
            ? `この相談記録の個人情報は 2031/11/27 に消去されました（${labels}）`
            : `This consultation’s personal data was erased on 2031/11/27 (${labels}).`,
        );
        for (const kept of [
          '2026-000123',
          lang === 'ja' ? '電話' : 'Phone',
          lang === 'ja' ? 'ランサムウェア' : 'Ransomware',
          lang === 'ja' ? '緊急' : 'Critical',
          '2026/11/26 09:30',
          '2026/11/28 17:00',
          lang === 'ja' ? '完了' : 'Closed',
          lang === 'ja' ? 'Alex Wilberさん' : 'Alex Wilber',
          lang === 'ja' ? '（消去済み）' : '(Erased)',
          lang === 'ja' ? '相談・届出先' : 'Where to report',
        ]) {
          expect(all).toContain(kept);
        }
        for (const gone of [
          '社内のファイルサーバが暗号化された',
          '身代金',
          '株式会社サンプル製作所',
          '総務担当',
        ]) {
          expect(JSON.stringify(card)).not.toContain(gone);
        }
      });
    },
  );

  it('names the erasure in the last change, a part of Madoguchi without さん', () => {
    const card = consultationCard(
      model('closed', [], {
        consultation: facts('closed', {
          subject: '',
          details: '',
          consulter: { organisation: null, person: null },
          erasure: { at: '2031-11-27T03:00:00.000Z', reason: 'retention' },
        }),
        lastChange: {
          action: 'erase',
          by: { id: 'system:retention', name: '保存期間の管理' },
          at: '2031-11-27T03:00:00.000Z',
        },
      }),
      'ja',
    );
    expect(texts(card).join('\n')).toContain(
      '最終更新: 保存期間の管理が個人情報を消去しました 11/27 12:00',
    );
  });

  it('shows the facts at a glance (ja)', () => {
    const card = consultationCard(model('claimed', ['unclaim']), 'ja');
    const all = texts(card).join('\n');
    for (const expected of [
      '2026-000123',
      '電話',
      'ランサムウェア',
      '緊急',
      '社内のファイルサーバが暗号化された',
      '株式会社サンプル製作所 ／ 総務担当',
      '2026/11/26 09:30',
      '一次対応中',
      'Alex Wilberさん',
      '未割当',
      '最終更新: Alex Wilberさんが担当しました 11/26 14:05',
      '相談・届出先',
      '[警視庁 サイバー犯罪対策課](https://www.keishicho.metro.tokyo.lg.jp/kurashi/cyber/cyber_sodan.html)',
      '電話 03-5805-1731',
    ]) {
      expect(all).toContain(expected);
    }
  });

  it('shows the facts in English', () => {
    const card = consultationCard(model('dispatched', ['answer', 'note']), 'en');
    const all = texts(card).join('\n');
    for (const expected of [
      'Phone',
      'Ransomware',
      'Critical',
      'Dispatched',
      'Megan Bowen',
      'Last change: Alex Wilber claimed it 11/26 14:05',
      'Where to report',
      'Tokyo Metropolitan Police Department',
    ]) {
      expect(all).toContain(expected);
    }
    const titles = (card.actions ?? []).map((a) => a.title);
    expect(titles).toEqual(['Answer', 'Note']);
  });

  it('makes urgency prominent: attention colour for high and critical only', () => {
    const badgeColor = (urgency: 'low' | 'normal' | 'high' | 'critical') => {
      const card = consultationCard(
        model('received', [], { consultation: facts('received', { urgency }) }),
        'ja',
      );
      const first = allElements(card).find((e): e is TextBlock => e.type === 'TextBlock');
      return first?.color ?? 'default';
    };
    expect(badgeColor('critical')).toBe('attention');
    expect(badgeColor('high')).toBe('attention');
    expect(badgeColor('normal')).toBe('default');
    expect(badgeColor('low')).toBe('default');
  });

  it('sends { consultationId, version } with every button', () => {
    const card = consultationCard(model('claimed', CARD_VERBS), 'ja');
    const pressed = executeActions(card);
    expect(pressed.map((a) => a.verb).sort()).toEqual(
      [
        ...CARD_VERBS.map((v) => (v === 'edit' ? VERBS.editForm : v)),
        'reply.template',
        'reply.similar',
      ].sort(),
    );
    for (const a of pressed) expect(a.data).toEqual({ consultationId: 123, version: 4 });
  });

  it('puts forms in a ShowCard whose submit is the verb, and direct verbs on plain buttons', () => {
    const card = consultationCard(
      model('claimed', ['unclaim', 'dispatch', 'answer', 'close']),
      'ja',
    );
    const top = card.actions ?? [];
    expect(top.map((a) => [a.type, a.title])).toEqual([
      ['Action.ShowCard', '二次対応へ依頼'],
      ['Action.ShowCard', '回答する'],
      ['Action.ShowCard', '完了'],
      ['Action.Execute', '担当を外れる'],
    ]);
    const submits = top.flatMap((a) =>
      a.type === 'Action.ShowCard' ? (a.card.actions ?? []) : [],
    );
    expect(submits.map((a) => (a as ExecuteAction).verb)).toEqual(['dispatch', 'answer', 'close']);
  });

  it('keeps at most 5 buttons in a row: the least used go under 「その他の操作」', () => {
    // What the owner of a claimed case may do.
    const card = consultationCard(
      model('claimed', ['unclaim', 'dispatch', 'answer', 'note', 'recategorise', 'close']),
      'ja',
    );
    const top = card.actions ?? [];
    expect(top.map((a) => a.title)).toEqual([
      '二次対応へ依頼',
      '回答する',
      '完了',
      'メモ',
      'その他の操作',
    ]);
    const more = top[4];
    expect(more?.type === 'Action.ShowCard' && more.card.actions?.map((a) => a.title)).toEqual([
      '担当を外れる',
      '分類変更',
    ]);
    expect(validateCard(card)).toEqual([]);
  });

  it('lists actions in a fixed order whatever order they were given in', () => {
    const card = consultationCard(model('claimed', ['close', 'claim', 'note', 'close']), 'ja');
    expect(executeActions(card).map((a) => a.verb)).toEqual(['claim', 'close', 'note']);
  });

  it.each(['ja', 'en'] as const)(
    'a dispatched card offers the other specialists, and the way back (%s)',
    (lang) => {
      // MEGAN has it: the view offers the others (views.test.ts).
      const card = consultationCard(
        model('dispatched', ['dispatch', 'return'], { specialists: [ADELE] }),
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const [redispatch, giveBack] = card.actions as Array<{
        title: string;
        card: { body: Array<{ id?: string; choices?: unknown[]; text?: string }> };
      }>;
      expect(redispatch!.title).toBe(lang === 'ja' ? '依頼先を変更' : 'Change specialist');
      expect(redispatch!.card.body[0]).toMatchObject({
        id: CARD_INPUTS.dispatchSpecialist,
        choices: [{ title: 'Adele Vance', value: 'user-id-2' }],
      });
      expect(redispatch!.card.body[0]).not.toHaveProperty('value');
      expect(giveBack!.title).toBe(lang === 'ja' ? '一次対応へ差し戻す' : 'Return to first line');
      expect(giveBack!.card.body[0]).toMatchObject({ id: CARD_INPUTS.returnReason });
      // With nobody else to send it to, the card says so instead of a form.
      const alone = consultationCard(model('dispatched', ['dispatch'], { specialists: [] }), lang);
      expect(validateCard(alone)).toEqual([]);
      expect(JSON.stringify(alone.actions)).toContain(
        lang === 'ja' ? 'ほかに依頼できる専門員' : 'No other specialist',
      );
      expect(JSON.stringify(alone.actions)).not.toContain(CARD_INPUTS.dispatchSpecialist);
    },
  );

  it('shows why a case came back from second line, under the last change', () => {
    const card = consultationCard(
      model('claimed', [], {
        lastChange: {
          action: 'return',
          by: MEGAN,
          at: '2026-11-26T06:00:00.000Z',
          reason: '**担当分野外**のため',
        },
      }),
      'ja',
    );
    expect(validateCard(card)).toEqual([]);
    const texts = allElements(card).flatMap((e) =>
      e.type === 'TextBlock' ? [(e as { text: string }).text] : [],
    );
    expect(texts).toContain('最終更新: Megan Bowenさんが一次対応へ差し戻しました 11/26 15:00');
    expect(texts).toContain('差し戻しの理由: \\*\\*担当分野外\\*\\*のため');
  });

  it('shows a reason of several lines line by line, the first after its label', () => {
    const reason = '担当分野外のため。\n\n1. 暗号化の範囲が不明\n2. 別の専門員が適任';
    const card = consultationCard(
      model('claimed', [], {
        lastChange: { action: 'return', by: MEGAN, at: '2026-11-26T06:00:00.000Z', reason },
      }),
      'en',
    );
    expect(validateCard(card)).toEqual([]);
    const texts = allElements(card).flatMap((e) =>
      e.type === 'TextBlock' ? [(e as { text: string }).text] : [],
    );
    const [first, ...rest] = reason.split('\n');
    expect(texts).toContain(`Why it was returned: ${first}`);
    expect(showsLines(texts, rest.join('\n'), escapeMarkdown)).toBe(true);
  });

  it('has the forms the service expects: specialist choices, coordination toggle, delivery by channel, taxonomy', () => {
    const card = consultationCard(
      model('claimed', ['dispatch', 'answer', 'recategorise', 'close', 'note'], {
        consultation: facts('claimed', { channel: 'email' }),
        reply: {
          templates: templatesFor('ransomware'),
          email: { method: 'reply' },
          emailByDefault: true,
          notice: null,
        },
      }),
      'ja',
    );
    // The specialist's way back to first line is on a dispatched card only.
    const dispatched = consultationCard(model('dispatched', ['return']), 'ja');
    const inputs = new Map(
      [...allElements(card), ...allElements(dispatched)]
        .filter((e) => e.type.startsWith('Input.'))
        .map((e) => [(e as { id: string }).id, e]),
    );
    expect([...inputs.keys()].sort()).toEqual(Object.values(CARD_INPUTS).sort());
    expect(inputs.get(CARD_INPUTS.returnReason)).toMatchObject({
      type: 'Input.Text',
      isRequired: true,
      label: '差し戻す理由',
    });
    expect(inputs.get(CARD_INPUTS.dispatchSpecialist)).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [
        { title: 'Megan Bowen', value: 'user-id-1' },
        { title: 'Adele Vance', value: 'user-id-2' },
      ],
    });
    expect(inputs.get(CARD_INPUTS.dispatchCoordination)).toMatchObject({
      type: 'Input.Toggle',
      valueOn: 'true',
      valueOff: 'false',
    });
    // Email goes by the toggle; the choice is how an answer not emailed was given.
    expect(inputs.get(CARD_INPUTS.replyEmail)).toMatchObject({
      type: 'Input.Toggle',
      value: 'true',
    });
    expect(inputs.get(CARD_INPUTS.answerDelivery)).toMatchObject({
      value: 'phone',
      choices: [
        { title: '電話で回答', value: 'phone' },
        { title: '窓口で回答', value: 'counter' },
      ],
    });
    expect(inputs.get(CARD_INPUTS.replyTemplate)).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [
        { title: 'ランサムウェア：初動対応', value: 'ransomware-first-response' },
        { title: '一般（自由記述）', value: 'general' },
      ],
    });
    expect(inputs.get(CARD_INPUTS.recategoriseCategory)).toMatchObject({ value: 'ransomware' });
    expect(
      (inputs.get(CARD_INPUTS.recategoriseCategory) as { choices: unknown[] }).choices,
    ).toHaveLength(20);
    expect(inputs.get(CARD_INPUTS.recategoriseUrgency)).toMatchObject({ value: 'critical' });
    // Not required on the client: that would block the template button while it is empty.
    expect(inputs.get(CARD_INPUTS.answerBody)).toMatchObject({ isMultiline: true });
    expect(inputs.get(CARD_INPUTS.answerBody)).not.toHaveProperty('isRequired');
    expect(inputs.get(CARD_INPUTS.closeReason)).not.toHaveProperty('isRequired');
    // A required choice left empty says 選択, a required text 入力.
    const required = [...inputs.values()].filter((e) => 'isRequired' in e);
    expect(required.map((e) => [e.type, (e as { errorMessage?: string }).errorMessage])).toEqual(
      required.map((e) => [
        e.type,
        e.type === 'Input.ChoiceSet' ? '選択してください。' : '入力してください。',
      ]),
    );
    expect(required.filter((e) => e.type === 'Input.ChoiceSet')).toHaveLength(3);
  });

  it('cuts refresh.userIds to 60 (first ones, no duplicates) and refreshes with the consultation id', () => {
    const ids = Array.from({ length: 75 }, (_, i) => `user-${i}`);
    const card = consultationCard(
      model('received', ['claim'], { refreshUserIds: [ids[0]!, ...ids] }),
      'ja',
    );
    expect(card.refresh?.userIds).toHaveLength(MAX_REFRESH_USERS);
    expect(card.refresh?.userIds).toEqual(ids.slice(0, 60));
    expect(card.refresh?.action).toMatchObject({
      type: 'Action.Execute',
      verb: 'refresh',
      data: { consultationId: 123 },
    });
    expect(validateCard(card)).toEqual([]);
    expect(refreshUserIds(['a', 'b', 'a'])).toEqual(['a', 'b']);
  });

  it('keeps consulter-written markdown and HTML inert', () => {
    const evil = {
      subject: '**x** [a](http://evil) <script>alert(1)</script>',
      details: '# h\n- list\n1. list\nC:\\Users\\x ![img](http://evil/i.png)',
      organisation: '<b>Org</b> _co_',
      person: '`whoami`',
    };
    const card = consultationCard(
      model('received', ['claim'], {
        consultation: facts('received', {
          subject: evil.subject,
          details: evil.details,
          consulter: { organisation: evil.organisation, person: evil.person },
        }),
        lastChange: {
          action: 'create',
          by: { id: 'user-id-3', name: 'Isaiah [Langer](http://evil)' },
          at: '2026-11-26T05:05:00Z',
        },
      }),
      'ja',
    );
    const json = JSON.stringify(card);
    for (const raw of [
      '**x**',
      '[a](http://evil)',
      '<script>',
      '</script>',
      '<b>',
      '![img]',
      '`whoami`',
      '_co_',
      '[Langer](http://evil)',
    ]) {
      expect(json).not.toContain(JSON.stringify(raw).slice(1, -1));
    }
    const all = texts(card);
    expect(all).toContain(escapeMarkdown(evil.subject));
    expect(showsLines(all, evil.details, escapeMarkdown)).toBe(true);
    expect(all.join('\n')).toContain(
      `${escapeMarkdown(evil.organisation)} ／ ${escapeMarkdown(evil.person)}`,
    );
    expect(validateCard(card)).toEqual([]);
  });

  it('stays under 80 KB with long texts, cutting the details with "…"', () => {
    const long = (n: number) => '長い相談内容です。'.repeat(Math.ceil(n / 9)).slice(0, n);
    const card = consultationCard(
      model('claimed', CARD_VERBS, {
        consultation: facts('claimed', {
          subject: long(5_000),
          details: long(50_000),
          consulter: { organisation: long(2_000), person: long(2_000) },
        }),
        specialists: Array.from({ length: 60 }, (_, i) => ({
          id: `user-${i}`,
          name: `Specialist ${i} ${long(50)}`,
        })),
        refreshUserIds: Array.from(
          { length: 200 },
          (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
        ),
        ledgerUrl: 'https://madoguchi.example/tab/ledger?id=123',
      }),
      'ja',
    );
    expect(bytes(card)).toBeLessThan(80 * 1024);
    expect(validateCard(card)).toEqual([]);
    const detailsBlock = texts(card).find(
      (t) => t.startsWith('長い相談内容です。') && t.length > 500,
    );
    expect(detailsBlock).toBeDefined();
    expect(detailsBlock!.endsWith('…')).toBe(true);
    expect(Array.from(detailsBlock!)).toHaveLength(CARD_DETAILS_MAX_CHARS);
    expect(texts(card).join('\n')).toContain('全文は相談台帳で確認できます');
    const openUrl = allElements(card)
      .flatMap((e) => (e.type === 'ActionSet' ? e.actions : []))
      .filter((a) => a.type === 'Action.OpenUrl');
    expect(openUrl).toEqual([
      {
        type: 'Action.OpenUrl',
        title: '相談台帳で開く',
        url: 'https://madoguchi.example/tab/ledger?id=123',
      },
    ]);
  });

  it('links to the ledger when it can, whether or not the details were cut', () => {
    const url = 'https://teams.microsoft.com/l/entity/app/ledger?context=x';
    const linked = consultationCard({ ...model('received', ['claim']), ledgerUrl: url }, 'ja');
    expect(validateCard(linked)).toEqual([]);
    const opens = allElements(linked)
      .flatMap((e) => (e.type === 'ActionSet' ? e.actions : []))
      .filter((a) => a.type === 'Action.OpenUrl');
    expect(opens).toEqual([{ type: 'Action.OpenUrl', title: '相談台帳で開く', url }]);
    const unlinked = consultationCard(model('received', ['claim']), 'ja');
    expect(JSON.stringify(unlinked)).not.toContain('Action.OpenUrl');
  });

  it('does not mention a cut when the details fit', () => {
    const card = consultationCard(model('received', ['claim']), 'ja');
    expect(texts(card).join('\n')).not.toContain('全文は相談台帳');
    expect(texts(card)).toContain(
      '朝出社したらファイルが開けず、身代金を要求する画面が表示された。',
    );
  });
});

describe('the same consulter’s other consultations on the card', () => {
  const fact = (card: AdaptiveCard, lang: Lang) =>
    allElements(card)
      .flatMap((e) => (e.type === 'FactSet' ? e.facts : []))
      .filter((f) => f.title === (lang === 'ja' ? '同じ相談者' : 'Same consulter'))
      .map((f) => f.value);
  const shown = (related: RelatedOnCard | null, lang: Lang = 'ja', state: State = 'received') =>
    fact(consultationCard(model(state, ['claim'], { related }), lang), lang);
  const record = (number: string, state: State, ledgerUrl?: string) => ({
    number,
    state,
    ...(ledgerUrl ? { ledgerUrl } : {}),
  });

  it('names one other consultation and its state, plainly when it is closed', () => {
    const one = { total: 1, records: [record('2026-000045', 'closed')] };
    expect(shown(one)).toEqual(['他の相談 1件（2026-000045・完了）']);
    expect(shown(one, 'en')).toEqual(['1 other consultation (2026-000045, closed)']);
  });

  it('says how many there are in all and which is the latest, right under the consulter', () => {
    const several = {
      total: 7,
      records: [record('2026-000045', 'closed'), record('2026-000040', 'closed')],
    };
    expect(shown(several)).toEqual(['他の相談 7件（最新 2026-000045・完了）']);
    expect(shown(several, 'en')).toEqual(['7 other consultations (latest 2026-000045, closed)']);
    const card = consultationCard(model('received', ['claim'], { related: several }), 'ja');
    const facts = allElements(card).flatMap((e) => (e.type === 'FactSet' ? e.facts : []));
    expect(facts.slice(0, 2).map((f) => f.title)).toEqual(['相談者', '同じ相談者']);
  });

  it('makes an open one noticeable: bold, and named first when it is not the latest', () => {
    const latestOpen = {
      total: 3,
      records: [record('2026-000045', 'dispatched'), record('2026-000012', 'closed')],
    };
    expect(shown(latestOpen)).toEqual(['**他の相談 3件（最新 2026-000045・二次対応中）**']);
    expect(shown(latestOpen, 'en')).toEqual([
      '**3 other consultations (latest 2026-000045, dispatched)**',
    ]);
    expect(shown(RELATED)).toEqual([
      '**他の相談 3件（対応中 [2026-000030](https://madoguchi.example/tab/ledger?id=30)・二次対応中、' +
        '最新 [2026-000045](https://madoguchi.example/tab/ledger?id=45)・完了）**',
    ]);
    expect(shown(RELATED, 'en')).toEqual([
      '**3 other consultations (open [2026-000030](https://madoguchi.example/tab/ledger?id=30), dispatched; ' +
        'latest [2026-000045](https://madoguchi.example/tab/ledger?id=45), closed)**',
    ]);
  });

  it('links each number to its ledger record when the card can link, as its own record is', () => {
    const linked = {
      total: 1,
      records: [
        record('2026-000045', 'answered', 'https://t.example/l/entity/app/ledger?context=(x)'),
      ],
    };
    // Parentheses would end the markdown link early: they are percent-encoded.
    expect(shown(linked)).toEqual([
      '**他の相談 1件（[2026-000045](https://t.example/l/entity/app/ledger?context=%28x%29)・回答済）**',
    ]);
  });

  it('shows nothing when there are none, and nothing on an erased record’s card', () => {
    expect(shown(null)).toEqual([]);
    expect(shown({ total: 0, records: [] })).toEqual([]);
    for (const lang of LANGS) {
      const erased = consultationCard(
        model('closed', [], {
          consultation: facts('closed', {
            consulter: { organisation: null, person: null },
            erasure: { at: '2031-11-27T03:00:00.000Z', reason: 'request' },
          }),
          related: RELATED,
        }),
        lang,
      );
      expect(fact(erased, lang)).toEqual([]);
      expect(JSON.stringify(erased)).not.toContain('2026-000030');
    }
  });
});

describe('editFormCard', () => {
  const record = consultationRecord({ id: 7, number: '2026-000007', version: 5 });
  const values = editValues(record);
  const model = {
    consultationId: 7,
    number: '2026-000007',
    version: 5,
    values,
    shown: fingerprints(values),
  };

  it.each(LANGS)(
    'validates, filled with the record, and saves with the version it read (%s)',
    (lang) => {
      const card = editFormCard(model, lang);
      expect(validateCard(card)).toEqual([]);
      const inputs = allElements(card).filter((e) => e.type.startsWith('Input.')) as Array<{
        id: string;
        value?: string;
      }>;
      // Channel, category and urgency have their own buttons.
      expect(inputs.map((i) => i.id)).toEqual(
        INTAKE_FIELDS.filter((f) => !['channel', 'categoryId', 'urgency'].includes(f)),
      );
      const value = (id: string) => inputs.find((i) => i.id === id)?.value;
      expect(value('consulter.organisation')).toBe(record.consulter.organisation);
      expect(value('subject')).toBe(record.subject);
      expect(value('details')).toBe(record.details);
      expect(value('situation.ongoing')).toBe(record.situation.ongoing);
      expect(texts(card)[0]).toBe(
        `${lang === 'ja' ? '相談記録の修正' : 'Edit the consultation record'} 2026-000007`,
      );
      expect(card.actions).toEqual([
        expect.objectContaining({
          verb: 'edit',
          data: { consultationId: 7, version: 5, shown: JSON.stringify(model.shown) },
        }),
        expect.objectContaining({ verb: 'refresh', data: { consultationId: 7, version: 5 } }),
      ]);
    },
  );

  it('leaves out a text longer than the form takes, and says so, rather than cut it', () => {
    const long = 'あ'.repeat(INTAKE_MAX_LENGTH.details + 1);
    const card = editFormCard({ ...model, values: { ...model.values, details: long } }, 'ja');
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('"id":"details"');
    expect(texts(card)).toContain('長いためここでは修正できない項目（そのまま残ります）: 相談内容');
    // No way to the ledger without its address; with it, a button to correct them there.
    expect(JSON.stringify(card)).not.toContain('Action.OpenUrl');
    const url = 'https://teams.microsoft.com/l/entity/app-id/ledger?context=x';
    const linked = editFormCard(
      { ...model, values: { ...model.values, details: long }, ledgerUrl: url },
      'en',
    );
    expect(validateCard(linked)).toEqual([]);
    expect(allElements(linked)).toContainEqual(
      expect.objectContaining({
        type: 'ActionSet',
        actions: [{ type: 'Action.OpenUrl', title: 'Correct them in the ledger', url }],
      }),
    );
    // Nothing too long: no button.
    expect(JSON.stringify(editFormCard({ ...model, ledgerUrl: url }, 'ja'))).not.toContain(
      'Action.OpenUrl',
    );
  });

  it('comes back with what was typed and the errors under their fields', () => {
    const card = editFormCard(
      {
        ...model,
        values: { ...model.values, 'consulter.email': 'yamada@' },
        errors: { 'consulter.email': { ja: 'メールアドレスの形式が正しくありません。', en: 'x' } },
      },
      'ja',
    );
    const flat = allElements(card);
    const i = flat.findIndex((e) => 'id' in e && e.id === 'consulter.email');
    expect(flat[i]).toMatchObject({ value: 'yamada@' });
    expect(flat[i + 1]).toMatchObject({
      text: 'メールアドレスの形式が正しくありません。',
      color: 'attention',
    });
    expect(texts(card).join('\n')).toContain('入力内容に誤りがあります');
  });
});

describe('intakeFormCard', () => {
  const typed: IntakeValues = {
    channel: 'counter',
    'consulter.organisation': '**有限会社** [テスト](http://evil)',
    'consulter.email': 'not-an-email',
    'consulter.employees': '約30',
    categoryId: 'phishing',
    urgency: 'high',
    subject: '',
    details: '不審なメールのリンクを開いてしまった',
    'situation.ongoing': 'yes',
    'situation.whatHappened': '# 見出し\n- 箇条書き',
  };
  const errors = {
    'consulter.email': {
      ja: 'メールアドレスの形式が正しくありません。',
      en: 'The email address is not valid.',
    },
    'consulter.employees': {
      ja: '従業員数は数値で入力してください。',
      en: 'Employees must be a number.',
    },
    subject: { ja: '件名を入力してください。', en: 'Subject is required.' },
    receivedAt: { ja: '日時の形式が正しくありません。', en: 'The date is not valid.' },
  };

  it.each(LANGS)('validates with no errors, empty and filled in (%s)', (lang) => {
    expect(validateCard(intakeFormCard({ formId: 'f-1' }, lang))).toEqual([]);
    expect(validateCard(intakeFormCard({ formId: 'f-1', values: typed, errors }, lang))).toEqual(
      [],
    );
  });

  it('has one input per field, with the field path as id, and submits intake.submit with the form id', () => {
    const card = intakeFormCard({ formId: 'f-1' }, 'ja');
    const ids = allElements(card)
      .filter((e) => e.type.startsWith('Input.'))
      .map((e) => (e as { id: string }).id);
    expect(ids).toEqual([...INTAKE_FIELDS]);
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        verb: 'intake.submit',
        title: '登録する',
        style: 'positive',
        data: { formId: 'f-1' },
      },
    ]);
  });

  it.each(LANGS)('tells what a required field left empty needs: a choice or text (%s)', (lang) => {
    const required = allElements(intakeFormCard({ formId: 'f-1' }, lang)).filter(
      (e) => 'isRequired' in e && e.isRequired,
    );
    const said = Object.fromEntries(
      required.map((e) => [(e as { id: string }).id, (e as { errorMessage: string }).errorMessage]),
    );
    const choose = lang === 'ja' ? '選択してください。' : 'Please choose one.';
    const fill = lang === 'ja' ? '入力してください。' : 'Please fill this in.';
    expect(said).toEqual({
      channel: choose,
      categoryId: choose,
      urgency: choose,
      subject: fill,
      details: fill,
    });
  });

  it('offers the four channels in the desk order and defaults the choices', () => {
    const card = intakeFormCard({ formId: 'f-1' }, 'ja');
    const byId = (id: string) => allElements(card).find((e) => 'id' in e && e.id === id);
    expect(byId('channel')).toMatchObject({
      value: 'phone',
      choices: [
        { title: '電話', value: 'phone' },
        { title: '窓口', value: 'counter' },
        { title: 'メール', value: 'email' },
        { title: 'Webフォーム', value: 'web' },
      ],
    });
    expect(byId('urgency')).toMatchObject({ value: 'normal' });
    expect(byId('situation.ongoing')).toMatchObject({ value: 'unknown', style: 'expanded' });
    expect(byId('categoryId')).not.toHaveProperty('value');
    expect(byId('categoryId')).toMatchObject({ placeholder: '選択してください', isRequired: true });
  });

  it('shows each error right under its field and keeps what was typed, verbatim', () => {
    const card = intakeFormCard({ formId: 'f-1', values: typed, errors }, 'ja');
    const flat = allElements(card);
    const under = (id: string) => {
      const i = flat.findIndex((e) => 'id' in e && e.id === id);
      return { input: flat[i], next: flat[i + 1] };
    };
    for (const [path, message] of Object.entries(errors).filter(([p]) => p !== 'receivedAt')) {
      const { next } = under(path);
      expect(next).toMatchObject({ type: 'TextBlock', text: message.ja, color: 'attention' });
    }
    // A field without an error has no error line under it.
    expect(under('consulter.person').next).toMatchObject({ id: 'consulter.email' });
    expect(under('consulter.email').input).toMatchObject({ value: 'not-an-email' });
    expect(under('consulter.employees').input).toMatchObject({ type: 'Input.Text', value: '約30' });
    // Input values are not markdown: they come back exactly as typed.
    expect(under('consulter.organisation').input).toMatchObject({
      value: typed['consulter.organisation'],
    });
    expect(under('situation.whatHappened').input).toMatchObject({ value: '# 見出し\n- 箇条書き' });
    expect(under('channel').input).toMatchObject({ value: 'counter' });
    expect(under('categoryId').input).toMatchObject({ value: 'phishing' });
    expect(under('urgency').input).toMatchObject({ value: 'high' });
    expect(under('situation.ongoing').input).toMatchObject({ value: 'yes' });
    expect(under('subject').input).not.toHaveProperty('value');
    // The summary on top, with the error that belongs to no input.
    const all = texts(card).join('\n');
    expect(all).toContain('入力内容に誤りがあります');
    expect(all).toContain('受付日時: 日時の形式が正しくありません。');
  });

  it('shows the errors in English', () => {
    const card = intakeFormCard({ formId: 'f-1', values: typed, errors }, 'en');
    expect(texts(card)).toEqual(
      expect.arrayContaining(['Subject is required.', 'The email address is not valid.']),
    );
  });

  it('ignores a typed choice that is not offered', () => {
    const card = intakeFormCard(
      { formId: 'f-1', values: { channel: 'fax', categoryId: 'nope' } },
      'ja',
    );
    const byId = (id: string) => allElements(card).find((e) => 'id' in e && e.id === id);
    expect(byId('channel')).toMatchObject({ value: 'phone' });
    expect(byId('categoryId')).not.toHaveProperty('value');
    expect(validateCard(card)).toEqual([]);
  });

  it('stays under 80 KB with every field at its longest', () => {
    const fill = (n: number) => 'あ'.repeat(n);
    const values: IntakeValues = {};
    for (const f of INTAKE_FIELDS) values[f] = fill(INTAKE_MAX_LENGTH.details + 100);
    const allErrors = Object.fromEntries(
      INTAKE_FIELDS.map((f) => [f, localize('error.validation')]),
    );
    const card = intakeFormCard({ formId: 'f-1', values, errors: allErrors }, 'ja');
    expect(bytes(card)).toBeLessThan(80 * 1024);
    expect(validateCard(card)).toEqual([]);
  });
});

describe('small cards', () => {
  const items: ConsultationListItem[] = [
    {
      consultationId: 1,
      number: '2026-000001',
      subject: '**bold** <i>x</i>',
      state: 'received',
      urgency: 'high',
      receivedAt: '2026-11-26T00:00:00Z',
      erased: false,
    },
    {
      consultationId: 2,
      number: '2026-000002',
      subject: 'フィッシングメール',
      state: 'claimed',
      urgency: 'normal',
      receivedAt: '2026-11-26T01:00:00Z',
      erased: false,
    },
  ];

  it.each(LANGS)('all validate with no errors (%s)', (lang) => {
    for (const card of [
      noticeCard('すでにAlex Wilberさんが担当しています'),
      errorCard(localize('error.internal'), lang),
      helpCard(lang),
      helpCard(lang, 'サポート'),
      listCard(items, lang),
      listCard([], lang, { actions: [waitingButton(lang)] }),
      listCard(items, lang, {
        actions: [waitingButton(lang), ledgerListButton('https://madoguchi.example/l', lang)],
      }),
      listCard(items, lang, { title: { ja: '検索結果', en: 'Search results' }, total: 40 }),
    ]) {
      expect(validateCard(card)).toEqual([]);
    }
  });

  it('noticeCard shows the text inert', () => {
    const card = noticeCard('すでに**Alex**さんが担当しています');
    expect(texts(card)).toEqual(['すでに\\*\\*Alex\\*\\*さんが担当しています']);
  });

  it('errorCard shows the message in the chosen language', () => {
    const message = localize('error.conflict', {
      byName: 'Alex Wilber',
      actionJa: '担当',
      actionEn: 'claim',
      stateJa: '一次対応中',
      stateEn: 'Claimed',
    });
    expect(texts(errorCard(message, 'ja')).join('\n')).toContain(
      'すでにAlex Wilberさんが「担当」を行いました',
    );
    expect(texts(errorCard(message, 'en')).join('\n')).toContain(
      'Alex Wilber has already done "claim"',
    );
  });

  it('helpCard offers new intake, my cases and what is waiting', () => {
    expect(executeActions(helpCard('ja')).map((a) => a.verb)).toEqual([
      'intake.new',
      'list.mine',
      'list.waiting',
    ]);
  });

  it('helpCard says where cards arrive: the intake channel by name when it has one', () => {
    expect(texts(helpCard('ja', '相談*受付'))).toContain(
      '新しい相談はチームの「相談\\*受付」チャネル（相談受付チャネル）にカードで届きます。カードのボタンで担当・依頼・回答・完了ができます。',
    );
    expect(texts(helpCard('en', 'Desk'))).toContain(
      'New consultations arrive as cards in the team\'s "Desk" channel (the intake channel). Use the card\'s buttons to claim, dispatch, answer and close.',
    );
    expect(texts(helpCard('en'))).toContain(
      "New consultations arrive as cards in the team's intake channel. Use the card's buttons to claim, dispatch, answer and close.",
    );
  });

  it.each(LANGS)('helpCard names only commands the bot understands (%s)', (lang) => {
    const named = [
      ...texts(helpCard(lang))
        .join('\n')
        .matchAll(/\*\*(.+?)\*\*/g),
    ].map((m) => m[1]!);
    // The search's own line names its placeholder: a search needs words after the command.
    const kinds = named.map(
      (n) => parseCommand(n.replace(/ (キーワード|words)$/, ' ランサム')).kind,
    );
    expect(kinds).toEqual(['new', 'mine', 'waiting', 'search', 'language', 'language', 'help']);
    // The language line offers the other language first.
    const other = lang === 'ja' ? 'en' : 'ja';
    expect(parseCommand(named[4]!)).toEqual({ kind: 'language', lang: other });
  });

  it.each(LANGS)(
    'waitingCard: each open state with how many and how long the longest has waited, then those (%s)',
    (lang) => {
      const now = new Date('2026-11-27T03:00:00Z');
      const card = waitingCard(
        [
          { state: 'received', total: 5, oldest: [items[0]!] },
          {
            state: 'claimed',
            total: 1,
            oldest: [{ ...items[1]!, receivedAt: '2026-11-27T02:15:00Z' }],
          },
          { state: 'dispatched', total: 0, oldest: [] },
          {
            state: 'answered',
            total: 1,
            oldest: [{ ...items[1]!, consultationId: 3, receivedAt: '2026-11-22T03:00:00Z' }],
          },
        ],
        now,
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const all = texts(card);
      expect(all[0]).toBe(
        lang === 'ja'
          ? '対応待ちの相談（11/27 12:00 時点）'
          : 'Waiting at the desk (as of 11/27 12:00)',
      );
      expect(all).toEqual(
        expect.arrayContaining(
          lang === 'ja'
            ? [
                '受付 5件（最も長いもの: 受付から 27時間）',
                'ほか 4 件',
                '一次対応中 1件（最も長いもの: 受付から 45分）',
                '回答済 1件（最も長いもの: 受付から 5日）',
              ]
            : [
                'Received: 5 (longest waiting: 27 h since received)',
                '4 more',
                'Claimed: 1 (longest waiting: 45 min since received)',
                'Answered: 1 (longest waiting: 5 days since received)',
              ],
        ),
      );
      // A state with nothing in it is left out.
      expect(all.join('\n')).not.toContain(lang === 'ja' ? '二次対応中' : 'Dispatched');
      expect(executeActions(card).map((a) => a.data)).toEqual([
        { consultationId: 1 },
        { consultationId: 2 },
        { consultationId: 3 },
      ]);
      const none = waitingCard([{ state: 'received', total: 0, oldest: [] }], now, lang);
      expect(validateCard(none)).toEqual([]);
      expect(texts(none)).toContain(
        lang === 'ja' ? '対応待ちの相談はありません。' : 'Nothing is waiting.',
      );
    },
  );

  it('listCard has one open button per row, escaped subjects, number and state', () => {
    const card = listCard(items, 'ja');
    expect(executeActions(card).map((a) => [a.verb, a.data])).toEqual([
      ['open', { consultationId: 1 }],
      ['open', { consultationId: 2 }],
    ]);
    const all = texts(card).join('\n');
    expect(all).toContain('\\*\\*bold\\*\\* \\<i\\>x\\</i\\>');
    expect(all).toContain('2026-000001 ・ 受付');
    expect(all).toContain('2026-000002 ・ 一次対応中');
    expect(texts(listCard([], 'en')).join('\n')).toContain('No consultations found.');
  });

  it.each(LANGS)(
    'listCard shows an erased record with a placeholder for its subject (%s)',
    (lang) => {
      const erased = {
        ...items[1]!,
        consultationId: 3,
        subject: '',
        state: 'closed' as const,
        erased: true,
      };
      const card = listCard([items[0]!, erased], lang);
      expect(validateCard(card)).toEqual([]);
      const all = texts(card);
      expect(all).toContain(lang === 'ja' ? '（消去済み）' : '(Erased)');
      expect(all.join('\n')).toContain(
        lang === 'ja' ? '2026-000002 ・ 完了' : '2026-000002 ・ Closed',
      );
      expect(executeActions(card).map((a) => a.data)).toEqual([
        { consultationId: 1 },
        { consultationId: 3 },
      ]);
    },
  );

  it('listCard shows at most 25 rows and counts the rest', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...items[1]!, consultationId: i + 1 }));
    const card = listCard(many, 'ja');
    expect(executeActions(card)).toHaveLength(LIST_MAX_ROWS);
    expect(texts(card).join('\n')).toContain('ほか 15 件');
    expect(validateCard(card)).toEqual([]);
  });
});

describe('card types', () => {
  it('reject misspelt properties at compile time', () => {
    // @ts-expect-error `colour` is not a TextBlock property
    const a: TextBlock = { type: 'TextBlock', text: 'x', colour: 'attention' };
    // @ts-expect-error `red` is not a TextBlock colour
    const b: TextBlock = { type: 'TextBlock', text: 'x', color: 'red' };
    // @ts-expect-error an input needs an id
    const c: CardElement = { type: 'Input.Text' };
    expect([a, b, c]).toHaveLength(3);
  });
});

describe('the reply flow', () => {
  const EMAIL_FORM: ReplyFormModel = {
    templates: templatesFor('ransomware'),
    email: { method: 'reply' },
    emailByDefault: true,
    notice: null,
  };
  const inputsOf = (card: AdaptiveCard) =>
    new Map(
      allElements(card)
        .filter((e) => e.type.startsWith('Input.'))
        .map((e) => [(e as { id: string }).id, e as CardElement & Record<string, unknown>]),
    );
  const answerForm = (card: AdaptiveCard) => {
    const show = (card.actions ?? []).find((a) => a.title === '回答する' || a.title === 'Answer');
    if (show?.type !== 'Action.ShowCard') throw new Error('no answer form');
    return show.card;
  };

  it.each(LANGS)(
    'the answer form without email: template, text, how it was given; submit records (%s)',
    (lang) => {
      const card = consultationCard(
        model('dispatched', ['answer'], {
          reply: {
            templates: templatesFor('ransomware'),
            email: null,
            emailByDefault: false,
            notice: localize('field.no_email_address'),
          },
        }),
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const form = answerForm(card);
      const ids = form.body.flatMap((e) =>
        e.type.startsWith('Input.') ? [(e as { id: string }).id] : [],
      );
      expect(ids).toEqual([
        CARD_INPUTS.replyTemplate,
        CARD_INPUTS.answerBody,
        CARD_INPUTS.answerDelivery,
      ]);
      expect((form.actions ?? []).map((a) => (a as ExecuteAction).verb)).toEqual(['answer']);
      expect(texts(card).join('\n')).toContain(
        escapeMarkdown(localize('field.no_email_address')[lang]),
      );
    },
  );

  it.each(LANGS)(
    'the answer form with email: the toggle and CC, the notice when mail is off; submit previews (%s)',
    (lang) => {
      const notice = localize('mail.not_configured');
      const card = consultationCard(
        model('dispatched', ['answer'], {
          reply: { ...EMAIL_FORM, email: { method: 'new' }, emailByDefault: false, notice },
        }),
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const inputs = inputsOf(card);
      expect(inputs.get(CARD_INPUTS.replyEmail)).toMatchObject({ value: 'false', valueOn: 'true' });
      expect(inputs.get(CARD_INPUTS.replyEmail)!.title).toBe(
        lang === 'ja'
          ? '相談者にメールで送る（新しいメール）'
          : 'Email the consulter (a new email)',
      );
      expect(inputs.get(CARD_INPUTS.replyCc)).toMatchObject({ type: 'Input.Text' });
      expect(texts(card).join('\n')).toContain(escapeMarkdown(notice[lang]));
      expect((answerForm(card).actions ?? []).map((a) => (a as ExecuteAction).verb)).toEqual([
        VERBS.replyPreview,
      ]);
    },
  );

  it.each(LANGS)(
    'the form card keeps what was typed and shows errors under their inputs (%s)',
    (lang) => {
      const values = {
        [CARD_INPUTS.replyTemplate]: 'ransomware-first-response',
        [CARD_INPUTS.answerBody]: '**そのまま** <b>表示</b>\n2行目',
        [CARD_INPUTS.replyEmail]: 'false',
        [CARD_INPUTS.replyCc]: 'it@example.jp, not-an-address',
        [CARD_INPUTS.answerDelivery]: 'counter',
      };
      const ccError = { ja: 'CCの形式が正しくありません', en: 'CC is not a valid address' };
      const card = replyFormCard(
        {
          consultation: facts('dispatched'),
          form: EMAIL_FORM,
          values,
          errors: replyErrors({ 'cc.1': ccError }),
          keptTyped: true,
        },
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const inputs = inputsOf(card);
      for (const [id, value] of Object.entries(values)) {
        expect([id, inputs.get(id)?.value]).toEqual([id, value]);
      }
      const ccIndex = card.body.findIndex((e) => e.id === CARD_INPUTS.replyCc);
      expect(card.body[ccIndex + 1]).toMatchObject({
        type: 'TextBlock',
        text: ccError[lang],
        color: 'attention',
      });
      expect(texts(card).join('\n')).toContain('2026-000123');
      expect(executeActions(card).map((a) => [a.verb, a.data])).toEqual([
        [VERBS.replyPreview, { consultationId: 123, version: 4 }],
        [VERBS.refresh, { consultationId: 123 }],
        [VERBS.replyTemplate, { consultationId: 123, version: 4 }],
        [VERBS.replySimilar, { consultationId: 123, version: 4 }],
      ]);
    },
  );

  it.each(LANGS)(
    'similar past cases above the form: linked numbers, how alike, the start of each answer; what was typed kept (%s)',
    (lang) => {
      const typed = { [CARD_INPUTS.answerBody]: '書きかけの回答' };
      const similar: SimilarOnCard[] = [
        {
          number: '2026-000045',
          subject: 'ファイルが**暗号化**された',
          likeness: 0.624,
          excerpt: 'LAN から切り離してください。'.repeat(20),
          answeredBy: { name: '専門員C', line: 'second', at: '2026-10-06T03:00:00.000Z' },
          ledgerUrl: 'https://teams.microsoft.com/l/entity/app/ledger?context=(45)',
        },
        {
          number: '2026-000030',
          subject: 'USB の扱い',
          likeness: 0,
          excerpt: '規程の例を紹介。',
          answeredBy: { name: '受付担当A', line: 'first', at: '2026-09-01T02:00:00.000Z' },
        },
      ];
      const card = replyFormCard(
        {
          consultation: model('dispatched', ['answer']).consultation,
          form: EMAIL_FORM,
          values: typed,
          similar,
        },
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const all = texts(card);
      const at = (t: string) => all.findIndex((x) => x.includes(t));
      expect(all).toContain(
        lang === 'ja'
          ? '似た過去の相談（同じ分類で回答済み）'
          : 'Similar past cases (same category, answered)',
      );
      expect(all).toContain(
        `[2026-000045](https://teams.microsoft.com/l/entity/app/ledger?context=%2845%29) ファイルが\\*\\*暗号化\\*\\*された${lang === 'ja' ? '（近さ 62%）' : ' (62% alike)'}`,
      );
      expect(all).toContain(
        `2026-000030 USB の扱い${lang === 'ja' ? '（近さ 0%）' : ' (0% alike)'}`,
      );
      const excerpt = all.find((t) => t.startsWith('LAN から切り離して'))!;
      expect(Array.from(excerpt)).toHaveLength(SIMILAR_EXCERPT_CHARS);
      expect(excerpt.endsWith('…')).toBe(true);
      expect(all).toContain(
        lang === 'ja'
          ? '専門員Cの回答（二次対応・2026/10/06）'
          : 'Answer by 専門員C (specialist, 2026/10/06)',
      );
      // Above the form, whose text is kept.
      expect(at('2026-000045')).toBeLessThan(at('規程の例を紹介。'));
      expect(inputsOf(card).get(CARD_INPUTS.answerBody)).toMatchObject({ value: '書きかけの回答' });
      // None yet: said so.
      const none = replyFormCard(
        {
          consultation: model('dispatched', ['answer']).consultation,
          form: EMAIL_FORM,
          values: {},
          similar: [],
        },
        lang,
      );
      expect(validateCard(none)).toEqual([]);
      expect(texts(none)).toContain(
        lang === 'ja'
          ? 'この分類で回答して完了した相談はまだありません。'
          : 'No case of this category has been answered and closed yet.',
      );
    },
  );

  it('maps the service’s field paths to the form’s inputs', () => {
    const m = (ja: string) => ({ ja, en: ja });
    expect(
      replyErrors({
        body: m('a'),
        'cc.0': m('b'),
        'cc.2': m('c'),
        emailConsulter: m('d'),
        x: m('e'),
      }),
    ).toEqual({
      [CARD_INPUTS.answerBody]: m('a'),
      [CARD_INPUTS.replyCc]: m('b'),
      [CARD_INPUTS.replyEmail]: m('d'),
      x: m('e'),
    });
  });

  it.each(LANGS)(
    'the preview shows exactly what is sent, and its buttons carry the values (%s)',
    (lang) => {
      const values = {
        [CARD_INPUTS.answerBody]: '本文 *強調* [リンク](http://evil)',
        [CARD_INPUTS.replyEmail]: 'true',
        [CARD_INPUTS.replyCc]: 'it@example.jp',
      };
      const text =
        '本文 *強調* [リンク](http://evil)\n\n--\nサイバーセキュリティ相談窓口\n相談番号: 2026-000123\n';
      const card = replyPreviewCard(
        {
          consultation: facts('dispatched'),
          email: {
            method: 'reply',
            to: ['yamada@sample.example.jp'],
            cc: ['it@example.jp'],
            subject: 'RE: 【相談番号 2026-000123】至急',
            text,
          },
          delivery: 'email',
          notice: null,
          values,
        },
        lang,
      );
      expect(validateCard(card)).toEqual([]);
      const all = texts(card);
      expect(showsLines(all, text, escapeMarkdown)).toBe(true);
      expect(all).toContain('yamada@sample.example.jp');
      expect(all).toContain('it@example.jp');
      expect(all).toContain('RE: 【相談番号 2026-000123】至急');
      // Rendered inert (the buttons' data carries the text as typed, which is not rendered).
      expect(all.join('\n')).not.toContain('[リンク](http://evil)');
      const expected = { consultationId: 123, version: 4, ...values };
      expect(executeActions(card).map((a) => [a.verb, a.title, a.data])).toEqual([
        [VERBS.replySend, lang === 'ja' ? 'メールを送信する' : 'Send the email', expected],
        [VERBS.replyEdit, lang === 'ja' ? '編集に戻る' : 'Back to edit', expected],
      ]);
    },
  );

  it('the preview of an answer not emailed says how it is recorded', () => {
    const card = replyPreviewCard({
      consultation: facts('dispatched'),
      email: null,
      delivery: 'phone',
      notice: null,
      values: {
        [CARD_INPUTS.answerBody]: '電話で案内した。',
        [CARD_INPUTS.answerDelivery]: 'phone',
      },
    });
    expect(validateCard(card)).toEqual([]);
    expect(texts(card).join('\n')).toContain('電話で回答');
    expect(texts(card)).toContain('電話で案内した。');
    expect(allElements(card).some((e) => e.type === 'FactSet')).toBe(false);
    expect(executeActions(card)[0]).toMatchObject({
      verb: VERBS.replySend,
      title: '回答を登録する',
    });
  });

  describe.each(DELIVERY_STATUSES.flatMap((s) => LANGS.map((lang) => [s, lang] as const)))(
    'the latest answer on the card, %s, %s',
    (status, lang) => {
      const answer = (over: Partial<AnswerSummary> = {}): AnswerSummary => ({
        id: 42,
        author: ADELE,
        createdAt: '2026-11-26T06:00:00.000Z',
        delivery: status === 'recorded' ? 'phone' : 'email',
        deliveryStatus: status,
        body: '回答の本文です。'.repeat(100),
        lastError:
          status === 'failed'
            ? {
                ja: 'Microsoft Graph が一時的に応答しません',
                en: 'Microsoft Graph is not answering',
              }
            : null,
        canRetry: status === 'failed',
        ...over,
      });

      it('validates, shows the status label, the reason and 「再送する」 when it failed', () => {
        for (const state of ['answered', 'closed', 'claimed'] as const) {
          const card = consultationCard(model(state, [], { answer: answer() }), lang);
          expect(validateCard(card)).toEqual([]);
          const all = texts(card).join('\n');
          expect(all).toContain(DELIVERY_STATUS_LABELS[status][lang]);
          const retry = executeActions(card).filter((a) => a.verb === VERBS.replyRetry);
          if (status === 'failed') {
            expect(all).toContain('Microsoft Graph');
            expect(retry.map((a) => a.data)).toEqual([{ consultationId: 123, answerId: 42 }]);
          } else {
            expect(retry).toEqual([]);
          }
          const body = texts(card).find((t) => t.startsWith('回答の本文です。'))!;
          expect(Array.from(body)).toHaveLength(CARD_ANSWER_MAX_CHARS);
        }
        const noRetry = consultationCard(
          model('answered', [], { answer: answer({ canRetry: false }) }),
          lang,
        );
        expect(executeActions(noRetry).filter((a) => a.verb === VERBS.replyRetry)).toEqual([]);
        expect(answerSection(123, answer(), lang)).toHaveLength(1);
      });
    },
  );
});

describe('a list whose search stopped counting', () => {
  test('says 「以上」 / "+" rather than a number it does not know', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      consultationId: i + 1,
      number: `2026-${String(i + 1).padStart(6, '0')}`,
      subject: `相談${i}`,
      state: 'received' as const,
      urgency: 'normal' as const,
      receivedAt: '2026-11-25T00:00:00.000Z',
      erased: false,
    }));
    const ja = JSON.stringify(listCard(items, 'ja', { total: 1000, totalIsLowerBound: true }));
    const en = JSON.stringify(listCard(items, 'en', { total: 1000, totalIsLowerBound: true }));
    expect(ja).toContain('（1000件以上）');
    expect(ja).toContain('ほか 975 件以上');
    expect(en).toContain('（1000+）');
    expect(JSON.stringify(listCard(items, 'ja', { total: 30 }))).toContain('（30）');
    expect(validateCard(listCard(items, 'ja', { total: 1000, totalIsLowerBound: true }))).toEqual(
      [],
    );
  });
});
