import type { DeploymentConfig, DeploymentState } from '@foodlens/contracts';
import { useId, useState } from 'react';
import { errorDetail } from '../../components/QueryError';
import { challengerKey, configFrom, draftFrom, draftProblems, sameConfig, type DeploymentDraft } from './deployment-draft';
import { useApplyDeployment } from './mutations';
import { PercentSlider } from './PercentSlider';
import { SplitBar } from './SplitBar';
import { VersionSelect } from './VersionSelect';

/** Edits champion, weighted challengers and shadow, and applies them with PUT /api/v1/mlops/deployment. Mounted per
 * revision (key), so it starts from what serves now. */
export function DeploymentEditor(props: {
  model: string;
  /** the live config; null for a model not deployed yet */
  initial: DeploymentConfig | null;
  /** the champion proposed for a first deployment */
  defaultChampion: string;
  /** servable versions, newest first */
  versions: readonly string[];
  onApplied: (state: DeploymentState) => void;
}) {
  const id = useId();
  const apply = useApplyDeployment(props.model, props.onApplied);
  const start = (): DeploymentDraft =>
    props.initial ? draftFrom(props.initial) : { champion: props.defaultChampion, challengers: [], shadow: null };
  const [draft, setDraft] = useState<DeploymentDraft>(start);
  const [comment, setComment] = useState('');
  const problems = draftProblems(draft);
  const config = configFrom(draft);
  const unchanged = props.initial !== null && sameConfig(config, props.initial);
  const used = new Set([draft.champion, ...draft.challengers.map((c) => c.version)]);
  const free = props.versions.filter((v) => !used.has(v));
  const challengerTotal = draft.challengers.reduce((sum, c) => sum + c.weight, 0);

  const change = (next: Partial<DeploymentDraft>) => {
    apply.reset();
    setDraft({ ...draft, ...next });
  };
  const setChallenger = (key: number, next: { version?: string; weight?: number }) =>
    change({ challengers: draft.challengers.map((c) => (c.key === key ? { ...c, ...next } : c)) });

  return (
    <form
      className="deploy-grid"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length > 0 || unchanged) return;
        apply.mutate({ config, comment: comment.trim() || undefined });
      }}
    >
      <h3 id={`${id}-title`}>{props.initial ? 'Change the deployment' : 'First deployment'}</h3>
      <SplitBar draft={draft} />
      <div className="champion-row">
        <VersionSelect label="Champion" value={draft.champion} versions={props.versions} onChange={(v) => change({ champion: v })} />
        <p className="muted small">answers the {Math.max(0, 100 - challengerTotal)}% of users no challenger takes</p>
      </div>
      {draft.challengers.map((c, i) => (
        <div className="route-row" key={c.key} data-testid="challenger">
          <VersionSelect
            label={`Challenger ${i + 1}`}
            value={c.version}
            versions={props.versions.filter((v) => v === c.version || !used.has(v))}
            onChange={(v) => setChallenger(c.key, { version: v })}
          />
          <PercentSlider
            label={`Weight: share of users on v${c.version}`}
            value={c.weight}
            onChange={(w) => setChallenger(c.key, { weight: w })}
          />
          <button
            type="button"
            className="secondary small-button"
            aria-label={`Remove challenger v${c.version}`}
            onClick={() => change({ challengers: draft.challengers.filter((x) => x.key !== c.key) })}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary small-button"
          disabled={free.length === 0}
          onClick={() =>
            change({
              challengers: [
                ...draft.challengers,
                // 10% to start with, or what the others leave
                { key: challengerKey(), version: free[0]!, weight: Math.min(10, Math.max(0, 100 - challengerTotal)) },
              ],
            })
          }
        >
          Add challenger
        </button>
        {free.length === 0 && <span className="muted small">every servable version already has a role</span>}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.shadow !== null}
          disabled={!draft.shadow && props.versions.every((v) => v === draft.champion)}
          onChange={(e) =>
            change({ shadow: e.target.checked ? { version: props.versions.find((v) => v !== draft.champion) ?? '', percent: 10 } : null })
          }
        />
        Shadow a version (it also runs on a sample of requests, after the answer; its results are only logged)
      </label>
      {draft.shadow && (
        <div className="route-row" data-testid="shadow">
          <VersionSelect
            label="Shadow"
            value={draft.shadow.version}
            versions={props.versions.filter((v) => v !== draft.champion)}
            onChange={(v) => change({ shadow: { ...draft.shadow!, version: v } })}
          />
          <PercentSlider
            label={`Sample rate: share of requests also run on v${draft.shadow.version}`}
            value={draft.shadow.percent}
            onChange={(p) => change({ shadow: { ...draft.shadow!, percent: p } })}
          />
          <span />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment (kept with the revision)</label>
        <input
          id={`${id}-comment`}
          value={comment}
          maxLength={1000}
          placeholder="why this change"
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {problems.length > 0 && (
        <div role="alert" className="error">
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="submit" aria-busy={apply.isPending} disabled={apply.isPending || problems.length > 0 || unchanged}>
          {apply.isPending ? 'Applying…' : 'Apply'}
        </button>
        {props.initial && (
          <button
            type="button"
            className="secondary"
            disabled={apply.isPending || unchanged}
            onClick={() => {
              apply.reset();
              setDraft(start());
            }}
          >
            Discard changes
          </button>
        )}
        <span className="muted small" role="status">
          {apply.isPending
            ? 'The server loads and warms the versions before it answers: this can take a few seconds.'
            : unchanged
              ? 'No changes to apply.'
              : ''}
        </span>
      </div>
      {apply.isError && (
        <p role="alert" className="error" data-testid="apply-error">
          The deployment was not changed. {errorDetail(apply.error)}
        </p>
      )}
    </form>
  );
}
