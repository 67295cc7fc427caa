import type { InputHTMLAttributes, PartialInputHTMLAttributes } from 'preact';

type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'id' | 'label' | 'role'>;

/** A labelled input; the hint is tied to it with aria-describedby. */
export function Field({ id, label, hint, ...input }: InputProps & { id: string; label: string; hint?: string }) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input {...(input as InputHTMLAttributes)} id={id} name={id} aria-describedby={hintId} />
      {hint ? (
        <small id={hintId} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
