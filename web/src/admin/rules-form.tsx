import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import type { NewRewardRules, RewardRulesVersion } from '../api/types';
import { LiveMessage } from '../ui/alert';
import { Card } from '../ui/card';
import { Field } from '../ui/field';
import { RulesDraftPreview } from './rules-draft-preview';
import { fieldErrors, RULE_FIELDS, type RuleField } from './rules-fields';

type Values = Record<RuleField, string>;
type FormField = RuleField | 'effectiveFrom' | 'note';
const FORM_FIELDS: FormField[] = [...RULE_FIELDS.map((f) => f.name), 'effectiveFrom', 'note'];
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function valuesOf(version: RewardRulesVersion | null): Values {
  return Object.fromEntries(RULE_FIELDS.map((f) => [f.name, version?.[f.name] == null ? '' : String(version[f.name])])) as Values;
}

/** A datetime-local value (the browser's time zone) a minute from now: the earliest a schedule makes sense. */
function localMinute(offsetMs: number): string {
  const d = new Date(Date.now() + offsetMs);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const inputId = (field: FormField) => `rules-${field}`;

/** POST /api/admin/reward-rules: a new version, prefilled from the one in force, now or from a later date-time. */
export function RulesForm({ active, onCreated }: { active: RewardRulesVersion | null; onCreated: (version: RewardRulesVersion) => void }) {
  const [values, setValues] = useState<Values>(() => valuesOf(active));
  const [note, setNote] = useState('');
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refuse = (byField: Partial<Record<FormField, string>>, summary: string) => {
    setErrors(byField);
    setError(summary);
    const first = FORM_FIELDS.find((f) => byField[f]);
    if (first) document.getElementById(inputId(first))?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const missing: Partial<Record<FormField, string>> = {};
    const body: Record<string, unknown> = {};
    for (const f of RULE_FIELDS) {
      const text = values[f.name].trim();
      if (text) body[f.name] = Number(text);
      else if (f.name === 'maxCommissionPerReferral') body[f.name] = null;
      else missing[f.name] = 'Enter a number.';
    }
    if (when === 'later') {
      if (at) body.effectiveFrom = new Date(at).toISOString();
      else missing.effectiveFrom = 'Choose the date and time it takes effect.';
    }
    if (note.trim()) body.note = note.trim();
    if (Object.keys(missing).length) return refuse(missing, 'Some fields are empty.');
    setBusy(true);
    try {
      const created = await api.createRewardRules(body as NewRewardRules);
      setErrors({});
      setError(null);
      // The form stays mounted (focus stays on its button) and starts again from the version in force.
      setValues(valuesOf(when === 'now' ? created : active));
      setNote('');
      setWhen('now');
      setAt('');
      onCreated(created);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const { byField, other } = fieldErrors(err.details, FORM_FIELDS);
        const count = Object.keys(byField).length;
        refuse(byField, [count ? `The server refused ${count === 1 ? 'one field' : `${count} fields`}; see the messages beside them.` : '', ...other].filter(Boolean).join(' '));
      } else {
        setErrors({});
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="New version" id="rules-new" wide>
      <form onSubmit={submit} noValidate aria-describedby="rules-new-hint">
        <p id="rules-new-hint" class="hint">
          {active ? `Prefilled from version ${active.version}, the one in force. ` : ''}A version is never edited: purchases keep the rules they were
          rewarded under, and a scheduled version can be withdrawn until it takes effect.
        </p>
        <div class="rules-fields">
          {RULE_FIELDS.map((f) => (
            <Field
              key={f.name}
              id={inputId(f.name)}
              label={f.label}
              hint={f.hint}
              error={errors[f.name]}
              type="number"
              inputMode={f.step < 1 ? 'decimal' : 'numeric'}
              min={0}
              max={f.max}
              step={f.step}
              required={f.name !== 'maxCommissionPerReferral'}
              value={values[f.name]}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setValues((v) => ({ ...v, [f.name]: value }));
              }}
            />
          ))}
        </div>
        <RulesDraftPreview values={values} />
        <fieldset class="rules-when">
          <legend>Takes effect</legend>
          <label class="choice">
            <input type="radio" name="rules-when" value="now" checked={when === 'now'} onChange={() => setWhen('now')} />
            Now
          </label>
          <label class="choice">
            <input
              type="radio"
              name="rules-when"
              value="later"
              checked={when === 'later'}
              onChange={() => {
                setWhen('later');
                if (!at) setAt(localMinute(86_400_000));
              }}
            />
            Later, at a date and time
          </label>
        </fieldset>
        {when === 'later' ? (
          <Field
            id={inputId('effectiveFrom')}
            label="Effective from"
            hint={`In your time zone (${timeZone}). Until then the version is listed as scheduled.`}
            error={errors.effectiveFrom}
            type="datetime-local"
            required
            min={localMinute(60_000)}
            value={at}
            onInput={(e) => setAt(e.currentTarget.value)}
          />
        ) : errors.effectiveFrom ? (
          <p class="field-error">{errors.effectiveFrom}</p>
        ) : null}
        <div class={errors.note ? 'field field-invalid' : 'field'}>
          <label for={inputId('note')}>Note (optional)</label>
          <textarea
            id={inputId('note')}
            rows={2}
            maxLength={500}
            value={note}
            aria-invalid={errors.note ? true : undefined}
            aria-describedby={errors.note ? 'rules-note-error' : undefined}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          {errors.note ? (
            <small id="rules-note-error" class="field-error">
              {errors.note}
            </small>
          ) : null}
        </div>
        <LiveMessage error={error} />
        <div class="actions">
          {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page. */}
          <button type="submit" aria-disabled={busy}>
            {busy ? 'Creating…' : when === 'now' ? 'Create and apply now' : 'Schedule version'}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setValues(valuesOf(active));
              setErrors({});
              setError(null);
            }}
          >
            Reset to the version in force
          </button>
        </div>
      </form>
    </Card>
  );
}
