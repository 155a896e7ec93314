import type { Editor } from "../editor";
import type { WidgetModel } from "../model";
import { isSageMakerValue } from "../sync/value";
import { downloadText, NoKernelNotice, type DownloadState } from "../view/noKernelNotice";
import type { Disposer } from "./disposer";
import type { ImageSession } from "./imageSession";
import type { Layout } from "./layout";

declare module "../model" {
  interface Traits {
    /** Set only by a static page (Python's `to_html`): no kernel is behind the model. */
    _static_page?: { result_file?: string };
  }
}

/**
 * A view without a kernel (a static page): the status line says nothing is
 * saved and offers "Download result", `{name: value}` as SageMaker's
 * `<crowd-form>` submits it; leaving the page with edits not downloaded asks
 * first. In a kernel this does nothing.
 */
export function bindNoKernel(model: WidgetModel, editor: Editor, layout: Layout, session: ImageSession, disposer: Disposer): void {
  const page = model.get("_static_page");
  if (page === undefined || page === null) return;
  let state: DownloadState = "none";
  let edited = false; // since the page opened or the last download
  const download = (): void => {
    session.sync.flush(); // the last action's value, encoded now
    const value = model.get("value");
    if (!isSageMakerValue(value)) return notice.show(state, "The image is not loaded yet: nothing to download.");
    const name = model.get("name") || "annotatedResult";
    downloadText(page.result_file || `${name}.json`, JSON.stringify({ [name]: value }));
    edited = false;
    notice.show((state = "current"));
  };
  const notice = new NoKernelNotice(download);
  layout.status.el.before(notice.el);
  disposer.add(() => notice.el.remove());
  disposer.add(
    editor.on("committed", () => {
      edited = true;
      if (state === "current") notice.show((state = "stale"));
    }),
  );
  const askBeforeLeaving = (e: BeforeUnloadEvent): void => {
    if (edited) e.preventDefault(); // the browser asks "leave the page?"
  };
  window.addEventListener("beforeunload", askBeforeLeaving);
  disposer.add(() => window.removeEventListener("beforeunload", askBeforeLeaving));
}
