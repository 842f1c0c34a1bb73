// Never returns once a group has three members: a synchronous endless loop.
export default {
  name: 'endless',
  assign(input: { subscriptions: Record<string, unknown> }) {
    const members = Object.keys(input.subscriptions);
    while (members.length >= 3) members.sort();
    return Object.fromEntries(members.map((m) => [m, []]));
  },
};
