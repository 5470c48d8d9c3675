import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AccessRepository, AuditRepository, SecurityEventRepository, type StoredUser } from '#libs/db';
import { DUMMY_PASSWORD_HASH, hashPassword, hashToken, newSessionToken, verifyPassword } from '#libs/auth';
import { TooManyAttemptsError, UnauthorizedError } from './auth.errors.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: StoredUser;
}

/** Sign-in, sign-out and the first admin. Every sign-in attempt is audited. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessRepository,
    private readonly audit: AuditRepository,
    private readonly securityEvents: SecurityEventRepository,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /** Creates the configured admin when no user exists yet; never overwrites an existing user or password. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.bootstrapAdmin;
    if ((await this.access.countUsers()) > 0) return;
    if (!admin) {
      this.logger.warn('no users exist and ADMIN_EMAIL/ADMIN_PASSWORD are not set: nobody can sign in');
      return;
    }
    const created = await this.access.createUserIfAbsent({
      email: admin.email,
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(admin.password),
      agentId: null,
      unredactedAccess: false,
    });
    if (created) {
      await this.audit.append({ actor: 'system:bootstrap', action: 'user.created', entityType: 'user', entityId: admin.email, details: { role: 'admin', from: 'ADMIN_EMAIL' } });
      this.logger.log(`created the first admin ${admin.email} from ADMIN_EMAIL`);
    }
  }

  async login(rawEmail: string, password: string, clientAddress: string): Promise<SignedIn> {
    const email = rawEmail.trim().toLowerCase();
    const details = { email, clientAddress };
    const wait = await this.limiter.reserve(email, clientAddress);
    if (wait > 0) {
      // refused before any password check: a security event, off the audit chain's lock (anyone can send these)
      await this.securityEvents.record({ actor: `login:${email}`, action: 'auth.login.blocked', entityType: 'user', entityId: email, details: { ...details, retryAfterSeconds: wait } });
      throw new TooManyAttemptsError(wait);
    }
    const user = await this.access.findCredentials(email);
    // an unknown email costs the same scrypt work as a wrong password, so timing does not reveal who exists
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !passwordOk || user.disabledAt) {
      const reason = !user ? 'unknown email' : !passwordOk ? 'wrong password' : 'user disabled';
      await this.audit.append({ actor: `login:${email}`, action: 'auth.login.failed', entityType: 'user', entityId: user?.id ?? email, details: { ...details, reason } });
      throw new UnauthorizedError('wrong email or password, or the user is disabled');
    }
    await this.limiter.succeeded(email, clientAddress);
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlMs);
    await this.access.createSession(user.id, hashToken(token), expiresAt);
    await this.audit.append({ actor: `user:${email}`, action: 'auth.login', entityType: 'user', entityId: user.id, details: { ...details, expiresAt: expiresAt.toISOString() } });
    const { passwordHash: _hash, ...stored } = user;
    return { token, expiresAt, user: stored };
  }

  async logout(token: string, actor: string): Promise<void> {
    if (await this.access.revokeSession(hashToken(token))) {
      await this.audit.append({ actor, action: 'auth.logout', entityType: 'session', entityId: null });
    }
  }
}
