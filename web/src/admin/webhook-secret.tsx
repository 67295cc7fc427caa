import { useEffect, useRef } from 'preact/hooks';
import type { CreatedWebhookEndpoint } from '../api/types';
import { CopyButton } from '../ui/copy-button';

/** The signing secret, shown this once (the API never returns it again). */
export function WebhookSecret({ endpoint, onDone }: { endpoint: CreatedWebhookEndpoint; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card card-wide secret-card" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        Endpoint added: copy its signing secret now
      </h2>
      <p class="break">
        <span class="code">{endpoint.url}</span> will receive events signed with this secret (<span class="code">webhook-signature</span>, Standard Webhooks).
      </p>
      <p role="alert" class="alert alert-info">
        <strong>You will not see this secret again.</strong> Store it in the receiving system before you leave this page; if it is lost, delete the
        endpoint and add a new one.
      </p>
      <div class="secret-row">
        <code id="webhook-secret" class="secret break" aria-label="Signing secret" data-testid="webhook-secret">
          {endpoint.secret}
        </code>
        <CopyButton text={endpoint.secret} label="Copy secret" />
      </div>
      <div class="actions">
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
