// The delivery invoicer: a checkpointed subscriber to the global log that turns each
// "delivered" event into exactly one invoice command on the bill-to account.
#pragma once

#include "domain/command.h"
#include "store/database.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <functional>
#include <memory>

namespace waybill {

class DeliveryInvoicer final
{
public:
    static const QString &checkpointName();
    static QString invoiceCommandId(const QString &shipmentId);
    static const QString &user();

    using Issued = std::function<void(const QVector<Command> &)>;
    DeliveryInvoicer(Database &database, Issued issued);
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
    void run();

    Database &m_database;
    Issued m_issued;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
    bool m_woken = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace waybill
