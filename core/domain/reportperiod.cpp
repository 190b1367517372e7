#include "reportperiod.h"

#include "timeformat.h"

namespace waybill {

QDateTime weekStartOf(const QDateTime &time)
{
    const QDate day = time.toUTC().date();
    return QDateTime(day.addDays(1 - day.dayOfWeek()), QTime(0, 0), Qt::UTC);
}

ReportPeriod ReportPeriod::around(
    const QDateTime &asOf, const std::optional<QDateTime> &from, const std::optional<QDateTime> &to)
{
    ReportPeriod period;
    period.asOf = asOf.toUTC();
    if (to)
        period.to = to->toUTC();
    else if (from)
        period.to = std::max(weekStartOf(period.asOf).addDays(7), from->toUTC().addDays(7));
    else
        period.to = weekStartOf(period.asOf).addDays(7);
    period.from = from ? from->toUTC() : period.to.addDays(-7 * 12);
    return period;
}

bool ReportPeriod::counts(const QDateTime &time) const
{
    return time >= from && time < to && time <= asOf;
}

QDateTime ReportPeriod::knownUntil() const
{
    return std::min(to, asOf);
}

QVector<QDateTime> ReportPeriod::weeks() const
{
    QVector<QDateTime> mondays;
    for (QDateTime monday = weekStartOf(from); monday < to; monday = monday.addDays(7))
        mondays.append(monday);
    return mondays;
}

QJsonObject ReportPeriod::toJson() const
{
    return { { QStringLiteral("asOf"), toIsoUtc(asOf) }, { QStringLiteral("from"), toIsoUtc(from) },
        { QStringLiteral("to"), toIsoUtc(to) } };
}

qint64 basisPoints(qint64 part, qint64 whole)
{
    return (part * 20000 + whole) / (2 * whole);
}

double percentOf(qint64 basisPoints)
{
    return double(basisPoints) / 100;
}

} // namespace waybill
