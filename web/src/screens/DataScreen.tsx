import { useMemo } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../api/errors";
import { useHealth } from "../api/hooks/workspace";
import { useDatasets, useEda, useFindings, useMapping, usePreview, useSaveMapping, useUpload, type Dataset } from "../api/hooks/datasets";
import { Card } from "../components/Card";
import { Chart } from "../components/charts/Chart";
import { correlationHeatmap, spendAndKpi } from "../components/charts/options";
import { DownloadButtons } from "../components/DownloadButtons";
import { Dropzone } from "../components/Dropzone";
import { FindingsList } from "../components/FindingsList";
import { MappingEditor, type MappingData } from "../components/MappingEditor";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { channelColor } from "../lib/colors";
import { formatCurrency, formatDate, formatKpi, formatNumber, formatPercent } from "../lib/format";
import { useSession } from "../lib/session";
import { makeUnits } from "../lib/units";

const ACCEPT = ".csv,.tsv,.txt,.gz,.parquet,.pq,.xlsx,.xlsm,.xls"; // as the server reads (.gz: gzip'd CSV)

export function DataScreen() {
  const { datasetId, setDatasetId } = useSession();
  const datasets = useDatasets();
  const upload = useUpload();
  const current = datasets.data?.find((d) => d.id === datasetId) ?? datasets.data?.[0] ?? null;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Data</h1>
          <p>Upload weekly or daily spend per channel and the KPI, check how mixwise reads the columns, and look at the data before fitting.</p>
        </div>
        {current && (
          <Link className="btn" to="/models">
            Next: fit a model →
          </Link>
        )}
      </div>
      <div className="grid grid-main-side">
        <Card title="Upload data" subtitle="CSV (also .csv.gz), TSV, Parquet or Excel: one row per date (and geo), one column per channel's spend, a KPI column.">
          <Dropzone
            accept={ACCEPT}
            disabled={upload.isPending}
            hint="Columns are mapped automatically; you can review and change the mapping below."
            onFile={(file) =>
              upload.mutate(
                { file },
                {
                  onSuccess: (d) => setDatasetId(d.id),
                },
              )
            }
          />
          {upload.isPending && <Loading what="Uploading" />}
          {upload.isError && (
            <div className="mt">
              <ErrorState error={upload.error} title="The upload failed" />
            </div>
          )}
        </Card>
        <Card title="Datasets" subtitle="Pick the one to work on.">
          {datasets.isPending ? (
            <Loading what="Loading datasets" />
          ) : datasets.isError ? (
            <ErrorState error={datasets.error} onRetry={() => datasets.refetch()} />
          ) : datasets.data.length === 0 ? (
            <EmptyState title="No data yet">Upload a file to start.</EmptyState>
          ) : (
            <DatasetList items={datasets.data} selected={current?.id ?? null} onSelect={setDatasetId} />
          )}
        </Card>
      </div>
      {current && <DatasetDetail dataset={current} />}
    </>
  );
}

function DatasetList({ items, selected, onSelect }: { items: Dataset[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <ul style={{ listStyle: "none", margin: 0, padding: 0 }} className="stack" aria-label="Datasets">
      {items.map((d) => (
        <li key={d.id}>
          <button
            type="button"
            className={`btn btn-secondary`}
            aria-pressed={d.id === selected}
            style={{ width: "100%", justifyContent: "space-between", background: d.id === selected ? "var(--c-primary-light)" : undefined }}
            onClick={() => onSelect(d.id)}
          >
            <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{d.name}</span>
            <span className="muted small">
              {formatNumber(d.n_rows)} rows · {d.has_mapping ? "mapped" : "mapping proposed"}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function DatasetDetail({ dataset }: { dataset: Dataset }) {
  const id = dataset.id;
  const mapping = useMapping(id);
  const save = useSaveMapping(id);
  const findings = useFindings(id, mapping.isSuccess);
  const blocking = findings.data ? !findings.data.ok : false;
  const eda = useEda(id, findings.isSuccess && !blocking);
  const preview = usePreview(id);
  const saveError = save.error ? ApiError.from(save.error) : null;
  const exportTargets = Object.entries(useHealth().data?.export_targets ?? {});

  const initial = useMemo<MappingData>(() => mapping.data?.effective?.mapping ?? {}, [mapping.data]);

  return (
    <div className="grid mt">
      <Card title={`Preview · ${dataset.name}`} subtitle={`${formatNumber(dataset.n_rows)} rows, ${dataset.columns.length} columns, uploaded from ${dataset.filename}`}>
        {preview.isPending ? (
          <Loading what="Reading the file" />
        ) : preview.isError ? (
          <ErrorState error={preview.error} />
        ) : (
          <div className="table-wrap" style={{ maxHeight: 260 }}>
            <table className="table small table-nowrap" aria-label="First rows">
              <thead>
                <tr>
                  {preview.data.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.data.rows.map((r, i) => (
                  <tr key={i}>
                    {preview.data.columns.map((c) => (
                      <td key={c}>{r[c] == null ? <span className="muted">empty</span> : String(r[c])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Mapping" subtitle="Which column plays which role. mixwise proposed this; change anything that is wrong and save.">
        {mapping.isPending ? (
          <Loading what="Proposing a mapping" />
        ) : mapping.isError ? (
          <ErrorState error={mapping.error} onRetry={() => mapping.refetch()} />
        ) : (
          <>
            <MappingEditor
              key={`${id}:${mapping.data.current?.yaml ?? "proposed"}`}
              columns={dataset.columns}
              initial={initial}
              initialYaml={mapping.data.effective?.yaml ?? ""}
              notes={mapping.data.current ? [] : mapping.data.notes}
              saving={save.isPending}
              fieldError={(f) => saveError?.messageFor(f)}
              onSave={(body) => save.mutate(body)}
            />
            {save.isSuccess && !save.isPending && (
              <div className="alert alert-good mt" role="status">
                Mapping saved; the findings below are for it.
              </div>
            )}
            {saveError && (
              <div className="mt">
                <ErrorState error={saveError} title="The mapping was not saved" />
              </div>
            )}
          </>
        )}
      </Card>
      <Card
        title="Findings"
        subtitle="What the data checks found. Errors must be fixed before a fit; warnings are worth reading."
        actions={findings.data && <span className={`badge ${findings.data.ok ? "badge-good" : "badge-bad"}`}>{findings.data.ok ? "ready to fit" : `${findings.data.n_errors} error(s)`}</span>}
      >
        {findings.isPending ? <Loading what="Checking the data" /> : findings.isError ? <ErrorState error={findings.error} onRetry={() => findings.refetch()} /> : <FindingsList findings={findings.data.findings} />}
      </Card>
      {findings.data?.ok && exportTargets.length > 0 && (
        <Card title="Export to another tool" subtitle="The data in that tool's shape with a short script that fits it there (zip), with this mapping's channels, controls, events, date and KPI.">
          <div className="row" style={{ gap: 8, flexWrap: "wrap" }}>
            <DownloadButtons
              items={exportTargets.map(([to, tool]) => ({
                key: to,
                label: tool,
                path: `/api/v1/datasets/${encodeURIComponent(dataset.id)}/export?to=${encodeURIComponent(to)}`,
                filename: `${dataset.id}-${to}.zip`,
              }))}
            />
          </div>
        </Card>
      )}
      {blocking ? (
        <Card title="Exploratory charts">
          <EmptyState title="Fix the errors first">The charts need data that passes the checks: fix the mapping or the file (see Findings).</EmptyState>
        </Card>
      ) : findings.isError || mapping.isError ? (
        // The charts wait for the checks; when those could not run, say so instead of waiting forever.
        <Card title="Exploratory charts">
          <EmptyState title="No charts until the data is checked">The charts need a mapping and data that pass the checks; the checks could not run (see Mapping and Findings).</EmptyState>
        </Card>
      ) : eda.isPending ? (
        <Card title="Exploratory charts">
          <Loading what="Summarising the data" />
        </Card>
      ) : eda.isError ? (
        <Card title="Exploratory charts">
          <ErrorState error={eda.error} onRetry={() => eda.refetch()} />
        </Card>
      ) : (
        <EdaCards eda={eda.data} />
      )}
    </div>
  );
}

function EdaCards({ eda }: { eda: NonNullable<ReturnType<typeof useEda>["data"]> }) {
  const { currency } = useSession();
  const { period, spend, kpi, correlation: corr } = eda;
  const units = makeUnits(currency, period.kpi, period.kpi_type);
  const names = Object.keys(spend.channels);
  const option = useMemo(
    () => spendAndKpi({ dates: spend.dates, spend: names.map((n, i) => ({ name: n, values: spend.channels[n], color: channelColor(i) })), kpi: kpi.values, kpiLabel: units.kpiName, units }),
    [eda, currency],
  );
  const heat = useMemo(() => correlationHeatmap(corr), [eda]);
  return (
    <>
      <div className="grid grid-4">
        <div className="card metric">
          <span className="metric-title">Period</span>
          <span className="metric-value" style={{ fontSize: 18 }}>
            {formatDate(period.start)} – {formatDate(period.end)}
          </span>
          <span className="muted small">
            {period.periods} {period.frequency} periods{period.geos > 1 ? ` · ${period.geos} geos` : ""}
          </span>
        </div>
        <div className="card metric">
          <span className="metric-title">Total spend</span>
          <span className="metric-value">{formatCurrency(period.spend_total, currency)}</span>
          <span className="muted small">{names.length} channels</span>
        </div>
        <div className="card metric">
          <span className="metric-title">Total {units.kpiName}</span>
          <span className="metric-value">{formatKpi(period.kpi_total, units)}</span>
          <span className="muted small">{units.kpiKind === "revenue" ? "revenue" : "conversions"}</span>
        </div>
        <div className="card metric">
          <span className="metric-title">Findings</span>
          <span className="metric-value">{eda.findings.length}</span>
          <span className="muted small">{eda.findings.filter((f) => f.severity === "warning").length} warnings</span>
        </div>
      </div>
      <Card title="Spend and KPI over time" subtitle={`Spend per channel (bars, ${currency}) and ${units.kpiName} (line, right axis).`}>
        <Chart option={option} height={340} ariaLabel={`Spend per channel and ${units.kpiName} over time`} testId="eda-spend-kpi" />
      </Card>
      <div className="grid grid-main-side">
        <Card title="Channels" subtitle="Spend, share and how often each channel was on air.">
          <div className="table-wrap">
            <table className="table" aria-label="Channel summary">
              <thead>
                <tr>
                  <th>Channel</th>
                  <th className="num">Spend</th>
                  <th className="num">Share</th>
                  <th className="num">Active periods</th>
                  <th className="num">Mean when active</th>
                  <th>First – last active</th>
                </tr>
              </thead>
              <tbody>
                {eda.channels.map((c, i) => (
                  <tr key={c.channel}>
                    <td>
                      <span className="slider-swatch" style={{ background: channelColor(i), display: "inline-block", marginRight: 8 }} />
                      {c.channel}
                    </td>
                    <td className="num">{formatCurrency(c.spend, currency)}</td>
                    <td className="num">{formatPercent(c.spend_share)}</td>
                    <td className="num">
                      {c.active_periods} ({formatPercent(c.active_share, 0)})
                    </td>
                    <td className="num">{formatCurrency(c.mean_active_spend, currency)}</td>
                    <td className="small">{c.first_active && c.last_active ? `${formatDate(c.first_active)} – ${formatDate(c.last_active)}` : "never"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card title="Correlation" subtitle="Pearson correlation of channel spends and the KPI. Strongly correlated channels are hard to tell apart.">
          <Chart option={heat} height={320} ariaLabel="Correlation matrix of channel spends and the KPI" testId="eda-correlation" />
        </Card>
      </div>
    </>
  );
}
