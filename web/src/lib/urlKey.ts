import { setApiKey } from "../api/client";

/**
 * `mixwise serve --demo` opens the app as `/#key=mw_...`; `/?key=...` and `/#/route?key=...`
 * work too. Keep the key, then drop it from the address bar so it is not bookmarked or shared.
 */
export function adoptKeyFromUrl(loc: Location = window.location, hist: History = window.history): string | null {
  const search = new URLSearchParams(loc.search);
  let key = search.get("key");
  if (key) {
    search.delete("key");
    const rest = search.toString();
    hist.replaceState(null, "", `${loc.pathname}${rest ? `?${rest}` : ""}${loc.hash}`);
  } else if (loc.hash.startsWith("#key=")) {
    key = new URLSearchParams(loc.hash.slice(1)).get("key");
    hist.replaceState(null, "", `${loc.pathname}${loc.search}`);
  } else {
    const [path, query] = loc.hash.split("?");
    const hs = new URLSearchParams(query ?? "");
    key = hs.get("key");
    if (key) {
      hs.delete("key");
      const rest = hs.toString();
      hist.replaceState(null, "", `${loc.pathname}${loc.search}${path}${rest ? `?${rest}` : ""}`);
    }
  }
  if (key) setApiKey(key);
  return key;
}

/** The event {@link watchKeyLinks} sends when a key link arrives in an open tab (detail: the key). */
export const KEY_EVENT = "mixwise:key";

/**
 * A key link opened in a tab that is already open changes only the URL's hash. Registered before
 * the router (in main.tsx), so the key is adopted and dropped from the address bar before the
 * router reads the location; the session hears {@link KEY_EVENT} and signs in with it.
 */
export function watchKeyLinks(win: Window = window): () => void {
  const onChange = () => {
    const key = adoptKeyFromUrl(win.location, win.history);
    if (key) win.dispatchEvent(new CustomEvent(KEY_EVENT, { detail: key }));
  };
  win.addEventListener("popstate", onChange);
  win.addEventListener("hashchange", onChange);
  return () => {
    win.removeEventListener("popstate", onChange);
    win.removeEventListener("hashchange", onChange);
  };
}
