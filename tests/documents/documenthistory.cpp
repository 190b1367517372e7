#include "documenthistory.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/ratetablefile.h"
#include "engine/deliveryinvoicer.h"
#include "engine/engine.h"
#include "store/commandstore.h"
#include "store/database.h"
#include "store/readmodels.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QMutex>
#include <QStringList>
#include <QThread>

namespace waybill::test {

namespace {

const char kRates[] = R"({"version": "2026-docs",
  "lanes": [{"from": "TX", "to": "OK", "centsPerPound": 31, "minimumCents": 7500},
            {"from": "*", "to": "*", "centsPerPound": 28, "minimumCents": 0}],
  "fuelSurcharge": [{"from": "2020-01-01", "percent": 12.5}],
  "accessorials": {"liftgate": 4500}})";

class Recorder final
{
public:
    explicit Recorder(Engine &engine)
        : m_engine(engine)
    { }

    // The id of the command, once accepted (empty when it was not).
    QString send(CommandType type, const QString &streamId, const QByteArray &body)
    {
        QJsonObject object;
        QJsonObject data;
        if (!parseJsonObject(body, &object).isEmpty()
            || !validateCommandBody(type, object, &data).isEmpty()) {
            fail(QStringLiteral("invalid %1 body for %2").arg(commandTypeName(type), streamId));
            return {};
        }
        AcceptRequest request;
        request.type = type;
        request.streamId = streamId;
        request.data = data;
        request.user = QStringLiteral("clerk");
        QString id;
        m_engine.accept(request, [&](const AcceptResult &result) {
            QMutexLocker lock(&m_mutex);
            if (result.status == AcceptResult::Status::Accepted)
                id = result.commandId;
            else
                m_failures << QStringLiteral("%1 not accepted: %2").arg(streamId, result.error);
        });
        m_engine.waitIdle();
        if (type == CommandType::Deliver && !id.isEmpty())
            waitForInvoice(id, entityIdOfStream(streamId));
        QMutexLocker lock(&m_mutex);
        return id;
    }

    // A delivery's invoice is a command of the invoicer, sent after the delivery is done: waiting
    // for it keeps the history in the order it is written here, whatever the machine's load (a
    // payment sent next must not come before the invoice on the statement).
    void waitForInvoice(const QString &deliverCommandId, const QString &shipmentId)
    {
        const QSqlDatabase db = m_engine.database().connection();
        if (CommandStore::status(db, deliverCommandId) != CommandStatus::Succeeded)
            return; // a refused delivery is invoiced never
        const QString invoiceId = DeliveryInvoicer::invoiceCommandId(shipmentId);
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            const std::optional<CommandStatus> invoice = CommandStore::status(db, invoiceId);
            if (invoice && *invoice != CommandStatus::Pending)
                return;
            if (timer.elapsed() > 60000) {
                fail(QStringLiteral("%1 was not invoiced within a minute").arg(shipmentId));
                return;
            }
            QThread::msleep(2);
            m_engine.waitIdle();
        }
    }

    void fail(const QString &why)
    {
        QMutexLocker lock(&m_mutex);
        m_failures << why;
    }

    QStringList failures()
    {
        QMutexLocker lock(&m_mutex);
        return m_failures;
    }

private:
    Engine &m_engine;
    QMutex m_mutex;
    QStringList m_failures;
};

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject address(
    const char *name, const char *line1, const char *city, const char *state, const char *zip)
{
    return { { QStringLiteral("name"), QString::fromUtf8(name) },
        { QStringLiteral("line1"), QString::fromUtf8(line1) },
        { QStringLiteral("city"), QString::fromUtf8(city) },
        { QStringLiteral("state"), QString::fromUtf8(state) },
        { QStringLiteral("zip"), QString::fromUtf8(zip) } };
}

void deliverShipment(Recorder &recorder, const QString &id, const QJsonObject &submit,
    const QString &truck, const QString &signedBy)
{
    const QString stream = shipmentStreamId(id);
    recorder.send(CommandType::Submit, stream, json(submit));
    recorder.send(CommandType::Assign, stream, json({ { QStringLiteral("truckId"), truck } }));
    recorder.send(CommandType::Ship, stream, "{}");
    recorder.send(CommandType::Deliver, stream,
        signedBy.isEmpty() ? QByteArray("{}") : json({ { QStringLiteral("signedBy"), signedBy } }));
}

} // namespace

bool recordDocumentHistory(const DatabaseUrl &url, QString *error)
{
    RateTableFault fault;
    const std::optional<RateTable> rates = parseRateTable(QByteArray(kRates), &fault);
    if (!rates) {
        *error = QStringLiteral("rate table: %1").arg(fault.message);
        return false;
    }
    Database database(url);
    EngineOptions options;
    options.rates = *rates;
    Engine engine(database, options);
    engine.start();
    Recorder recorder(engine);

    const QString acme = accountStreamId(QStringLiteral("acme"));
    recorder.send(CommandType::Open, acme,
        json({ { QStringLiteral("name"), QStringLiteral("Acme Mills") },
            { QStringLiteral("billingAddress"),
                address(
                    "Acme Mills Accounts Payable", "400 Commerce St", "Dallas", "TX", "75201") },
            { QStringLiteral("paymentTermsDays"), 15 } }));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto window = [](const QDateTime &from, const QDateTime &to) {
        return QJsonObject { { QStringLiteral("from"), from.toString(Qt::ISODateWithMs) },
            { QStringLiteral("to"), to.toString(Qt::ISODateWithMs) } };
    };
    deliverShipment(recorder, QStringLiteral("ship-1"),
        { { QStringLiteral("shipFrom"),
              address("Lone Star Plastics", "12 Industrial Blvd", "Houston", "TX", "77002") },
            { QStringLiteral("shipTo"),
                address("Prairie Hardware", "88 Main St", "Tulsa", "OK", "74103") },
            { QStringLiteral("weightInPounds"), 1200 },
            { QStringLiteral("billToAccountId"), QStringLiteral("acme") },
            { QStringLiteral("accessorials"), QJsonArray { QStringLiteral("liftgate") } },
            { QStringLiteral("pickupWindow"), window(now.addSecs(-3600), now) },
            { QStringLiteral("deliveryWindow"), window(now, now.addDays(1)) } },
        QStringLiteral("truck-7"), QStringLiteral("Dana Whitfield"));
    recorder.send(CommandType::Payment, acme, "{\"amount\": 100}");

    for (int i = 1; i <= DocumentHistoryFigures::kSmallShipments; ++i)
        deliverShipment(recorder, QStringLiteral("small-%1").arg(i),
            { { QStringLiteral("shipFrom"),
                  address("Acme Mills", "1 Mill Rd", "Wichita", "KS", "67202") },
                { QStringLiteral("shipTo"),
                    address("Bolt & Sons", "9 Harbor Rd", "Portland", "OR", "97201") },
                { QStringLiteral("weightInPounds"), 100 * i },
                { QStringLiteral("billToAccountId"), QStringLiteral("acme") } },
            QStringLiteral("truck-%1").arg(i % 3), QString());

    const QString payment = recorder.send(CommandType::Payment, acme, "{\"amount\": 500}");
    recorder.send(CommandType::ReversePayment, acme,
        json({ { QStringLiteral("paymentCommandId"), payment },
            { QStringLiteral("reason"), QStringLiteral("cheque returned unpaid") } }));
    recorder.send(CommandType::Credit, acme,
        json({ { QStringLiteral("amount"), 25 },
            { QStringLiteral("reason"), QStringLiteral("late delivery") },
            { QStringLiteral("shipmentId"), QStringLiteral("small-3") } }));
    engine.waitIdle();
    engine.stop();

    QStringList failures = recorder.failures();
    const auto account = ReadModels::loadAccount(database.connection(), QStringLiteral("acme"));
    const qint64 invoices = ReadModels::lastInvoiceNumber(database.connection());
    if (invoices != 1 + DocumentHistoryFigures::kSmallShipments)
        failures << QStringLiteral("expected %1 invoices, found %2")
                        .arg(1 + DocumentHistoryFigures::kSmallShipments)
                        .arg(invoices);
    else if (!account || -account->balanceCents != DocumentHistoryFigures::kClosingDueCents)
        failures << QStringLiteral("acme owes %1 cents, expected %2")
                        .arg(account ? -account->balanceCents : 0)
                        .arg(DocumentHistoryFigures::kClosingDueCents);
    database.closeConnection();
    if (!failures.isEmpty()) {
        *error = failures.join(QLatin1String("; "));
        return false;
    }
    return true;
}

} // namespace waybill::test
