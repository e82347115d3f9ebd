// Tests of backend/annotate/consensus.h: ranked pairs (Condorcet winner, cycles, ties, weights,
// determinism), not-rankable votes, and trust estimation against careless and malicious
// annotators.

#include "backend/annotate/agreement.h"
#include "backend/annotate/consensus.h"

#include <QtTest>

#include <algorithm>
#include <random>

using namespace vietllm::annotate;

namespace {

Ballot ballot(std::int64_t annotator_id, Tiers tiers, bool not_rankable = false) {
    return {annotator_id, not_rankable, std::move(tiers)};
}

// Strict tiers from an order of candidates.
Tiers strict(const std::vector<std::int64_t>& order) {
    Tiers tiers;
    for (const std::int64_t candidate : order) {
        tiers.push_back({candidate});
    }
    return tiers;
}

}  // namespace

class TestConsensus : public QObject {
    Q_OBJECT

private slots:
    void unanimousBallotsGiveTheirOrder();
    void majorityWinsEachPair();
    void cycleIsBrokenAtTheWeakestPair();
    void exactTiesStayTiedInDisplayOrder();
    void trustWeightsDecide();
    void leavingOutOneBallot();
    void notRankableShareIsWeighted();
    void resultDoesNotDependOnBallotOrder();
    void trustSeparatesCarefulCarelessAndMalicious();
    void meanTauToConsensus();
};

void TestConsensus::unanimousBallotsGiveTheirOrder() {
    const RankingItem item{
        1, {10, 11, 12}, {ballot(1, strict({12, 10, 11})), ballot(2, strict({12, 10, 11}))}};
    const Consensus consensus = rankedPairs(item, {});
    QCOMPARE(consensus.tiers, strict({12, 10, 11}));
    QCOMPARE(consensus.ballots, std::size_t{2});
    QVERIFY(!consensus.notRankable());
}

void TestConsensus::majorityWinsEachPair() {
    const RankingItem item{
        1,
        {1, 2, 3},
        {ballot(1, strict({1, 2, 3})), ballot(2, strict({1, 2, 3})), ballot(3, strict({3, 2, 1}))}};
    QCOMPARE(rankedPairs(item, {}).tiers, strict({1, 2, 3}));
}

void TestConsensus::cycleIsBrokenAtTheWeakestPair() {
    // Margins: A>B 7−2 = 5 (locked), B>C 6−3 = 3 (locked), C>A 5−4 = 1 (would close a cycle).
    std::vector<Ballot> ballots;
    std::int64_t id = 1;
    for (int i = 0; i < 4; ++i) {
        ballots.push_back(ballot(id++, strict({1, 2, 3})));  // A B C
    }
    for (int i = 0; i < 3; ++i) {
        ballots.push_back(ballot(id++, strict({3, 1, 2})));  // C A B
    }
    for (int i = 0; i < 2; ++i) {
        ballots.push_back(ballot(id++, strict({2, 3, 1})));  // B C A
    }
    const RankingItem item{1, {1, 2, 3}, ballots};
    QCOMPARE(rankedPairs(item, {}).tiers, strict({1, 2, 3}));
}

void TestConsensus::exactTiesStayTiedInDisplayOrder() {
    const RankingItem split{1, {5, 4}, {ballot(1, strict({4, 5})), ballot(2, strict({5, 4}))}};
    QCOMPARE(rankedPairs(split, {}).tiers, (Tiers{{5, 4}}));
    const RankingItem tied{1, {1, 2, 3}, {ballot(1, {{2, 1}, {3}})}};
    QCOMPARE(rankedPairs(tied, {}).tiers, (Tiers{{1, 2}, {3}}));
    const RankingItem nothing{1, {1, 2}, {ballot(1, {}, true)}};
    QVERIFY(rankedPairs(nothing, {}).tiers.empty());
}

void TestConsensus::trustWeightsDecide() {
    const RankingItem item{
        1,
        {1, 2, 3},
        {ballot(1, strict({1, 2, 3})), ballot(2, strict({3, 2, 1})), ballot(3, strict({3, 2, 1}))}};
    QCOMPARE(rankedPairs(item, {}).tiers, strict({3, 2, 1}));
    QCOMPARE(rankedPairs(item, {{1, 1.0}, {2, 0.2}, {3, 0.2}}).tiers, strict({1, 2, 3}));
}

void TestConsensus::leavingOutOneBallot() {
    const RankingItem item{
        1, {1, 2}, {ballot(1, strict({1, 2})), ballot(2, strict({2, 1})), ballot(3, strict({2, 1}))}};
    QCOMPARE(rankedPairs(item, {}, 3).tiers, (Tiers{{1, 2}}));
    QCOMPARE(rankedPairs(item, {}, 3).ballots, std::size_t{2});
    QCOMPARE(rankedPairs(item, {}, 1).tiers, strict({2, 1}));
}

void TestConsensus::notRankableShareIsWeighted() {
    const RankingItem item{1, {1, 2}, {ballot(1, {}, true), ballot(2, {}, true), ballot(3, strict({1, 2}))}};
    QVERIFY(rankedPairs(item, {}).notRankable());
    QCOMPARE(rankedPairs(item, {}).tiers, strict({1, 2}));
    QVERIFY(!rankedPairs(item, {{1, 0.1}, {2, 0.1}, {3, 1.0}}).notRankable());
}

void TestConsensus::resultDoesNotDependOnBallotOrder() {
    std::mt19937 random(7);
    std::vector<Ballot> ballots;
    std::vector<std::int64_t> order = {1, 2, 3, 4};
    for (std::int64_t annotator = 1; annotator <= 7; ++annotator) {
        std::shuffle(order.begin(), order.end(), random);
        ballots.push_back(ballot(annotator, strict(order)));
    }
    const Tiers expected = rankedPairs({1, {1, 2, 3, 4}, ballots}, {}).tiers;
    for (int round = 0; round < 10; ++round) {
        std::shuffle(ballots.begin(), ballots.end(), random);
        QCOMPARE(rankedPairs({1, {1, 2, 3, 4}, ballots}, {}).tiers, expected);
    }
}

void TestConsensus::trustSeparatesCarefulCarelessAndMalicious() {
    // 60 items of 4 candidates whose true order is the id order. Annotators 1-3 are careful (swap
    // one adjacent pair 20% of the time), 4 careless (uniformly random), 5 malicious (reversed).
    std::mt19937 random(11);
    std::vector<RankingItem> items;
    for (std::int64_t task = 1; task <= 60; ++task) {
        const std::vector<std::int64_t> truth = {task * 10, task * 10 + 1, task * 10 + 2, task * 10 + 3};
        RankingItem item{task, truth, {}};
        for (std::int64_t careful = 1; careful <= 3; ++careful) {
            std::vector<std::int64_t> order = truth;
            if (random() % 5 == 0) {
                const std::size_t at = random() % 3;
                std::swap(order[at], order[at + 1]);
            }
            item.ballots.push_back(ballot(careful, strict(order)));
        }
        std::vector<std::int64_t> shuffled = truth;
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        item.ballots.push_back(ballot(4, strict(shuffled)));
        item.ballots.push_back(ballot(5, strict({truth.rbegin(), truth.rend()})));
        items.push_back(std::move(item));
    }
    const std::vector<AnnotatorTrust> trust = estimateTrust(items);
    QCOMPARE(trust.size(), std::size_t{5});
    for (const AnnotatorTrust& entry : trust) {
        qInfo("annotator %lld: trust %.3f, agreement %.3f over %zu items",
              static_cast<long long>(entry.annotator_id), entry.trust, entry.agreement.value_or(-9),
              entry.compared);
        QCOMPARE(entry.items, std::size_t{60});
    }
    const double careless = trust[3].trust;
    const double malicious = trust[4].trust;
    for (int careful = 0; careful < 3; ++careful) {
        QVERIFY(trust[careful].trust > 0.7);
        QVERIFY(trust[careful].trust > careless);
    }
    QVERIFY(careless > malicious);
    QVERIFY(malicious < 0.05);
    // With trust weights the consensus is the truth on almost every item, reversed ballot or not.
    const TrustWeights weights = trustWeights(trust);
    int exact = 0;
    for (const RankingItem& item : items) {
        exact += rankedPairs(item, weights).tiers == strict(item.candidates) ? 1 : 0;
    }
    QVERIFY2(exact >= 57, qPrintable(QString::number(exact)));
}

void TestConsensus::meanTauToConsensus() {
    const RankingItem item{1, {1, 2, 3}, {ballot(1, strict({1, 2, 3})), ballot(2, strict({3, 2, 1}))}};
    const Consensus consensus{strict({1, 2, 3}), 0.0, 2};
    QCOMPARE(*vietllm::annotate::meanTauToConsensus(item, consensus), 0.0);
    QVERIFY(!vietllm::annotate::meanTauToConsensus(item, Consensus{}));
}

QTEST_GUILESS_MAIN(TestConsensus)
#include "tst_consensus.moc"
