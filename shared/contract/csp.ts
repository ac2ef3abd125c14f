// The Content-Security-Policy of the renderer, sent as a header by both hosts and written as a
// meta tag into index.html by the build. One definition so they cannot drift. Pure.

/**
 * `style-src 'unsafe-inline'` is needed because xterm.js and CodeMirror inject <style> elements;
 * scripts stay 'self' only, which is what matters against injection.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Directives a <meta> CSP cannot carry (the browser ignores them there, with a console error). */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The same policy for the index.html meta tag: the header-only directives removed. */
export const RENDERER_CSP_META = RENDERER_CSP.split('; ')
  .filter((d) => !HEADER_ONLY.some((h) => d.startsWith(`${h} `)))
  .join('; ');
