/**
 * The renderer's Content-Security-Policy, sent by serve mode and by the Electron shell alike.
 * Scripts only from the app itself; Monaco needs inline styles and blob: workers; the API is
 * same-origin (WebSocket) or IPC, so nothing else may be connected to.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
