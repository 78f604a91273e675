/**
 * @peculiar/x509 resolves its algorithm providers through tsyringe, which refuses to load without a
 * `Reflect.getMetadata` polyfill. The usual fix is the `reflect-metadata` package, which is not installed
 * (requested in the emulator report); until then this covers exactly the four functions tsyringe and
 * tslib's `__metadata` call. Each is installed only when missing, so a real polyfill loaded earlier wins.
 */
type Target = object;
type MetadataReflect = typeof Reflect & {
  defineMetadata?: (key: unknown, value: unknown, target: Target) => void;
  getOwnMetadata?: (key: unknown, target: Target) => unknown;
  getMetadata?: (key: unknown, target: Target) => unknown;
  metadata?: (key: unknown, value: unknown) => (target: Target) => void;
};

const store = new WeakMap<Target, Map<unknown, unknown>>();
const ownMap = (target: Target) => {
  let map = store.get(target);
  if (!map) {
    map = new Map();
    store.set(target, map);
  }
  return map;
};

const reflect = Reflect as MetadataReflect;
reflect.defineMetadata ??= (key, value, target) => {
  ownMap(target).set(key, value);
};
reflect.getOwnMetadata ??= (key, target) => store.get(target)?.get(key);
reflect.getMetadata ??= (key, target) => {
  for (let at: Target | null = target; at; at = Object.getPrototypeOf(at)) {
    const map = store.get(at);
    if (map?.has(key)) return map.get(key);
  }
  return undefined;
};
reflect.metadata ??= (key, value) => (target) => {
  ownMap(target).set(key, value);
};
