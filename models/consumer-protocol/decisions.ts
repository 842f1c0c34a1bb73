// What each named guard and action of the KIP-848 machines decides, in one line: the reference
// for variant authors (docs/overrides.md is generated from this and the machines; a test checks
// that every guard and action is described and every description names one).

/** Guards and actions of the group coordinator (coordinator.ts; Kafka's GroupMetadataManager). */
export const groupCoordinatorDecisions = {
  guards: {
    isLeave: 'The heartbeat carries member epoch -1: the member leaves the group.',
    isStaticLeave:
      'The heartbeat carries member epoch -2 and a group.instance.id: a static member leaves temporarily (its record is kept).',
    leaverKnown:
      'The leaving member (by member id, or by instance id for a static one) is in the group; otherwise the leave is answered with an error.',
    heartbeatAdmitted:
      'The member lookup of consumerGroupHeartbeat succeeds: a new member (epoch 0), a static replacement, or a known member with an acceptable epoch; otherwise UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, UNRELEASED_INSTANCE_ID, ...',
    assignorThrows:
      'The heartbeat makes the coordinator compute a new target assignment and the server assignor throws (the fault world’s choice, or a user-supplied assignor).',
    isTimer: 'The event is the firing of a timer of the given kind (`session:<member>`, `rebalance:<member>`).',
    commitAccepted:
      'ConsumerGroup.validateOffsetCommit: an OffsetCommit is stored only from a known member carrying its current member epoch (epoch < 0 only in an empty group).',
    leaveDowngrades:
      'validateOnlineDowngradeWithFencedMember for a -1 leave: the last consumer-protocol member goes, classic members stay, the policy allows a downgrade.',
    timerDowngrades: 'validateOnlineDowngradeWithFencedMember for the member a session or rebalance timer fences.',
    rebalanceExpires: 'The rebalance timer fences: the member still has not acknowledged the revocation asked at that epoch.',
    groupIsEmpty: 'The consumer group has no member (a classic JoinGroup then replaces it by a classic group).',
    classicProtocolUnsupported: 'ConsumerGroup.supportsClassicProtocols fails for the joiner’s assignor names.',
    classicNeedsMemberId: 'A classic JoinGroup without a member id (KIP-394).',
    classicUnknown: 'The classic request’s member is not in the group, or does not use the classic protocol.',
    classicGenerationStale: 'throwIfGenerationIdUnmatched: the request’s generation is not the member epoch.',
    classicSyncRebalancing: 'throwIfRebalanceInProgress: the group epoch is past the member epoch and the member is not revoking.',
    classicMustRejoin:
      'A classic member must rejoin: the group epoch passed its epoch, it has partitions to revoke, or the partitions it waited for are free.',
  },
  actions: {
    send: 'Outgoing response; executed by the world, never by the machine.',
    rejectHeartbeat: 'Answers a heartbeat that was not admitted (or a leave from an unknown member) with the error the lookup found.',
    fenceLeavingMember: 'Epoch -1: the member is removed, its partitions freed, the group epoch bumped.',
    parkStaticMember:
      'Epoch -2: the static member’s record stays with epoch -2 and its assigned partitions reserved; pending revocations are freed; no epoch bump.',
    admitMember: 'Creates, replaces (static) or updates the member record from the heartbeat; notes whether the group epoch must go up.',
    scheduleRegexRefresh:
      'maybeUpdateRegularExpressions: the heartbeat schedules the asynchronous resolution of the group’s regexes (none scheduled, the refresh interval over, a regex unresolved or topics newer than its resolution).',
    endRegexInterval: 'The regex refresh interval since the last resolution is over: the next heartbeat may schedule one.',
    resolveRegexes:
      'handleRegularExpressionsResult: each subscribed regex resolved against the metadata image; a changed resolution bumps the group epoch.',
    bumpGroupEpochIfNeeded: 'A new member, a subscription change or a metadata change bumps the group epoch.',
    computeTargetIfNeeded:
      'groupEpoch > targetEpoch: the preferred server assignor computes every member’s target, seeded with the old one (for a classic member’s JoinGroup, an assignor that throws leaves it as it was).',
    failAssignment:
      'updateTargetAssignment: the server assignor threw; the heartbeat is answered UNKNOWN_SERVER_ERROR and none of its records are written (the group stays as it was).',
    reconcileMember:
      'CurrentAssignmentBuilder: moves the member towards its target: revoke first, then assign partitions once their previous owner released them (UNRELEASED_PARTITIONS wait).',
    armSession: 'Every admitted heartbeat restarts the member’s session timer.',
    respondHeartbeat:
      'Answers with the member epoch, and the assignment for full requests or whenever the member’s assigned partitions changed.',
    expireSession: 'Session expiry: the member is fenced (removed, partitions freed, epoch bumped).',
    expireRebalance:
      'Rebalance timeout: the member is fenced if it still has not acknowledged the revocation it was asked for at that epoch.',
    rejectCommit: 'Answers an OffsetCommit that commitAccepted refused (STALE_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, ...).',
    storeCommit: 'Stores the committed offsets and answers NONE.',
    expireUnsubscribedOffsets:
      'Offset cleanup: the offsets of topics no member subscribes to expire, counted from their commit (every offset of an Empty group).',
    rejectNotCoordinator: 'While the coordinator is unloaded (failover), every request gets NOT_COORDINATOR.',
    respondLeaving: 'Answers a -1 heartbeat when the leave turns the group classic (the group record changes in the conversion).',
    downgradeToClassic:
      'convertToClassicGroup: the last consumer-protocol member left or was fenced; the group becomes a classic group of the others (the world hands it over).',
    handToClassicGroup: 'A classic JoinGroup to an empty consumer group: the group is deleted and a classic group handles the JoinGroup.',
    rejectClassicProtocol: 'INCONSISTENT_GROUP_PROTOCOL: no assignor the joiner offers is supported by every classic member.',
    requireClassicMemberId: 'A classic member joining without an id gets one with MEMBER_ID_REQUIRED (nothing is recorded).',
    admitClassicMember: 'Creates or updates the classic member from its JoinGroup: subscription, rebalance timeout, classic metadata.',
    armClassicJoinTimers: 'After a classic JoinGroup: the session timer on the classic session timeout, and the sync timeout.',
    respondClassicJoin:
      'The classic JoinGroup response: the member epoch as generation, the member’s first assignor as protocol, no leader.',
    respondClassicSync: 'The classic SyncGroup response: the member’s assigned partitions (never partitions another member still holds).',
    rejectClassicRebalancing: 'REBALANCE_IN_PROGRESS to a classic member that must rejoin; its join timeout starts if not running.',
    answerClassicHeartbeat: 'A classic member’s Heartbeat with nothing to catch up on: the session goes on.',
    rejectClassicUnknown: 'UNKNOWN_MEMBER_ID to a classic request from an unknown member or one that does not use the classic protocol.',
    rejectClassicGeneration: 'ILLEGAL_GENERATION to a classic request whose generation is not the member epoch.',
    removeClassicMember: 'A classic LeaveGroup: the member is removed and the group epoch bumped (never a downgrade).',
    fromClassicGroup:
      'ConsumerGroup.fromClassicGroup: the new consumer group takes over the classic members at epoch = generation, their assignment as current and target; offsets carried.',
  },
};

/** Guards and actions of the consumer (member.ts; Kafka's AsyncKafkaConsumer membership and heartbeat managers). */
export const memberDecisions = {
  guards: {
    answersHeartbeat: 'A response answers the heartbeat in flight (by correlation id), not an abandoned one.',
    heartbeatOk: 'The heartbeat in flight was answered NONE.',
    heartbeatFenced: 'The heartbeat in flight was answered FENCED_MEMBER_EPOCH or UNKNOWN_MEMBER_ID: the member is fenced and rejoins.',
    heartbeatFatal:
      'The heartbeat in flight was answered UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID, GROUP_ID_NOT_FOUND or UNKNOWN_SERVER_ERROR (the server assignor threw): fatal for the member.',
    heartbeatCoordinatorError:
      'The heartbeat in flight was answered NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE: find the coordinator again.',
    answersCommit: 'A response answers the OffsetCommit in flight.',
    commitCoordinatorError: 'The OffsetCommit in flight was answered NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE.',
    answersFind: 'A response answers the FindCoordinator in flight.',
    isTimer: 'The event is the firing of the named timer.',
    hasNewTarget:
      'A newer assignment than the current one is waiting to be reconciled, as far as its topics resolve (metadata or held topics): a target whose new topics the metadata does not name yet waits for it.',
    noCommitInFlight: 'No OffsetCommit is in flight (reconciliation waits for the auto-commit before revoking).',
    revokesWithSlowCallback: 'The reconciliation revokes partitions and onPartitionsRevoked takes time (a separate callback step).',
    hasOwned: 'The member owns at least one partition.',
    canCommit: 'The application may commit: it owns partitions, no commit is in flight, it is not stalled and the coordinator is known.',
    coordinatorKnown: 'The coordinator is known.',
    joined: 'The join was answered with an epoch and an assignment whose resolvable part is empty, like the current one.',
    slowLoss: 'transitionToFenced: onPartitionsLost takes time (slow assign/lost callbacks) and something is owned.',
    addsWithSlowCallback: 'The reconciliation adds partitions and onPartitionsAssigned takes time (a separate callback step).',
    commitOnClose:
      'releaseAssignmentAndLeaveGroup: with auto-commit, close() commits the consumed offsets first (commitSyncAllConsumed), only from inside the group.',
    slowRelease: "close()'s PREPARE_LEAVING: onPartitionsRevoked in the group (epoch > 0), onPartitionsLost otherwise, takes time.",
    noHeartbeatInFlight: 'No heartbeat is in flight (the leave heartbeat was answered or timed out, or none was sent).',
    outsideGroup: 'The member epoch is 0 or less: closing after a fence (UNSUBSCRIBED), so no heartbeat is sent.',
    canCommitInGroup:
      'The application may commit: in the group (epoch > 0), owns partitions, no commit in flight, not stalled, coordinator known (CommitRequestManager does not wait for STABLE).',
  },
  actions: {
    send: 'Outgoing request; executed by the world, never by the machine.',
    sendHeartbeat:
      'Sends a heartbeat now, unless one is in flight (one at a time) or the coordinator is unknown; full or with only what changed.',
    acknowledge: 'After reconciling: the new owned set goes out with the next heartbeat, sent without waiting for the interval.',
    sendAckIfPending: 'Sends the acknowledgement that had to wait for the heartbeat in flight.',
    adoptHeartbeat: 'A successful heartbeat: adopt the member epoch and, if sent, the new assignment; heartbeat again after the interval.',
    clearInflightHeartbeat: 'Forgets the heartbeat in flight (answered or timed out).',
    requireFullHeartbeat: 'Any failed heartbeat makes the next one full (HeartbeatState.reset).',
    fence: 'FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID: onPartitionsLost for everything, epoch 0, and rejoin with the same member id.',
    changeSubscription:
      'A new subscription goes out with the next heartbeat; topics new to it are not in the metadata until a metadata response brings them.',
    updateMetadata: 'Adopts the topic metadata the world sends.',
    markCoordinatorUnknown: 'Forgets the coordinator and looks it up again (FindCoordinator).',
    adoptCoordinator: 'A FindCoordinator answer: the coordinator is known again.',
    clearInflightFind: 'Forgets the FindCoordinator in flight.',
    beginReconciliation:
      'maybeReconcile: fix the assignment to move to (its resolvable part; the rest stays pending); with auto-commit, commit consumed offsets first.',
    finishReconciliation:
      'The reconciled assignment becomes current: retained partitions keep their position, added ones start at the committed offset.',
    processRecords: 'The application processes a record of every owned partition (positions advance).',
    sendCommit: 'commitAsync (and the auto-commit before revocation): OffsetCommit carrying the member epoch.',
    clearInflightCommit: 'Forgets the OffsetCommit in flight.',
    stall: 'The application stops polling (a long GC pause or slow processing); max.poll.interval.ms starts counting.',
    resume: 'The application polls again.',
    clearTimer: 'Removes the timer that fired.',
    recheckPollLater: 'The poll-timer check waits while the coordinator is unknown.',
    sendLeave:
      'Leaving (close(), or max.poll.interval.ms passed): a heartbeat with epoch -1, or -2 for a static member; then everything is dropped.',
    releaseAll: 'Drops owned partitions, requests in flight and timers (the process is gone or left).',
    beginLoss:
      'transitionToFenced with a slow onPartitionsLost: epoch 0 at once, nothing pending, the assignment kept until the callback returns.',
    dropAssignment: 'onPartitionsLost returned: clearAssignment, then JOINING.',
    adoptFetchedOffsets:
      'onPartitionsAssigned returned: the added partitions start from the committed offsets of that moment (the OffsetFetch, answered in the event).',
    beginClose: 'close() leaves poll(): a reconciliation in progress is abandoned and the poll timer stops.',
    fencedWhileLeaving: 'Fenced while closing (transitionToFenced in PREPARE_LEAVING): epoch 0, so no leave heartbeat will be sent.',
    sendLeaveOnClose:
      'LEAVING: the assignment is cleared and a leave heartbeat (epoch -1, static -2) goes out once, if in the group with a known coordinator.',
  },
};
