import { z } from 'zod';
import { ErrorCode, StudioError, formatZodIssues } from '../api/apiError';
import { SettingsSchema, type Settings } from '../api/schemas';
import type { Db } from './openDatabase';
import { parseJsonText } from './parseJsonText';

/** The JSON Schema editors use for completion and diagnostics, derived from the zod schema. */
export const settingsJsonSchema = z.toJSONSchema(SettingsSchema) as Record<string, unknown>;

export function readSettings(db: Db): Settings {
  const row = db.prepare('SELECT json FROM settings WHERE id = 1').get() as { json: string } | undefined;
  if (!row) throw new StudioError(ErrorCode.WorkspaceCorrupt, 'Workspace settings row is missing.');
  const parsed = SettingsSchema.safeParse(JSON.parse(row.json));
  if (!parsed.success) {
    throw new StudioError(ErrorCode.WorkspaceCorrupt, `Stored settings are invalid: ${formatZodIssues(parsed.error, 'settings')}`);
  }
  return parsed.data;
}

export function writeSettings(db: Db, settings: Settings): void {
  db.prepare('INSERT INTO settings (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json').run(
    JSON.stringify(settings),
  );
}

/** Validates edited settings text; throws naming the line or field; stores nothing on error. */
export function parseSettingsText(text: string): Settings {
  const value = parseJsonText(text, 'settings.json');
  const parsed = SettingsSchema.safeParse(value);
  if (!parsed.success) {
    throw new StudioError(ErrorCode.InvalidRequest, `settings.json: ${formatZodIssues(parsed.error)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

export function formatSettings(settings: Settings): string {
  return JSON.stringify(settings, null, 2) + '\n';
}
