import { Alert } from './Alert';
import type { Feedback } from './useAction';

export function FeedbackAlert({ feedback }: { feedback: Feedback | null }) {
  return feedback ? <Alert kind={feedback.kind}>{feedback.message}</Alert> : null;
}
