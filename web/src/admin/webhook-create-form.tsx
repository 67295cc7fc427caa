import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import { type CreatedWebhookEndpoint, WEBHOOK_EVENT_TYPES } from '../api/types';
import { Card } from '../ui/card';
import { LiveMessage } from '../ui/alert';

/** POST /api/admin/webhooks: a URL, the events to send ("*" = all) and an optional description. */
export function WebhookCreateForm({ onCreated }: { onCreated: (endpoint: CreatedWebhookEndpoint) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(false);
  const [events, setEvents] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (type: string, on: boolean) => setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!url.trim()) {
      setError('Enter the URL that should receive the events.');
      document.getElementById('webhook-url')?.focus();
      return;
    }
    const chosen = all ? ['*'] : WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));
    if (chosen.length === 0) {
      setError('Choose at least one event, or all events.');
      document.getElementById('event-all')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.createWebhook({ url: url.trim(), events: chosen, ...(description.trim() ? { description: description.trim() } : {}) });
      setError(null);
      onCreated(created);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Add an endpoint" id="add-webhook" wide>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="webhook-url">URL</label>
          <input
            id="webhook-url"
            type="url"
            inputMode="url"
            maxLength={2048}
            required
            placeholder="https://example.com/hooks/referrals"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
            aria-describedby="webhook-url-hint"
          />
          <small id="webhook-url-hint" class="hint">
            https:// in production; private and loopback addresses are refused.
          </small>
        </div>
        <div class="field">
          <label for="webhook-description">Description (optional)</label>
          <input id="webhook-description" maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <fieldset class="events">
          <legend>Events</legend>
          <label class="choice all-events">
            <input id="event-all" type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
            All events (*), including types added later
          </label>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} class="choice">
              <input type="checkbox" disabled={all} checked={all || events.includes(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />
              <span class="code">{type}</span>
            </label>
          ))}
        </fieldset>
        <LiveMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
    </Card>
  );
}
