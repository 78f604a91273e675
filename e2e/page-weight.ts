import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';

export interface PageWeight {
  /** Script files the page loaded, gzip-compressed here at level 6 (what `next start` sends). */
  gzipJs: number;
  rawJs: number;
  scripts: number;
  /** The HTML document itself, gzip-compressed the same way (the server-rendered rows and the inline RSC data). */
  gzipHtml: number;
  status: number;
}

const gzipped = (body: Buffer) => gzipSync(body, { level: 6 }).length;

/**
 * Loads `url` in `page` (whose context should start with an empty cache) and weighs what it took: every script
 * response until the network is idle, compressed here so that the figure does not depend on how the server chose
 * to encode it.
 */
export async function weighPage(page: Page, url: string): Promise<PageWeight> {
  const scripts: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' && response.ok()) scripts.push(response.body());
  });
  const document = await page.goto(url, { waitUntil: 'networkidle' });
  const bodies = await Promise.all(scripts);
  const html = document ? await document.body() : Buffer.alloc(0);
  return {
    gzipJs: bodies.reduce((sum, body) => sum + gzipped(body), 0),
    rawJs: bodies.reduce((sum, body) => sum + body.length, 0),
    scripts: bodies.length,
    gzipHtml: gzipped(html),
    status: document?.status() ?? 0,
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export interface PageWeightBudget {
  homeGzipJsBytes: number;
  measuredHomeGzipJsBytes: number;
  connectionGzipJsBytes: number;
  measuredConnectionGzipJsBytes: number;
}

/** The budgets e2e/page-weight.spec.ts enforces: the measured gzip JS of `/` and of a connection page, plus 10 %. */
export function pageWeightBudget(): PageWeightBudget {
  return JSON.parse(readFileSync('bench/page-weight-budget.json', 'utf8'));
}
