/** The look of the Copy and Download menu buttons, shared by the real menus and the buttons that stand in for them. */
export const MENU_TRIGGER =
  'whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 data-[state=open]:bg-slate-100';
export type MenuName = 'Copy' | 'Download';
