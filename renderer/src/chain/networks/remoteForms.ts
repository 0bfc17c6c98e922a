/**
 * Checks for the network and key forms, as typed (the core checks again and names the field of
 * what it refuses: `fieldOfError` puts that message beside the field). No React, no API.
 */

/** The passphrase floor of the core's keystore backend. */
export const MIN_PASSPHRASE_LENGTH = 8;

export interface NetworkDraft {
  name: string;
  rpcUrl: string;
  chainId: string;
  currencySymbol: string;
}

export type NetworkField = keyof NetworkDraft;
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** The same rules as NetworkAddParamsSchema, plus names already taken and the devnet's chain id. */
export function validateNetworkDraft(d: NetworkDraft, taken: readonly string[], devnetChainId: number | null): FieldErrors<NetworkField> {
  const errors: FieldErrors<NetworkField> = {};
  if (!/^[a-z0-9][a-z0-9._-]{0,39}$/.test(d.name)) errors.name = '1-40 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.';
  else if (taken.includes(d.name)) errors.name = d.name === 'devnet' ? '"devnet" is the built-in local devnet.' : `A network named "${d.name}" exists already.`;
  errors.rpcUrl = rpcUrlError(d.rpcUrl) ?? undefined;
  const id = d.chainId.trim();
  if (!/^\d+$/.test(id) || Number(id) < 1 || !Number.isSafeInteger(Number(id))) errors.chainId = 'A whole number, at least 1.';
  else if (devnetChainId !== null && Number(id) === devnetChainId) errors.chainId = `${id} is the local devnet's chain id; a remote network needs its own.`;
  if (!/^[A-Za-z0-9]{1,12}$/.test(d.currencySymbol)) errors.currencySymbol = '1-12 letters or digits, e.g. OPEN or ETH.';
  for (const k of Object.keys(errors) as NetworkField[]) if (errors[k] === undefined) delete errors[k];
  return errors;
}

function rpcUrlError(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return null;
  } catch {
    // Not a URL at all: the same message.
  }
  return 'An http:// or https:// URL of a JSON-RPC endpoint.';
}

export interface KeyDraft {
  /** Only when importing: 64 hex digits, optionally after 0x. */
  privateKey: string | null;
  passphrase: string;
  confirm: string;
}

export type KeyField = 'privateKey' | 'passphrase' | 'confirm';

export function validateKeyDraft(d: KeyDraft): FieldErrors<KeyField> {
  const errors: FieldErrors<KeyField> = {};
  // Never echo the key: the message says what it should be, not what it is.
  if (d.privateKey !== null && !/^(0x)?[0-9a-fA-F]{64}$/.test(d.privateKey.trim())) errors.privateKey = 'A private key: 64 hex digits, optionally after 0x.';
  if (d.passphrase.length < MIN_PASSPHRASE_LENGTH) errors.passphrase = `At least ${MIN_PASSPHRASE_LENGTH} characters.`;
  if (d.confirm !== d.passphrase) errors.confirm = 'The two passphrases differ.';
  return errors;
}

export interface ErrorLike {
  message: string;
  code?: string;
  details?: unknown;
}

/**
 * Which form field a core error is about, and the message without the field prefix. The core
 * names it in `details.field` (CHAIN_INVALID_ARGUMENT), in a schema error's
 * "method: params.field: message", or as a "field: message" prefix; a CONFLICT on add is the name.
 */
export function fieldOfError<F extends string>(err: ErrorLike, fields: readonly F[]): { field: F | null; message: string } {
  const details = typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
  const known = (f: unknown): F | null => (typeof f === 'string' && (fields as readonly string[]).includes(f) ? (f as F) : null);
  const strip = (field: string) => err.message.replace(new RegExp(`^(?:[\\w.]+: )?(?:params\\.)?${field.replace('.', '\\.')}: `), '');
  const fromDetails = known(details.field);
  if (fromDetails) return { field: fromDetails, message: strip(fromDetails) };
  const m = /(?:^|: )(?:params\.)?([A-Za-z]+): /.exec(err.message);
  const fromMessage = m ? known(m[1]) : null;
  if (fromMessage) return { field: fromMessage, message: strip(fromMessage) };
  if (err.code === 'CONFLICT') {
    const name = known('name');
    if (name) return { field: name, message: err.message };
  }
  return { field: null, message: err.message };
}

/** "4:59", "0:07": what is left of a prepared write's life; "expired" at or after it. */
export function formatCountdown(expiresAtMs: number, nowMs: number): string {
  const left = Math.ceil((expiresAtMs - nowMs) / 1000);
  if (left <= 0) return 'expired';
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}
