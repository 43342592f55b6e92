import { envObject } from '../../../emulator/src/functions/worker/env-object';

describe("a function instance's process.env object", () => {
  test('holds a copy of the variables it was made from', () => {
    const source = { A: '1', B: 'two' };
    const env = envObject(source);
    env.A = 'changed';
    expect(source.A).toBe('1');
    expect({ ...env }).toEqual({ A: 'changed', B: 'two' });
  });

  test('stores what is assigned as a string, as Node does', () => {
    const env = envObject({});
    (env as Record<string, unknown>).N = 5;
    (env as Record<string, unknown>).U = undefined;
    Object.defineProperty(env, 'T', { value: true, enumerable: true, writable: true, configurable: true });
    expect(env.N).toBe('5');
    expect(env.U).toBe('undefined');
    expect(env.T).toBe('true');
  });

  test('deletes and lists like an environment', () => {
    const env = envObject({ KEEP: 'k', DROP: 'd' });
    delete env.DROP;
    expect(Object.keys(env)).toEqual(['KEEP']);
    expect('DROP' in env).toBe(false);
  });
});
