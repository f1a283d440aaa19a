import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';

type DebouncedInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  value: string;
  onChange: (value: string) => void;
  delay?: number;
};

/**
 * A text input that reports its value once typing pauses (`delay` ms); follows `value` when it
 * changes from outside (a reset, a saved filter), without losing what is being typed.
 */
export function DebouncedInput({ value, onChange, delay = 300, ...props }: DebouncedInputProps) {
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const [sent, setSent] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== sent) {
      setText(value);
      setSent(value);
    }
  }

  useEffect(() => {
    if (text === sent) return;
    const timer = window.setTimeout(() => {
      setSent(text);
      onChangeRef.current(text);
    }, delay);
    return () => window.clearTimeout(timer);
  }, [text, sent, delay]);

  return <input {...props} value={text} onChange={(event) => setText(event.target.value)} />;
}
