#include "timetext.h"

#include "domain/timeformat.h"

namespace waybill::app {

QString TimeText::display(const QString &isoUtc, const QLocale &locale)
{
    if (isoUtc.isEmpty())
        return {};
    const std::optional<QDateTime> time = parseIsoUtc(isoUtc);
    return time ? display(*time, locale) : isoUtc;
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

} // namespace waybill::app
