import { jsonDefaults } from 'monaco-editor/language/json/monaco.contribution';

/** The settings file's model URI; its JSON schema is registered for exactly this file. */
export const SETTINGS_MODEL_URI = 'studio://workspace/settings.json';

/** Gives Monaco's JSON worker the core's schema, so diagnostics and completion match it. */
export function registerSettingsSchema(jsonSchema: Record<string, unknown>): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [{ uri: 'studio://schemas/settings.json', fileMatch: [SETTINGS_MODEL_URI], schema: jsonSchema }],
  });
}
