/**
 * What office-addin-mock reads from office-addin-manifest: the Office app names. The real
 * module cannot be loaded by CommonJS jest (ESM-only dependencies); test files that use
 * office-addin-mock replace it with this:
 *
 *   jest.mock('office-addin-manifest', () => jest.requireActual('../support/office-addin-manifest-stub'));
 */
export const OfficeApp = {
  Excel: 'excel',
  OneNote: 'onenote',
  Outlook: 'outlook',
  PowerPoint: 'powerpoint',
  Project: 'project',
  Word: 'word',
} as const;
