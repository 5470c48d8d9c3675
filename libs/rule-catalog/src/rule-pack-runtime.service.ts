import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { canonicalJson, type JsonValue } from '#libs/audit';
import { RulePackRepository, type StoredRulePackVersion } from '#libs/db';
import { loadShippedPacks } from '#libs/rule-packs';
import { type CompiledRules, compileRulePack, type RulePack, validateRulePack } from '#libs/rules';
import type { RuleSet } from './rule-check-pool.js';
import { regexSources, type TrustedPatterns } from './rule-pack-draft.js';

const SEED_ACTOR = 'system:seed';
/** Compiled sets kept per process; a campaign mix beyond this is compiled again when next needed. */
const MAX_COMPILED = 32;

export function contentHash(pack: RulePack): string {
  return createHash('sha256').update(canonicalJson(pack as unknown as JsonValue)).digest('hex');
}

/**
 * What the pipeline runs: the shipped YAML packs seeded as read-only system packs (a new version only when a
 * file changed), and per campaign the live published versions it enables, compiled once per set of versions.
 */
@Injectable()
export class RulePackRuntime implements OnModuleInit {
  private readonly logger = new Logger(RulePackRuntime.name);
  private readonly compiled = new Map<string, CompiledRules>();
  private trusted: Set<string> | null = null;

  constructor(private readonly packs: RulePackRepository) {}

  async onModuleInit(): Promise<void> {
    await this.seedShipped();
  }

  /** Seeds every shipped pack file; returns the keys that got a new version. */
  async seedShipped(files: readonly RulePack[] = loadShippedPacks()): Promise<string[]> {
    const added: string[] = [];
    for (const pack of files) {
      const result = await this.packs.seedSystem(
        { key: pack.id, language: pack.language, description: pack.description ?? null },
        { semver: pack.version, content: pack as unknown as JsonValue, contentHash: contentHash(pack), note: `seeded from the shipped pack ${pack.id} ${pack.version}`, actor: SEED_ACTOR },
      );
      if (result.added) {
        added.push(pack.id);
        this.logger.log(`rule pack ${pack.id} ${pack.version} seeded as version ${result.number}`);
      }
    }
    this.trusted = null;
    return added;
  }

  /** Regex sources of every shipped pack version: a fork keeps these on the native engine. */
  async trustedPatterns(refresh = false): Promise<TrustedPatterns> {
    if (this.trusted && !refresh) return this.trusted;
    const set = new Set<string>();
    for (const version of await this.packs.systemVersions()) for (const source of regexSources(version.content as RulePack)) set.add(source);
    this.trusted = set;
    return set;
  }

  /** The live published versions a campaign runs (null: a call without campaign runs the system packs). */
  async compiledFor(campaignId: string | null): Promise<CompiledRules> {
    const refs = await this.packs.livePacksFor(campaignId);
    const cacheKey = refs.map((r) => r.versionId).join(',');
    const hit = this.compiled.get(cacheKey);
    if (hit) return hit;
    const versions = await this.packs.versionsById(refs.map((r) => r.versionId));
    const byId = new Map(versions.map((v) => [v.id, v]));
    const compiled = await this.compile(refs.map((r) => byId.get(r.versionId) as StoredRulePackVersion));
    if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value as string);
    this.compiled.set(cacheKey, compiled);
    return compiled;
  }

  /** What compiling a campaign's live packs takes, for a thread that compiles them itself (RuleCheckPool). */
  async ruleSetFor(campaignId: string | null): Promise<RuleSet> {
    const refs = await this.packs.livePacksFor(campaignId);
    const versions = await this.packs.versionsById(refs.map((r) => r.versionId));
    const byId = new Map(versions.map((v) => [v.id, v]));
    const trusted = await this.trustedPatterns(true);
    return {
      key: refs.map((r) => r.versionId).join(','),
      packs: refs.map((r) => validateRulePack((byId.get(r.versionId) as StoredRulePackVersion).content, { trustedPatterns: trusted })),
      trusted: [...trusted],
    };
  }

  /** Compiles stored versions together, as the pipeline runs them. */
  async compile(versions: readonly StoredRulePackVersion[]): Promise<CompiledRules> {
    const trusted = await this.trustedPatterns(true);
    const packs = versions.map((v) => validateRulePack(v.content, { trustedPatterns: trusted }));
    return compileRulePack(packs, { trustedPatterns: trusted });
  }
}
