import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../client";

export type Dataset = Schemas["DatasetOut"];
export type MappingOut = Schemas["MappingOut"];
export type Validation = Schemas["ValidationOut"];
export type Finding = Schemas["FindingOut"];
export type EDA = Schemas["EDAOut"];

export function useDatasets(enabled = true) {
  return useQuery({
    queryKey: ["datasets"],
    enabled,
    queryFn: () => unwrap(api.GET("/api/v1/datasets")).then((d) => d.items),
  });
}

export function useDataset(id: string | null) {
  return useQuery({
    queryKey: ["datasets", id],
    enabled: !!id,
    queryFn: () => unwrap(api.GET("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: id! } } })),
  });
}

export function useUpload() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, name }: { file: File; name?: string }) => {
      const form = new FormData();
      form.append("file", file);
      if (name) form.append("name", name);
      return unwrap(
        api.POST("/api/v1/datasets", {
          // openapi-fetch would JSON-encode; send the FormData as it is.
          body: form as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["datasets"] }),
  });
}

export function useDeleteDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["datasets"] }),
  });
}

export function useMapping(id: string | null) {
  return useQuery({
    queryKey: ["datasets", id, "mapping"],
    enabled: !!id,
    queryFn: () => unwrap(api.GET("/api/v1/datasets/{dataset_id}/mapping", { params: { path: { dataset_id: id! } } })),
  });
}

export function useSaveMapping(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MappingIn"]) => unwrap(api.PUT("/api/v1/datasets/{dataset_id}/mapping", { params: { path: { dataset_id: id! } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["datasets", id] }),
  });
}

export function useFindings(id: string | null, enabled = true) {
  return useQuery({
    queryKey: ["datasets", id, "findings"],
    enabled: !!id && enabled,
    queryFn: () => unwrap(api.GET("/api/v1/datasets/{dataset_id}/findings", { params: { path: { dataset_id: id! } } })),
  });
}

export function useEda(id: string | null, enabled = true) {
  return useQuery({
    queryKey: ["datasets", id, "eda"],
    enabled: !!id && enabled,
    retry: false,
    queryFn: () => unwrap(api.GET("/api/v1/datasets/{dataset_id}/eda", { params: { path: { dataset_id: id! } } })),
  });
}

export function usePreview(id: string | null, limit = 8) {
  return useQuery({
    queryKey: ["datasets", id, "preview", limit],
    enabled: !!id,
    queryFn: () => unwrap(api.GET("/api/v1/datasets/{dataset_id}/preview", { params: { path: { dataset_id: id! }, query: { limit } } })),
  });
}
