import type { WidgetModel } from "../model";

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

/** The image from `_image_data` (bytes; EXIF orientation already applied by Python) or `_image_url`. */
export async function loadImage(model: WidgetModel): Promise<LoadedImage> {
  const data = model.get("_image_data");
  if (data !== null && data !== undefined && data.byteLength > 0) {
    const blob = new Blob([data as DataView<ArrayBuffer>], { type: model.get("_image_mime") || "" });
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
  const url = model.get("_image_url");
  if (!url) throw new Error("no image was given");
  // Pixels of the photo are never read back, so a server without CORS headers still works.
  const img = await loadImageElement(url, true).catch(() => loadImageElement(url, false));
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
}
