#include "commandsender.h"

#include "apiclient.h"
#include "changessince.h"
#include "domain/ids.h"
#include "liveclient.h"
#include "presentation/commanddescription.h"
#include "presentation/refusaltext.h"

#include <QJsonDocument>
#include <QUuid>

namespace waybill::app {

namespace {
constexpr int kPollIntervalMs = 2000;
constexpr int kSettledMemory = 512;
} // namespace

QString CommandRequest::collectionOf(CommandType type)
{
    switch (streamKindOf(type)) {
    case StreamKind::Account:
        return QStringLiteral("accounts");
    case StreamKind::Truck:
        return QStringLiteral("trucks");
    case StreamKind::Shipment:
    case StreamKind::Unknown:
        break;
    }
    return QStringLiteral("shipments");
}

QString CommandRequest::path() const
{
    return ApiClient::pathOf(
        { collectionOf(type), entityId, QStringLiteral("commands"), commandTypeName(type) });
}

QString CommandRequest::description() const
{
    return CommandDescription::describe(type, entityId, body);
}

CommandSender::CommandSender(ApiClient *api, LiveClient *live, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_live(live)
{
    m_poll.setInterval(kPollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &CommandSender::pollPending);
    if (m_live) {
        connect(m_live, &LiveClient::commandFinished, this, &CommandSender::onOutcome);
        connect(m_live, &LiveClient::resynchronise, this, &CommandSender::pollPending);
    }
}

CommandSender::~CommandSender() = default;

QString CommandSender::successText(const CommandResult &result, const QString &description)
{
    switch (result.outcome) {
    case CommandResult::Outcome::Succeeded:
        return tr("%1: done.").arg(description);
    case CommandResult::Outcome::Pending:
        return tr("%1: recorded. Waybill tells you if it cannot be carried out.").arg(description);
    case CommandResult::Outcome::Refused:
    case CommandResult::Outcome::Rejected:
    case CommandResult::Outcome::Failed:
        break;
    }
    return {};
}

void CommandSender::sendAndTell(const CommandRequest &request, QObject *context, Told told)
{
    send(request, context, [this, request, context, told](const CommandResult &result) {
        const QString description = request.description();
        switch (result.outcome) {
        case CommandResult::Outcome::Succeeded:
        case CommandResult::Outcome::Pending:
            told(true, successText(result, description));
            return;
        case CommandResult::Outcome::Rejected:
            return; // rejectedAfterAcceptance tells every late rejection
        case CommandResult::Outcome::Refused:
            if (result.currentVersion && request.expectedVersion) {
                ChangesSince::tell(m_api, request.type, request.entityId, *request.expectedVersion,
                    result.currentVersion, context,
                    [told](const QString &text) { told(false, text); });
                return;
            }
            break;
        case CommandResult::Outcome::Failed:
            break;
        }
        told(false, tr("%1: %2").arg(description, result.message));
    });
}

void CommandSender::send(const CommandRequest &request, QObject *context, Done done)
{
    // The same request sent again after a failure without an answer reuses its key, so the
    // server runs it at most once; a new request (even an equal one later) is a new intent.
    const QByteArray fingerprint = request.path().toUtf8() + ' '
        + QJsonDocument(request.body).toJson(QJsonDocument::Compact) + ' '
        + (request.expectedVersion ? QByteArray::number(*request.expectedVersion) : QByteArray());
    QString key = m_retryKeys.value(fingerprint);
    if (key.isEmpty())
        key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    PostOptions options;
    options.waitSeconds = m_waitSeconds;
    options.idempotencyKey = key;
    options.ifMatch = request.expectedVersion;
    options.correlationId = request.correlationId;
    m_api->post(request.path(), request.body, options, this,
        [this, request, fingerprint, key, context = QPointer<QObject>(context),
            done = std::move(done)](const ApiResult &answer) {
            const CommandResult result = interpret(answer);
            if (result.outcome == CommandResult::Outcome::Failed)
                m_retryKeys.insert(fingerprint, key);
            else
                m_retryKeys.remove(fingerprint);
            if (result.outcome == CommandResult::Outcome::Pending)
                track(result.commandId, request);
            if (result.outcome == CommandResult::Outcome::Rejected)
                settle(result.commandId, QStringLiteral("rejected"), result.message,
                    request.description());
            else if (!result.commandId.isEmpty()
                && result.outcome == CommandResult::Outcome::Succeeded)
                settle(result.commandId, QStringLiteral("succeeded"), {}, {});
            if (context && done)
                done(result);
        });
}

CommandResult CommandSender::interpret(const ApiResult &answer) const
{
    CommandResult result;
    const QJsonObject object = answer.object();
    result.commandId = object.value(QLatin1String("commandId")).toString();
    const QString status = object.value(QLatin1String("status")).toString();
    if (answer.httpStatus == 200 && status == QLatin1String("succeeded")) {
        result.outcome = CommandResult::Outcome::Succeeded;
        result.events = object.value(QLatin1String("events")).toArray();
    } else if (answer.httpStatus == 202 || (answer.ok() && status == QLatin1String("pending"))) {
        result.outcome = CommandResult::Outcome::Pending;
    } else if (answer.httpStatus == 409 && status == QLatin1String("rejected")) {
        result.outcome = CommandResult::Outcome::Rejected;
        result.message = answer.serverMessage();
    } else if (answer.ok()) {
        result.outcome = CommandResult::Outcome::Succeeded;
    } else if (answer.httpStatus >= 400 && answer.httpStatus < 500 && answer.httpStatus != 408
        && answer.httpStatus != 429) {
        result.outcome = CommandResult::Outcome::Refused;
        result.message = answer.errorText;
        result.fieldErrors = answer.fieldErrors();
        result.currentVersion = answer.currentVersion();
    } else {
        result.outcome = CommandResult::Outcome::Failed;
        result.message = answer.errorText;
    }
    return result;
}

void CommandSender::track(const QString &commandId, const CommandRequest &request)
{
    if (commandId.isEmpty() || m_settled.contains(commandId))
        return;
    m_pending.insert(commandId, request);
    if (!m_poll.isActive())
        m_poll.start();
}

void CommandSender::onOutcome(const QJsonObject &outcome)
{
    // The contract's live message names the command only by id; a server that also says its
    // type and stream lets a stranger's rejected command be named too.
    QString name;
    CommandType type;
    if (commandTypeFromName(outcome.value(QLatin1String("type")).toString(), &type))
        name = CommandDescription::describe(
            type, entityIdOfStream(outcome.value(QLatin1String("streamId")).toString()), {});
    settle(outcome.value(QLatin1String("commandId")).toString(),
        outcome.value(QLatin1String("status")).toString(),
        RefusalText::translated(outcome.value(QLatin1String("message")).toString()), name);
}

void CommandSender::settle(const QString &commandId, const QString &status, const QString &message,
    const QString &fallbackName)
{
    if (commandId.isEmpty() || status == QLatin1String("pending") || m_settled.contains(commandId))
        return;
    m_settled.insert(commandId);
    m_settledOrder.enqueue(commandId);
    while (m_settledOrder.size() > kSettledMemory)
        m_settled.remove(m_settledOrder.dequeue());

    const auto mine = m_pending.constFind(commandId);
    const bool wasPending = mine != m_pending.constEnd();
    const QString name = wasPending ? mine->description() : fallbackName;
    m_pending.remove(commandId);
    if (m_pending.isEmpty())
        m_poll.stop();

    if (status == QLatin1String("rejected"))
        Q_EMIT rejectedAfterAcceptance(commandId, name, message);
    else if (status == QLatin1String("succeeded") && wasPending)
        Q_EMIT pendingSucceeded(commandId, name);
}

void CommandSender::pollPending()
{
    // The live feed brings outcomes as they happen; asking is the fallback while it is down.
    if (m_live && m_live->isConnected() && sender() == &m_poll)
        return;
    const QStringList ids = m_pending.keys();
    for (const QString &id : ids) {
        m_api->get(ApiClient::pathOf({ QStringLiteral("commands"), id }), {}, this,
            [this, id](const ApiResult &answer) {
                if (!answer.ok())
                    return; // still unknown: asked again on the next tick
                const QJsonObject object = answer.object();
                settle(id, object.value(QLatin1String("status")).toString(),
                    RefusalText::translated(object.value(QLatin1String("message")).toString()), {});
            });
    }
}

} // namespace waybill::app
