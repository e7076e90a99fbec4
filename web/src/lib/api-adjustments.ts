// The brand's billing history of VARAi's token adjustments (credits and take-backs, with reasons).
import { send } from './api';
import type { Ok } from './types';

export type Adjustment = Ok<'getApiBillingAdjustments'>['adjustments'][number];

export const listAdjustments = () => send<Ok<'getApiBillingAdjustments'>>('GET', '/api/billing/adjustments');
