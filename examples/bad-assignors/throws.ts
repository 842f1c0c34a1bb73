// Throws as soon as two members share a topic.
export default {
  name: 'throws',
  assign(input: { subscriptions: Record<string, { topics: string[] }> }) {
    const seen = new Set<string>();
    for (const s of Object.values(input.subscriptions)) {
      for (const t of s.topics) {
        if (seen.has(t)) throw new RangeError(`cannot share topic ${t}`);
        seen.add(t);
      }
    }
    return {};
  },
};
