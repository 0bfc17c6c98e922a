/**
 * The addresses of Anvil's ten well-known dev accounts (mnemonic "test test … junk"), public
 * constants published in Foundry's docs. The forms need them at once to offer a 'from' account
 * and to label addresses; balances and nonces come from the API (chain.devAccounts).
 */
export const DEV_ACCOUNT_ADDRESSES = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
] as const;

/** The dev account index of an address, or null. */
export function devAccountIndex(address: string): number | null {
  const i = DEV_ACCOUNT_ADDRESSES.findIndex((a) => a.toLowerCase() === address.toLowerCase());
  return i < 0 ? null : i;
}

export interface AddressLabel {
  text: string;
  kind: 'contract' | 'dev';
}

/**
 * What an address is, from what the renderer already holds: a protocol contract of the current
 * deployment (chain.status contracts) or a well-known dev account. Null for anything else.
 */
export function addressLabel(address: string, contracts: Record<string, string>): AddressLabel | null {
  const lower = address.toLowerCase();
  const name = Object.entries(contracts).find(([, a]) => a.toLowerCase() === lower)?.[0];
  if (name) return { text: name, kind: 'contract' };
  const index = devAccountIndex(address);
  return index === null ? null : { text: `dev account #${index}`, kind: 'dev' };
}
