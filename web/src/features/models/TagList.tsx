/** Tags shown as key=value chips; long lists cap with a count. */
const SHOWN = 5;

export function TagList(props: { tags: ReadonlyArray<{ key: string; value: string }> }) {
  const { tags } = props;
  if (tags.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {tags.slice(0, SHOWN).map((t) => (
        <span key={t.key} className="chip">
          {t.key}={t.value}
        </span>
      ))}
      {tags.length > SHOWN && <span className="muted small">+{tags.length - SHOWN} more</span>}
    </span>
  );
}
