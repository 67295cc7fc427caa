import type { RewardRulesVersion } from '../api/types';
import { formatDateTime } from '../format';
import { CreatedBy } from './rules-created-by';
import { RULE_FIELDS } from './rules-fields';

/** Every field of a version, then who made it, when, and why. */
export function VersionFacts({ version }: { version: RewardRulesVersion }) {
  return (
    <>
      <dl class="facts rules-facts" data-testid={`rules-facts-${version.version}`}>
        {RULE_FIELDS.map((f) => (
          <div key={f.name}>
            <dt>{f.term}</dt>
            <dd>{f.show(version[f.name])}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">
        Created by <CreatedBy id={version.createdBy} /> on {formatDateTime(version.createdAt)}.
      </p>
      {version.note ? <p class="rules-note break">{version.note}</p> : null}
    </>
  );
}
