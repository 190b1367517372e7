#include "refusaltext.h"

#include "statuspresentation.h"

#include <QRegularExpression>
#include <QVector>

namespace waybill::app {

namespace {
// A template's English text as a pattern: each %n matches any text, captured in the order it
// appears; which argument each capture is.
struct Pattern
{
    Refusal refusal;
    QRegularExpression regex;
    QVector<int> arguments;
};

const QVector<Pattern> &patterns()
{
    static const QVector<Pattern> all = [] {
        QVector<Pattern> list;
        static const QRegularExpression placeholder(QStringLiteral("%(\\d)"));
        for (int i = 0; i < kRefusalCount; ++i) {
            const Refusal refusal = Refusal(i);
            const QString text = QString::fromUtf8(refusalTemplate(refusal));
            Pattern pattern { refusal, {}, {} };
            QString expression = QStringLiteral("^");
            qsizetype at = 0;
            for (auto it = placeholder.globalMatch(text); it.hasNext();) {
                const QRegularExpressionMatch match = it.next();
                expression += QRegularExpression::escape(text.mid(at, match.capturedStart() - at))
                    + QStringLiteral("(.*?)");
                pattern.arguments.append(match.captured(1).toInt());
                at = match.capturedEnd();
            }
            expression += QRegularExpression::escape(text.mid(at)) + QStringLiteral("$");
            pattern.regex
                = QRegularExpression(expression, QRegularExpression::DotMatchesEverythingOption);
            list.append(pattern);
        }
        return list;
    }();
    return all;
}
} // namespace

std::optional<RefusalText::Reading> RefusalText::read(const QString &reason)
{
    if (reason.isEmpty())
        return std::nullopt;
    for (const Pattern &pattern : patterns()) {
        const QRegularExpressionMatch match = pattern.regex.match(reason);
        if (!match.hasMatch())
            continue;
        QStringList arguments(pattern.arguments.size());
        for (int i = 0; i < pattern.arguments.size(); ++i) {
            const int number = pattern.arguments.at(i);
            if (number >= 1 && number <= arguments.size())
                arguments[number - 1] = match.captured(i + 1);
        }
        return Reading { pattern.refusal, arguments };
    }
    return std::nullopt;
}

QString RefusalText::translated(const QString &reason)
{
    const std::optional<Reading> reading = read(reason);
    if (!reading)
        return reason;
    QStringList arguments = reading->arguments;
    for (QString &value : arguments) {
        if (StatusPresentation::statuses().contains(value))
            value = StatusPresentation::displayName(value);
    }
    return fillRefusal(
        QCoreApplication::translate(kRefusalContext, refusalTemplate(reading->refusal)), arguments);
}

} // namespace waybill::app
