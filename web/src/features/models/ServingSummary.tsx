import type { ModelVersionEntry } from '@foodlens/contracts';

/** "champion v1 · challenger 30% v2", or "not deployed": how the live deployment uses a model's versions. */
export function ServingSummary(props: { entries: readonly ModelVersionEntry[] }) {
  const served = props.entries
    .filter((e) => e.serving.roles.length > 0)
    // the champion first
    .sort((a, b) => Number(b.serving.roles.includes('champion')) - Number(a.serving.roles.includes('champion')));
  if (served.length === 0) return <span className="muted">not deployed</span>;
  return (
    <span className="chips">
      {served.map((e) => (
        <span key={e.version} className={`chip${e.serving.roles.includes('champion') ? ' champion' : ''}`}>
          {e.serving.roles.join(', ')} v{e.version}
        </span>
      ))}
    </span>
  );
}
