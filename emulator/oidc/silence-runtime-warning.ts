// Test-only side-effect module: import it before anything that loads oidc-provider. On Node 20 oidc-provider
// prints an "Unsupported runtime" warning when first loaded; it is expected here and only clutters test output.
const warn = console.warn.bind(console);

console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};
