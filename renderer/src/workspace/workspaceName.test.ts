import { describe, expect, it } from 'vitest';
import { WorkspaceNameSchema } from '../../../main/api/schemas';
import { validateWorkspaceName } from './workspaceName';

describe('validateWorkspaceName', () => {
  it('explains what is wrong', () => {
    expect(validateWorkspaceName('', [])).toMatch(/Enter a name/);
    expect(validateWorkspaceName('Medical', [])).toMatch(/lowercase/);
    expect(validateWorkspaceName('-x', [])).toMatch(/Start with/);
    expect(validateWorkspaceName('a b', [])).toMatch(/Only lowercase letters/);
    expect(validateWorkspaceName('a'.repeat(64), [])).toMatch(/63/);
    expect(validateWorkspaceName('demo', ['demo'])).toMatch(/already exists/);
    expect(validateWorkspaceName('medical-qa_2', [])).toBeNull();
  });

  it('agrees with the core schema on every sample', () => {
    const samples = ['a', '0', 'medical-qa', 'x_y', 'A', 'a.b', '-a', '_a', 'a'.repeat(63), 'a'.repeat(64), 'é', 'a/b', ' a', ''];
    for (const name of samples) {
      expect(validateWorkspaceName(name, []) === null, name).toBe(WorkspaceNameSchema.safeParse(name).success);
    }
  });
});
