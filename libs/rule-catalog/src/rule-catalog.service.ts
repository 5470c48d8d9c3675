import { Injectable } from '@nestjs/common';
import { stringify as toYaml } from 'yaml';
import type { JsonValue } from '#libs/audit';
import { type DraftBacktestRecord, RulePackRepository, type RulePackSummary, type StoredRulePack, type StoredRulePackVersion } from '#libs/db';
import { compileRulePack, RulePackValidationError, type RulePack, validateRulePack } from '#libs/rules';
import { RuleCatalogError } from './rule-catalog.errors.js';
import { diffDetails, diffRulePacks, type RulePackDiff } from './rule-pack-diff.js';
import { prepareDraft, type TrustedPatterns } from './rule-pack-draft.js';
import { contentHash, RulePackRuntime } from './rule-pack-runtime.service.js';

export interface RulePackDetail extends Omit<StoredRulePack, 'draft'> {
  draft: RulePack | null;
  /** whether the draft as it stands has been backtested (publish requires it) */
  draftBacktested: boolean;
  /** what the draft changes against the live version */
  draftDiff: RulePackDiff | null;
}

const KEY = /^[A-Za-z0-9_.-]{1,100}$/;
const semverOf = (n: number) => `${n}.0.0`;

/**
 * Authoring of rule packs: drafts validated before save, forks of shipped packs, publish (only a backtested
 * draft, with a note) and rollback, each audited with the rule diff; which packs a campaign runs.
 */
@Injectable()
export class RuleCatalogService {
  constructor(
    private readonly packs: RulePackRepository,
    private readonly runtime: RulePackRuntime,
  ) {}

  list(): Promise<RulePackSummary[]> {
    return this.packs.list();
  }

  trusted(): Promise<TrustedPatterns> {
    return this.runtime.trustedPatterns();
  }

  async get(key: string): Promise<RulePackDetail> {
    const stored = await this.require(key);
    const draft = stored.draft === null ? null : await this.ordered(stored.draft);
    const live = await this.livePack(stored);
    const { draft: _raw, ...rest } = stored;
    return {
      ...rest,
      draft,
      draftBacktested: draft !== null && stored.draftBacktest?.contentHash === contentHash(draft),
      draftDiff: draft ? diffRulePacks(live, draft) : null,
    };
  }

  async version(key: string, number: number): Promise<StoredRulePackVersion> {
    const version = await this.packs.version(key, number);
    if (!version) throw new RuleCatalogError('not_found', [`version: pack ${key} has no published version ${number}`]);
    return { ...version, content: await this.ordered(version.content) };
  }

  /** Stored JSON loses key order: validating again gives the fields in the pack format's order (id, version, ...). */
  private async ordered(content: unknown): Promise<RulePack> {
    try {
      return validateRulePack(content, { trustedPatterns: await this.trusted() });
    } catch (error) {
      // a version written under an older engine stays readable as stored
      if (error instanceof RulePackValidationError) return content as RulePack;
      throw error;
    }
  }

  /** The draft, validated (what a backtest of the draft runs). */
  async draft(key: string): Promise<{ pack: RulePack; draftUpdatedAt: Date; live: RulePack | null }> {
    const stored = await this.require(key);
    if (stored.draft === null || stored.draftUpdatedAt === null) throw new RuleCatalogError('conflict', [`pack: ${key} has no draft`]);
    return { pack: stored.draft as RulePack, draftUpdatedAt: stored.draftUpdatedAt, live: await this.livePack(stored) };
  }

  async create(key: string, input: unknown, actor: string): Promise<RulePackSummary> {
    if (!KEY.test(key)) throw new RuleCatalogError('invalid', ['body.key: 1-100 letters, digits, _ . - only']);
    const pack = prepareDraft(input, key, semverOf(1), 'body.pack', await this.trusted());
    const created = await this.packs.create(
      { key, language: pack.language, description: pack.description ?? null, forkedFrom: null, draft: pack as unknown as JsonValue, actor },
      diffDetails(diffRulePacks(null, pack)),
    );
    if (!created) throw new RuleCatalogError('conflict', [`body.key: a rule pack ${key} exists`]);
    return created;
  }

  /** A campaign's own editable copy of a pack's version (the live one by default), as a draft. */
  async fork(sourceKey: string, key: string, number: number | undefined, actor: string): Promise<RulePackSummary> {
    if (!KEY.test(key)) throw new RuleCatalogError('invalid', ['body.key: 1-100 letters, digits, _ . - only']);
    const source = await this.require(sourceKey);
    const from = number ?? source.liveVersion;
    if (from === null) throw new RuleCatalogError('conflict', [`pack: ${sourceKey} has no published version to fork`]);
    const version = await this.version(sourceKey, from);
    const pack = prepareDraft({ ...(version.content as object), id: key }, key, semverOf(1), 'body', await this.trusted());
    const created = await this.packs.create(
      { key, language: pack.language, description: pack.description ?? null, forkedFrom: `${sourceKey}@${from}`, draft: pack as unknown as JsonValue, actor },
      { forkedFrom: `${sourceKey}@${from}`, rules: pack.rules.length },
    );
    if (!created) throw new RuleCatalogError('conflict', [`body.key: a rule pack ${key} exists`]);
    return created;
  }

  async saveDraft(key: string, input: unknown, actor: string): Promise<RulePackDetail> {
    const stored = await this.editable(key);
    const pack = prepareDraft(input, key, semverOf((stored.versions[0]?.number ?? 0) + 1), 'body.pack', await this.trusted());
    const live = await this.livePack(stored);
    await this.packs.saveDraft(key, pack as unknown as JsonValue, pack.language, pack.description ?? null, actor, diffDetails(diffRulePacks(live, pack)));
    return this.get(key);
  }

  async discardDraft(key: string, actor: string): Promise<void> {
    await this.editable(key);
    await this.packs.discardDraft(key, actor);
  }

  /** Remembers that this draft (as saved at `draftUpdatedAt`) was backtested; false when it changed meanwhile. */
  async recordBacktest(key: string, pack: RulePack, draftUpdatedAt: Date, actor: string, result: { calls: number; hits: number }): Promise<boolean> {
    const record: DraftBacktestRecord = { contentHash: contentHash(pack), at: new Date().toISOString(), by: actor, ...result };
    return this.packs.recordDraftBacktest(key, draftUpdatedAt, record);
  }

  async publish(key: string, note: string, actor: string): Promise<{ version: number; semver: string; diff: RulePackDiff }> {
    const stored = await this.editable(key);
    if (stored.draft === null || stored.draftUpdatedAt === null) throw new RuleCatalogError('conflict', [`pack: ${key} has no draft to publish`]);
    const pack = stored.draft as RulePack;
    const hash = contentHash(pack);
    if (stored.draftBacktest?.contentHash !== hash) {
      throw new RuleCatalogError('conflict', [`pack: backtest the draft of ${key} as it stands before publishing (POST /v1/rule-packs/${key}/draft/backtest)`]);
    }
    const live = await this.livePack(stored);
    const diff = diffRulePacks(live, pack);
    if (live && diff.added.length + diff.removed.length + diff.changed.length + diff.packFields.length === 0) {
      throw new RuleCatalogError('conflict', ['pack: the draft is the same as the live version']);
    }
    const number = (stored.versions[0]?.number ?? 0) + 1;
    const content = { ...pack, version: semverOf(number) };
    await this.checkCampaigns(key, content);
    const published = await this.packs.publish(
      key,
      { semver: content.version, content: content as unknown as JsonValue, contentHash: contentHash(content), note, actor },
      stored.draftUpdatedAt,
      diffDetails(diff),
    );
    if (!published) throw new RuleCatalogError('conflict', ['pack: the draft changed while it was being published; backtest it again']);
    return { version: published.number, semver: content.version, diff };
  }

  async rollback(key: string, number: number, note: string, actor: string): Promise<{ version: number; diff: RulePackDiff }> {
    const stored = await this.editable(key);
    if (stored.liveVersion === number) throw new RuleCatalogError('conflict', [`body.version: ${number} is already live`]);
    const target = validateRulePack((await this.version(key, number)).content, { trustedPatterns: await this.trusted() });
    const live = await this.livePack(stored);
    const diff = diffRulePacks(live, target);
    await this.checkCampaigns(key, target);
    await this.packs.setLive(key, number, actor, note, { ...diffDetails(diff), from: stored.liveVersion });
    return { version: number, diff };
  }

  async diff(key: string, from: number, to: number | 'draft'): Promise<RulePackDiff> {
    const before = (await this.version(key, from)).content as RulePack;
    const after = to === 'draft' ? (await this.draft(key)).pack : ((await this.version(key, to)).content as RulePack);
    return diffRulePacks(before, after);
  }

  /** A version ('live', 'draft' or a number) as YAML or JSON: the seed and import format. */
  async export(key: string, which: 'live' | 'draft' | number, format: 'yaml' | 'json'): Promise<string> {
    const stored = await this.require(key);
    let pack: RulePack | null;
    if (which === 'draft') pack = (await this.draft(key)).pack;
    else if (which === 'live') pack = await this.livePack(stored);
    else pack = (await this.version(key, which)).content as RulePack;
    if (!pack) throw new RuleCatalogError('not_found', [`version: pack ${key} has no published version`]);
    pack = await this.ordered(pack);
    return format === 'json' ? `${JSON.stringify(pack, null, 2)}\n` : toYaml(pack, { lineWidth: 0 });
  }

  /** The packs a campaign chose (null: it runs the system packs) and the live versions that run. */
  async campaignPacks(campaignId: string): Promise<{ chosen: string[] | null; running: { key: string; version: number }[] }> {
    const [chosen, refs] = await Promise.all([this.packs.campaignPackKeys(campaignId), this.packs.livePacksFor(campaignId)]);
    return { chosen, running: refs.map((r) => ({ key: r.key, version: r.number })) };
  }

  async setCampaignPacks(campaignId: string, keys: readonly string[], actor: string): Promise<void> {
    const problems: string[] = [];
    const seen = new Set<string>();
    const packs: RulePack[] = [];
    for (const [i, key] of keys.entries()) {
      if (seen.has(key)) problems.push(`body.packs.${i}: ${key} is listed twice`);
      seen.add(key);
      const stored = await this.packs.find(key);
      if (!stored) problems.push(`body.packs.${i}: no rule pack ${key}`);
      else if (stored.liveVersion === null) problems.push(`body.packs.${i}: ${key} has no published version yet`);
      else packs.push((await this.version(key, stored.liveVersion)).content as RulePack);
    }
    if (problems.length === 0) problems.push(...(await this.collisions(packs, 'body.packs')));
    if (problems.length > 0) throw new RuleCatalogError('invalid', problems);
    const before = await this.packs.campaignPackKeys(campaignId);
    await this.packs.setCampaignPackKeys(campaignId, keys, actor, { before: before ?? null });
  }

  private async require(key: string): Promise<StoredRulePack> {
    const stored = await this.packs.find(key);
    if (!stored) throw new RuleCatalogError('not_found', [`pack: no rule pack ${key}`]);
    return stored;
  }

  private async editable(key: string): Promise<StoredRulePack> {
    const stored = await this.require(key);
    if (stored.system) throw new RuleCatalogError('read_only', [`pack: ${key} is a shipped pack and read-only; fork it to change it`]);
    return stored;
  }

  private async livePack(stored: StoredRulePack): Promise<RulePack | null> {
    if (stored.liveVersion === null) return null;
    return (await this.version(stored.key, stored.liveVersion)).content as RulePack;
  }

  /** Every campaign enabling `key` must still compile with this content in its place (rule ids unique across packs). */
  private async checkCampaigns(key: string, content: RulePack): Promise<void> {
    for (const campaign of await this.packs.campaignsEnabling(key)) {
      const packs: RulePack[] = [];
      for (const other of campaign.packKeys) {
        if (other === key) {
          packs.push(content);
          continue;
        }
        const stored = await this.packs.find(other);
        if (stored?.liveVersion) packs.push((await this.version(other, stored.liveVersion)).content as RulePack);
      }
      const problems = await this.collisions(packs, 'pack');
      if (problems.length > 0) throw new RuleCatalogError('conflict', problems.map((p) => `${p} (campaign ${campaign.campaignId})`));
    }
  }

  private async collisions(packs: readonly RulePack[], field: string): Promise<string[]> {
    try {
      compileRulePack(packs, { trustedPatterns: await this.trusted() });
      return [];
    } catch (error) {
      if (error instanceof RulePackValidationError) return error.issues.map((i) => `${field}: ${i}`);
      throw error;
    }
  }
}
