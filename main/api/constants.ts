/**
 * Constants every runtime shares, the renderer included. This module imports nothing (no zod), so
 * the renderer can import values from it without bundling schema code; the schema modules
 * re-export what they need from here.
 */

/** The built-in local devnet's name in every network list. */
export const DEVNET_NETWORK = 'devnet';
