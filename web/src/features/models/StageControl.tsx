import { useId, useState } from 'react';
import { STAGES } from './format';

/** The MLflow stage of a version: pick one and Move (a select alone would act on every arrow key). */
export function StageControl(props: {
  version: string;
  stage: string;
  busy: boolean;
  onStage: (stage: string, archiveExisting: boolean) => void;
}) {
  const id = useId();
  const [stage, setStage] = useState(props.stage);
  const [archive, setArchive] = useState(false);
  // after a change lands, show the stored stage again
  const [shown, setShown] = useState(props.stage);
  if (shown !== props.stage) {
    setShown(props.stage);
    setStage(props.stage);
  }
  const exclusive = stage === 'Staging' || stage === 'Production';
  return (
    <div className="inline-form">
      <label htmlFor={id} className="sr-only">
        Stage of v{props.version}
      </label>
      <select id={id} value={stage} onChange={(e) => setStage(e.target.value)}>
        {[...new Set([...STAGES, props.stage])].map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      {stage !== props.stage && (
        <>
          {exclusive && (
            <label className="check small" title={`move other ${stage} versions to Archived`}>
              <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} />
              archive other {stage}
            </label>
          )}
          <button type="button" disabled={props.busy} onClick={() => props.onStage(stage, exclusive && archive)}>
            Move to {stage}
          </button>
        </>
      )}
    </div>
  );
}
