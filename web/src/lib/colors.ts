/**
 * The one palette module: the blue interface colours, the semantic colours shared by CSS and
 * charts, and the channel colours every chart, slider and table reads.
 */

export const palette = {
  primary: "#2563eb",
  primaryDark: "#1e3a8a",
  primaryLight: "#dbeafe",
  ink: "#0f172a",
  muted: "#475569",
  border: "#e2e8f0",
  surface: "#ffffff",
  background: "#f4f7fb",
  good: "#15803d",
  bad: "#b91c1c",
  warn: "#b45309",
  gray: "#94a3b8",
} as const;

/**
 * Channel colours: Okabe & Ito's colour-blind-safe set (distinguishable with protanopia,
 * deuteranopia and tritanopia), darkest first, then Paul Tol's "muted" set for more channels.
 * Yellow is left out (too light on white). Charts also label every channel by name (legend,
 * axis, tooltip), so colour is never the only cue.
 */
export const channelPalette = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#D55E00", // vermillion
  "#56B4E9", // sky blue
  "#332288", // indigo (Tol)
  "#117733", // green (Tol)
  "#882255", // wine (Tol)
  "#44AA99", // teal (Tol)
  "#999933", // olive (Tol)
  "#AA4499", // purple (Tol)
];

/** A stable colour per channel, by its position in the model's channel list. */
export function channelColor(index: number): string {
  return channelPalette[((index % channelPalette.length) + channelPalette.length) % channelPalette.length];
}

export function channelColorMap(channels: readonly string[]): Record<string, string> {
  return Object.fromEntries(channels.map((c, i) => [c, channelColor(i)]));
}

/** The baseline (non-media) parts of a decomposition: greys, so channels stand out. */
export const baselinePalette = ["#6b7280", "#9ca3af", "#4b5563", "#d1d5db", "#374151", "#e5e7eb"];

export function baselineColor(index: number): string {
  return baselinePalette[index % baselinePalette.length];
}

/** Attribution models: light blue, dark blue, gray (as sketched), then more blues. */
export const modelPalette = ["#60a5fa", "#1e3a8a", "#94a3b8", "#2563eb", "#0e7490", "#a5b4fc"];

export function modelColor(index: number): string {
  return modelPalette[index % modelPalette.length];
}
