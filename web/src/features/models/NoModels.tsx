import { Link } from 'react-router';

/** The empty list: with a search, how to widen it; without, how to register a first model. */
export function NoModels(props: { filter: string | undefined; onClear: () => void }) {
  if (props.filter) {
    return (
      <p className="empty">
        No registered model matches <code>{props.filter}</code>.{' '}
        <button type="button" className="link-button" onClick={props.onClear}>
          Clear the search
        </button>{' '}
        to see every model.
      </p>
    );
  }
  return (
    <div className="empty">
      <p>
        No registered models yet. <Link to="/models?register">Register a model</Link> (an ONNX file or a TF.js graph model
        with its serving spec), or from a terminal:
      </p>
      <pre>
        {`curl -F name=my-foods -F file=@model.onnx \\
  -F 'spec={"task":"classification","labels":["sushi","ramen"],"input":{"width":224,"height":224}}' \\
  ${window.location.origin}/api/v1/mlops/register-model`}
      </pre>
      <p>MLflow clients register models too: MLFLOW_TRACKING_URI={window.location.origin}</p>
    </div>
  );
}
