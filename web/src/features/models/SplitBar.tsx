import type { DeploymentDraft } from './deployment-draft';

/** The traffic split of a draft as a bar: the champion's share, then each challenger's. */
export function SplitBar(props: { draft: DeploymentDraft }) {
  const { draft } = props;
  const challengers = draft.challengers.reduce((sum, c) => sum + c.weight, 0);
  const champion = Math.max(0, 100 - challengers);
  const text = [`v${draft.champion || '?'} ${champion}%`, ...draft.challengers.map((c) => `v${c.version} ${c.weight}%`)].join(', ');
  return (
    <div>
      <p className="muted small">Share of users: {text}</p>
      <div className="split-bar" aria-hidden="true">
        <span className="s-champion" style={{ width: `${champion}%` }} />
        {draft.challengers.map((c) => (
          <span key={c.key} className="s-challenger" style={{ width: `${Math.min(c.weight, 100)}%` }} />
        ))}
      </div>
    </div>
  );
}
