import { z } from 'zod';
import {
  AppInfoSchema,
  ArtifactSchema,
  LogEntrySchema,
  SettingsSchema,
  Sha256Schema,
  WorkspaceInfoSchema,
  WorkspaceNameSchema,
  WorkspaceSummarySchema,
} from './schemas';
import {
  AccountInfoSchema,
  BlockDetailSchema,
  BlockSummarySchema,
  ChainStatusSchema,
  ContractCallParamsSchema,
  ContractAbiSchema,
  ContractInfoSchema,
  ContractWriteParamsSchema,
  DecodedLogSchema,
  DevAccountInfoSchema,
  JsonValueSchema,
  PublicationSchema,
  PublicationStatusSchema,
  PublishRequestSchema,
  SnapshotInfoSchema,
  TransactionDetailSchema,
  TransactionPageSchema,
  WriteResultSchema,
} from './chainSchemas';
import { datanetMethods } from './datanetSchemas';
import { demoStoryMethods } from './demoStorySchemas';
import { settlementMethods } from './settlementSchemas';
import { attributionMethods } from './attributionSchemas';
import { FactoryMetricsEventSchema, factoryMethods } from './pipelineSchemas';
import { ModelInspectionSchema } from './engineSchemas';
import {
  BuildProposalParamsSchema,
  BuiltProposalSchema,
  DevnetAdvanceParamsSchema,
  DevnetAdvanceResultSchema,
  GovParamsSchema,
  GovWriteParamsSchema,
  ProposalListSchema,
  VotingPowerParamsSchema,
  VotingPowerSchema,
} from './governanceSchemas';
import {
  AdapterExportResultSchema,
  AdapterNameSchema,
  AdapterRecordSchema,
  AdaptersExportParamsSchema,
  AdaptersListParamsSchema,
  AdaptersVerifyParamsSchema,
  AdapterVerificationSchema,
} from './adaptersSchemas';
import { JobSchema, JobStartParamsSchema } from './jobSchemas';
import {
  ConfirmWriteParamsSchema,
  ConfirmWriteResultSchema,
  DiscardWriteParamsSchema,
  DiscardWriteResultSchema,
  KeyCreateParamsSchema,
  KeyImportParamsSchema,
  KeyInfoSchema,
  NetworkAddParamsSchema,
  NetworkCheckSchema,
  NetworkNameSchema,
  NetworkSchema,
  PreparedWriteSchema,
  PrepareWriteParamsSchema,
} from './networkSchemas';

/**
 * The one API contract. Every method names its params and result schema; every event its
 * payload schema. The core validates params at the boundary; transports (Electron IPC,
 * WebSocket) carry these names verbatim; the renderer gets static types from `typeof`.
 */
const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });
const NoParams = z.object({}).strict();

export const methods = {
  'app.info': method(NoParams, AppInfoSchema),

  'workspace.list': method(NoParams, z.array(WorkspaceSummarySchema)),
  'workspace.current': method(NoParams, WorkspaceInfoSchema),
  'workspace.create': method(z.object({ name: WorkspaceNameSchema }).strict(), WorkspaceSummarySchema),
  'workspace.open': method(z.object({ name: WorkspaceNameSchema }).strict(), WorkspaceInfoSchema),

  'settings.get': method(
    NoParams,
    z.object({ settings: SettingsSchema, text: z.string(), jsonSchema: z.record(z.string(), z.unknown()) }),
  ),
  /** Takes the settings as JSON text so errors can point at a line and column. */
  'settings.update': method(z.object({ text: z.string().max(256 * 1024) }).strict(), SettingsSchema),

  'jobs.list': method(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), z.array(JobSchema)),
  'jobs.get': method(z.object({ id: z.string().min(1).max(64) }).strict(), JobSchema),
  /** Params are checked against the kind's schema in `jobParams` (jobSchemas.ts). */
  'jobs.start': method(JobStartParamsSchema, JobSchema),
  'jobs.cancel': method(z.object({ id: z.string().min(1).max(64) }).strict(), JobSchema),

  'artifacts.list': method(NoParams, z.array(ArtifactSchema)),
  'artifacts.get': method(z.object({ sha256: Sha256Schema }).strict(), ArtifactSchema),

  'logs.recent': method(z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(), z.array(LogEntrySchema)),

  // The local devnet (see main/chain/devnet/devnetService.ts). Every chain.* call but status/start
  // fails with CHAIN_NOT_RUNNING while it is stopped.
  'chain.status': method(NoParams, ChainStatusSchema),
  'chain.start': method(NoParams, ChainStatusSchema),
  'chain.stop': method(NoParams, ChainStatusSchema),
  /** In-memory snapshot (gone after a restart or a revert past it); the core lists it in
   * chain.snapshots with the head it was taken at and the optional label. */
  'chain.snapshot': method(z.object({ label: z.string().max(120).optional() }).strict(), SnapshotInfoSchema),
  /** Snapshots taken through chain.snapshot that Anvil still holds, newest first. A revert drops
   * the one reverted to and every later one; a restart, stop or reset drops them all. */
  'chain.snapshots': method(NoParams, z.array(SnapshotInfoSchema)),
  /** Back to a snapshot; publications whose transactions vanish become 'lost'. */
  'chain.revert': method(z.object({ id: z.string().min(1).max(80) }).strict(), ChainStatusSchema),
  /** Empties the chain, redeploys the protocol; confirmed publications become 'lost'. */
  'chain.reset': method(NoParams, ChainStatusSchema),
  /** Deploys the protocol again and records the new addresses as current. */
  'chain.deploy': method(NoParams, ChainStatusSchema),
  /** Newest first; `before` pages back (blocks with number < before). */
  'chain.blocks': method(
    z.object({ before: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.object({ latest: z.number().int(), blocks: z.array(BlockSummarySchema) }),
  ),
  'chain.block': method(z.object({ number: z.number().int().min(0).optional(), hash: z.string().max(80).optional() }).strict(), BlockDetailSchema),
  /** Transactions newest first, in blocks with number < before (default: all), decoded and
   * labelled with their status. Scans a bounded number of blocks per page: page on with
   * nextBefore until it is null. */
  'chain.transactions': method(
    z.object({ before: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(100).optional() }).strict(),
    TransactionPageSchema,
  ),
  /** Anvil's dev accounts #0-#9 with balance and nonce (local devnet only). */
  'chain.devAccounts': method(NoParams, z.array(DevAccountInfoSchema)),
  'chain.transaction': method(z.object({ hash: z.string().max(80) }).strict(), TransactionDetailSchema),
  'chain.account': method(z.object({ address: z.string().max(80) }).strict(), AccountInfoSchema),
  'chain.contracts': method(NoParams, z.array(ContractInfoSchema)),
  /** The protocol contracts' ABIs from the generated artifacts; works with the devnet stopped
   * (forms for remote networks need no local chain). */
  'chain.abis': method(NoParams, z.array(ContractAbiSchema)),
  'chain.read': method(ContractCallParamsSchema, z.object({ result: JsonValueSchema })),
  /** Sends from a dev account (local devnet only); a revert fails with CHAIN_REVERTED and
   * details {errorName, args, namedArgs, signature} (DecodedRevertSchema). */
  'chain.write': method(ContractWriteParamsSchema, WriteResultSchema),
  /** Decoded protocol events, oldest first. */
  'chain.logs': method(
    z
      .object({
        fromBlock: z.number().int().min(0).optional(),
        toBlock: z.number().int().min(0).optional(),
        contract: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    z.array(DecodedLogSchema),
  ),

  'publications.list': method(
    z.object({ status: PublicationStatusSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.array(PublicationSchema),
  ),
  /** Sends one protocol transaction and records it; a revert is recorded as 'failed' and the
   * call fails with CHAIN_REVERTED ({errorName, args, namedArgs, signature, publicationId}). */
  'publications.publish': method(PublishRequestSchema, PublicationSchema),

  // Remote networks and keys (main/chain/networks, main/chain/keys). The local devnet is
  // always listed as the built-in network "devnet".
  'networks.list': method(NoParams, z.array(NetworkSchema)),
  /** Stores the network without contacting it; networks.check does. Fields are named in errors. */
  'networks.add': method(NetworkAddParamsSchema, NetworkSchema),
  'networks.remove': method(z.object({ name: NetworkNameSchema }).strict(), NetworkSchema),
  /** eth_chainId must answer within timeoutMs (default 5000) and equal the network's chain id:
   * CHAIN_RPC_UNREACHABLE or CHAIN_ID_MISMATCH (details {rpcUrl, expected, reported}) otherwise. */
  'networks.check': method(
    z.object({ name: NetworkNameSchema, timeoutMs: z.number().int().min(100).max(60_000).optional() }).strict(),
    NetworkCheckSchema,
  ),
  /** Address and label only: no API ever returns a private key. */
  'keys.list': method(NoParams, z.array(KeyInfoSchema)),
  /** A new random key, sealed as a v3 keystore with the passphrase (at least 8 characters). */
  'keys.create': method(KeyCreateParamsSchema, KeyInfoSchema),
  'keys.import': method(KeyImportParamsSchema, KeyInfoSchema),
  /** Forgets the key; its sealed file is moved to keys/removed/. */
  'keys.remove': method(z.object({ id: z.string().min(1).max(64) }).strict(), KeyInfoSchema),
  /** Step 1 of a write with a stored key: simulates and estimates, signs nothing. Show the result
   * (decoded call, fee) and let the user confirm. A revert fails here with CHAIN_REVERTED;
   * Anvil's dev keys fail with DEV_KEY_REFUSED on every network but the devnet. */
  'chain.prepareWrite': method(PrepareWriteParamsSchema, PreparedWriteSchema),
  /** Step 2: unlocks the key (KEY_PASSPHRASE_INCORRECT leaves the prepared write to retry),
   * re-simulates, signs and sends once; protocol publications are recorded. */
  'chain.confirmWrite': method(ConfirmWriteParamsSchema, ConfirmWriteResultSchema),
  /** Drops a prepared write the user cancelled, so it can no longer be confirmed
   * (CHAIN_PREPARED_EXPIRED). Idempotent: unknown or expired ids are fine. */
  'chain.discardWrite': method(DiscardWriteParamsSchema, DiscardWriteResultSchema),

  // Protocol governance (main/governance) on the devnet or a remote network with the protocol's
  // addresses recorded; `network` defaults to "devnet".
  /** ProtocolParams' values, the governor's and timelock's rules, and every change event. */
  'gov.params': method(z.object({ network: NetworkNameSchema.default('devnet') }).strict(), GovParamsSchema),
  /** Native and wrapped OPEN, delegate and votes of the given accounts (default: dev accounts
   * #0-#3 on the devnet and every stored key). */
  'gov.votingPower': method(VotingPowerParamsSchema, z.array(VotingPowerSchema)),
  /** Every proposal, newest first, with state, tallies, quorum and the blocks or time left. */
  'gov.proposals': method(z.object({ network: NetworkNameSchema.default('devnet') }).strict(), ProposalListSchema),
  /** The proposal a parameter change makes: calldata, decoded back, and its id. A value the
   * contract would refuse fails with CHAIN_REVERTED and its error (BpsOutOfRange, ...). */
  'gov.buildProposal': method(BuildProposalParamsSchema, BuiltProposalSchema),
  /** Step 1 of a governance write (propose, vote, queue, execute, delegate, wrap, unwrap):
   * prepared like chain.prepareWrite and sent with chain.confirmWrite. Signed by a dev account
   * (devnet only, no passphrase) or a stored key. A revert (a vote outside the voting period, a
   * double vote, an early execute) fails here with CHAIN_REVERTED and nothing is sent. */
  'gov.prepareWrite': method(GovWriteParamsSchema, PreparedWriteSchema),
  /** Devnet only (DEVNET_ONLY elsewhere): moves Anvil's clock and mines blocks. */
  'chain.advance': method(DevnetAdvanceParamsSchema, DevnetAdvanceResultSchema),

  // The model engine. Training is the 'engine.train' job kind (see jobParams in jobSchemas.ts),
  // started with jobs.start.
  /** A Hugging Face model folder: architecture, sizes, dtype, tokenizer (reads no weights).
   * A folder that is not a usable model fails with MODEL_INVALID naming the file and field. */
  'engine.inspect': method(z.object({ dir: z.string().min(1).max(4096) }).strict(), ModelInspectionSchema),

  // Datanets (main/datanets); the methods are in datanetSchemas.ts.
  ...datanetMethods,
  // The first start's story (main/firstStart): what the playground opens with.
  ...demoStoryMethods,
  // The adapter registry (main/adapters). Import and merge are the 'adapters.import' and
  // 'adapters.merge' job kinds; a finished 'engine.train' job registers its adapter itself.
  /** Every adapter with its lineage, newest first; `query` words must all match. */
  'adapters.list': method(AdaptersListParamsSchema, z.array(AdapterRecordSchema)),
  'adapters.get': method(z.object({ name: AdapterNameSchema }).strict(), AdapterRecordSchema),
  /** Forgets the adapter (its files stay in the artifact store); returns what was removed. */
  'adapters.remove': method(z.object({ name: AdapterNameSchema }).strict(), AdapterRecordSchema),
  /** A PEFT folder and launch command for vLLM or LoRAX (main/adapters/exportAdapter.ts). */
  'adapters.export': method(AdaptersExportParamsSchema, AdapterExportResultSchema),
  /** Verified loading: each adapter's files against its ModelRegistry entry (the playground's
   * picker marks them; a mismatched adapter is refused when it would load). */
  'adapters.verify': method(AdaptersVerifyParamsSchema, z.array(AdapterVerificationSchema)),
  // Settlement of attributed inferences (main/attribution); the methods are in settlementSchemas.ts.
  ...settlementMethods,

  // Proof of Attribution (main/attribution); the methods are in attributionSchemas.ts.
  ...attributionMethods,

  // The Factory (main/factory): pipelines and their runs; the methods are in pipelineSchemas.ts.
  ...factoryMethods,
} as const;

export const events = {
  'job.updated': JobSchema,
  log: LogEntrySchema,
  'workspace.opened': WorkspaceInfoSchema,
  'settings.changed': SettingsSchema,
  /** A command chosen outside the page (the Electron menu), run by the renderer's registry. */
  'app.command': z.object({ id: z.string().max(128) }),
  /** The devnet started, stopped, restarted, failed or was redeployed; also when the head moves
   * (at most once a second), so `block` stays current. */
  'chain.status': ChainStatusSchema,
  /** A new head while the devnet runs. */
  'chain.block': BlockSummarySchema,
  /** A decoded protocol event from a new block. */
  'chain.log': DecodedLogSchema,
  'publication.updated': PublicationSchema,
  /** New metric points and evaluations of a Factory run, batched per job update (a few a second at
   * most, whatever the step rate), with the run's status. */
  'factory.metrics': FactoryMetricsEventSchema,
} as const;

/**
 * Methods that neither the workbench nor the CLI calls, each with the reason it stays. Every other
 * method must have a caller (test/architecture/contractCallers.test.ts): a method nobody calls
 * usually means a view or command re-derives what the core already answers.
 */
export const internalMethods: { readonly [M in keyof typeof methods]?: string } = {
  'chain.deploy':
    "The CLI's `chain deploy` must first adopt a detached devnet (DevnetService.start adoptOnly), so it calls the service; the workbench redeploys through chain.reset. Kept for API clients and the integration tests.",
  'publications.publish':
    'Publishing datanets, models and rewards from the workbench lands with those capabilities (datanets, factory, attribution); until then tests and the e2e fixtures publish through it.',
  'adapters.get':
    "The CLI's `adapters show` reads the workspace without its lock, so it works beside a running `studio serve`; the playground lists with adapters.list. Kept for API clients.",
  'engine.inspect':
    "The factory's model picker will call it; the CLI's `model inspect` reads a folder without opening a workspace, so it calls the engine directly.",
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
