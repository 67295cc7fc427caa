import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import type { RewardRulesList, RewardRulesVersion } from '../api/types';
import { formatDateTime } from '../format';
import { Alert, LiveMessage } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { RulesForm } from './rules-form';
import { RulesPreview } from './rules-preview';
import { sinceText } from './rules-fields';
import { VersionFacts } from './rules-version-facts';

/** API.md "Reward rules": the version in force, the scheduled ones (withdrawable), a new version, a preview, the history. */
export function RewardRulesPanel() {
  const [list, setList] = useState<RewardRulesList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [withdrawing, setWithdrawing] = useState<RewardRulesVersion | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .rewardRules()
      .then((l) => live && (setList(l), setLoadError(null)))
      .catch((e) => live && setLoadError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [generation]);
  const reload = () => setGeneration((g) => g + 1);

  const created = (v: RewardRulesVersion) => {
    const scheduled = new Date(v.effectiveFrom).getTime() > Date.now();
    setError(null);
    setMessage(scheduled ? `Version ${v.version} is scheduled to take effect on ${formatDateTime(v.effectiveFrom)}.` : `Version ${v.version} is in force from now.`);
    reload();
  };

  const withdraw = async () => {
    if (!withdrawing) return;
    const { version } = withdrawing;
    setBusy(true);
    setMessage(null);
    try {
      await api.withdrawRewardRules(version);
      setError(null);
      setMessage(`Withdrew version ${version}; it will never apply.`);
      setWithdrawing(null);
      reload();
    } catch (e) {
      setError(errorMessage(e));
      // It took effect meanwhile (RULES_IN_FORCE) or was withdrawn by someone else: the list is out of date.
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
        setWithdrawing(null);
        reload();
      }
    } finally {
      setBusy(false);
    }
  };

  if (!list) return loadError ? <Alert kind="error">{loadError}</Alert> : <Loading />;
  const { active, scheduled, history } = list;

  return (
    <>
      <LiveMessage error={withdrawing ? null : error} message={message} />
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      <div class="grid rules-grid">
        <Card title={active ? `In force now: version ${active.version}` : 'In force now'} id="rules-active">
          {active ? (
            <>
              <p class="hint">In force since {sinceText(active.effectiveFrom)}; purchases completed from then on are rewarded under it.</p>
              <VersionFacts version={active} />
            </>
          ) : (
            <Empty>No version is in force yet.</Empty>
          )}
        </Card>
        <RulesPreview list={list} />
        <Card title="Scheduled" id="rules-scheduled" wide>
          {scheduled.length === 0 ? (
            <Empty>No version is scheduled. Create one below with a later effective date.</Empty>
          ) : (
            <ul class="versions">
              {scheduled.map((v) => (
                <li key={v.version} class="version" aria-label={`Scheduled version ${v.version}`}>
                  <div class="endpoint-head">
                    <h3>
                      Version {v.version} <span class="muted">· takes effect {formatDateTime(v.effectiveFrom)}</span>
                    </h3>
                    <span class="badge badge-pending">scheduled</span>
                  </div>
                  <VersionFacts version={v} />
                  <div class="actions">
                    <button type="button" class="danger-outline" onClick={() => (setError(null), setWithdrawing(v))}>
                      Withdraw<span class="sr-only"> version {v.version}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <RulesForm active={active} onCreated={created} />
        <Card title="History" id="rules-history" wide>
          {history.length === 0 ? (
            <Empty>No earlier versions: version {active?.version ?? 1} is the first.</Empty>
          ) : (
            <ul class="versions">
              {history.map((v, i) => {
                const until = i === 0 ? active?.effectiveFrom : history[i - 1].effectiveFrom;
                return (
                  <li key={v.version} class="version" aria-label={`Version ${v.version}`}>
                    <h3>
                      Version {v.version}{' '}
                      <span class="muted">
                        · in force from {sinceText(v.effectiveFrom)}
                        {until ? ` to ${formatDateTime(until)}` : ''}
                      </span>
                    </h3>
                    <VersionFacts version={v} />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        {withdrawing ? (
          <ConfirmDialog title={`Withdraw version ${withdrawing.version}?`} confirmLabel="Withdraw" danger busy={busy} onConfirm={withdraw} onCancel={() => setWithdrawing(null)}>
            <p>
              It was to take effect on {formatDateTime(withdrawing.effectiveFrom)}. A withdrawn version never applies and is not listed in the history. This
              cannot be undone.
            </p>
            <LiveMessage error={error} />
          </ConfirmDialog>
        ) : null}
      </div>
    </>
  );
}
