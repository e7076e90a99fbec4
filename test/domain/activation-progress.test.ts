import { stepsFromRun, stepsFromStatus, type ActivationStep } from '../../domain/activation/progress';
import { appDefinitions, goodForOf } from '../../domain/catalog/apps';

const states = (steps: ActivationStep[]) => steps.map((s) => s.state);

describe('activation steps from the run', () => {
  it.each([
    ['starting', ['running', 'pending', 'pending', 'pending']],
    ['entitlement', ['running', 'pending', 'pending', 'pending']],
    ['provisioning', ['done', 'running', 'pending', 'pending']],
    ['configuration', ['done', 'done', 'running', 'pending']],
    ['widget_key', ['done', 'done', 'done', 'running']],
    ['finishing', ['done', 'done', 'done', 'done']],
    ['active', ['done', 'done', 'done', 'done']],
  ])('shows %s as %j', (stepKey, expected) => {
    expect(states(stepsFromRun({ stepKey, failedStep: null, target: 'activate' }))).toEqual(expected);
  });

  it.each([
    ['entitlement', ['failed', 'pending', 'pending', 'pending']],
    ['provisioning', ['done', 'failed', 'pending', 'pending']],
    ['widget_key', ['done', 'done', 'done', 'failed']],
  ])('marks the step a failure stopped at (%s), while compensating and after', (failedStep, expected) => {
    expect(states(stepsFromRun({ stepKey: 'compensating', failedStep, target: 'activate' }))).toEqual(expected);
    expect(states(stepsFromRun({ stepKey: 'failed', failedStep, target: 'activate' }))).toEqual(expected);
  });

  it('shows nothing begun for a deactivation', () => {
    expect(states(stepsFromRun({ stepKey: 'deactivating', failedStep: null, target: 'deactivate' }))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(states(stepsFromRun({ stepKey: 'starting', failedStep: null, target: 'deactivate' }))).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('keeps the steps in order with their keys', () => {
    expect(stepsFromRun({ stepKey: 'active', failedStep: null, target: 'activate' }).map((s) => s.key)).toEqual(['entitlement', 'provisioning', 'configuration', 'widget_key']);
  });
});

describe('activation steps from the stored status', () => {
  it.each([
    ['active', ['done', 'done', 'done', 'done']],
    ['activating', ['running', 'pending', 'pending', 'pending']],
    ['failed', ['pending', 'pending', 'pending', 'pending']],
    ['inactive', ['pending', 'pending', 'pending', 'pending']],
    ['deactivating', ['pending', 'pending', 'pending', 'pending']],
  ] as const)('shows %s as %j', (status, expected) => {
    expect(states(stepsFromStatus(status))).toEqual(expected);
  });
});

describe('what each app is good for', () => {
  it.each(appDefinitions.map((a) => a.slug))('lists 2 to 4 benefits for %s', (slug) => {
    const benefits = goodForOf(slug);
    expect(benefits.length).toBeGreaterThanOrEqual(2);
    expect(benefits.length).toBeLessThanOrEqual(4);
  });

  it('lists none for an app the code does not describe', () => {
    expect(goodForOf('no-such-app')).toEqual([]);
  });
});
