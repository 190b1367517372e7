#include "timetext.h"

#include "domain/timeformat.h"

#include <QFontMetrics>
#include <QHash>
#include <QRegularExpression>

namespace waybill::app {

namespace {
// The locale's short date without its year: "M/d/yy" -> "M/d", "yyyy-MM-dd" -> "MM-dd".
QString dayMonthFormatOf(const QLocale &locale)
{
    static const QRegularExpression year(QStringLiteral("[^dMy]*y+[^dMy]*"));
    QString format = locale.dateFormat(QLocale::ShortFormat);
    const QRegularExpressionMatch match = year.match(format);
    if (!match.hasMatch())
        return format;
    const bool inside = match.capturedStart() > 0 && match.capturedEnd() < format.size();
    // Between the day and the month ("d. y. M"), one separator stays.
    format.replace(match.capturedStart(), match.capturedLength(),
        inside ? match.captured().left(match.captured().indexOf(QLatin1Char('y'))) : QString());
    return format;
}

// The same, worked out once per locale: a table paints it for every window cell.
QString dayMonthFormat(const QLocale &locale)
{
    thread_local QHash<QString, QString> formats;
    const QString name = locale.name();
    auto found = formats.constFind(name);
    if (found == formats.constEnd())
        found = formats.insert(name, dayMonthFormatOf(locale));
    return *found;
}
} // namespace

QString TimeText::display(const QString &isoUtc, const QLocale &locale)
{
    if (isoUtc.isEmpty())
        return {};
    const std::optional<QDateTime> time = parseIsoUtc(isoUtc);
    return time ? display(*time, locale) : isoUtc;
}

int TimeText::columnWidth(const QFontMetrics &metrics, const QLocale &locale)
{
    // In the computer's time zone, so that the hour shown has two digits.
    const QString longest = display(QDateTime(QDate(2026, 12, 28), QTime(22, 58, 58)), locale);
    return metrics.horizontalAdvance(longest) + 2 * metrics.averageCharWidth() + 8;
}

QString TimeText::display(const QDateTime &time, const QLocale &locale)
{
    if (!time.isValid())
        return {};
    // The short date and the time to the second (events often come seconds apart), without
    // the time zone the long format would add.
    QString timeFormat = locale.timeFormat(QLocale::LongFormat);
    timeFormat.remove(QLatin1String("(t)"));
    timeFormat.remove(QLatin1Char('t'));
    const QDateTime local = time.toLocalTime();
    return locale.toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ')
        + locale.toString(local.time(), timeFormat.trimmed());
}

QString TimeText::window(
    const std::optional<TimeWindow> &window, const QLocale &locale, const QDate &today)
{
    if (!window)
        return {};
    const QDateTime from = window->from.toLocalTime();
    const QDateTime to = window->to.toLocalTime();
    const QString dayMonth = dayMonthFormat(locale);
    auto day = [&](const QDate &date) {
        return locale.toString(date, QStringLiteral("ddd "))
            + (date.year() == today.year() ? locale.toString(date, dayMonth)
                                           : locale.toString(date, QLocale::ShortFormat));
    };
    const QString start = locale.toString(from.time(), QLocale::ShortFormat);
    const QString end = locale.toString(to.time(), QLocale::ShortFormat);
    if (from.date() == to.date())
        return tr("%1 %2–%3", "day, start time, end time").arg(day(from.date()), start, end);
    return tr("%1 %2 – %3 %4", "start day and time, end day and time")
        .arg(day(from.date()), start, day(to.date()), end);
}

} // namespace waybill::app
