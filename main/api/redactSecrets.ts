/**
 * What the core prints, logs or answers must not carry secrets its inputs held: RPC URLs often
 * hold credentials (https://user:pass@host, an API key as a path segment like Infura's /v3/KEY
 * or as ?apikey=...). They are stored as given (the core needs them to connect) and masked
 * wherever they are shown. Long arguments are the caller's own, but echoing 20 kB back buries the
 * reason: messages keep their start and end.
 */

const MASK = '***';

/** A path segment that looks like an access key: long, URL-safe, with digits (not /v3, /rpc, /mainnet). */
const KEY_SEGMENT = /^(?=.*\d)[A-Za-z0-9_-]{16,}$/;

/** The URL with user, password, query values and key-like path segments replaced by ***. */
export function maskRpcUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.length > 200 ? `${url.slice(0, 40)}${MASK}` : url;
  }
  const masked = u.username !== '' || u.password !== '' || u.search !== '' || u.pathname.split('/').some((s) => KEY_SEGMENT.test(s));
  if (!masked) return url;
  const auth = u.username || u.password ? `${u.username ? MASK : ''}${u.password ? `:${MASK}` : ''}@` : '';
  const pathname = u.pathname
    .split('/')
    .map((s) => (KEY_SEGMENT.test(s) ? MASK : s))
    .join('/');
  const query = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${MASK}`).join('&');
  return `${u.protocol}//${auth}${u.host}${pathname === '/' && !url.endsWith('/') ? '' : pathname}${query ? `?${query}` : ''}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`)\]]+/gi;

/** Every URL in `text` masked as maskRpcUrl does. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (m) => maskRpcUrl(m));
}

/** Keeps the start and end of a long text and says how much was left out. */
export function shortenText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `…[${text.length} characters, shortened]…`;
  const keep = Math.max(0, max - marker.length);
  const head = Math.ceil(keep * 0.7);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (keep - head))}`;
}

/** An error message as it may leave the core: URLs masked, at most `max` characters. */
export function safeMessage(text: string, max = 2000): string {
  return shortenText(redactUrls(text), max);
}

/** The same for error details: strings masked and shortened, depth and breadth bounded. */
export function safeDetails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return shortenText(redactUrls(value), 1000);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 6) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => safeDetails(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 200)) out[k] = safeDetails(v, depth + 1);
  return out;
}
