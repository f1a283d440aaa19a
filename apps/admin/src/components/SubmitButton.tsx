import type { ReactNode } from 'react';

interface SubmitButtonProps {
  pending: boolean;
  children: ReactNode;
  testId?: string;
}

export function SubmitButton({ pending, children, testId }: SubmitButtonProps) {
  return (
    <button
      type="submit"
      className="button button--primary"
      disabled={pending}
      aria-busy={pending}
      data-testid={testId}
    >
      {pending && <span className="spinner spinner--light" aria-hidden="true" />}
      {children}
    </button>
  );
}
