// Java's hash-table iteration orders, for Kafka test cases whose expected output was produced by
// iterating a HashMap or HashSet. These are facts about the JDK (String.hashCode, Uuid.hashCode,
// HashMap's spread and bucket index), computed here so a case can hand Kafka's order to the model.

/** HashMap.hash: the spread of a key's hashCode; the bucket is spread & (capacity - 1). */
const bucket = (hashCode: number, capacity: number) => (hashCode ^ (hashCode >>> 16)) & (capacity - 1);

/** String.hashCode. */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** org.apache.kafka.common.Uuid.hashCode of a base64url Uuid string: the xor of its four ints. */
function uuidHash(id: string): number {
  const b = Buffer.from(id, 'base64url');
  const h = b.readBigInt64BE(0) ^ b.readBigInt64BE(8);
  return Number(BigInt.asIntN(32, h >> 32n) ^ BigInt.asIntN(32, h)) | 0;
}

/**
 * Iteration order of a HashMap/HashSet of capacity 16 (up to 12 keys). Keys in one bucket keep
 * insertion order; callers pass keys in insertion order. Throws past 12 keys (the table resizes).
 */
function tableOrder<T>(keys: T[], hash: (k: T) => number): T[] {
  if (keys.length > 12) throw new Error('javaOrder: more than 12 keys resize the table');
  return keys
    .map((k, i) => ({ k, i, b: bucket(hash(k), 16) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.k);
}

export const javaStringOrder = (keys: string[]): string[] => tableOrder(keys, stringHash);
export const javaUuidOrder = (ids: string[]): string[] => tableOrder(ids, uuidHash);
