import { eventReportsPaid, sessionPaid } from '../../domain/billing/pack-payment';

const session = (payment_status: string, id = 'cs_test_1') => ({ id, object: 'checkout.session', payment_status });
const event = (type: string, object: Record<string, unknown>) => ({ type, data: { object } });

describe('sessionPaid', () => {
  it('is true only for the purchase’s own session with payment_status paid', () => {
    expect(sessionPaid(session('paid'), 'cs_test_1')).toBe(true);
    expect(sessionPaid(session('paid', 'cs_test_other'), 'cs_test_1')).toBe(false);
  });

  it.each(['unpaid', 'no_payment_required'])('is false for payment_status %s', (status) => {
    expect(sessionPaid(session(status), 'cs_test_1')).toBe(false);
  });
});

describe('eventReportsPaid', () => {
  it('believes a completed checkout of the purchase’s session that says paid', () => {
    expect(eventReportsPaid(event('checkout.session.completed', session('paid')), 'cs_test_1')).toBe(true);
  });

  it('believes a delayed payment that succeeded', () => {
    expect(eventReportsPaid(event('checkout.session.async_payment_succeeded', session('paid')), 'cs_test_1')).toBe(true);
  });

  it.each(['unpaid', 'no_payment_required'])('does not believe a completed checkout whose payment_status is %s', (status) => {
    expect(eventReportsPaid(event('checkout.session.completed', session(status)), 'cs_test_1')).toBe(false);
  });

  it('does not believe a paid checkout of another session, or of none stored', () => {
    expect(eventReportsPaid(event('checkout.session.completed', session('paid', 'cs_test_other')), 'cs_test_1')).toBe(false);
    expect(eventReportsPaid(event('checkout.session.completed', session('paid')), null)).toBe(false);
  });

  it('believes payment_intent.succeeded, which Stripe sends only for a succeeded payment', () => {
    expect(eventReportsPaid(event('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }), 'cs_test_1')).toBe(true);
  });

  it('does not believe any other event type', () => {
    expect(eventReportsPaid(event('checkout.session.async_payment_failed', session('unpaid')), 'cs_test_1')).toBe(false);
    expect(eventReportsPaid(event('checkout.session.expired', session('paid')), 'cs_test_1')).toBe(false);
  });
});
