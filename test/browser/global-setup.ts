import { join } from 'node:path';
import { ROOT, startStack, uploadSamples, waitForCalls } from '../../scripts/stack/earshot-stack.js';
import { STACK_ENV, type StackInfo, USERS } from './fixtures.js';

/** Starts the stack once for every browser test, with the sample calls processed by the real pipeline. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startStack({ logDir: join(ROOT, 'test-results/browser/logs') });
  try {
    const calls = await uploadSamples(stack);
    await waitForCalls(stack, Object.values(calls));
    // after the uploads: an agent user links to an agent the calls created
    for (const user of Object.values(USERS)) {
      const response = await stack.adminFetch('/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, displayName: user.displayName, role: user.role, agent: user.agent, password: user.password }),
      });
      if (response.status !== 201) throw new Error(`creating ${user.email}: ${response.status} ${await response.text()}`);
    }
    const info: StackInfo = { baseUrl: stack.baseUrl, databaseUrl: stack.databaseUrl, admin: stack.admin, calls };
    process.env[STACK_ENV] = JSON.stringify(info);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return () => stack.stop();
}
