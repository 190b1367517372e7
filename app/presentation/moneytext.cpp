#include "moneytext.h"

#include <QRegularExpression>

namespace waybill::app {

QString MoneyText::display(Cents cents, const QLocale &locale)
{
    const bool negative = cents < 0;
    const qint64 magnitude = negative ? -cents : cents;
    const QString number = locale.toString(magnitude / 100) + locale.decimalPoint()
        + QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    //: An amount of money in dollars; %1 is the number, e.g. 1,234.50
    const QString amount = tr("$%1").arg(number);
    return negative ? locale.negativeSign() + amount : amount;
}

std::optional<Cents> MoneyText::parse(const QString &input)
{
    // Whatever the locale, a '.' or ',' followed by one or two final digits is the decimal point,
    // and the other separators group thousands in threes: "1.234,5", "1,234.50" and "120.50"
    // typed on a Spanish desktop all mean what the clerk meant. A lone separator before three
    // digits ("1.234") could be either, so it is refused rather than guessed.
    static const QRegularExpression amount(
        QStringLiteral("^(\\d{1,3}(?:([.,])\\d{3})+|\\d*)(?:([.,])(\\d{1,2}))?$"));
    QString text = input.trimmed();
    text.remove(QLatin1Char('$'));
    for (const QChar grouping : { QChar(u' '), QChar(0x00A0), QChar(0x202F), QChar(u'\'') })
        text.remove(grouping);
    const QRegularExpressionMatch match = amount.match(text);
    if (!match.hasMatch() || text.isEmpty())
        return std::nullopt;
    QString whole = match.captured(1);
    const QString grouping = match.captured(2);
    const QString point = match.captured(3);
    const QString fraction = match.captured(4);
    if (whole.isEmpty() && fraction.isEmpty())
        return std::nullopt;
    if (!grouping.isEmpty() && grouping == point)
        return std::nullopt; // "1.234.56": no separator can be both
    if (!grouping.isEmpty() && point.isEmpty() && whole.count(grouping.at(0)) == 1)
        return std::nullopt; // "1.234": a thousand, or one dollar and a fraction?
    whole.remove(QLatin1Char('.'));
    whole.remove(QLatin1Char(','));
    if (whole.size() > 12)
        return std::nullopt;
    const Cents dollars = whole.isEmpty() ? 0 : whole.toLongLong();
    const Cents cents
        = fraction.isEmpty() ? 0 : fraction.leftJustified(2, QLatin1Char('0')).toLongLong();
    return dollars * 100 + cents;
}

} // namespace waybill::app
