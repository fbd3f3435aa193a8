import { useId, useState } from 'react';

const OTHER = '\u0000other';

/** The true food: one of the model's labels, or something else typed in. */
export function WrongLabelForm(props: { id: string; labels: string[]; disabled: boolean; onSend: (label: string) => void }) {
  const uid = useId();
  // with no label to offer (another model, one answer), the text field is the only way: open it straight away
  const [choice, setChoice] = useState<string | null>(props.labels.length === 0 ? OTHER : null);
  const [other, setOther] = useState('');
  const label = choice === OTHER ? other.trim() : choice;
  const [tried, setTried] = useState(false);
  const problem = !label ? (choice === OTHER ? 'Type what the food was.' : 'Choose what the food was.') : null;
  return (
    <form
      id={props.id}
      className="wrong-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (label) props.onSend(label);
      }}
    >
      <fieldset disabled={props.disabled}>
        <legend>What was it?</legend>
        <div className="label-choices">
          {props.labels.map((l) => (
            <label key={l} className="label-choice">
              <input type="radio" name={`${uid}-label`} value={l} checked={choice === l} onChange={() => setChoice(l)} />
              <span>{l}</span>
            </label>
          ))}
          <label className="label-choice">
            <input type="radio" name={`${uid}-label`} value="other" checked={choice === OTHER} onChange={() => setChoice(OTHER)} />
            <span>something else</span>
          </label>
        </div>
        {choice === OTHER && (
          <div className="field other-food">
            <label htmlFor={`${uid}-other`}>Something else: what food?</label>
            <input
              id={`${uid}-other`}
              value={other}
              maxLength={200}
              autoComplete="off"
              autoFocus
              onChange={(e) => setOther(e.target.value)}
            />
          </div>
        )}
        <button type="submit">Send{label ? `: it was ${label}` : ''}</button>
        {tried && problem && (
          <p role="alert" className="error small">
            {problem}
          </p>
        )}
      </fieldset>
    </form>
  );
}
