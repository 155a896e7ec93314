import type { PrefetchedImage } from "../model";
import { decodeImage, isPrefetched, type LoadedImage } from "./loadImage";

interface Entry extends PrefetchedImage {
  decoded: Promise<LoadedImage> | null;
}

/**
 * Draw `image` once shrunk, into one pixel, in idle time: Chromium keeps the
 * mipmaps it builds for that with the decoded image, so the first frame that
 * shows it shrunk (the stage's photo layer) draws it in about half the time
 * (12 MP: ~18 ms → ~10 ms here). Closed meanwhile (a stale offer): nothing to do.
 */
function warmShrunkDraw(image: CanvasImageSource): void {
  const run = (): void => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const g = canvas.getContext("2d");
    if (g === null) return;
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = "high"; // as the photo layer draws it
    g.setTransform(0.25, 0, 0, 0.25, 0, 0);
    try {
      g.drawImage(image, 0, 0);
      g.getImageData(0, 0, 1, 1); // a detached canvas draws only when read
    } catch {
      // closed (released) before it ran
    }
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 0);
}

function release(entry: Entry): void {
  entry.decoded?.then(
    (loaded) => loaded.release(),
    () => {}, // a failed prefetch is said only if its image is shown (and then by that load)
  );
}

/**
 * The image Python expects to show next (`_prefetch`: its bytes and `key`, a
 * hash of them), decoded in the background while the user paints, never
 * while the image shown is still loading (`pause` / `resume`). When Python
 * shows it, `take(_image_key)` hands the decode over: matched by the hash,
 * it stands only for the very same bytes. A new offer drops the older
 * ones (a goto elsewhere makes them stale), except the one Python is showing
 * now if this view has not loaded it yet (a stroke in progress holds the
 * switch): at most two, usually one.
 */
export class ImagePrefetch {
  private entries: Entry[] = [];
  private paused = true;

  /** `_prefetch` changed; `showing` is `_image_key`, the image Python shows now. */
  offer(next: unknown, showing: string): void {
    const kept: Entry[] = [];
    for (const entry of this.entries) {
      if (entry.key === showing) kept.push(entry);
      else release(entry);
    }
    this.entries = kept;
    if (isPrefetched(next) && next.key !== showing) {
      this.entries.push({ key: next.key, mime: next.mime, data: next.data, decoded: null });
    }
    if (!this.paused) this.decodeWaiting();
  }

  /** The decode of image `key` if it was prefetched (the caller owns it now), else null. */
  take(key: string | undefined): Promise<LoadedImage> | null {
    const index = key ? this.entries.findIndex((entry) => entry.key === key) : -1;
    if (index < 0) return null;
    const [entry] = this.entries.splice(index, 1);
    return entry.decoded ?? decodeImage(entry.data, entry.mime);
  }

  /** An image is loading: its decode goes first. */
  pause(): void {
    this.paused = true;
  }

  /** The image shown is in: decode what waits. */
  resume(): void {
    this.paused = false;
    this.decodeWaiting();
  }

  dispose(): void {
    for (const entry of this.entries) release(entry);
    this.entries = [];
  }

  private decodeWaiting(): void {
    for (const entry of this.entries) {
      if (entry.decoded !== null) continue;
      entry.decoded = decodeImage(entry.data, entry.mime);
      entry.decoded.then(
        (loaded) => warmShrunkDraw(loaded.image),
        () => {}, // not unhandled: take() falls back to decoding `_image_data`
      );
    }
  }
}
