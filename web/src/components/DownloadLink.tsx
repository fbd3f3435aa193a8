// A download link that also works when the server wants a token: the click then fetches the file with it.
import { useState, type ReactNode } from 'react';
import { saveWithToken } from '../lib/authed-files';
import { storedToken } from '../lib/auth-token';

export function DownloadLink(props: { href: string; name: string; children: ReactNode }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <a
        href={props.href}
        download={props.name}
        onClick={(e) => {
          if (storedToken() === null) return;
          e.preventDefault();
          setError(null);
          saveWithToken(props.href, props.name).catch((err: Error) => setError(`${props.name} could not be downloaded: ${err.message}`));
        }}
      >
        {props.children}
      </a>
      {error && (
        <span role="alert" className="error small">
          {' '}
          {error}
        </span>
      )}
    </>
  );
}
