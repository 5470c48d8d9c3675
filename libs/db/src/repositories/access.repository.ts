import { Injectable } from '@nestjs/common';
import type { Role } from '#libs/domain';
import { Prisma } from '../generated/prisma/client.js';
import { batchedReads } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { type KeysetPage, NEWEST_FIRST, keysetBefore } from './keyset-page.js';

export interface StoredUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  agentId: string | null;
  agentExternalId: string | null;
  unredactedAccess: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface StoredApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  unredactedAccess: boolean;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  agentId: string | null;
  unredactedAccess: boolean;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  passwordHash?: string;
  agentId?: string | null;
  unredactedAccess?: boolean;
  disabled?: boolean;
}

export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`email: a user with ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

const USER_SELECT = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  agentId: true,
  agent: { select: { externalId: true } },
  unredactedAccess: true,
  disabledAt: true,
  createdAt: true,
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;

const API_KEY_SELECT = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  unredactedAccess: true,
  createdBy: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Users, their sign-in sessions and machine API keys. Secrets arrive here already hashed. */
@Injectable()
export class AccessRepository {
  // every signed-in request asks: one query with the user and their agent (through the ORM, three), and one for
  // concurrent requests (see batchedReads)
  private readonly sessions = batchedReads<string, StoredUser & { tokenHash: string; expiresAt: Date; revokedAt: Date | null }>(async (hashes) => {
    const rows = await this.prisma.sql.query<(StoredUser & { tokenHash: string; expiresAt: Date; revokedAt: Date | null })[]>`
      SELECT s."tokenHash", s."expiresAt", s."revokedAt", u.id::text AS id, u.email, u."displayName", u.role::text AS role, u."agentId"::text AS "agentId",
        a."externalId" AS "agentExternalId", u."unredactedAccess", u."disabledAt", u."createdAt"
      FROM "Session" s JOIN "User" u ON u.id = s."userId" LEFT JOIN "Agent" a ON a.id = u."agentId"
      WHERE s."tokenHash" IN (SELECT jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb))`;
    return new Map(rows.map((row) => [row.tokenHash, row]));
  });

  constructor(private readonly prisma: PrismaService) {}

  async countUsers(): Promise<number> {
    return this.prisma.client.user.count();
  }

  /** Creates the user unless one with the email exists (two API processes may bootstrap at once). */
  async createUserIfAbsent(user: NewUser): Promise<boolean> {
    const { count } = await this.prisma.client.user.createMany({ data: [user], skipDuplicates: true });
    return count === 1;
  }

  async createUser(user: NewUser): Promise<StoredUser> {
    try {
      return toUser(await this.prisma.client.user.create({ data: user, select: USER_SELECT }));
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new DuplicateEmailError(user.email);
      throw error;
    }
  }

  async findUser(id: string): Promise<StoredUser | null> {
    const row = await this.prisma.client.user.findUnique({ where: { id }, select: USER_SELECT });
    return row ? toUser(row) : null;
  }

  /** The user with the password hash, for sign-in only. */
  async findCredentials(email: string): Promise<(StoredUser & { passwordHash: string }) | null> {
    const row = await this.prisma.client.user.findUnique({ where: { email }, select: { ...USER_SELECT, passwordHash: true } });
    return row ? { ...toUser(row), passwordHash: row.passwordHash } : null;
  }

  async listUsers(page: KeysetPage): Promise<StoredUser[]> {
    const rows = await this.prisma.client.user.findMany({ where: keysetBefore(page.cursor), orderBy: NEWEST_FIRST, take: page.limit, select: USER_SELECT });
    return rows.map(toUser);
  }

  /** Applies the changes; disabling a user or changing their role or password ends their sessions. */
  async updateUser(id: string, changes: UserChanges): Promise<StoredUser | null> {
    const { disabled, ...fields } = changes;
    const endsSessions = disabled === true || changes.role !== undefined || changes.passwordHash !== undefined;
    return this.prisma.client.$transaction(async (tx) => {
      const exists = await tx.user.findUnique({ where: { id }, select: { disabledAt: true } });
      if (!exists) return null;
      const disabledAt = disabled === undefined ? undefined : disabled ? (exists.disabledAt ?? new Date()) : null;
      const row = await tx.user.update({ where: { id }, data: { ...fields, disabledAt }, select: USER_SELECT });
      if (endsSessions) await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      return toUser(row);
    });
  }

  /** The agent a call belongs to: undefined when there is no such call, null when it has no agent. */
  async agentOfCall(callId: string): Promise<string | null | undefined> {
    const call = await this.prisma.client.call.findUnique({ where: { id: callId }, select: { agentId: true } });
    return call ? call.agentId : undefined;
  }

  async createSession(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.client.session.create({ data: { userId, tokenHash, expiresAt } });
  }

  /** Deletes sessions that expired or were revoked (they can never authenticate again); returns how many. */
  async deleteDeadSessions(now = new Date()): Promise<number> {
    const { count } = await this.prisma.client.session.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { not: null } }] } });
    return count;
  }

  /** The user behind a live session: not expired, not revoked, user not disabled. */
  async userForSession(tokenHash: string, now = new Date()): Promise<StoredUser | null> {
    const row = await this.sessions.submit(tokenHash);
    if (!row || row.revokedAt || row.expiresAt <= now || row.disabledAt) return null;
    const { tokenHash: _tokenHash, expiresAt: _expiresAt, revokedAt: _revokedAt, ...user } = row;
    return user;
  }

  async revokeSession(tokenHash: string): Promise<boolean> {
    const { count } = await this.prisma.client.session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1;
  }

  async createApiKey(key: { name: string; role: Role; prefix: string; keyHash: string; unredactedAccess: boolean; createdBy: string }): Promise<StoredApiKey> {
    return this.prisma.client.apiKey.create({ data: key, select: API_KEY_SELECT });
  }

  /** API keys, newest first, one keyset page at a time. */
  async listApiKeys(page: KeysetPage): Promise<StoredApiKey[]> {
    return this.prisma.client.apiKey.findMany({ where: keysetBefore(page.cursor), orderBy: NEWEST_FIRST, take: page.limit, select: API_KEY_SELECT });
  }

  /** A key that has not been revoked. */
  async findLiveApiKey(keyHash: string): Promise<StoredApiKey | null> {
    const key = await this.prisma.client.apiKey.findUnique({ where: { keyHash }, select: API_KEY_SELECT });
    return key && !key.revokedAt ? key : null;
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.prisma.client.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }

  /** Revokes the key; null when there is no such key. Revoking twice keeps the first time. */
  async revokeApiKey(id: string): Promise<StoredApiKey | null> {
    await this.prisma.client.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return this.prisma.client.apiKey.findUnique({ where: { id }, select: API_KEY_SELECT });
  }
}

function toUser(row: UserRow): StoredUser {
  const { agent, ...user } = row;
  return { ...user, agentExternalId: agent?.externalId ?? null };
}
