import type { InputHTMLAttributes, PartialInputHTMLAttributes } from 'preact';

type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'id' | 'label' | 'role'>;

/** A labelled input; the hint and the error, when there is one, are tied to it with aria-describedby. */
export function Field({ id, label, hint, error, ...input }: InputProps & { id: string; label: string; hint?: string; error?: string | null }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <input {...(input as InputHTMLAttributes)} id={id} name={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
      {error ? (
        <small id={errorId} class="field-error">
          {error}
        </small>
      ) : null}
      {hint ? (
        <small id={hintId} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
