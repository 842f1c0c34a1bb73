// Returns a list of partitions per topic instead of an assignment per member.
export const assignor = {
  name: 'garbage',
  assign(input: { topics: Record<string, number> }) {
    return Object.keys(input.topics).map((t) => ({ topic: t, partitions: [0] }));
  },
};
