/** Teardowns collected while a view is wired up, run once when it closes. */
export class Disposer {
  private teardowns: Array<() => void> = [];

  add(teardown: () => void): void {
    this.teardowns.push(teardown);
  }

  /** Listen to a model event until disposal. */
  on(model: { on(event: string, callback: () => void): void; off(event: string, callback: () => void): void }, event: string, callback: () => void): void {
    model.on(event, callback);
    this.add(() => model.off(event, callback));
  }

  /** Run every teardown, the last added first (it may rely on what was set up before it); a second call does nothing. */
  dispose(): void {
    const teardowns = this.teardowns;
    this.teardowns = [];
    for (const teardown of teardowns.reverse()) teardown();
  }
}
