// Golden vectors of pricing: weight x cents per pound, taken to the hundredth of a pound, rounded
// half up to the cent, then raised to the minimum charge. The reference's 28 cents per pound can
// never make a half cent (28 x hundredths is a multiple of 4, never 50 mod 100), so the rounding
// rule is pinned down with other rates: half cents that round up from an even and from an odd
// cent (half up, not half to even, not half down), and amounts just either side of a half.
#include "domain/pricing.h"

#include <QTest>

using namespace waybill;

class TestPricingVectors final : public QObject
{
    Q_OBJECT
private slots:
    void linehaulIsRoundedHalfUpToTheCent_data();
    void linehaulIsRoundedHalfUpToTheCent();
    void minimumChargeRaisesOnlySmallerAmounts_data();
    void minimumChargeRaisesOnlySmallerAmounts();
};

void TestPricingVectors::linehaulIsRoundedHalfUpToTheCent_data()
{
    QTest::addColumn<qint64>("centsPerPound");
    QTest::addColumn<double>("weight");
    QTest::addColumn<qint64>("expectedCents");
    // The exact amount in hundredths of a cent is in each row's name.
    QTest::newRow("25.50 rounds up to 26 (half to even would agree; half down would not)")
        << qint64(25) << 1.02 << qint64(26);
    QTest::newRow("26.50 rounds up to 27 (half to even would give 26)")
        << qint64(25) << 1.06 << qint64(27);
    QTest::newRow("27.50 rounds up to 28") << qint64(25) << 1.10 << qint64(28);
    QTest::newRow("50.50 rounds up to 51") << qint64(50) << 1.01 << qint64(51);
    QTest::newRow("76.50 rounds up to 77") << qint64(75) << 1.02 << qint64(77);
    QTest::newRow("31.50 rounds up to 32") << qint64(30) << 1.05 << qint64(32);
    QTest::newRow("25.25 rounds down to 25") << qint64(25) << 1.01 << qint64(25);
    QTest::newRow("25.75 rounds up to 26") << qint64(25) << 1.03 << qint64(26);
    QTest::newRow("49.49 rounds down to 49") << qint64(49) << 1.01 << qint64(49);
    QTest::newRow("51.51 rounds up to 52") << qint64(51) << 1.01 << qint64(52);
    QTest::newRow("1999999.50 at 79999.98 lb rounds up to 2000000")
        << qint64(25) << 79999.98 << qint64(2000000);
    QTest::newRow("the reference: 10 lb at 28 cents is 280") << qint64(28) << 10.0 << qint64(280);
    QTest::newRow("the reference: 80000 lb at 28 cents is 2240000")
        << qint64(28) << 80000.0 << qint64(2240000);
    QTest::newRow("the reference: 1.01 lb at 28 cents is 28.28, so 28")
        << qint64(28) << 1.01 << qint64(28);
    QTest::newRow("the reference: 1.02 lb at 28 cents is 28.56, so 29")
        << qint64(28) << 1.02 << qint64(29);
}

void TestPricingVectors::linehaulIsRoundedHalfUpToTheCent()
{
    QFETCH(qint64, centsPerPound);
    QFETCH(double, weight);
    QFETCH(qint64, expectedCents);
    const Lane lane { QStringLiteral("*"), QStringLiteral("*"), centsPerPound, 0 };
    QCOMPARE(lane.linehaul(weight), expectedCents);
}

void TestPricingVectors::minimumChargeRaisesOnlySmallerAmounts_data()
{
    QTest::addColumn<double>("weight");
    QTest::addColumn<qint64>("expectedCents");
    // 25 cents per pound, a minimum of 7500 cents.
    QTest::newRow("below the minimum: 25.50 is raised to 7500") << 1.02 << qint64(7500);
    QTest::newRow("just below it: 7499.25 rounds down to 7499, raised to 7500")
        << 299.97 << qint64(7500);
    QTest::newRow("at the minimum after rounding: 7499.50 rounds up to 7500")
        << 299.98 << qint64(7500);
    QTest::newRow("above the minimum: 7500.25 is 7500") << 300.01 << qint64(7500);
    QTest::newRow("above the minimum: 7500.75 is 7501") << 300.03 << qint64(7501);
}

void TestPricingVectors::minimumChargeRaisesOnlySmallerAmounts()
{
    QFETCH(double, weight);
    QFETCH(qint64, expectedCents);
    const Lane lane { QStringLiteral("*"), QStringLiteral("*"), 25, 7500 };
    QCOMPARE(lane.linehaul(weight), expectedCents);
}

QTEST_GUILESS_MAIN(TestPricingVectors)
#include "tst_pricingvectors.moc"
