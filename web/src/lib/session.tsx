/**
 * What the user picked that every screen needs: the API key, the currency spend is in, the
 * dataset and the model being looked at. Kept in localStorage so a reload keeps the context.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { getApiKey, setApiKey as storeKey } from "../api/client";
import { KEY_EVENT } from "./urlKey";

interface Session {
  apiKey: string | null;
  setApiKey: (k: string | null) => void;
  currency: string;
  setCurrency: (c: string) => void;
  datasetId: string | null;
  setDatasetId: (id: string | null) => void;
  modelId: string | null;
  setModelId: (id: string | null) => void;
}

const Ctx = createContext<Session | null>(null);

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function persist(key: string, v: string | null) {
  try {
    if (v) localStorage.setItem(key, v);
    else localStorage.removeItem(key);
  } catch {
    /* ignore */
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [apiKey, setKeyState] = useState<string | null>(getApiKey());
  const [currency, setCurrencyState] = useState<string>(stored("mixwise.currency") ?? "USD");
  const [datasetId, setDatasetState] = useState<string | null>(stored("mixwise.datasetId"));
  const [modelId, setModelState] = useState<string | null>(stored("mixwise.modelId"));

  const setApiKey = useCallback((k: string | null) => {
    storeKey(k);
    setKeyState(getApiKey());
  }, []);
  const qc = useQueryClient();
  // A key link (`#key=mw_...`) opened in a tab that is already open changes only the hash: sign
  // in with it (dropping what the previous key's workspace had cached) and clear the address bar.
  const shown = useRef(apiKey);
  shown.current = apiKey;
  useEffect(() => {
    const onKey = () => {
      const key = getApiKey();
      if (key !== shown.current) {
        qc.clear();
        persist("mixwise.modelId", null);
        persist("mixwise.datasetId", null);
        setModelState(null);
        setDatasetState(null);
      }
      setKeyState(key);
    };
    window.addEventListener(KEY_EVENT, onKey);
    return () => window.removeEventListener(KEY_EVENT, onKey);
  }, [qc]);
  const setCurrency = useCallback((c: string) => {
    persist("mixwise.currency", c);
    setCurrencyState(c);
  }, []);
  const setDatasetId = useCallback((id: string | null) => {
    persist("mixwise.datasetId", id);
    setDatasetState(id);
  }, []);
  const setModelId = useCallback((id: string | null) => {
    persist("mixwise.modelId", id);
    setModelState(id);
  }, []);

  const value = useMemo(
    () => ({ apiKey, setApiKey, currency, setCurrency, datasetId, setDatasetId, modelId, setModelId }),
    [apiKey, setApiKey, currency, setCurrency, datasetId, setDatasetId, modelId, setModelId],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
