import { z } from 'zod';
import {
  AppInfoSchema,
  ArtifactSchema,
  JobKindSchema,
  JobSchema,
  LogEntrySchema,
  SettingsSchema,
  Sha256Schema,
  WorkspaceInfoSchema,
  WorkspaceNameSchema,
  WorkspaceSummarySchema,
} from './schemas';

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
  'jobs.start': method(z.object({ kind: JobKindSchema, params: z.unknown() }).strict(), JobSchema),
  'jobs.cancel': method(z.object({ id: z.string().min(1).max(64) }).strict(), JobSchema),

  'artifacts.list': method(NoParams, z.array(ArtifactSchema)),
  'artifacts.get': method(z.object({ sha256: Sha256Schema }).strict(), ArtifactSchema),

  'logs.recent': method(z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(), z.array(LogEntrySchema)),
} as const;

export const events = {
  'job.updated': JobSchema,
  log: LogEntrySchema,
  'workspace.opened': WorkspaceInfoSchema,
  'settings.changed': SettingsSchema,
  /** A command chosen outside the page (the Electron menu), run by the renderer's registry. */
  'app.command': z.object({ id: z.string().max(128) }),
} as const;

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
