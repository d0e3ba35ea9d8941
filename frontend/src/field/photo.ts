/** Photos on the device: where (navigator.geolocation) and when they were taken, their SHA-256 (the
 * server checks the same), and large ones shrunk before they are stored. */

export type PositionResult =
  | { ok: true; latitude: number; longitude: number; accuracy: number | null }
  | { ok: false; reason: "denied" | "unavailable" | "timeout" | "unsupported" };

export function currentPosition(timeoutMs = 15_000): Promise<PositionResult> {
  if (typeof navigator === "undefined" || !navigator.geolocation) {
    return Promise.resolve({ ok: false, reason: "unsupported" });
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          ok: true,
          latitude: pos.coords.latitude,
          longitude: pos.coords.longitude,
          accuracy: Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null,
        }),
      (error) =>
        resolve({
          ok: false,
          reason: error.code === 1 ? "denied" : error.code === 3 ? "timeout" : "unavailable",
        }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** When it was taken: the file's time when it is plausible (a camera file), else now. */
export function captureTime(file: File, now = Date.now()): string {
  const t = file.lastModified;
  const plausible = Number.isFinite(t) && t > now - 30 * 86_400_000 && t <= now + 60_000;
  return new Date(plausible ? Math.min(t, now) : now).toISOString();
}

const MAX_BYTES = 1_500_000;
const MAX_SIDE = 2048;

/** Photos over 1.5 MB are redrawn as JPEG at most 2048 px wide; smaller ones are kept as they are. */
export async function shrink(file: File): Promise<Blob> {
  if (file.size <= MAX_BYTES || typeof createImageBitmap !== "function") return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, "image/jpeg", 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}
