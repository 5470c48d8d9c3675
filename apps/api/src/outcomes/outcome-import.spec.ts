import { RequestValidationError } from '../common/request-validation.error.js';
import { parseOutcomeCsv, parseOutcomeJson } from './outcome-import.service.js';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('outcome import parsing', () => {
  it('reads JSON outcomes with every kind of field', () => {
    expect(
      parseOutcomeJson({
        outcomes: [{ callId: 'd-1', disposition: 'busy', intentConfirmed: true, sale: false, csat: 5, complaint: { category: 'other', note: 'rude' } }],
      }),
    ).toEqual([
      {
        source: 'outcomes.0',
        callRef: 'd-1',
        patch: { disposition: 'busy', intentConfirmed: true, sale: false, csat: 5, complaint: { category: 'other', note: 'rude', receivedAt: undefined } },
      },
    ]);
  });

  it('names every bad JSON field', () => {
    expect(
      problems(() =>
        parseOutcomeJson({ outcomes: [{ callId: 'x', csat: 6 }, { disposition: 'voicemail', complaint: { category: 'spam' } }, { callId: 'y', colour: 1 }, { callId: 'z' }] }),
      ),
    ).toEqual([
      'outcomes.0.csat: must be a whole number from 1 to 5',
      "outcomes.1.callId: required (the call id or the dialer's external id)",
      'outcomes.1.disposition: must be one of connected, no_answer, busy, abandoned',
      'outcomes.1.complaint.category: must be one of unsolicited_marketing, content_violation, other',
      'outcomes.2.colour: not a known field',
      'outcomes.3: no outcome given (disposition, intentConfirmed, sale, csat or complaint)',
    ]);
  });

  it('reads CSV with line numbers as sources and yes/no booleans', () => {
    const parsed = parseOutcomeCsv('Call ID,sale,complaint_category\nd-1,yes,\nd-2,,content_violation\n');
    expect(parsed.map((p) => [p.source, p.callRef, p.patch])).toEqual([
      ['rows.2', 'd-1', { sale: true }],
      ['rows.3', 'd-2', { complaint: { category: 'content_violation', note: undefined, receivedAt: undefined } }],
    ]);
  });

  it('refuses unknown CSV columns and bad cells by name', () => {
    expect(problems(() => parseOutcomeCsv('call_id,mood\nd-1,happy\n'))[0]).toMatch(/^file\.header\.mood: not a known column/);
    expect(problems(() => parseOutcomeCsv('call_id,csat\nd-1,0\n'))).toEqual(['rows.2.csat: must be a whole number from 1 to 5']);
  });
});
