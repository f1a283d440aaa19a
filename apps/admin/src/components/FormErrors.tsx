import { Alert } from './Alert';

/** The problems of a form that belong to no single field, as one banner. */
export function FormErrors({ messages, testId }: { messages: readonly string[]; testId?: string }) {
  if (messages.length === 0) return null;
  return (
    <Alert kind="error">
      {messages.length === 1 ? (
        <span data-testid={testId}>{messages[0]}</span>
      ) : (
        <ul className="error-list" data-testid={testId}>
          {messages.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
