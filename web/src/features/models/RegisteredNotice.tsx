import type { RegisteredModelVersion } from '@foodlens/contracts';
import { ms } from '../../lib/format';
import { fileSize } from './format';

/** Shown on the model page right after the register form sent the user here. */
export function RegisteredNotice(props: { registered: RegisteredModelVersion; deployed: boolean }) {
  const r = props.registered;
  return (
    <p className="notice" role="status" data-testid="registered-notice">
      Registered {r.name} version {r.version}: {r.runtime} {r.task}, {r.labels.length} labels, {fileSize(r.size_bytes)}, loaded and run
      in {ms(r.load_ms)}.{' '}
      {props.deployed
        ? 'It is not serving yet: promote it, or add it as a challenger or shadow below.'
        : 'Nothing of this model serves yet: promote it (or pick it as champion and Apply) to deploy it.'}
    </p>
  );
}
