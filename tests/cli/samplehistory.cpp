#include "samplehistory.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "engine/deliveryinvoicer.h"
#include "engine/engine.h"
#include "store/commandstore.h"
#include "store/database.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QMutex>
#include <QStringList>
#include <QThread>

namespace waybill::test {

QByteArray submitBody(const QString &accountId, int weightInPounds)
{
    const QJsonObject from { { QStringLiteral("name"), QStringLiteral("Acme Mills") },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Springfield") },
        { QStringLiteral("state"), QStringLiteral("IL") },
        { QStringLiteral("zip"), QStringLiteral("62701") } };
    const QJsonObject to { { QStringLiteral("name"), QStringLiteral("=Bolt & Sons, \"Depot\"") },
        { QStringLiteral("line1"), QStringLiteral("9 Harbor Rd") },
        { QStringLiteral("city"), QStringLiteral("Portland") },
        { QStringLiteral("state"), QStringLiteral("OR") },
        { QStringLiteral("zip"), QStringLiteral("97201") } };
    return QJsonDocument(
        QJsonObject { { QStringLiteral("shipFrom"), from }, { QStringLiteral("shipTo"), to },
            { QStringLiteral("weightInPounds"), weightInPounds },
            { QStringLiteral("billToAccountId"), accountId } })
        .toJson(QJsonDocument::Compact);
}

bool recordSampleHistory(const DatabaseUrl &url, int shipments, QString *error)
{
    Database database(url);
    Engine engine(database);
    engine.start();

    QMutex mutex;
    QStringList failures;
    auto send = [&](CommandType type, const QString &streamId, const QByteArray &body) {
        QJsonObject object;
        QJsonObject data;
        if (!parseJsonObject(body, &object).isEmpty()
            || !validateCommandBody(type, object, &data).isEmpty()) {
            failures
                << QStringLiteral("invalid %1 body for %2").arg(commandTypeName(type), streamId);
            return;
        }
        AcceptRequest request;
        request.type = type;
        request.streamId = streamId;
        request.data = data;
        request.user = QStringLiteral("sample");
        engine.accept(request, [&, streamId](const AcceptResult &result) {
            if (result.status != AcceptResult::Status::Accepted) {
                QMutexLocker lock(&mutex);
                failures << QStringLiteral("%1 not accepted: %2").arg(streamId, result.error);
            }
        });
    };

    QStringList delivered; // shipment ids
    for (int i = 1; i <= shipments; ++i) {
        const QString stream = shipmentStreamId(QStringLiteral("s-%1").arg(i));
        const QString account = QStringLiteral("acct-%1").arg(i % 3);
        send(CommandType::Submit, stream, submitBody(account, 100 * i));
        if (i % 4 == 0)
            continue; // left Submitted
        send(CommandType::Assign, stream,
            QStringLiteral("{\"truckId\":\"truck-%1\"}").arg(i % 5).toUtf8());
        if (i % 4 == 1)
            continue; // left Assigned
        send(CommandType::Ship, stream, "{}");
        if (i % 4 == 2) {
            send(CommandType::Deliver, stream, "{\"signedBy\":\"Pat O'Neil\"}");
            delivered << QStringLiteral("s-%1").arg(i);
        }
    }
    for (int i = 0; i < 3; ++i)
        send(CommandType::Payment, accountStreamId(QStringLiteral("acct-%1").arg(i)),
            "{\"amount\": 12.34}");

    engine.waitIdle();
    // The deliveries' invoices are commands of the invoicer, which a busy machine may not have
    // sent yet when the commands sent here are done: wait for each, a minute at most.
    {
        const QSqlDatabase db = database.connection();
        QElapsedTimer timer;
        timer.start();
        for (const QString &shipmentId : std::as_const(delivered)) {
            const QString invoiceId = DeliveryInvoicer::invoiceCommandId(shipmentId);
            for (;;) {
                const std::optional<CommandStatus> invoice = CommandStore::status(db, invoiceId);
                if (invoice && *invoice != CommandStatus::Pending)
                    break;
                if (timer.elapsed() > 60000) {
                    QMutexLocker lock(&mutex);
                    failures
                        << QStringLiteral("%1 was not invoiced within a minute").arg(shipmentId);
                    break;
                }
                QThread::msleep(2);
                engine.waitIdle();
            }
        }
    }
    engine.stop();
    database.closeConnection();
    QMutexLocker lock(&mutex);
    if (!failures.isEmpty()) {
        if (error)
            *error = failures.join(QLatin1String("; "));
        return false;
    }
    return true;
}

} // namespace waybill::test
