import { useEffect, useRef, useState } from 'react';

/** Delete asks first, in place: the question names the rule and says what stays; Cancel gets the focus. */
export function DeleteRuleButton(props: { name: string; busy: boolean; onDelete: () => void }) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button ref={opener} type="button" className="secondary danger" disabled={props.busy} aria-label={`Delete ${props.name}`} onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  return (
    <span className="confirm" role="group" aria-label={`Delete ${props.name}?`}>
      <span>Delete “{props.name}”? Its alert history and delivery log stay.</span>
      <button type="button" className="danger" disabled={props.busy} onClick={props.onDelete}>
        Delete rule
      </button>
      <button
        ref={cancel}
        type="button"
        className="secondary"
        onClick={() => {
          setAsking(false);
          requestAnimationFrame(() => opener.current?.focus());
        }}
      >
        Cancel
      </button>
    </span>
  );
}
