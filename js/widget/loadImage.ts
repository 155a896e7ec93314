import type { PrefetchedImage, WidgetModel } from "../model";

export interface LoadedImage {
  image: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

function loadImageElement(url: string, crossOrigin: boolean): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    if (crossOrigin) img.crossOrigin = "anonymous";
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`could not load the image from ${url}`));
    img.src = url;
  });
}

/** Encoded image bytes (EXIF orientation already applied by Python), decoded off the main thread. */
export async function decodeImage(data: DataView, mime: string): Promise<LoadedImage> {
  const blob = new Blob([data as DataView<ArrayBuffer>], { type: mime });
  try {
    const bitmap = await createImageBitmap(blob);
    return { image: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
  } catch {
    // Some formats decode only through <img>.
    const url = URL.createObjectURL(blob);
    const img = await loadImageElement(url, false).finally(() => URL.revokeObjectURL(url));
    return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
  }
}

export function isPrefetched(value: unknown): value is PrefetchedImage {
  const v = value as PrefetchedImage | null | undefined;
  return typeof v === "object" && v !== null && typeof v.key === "string" && v.key !== "" && v.data instanceof DataView;
}

/**
 * The image's bytes: `_image_data`, or, while that is empty in a dataset
 * session, `_prefetch`'s when its key is `_image_key` (Python leaves out of
 * the image's update the bytes the view has already, and sends them after it).
 */
function imageBytes(model: WidgetModel): { data: DataView; mime: string } | null {
  const data = model.get("_image_data");
  if (data !== null && data !== undefined && data.byteLength > 0) return { data, mime: model.get("_image_mime") || "" };
  const key = model.get("_image_key");
  const prefetch = model.get("_prefetch");
  if (key && isPrefetched(prefetch) && prefetch.key === key) return { data: prefetch.data, mime: prefetch.mime };
  return null;
}

/**
 * The image from its bytes (`imageBytes`) or `_image_url`. `prefetched`: the same
 * image decoded ahead (matched by `_image_key`, a hash of these very bytes);
 * should it have failed, the bytes are decoded here, so the error said is this load's.
 */
export async function loadImage(model: WidgetModel, prefetched: Promise<LoadedImage> | null = null): Promise<LoadedImage> {
  const bytes = imageBytes(model);
  if (bytes !== null) {
    const { data, mime } = bytes;
    return prefetched === null ? decodeImage(data, mime) : prefetched.catch(() => decodeImage(data, mime));
  }
  const url = model.get("_image_url");
  if (!url) throw new Error("no image was given");
  // Pixels of the photo are never read back, so a server without CORS headers still works.
  const img = await loadImageElement(url, true).catch(() => loadImageElement(url, false));
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
}
