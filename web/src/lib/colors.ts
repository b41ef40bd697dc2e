/** The blue palette of the sketches, and the semantic colours shared by CSS and charts. */

export const palette = {
  primary: "#2563eb",
  primaryDark: "#1e3a8a",
  primaryLight: "#dbeafe",
  ink: "#0f172a",
  muted: "#64748b",
  border: "#e2e8f0",
  surface: "#ffffff",
  background: "#f4f7fb",
  good: "#16a34a",
  bad: "#dc2626",
  warn: "#d97706",
  gray: "#94a3b8",
} as const;

/** Channel colours, darkest to lightest blue then blue-greens and violets for many channels. */
export const channelPalette = [
  "#2563eb",
  "#1e3a8a",
  "#3b82f6",
  "#60a5fa",
  "#93c5fd",
  "#0e7490",
  "#6366f1",
  "#0891b2",
  "#4338ca",
  "#7dd3fc",
  "#1d4ed8",
  "#a5b4fc",
];

/** A stable colour per channel, by its position in the model's channel list. */
export function channelColor(index: number): string {
  return channelPalette[((index % channelPalette.length) + channelPalette.length) % channelPalette.length];
}

export function channelColorMap(channels: readonly string[]): Record<string, string> {
  return Object.fromEntries(channels.map((c, i) => [c, channelColor(i)]));
}

/** Attribution models: light blue, dark blue, gray (as sketched), then more blues. */
export const modelPalette = ["#60a5fa", "#1e3a8a", "#94a3b8", "#2563eb", "#0e7490", "#a5b4fc"];

export function modelColor(index: number): string {
  return modelPalette[index % modelPalette.length];
}
