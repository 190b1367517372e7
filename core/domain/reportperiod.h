// The span a management report covers (revenue, on-time delivery, truck utilisation) and the
// UTC weeks, starting on Monday, that it is cut into.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QVector>

namespace waybill {

// Monday 00:00:00.000 UTC of the week that holds time.
QDateTime weekStartOf(const QDateTime &time);

struct ReportPeriod
{
    // The history as it stood at asOf: only events stamped at or before it count.
    QDateTime asOf;
    // The span the report covers, [from, to).
    QDateTime from;
    QDateTime to;

    // The longest span a report may cover (ten years): past it a report would be mostly empty
    // weeks, and one request's work must stay small.
    static constexpr int kMaxWeeks = 520;
    // The period when from or to (or both) are not given: to is the end of asOf's week, from is
    // twelve weeks before to.
    static ReportPeriod around(const QDateTime &asOf, const std::optional<QDateTime> &from,
        const std::optional<QDateTime> &to);

    // Whether an event stamped at time counts: within [from, to) and not after asOf.
    bool counts(const QDateTime &time) const;
    // The end of what is known of the period: to, or asOf when it comes first.
    QDateTime knownUntil() const;
    // The Mondays of the weeks that overlap [from, to), oldest first.
    QVector<QDateTime> weeks() const;
    // {"asOf", "from", "to"}
    QJsonObject toJson() const;
};

// part out of whole in hundredths of a percent, rounded half up; whole must be positive.
qint64 basisPoints(qint64 part, qint64 whole);
// Hundredths of a percent as the JSON number of percent (3750 -> 37.5).
double percentOf(qint64 basisPoints);

} // namespace waybill
