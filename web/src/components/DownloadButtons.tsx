import { useState } from "react";
import { getApiKey } from "../api/client";
import { ApiError } from "../api/errors";

export interface Download {
  key: string;
  label: string;
  /** API path with its query, e.g. `/api/v1/models/ID/report?format=html`. */
  path: string;
  filename: string;
}

/** Buttons that fetch a file from the API with the session's key and save it; the problem
 * document's detail is shown when the server refuses. */
export function DownloadButtons({ items }: { items: Download[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function download(d: Download) {
    setBusy(d.key);
    setError(null);
    try {
      const res = await fetch(d.path, { headers: { Authorization: `Bearer ${getApiKey() ?? ""}` } });
      if (!res.ok) throw ApiError.fromBody(res.status, await res.json().catch(() => null));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = d.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <>
      {items.map((d) => (
        <button key={d.key} type="button" className="btn btn-sm btn-secondary" disabled={!!busy} onClick={() => download(d)}>
          {busy === d.key ? "Preparing…" : d.label}
        </button>
      ))}
      {error != null && (
        <span className="field-error" role="alert">
          {ApiError.from(error).detail || ApiError.from(error).title}
        </span>
      )}
    </>
  );
}
