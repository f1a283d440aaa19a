import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/messages';

export interface Feedback {
  kind: 'success' | 'error';
  message: string;
}

/** Runs one button action at a time (`pending` is its key) and keeps its outcome as feedback. */
export function useAction() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);

  const run = useCallback(
    async (key: string, action: () => Promise<unknown>, success?: string): Promise<boolean> => {
      setPending(key);
      setFeedback(null);
      try {
        await action();
        if (success) setFeedback({ kind: 'success', message: success });
        return true;
      } catch (error) {
        setFeedback({ kind: 'error', message: errorMessage(t, error) });
        return false;
      } finally {
        setPending(null);
      }
    },
    [t],
  );

  return { pending, feedback, run };
}
