import type * as Restify from 'restify';

/**
 * restify, loaded without the two DEP0111 warnings its optional SPDY support
 * (spdy → http-deceiver) prints at load time; other deprecations still show.
 */
function load(): typeof Restify {
  const previous = process.noDeprecation;
  process.noDeprecation = true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('restify') as typeof Restify;
  } finally {
    process.noDeprecation = previous;
  }
}

export const restify = load();
