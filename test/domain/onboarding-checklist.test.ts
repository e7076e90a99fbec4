// The checklist's steps from the facts read: done flags, times, and which app each step links to.
import { checklistOf, type OnboardingFacts } from '../../domain/onboarding/checklist';

const none: OnboardingFacts = {
  hasPlan: false, planAt: null, activatedAt: null, activatedSlug: null, configuredAt: null, configuredSlug: null,
  snippetAt: null, snippetSlug: null, firstCallAt: null, firstCallSlug: null, currentSlug: null, includedSlug: null,
};
const t = (s: string) => new Date(`2026-11-29T${s}:00Z`);

describe('checklistOf', () => {
  it('lists the five steps in order, none done, with no app to link to before a plan', () => {
    expect(checklistOf(none).map((s) => [s.key, s.done, s.slug])).toEqual([
      ['choose_plan', false, null], ['activate_app', false, null], ['configure_app', false, null], ['copy_snippet', false, null], ['first_call', false, null],
    ]);
  });

  it('points the activation step at an app the plan includes until one is being activated', () => {
    expect(checklistOf({ ...none, hasPlan: true, planAt: t('10:00'), includedSlug: 'pd-calculator' })[1]).toEqual({ key: 'activate_app', done: false, doneAt: null, slug: 'pd-calculator' });
    expect(checklistOf({ ...none, hasPlan: true, includedSlug: 'pd-calculator', currentSlug: 'frame-finder' })[1]!.slug).toBe('frame-finder');
  });

  it('names the app each done step was done with, and the current app for the steps still to do', () => {
    const steps = checklistOf({ ...none, hasPlan: true, planAt: t('10:00'), activatedAt: t('10:05'), activatedSlug: 'pd-calculator', configuredAt: t('10:06'), configuredSlug: 'frame-finder', currentSlug: 'pd-calculator' });
    expect(steps.map((s) => [s.key, s.done, s.doneAt?.toISOString() ?? null, s.slug])).toEqual([
      ['choose_plan', true, '2026-11-29T10:00:00.000Z', null],
      ['activate_app', true, '2026-11-29T10:05:00.000Z', 'pd-calculator'],
      ['configure_app', true, '2026-11-29T10:06:00.000Z', 'frame-finder'],
      ['copy_snippet', false, null, 'pd-calculator'],
      ['first_call', false, null, 'pd-calculator'],
    ]);
  });

  it('counts a plan as chosen even before its first allowance is recorded (no time yet)', () => {
    expect(checklistOf({ ...none, hasPlan: true })[0]).toEqual({ key: 'choose_plan', done: true, doneAt: null, slug: null });
  });

  it('takes each step on its own facts: a first call counts even without a copied snippet', () => {
    const steps = checklistOf({ ...none, firstCallAt: t('11:00'), firstCallSlug: 'pd-calculator' });
    expect(steps.filter((s) => s.done).map((s) => s.key)).toEqual(['first_call']);
  });
});
