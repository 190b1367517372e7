#include "deliveryinvoicer.h"

#include "domain/event.h"
#include "domain/ids.h"
#include "faultinjection.h"
#include "store/commandstore.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QLoggingCategory>
#include <QSqlQuery>

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

DeliveryInvoicer::DeliveryInvoicer(Database &database, Issued issued)
    : m_database(database)
    , m_issued(std::move(issued))
{
}

DeliveryInvoicer::~DeliveryInvoicer()
{
    stop();
}

void DeliveryInvoicer::start()
{
    QMutexLocker lock(&m_mutex);
    if (m_thread)
        return;
    m_stopping = false;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("waybill-invoicer"));
    m_thread->start();
}

void DeliveryInvoicer::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_thread)
            return;
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    m_thread.reset();
}

void DeliveryInvoicer::wake()
{
    QMutexLocker lock(&m_mutex);
    m_woken = true;
    m_wake.wakeAll();
}

void DeliveryInvoicer::run()
{
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            if (!m_woken && !m_stopping)
                m_wake.wait(&m_mutex, kPollMs);
            m_woken = false;
            if (m_stopping)
                break;
        }
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
    m_database.closeConnection();
}

QVector<Command> DeliveryInvoicer::step()
{
    WriteTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    QSqlQuery &cp = runPrepared(db, QStringLiteral("SELECT position FROM checkpoints WHERE name = ?"),
                            { checkpointName() });
    const qint64 checkpoint = cp.next() ? cp.value(0).toLongLong() : 0;
    // Under the writer lock nothing can commit below the head any more: reading up to it can
    // never skip an event.
    const qint64 head = EventStore::lastPosition(db);
    if (head <= checkpoint)
        return {};
    EventFilter deliveries;
    deliveries.type = EventType::Delivered;
    const EventList delivered = EventStore::readAfter(db, checkpoint, kPage, deliveries);
    QVector<Command> issued;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const RecordedEvent &e : delivered) {
        const QString shipmentId = entityIdOfStream(e.streamId);
        const auto shipment = ReadModels::loadShipment(db, shipmentId);
        if (!shipment) {
            qCWarning(lcInvoicer) << "delivered shipment" << shipmentId << "has no state; not invoiced";
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
        if (CommandStore::insertIfAbsent(db, c))
            issued.append(c);
    }
    const qint64 next = delivered.size() == kPage ? delivered.last().position : head;
    Fault::point(Fault::InvoicerBeforeCheckpoint);
    runPrepared(db,
             QStringLiteral("INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) "
                            "DO UPDATE SET position = excluded.position"),
             { checkpointName(), next });
    tx.commit();
    Fault::point(Fault::InvoicerAfterCommit);
    return issued;
}

} // namespace waybill
