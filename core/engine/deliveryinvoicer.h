// The delivery invoicer: a checkpointed subscriber to the global log that turns each
// "delivered" event into exactly one invoice command on the bill-to account.
#pragma once

#include "domain/command.h"
#include "store/database.h"
#include "store/loopthread.h"

#include <functional>

namespace waybill {

class DeliveryInvoicer final
{
public:
    static const QString &checkpointName();
    static QString invoiceCommandId(const QString &shipmentId);
    static const QString &user();

    using Issued = std::function<void(const QVector<Command> &)>;
    // acceptedBy: the server the invoice commands belong to until they are processed.
    DeliveryInvoicer(Database &database, QString acceptedBy, Issued issued);
    ~DeliveryInvoicer();
    Q_DISABLE_COPY_MOVE(DeliveryInvoicer)

    void start();
    void stop();
    // Something was appended: look soon rather than at the next poll.
    void wake();

    // One pass: reads deliveries after the checkpoint, records their invoice commands (an
    // invoice's command id is fixed by its shipment, so a second recording is a no-op) and
    // moves the checkpoint, all in one transaction. Returns the commands it recorded.
    // Throws StoreError.
    QVector<Command> step();

private:
    // Steps until the deliveries after the checkpoint are all invoiced, or a step fails.
    void invoiceDeliveries();

    Database &m_database;
    QString m_acceptedBy;
    Issued m_issued;
    LoopThread m_thread; // last: it stops before the rest goes
};

} // namespace waybill
