import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../accounting/money';

interface GoalProgressProps {
  raisedCents: number;
  goalCents: number | null;
  currency: string;
  testId?: string;
}

/** What a campaign raised, against its goal when it has one (a progress bar and the figures). */
export function GoalProgress({ raisedCents, goalCents, currency, testId }: GoalProgressProps) {
  const { t } = useTranslation();
  const id = useId();
  const raised = formatMoney(raisedCents, currency);
  if (goalCents === null || goalCents <= 0) {
    return (
      <p className="goal-progress" data-testid={testId} data-raised={raisedCents}>
        {t('donations.goal.raisedOnly', { raised })}
      </p>
    );
  }
  const percent = Math.floor((raisedCents * 100) / goalCents);
  const text = t('donations.goal.progress', {
    raised,
    goal: formatMoney(goalCents, currency),
    percent,
  });
  return (
    <div
      className="goal-progress"
      data-testid={testId}
      data-raised={raisedCents}
      data-goal={goalCents}
    >
      <progress
        aria-describedby={id}
        max={goalCents}
        value={Math.min(raisedCents, goalCents)}
        aria-label={t('donations.goal.label')}
        aria-valuetext={text}
      />
      <span id={id} className="goal-progress__text">
        {text}
      </span>
    </div>
  );
}
