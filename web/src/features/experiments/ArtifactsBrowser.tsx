// A run's artifacts: folders are opened in place, a file is previewed below the listing. The open folder and file live in
// the URL (?artifacts=, ?file=), so the back button and links return to them.
import { DownloadLink } from '../../components/DownloadLink';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH } from '../../lib/format';
import { artifactUrl, type ArtifactEntry, type RunDetail } from './api';
import { baseName } from './artifact-kind';
import { ArtifactPreview } from './ArtifactPreview';
import { fileSize } from './format';
import { useArtifacts } from './queries';
import { useUrlState } from './url-state';

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

export function ArtifactsBrowser(props: { run: RunDetail }) {
  const { run } = props;
  const url = useUrlState();
  const dir = url.params.get('artifacts') ?? '';
  const file = url.params.get('file');
  const q = useArtifacts(run.run_id, dir);
  const open = (path: string) => url.set({ artifacts: path, file: undefined });
  const entries = [...(q.data?.files ?? [])].sort((a, b) => Number(b.is_dir) - Number(a.is_dir));
  const selected = file === null ? undefined : entries.find((e) => e.path === file);
  const selectedUrl = file === null ? null : artifactUrl(run.artifact_uri, file);

  const crumbs = dir === '' ? [] : dir.split('/');
  let listing;
  if (q.isPending) listing = <p className="loading">Loading artifacts…</p>;
  else if (q.isError) listing = <QueryError what="Artifacts" error={q.error} />;
  else if (entries.length === 0) {
    listing =
      dir === '' ? (
        <p className="empty">
          This run has no artifacts. Log one with <code>mlflow.log_artifact(&quot;report.csv&quot;)</code> or{' '}
          <code>mlflow.log_text(&quot;...&quot;, &quot;notes.txt&quot;)</code>.
        </p>
      ) : (
        <p className="empty">This folder is empty.</p>
      );
  } else {
    listing = (
      <ScrollBox label="Artifact files">
        <table className="artifacts-table" data-testid="artifacts-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="sr-only">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <ArtifactRow
                key={e.path}
                entry={e}
                href={e.is_dir ? null : artifactUrl(run.artifact_uri, e.path)}
                selected={e.path === file}
                onOpen={() => (e.is_dir ? open(e.path) : url.set({ file: e.path }))}
              />
            ))}
          </tbody>
        </table>
      </ScrollBox>
    );
  }

  return (
    <Panel title="Artifacts" testId="run-artifacts">
      <nav aria-label="Artifact folder" className="artifact-path">
        <button type="button" className="link-button" aria-current={dir === '' ? 'location' : undefined} onClick={() => open('')}>
          artifacts
        </button>
        {crumbs.map((seg, i) => {
          const path = crumbs.slice(0, i + 1).join('/');
          return (
            <span key={path}>
              <span aria-hidden="true"> / </span>
              <button type="button" className="link-button" aria-current={path === dir ? 'location' : undefined} onClick={() => open(path)}>
                {seg}
              </button>
            </span>
          );
        })}
        {dir !== '' && (
          <button type="button" className="secondary up-button" onClick={() => open(parentOf(dir))}>
            Up one folder
          </button>
        )}
      </nav>
      {listing}
      {file !== null &&
        (selectedUrl === null ? (
          <p className="error">
            The artifacts of this run are stored at <code>{run.artifact_uri}</code>, which this server does not serve (only
            mlflow-artifacts: URIs).
          </p>
        ) : (
          <ArtifactPreview url={selectedUrl} path={file} size={selected?.file_size} />
        ))}
    </Panel>
  );
}

function ArtifactRow(props: { entry: ArtifactEntry; href: string | null; selected: boolean; onOpen: () => void }) {
  const { entry } = props;
  const name = baseName(entry.path);
  return (
    <tr className={props.selected ? 'selected' : undefined}>
      <th scope="row">
        <button
          type="button"
          className="link-button"
          aria-pressed={entry.is_dir ? undefined : props.selected}
          onClick={props.onOpen}
        >
          <EntryIcon folder={entry.is_dir} />
          {name}
          {entry.is_dir && <span className="sr-only"> (folder)</span>}
        </button>
      </th>
      <td className="num">{entry.is_dir ? DASH : fileSize(entry.file_size)}</td>
      <td>
        {props.href && (
          <DownloadLink href={props.href} name={name}>
            Download<span className="sr-only"> {name}</span>
          </DownloadLink>
        )}
      </td>
    </tr>
  );
}

/** Folder or file, drawn (an emoji would depend on the fonts installed). */
function EntryIcon(props: { folder: boolean }) {
  return (
    <svg className="entry-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {props.folder ? (
        <path d="M1.5 3.5h4.5l1.5 1.5h7v8h-13z" fill="currentColor" opacity="0.75" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" fill="none" stroke="currentColor" strokeWidth="1.2" />
      )}
    </svg>
  );
}
