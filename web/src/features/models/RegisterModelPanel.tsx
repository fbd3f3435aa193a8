import { useEffect, useRef } from 'react';
import { Panel } from '../../components/Panel';
import { RegisterModelForm } from './RegisterModelForm';

/** The register form in a panel that takes focus when it opens, so keyboard users land in it. */
export function RegisterModelPanel(props: { initialName: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);
  return (
    <div id="register-model" ref={ref}>
      <Panel title="Register a model" testId="register-model">
        <p className="muted">
          Upload an ONNX model, or a TF.js graph model (a zip, or model.json with its .bin shards), and describe how to feed
          it an image and read its answer. The server loads it and runs it once before registering it as a new version;
          a model that fails is refused with the reason.
        </p>
        <RegisterModelForm initialName={props.initialName} />
      </Panel>
    </div>
  );
}
