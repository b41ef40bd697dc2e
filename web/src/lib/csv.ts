/**
 * Chart data as CSV, spreadsheet-safe like the server's exports (`mixwise.report.cells`, OWASP's
 * CSV-injection guidance): a text cell starting with =, +, -, @, a tab or a carriage return gets
 * a leading single quote so a spreadsheet shows it as text; numbers are never touched. Fields
 * with commas, quotes or line breaks are quoted (RFC 4180).
 */

export type Cell = string | number | boolean | null | undefined;

const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];

/** `value` with a leading `'` if it is text a spreadsheet would run; anything else as is. */
export function neutralise(value: Cell): Cell {
  return typeof value === "string" && FORMULA_STARTS.some((c) => value.startsWith(c)) ? `'${value}` : value;
}

function field(value: Cell): string {
  if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return "";
  const s = String(neutralise(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows (the first one the header) as CSV text, CRLF line ends. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** A file name from a title: "Revenue decomposition" -> "revenue-decomposition". */
export function fileSlug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "chart"
  );
}

/** Start a download of `href` as `name` (a data: or blob: URL). */
export function download(href: string, name: string): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Download rows as a CSV file. */
export function downloadCsv(rows: readonly (readonly Cell[])[], name: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: "text/csv;charset=utf-8" }));
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * An SVG data URL (what ECharts' SVG renderer gives from getDataURL) drawn onto a canvas and
 * returned as a PNG data URL, at `scale` times its size and on a white background.
 */
export function svgToPng(svgUrl: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext("2d");
      if (!ctx) return reject(new Error("no canvas"));
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      resolve(canvas.toDataURL("image/png"));
    };
    img.onerror = () => reject(new Error("the chart image could not be drawn"));
    img.src = svgUrl;
  });
}
