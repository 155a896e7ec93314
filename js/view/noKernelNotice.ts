import { button, h } from "./dom";

/** Why the notice shows what it shows: nothing downloaded yet, the download is current, or edits came after it. */
export type DownloadState = "none" | "current" | "stale";

const TEXT: Record<DownloadState, string> = {
  none: "No kernel: this page saves nothing. When you are done, Download result and send the file back.",
  current: "No kernel: this page saves nothing. The result is downloaded; later changes are not in it.",
  stale: "No kernel: this page saves nothing. Changes since the last download are not in any file: Download result again.",
};

/**
 * `.crowdseg-no-kernel`, in the status line: the page has no kernel behind it
 * (a static page), so it says that nothing is saved and offers
 * `button.crowdseg-download` ("Download result").
 */
export class NoKernelNotice {
  readonly el = h("div", "crowdseg-no-kernel");
  private readonly text = h("span", "crowdseg-no-kernel-text");
  readonly download: HTMLButtonElement;

  constructor(onDownload: () => void) {
    this.el.setAttribute("role", "status");
    this.download = button("crowdseg-download", "Download result", onDownload);
    this.download.title = "Save the annotation as a JSON file ({name: value}, as SageMaker's crowd-form submits it)";
    this.el.append(this.text, " ", this.download);
    this.show("none");
  }

  show(state: DownloadState, problem = ""): void {
    this.el.dataset.state = state;
    this.text.textContent = problem === "" ? TEXT[state] : `${TEXT[state]} ${problem}`;
  }
}

/** Hand `text` to the browser as a downloaded file named `filename`. */
export function downloadText(filename: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // after the browser has read it
}
