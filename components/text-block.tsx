'use client';

import { CopyButton } from './copy-button';

/** A read-only text (PEM, PKCS#7, JWK, JWKS) with its label, a Copy button and a Download button. */
export function TextBlock({
  id,
  label,
  copyLabel,
  text,
  onDownload,
  downloadLabel,
}: {
  id: string;
  label: string;
  copyLabel: string;
  text: string;
  onDownload: () => void;
  downloadLabel: string;
}) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="mr-auto text-sm font-medium text-slate-800">
          {label}
        </label>
        <CopyButton text={text} label={copyLabel} />
        <button
          type="button"
          onClick={onDownload}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          {downloadLabel}
        </button>
      </div>
      <textarea
        id={id}
        readOnly
        value={text}
        rows={6}
        className="w-full resize-y rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] leading-4 text-slate-800"
      />
    </div>
  );
}
