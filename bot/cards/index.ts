/** Adaptive Card builders for the Teams surface: pure functions from a view model to a card. */
export * from './adaptive-card';
export * from './models';
export {
  consultationCard,
  refreshUserIds,
  MAX_REFRESH_USERS,
  CARD_DETAILS_MAX_CHARS,
} from './consultation-card';
export { editFormCard, intakeFormCard, INTAKE_MAX_LENGTH } from './intake-form-card';
export {
  answerSection,
  replyErrors,
  replyFormCard,
  replyPreviewCard,
  CARD_ANSWER_MAX_CHARS,
  SIMILAR_EXCERPT_CHARS,
} from './reply-cards';
export {
  noticeCard,
  errorCard,
  helpCard,
  listCard,
  ledgerListButton,
  waitingCard,
  waitingButton,
  LIST_MAX_ROWS,
  type WaitingGroupOnCard,
} from './small-cards';
export {
  escapeMarkdown,
  lineBlocks,
  messageParagraphs,
  MAX_LINE_BLOCKS,
  truncate,
  formatTokyo,
} from './text';
