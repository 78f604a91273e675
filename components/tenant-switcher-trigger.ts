/** The look of the tenant switcher's button, shared by the real menu's trigger and the button standing in for it. */
export const SWITCHER_TRIGGER =
  'flex items-center gap-2 rounded-md px-2 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-200 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600';
