import { magicWand } from "../core/magicWand";
import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";
import { insideImage, PendingMaskTool, type MaskToolServices } from "./pendingMaskTool";

/**
 * Magic wand (no kernel needed): a click selects the 4-connected region of
 * photo colors within the tolerance of the clicked pixel's (core/magicWand.ts)
 * as the pending mask; a new tolerance ([ / ], the slider) redoes the last click.
 */
export class MagicWandTool extends PendingMaskTool {
  private seed: ImagePoint | null = null;

  override connect(services: MaskToolServices): void {
    super.connect(services);
    services.editor.on("radius", () => {
      if (this.seed !== null && services.editor.toolName === this.name) this.select();
    });
  }

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    if (!insideImage(p, ctx)) return;
    this.seed = { x: p.x, y: p.y };
    this.select();
  }

  private select(): void {
    const services = this.services;
    const photo = services?.photo() ?? null;
    if (services === null || photo === null || this.seed === null) return;
    const region = magicWand(photo.data, photo.width, photo.height, this.seed.x, this.seed.y, services.editor.tolerance);
    services.pending.show(region === null ? [] : [region]);
  }

  protected hasPrompts(): boolean {
    return this.seed !== null;
  }

  protected clearPrompts(): void {
    this.seed = null;
  }

  protected dropLastPrompt(ctx: ToolContext): void {
    this.reset(ctx);
  }

  drawPreview(_painter: PreviewPainter): void {}
}

export const createMagicWand = (): Tool => new MagicWandTool("magic-wand", "Magic wand", "w", false);
