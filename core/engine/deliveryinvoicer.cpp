#include "deliveryinvoicer.h"

#include "domain/event.h"
#include "domain/ids.h"
#include "faultinjection.h"
#include "store/commandstore.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QLoggingCategory>

namespace waybill {

Q_LOGGING_CATEGORY(lcInvoicer, "waybill.invoicer")

namespace {
constexpr int kPage = 500;
constexpr int kPollMs = 1000;
} // namespace

const QString &DeliveryInvoicer::checkpointName()
{
    static const QString name = QStringLiteral("delivery-invoicer");
    return name;
}

QString DeliveryInvoicer::invoiceCommandId(const QString &shipmentId)
{
    return QStringLiteral("invoice-for-shipment-") + shipmentId;
}

const QString &DeliveryInvoicer::user()
{
    static const QString name = QStringLiteral("system:invoicer");
    return name;
}

DeliveryInvoicer::DeliveryInvoicer(Database &database, QString acceptedBy, Issued issued)
    : m_database(database)
    , m_acceptedBy(std::move(acceptedBy))
    , m_issued(std::move(issued))
    , m_thread(
          QStringLiteral("waybill-invoicer"), LoopThread::AtStop::NoPass,
          [this] { invoiceDeliveries(); }, [this] { m_database.closeConnection(); }, kPollMs)
{ }

DeliveryInvoicer::~DeliveryInvoicer()
{
    stop();
}

void DeliveryInvoicer::start()
{
    m_thread.start();
}

void DeliveryInvoicer::stop()
{
    m_thread.stop();
}

void DeliveryInvoicer::wake()
{
    m_thread.wake();
}

void DeliveryInvoicer::invoiceDeliveries()
{
    try {
        for (;;) {
            const QVector<Command> issued = step();
            if (!issued.isEmpty())
                m_issued(issued);
            if (issued.size() < kPage)
                break;
        }
    } catch (const StoreError &e) {
        qCWarning(lcInvoicer) << "invoicing pass failed, will retry:" << e.message();
    }
}

QVector<Command> DeliveryInvoicer::step()
{
    WriteTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    const qint64 checkpoint = EventStore::checkpoint(db, checkpointName());
    // Under the writer lock nothing can commit below the head any more: reading up to it can
    // never skip an event.
    const qint64 head = EventStore::lastPosition(db);
    if (head <= checkpoint)
        return {};
    EventFilter deliveries;
    deliveries.type = EventType::Delivered;
    const EventList delivered = EventStore::readAfter(db, checkpoint, kPage, deliveries);
    QStringList shipmentIds;
    for (const RecordedEvent &e : delivered)
        shipmentIds << entityIdOfStream(e.streamId);
    const QHash<QString, ShipmentState> shipments = ReadModels::loadShipments(db, shipmentIds);
    QVector<Command> invoices;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const RecordedEvent &e : delivered) {
        const QString shipmentId = entityIdOfStream(e.streamId);
        const auto shipment = shipments.constFind(shipmentId);
        if (shipment == shipments.constEnd()) {
            qCWarning(lcInvoicer) << "delivered shipment" << shipmentId
                                  << "has no state; not invoiced";
            continue;
        }
        Command c;
        c.id = invoiceCommandId(shipmentId);
        c.type = CommandType::Invoice;
        c.streamId = accountStreamId(shipment->billToAccountId);
        c.data = { { QStringLiteral("shipmentId"), shipmentId },
            { QStringLiteral("amountCents"), static_cast<double>(shipment->costCents) } };
        c.user = user();
        c.acceptedAt = now;
        c.correlationId = e.commandId;
        invoices.append(c);
    }
    // An invoice already in the inbox (the checkpoint was lost after it) is not issued again.
    CommandStore::insertAll(db, invoices, {}, m_acceptedBy, CommandStore::IfExists::Skip);
    QVector<Command> issued;
    for (const Command &c : std::as_const(invoices)) {
        if (c.sequence != 0)
            issued.append(c);
    }
    const qint64 next = delivered.size() == kPage ? delivered.last().position : head;
    Fault::point(Fault::InvoicerBeforeCheckpoint);
    EventStore::saveCheckpoint(db, checkpointName(), next);
    tx.commit();
    Fault::point(Fault::InvoicerAfterCommit);
    return issued;
}

} // namespace waybill
