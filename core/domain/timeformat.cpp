#include "timeformat.h"

#include <QTimeZone>

#include <cstdio>

namespace waybill {

namespace {

// The same text through the C library, for the years the fast path below leaves out.
QString formatted(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec());
    return QString::fromLatin1(buffer, n);
}

void putDigits(char16_t *at, unsigned value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        at[i] = char16_t(u'0' + value % 10);
        value /= 10;
    }
}

} // namespace

QString toIsoUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // Formatted by hand from the milliseconds since the epoch: this is on the path of every
    // event, state row and command, and QDateTime::toUTC, date(), time() and snprintf cost
    // about 4,000 instructions a time where this costs about a hundred.
    constexpr qint64 kMsPerDay = 86'400'000;
    const qint64 ms = time.toMSecsSinceEpoch();
    qint64 days = ms / kMsPerDay;
    qint64 msOfDay = ms % kMsPerDay;
    if (msOfDay < 0) {
        msOfDay += kMsPerDay;
        --days;
    }
    // Days since 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's civil_from_days),
    // counted from 0000-03-01 so that a leap day is a year's last.
    days += 719'468;
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const auto dayOfEra = static_cast<unsigned>(days - era * 146'097);
    const unsigned yearOfEra
        = (dayOfEra - dayOfEra / 1'460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned monthFromMarch = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    const unsigned month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    const qint64 year = qint64(yearOfEra) + era * 400 + (month <= 2 ? 1 : 0);
    // Four digits only; Qt has no year 0, and years before 1 or after 9999 are rare enough for
    // the slow way.
    if (year < 1 || year > 9999)
        return formatted(time);

    QString text(24, Qt::Uninitialized);
    auto *out = reinterpret_cast<char16_t *>(text.data());
    const auto ofDay = static_cast<unsigned>(msOfDay);
    putDigits(out, static_cast<unsigned>(year), 4);
    out[4] = u'-';
    putDigits(out + 5, month, 2);
    out[7] = u'-';
    putDigits(out + 8, day, 2);
    out[10] = u'T';
    putDigits(out + 11, ofDay / 3'600'000, 2);
    out[13] = u':';
    putDigits(out + 14, ofDay / 60'000 % 60, 2);
    out[16] = u':';
    putDigits(out + 17, ofDay / 1'000 % 60, 2);
    out[19] = u'.';
    putDigits(out + 20, ofDay % 1'000, 3);
    out[23] = u'Z';
    return text;
}

std::optional<QDateTime> parseIsoUtc(const QString &text)
{
    if (text.size() < 10 || !text.at(0).isDigit())
        return std::nullopt;
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    // A time without a zone is taken as UTC: Waybill speaks UTC only.
    if (parsed.timeSpec() == Qt::LocalTime)
        parsed.setTimeZone(QTimeZone::utc());
    return parsed.toUTC();
}

} // namespace waybill
