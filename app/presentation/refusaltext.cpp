#include "refusaltext.h"

#include "statuspresentation.h"

#include <QRegularExpression>
#include <QStringList>
#include <QVector>

namespace waybill::app {

namespace {
// Every reason core/domain's reducers give, word for word, kept in step with them by hand: a reason
// missing here is shown in English (tests/app/tst_translations.cpp drives the reducers for some).
const char *const kContext = "waybill::app::RefusalText";
const char *const kReasons[] = {
    // Shipments.
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Account %1 is not registered; open it before billing shipments to it."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Account %1 is on hold (%2); it takes no new charges until it is released."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 would take account %2's exposure to %3, past its credit limit of %4."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 would load truck %2 to %3, past its capacity of %4."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Shipment %1 already exists (it is %2)."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Shipment %1 does not exist; submit it first."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; a truck can be assigned only while it is Submitted or Assigned."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Shipment %1 is already assigned to truck %2."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Truck %1 is not registered; register it before assigning loads to it."),
    QT_TRANSLATE_NOOP(
        "waybill::app::RefusalText", "Truck %1 is out of service (%2); assign another truck."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; only an Assigned shipment can be shipped."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; only a Shipped shipment can be delivered."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; only a Submitted or Assigned shipment can be cancelled."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; only a Submitted or Assigned shipment can be amended."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "The amendment changes nothing: shipment %1 already has those values."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1's delivery window would end before its pickup window starts."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is %2; only a Submitted, Assigned or Shipped shipment can be rescheduled."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Shipment %1 is Shipped; its pickup window can no longer change."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "The new schedule changes nothing: shipment %1 already has those windows."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "A %1 command does not apply to a shipment."),
    // Trucks.
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Truck %1 is registered already."),
    QT_TRANSLATE_NOOP(
        "waybill::app::RefusalText", "Truck %1 is not registered; register it first."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Truck %1 is out of service already (%2)."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Truck %1 is not out of service."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "A %1 command does not apply to a truck."),
    // Accounts.
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Account %1 is not open; open it first."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "Account %1 is not registered; open it before recording money on it."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "A payment must be a positive amount."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "An invoice must name its shipment."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "An invoice cannot be negative."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Account %1 is open already (as %2)."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText",
        "The update changes nothing: account %1 already has those values."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Account %1 is on hold already (%2)."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "Account %1 is not on hold."),
    QT_TRANSLATE_NOOP(
        "waybill::app::RefusalText", "No payment on account %1 was recorded by command %2."),
    QT_TRANSLATE_NOOP(
        "waybill::app::RefusalText", "The payment recorded by command %1 is reversed already."),
    QT_TRANSLATE_NOOP(
        "waybill::app::RefusalText", "Account %1 has no history to credit; open it first."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "A credit must be a positive amount."),
    QT_TRANSLATE_NOOP("waybill::app::RefusalText", "A %1 command does not apply to an account."),
};

// A reason's English text as a pattern: each %n matches any text, captured in the order it
// appears; which argument each capture is.
struct Pattern
{
    const char *source;
    QRegularExpression regex;
    QVector<int> arguments;
};

const QVector<Pattern> &patterns()
{
    static const QVector<Pattern> all = [] {
        QVector<Pattern> list;
        static const QRegularExpression placeholder(QStringLiteral("%(\\d)"));
        for (const char *source : kReasons) {
            const QString text = QString::fromUtf8(source);
            Pattern pattern { source, {}, {} };
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

QString RefusalText::translated(const QString &reason)
{
    if (reason.isEmpty())
        return reason;
    for (const Pattern &pattern : patterns()) {
        const QRegularExpressionMatch match = pattern.regex.match(reason);
        if (!match.hasMatch())
            continue;
        QStringList arguments(pattern.arguments.size());
        for (int i = 0; i < pattern.arguments.size(); ++i) {
            const QString value = match.captured(i + 1);
            const int number = pattern.arguments.at(i);
            if (number >= 1 && number <= arguments.size())
                arguments[number - 1] = StatusPresentation::statuses().contains(value)
                    ? StatusPresentation::displayName(value)
                    : value;
        }
        const QString text = QCoreApplication::translate(kContext, pattern.source);
        // All at once, so that an argument holding "%2" (a free-text reason) stays as typed.
        switch (arguments.size()) {
        case 0:
            return text;
        case 1:
            return text.arg(arguments.at(0));
        case 2:
            return text.arg(arguments.at(0), arguments.at(1));
        case 3:
            return text.arg(arguments.at(0), arguments.at(1), arguments.at(2));
        default:
            return text.arg(arguments.at(0), arguments.at(1), arguments.at(2), arguments.at(3));
        }
    }
    return reason;
}

} // namespace waybill::app
