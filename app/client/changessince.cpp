#include "changessince.h"

#include "apiclient.h"
#include "commandsender.h"
#include "domain/ids.h"
#include "models/recordrows.h"
#include "presentation/eventdescription.h"
#include "presentation/timetext.h"

#include <QPointer>

namespace waybill::app {

namespace {
constexpr int kMostChangesShown = 1000; // one page: more than anyone reads in a message
} // namespace

QString ChangesSince::entityName(CommandType type, const QString &entityId)
{
    switch (streamKindOf(type)) {
    case StreamKind::Account:
        return tr("account %1").arg(entityId);
    case StreamKind::Truck:
        return tr("truck %1").arg(entityId);
    case StreamKind::Shipment:
    case StreamKind::Unknown:
        break;
    }
    return tr("shipment %1").arg(entityId);
}

void ChangesSince::fetch(ApiClient *api, CommandType type, const QString &entityId, int seenVersion,
    QObject *context, std::function<void(const QStringList &)> done)
{
    // Versions run 1, 2, 3...: skipping seenVersion events starts right after the version seen.
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("offset"), QString::number(seenVersion));
    query.addQueryItem(QStringLiteral("limit"), QString::number(kMostChangesShown));
    api->get(ApiClient::pathOf(
                 { CommandRequest::collectionOf(type), entityId, QStringLiteral("events") }),
        query, context, [seenVersion, done = std::move(done)](const ApiResult &answer) {
            QStringList lines;
            if (answer.ok()) {
                for (const QJsonValue &value : answer.array()) {
                    const RecordedEvent e = eventFromJson(value.toObject());
                    if (e.version <= seenVersion)
                        continue;
                    //: One change made by someone else: when, who, what
                    lines.append(tr("%1, %2: %3")
                                     .arg(TimeText::display(e.timestamp), e.user,
                                         EventDescription::describe(e.type, e.data)));
                }
            }
            done(lines);
        });
}

void ChangesSince::tell(ApiClient *api, CommandType type, const QString &entityId, int seenVersion,
    std::optional<int> currentVersion, QObject *context, std::function<void(const QString &)> done)
{
    fetch(api, type, entityId, seenVersion, context,
        [type, entityId, seenVersion, currentVersion, done = std::move(done)](
            const QStringList &changes) {
            done(explain(type, entityId, seenVersion, currentVersion, changes));
        });
}

QString ChangesSince::explain(CommandType type, const QString &entityId, int seenVersion,
    std::optional<int> currentVersion, const QStringList &changes)
{
    const QString what = entityName(type, entityId);
    QString text = currentVersion
        ? tr("Someone else changed %1 first, so your change was not made (you saw version %2; "
             "it is now at version %3).")
              .arg(what)
              .arg(seenVersion)
              .arg(*currentVersion)
        : tr("Someone else changed %1 first, so your change was not made.").arg(what);
    if (!changes.isEmpty()) {
        text += QLatin1Char('\n') + tr("What changed:");
        for (const QString &line : changes)
            text += QStringLiteral("\n• ") + line;
    }
    text += QLatin1Char('\n')
        + tr("Check your change against theirs; sending it again applies it to the record as it "
             "is now.");
    return text;
}

} // namespace waybill::app
