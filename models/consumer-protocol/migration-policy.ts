// group.consumer.migration.policy (ConsumerGroupMigrationPolicy in Kafka's group coordinator):
// whether a non-empty group may change type while it runs. Empty groups change type whatever
// the policy (the empty group is deleted and one of the other type created); offsets, kept
// apart from the group's records, survive either way.

export const migrationPolicies = ['disabled', 'upgrade', 'downgrade', 'bidirectional'] as const;
export type MigrationPolicy = (typeof migrationPolicies)[number];

/** ConsumerGroupMigrationPolicy.isUpgradeEnabled: classic -> consumer on a ConsumerGroupHeartbeat. */
export const isUpgradeEnabled = (p: MigrationPolicy): boolean => p === 'upgrade' || p === 'bidirectional';
/** ConsumerGroupMigrationPolicy.isDowngradeEnabled: consumer -> classic when the last KIP-848 member goes. */
export const isDowngradeEnabled = (p: MigrationPolicy): boolean => p === 'downgrade' || p === 'bidirectional';
