// Tests of backend/annotate/agreement.h: Krippendorff's alpha against Krippendorff's own worked
// example, Kendall's tau-b and pairwise agreement against hand-computed cases.

#include "backend/annotate/agreement.h"

#include <QtTest>

#include <cmath>

using namespace vietllm::annotate;

namespace {

constexpr std::optional<double> kMissing = std::nullopt;

// Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers,
// 12 units, values 1..5 with missing values. One row per unit, one column per observer.
CodingMatrix krippendorffExample() {
    const std::vector<std::vector<std::optional<double>>> observers = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, kMissing, kMissing, kMissing},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, kMissing, 3},
        {kMissing, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, kMissing},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, kMissing},
    };
    CodingMatrix units(12, std::vector<std::optional<double>>(4));
    for (std::size_t observer = 0; observer < observers.size(); ++observer) {
        for (std::size_t unit = 0; unit < 12; ++unit) {
            units[unit][observer] = observers[observer][unit];
        }
    }
    return units;
}

bool near(std::optional<double> value, double expected, double tolerance = 5e-4) {
    return value && std::fabs(*value - expected) < tolerance;
}

}  // namespace

class TestAgreement : public QObject {
    Q_OBJECT

private slots:
    void alphaMatchesKrippendorffsWorkedExample();
    void alphaIsOneForPerfectAgreementAndUndefinedWithoutVariation();
    void alphaIgnoresUnitsWithOneValue();
    void alphaOfSystematicDisagreementIsNegative();
    void tauBCorrectsForTies();
    void tauBOfIdenticalAndReversedRankings();
    void tauBIsUndefinedWhenOneSideTiesEverything();
    void pairwiseAgreementCountsSameRelations();
    void placesFromTiers();
};

void TestAgreement::alphaMatchesKrippendorffsWorkedExample() {
    // Published values: nominal 0.743, ordinal 0.815, interval 0.849 (also recomputed with an
    // independent throwaway implementation of the coincidence-matrix formula: 0.7434, 0.8154, 0.8491).
    const CodingMatrix data = krippendorffExample();
    const std::optional<double> nominal = krippendorffAlpha(data, Measurement::Nominal);
    const std::optional<double> ordinal = krippendorffAlpha(data, Measurement::Ordinal);
    const std::optional<double> interval = krippendorffAlpha(data, Measurement::Interval);
    QVERIFY2(near(nominal, 0.7434), qPrintable(QString::number(nominal.value_or(-9))));
    QVERIFY2(near(ordinal, 0.8154), qPrintable(QString::number(ordinal.value_or(-9))));
    QVERIFY2(near(interval, 0.8491), qPrintable(QString::number(interval.value_or(-9))));
}

void TestAgreement::alphaIsOneForPerfectAgreementAndUndefinedWithoutVariation() {
    const CodingMatrix agree = {{1, 1, kMissing}, {0, 0, 0}, {1, kMissing, 1}};
    QVERIFY(near(krippendorffAlpha(agree, Measurement::Nominal), 1.0, 1e-12));
    const CodingMatrix constant = {{1, 1}, {1, 1}};
    QVERIFY(!krippendorffAlpha(constant, Measurement::Nominal));
    QVERIFY(!krippendorffAlpha({}, Measurement::Interval));
}

void TestAgreement::alphaIgnoresUnitsWithOneValue() {
    const CodingMatrix base = {{1, 1}, {0, 0}, {1, 0}};
    CodingMatrix padded = base;
    padded.push_back({5, kMissing});
    QCOMPARE(*krippendorffAlpha(padded, Measurement::Nominal),
             *krippendorffAlpha(base, Measurement::Nominal));
}

void TestAgreement::alphaOfSystematicDisagreementIsNegative() {
    const CodingMatrix data = {{0, 1}, {1, 0}, {0, 1}, {1, 0}};
    const std::optional<double> alpha = krippendorffAlpha(data, Measurement::Nominal);
    QVERIFY(alpha && *alpha < 0.0);
}

void TestAgreement::tauBCorrectsForTies() {
    // Items 1..4 at places a = (0, 1, 1, 2) and b = (0, 2, 1, 1). Pairs: (1,2) (1,3) (1,4)
    // concordant; (2,4) discordant; (2,3) tied in a; (3,4) tied in b. n0 = 6, so
    // tau-b = (3 − 1) / sqrt((6 − 1)(6 − 1)) = 0.4.
    const std::optional<double> tau = kendallTauB({0, 1, 1, 2}, {0, 2, 1, 1});
    QVERIFY(near(tau, 0.4, 1e-12));
}

void TestAgreement::tauBOfIdenticalAndReversedRankings() {
    QVERIFY(near(kendallTauB({0, 1, 2, 3}, {0, 1, 2, 3}), 1.0, 1e-12));
    QVERIFY(near(kendallTauB({0, 1, 2, 3}, {3, 2, 1, 0}), -1.0, 1e-12));
    // Ties on both sides in the same pair still give 1 when nothing else differs.
    QVERIFY(near(kendallTauB({0, 0, 1}, {0, 0, 1}), 1.0, 1e-12));
}

void TestAgreement::tauBIsUndefinedWhenOneSideTiesEverything() {
    QVERIFY(!kendallTauB({0, 0, 0}, {0, 1, 2}));
    QVERIFY(!kendallTauB({0}, {0}));
}

void TestAgreement::pairwiseAgreementCountsSameRelations() {
    // Same case as tauBCorrectsForTies: pairs (1,2), (1,3), (1,4) agree, the other three do not.
    QVERIFY(near(pairwiseAgreement({0, 1, 1, 2}, {0, 2, 1, 1}), 0.5, 1e-12));
    QVERIFY(near(pairwiseAgreement({0, 0}, {0, 0}), 1.0, 1e-12));
    QVERIFY(near(pairwiseAgreement({0, 1}, {1, 0}), 0.0, 1e-12));
    QVERIFY(!pairwiseAgreement({0}, {0}));
}

void TestAgreement::placesFromTiers() {
    const std::optional<Places> places = placesOf({10, 11, 12}, {{12}, {10, 11}});
    QVERIFY(places);
    QCOMPARE(*places, (Places{1, 1, 0}));
    QVERIFY(!placesOf({10, 11, 12}, {{12}, {10}}));
}

QTEST_GUILESS_MAIN(TestAgreement)
#include "tst_agreement.moc"
