import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EarshotMetrics } from '#libs/metrics';

const OPS = join(import.meta.dirname);

/** Metric names an expression uses (identifiers followed by a selector, a range or a space/paren). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:earshot|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]);
}

describe('ops files', () => {
  let served: Set<string>;

  beforeAll(async () => {
    const metrics = new EarshotMetrics();
    const families = await metrics.registry.getMetricsAsJSON();
    served = new Set(
      families.flatMap((family) =>
        String(family.type) === 'histogram'
          ? [`${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`]
          : [family.name],
      ),
    );
  });

  it('the alert rules cover backlog, failure rate and webhook failures, with metrics Earshot serves', () => {
    const rules = (parse(readFileSync(join(OPS, 'prometheus/earshot-alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: { summary: string; runbook: string } }[] }[];
    }).groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining(['EarshotQueueBacklogGrowing', 'EarshotStageFailureRate', 'EarshotWebhookFailures']),
    );
    for (const rule of rules) {
      expect(rule.annotations.runbook.length).toBeGreaterThan(20);
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect({ rule: rule.alert, name, served: served.has(name) }).toEqual({ rule: rule.alert, name, served: true });
    }
  });

  it('every dashboard panel queries metrics Earshot serves', () => {
    const dashboard = JSON.parse(readFileSync(join(OPS, 'grafana/earshot-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        for (const name of metricNames(target.expr)) expect({ panel: panel.title, name, served: served.has(name) }).toEqual({ panel: panel.title, name, served: true });
      }
    }
  });
});
