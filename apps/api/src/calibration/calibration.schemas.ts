/** JSON Schemas of the calibration answers (OpenAPI). */
const interval = { type: ['object', 'null'], required: ['low', 'high'], properties: { low: { type: 'number' }, high: { type: 'number' } } };
const proportion = {
  type: 'object',
  required: ['value', 'successes', 'trials', 'ci95'],
  properties: { value: { type: ['number', 'null'] }, successes: { type: 'integer' }, trials: { type: 'integer' }, ci95: interval },
};

export const MISSED_FINDING_SCHEMA = {
  type: 'object',
  required: ['id', 'callId', 'source', 'ruleId', 'quote', 'segmentIndex', 'startSeconds', 'endSeconds', 'note', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    callId: { type: 'string', format: 'uuid' },
    source: { type: 'string', enum: ['rule', 'metadata', 'llm'] },
    ruleId: { type: 'string' },
    quote: { type: 'string' },
    segmentIndex: { type: ['integer', 'null'] },
    startSeconds: { type: ['number', 'null'] },
    endSeconds: { type: ['number', 'null'] },
    note: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

export const MISSED_FINDINGS_SCHEMA = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: MISSED_FINDING_SCHEMA } } };

export const CALIBRATION_REPORT_SCHEMA = {
  type: 'object',
  required: ['from', 'to', 'campaign', 'floor', 'reviewedCalls', 'rules'],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    campaign: { type: ['string', 'null'] },
    floor: { type: 'number', description: 'CALIBRATION_PRECISION_FLOOR' },
    reviewedCalls: { type: 'integer' },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ruleId', 'source', 'confirmed', 'dismissed', 'pending', 'missed', 'precision', 'recall', 'calls', 'agreement', 'kappa', 'belowFloor', 'confidentlyBelowFloor'],
        properties: {
          ruleId: { type: 'string', description: 'the rule id or LLM question id' },
          source: { type: 'string' },
          confirmed: { type: 'integer' },
          dismissed: { type: 'integer' },
          pending: { type: 'integer' },
          missed: { type: 'integer', description: 'findings reviewers added (false negatives)' },
          precision: proportion,
          recall: proportion,
          calls: {
            type: 'object',
            description: 'per reviewed call: a machine and reviewer both, b machine only, c reviewer only, d neither; undecided: findings still pending',
            properties: { a: { type: 'integer' }, b: { type: 'integer' }, c: { type: 'integer' }, d: { type: 'integer' }, n: { type: 'integer' }, undecided: { type: 'integer' } },
          },
          agreement: proportion,
          kappa: { type: 'object', required: ['value', 'ci95'], properties: { value: { type: ['number', 'null'] }, ci95: interval } },
          belowFloor: { type: 'boolean' },
          confidentlyBelowFloor: { type: 'boolean' },
        },
      },
    },
  },
};

export const RECHECK_QUEUED_SCHEMA = {
  type: 'object',
  required: ['jobId', 'status', 'progressUrl'],
  properties: { jobId: { type: 'string' }, status: { type: 'string', enum: ['queued'] }, progressUrl: { type: 'string' } },
};

export const RECHECK_STATE_SCHEMA = {
  type: 'object',
  required: ['jobId', 'state', 'request', 'progress', 'failedReason', 'finishedAt'],
  properties: {
    jobId: { type: 'string' },
    state: { type: 'string', description: 'waiting, active, completed, failed' },
    request: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, campaignId: { type: 'string' }, packKey: { type: 'string' }, requestedBy: { type: 'string' } },
    },
    progress: {
      type: ['object', 'null'],
      properties: {
        total: { type: 'integer' },
        processed: { type: 'integer' },
        callsChanged: { type: 'integer', description: 'calls whose rule findings changed; re-scored and rolled up again' },
        findingsAdded: { type: 'integer' },
        findingsRemoved: { type: 'integer' },
        findingsUpdated: { type: 'integer' },
        skippedWithoutTranscript: { type: 'integer' },
      },
    },
    failedReason: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
