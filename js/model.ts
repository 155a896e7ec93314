/** The parts of the anywidget model this front end uses, and the trait shapes (docs/architecture.md). */
import type { PatchMessage, ValuePatch } from "./sync/patchChannel";
import type { SageMakerValue } from "./sync/value";

export interface Traits {
  header: string;
  labels: string[];
  name: string;
  short_instructions: string;
  full_instructions: string;
  _image_data: DataView | null;
  _image_mime: string;
  _image_url: string;
  /** A hash of `_image_data` and its MIME type ("" for a URL; absent on older kernels). */
  _image_key?: string;
  /** The image a dataset session is likely to show next, to decode ahead; `{}` when none. */
  _prefetch?: PrefetchedImage | Record<string, never>;
  image_width: number;
  image_height: number;
  /** `{}` until the image size is known. */
  value: SageMakerValue | Record<string, never>;
  _sync_error: string;
  /** The server's websocket message limit in bytes (absent on older kernels). */
  message_limit?: number;
  /** Every color this image has used (kept by Python), so no view reuses a deleted one's. */
  _used_colors: string[];
  /** Review state per starting instance, by color (absent = unreviewed). */
  review_states: Record<string, string>;
  /** The starting annotation (a SageMaker value), or `{}` when there is nothing to review. */
  _initial_value: SageMakerValue | Record<string, never>;
  /** Bumped by Python's `set_image`: a new image to load (absent on older kernels). */
  _image_serial?: number;
  /** Where a dataset session is (`ImageLabeler`); absent or `{}` for a single image. */
  _navigation?: NavigationState | Record<string, never>;
  /** The view asks to move; Python handles it after the `value` of the same update. */
  _navigation_request?: { action: NavigationAction; image: number; id: number };
  /** Sent with every `value`: the `_image_serial` of the image it was painted on. */
  _value_image?: number;
  /** Bumped by Python with every `value` it sets itself: the view's patches name the one they start from. */
  _value_origin?: number;
  /** The view's committed actions since its last value, for the kernel's label map (its image added). */
  _patches?: PatchMessage & { image?: number };
  /** Sent with every `value`: the view's actions it holds. */
  _value_patch?: ValuePatch;
  /** A value the view had not sent when the image changed, addressed to its image. */
  _rescued_value?: { image: number; value: SageMakerValue };
}

/** `ImageLabeler._prefetch`: the bytes of an image not shown yet, and their `_image_key`. */
export interface PrefetchedImage {
  key: string;
  mime: string;
  data: DataView;
}

export type NavigationAction = "next" | "previous" | "skip";

/** A dataset session's position, as `ImageLabeler._navigation` sends it. */
export interface NavigationState {
  position: number; // 0-based
  total: number;
  done: number;
  skipped: number;
  name: string;
  status: string; // "done" | "skipped" | "open" | ""
  problem: string;
}

export interface WidgetModel {
  get<K extends keyof Traits>(key: K): Traits[K];
  set<K extends keyof Traits>(key: K, value: Traits[K]): void;
  on(event: string, callback: () => void): void;
  off(event: string, callback: () => void): void;
  save_changes(): void;
}
