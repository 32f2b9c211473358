import {
  createSchema,
  dispatchSchema,
  fieldError,
  parseInput,
} from '../../src/consultation/consultation.input';
import { ValidationError } from '../../src/errors';

/** The field errors `run` throws, in both languages. */
function fieldsOf(run: () => unknown): Record<string, { ja: string; en: string }> {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError)
      return err.fields as Record<string, { ja: string; en: string }>;
    throw err;
  }
  throw new Error('no validation error');
}

describe('what a missing field says', () => {
  test('a field chosen from a list is to be chosen; a text, typed', () => {
    const fields = fieldsOf(() =>
      parseInput(createSchema, { channel: 'phone', consulter: {}, situation: {}, details: 'x' }),
    );
    expect(fields.categoryId).toEqual({
      ja: '相談分類を選んでください。',
      en: 'Category is required: choose one.',
    });
    expect(fields.subject).toEqual({ ja: '件名を入力してください。', en: 'Subject is required.' });
    expect(
      fieldsOf(() => parseInput(dispatchSchema, { coordinationNeeded: false })).specialistId,
    ).toEqual({
      ja: '依頼先の専門員を選んでください。',
      en: 'Specialist is required: choose one.',
    });
  });

  test('so do the errors raised by a rule', () => {
    expect(
      fieldsOf(() => {
        throw fieldError('templateId', 'field.required');
      }).templateId!.ja,
    ).toBe('テンプレートを選んでください。');
    expect(
      fieldsOf(() => {
        throw fieldError('reason', 'field.required');
      }).reason!.ja,
    ).toBe('理由を入力してください。');
    // Other messages are left as they are.
    expect(
      fieldsOf(() => {
        throw fieldError('categoryId', 'field.invalid_choice');
      }).categoryId!.ja,
    ).toBe('相談分類は一覧から選んでください。');
  });
});
