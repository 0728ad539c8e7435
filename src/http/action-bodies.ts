import { FLAGS, GROUND_TYPES, OUTCOMES, RESTRICTIONS, SETTABLE_STATUSES } from '../cases/case-vocabulary.ts';

/**
 * The case reference and the request bodies of the case actions, as JSON
 * schemas: one set of rules for the JSON API and the board's forms.
 */
export const REF_PATTERN = '^[A-Z]{1,6}-\\d{4}-\\d{6,}$';
export const refParam = { type: 'object', properties: { ref: { type: 'string', pattern: REF_PATTERN } }, required: ['ref'] } as const;

export const noteBody = { type: 'object', properties: { text: { type: 'string', minLength: 1, maxLength: 10000 } }, required: ['text'], additionalProperties: false } as const;
export const reasonBody = { type: 'object', properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['reason'], additionalProperties: false } as const;
export const statusBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { type: 'string', enum: [...SETTABLE_STATUSES] },
    outcome: { type: 'string', enum: [...OUTCOMES] },
    reason: { type: 'string', maxLength: 2000, description: 'told to the reporters and the customer' },
    ground: { type: 'string', maxLength: 2000, description: 'the law or terms invoked; needed for action_taken against a customer' },
    groundType: { type: 'string', enum: [...GROUND_TYPES], description: 'illegal (the law) or terms (our terms and conditions); default terms' },
    restriction: { type: 'string', enum: [...RESTRICTIONS], description: 'what was done (action_taken); default: account_suspended for an account, content_disabled otherwise' },
  },
} as const;
export const flagBody = { type: 'object', additionalProperties: false, required: ['flag', 'set'], properties: { flag: { type: 'string', enum: [...FLAGS] }, set: { type: 'boolean' } } } as const;
export const mergeBody = { type: 'object', additionalProperties: false, required: ['into'], properties: { into: { type: 'string', pattern: REF_PATTERN } } } as const;
