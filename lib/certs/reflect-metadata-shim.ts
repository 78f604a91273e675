/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load unless the Reflect metadata API
 * exists. Only three functions are used (`defineMetadata`, `getOwnMetadata`, `getMetadata`), so this installs just
 * those instead of pulling a full polyfill into the browser bundle. A real polyfill loaded earlier wins: nothing is
 * replaced when `Reflect.getMetadata` is already there.
 */

type Target = object;
type MetadataKey = unknown;
type PropertyKeyOrNone = string | symbol | undefined;

interface ReflectMetadataApi {
  defineMetadata(key: MetadataKey, value: unknown, target: Target, property?: PropertyKeyOrNone): void;
  getOwnMetadata(key: MetadataKey, target: Target, property?: PropertyKeyOrNone): unknown;
  getMetadata(key: MetadataKey, target: Target, property?: PropertyKeyOrNone): unknown;
}

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadataApi>;

if (typeof reflect.getMetadata !== 'function') {
  // Weak keys: decorated classes can still be collected, as with the reference polyfill.
  const store = new WeakMap<Target, Map<PropertyKeyOrNone, Map<MetadataKey, unknown>>>();

  const ownTable = (target: Target, property: PropertyKeyOrNone, create: boolean) => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let table = byProperty.get(property);
    if (!table && create) {
      table = new Map();
      byProperty.set(property, table);
    }
    return table;
  };

  const api: ReflectMetadataApi = {
    defineMetadata(key, value, target, property) {
      ownTable(target, property, true)?.set(key, value);
    },
    getOwnMetadata(key, target, property) {
      return ownTable(target, property, false)?.get(key);
    },
    getMetadata(key, target, property) {
      // Inherited lookup follows the prototype chain, which for classes is the superclass chain.
      for (let current: Target | null = target; current; current = Object.getPrototypeOf(current)) {
        const table = ownTable(current, property, false);
        if (table?.has(key)) return table.get(key);
      }
      return undefined;
    },
  };
  Object.assign(reflect, api);
}

export {};
