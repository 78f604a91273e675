import { type ComponentType, lazy } from 'react';

/**
 * A component whose code is downloaded only when it is first rendered (a dialog, a menu, a panel that appears after
 * an action), so that it weighs nothing on the page's first load. `preload` starts the download earlier, on the
 * hover or focus that usually comes just before the click.
 */
export function onDemand<Props extends object>(load: () => Promise<ComponentType<Props>>) {
  let loading: Promise<{ default: ComponentType<Props> }> | undefined;
  const preload = () => {
    loading ??= load().then((component) => ({ default: component }));
    return loading;
  };
  return { Component: lazy(preload), preload: () => void preload() };
}
