// Sends commands (one POST per business event) and follows each one to its outcome, so that a
// command rejected after it was accepted is never silently lost.
#pragma once

#include "apiresult.h"
#include "domain/command.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QTimer>

#include <functional>

namespace waybill::app {

class ApiClient;
class LiveClient;

struct CommandRequest
{
    CommandRequest() = default;
    CommandRequest(CommandType type, QString entityId, QJsonObject body = {},
        std::optional<int> expectedVersion = std::nullopt)
        : type(type)
        , entityId(std::move(entityId))
        , body(std::move(body))
        , expectedVersion(expectedVersion)
    { }

    CommandType type = CommandType::Submit;
    QString entityId; // the shipment's, the account's or the truck's id
    QJsonObject body;
    // Sent as If-Match: the version of the stream the user saw; a stream that has moved on
    // since refuses the command (412) instead of applying it to something the user never saw.
    std::optional<int> expectedVersion;
    // Sent as Correlation-Id: the same for the commands of one action of the user (a move after
    // a breakdown), so that the history shows them as one. Empty: the command's own id.
    QString correlationId;

    // "/shipments/S-1/commands/assign"
    QString path() const;
    // Where the records that commands of this type change are: "shipments", "accounts", "trucks".
    static QString collectionOf(CommandType type);
    // "Assign shipment S-1 to truck T-7", in the user's language.
    QString description() const;
};

struct CommandResult
{
    enum class Outcome {
        Succeeded, // processed: the events are recorded
        Pending, // recorded, not processed yet; the outcome comes later
        Refused, // not recorded: invalid (fieldErrors) or illegal now (409 before acceptance)
        Rejected, // recorded, then refused when processed
        Failed // no usable answer; trying again is safe (same idempotency key)
    };
    Outcome outcome = Outcome::Failed;
    QString commandId;
    QString message; // for people, when it did not succeed
    QVector<FieldError> fieldErrors;
    QJsonArray events;
    // Refused because someone else changed the stream first (412): its version now.
    std::optional<int> currentVersion;
};

class CommandSender final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const CommandResult &)>;

    CommandSender(ApiClient *api, LiveClient *live, QObject *parent = nullptr);
    ~CommandSender() override;
    Q_DISABLE_COPY_MOVE(CommandSender)

    // Sends with Prefer: wait, so most answers carry the outcome. done runs unless context died.
    void send(const CommandRequest &request, QObject *context, Done done);
    // Sends a command that has no form (ship, release, back in service) and tells its outcome in
    // words, unless context died: told(true, text) when it is done or recorded; told(false, text)
    // when it is refused (with what someone else changed first, for an old version) or fails. A
    // rejection after acceptance is not told here: rejectedAfterAcceptance tells every one.
    using Told = std::function<void(bool succeeded, const QString &text)>;
    void sendAndTell(const CommandRequest &request, QObject *context, Told told);
    // The same, told through the view's own signals succeeded(text) and failed(text).
    template<typename View> void sendAndTell(const CommandRequest &request, View *view)
    {
        sendAndTell(request, view, [view](bool succeeded, const QString &text) {
            if (succeeded)
                Q_EMIT view->succeeded(text);
            else
                Q_EMIT view->failed(text);
        });
    }
    // "Ship shipment S-1: done." for a command processed, "…: recorded. …" for one still pending;
    // empty for any other outcome.
    static QString successText(const CommandResult &result, const QString &description);
    void setWaitSeconds(int seconds) { m_waitSeconds = seconds; }
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    // A command was accepted and later rejected (this user's or, seen on the live feed, anyone's).
    void rejectedAfterAcceptance(
        const QString &commandId, const QString &command, const QString &reason);
    // A command answered "pending" has since succeeded.
    void pendingSucceeded(const QString &commandId, const QString &command);

private:
    CommandResult interpret(const ApiResult &result) const;
    void track(const QString &commandId, const CommandRequest &request);
    void onOutcome(const QJsonObject &outcome);
    void settle(const QString &commandId, const QString &status, const QString &message,
        const QString &fallbackName);
    void pollPending();

    ApiClient *m_api;
    LiveClient *m_live;
    int m_waitSeconds = 5;
    QHash<QString, CommandRequest> m_pending; // commandId -> what it was
    QHash<QByteArray, QString> m_retryKeys; // request fingerprint -> idempotency key
    QSet<QString> m_settled; // outcomes already told, so never told twice
    QQueue<QString> m_settledOrder;
    QTimer m_poll;
};

} // namespace waybill::app
