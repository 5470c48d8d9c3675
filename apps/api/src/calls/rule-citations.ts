import { Injectable } from '@nestjs/common';
import { METADATA_RULE_REGULATIONS } from '#libs/compliance';
import { loadShippedPacks } from '#libs/rule-packs';

/** The regulation each rule cites, for findings shown to reviewers (from the shipped packs and the metadata rules). */
@Injectable()
export class RuleCitations {
  private byRule?: Map<string, string>;

  of(ruleId: string): string | null {
    this.byRule ??= new Map<string, string>([
      ...loadShippedPacks().flatMap((pack) => pack.rules.map((rule) => [rule.id, rule.regulation] as [string, string])),
      ...Object.entries(METADATA_RULE_REGULATIONS),
    ]);
    return this.byRule.get(ruleId) ?? null;
  }
}
