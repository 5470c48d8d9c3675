import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password.js';
import { API_KEY_PREFIX, credentialKind, hashToken, newApiKey, newSessionToken } from './tokens.js';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treats canonically equal Unicode as the same password', async () => {
    const stored = await hashPassword('ｐａｓｓ密码');
    await expect(verifyPassword('pass密码', stored)).resolves.toBe(true);
  });

  it('never accepts the dummy hash or a malformed one', async () => {
    await expect(verifyPassword('', DUMMY_PASSWORD_HASH)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'plain-text')).resolves.toBe(false);
  });
});

describe('tokens', () => {
  it('tells session tokens from API keys and keeps a short visible prefix', () => {
    const { key, prefix } = newApiKey();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(key.length / 2);
    expect(credentialKind(key)).toBe('api_key');
    expect(credentialKind(newSessionToken())).toBe('session');
    expect(credentialKind('Basic abc')).toBeNull();
  });

  it('hashes tokens deterministically, and different tokens differently', () => {
    const token = newSessionToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(newSessionToken()));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
