import { expect, type Page } from '@playwright/test';

/** A visible run of text and where it is drawn. */
export interface TextBox {
  /** Which text node: the rects of one node (a wrapped line, a truncated run) are never compared with each other. */
  node: number;
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Every visible text run on the page with its rectangles, as the user sees them: text nodes' client rects (a wrapped
 * line is a rect of its own), leaving out what is not drawn — `display: none`, `visibility: hidden`, visually hidden
 * (sr-only: clipped to a pixel), any part clipped away by a scrolling or hidden-overflow ancestor, and text covered by
 * a surface drawn above it (a modal dialog, its backdrop, a sticky header): where `elementFromPoint` finds another
 * element at its centre with a background between the two. Text drawn over text with nothing between stays in.
 */
export async function visibleTextBoxes(page: Page): Promise<TextBox[]> {
  return page.evaluate(() => {
    const boxes: Array<{ node: number; text: string; left: number; top: number; right: number; bottom: number }> = [];
    let index = 0;
    const hidden = (element: Element): boolean => {
      for (let node: Element | null = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return true;
        const rect = node.getBoundingClientRect();
        if (style.position === 'absolute' && rect.width <= 1 && rect.height <= 1) return true; // sr-only
        if (node.getAttribute('aria-hidden') === 'true' && node.tagName === 'TR') return true; // spacer rows
      }
      return false;
    };
    /** The part of `rect` left visible by every ancestor that clips its overflow. */
    const clipped = (element: Element, rect: DOMRect) => {
      let { left, top, right, bottom } = rect;
      for (let node = element.parentElement; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          const clip = node.getBoundingClientRect();
          left = Math.max(left, clip.left);
          top = Math.max(top, clip.top);
          right = Math.min(right, clip.right);
          bottom = Math.min(bottom, clip.bottom);
        }
      }
      return { left, top, right, bottom };
    };
    /** Whether something with a background lies between the topmost element and the text: the text is hidden. */
    const opaqueAbove = (top: Element, below: Element) => {
      for (let node: Element | null = top; node && !node.contains(below); node = node.parentElement) {
        const background = getComputedStyle(node).backgroundColor;
        if (background && background !== 'transparent' && !/,\s*0\)$/.test(background)) return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      index += 1;
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || hidden(parent)) continue;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width < 1 || rect.height < 1) continue;
        const box = clipped(parent, rect);
        if (box.right - box.left < 1 || box.bottom - box.top < 1) continue;
        const top = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
        if (top && top !== parent && !parent.contains(top) && !top.contains(parent) && opaqueAbove(top, parent))
          continue;
        boxes.push({ node: index, text: text.slice(0, 60), ...box });
      }
    }
    return boxes;
  });
}

/** Pairs of different text runs drawn over each other by more than a pixel each way. */
export function overlaps(boxes: readonly TextBox[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i] as TextBox;
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j] as TextBox;
      if (a.node === b.node) continue;
      const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (width > 1 && height > 1) {
        found.push(
          `"${a.text}" (${Math.round(a.left)},${Math.round(a.top)}) overlaps "${b.text}" (${Math.round(b.left)},${Math.round(b.top)})`,
        );
      }
    }
  }
  return found;
}

/** The page fits a phone: nothing scrolls the whole page sideways, and no two texts are drawn over each other. */
export async function expectFitsPhone(page: Page, where: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    page: document.scrollingElement?.scrollWidth ?? document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.page, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(widths.viewport);
  expect(overlaps(await visibleTextBoxes(page)), `${where}: overlapping text`).toEqual([]);
}
