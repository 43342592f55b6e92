import type { FunctionsService } from '../../../emulator/src/functions';
import { useTestEmulator } from '../../helpers/emulator';
import { FIXTURE_FUNCTIONS, type EchoResult } from './helpers';

describe('the shared environment a warm instance keeps', () => {
  const emulator = useTestEmulator({ functionsDir: FIXTURE_FUNCTIONS });

  test('a warm instance sees a contributed variable change at its next invocation, and identity per call', async () => {
    const functions = emulator().hub.service<FunctionsService>('functions');
    const contributed = { FIXTURE_GREETING: 'first' };
    functions.contributeEnv(() => ({ ...contributed }));
    await functions.prewarm('echoContext', 1);
    const call = async (openid: string): Promise<EchoResult> => {
      const answer = await functions.invoke({ name: 'echoContext', event: {}, source: 'wx_client', openid });
      expect(answer.error).toBeUndefined();
      return answer.result as EchoResult;
    };
    expect(await call('user-1')).toMatchObject({ greeting: 'first', wxContext: { OPENID: 'user-1' } });
    expect(await call('user-2')).toMatchObject({ greeting: 'first', wxContext: { OPENID: 'user-2' } });
    contributed.FIXTURE_GREETING = 'second';
    expect(await call('user-3')).toMatchObject({ greeting: 'second', wxContext: { OPENID: 'user-3' } });
    const workers = new Set(functions.invocations({ name: 'echoContext', limit: 3 }).map((r) => r.workerId));
    expect(workers.size).toBe(1);
  });
});
