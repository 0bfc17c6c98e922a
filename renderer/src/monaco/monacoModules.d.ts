// monaco-editor ships no declarations for these ESM entry points; only what is used is typed.
declare module 'monaco-editor/language/json/monaco.contribution' {
  export const jsonDefaults: {
    setDiagnosticsOptions(options: {
      validate?: boolean;
      allowComments?: boolean;
      enableSchemaRequest?: boolean;
      schemas?: { uri: string; fileMatch?: string[]; schema?: unknown }[];
    }): void;
  };
}
