#include "commandroutes.h"

#include "domain/ids.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace waybill::api {

namespace {

constexpr int kMaxWaitSeconds = 30;
constexpr int kMaxIdempotencyKeyLength = 255;
constexpr int kMaxVersionDigits = 9;

// Messages in the context "waybill::api"; a class, so that lupdate files them under that context
// too (it files a free tr() under whatever scope encloses the call).
struct ApiText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

bool isValidIdempotencyKey(const QByteArray &key)
{
    if (key.isEmpty() || key.size() > kMaxIdempotencyKeyLength)
        return false;
    for (const char c : key) {
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

http::HeaderList locationOf(const QString &commandId)
{
    return { { QByteArrayLiteral("Location"),
        QByteArrayLiteral("/commands/") + commandId.toUtf8() } };
}

void answerPending(
    const http::ReplyPtr &reply, const QString &commandId, http::HeaderList headers = {})
{
    headers += locationOf(commandId);
    reply->sendJson(202,
        QJsonObject { { QStringLiteral("commandId"), commandId },
            { QStringLiteral("status"), QStringLiteral("pending") } },
        headers);
}

// The command is recorded (now, or by an earlier request with the same idempotency key).
void answerRecorded(
    ApiContext &context, const http::ReplyPtr &reply, const QString &commandId, int waitSeconds)
{
    if (waitSeconds <= 0) {
        answerPending(reply, commandId);
        return;
    }
    // Registered before looking at the database: an outcome that lands between the two is
    // seen by one or the other, never missed.
    context.waiters.add(commandId, reply, waitSeconds * 1000);
    Database &database = context.database;
    CommandWaiters &waiters = context.waiters;
    context.workers.run(
        [&database, commandId] { return CommandStore::outcome(database.connection(), commandId); },
        [&waiters](const WorkResult<std::optional<CommandOutcome>> &result) {
            if (result.value && *result.value)
                waiters.resolve(**result.value);
        });
}

struct Precheck
{
    std::optional<IdempotentMatch> earlier; // a command recorded with this idempotency key
    QString rejection; // the reducer's refusal against the current state
    std::optional<int> currentVersion; // set when If-Match named another version (412)
};

// On a worker thread (it reads the database). With a token's public id, its rows too, read with
// the states.
Precheck precheck(Engine &engine, const Command &command, const QString &idempotencyKey,
    const QString &tokenSalt, QVector<TokenTable::TokenRow> *tokens)
{
    Precheck p;
    const QSqlDatabase db = engine.database().connection();
    if (!idempotencyKey.isEmpty()) {
        p.earlier = CommandStore::findByIdempotencyKey(db, command.user, idempotencyKey);
        if (p.earlier)
            return p;
    }
    const PrecheckAnswer answer = engine.precheck(command, tokenSalt, tokens);
    p.rejection = answer.rejection;
    p.currentVersion = answer.currentVersion;
    // The first request with this key may have been recorded and processed meanwhile (which is
    // why this one now looks illegal): it answers for both.
    if (!p.rejection.isEmpty() && !idempotencyKey.isEmpty())
        p.earlier = CommandStore::findByIdempotencyKey(db, command.user, idempotencyKey);
    return p;
}

void answerPrecheck(ApiContext &context, const http::ReplyPtr &reply, const Precheck &p,
    const QString &hash, int waitSeconds)
{
    if (p.earlier) {
        if (p.earlier->requestHash != hash) {
            reply->sendError(422, ApiText::tr("This Idempotency-Key was used for another request"));
            return;
        }
        answerRecorded(context, reply, p.earlier->commandId, waitSeconds);
        return;
    }
    context.metrics.commandRejectedAtPrecheck();
    if (p.currentVersion) {
        reply->sendJson(412,
            QJsonObject { { QStringLiteral("error"), QStringLiteral("Precondition Failed") },
                { QStringLiteral("message"), p.rejection },
                { QStringLiteral("currentVersion"), *p.currentVersion } },
            { { QByteArrayLiteral("ETag"),
                QByteArrayLiteral("\"") + QByteArray::number(*p.currentVersion) + '"' } });
        return;
    }
    reply->sendJson(409,
        QJsonObject { { QStringLiteral("error"), QStringLiteral("Conflict") },
            { QStringLiteral("message"), p.rejection } });
}

void answerAccepted(ApiContext &context, const http::ReplyPtr &reply, const AcceptResult &accepted,
    qint64 started, int waitSeconds)
{
    switch (accepted.status) {
    case AcceptResult::Status::Accepted:
        context.metrics.commandAccepted(accepted.commandId, started);
        answerRecorded(context, reply, accepted.commandId, waitSeconds);
        return;
    case AcceptResult::Status::Duplicate:
        answerRecorded(context, reply, accepted.commandId, waitSeconds);
        return;
    case AcceptResult::Status::KeyReused:
        reply->sendError(422, ApiText::tr("This Idempotency-Key was used for another request"));
        return;
    case AcceptResult::Status::Failed:
        // The store's reason may quote SQL: it goes to the log, never to the client.
        qCWarning(lcApi).noquote() << QStringLiteral("command not recorded path=%1: %2")
                                          .arg(reply->path(), accepted.error);
        reply->sendError(503,
            ApiText::tr("The command was not recorded (the database could not answer); it may "
                        "be sent again"),
            { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } });
        return;
    }
}

} // namespace

QString requestHash(CommandType type, const QString &streamId, const QJsonObject &body,
    std::optional<int> expectedVersion)
{
    QByteArray text = commandTypeName(type).toUtf8() + ' ' + streamId.toUtf8() + ' '
        + QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (expectedVersion)
        text += ' ' + QByteArray::number(*expectedVersion);
    return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
}

std::optional<int> expectedVersionOf(const ApiRequest &request, bool *ok)
{
    *ok = true;
    if (!request.hasHeader("if-match"))
        return std::nullopt;
    QByteArray value = request.header("if-match");
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool digits = !value.isEmpty() && value.size() <= kMaxVersionDigits;
    for (const char c : value)
        digits = digits && c >= '0' && c <= '9';
    if (!digits) {
        *ok = false;
        return std::nullopt;
    }
    return value.toInt();
}

int preferredWaitSeconds(const ApiRequest &request)
{
    int wait = 0;
    for (const auto &h : request.headers) {
        if (h.first.compare("prefer", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &preference : h.second.split(',')) {
            const QByteArray token = preference.split(';').first().trimmed();
            const qsizetype equals = token.indexOf('=');
            if (equals < 0 || token.left(equals).trimmed().toLower() != "wait")
                continue;
            QByteArray value = token.mid(equals + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            bool digits = !value.isEmpty() && value.size() <= 9;
            for (const char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (digits)
                wait = qMin(value.toInt(), kMaxWaitSeconds);
        }
    }
    return wait;
}

void answerWithOutcome(
    const http::ReplyPtr &reply, const QString &commandId, const CommandOutcome *outcome)
{
    if (!outcome || outcome->status == CommandStatus::Pending) {
        answerPending(reply, commandId);
        return;
    }
    if (outcome->status == CommandStatus::Succeeded) {
        reply->sendJson(200, outcome->toJson(), locationOf(commandId));
        return;
    }
    QJsonObject body = outcome->toJson();
    body.insert(QStringLiteral("error"), QStringLiteral("Conflict"));
    reply->sendJson(409, body, locationOf(commandId));
}

void runCommand(ApiContext &context, const ApiRequest &request, CommandType type)
{
    const StreamKind kind = streamKindOf(type);
    const QString entityId = request.params.value(0);
    ValidationErrors errors;
    if (!isValidId(entityId))
        errors.append(pathIdError(kind));
    // The body's text goes along: money is read from its digits, never from a double.
    CommandBody commandBody;
    QJsonObject data;
    const ValidationErrors parseErrors = parseCommandBody(request.body, &commandBody);
    errors += parseErrors.isEmpty() ? validateCommandBody(type, commandBody, &data) : parseErrors;
    // An accessorial this server's rate table does not have is a bad body, as the contract says.
    if (errors.isEmpty() && (type == CommandType::Submit || type == CommandType::Amend))
        errors += validateAccessorials(data, context.engine.options().rates);
    const QJsonObject &body = commandBody.object;
    const bool keyed = request.hasHeader("idempotency-key");
    const QByteArray key = request.header("idempotency-key");
    if (keyed && !isValidIdempotencyKey(key))
        errors.append({ QJsonArray {},
            ApiText::tr(
                "The Idempotency-Key header must be 1 to 255 printable ASCII characters") });
    const bool correlated = request.hasHeader("correlation-id");
    const QString correlationId = QString::fromLatin1(request.header("correlation-id"));
    if (correlated && !isValidId(correlationId))
        errors.append({ QJsonArray {},
            ApiText::tr("The Correlation-Id header must be 1 to 64 letters, digits, '-', '_' or "
                        "'.'") });
    bool versionOk = true;
    const std::optional<int> expectedVersion = expectedVersionOf(request, &versionOk);
    if (!versionOk)
        errors.append({ QJsonArray {},
            ApiText::tr(
                "The If-Match header must be the version of the stream, as its ETag gives it "
                "(\"3\")") });
    const Poster &poster = context.workers.poster();
    // Admitted by this handler (a token of the right shape): the token's rows are read with the
    // pre-check, in its one statement, when it comes to that. A bad request must be refused 401
    // or 403 before 400, and an idempotency key belongs to its user: both look the token up
    // first, alone.
    const bool tokenWithPrecheck = request.admit && errors.isEmpty() && !keyed;
    QString user = request.user.name;
    if (request.admit && !tokenWithPrecheck) {
        const std::optional<TokenInfo> owner = request.admit(nullptr);
        if (!owner)
            return;
        user = owner->name;
    }
    if (!errors.isEmpty()) {
        poster([reply = request.reply, errors] { sendValidationErrors(reply, errors); });
        return;
    }

    const QString streamId = kind == StreamKind::Account ? accountStreamId(entityId)
        : kind == StreamKind::Truck                      ? truckStreamId(entityId)
                                                         : shipmentStreamId(entityId);
    const int waitSeconds = preferredWaitSeconds(request);
    const QString idempotencyKey = QString::fromLatin1(key);
    // What an idempotency key is bound to; without a key there is nothing to compare it with.
    const QString hash = keyed ? requestHash(type, streamId, body, expectedVersion) : QString();
    Command command;
    command.type = type;
    command.streamId = streamId;
    command.data = data;
    command.user = user;
    command.acceptedAt = QDateTime::currentDateTimeUtc();
    command.expectedVersion = expectedVersion;
    command.correlationId = correlationId;

    // Still on the worker: the idempotency key, the pre-check and the hand-over to the inbox, so
    // that the HTTP thread sees this request again only to answer it.
    Engine &engine = context.engine;
    Precheck check;
    QVector<TokenTable::TokenRow> tokenRows;
    try {
        check = precheck(engine, command, idempotencyKey,
            tokenWithPrecheck ? request.tokenSalt : QString(), &tokenRows);
    } catch (const StoreError &e) {
        poster([reply = request.reply, error = e.message()] { sendDatabaseError(reply, error); });
        return;
    }
    if (tokenWithPrecheck) {
        // Nothing the pre-check found is answered before the token is: a 401 or 403 first.
        const std::optional<TokenInfo> owner = request.admit(&tokenRows);
        if (!owner)
            return;
        command.user = owner->name;
    }
    if (check.earlier || !check.rejection.isEmpty()) {
        poster([&context, reply = request.reply, check, hash, waitSeconds] {
            answerPrecheck(context, reply, check, hash, waitSeconds);
        });
        return;
    }
    AcceptRequest accept;
    accept.type = command.type;
    accept.streamId = command.streamId;
    accept.data = command.data;
    accept.user = command.user;
    accept.idempotencyKey = idempotencyKey;
    accept.requestHash = hash;
    accept.expectedVersion = command.expectedVersion;
    accept.correlationId = command.correlationId;
    const qint64 started = Metrics::now();
    engine.accept(std::move(accept),
        [poster, &context, reply = request.reply, started, waitSeconds](
            const AcceptResult &accepted) mutable {
            // On the inbox thread; the reply moves on to the HTTP thread.
            poster([&context, reply = std::move(reply), accepted, started, waitSeconds] {
                answerAccepted(context, reply, accepted, started, waitSeconds);
            });
        });
}

void getCommand(ApiContext &context, const ApiRequest &request)
{
    const QString commandId = request.params.value(0);
    if (!isValidCommandId(commandId)) {
        sendValidationErrors(request.reply,
            { { QJsonArray { QStringLiteral("commandId") },
                ApiText::tr(
                    "The command id in the path must be 1 to 128 letters, digits, '-', '_', '.' or "
                    "':'") } });
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, commandId] { return CommandStore::outcome(database.connection(), commandId); },
        [reply = request.reply](const WorkResult<std::optional<CommandOutcome>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                reply->sendError(404, ApiText::tr("No such command"));
                return;
            }
            reply->sendJson(200, (*result.value)->toJson());
        });
}

} // namespace waybill::api
