import { DownloadLink } from '../../components/DownloadLink';
import { QueryError } from '../../components/QueryError';
import { useFileSrc } from '../../lib/authed-files';
import { artifactKind, baseName } from './artifact-kind';
import { fileSize } from './format';
import { PREVIEW_BYTES, useArtifactText } from './queries';

/** JSON that arrived whole is re-indented for reading; anything else is shown as it is. */
function readable(path: string, text: string, whole: boolean): string {
  if (!whole || !path.toLowerCase().endsWith('.json')) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A selected artifact: text files show their first 64 KB, images are shown, other files are offered for download. */
export function ArtifactPreview(props: { url: string; path: string; size: number | undefined }) {
  const kind = artifactKind(props.path);
  const name = baseName(props.path);
  const text = useArtifactText(kind === 'text' ? props.url : null);
  let body;
  if (kind === 'image') {
    body = <ArtifactImage url={props.url} path={props.path} />;
  } else if (kind === 'other') {
    body = <p className="muted">No preview for this type of file: download it to open it.</p>;
  } else if (text.isPending) {
    body = <p className="loading">Loading {name}…</p>;
  } else if (text.isError) {
    body = <QueryError what={name} error={text.error} />;
  } else {
    const { truncated, bytes } = text.data;
    body = (
      <>
        {truncated && (
          <p className="muted small">
            Showing the first {fileSize(PREVIEW_BYTES)} of {fileSize(props.size ?? bytes)}: download the file for the rest.
          </p>
        )}
        {/* focusable, so the scrolling region can be scrolled with the keyboard */}
        <pre className="artifact-text" tabIndex={0} aria-label={`Contents of ${props.path}`} data-testid="artifact-text">
          {readable(props.path, text.data.text, !truncated)}
        </pre>
      </>
    );
  }
  return (
    <section className="artifact-preview" aria-label={`Preview of ${props.path}`} data-testid="artifact-preview">
      <div className="panel-head">
        <h3>
          <code>{props.path}</code>
        </h3>
        <span className="muted small">
          {fileSize(props.size)} ·{' '}
          <DownloadLink href={props.url} name={name}>
            Download
          </DownloadLink>
        </span>
      </div>
      {body}
    </section>
  );
}

/** An image artifact; fetched with the access token when the server wants one (an <img> cannot send it). */
function ArtifactImage(props: { url: string; path: string }) {
  const file = useFileSrc(props.url);
  if (file.error) return <QueryError what={baseName(props.path)} error={file.error} />;
  if (file.src === null) return <p className="loading">Loading {baseName(props.path)}…</p>;
  return <img className="artifact-image" src={file.src} alt={`Artifact ${props.path}`} />;
}
