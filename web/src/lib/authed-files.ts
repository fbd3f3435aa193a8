// Files the browser fetches by itself (<img src>, <a download>) send no Authorization header. With a token kept, the
// file is fetched with it and handed over as an object URL; without one, the plain URL is used as before.
import { useEffect, useState } from 'react';
import { fetchOk } from './api';
import { storedToken } from './auth-token';

/** What to put in an <img src> for `url`: null until a file fetched with the token has arrived. */
export function useFileSrc(url: string): { src: string | null; error: Error | null } {
  const token = storedToken();
  const [fetched, setFetched] = useState<{ url: string; src: string | null; error: Error | null }>({ url: '', src: null, error: null });
  useEffect(() => {
    if (token === null) return;
    const abort = new AbortController();
    let objectUrl: string | null = null;
    fetchOk(url, { signal: abort.signal })
      .then((res) => res.blob())
      .then((blob) => {
        objectUrl = URL.createObjectURL(blob);
        setFetched({ url, src: objectUrl, error: null });
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setFetched({ url, src: null, error: e });
      });
    return () => {
      abort.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, token]);
  if (token === null) return { src: url, error: null };
  return fetched.url === url ? { src: fetched.src, error: fetched.error } : { src: null, error: null };
}

/** Saves the file at `url` as `name`, fetched with the kept token. */
export async function saveWithToken(url: string, name: string): Promise<void> {
  const blob = await (await fetchOk(url)).blob();
  const objectUrl = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = objectUrl;
  a.download = name;
  a.click();
  // after the click has started the download
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}
