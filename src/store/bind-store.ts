import type { ChannelStore, CoordinationStore, DeliveryLedger, FollowStore, LlmUsageStore, PaperStore, StateStore, Store, SubscriptionStore, SummaryCache } from './store.js';

/** One back end's part for each of the store's jobs. */
export interface StoreParts {
  papers: PaperStore;
  channels: ChannelStore;
  subscriptions: SubscriptionStore;
  follows: FollowStore;
  ledger: DeliveryLedger;
  summaries: SummaryCache;
  coordination: CoordinationStore;
  state: StateStore;
  llmUsage: LlmUsageStore;
}

/**
 * The Store port over a back end's parts, every method bound to its part. Listed method by method (not spread)
 * so a method added to a part's interface and forgotten here fails to compile instead of going missing.
 */
export function bindStoreParts({ papers, channels, subscriptions, follows, ledger, summaries, coordination, state, llmUsage }: StoreParts): Omit<Store, 'health' | 'close'> {
  return {
    saveDay: papers.saveDay.bind(papers),
    savePapers: papers.savePapers.bind(papers),
    addPapers: papers.addPapers.bind(papers),
    getPaper: papers.getPaper.bind(papers),
    listingsForDay: papers.listingsForDay.bind(papers),
    latestDayWithPapers: papers.latestDayWithPapers.bind(papers),
    lastSync: papers.lastSync.bind(papers),
    syncedDays: papers.syncedDays.bind(papers),
    countPapers: papers.countPapers.bind(papers),
    documentFrequencies: papers.documentFrequencies.bind(papers),
    searchPapers: papers.searchPapers.bind(papers),
    papersAddedSince: papers.papersAddedSince.bind(papers),
    unlistedPapersAddedBetween: papers.unlistedPapersAddedBetween.bind(papers),
    getChannelSettings: channels.getChannelSettings.bind(channels),
    saveChannelSettings: channels.saveChannelSettings.bind(channels),
    listChannelSettings: channels.listChannelSettings.bind(channels),
    addSubscription: subscriptions.addSubscription.bind(subscriptions),
    removeSubscriptions: subscriptions.removeSubscriptions.bind(subscriptions),
    listSubscriptions: subscriptions.listSubscriptions.bind(subscriptions),
    subscriptionsAfter: subscriptions.subscriptionsAfter.bind(subscriptions),
    subscriptionIdsAfter: subscriptions.subscriptionIdsAfter.bind(subscriptions),
    subscriptionRemovalsSince: subscriptions.subscriptionRemovalsSince.bind(subscriptions),
    addFollow: follows.addFollow.bind(follows),
    removeFollows: follows.removeFollows.bind(follows),
    listFollows: follows.listFollows.bind(follows),
    followsSince: follows.followsSince.bind(follows),
    removeFollowsBefore: follows.removeFollowsBefore.bind(follows),
    claimAnnouncement: follows.claimAnnouncement.bind(follows),
    acquireDelivery: ledger.acquireDelivery.bind(ledger),
    renewDelivery: ledger.renewDelivery.bind(ledger),
    getDelivery: ledger.getDelivery.bind(ledger),
    recordParent: ledger.recordParent.bind(ledger),
    recordIntents: ledger.recordIntents.bind(ledger),
    incompleteDeliveries: ledger.incompleteDeliveries.bind(ledger),
    recordPosted: ledger.recordPosted.bind(ledger),
    completeDelivery: ledger.completeDelivery.bind(ledger),
    releaseDelivery: ledger.releaseDelivery.bind(ledger),
    receivedPaperIds: ledger.receivedPaperIds.bind(ledger),
    lastPostOf: ledger.lastPostOf.bind(ledger),
    earlierPosts: ledger.earlierPosts.bind(ledger),
    acquireLease: coordination.acquireLease.bind(coordination),
    releaseLease: coordination.releaseLease.bind(coordination),
    markSeen: coordination.markSeen.bind(coordination),
    reserveSlot: coordination.reserveSlot.bind(coordination),
    admit: coordination.admit.bind(coordination),
    getSummary: summaries.getSummary.bind(summaries),
    putSummary: summaries.putSummary.bind(summaries),
    getState: state.getState.bind(state),
    setState: state.setState.bind(state),
    addLlmTokens: llmUsage.addLlmTokens.bind(llmUsage),
    llmTokensUsed: llmUsage.llmTokensUsed.bind(llmUsage),
  };
}
