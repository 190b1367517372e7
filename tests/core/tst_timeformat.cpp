// Times are written in one ISO-8601 form, UTC with milliseconds: toIsoUtc formats them by hand,
// and must write exactly what Qt's own ISO form writes for every time it can hold in four digits.
#include "domain/timeformat.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QtTest>

using namespace waybill;

namespace {

QString qtsIsoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

class TestTimeFormat final : public QObject
{
    Q_OBJECT

private slots:
    void everyEdgeOfTheCalendarIsWrittenAsQtWritesIt();
    void randomTimesFromYearOneTo9999AreWrittenAsQtWritesThem();
    void aTimeInAnotherZoneIsWrittenInUtc();
    void yearsBeyondFourDigitsAndInvalidTimesKeepTheirForm();
    void writtenTimesReadBackAsTheSameInstant();
};

void TestTimeFormat::everyEdgeOfTheCalendarIsWrittenAsQtWritesIt()
{
    // Leap days of the century rules, the turns of years, months and days, the epoch and the
    // ends of the range.
    const QList<QDate> dates { QDate(1, 1, 1), QDate(1, 12, 31), QDate(4, 2, 29), QDate(100, 2, 28),
        QDate(100, 3, 1), QDate(400, 2, 29), QDate(1582, 10, 15), QDate(1899, 12, 31),
        QDate(1900, 2, 28), QDate(1900, 3, 1), QDate(1969, 12, 31), QDate(1970, 1, 1),
        QDate(2000, 2, 29), QDate(2000, 12, 31), QDate(2024, 2, 29), QDate(2026, 12, 6),
        QDate(2100, 2, 28), QDate(2100, 3, 1), QDate(9999, 12, 31) };
    const QList<QTime> times { QTime(0, 0, 0, 0), QTime(0, 0, 0, 1), QTime(12, 34, 56, 789),
        QTime(23, 59, 59, 999) };
    for (const QDate &date : dates) {
        QVERIFY(date.isValid());
        for (const QTime &time : times) {
            const QDateTime at(date, time, QTimeZone::utc());
            QCOMPARE(toIsoUtc(at), qtsIsoUtc(at));
        }
    }
}

void TestTimeFormat::randomTimesFromYearOneTo9999AreWrittenAsQtWritesThem()
{
    const qint64 first
        = QDateTime(QDate(1, 1, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    const qint64 last = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), QTimeZone::utc())
                            .toMSecsSinceEpoch();
    QRandomGenerator random(20261203);
    for (int i = 0; i < 200'000; ++i) {
        const qint64 ms = first + qint64(random.bounded(quint64(last - first + 1)));
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
        const QString written = toIsoUtc(at);
        if (written != qtsIsoUtc(at))
            QFAIL(qPrintable(
                QStringLiteral("%1 ms: %2, Qt writes %3").arg(ms).arg(written, qtsIsoUtc(at))));
    }
}

void TestTimeFormat::aTimeInAnotherZoneIsWrittenInUtc()
{
    const QDateTime chicago(
        QDate(2026, 3, 8), QTime(1, 59, 59, 999), QTimeZone(QByteArrayLiteral("America/Chicago")));
    QCOMPARE(toIsoUtc(chicago), QStringLiteral("2026-03-08T07:59:59.999Z"));
    const QDateTime ahead(QDate(2026, 1, 1), QTime(0, 30), QTimeZone(5 * 3600 + 30 * 60));
    QCOMPARE(toIsoUtc(ahead), QStringLiteral("2025-12-31T19:00:00.000Z"));
}

void TestTimeFormat::yearsBeyondFourDigitsAndInvalidTimesKeepTheirForm()
{
    QCOMPARE(toIsoUtc(QDateTime()), QString());
    QCOMPARE(toIsoUtc(QDateTime(QDate(10000, 1, 1), QTime(0, 0), QTimeZone::utc())),
        QStringLiteral("10000-01-01T00:00:00.000Z"));
    QCOMPARE(toIsoUtc(QDateTime(QDate(-1, 12, 31), QTime(23, 59, 59, 999), QTimeZone::utc())),
        QStringLiteral("-001-12-31T23:59:59.999Z"));
}

void TestTimeFormat::writtenTimesReadBackAsTheSameInstant()
{
    QRandomGenerator random(7);
    for (int i = 0; i < 10'000; ++i) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(
            qint64(random.bounded(quint64(4'102'444'800'000))), QTimeZone::utc());
        const std::optional<QDateTime> read = parseIsoUtc(toIsoUtc(at));
        QVERIFY(read);
        QCOMPARE(read->toMSecsSinceEpoch(), at.toMSecsSinceEpoch());
    }
}

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_timeformat.moc"
