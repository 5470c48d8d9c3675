import type {
  CallEvaluation,
  Criterion,
  CriterionResult,
  FindingAbsentSource,
  LlmSource,
  MetricSource,
  Scorecard,
  ScoreCallInput,
  ScoredFinding,
} from './scorecard.js';

// Metric values are measured floats (e.g. 0.30000000000000004); a hair of tolerance keeps '==' and bounds honest.
const EPSILON = 1e-9;

function findingAbsent(source: FindingAbsentSource, live: readonly ScoredFinding[]): Omit<CriterionResult, 'criterionId' | 'weight'> {
  const families = new Set(source.families ?? []);
  const ruleIds = new Set(source.ruleIds ?? []);
  const hits = live.filter((f) => ruleIds.has(f.ruleId) || (f.family != null && families.has(f.family)));
  return { result: hits.length > 0 ? 'fail' : 'pass', findingIds: hits.map((f) => f.id) };
}

function compare(source: MetricSource, observed: number | boolean): boolean {
  if (source.op === 'between') {
    return typeof observed === 'number' && observed >= source.min - EPSILON && observed <= source.max + EPSILON;
  }
  if (typeof observed === 'boolean' || typeof source.value === 'boolean') return observed === source.value;
  if (source.op === '<=') return observed <= source.value + EPSILON;
  if (source.op === '>=') return observed >= source.value - EPSILON;
  return Math.abs(observed - source.value) <= EPSILON;
}

function metric(source: MetricSource, input: ScoreCallInput): Omit<CriterionResult, 'criterionId' | 'weight'> {
  const observed = input.metrics ? input.metrics[source.metric] : null;
  if (observed === null) return { result: 'na', findingIds: [], observed: null };
  return { result: compare(source, observed) ? 'pass' : 'fail', findingIds: [], observed };
}

function llm(source: LlmSource, input: ScoreCallInput, live: readonly ScoredFinding[]): Omit<CriterionResult, 'criterionId' | 'weight'> {
  const answer = input.llmAnswers?.[source.questionId] ?? 'na';
  // LLM checks store their evidence as findings whose ruleId is the question id.
  const findingIds = live.filter((f) => f.ruleId === source.questionId).map((f) => f.id);
  if (answer === 'na') return { result: 'na', findingIds, observed: answer };
  return { result: answer === (source.passWhen ?? 'yes') ? 'pass' : 'fail', findingIds, observed: answer };
}

function evaluate(criterion: Criterion, input: ScoreCallInput, live: readonly ScoredFinding[]): CriterionResult {
  const { source } = criterion;
  const outcome =
    source.kind === 'finding_absent' ? findingAbsent(source, live) : source.kind === 'metric' ? metric(source, input) : llm(source, input, live);
  return { criterionId: criterion.id, weight: criterion.weight, ...outcome };
}

/**
 * Scores one call on a scorecard: weighted share of passed criteria among applicable ones (N/A leaves the
 * denominator), 0 when a critical criterion fails. Dismissed findings do not count. Deterministic.
 */
export function scoreCall(scorecard: Scorecard, input: ScoreCallInput): CallEvaluation {
  const live = input.findings.filter((f) => f.reviewState !== 'dismissed');
  const criteria = scorecard.criteria.map((c) => evaluate(c, input, live));
  let passed = 0;
  let applicable = 0;
  let autoFailed = false;
  criteria.forEach((r, i) => {
    if (r.result === 'na') return;
    applicable += r.weight;
    if (r.result === 'pass') passed += r.weight;
    else if (scorecard.criteria[i].critical) autoFailed = true;
  });
  const score = autoFailed ? 0 : applicable > 0 ? Math.round((10_000 * passed) / applicable) / 100 : 100;
  return { score, autoFailed, applicableWeight: applicable, criteria };
}
